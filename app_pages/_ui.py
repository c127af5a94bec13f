"""Shared pieces of the dashboard's pages: engine, identity, cached queries, filters, downloads, charts.

Pages stay thin: gather inputs with these helpers, call one analytics function through :func:`query`, draw.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sqlalchemy import Engine

from analytics.exports import to_csv_bytes, to_xlsx_bytes
from data import settings
from data.engine import database_url, get_engine, session_scope
from data.errors import EndrollError
from data.identity import Identity

T = TypeVar("T")
IDENTITY_KEY = "identity"


@st.cache_resource(show_spinner="Opening and migrating the database…")
def _engine_for(url: str) -> Engine:
    return get_engine(url)


def engine() -> Engine:
    """The process-wide engine, migrated on first use (cached as a resource)."""
    return _engine_for(database_url())


def identity() -> Identity | None:
    return st.session_state.get(IDENTITY_KEY)


def role_scope(ident: Identity) -> Identity:
    """The identity reduced to its role, for views that depend on the role only (manager and advocate views): their
    cached results are then shared by everyone with that role instead of computed once per user."""
    return Identity(username=f"<{ident.role}>", role=ident.role, person_id=ident.person_id)


def require(*roles: str) -> Identity:
    """The signed-in identity, or stop the page. Navigation already hides pages; this is the second lock."""
    ident = identity()
    if ident is None or ident.role not in roles:
        st.error("This page is not available to you. Sign in with an account that has access.")
        st.stop()
    return ident  # type: ignore[return-value]


@st.cache_data(ttl=settings.get("cache_ttl_seconds"), show_spinner=False, max_entries=256)
def _cached_call(url: str, name: str, _func: Callable[..., Any], kwargs: dict[str, Any]) -> Any:
    with session_scope(_engine_for(url)) as session:
        return _func(session=session, **kwargs)


def query(func: Callable[..., T], **kwargs: Any) -> T:
    """``func(session=..., **kwargs)``, cached per database, function and arguments for ``cache_ttl_seconds``."""
    return _cached_call(database_url(), f"{func.__module__}.{func.__qualname__}", func, kwargs)


def write(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a writing function ``func(session, *args, **kwargs)`` in one transaction, then drop cached results."""
    with session_scope(engine()) as session:
        result = func(session, *args, **kwargs)
    clear_cache()
    return result


def clear_cache() -> None:
    _cached_call.clear()


# ---------------------------------------------------------------------------------------------------------------
# Filters


@dataclass(frozen=True)
class Filters:
    """The sidebar's production, date-range and department choices."""

    production_ids: tuple[int, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    department: str | None = None

    def kwargs(self, *, production: str = "production_ids") -> dict[str, Any]:
        """Keyword arguments for an analytics function, naming the production argument as it expects."""
        out: dict[str, Any] = {"start": self.start, "end": self.end}
        out[production] = self.production_ids
        return out


def _kept(key: str, default: Any) -> Any:
    # Streamlit forgets a widget's value on pages that do not draw it; keep a copy so filters survive navigation.
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(f"_keep_{key}", default)
    return st.session_state[key]


def _keep(key: str) -> None:
    st.session_state[f"_keep_{key}"] = st.session_state[key]


def filters(options: pd.DataFrame, *, department: bool = True) -> Filters:
    """Sidebar filters. ``options`` has ``kind`` (production/department), ``value``, ``label``."""
    productions = options[options["kind"] == "production"]
    labels = dict(zip(productions["value"].astype(int), productions["label"], strict=True))
    st.sidebar.header("Filters")
    _kept("flt_productions", [])
    chosen = st.sidebar.multiselect(
        "Production",
        options=list(labels),
        format_func=lambda pid: labels.get(pid, str(pid)),
        key="flt_productions",
        on_change=_keep,
        args=("flt_productions",),
        placeholder="All productions",
    )
    _kept("flt_start", None)
    _kept("flt_end", None)
    start = st.sidebar.date_input("From", key="flt_start", on_change=_keep, args=("flt_start",), format="YYYY-MM-DD")
    end = st.sidebar.date_input("To", key="flt_end", on_change=_keep, args=("flt_end",), format="YYYY-MM-DD")
    dept = None
    if department:
        departments = options[options["kind"] == "department"]
        dept_labels = dict(zip(departments["value"], departments["label"], strict=True))
        _kept("flt_department", None)
        dept = st.sidebar.selectbox(
            "Department",
            options=list(dept_labels),
            format_func=lambda d: dept_labels.get(d, d),
            index=None,
            key="flt_department",
            on_change=_keep,
            args=("flt_department",),
            placeholder="All departments",
        )
    if start and end and end < start:
        st.sidebar.error("'To' is before 'From': swap the dates.")
        start, end = end, start
    return Filters(tuple(int(p) for p in chosen), start or None, end or None, dept)


# ---------------------------------------------------------------------------------------------------------------
# Names, tables, downloads, charts


def name_with_romaji(native: str | None, romaji: str | None) -> str:
    """山田花子 (Hanako Yamada): native script first, romaji beside it when it differs."""
    native = (native or "").strip()
    romaji = (romaji or "").strip()
    if native and romaji and romaji != native:
        return f"{native} ({romaji})"
    return native or romaji


def downloads(frame: pd.DataFrame, name: str, *, key: str | None = None) -> None:
    """CSV (UTF-8 with BOM, formulas neutralized) and XLSX download buttons for ``frame``."""
    key = key or name
    left, right = st.columns(2)
    # Callables: the bytes are built only when someone clicks, not on every script run.
    left.download_button(
        "Download CSV",
        data=partial(to_csv_bytes, frame),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"dl_csv_{key}",
        icon=":material/download:",
    )
    right.download_button(
        "Download XLSX",
        data=partial(to_xlsx_bytes, frame, sheet_name=name),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"dl_xlsx_{key}",
        icon=":material/table_view:",
    )


def table(frame: pd.DataFrame, name: str, *, empty: str, key: str | None = None, **kwargs: Any) -> bool:
    """A table with its downloads, or ``empty`` (what to do next) when there are no rows. True if drawn."""
    if frame.empty:
        st.info(empty)
        return False
    st.dataframe(frame, hide_index=True, width="stretch", **kwargs)
    downloads(frame, name, key=key)
    return True


def chart(fig: go.Figure, *, title: str, x_title: str, y_title: str, caption: str, key: str) -> None:
    """A Plotly chart with a title, units on both axes and one sentence saying what it shows."""
    fig.update_layout(title=title, margin={"t": 50, "l": 10, "r": 10, "b": 10}, legend_title_text="")
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title)
    st.plotly_chart(fig, key=key, width="stretch")
    st.caption(caption)


def show_error(exc: Exception, what_to_do: str) -> None:
    st.error(f"{exc} — {what_to_do}")


def findings_section(found: Any, topic: str, *, frame: pd.DataFrame, total: int, name: str) -> None:
    """The compliance findings of one topic (hours or pay) from :func:`analytics.dashboard.findings_view`."""
    if found.error:
        st.error(f"The compliance engine failed: {found.error}. The sections above are unaffected; report this error.")
        return
    if total > len(frame):
        st.caption(f"The {len(frame):,} most severe of {total:,} findings; the CSV of all of them: "
                   "`python -m analytics findings --format csv`.")  # fmt: skip
    table(frame, name, empty=f"No findings on {topic} for these filters.")


def try_write(func: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
    """:func:`write`; True when it was written, False after showing the page's wording of the
    :class:`~data.errors.EndrollError` that refused it. Any other exception is a bug and propagates."""
    try:
        write(func, *args, **kwargs)
    except EndrollError as exc:
        st.error(exc.message("page"))
        return False
    return True
