"""Shared pieces of the dashboard's pages: engine, identity, cached queries, the sidebar's Scope, downloads, charts.

Pages stay thin: gather inputs with these helpers, call one analytics function through :func:`query`, draw.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sqlalchemy import Engine

from analytics.errors import PeriodReversed
from analytics.exports import to_csv_bytes, to_xlsx_bytes
from analytics.findings.text import explain
from analytics.scope import Scope
from data import i18n, settings
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


def language() -> str:
    """The viewer's language: their choice this session, else their browser's, else Japanese."""
    chosen = st.session_state.get("language")
    if chosen in i18n.LANGUAGES:
        return chosen
    return i18n.language_of(getattr(st.context, "locale", None))


def translator() -> i18n.Translator:
    """The viewer's translator, named ``_`` where it is used: ``_ = _ui.translator()`` (see :mod:`data.i18n`)."""
    return i18n.translator(language())


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
        return _func(session, **kwargs)


def query(func: Callable[..., T], **kwargs: Any) -> T:
    """``func(session, **kwargs)``, cached per database, function and arguments for ``cache_ttl_seconds``.

    Pass a manager's or advocate's scope as ``scope.for_role()``: the result then serves everyone with that role.
    """
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
# The sidebar: a Scope


def _kept(key: str, default: Any) -> Any:
    # Streamlit forgets a widget's value on pages that do not draw it; keep a copy so filters survive navigation.
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(f"_keep_{key}", default)
    return st.session_state[key]


def _keep(key: str) -> None:
    st.session_state[f"_keep_{key}"] = st.session_state[key]


def _multiselect(label: str, key: str, labels: dict[Any, str], placeholder: str) -> list[Any]:
    _kept(key, [])
    return st.sidebar.multiselect(
        label,
        options=list(labels),
        format_func=lambda value: labels.get(value, str(value)),
        key=key,
        on_change=_keep,
        args=(key,),
        placeholder=placeholder,
    )


def sidebar_scope(options: pd.DataFrame, *, viewer: Identity) -> Scope:
    """The sidebar's productions, period and departments, and who is signed in, as the :class:`Scope` every view
    takes. ``options`` has ``kind`` (production/department), ``value``, ``label``
    (:func:`analytics.queries.productions.filter_options`)."""
    productions = options[options["kind"] == "production"]
    departments = options[options["kind"] == "department"]
    st.sidebar.header("Filters")
    chosen = _multiselect("Production", "flt_productions",
                          dict(zip(productions["value"].astype(int), productions["label"], strict=True)),
                          "All productions")  # fmt: skip
    _kept("flt_start", None)
    _kept("flt_end", None)
    start = st.sidebar.date_input("From", key="flt_start", on_change=_keep, args=("flt_start",), format="YYYY-MM-DD")
    end = st.sidebar.date_input("To", key="flt_end", on_change=_keep, args=("flt_end",), format="YYYY-MM-DD")
    depts = _multiselect("Department", "flt_departments",
                         dict(zip(departments["value"], departments["label"], strict=True)), "All departments")  # fmt: skip
    parts = {"productions": tuple(int(p) for p in chosen), "departments": tuple(depts), "viewer": viewer}
    try:
        return Scope(**parts, start=start or None, end=end or None)
    except PeriodReversed as exc:
        st.sidebar.error(exc.message("page"))
        return Scope(**parts, start=end, end=start)


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


def show_error(error: Exception, what_to_do: str | None = None) -> None:
    """An error a person can act on: an EndrollError in the page's words; any other exception (from a layer not
    converted to EndrollError yet) with ``what_to_do``."""
    if isinstance(error, EndrollError):
        st.error(error.message("page"))
    else:
        st.error(f"{error} — {what_to_do}" if what_to_do else str(error))


def findings_section(found: Any, topic: str, *, frame: pd.DataFrame, total: int, name: str) -> None:
    """The compliance findings of one topic (hours or pay) from :func:`analytics.dashboard.findings_view`."""
    if found.error:
        st.error(f"The compliance engine failed: {found.error}. The sections above are unaffected; report this error.")
        return
    if total > len(frame):
        st.caption(f"The {len(frame):,} most severe of {total:,} findings; narrow the filters in the sidebar to see "
                   "the others.")  # fmt: skip
    table(explain(frame, translator()), name, empty=f"No findings on {topic} for these filters.")


def try_write(func: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
    """:func:`write`; True when it was written, False after showing the page's wording of the
    :class:`~data.errors.EndrollError` that refused it. Any other exception is a bug and propagates."""
    try:
        write(func, *args, **kwargs)
    except EndrollError as exc:
        st.error(exc.message("page"))
        return False
    return True
