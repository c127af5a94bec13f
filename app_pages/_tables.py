"""Tables, downloads and charts, written the same way on every page.

A table (:func:`table`) shows its columns under headers in the reader's language, with coded values named and
numbers, months and times formatted (:mod:`app_pages._format`); a row about a person leads to that person's page
when a manager selects it. Each table has two downloads: **CSV for other tools** (the view's own frame: stable English
column names, codes, ISO dates, whole-number ids) and **XLSX for people** (what the table shows, in the reader's
language). Charts get a title, units on both axes, a caption, and month axes without times of day.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.exports import to_csv_bytes, to_xlsx_bytes
from analytics.findings.text import explain
from analytics.people import name_directory, shown_name
from analytics.scope import Scope
from app_pages import _format, _freshness, _labels, _safe, _ui

PERSON_PAGE = "app_pages/person.py"
PERSON_KEY = "person_id"
Frame = pd.DataFrame | Callable[[], pd.DataFrame]


# ---------------------------------------------------------------------------------------------------------------
# People


def people() -> pd.DataFrame:
    """Everyone's names (:func:`analytics.people.names`) indexed by person id; empty unless a manager is signed in
    (only managers' tables name people)."""
    ident = _ui.identity()
    if ident is None or ident.role != "manager":
        return pd.DataFrame(columns=["native", "romaji", "kana", "pen_name", "visibility"])
    return _ui.query(name_directory, scope=Scope(viewer=ident).for_role()).set_index("person_id")


def person_name(person_id: Any, language: str | None = None, *, names: pd.DataFrame | None = None) -> str:
    """How ``person_id`` is shown to the reader (:func:`analytics.people.shown_name`); ``#id`` when unknown.
    ``names``: :func:`people` read once by a caller naming many (each read copies the whole directory)."""
    names = people() if names is None else names
    try:
        row = names.loc[int(person_id)]
    except (KeyError, TypeError, ValueError):
        return f"#{person_id}"
    return shown_name(row["native"], row["romaji"], row["pen_name"], row["visibility"],
                      language=language or _ui.language())  # fmt: skip


def person_names(person_ids: Any, language: str | None = None) -> dict[Any, str]:
    """:func:`person_name` of each of ``person_ids`` (an iterable), keyed by the ids as given: the names read once
    (each :func:`people` call copies the cached frame; per person that took seconds for a studio's thousands)."""
    names, language, person_ids = people(), language or _ui.language(), list(person_ids)
    wanted = set()
    for pid in person_ids:
        with contextlib.suppress(TypeError, ValueError):
            wanted.add(int(pid))
    names = names[names.index.isin(wanted)]  # only the rows asked for: a chooser names 200 of a studio's thousands
    rows = dict(zip(names.index, names[["native", "romaji", "pen_name", "visibility"]].itertuples(index=False,
                                                                                               name=None), strict=True))  # fmt: skip
    out = {}
    for pid in person_ids:
        try:
            row = rows.get(int(pid))
        except (TypeError, ValueError):
            row = None
        out[pid] = f"#{pid}" if row is None else shown_name(*row, language=language)
    return out


def name_people(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """``frame`` with ``column`` holding each row's person (by its ``person_id``) as the reader is shown them."""
    if "person_id" not in frame.columns or frame.empty:
        return frame
    names = person_names(frame["person_id"].dropna().unique())
    return frame.assign(**{column: frame["person_id"].map(names).fillna(frame.get(column))})


def open_person(person_id: int) -> None:
    """Go to the person page of ``person_id``."""
    st.session_state[PERSON_KEY] = int(person_id)
    st.switch_page(PERSON_PAGE)


def person_link(person_id: int, label: str) -> None:
    """A link to the person page of ``person_id``."""
    st.page_link(PERSON_PAGE, label=label, query_params={"person": str(int(person_id))}, icon=":material/person:")


SHOWN = 8  # linked sentences shown before "all of them"
FOLDED = 50  # linked sentences drawn under the fold: each link is an element of the page (1,000 of them: 0.5 s a run)


def person_links(rows: Any, sentence: Any, *, shown: int = SHOWN, folded: int = FOLDED, rest: str = "") -> None:
    """One link per row of ``rows`` (with ``person_id``) to its person, labelled ``sentence(row)``; past ``shown``
    they fold into an expander ("All n"); past ``shown + folded`` the expander says how many more there are and
    ``rest``, where to find them."""
    _ = _ui.translator()
    target = st.container()
    total = len(rows)
    for i, row in enumerate(rows.head(shown + folded).itertuples(index=False)):
        if i == shown:
            title = _("All {n}", n=total) if total <= shown + folded else _("The first {m} of {n}", m=shown + folded,
                                                                              n=total)  # fmt: skip
            target = st.expander(title)
        with target:
            person_link(row.person_id, sentence(row))
    if total > shown + folded:
        with target:
            more = _.ngettext("{n} more person.", "{n} more people.", total - shown - folded)
            st.caption(f"{more} {rest}".strip())


# ---------------------------------------------------------------------------------------------------------------
# Tables and downloads


def downloads(data: Frame, name: str, *, key: str | None = None, shape: Callable[[pd.DataFrame], pd.DataFrame]
              | None = None, codes: dict[str, str | None] | None = None, headers: dict[str, str] | None = None,
              hide: tuple[str, ...] = ()) -> None:  # fmt: skip
    """CSV for other tools (``data`` as it is: English column names, codes) and XLSX for people (``shape`` of it, as
    the page shows it, in the reader's language) of ``data``, a frame or a function giving one (built only when
    someone clicks)."""
    _ = _ui.translator()
    key = key or name

    def frame() -> pd.DataFrame:
        return data() if callable(data) else data

    def for_people() -> bytes:
        shown = frame()
        shown = shape(shown) if shape else shown
        return to_xlsx_bytes(_format.for_people(shown, _, codes=codes, headers=headers, hide=hide), sheet_name=name)

    left, right = st.columns(2)
    left.download_button(
        _("CSV for other tools"), data=lambda: to_csv_bytes(frame()), file_name=f"{name}.csv", mime="text/csv",
        key=f"dl_csv_{key}", icon=":material/download:",
        help=_("Stable English column names and codes, for scripts and other software."),
    )  # fmt: skip
    right.download_button(
        _("Spreadsheet (XLSX)"), data=for_people, file_name=f"{name}_{_.language}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"dl_xlsx_{key}",
        icon=":material/table_view:", help=_("The table as shown here, with headers in your language."),
    )  # fmt: skip


def table(frame: pd.DataFrame, name: str, *, empty: str, key: str | None = None,
          codes: dict[str, str | None] | None = None, headers: dict[str, str] | None = None,
          hide: tuple[str, ...] = (), person: str | None = None, download: Frame | None = None,
          shape: Callable[[pd.DataFrame], pd.DataFrame] | None = None, downloadable: bool = True) -> bool:  # fmt: skip
    """``frame`` as a table with its downloads, or ``empty`` (what to do next) when it has no rows; True if drawn.

    ``codes`` and ``headers`` override a column's vocabulary and header; ``hide`` leaves columns out; ``person``
    names the column that shows each row's person (renamed by the one naming rule; selecting a row opens the person
    page). ``download`` is what the CSV holds when it is more than the rows shown (a function: built on click);
    ``shape`` turns it into what the table shows, for the spreadsheet. ``downloadable=False``: no downloads.
    """
    _ = _ui.translator()
    if frame.empty:
        st.info(empty)
        return False
    key = key or name
    if person:
        frame = name_people(frame, person)
    ident = _ui.identity()
    selectable = "person_id" in frame.columns and ident is not None and ident.role == "manager"
    parts = _format.currencies(frame)
    for currency in parts:
        part = frame if len(parts) == 1 else frame[frame["currency"] == currency].reset_index(drop=True)
        if len(parts) > 1:
            st.caption(_("Amounts in {currency}", currency=currency))
        order = _format.shown_columns(part, hide)
        shown = _format.present(part, _, codes=codes)
        config = _format.column_config(shown[order], _, currency=currency, headers=headers)
        options: dict[str, Any] = {"on_select": "rerun", "selection_mode": "single-row",
                                   "key": f"tbl_{key}_{currency}"} if selectable else {}  # fmt: skip
        event = st.dataframe(shown, hide_index=True, width="stretch", column_config=config, column_order=order,
                             placeholder="–", **options)  # fmt: skip
        if selectable:
            rows = event["selection"]["rows"] if event else []
            if rows and pd.notna(part.iloc[rows[0]]["person_id"]):
                open_person(int(part.iloc[rows[0]]["person_id"]))
    if selectable:
        st.caption(_("Select a row to open that person's page."))
    if downloadable:
        downloads(download if download is not None else frame, name, key=key, codes=codes, headers=headers, hide=hide,
                  shape=shape if download is not None else None)  # fmt: skip
    return True


# ---------------------------------------------------------------------------------------------------------------
# Findings


def measure(value: Any, unit: str | None, _: Any) -> str:
    """A finding's measured value or line with its unit: ``62.5 h``, ``¥1,050/h``, ``$306.06``, ``13 days``."""
    if value is None or value != value:
        return "–"
    if unit in ("JPY", "USD"):
        return _format.money(value, unit)
    if unit in ("JPY/h", "USD/h"):
        return _format.money(value, unit[:3], per_hour=True)
    if unit == "USD/year":
        return f"{_format.money(value, 'USD')}/{_('year')}"
    number = f"{value:,.1f}" if unit in ("h", "h/month") else f"{value:,.0f}" if float(value).is_integer() else (
        f"{value:,.2f}")  # fmt: skip
    return f"{number} {_labels.value_label('unit', unit, _)}" if unit else number


def findings_shape(found: pd.DataFrame) -> pd.DataFrame:
    """Findings (the columns of :func:`analytics.findings.findings`) as a table shows them: the measured value and
    the line written with their units; the explanation as the findings engine wrote it."""
    _ = _ui.translator()
    out = name_people(explain(found, _), "person")
    units = out["unit"] if "unit" in out.columns else pd.Series(None, index=out.index)
    out = out.assign(
        measured=[measure(v, u, _) for v, u in zip(out["measured_value"], units, strict=True)],
        threshold=[measure(v, u, _) for v, u in zip(out["threshold"], units, strict=True)],
    )
    columns = ["person_id", "rule_id", "severity", "person", "period_start", "period_end", "measured", "threshold",
               "explanation"]  # fmt: skip
    if "group" in out.columns and out["group"].notna().any():
        columns.insert(4, "group")
    return out[[c for c in columns if c in out.columns]]


def findings_section(found: Any, topic: str, *, frame: pd.DataFrame, total: int, name: str, scope: Scope) -> None:
    """The compliance findings of one topic (hours or pay) from :func:`analytics.dashboard.findings_view`; the
    downloads hold all of them, not only the rows shown."""
    from analytics.dashboard import all_findings

    _ = _ui.translator()
    waiting = _freshness.notice()
    if found.pending:
        if not waiting:  # computed since this page's result was cached: the next visit shows them
            st.info(_("The compliance findings are ready. Open the page again to see them."))
        return
    if found.error:
        st.error(_("The compliance engine failed: {error}. The sections above are unaffected; report this error.",
                   error=_safe.message(found.error)))  # fmt: skip
        return
    if total > len(frame):
        st.caption(_("The first {shown:,} of {total:,} findings are shown ({home} first, then the most severe); the "
                     "downloads hold all of them.", shown=len(frame), total=total,
                     home=_labels.value_label("jurisdiction", found.home, _)))  # fmt: skip
    elif not frame.empty:
        st.caption(_("{home} first, then the most severe.", home=_labels.value_label("jurisdiction", found.home, _)))
    empty = _("No findings on working hours for these filters.") if topic == "hours" else _(
        "No findings on pay for these filters.")  # fmt: skip
    table(findings_shape(frame), name, empty=empty, headers={"measured": _("Measured")},
          download=lambda: _ui.query(all_findings, scope=scope, topic=topic), shape=findings_shape)  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# Charts


def month_axis(fig: go.Figure, months: pd.Series | None = None, *, axis: str = "x") -> None:
    """Month ticks without a time of day (``2025年7月`` / ``Jul 2025``), one per month up to two years."""
    language = _ui.language()
    fmt = "%Y年%-m月" if language == "ja" else "%b %Y"
    update = fig.update_xaxes if axis == "x" else fig.update_yaxes
    count = pd.to_datetime(months).dt.to_period("M").nunique() if months is not None and len(months) else 0
    update(tickformat=fmt, hoverformat=fmt, dtick="M1" if count <= 24 else "M3", ticklabelmode="instant")


def chart(fig: go.Figure, *, title: str, x_title: str, y_title: str, caption: str, key: str,
          months: pd.Series | None = None) -> None:  # fmt: skip
    """A Plotly chart with a title, units on both axes and one sentence saying what it shows; ``months`` (the x
    values) when the x axis is months."""
    fig.update_layout(title=title, margin={"t": 50, "l": 10, "r": 10, "b": 10}, legend_title_text="")
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title)
    if fig.layout.yaxis.tickformat is None and fig.layout.yaxis.type in (None, "-", "linear"):
        fig.update_yaxes(tickformat=",")  # 350,000 rather than 350k: both languages read it
    if months is not None:
        month_axis(fig, months)
    st.plotly_chart(_safe.figure(fig), key=key, width="stretch")
    st.caption(caption)


def employment_colors() -> dict[str, Any]:
    """The same colour for each employment type on every chart, in the order of the types (employees first), as
    ``color_discrete_map`` and ``category_orders`` arguments for plotly express."""
    _ = _ui.translator()
    palette = {"employee_regular": "#1f4e9c", "employee_contract": "#5b8fd6", "employee_parttime": "#9cc3f0",
               "freelancer": "#e4572e", "sole_proprietor_with_staff": "#f3a712", "unknown": "#9e9e9e"}  # fmt: skip
    labels = {code: _labels.value_label("employment_type", code, _) for code in palette}
    return {"color_discrete_map": {labels[c]: color for c, color in palette.items()},
            "category_orders": {"employment_type": list(labels.values())}}  # fmt: skip


def plot_labels(**more: str) -> dict[str, str]:
    """Every column's header in the reader's language (and ``more``), for plotly express's ``labels``: hover boxes
    and legends then name ``ot_plus_holiday_hours`` as a reader would."""
    _ = _ui.translator()
    extra = {"pay_per_hour_bin": _("Pay per hour (JPY/h)"), "value": _("Share (%)"), "share": _("Share of"),
             "where": _("Production and episode"), "label": _("Person and month"), "color": _("Hours (h)"),
             "x": _("Week"), "y": _("Person")}  # fmt: skip
    return {**{column: _(label) for column, label in _labels.HEADERS.items()}, **extra, **more}


def labelled(frame: pd.DataFrame, codes: dict[str, str]) -> pd.DataFrame:
    """``frame`` with the coded columns of ``codes`` (column → vocabulary) named for a chart's axes and legend."""
    _ = _ui.translator()
    return frame.assign(**{c: frame[c].map(lambda v, voc=voc: _labels.value_label(voc, v, _))
                           for c, voc in codes.items() if c in frame.columns})  # fmt: skip
