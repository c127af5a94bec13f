"""Shared pieces of the dashboard's pages: engine, identity, the reader's language, cached queries, the sidebar's
Scope, writes and errors. Tables, downloads and charts are in :mod:`app_pages._tables`.

Pages stay thin: gather inputs with these helpers, call one analytics function through :func:`query`, draw.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from analytics.derived.worker import start_worker
from analytics.errors import PeriodReversed
from analytics.findings.snapshot import serving_stored
from analytics.queries.overview import work_span
from analytics.scope import Scope
from app_pages import _format, _labels, _period, _safe
from data import i18n, settings
from data.derived import derived_stamp
from data.engine import database_url, get_engine, session_scope
from data.errors import EndrollError
from data.i18n import N_
from data.identity import Identity
from services.preferences import account_language, set_language

T = TypeVar("T")
IDENTITY_KEY = "identity"
LANGUAGE_KEY = "language"


# Before anyone is known, so in both languages.
@st.cache_resource(show_spinner="データベースを開いています… / Opening and migrating the database…")
def _engine_for(url: str) -> Engine:
    return get_engine(url)


def engine() -> Engine:
    """The process-wide engine, migrated on first use (cached as a resource); with the ``derived_worker`` setting
    on, the process's background worker for its database runs from then on (started once)."""
    found = _engine_for(database_url())
    if settings.get("derived_worker"):
        _worker(found)
    return found


def _worker(found: Engine) -> Any:
    # In a process of its own (derived_worker_mode): it cannot clear this process's cache, so cached results are
    # keyed by what it stores (_stamp); in a thread it clears the cache after each refresh.
    return start_worker(found, on_refreshed=clear_cache, mode=settings.get("derived_worker_mode"))


_STAMP_SECONDS = 2.0  # a page's dozens of queries share one look (10 ms each at 5M on SQLite)
_stamps: dict[str, tuple[float, tuple]] = {}


def _stamp(url: str) -> tuple | None:
    """What the worker process stored last (:func:`data.derived.derived_stamp`), looked up at most every
    ``_STAMP_SECONDS``; None when no worker runs in another process (a write or the worker's thread clears the
    cache instead)."""
    if not settings.get("derived_worker") or settings.get("derived_worker_mode") != "process":
        return None
    now = time.monotonic()
    seen = _stamps.get(url)
    if seen is None or now - seen[0] > _STAMP_SECONDS:
        with session_scope(_engine_for(url)) as session:
            seen = _stamps[url] = (now, derived_stamp(session))
    return seen[1]


def identity() -> Identity | None:
    return st.session_state.get(IDENTITY_KEY)


# ---------------------------------------------------------------------------------------------------------------
# The reader's language


def language() -> str:
    """The viewer's language: their choice (this session's, else their account's), else their browser's, else
    Japanese."""
    chosen = st.session_state.get(LANGUAGE_KEY)
    if chosen in i18n.LANGUAGES:
        return chosen
    return i18n.language_of(getattr(st.context, "locale", None))


def translator() -> i18n.Translator:
    """The viewer's translator, named ``_`` where it is used: ``_ = _ui.translator()`` (see :mod:`data.i18n`)."""
    return i18n.translator(language())


def load_account_language(ident: Identity) -> None:
    """Take the language the signed-in account chose last time, once per sign-in (a choice made on the sign-in page
    before it, this session, wins)."""
    marker = f"_language_of_{ident.account_id}"
    if ident.account_id is None or st.session_state.get(marker):
        return
    st.session_state[marker] = True
    if st.session_state.get(LANGUAGE_KEY) in i18n.LANGUAGES:
        return
    chosen = query(account_language, account_id=ident.account_id)
    if chosen in i18n.LANGUAGES:
        st.session_state[LANGUAGE_KEY] = chosen


def _language_chosen() -> None:
    chosen = st.session_state.get("ui_language")
    if chosen not in i18n.LANGUAGES:
        return
    st.session_state[LANGUAGE_KEY] = chosen
    ident = identity()
    if ident is not None and ident.account_id is not None:
        # Kept for the next sign-in; a refusal (no account to keep it in) leaves it for this session only.
        with contextlib.suppress(EndrollError):
            write(set_language, ident, language=chosen)


def language_switch() -> None:
    """The sidebar's language switch (both languages' names, so anyone can find it)."""
    st.session_state["ui_language"] = language()
    st.sidebar.segmented_control(
        "言語 / Language",
        options=list(i18n.LANGUAGES),
        format_func=i18n.LANGUAGE_NAMES.get,
        key="ui_language",
        on_change=_language_chosen,
        required=True,
    )


def require(*roles: str) -> Identity:
    """The signed-in identity, or stop the page. Navigation already hides pages; this is the second lock."""
    ident = identity()
    if ident is None or ident.role not in roles:
        st.error(translator()("This page is not available to you. Sign in with an account that has access."))
        st.stop()
    return ident  # type: ignore[return-value]


# ---------------------------------------------------------------------------------------------------------------
# Reads and writes


@st.cache_data(ttl=settings.get("cache_ttl_seconds"), show_spinner=False, max_entries=256)
def _cached_call(url: str, name: str, _func: Callable[..., Any], kwargs: dict[str, Any], stamp: tuple | None) -> Any:
    # With the background worker on, a request serves the findings stored last and never computes the studio's.
    serving = serving_stored() if settings.get("derived_worker") else contextlib.nullcontext()
    with session_scope(_engine_for(url)) as session, serving:
        return _func(session, **kwargs)


def query(func: Callable[..., T], **kwargs: Any) -> T:
    """``func(session, **kwargs)``, cached per database, function and arguments for ``cache_ttl_seconds``.

    Pass a manager's or advocate's scope as ``scope.for_role()``: the result then serves everyone with that role.
    """
    url = database_url()
    return _cached_call(url, f"{func.__module__}.{func.__qualname__}", func, kwargs, _stamp(url))


def write(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a writing function ``func(session, *args, **kwargs)`` in one transaction, then drop cached results."""
    with session_scope(engine()) as session:
        result = func(session, *args, **kwargs)
    clear_cache()
    if settings.get("derived_worker"):
        _worker(engine()).wake()  # a write may have made the findings stale
    return result


def clear_cache() -> None:
    _cached_call.clear()
    _stamps.clear()


def try_write(func: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
    """:func:`write`; True when it was written, False after showing the page's wording of the
    :class:`~data.errors.EndrollError` that refused it. Any other exception is a bug and propagates."""
    try:
        write(func, *args, **kwargs)
    except EndrollError as exc:
        show_error(exc)
        return False
    return True


def show_error(error: Exception, what_to_do: str | None = None) -> None:
    """An error a person can act on: an EndrollError in the page's words and the reader's language; any other
    exception (from a layer not converted to EndrollError yet) with ``what_to_do``."""
    if isinstance(error, EndrollError):
        st.error(_safe.error(error, translate=translator()))
    else:
        st.error(_safe.message(f"{error} — {what_to_do}" if what_to_do else str(error)))


# ---------------------------------------------------------------------------------------------------------------
# The sidebar: a Scope


def _kept(key: str, default: Any) -> Any:
    # Streamlit forgets a widget's value on pages that do not draw it; keep a copy so filters survive navigation.
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(f"_keep_{key}", default)
    return st.session_state[key]


def _keep(key: str) -> None:
    st.session_state[f"_keep_{key}"] = st.session_state[key]


def _set(key: str, value: Any) -> None:
    st.session_state[key] = value
    st.session_state[f"_keep_{key}"] = value


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


def _preset_chosen() -> None:
    _keep("flt_preset")
    preset = st.session_state["flt_preset"]
    if preset == "custom":
        return
    last = query(work_span)[1]
    start, end = _period.preset_range(preset, today=_format.today(), last_work=_date(last))
    _set("flt_start", start)
    _set("flt_end", end)


def _dates_chosen(key: str) -> None:
    _keep(key)
    _set("flt_preset", "custom")


def _date(value: Any) -> Any:
    return None if value is None else pd.Timestamp(value).date()


def sidebar_scope(options: pd.DataFrame, *, viewer: Identity) -> Scope:
    """The sidebar's productions, period and departments, and who is signed in, as the :class:`Scope` every view
    takes. ``options`` has ``kind`` (production/department), ``value``, ``label``, ``title``
    (:func:`analytics.queries.productions.filter_options`). The period is a preset (this month, the fiscal year…)
    or two dates; choosing a preset fills the dates, editing a date makes it "Dates below"."""
    _ = translator()
    productions = options[options["kind"] == "production"]
    departments = options[options["kind"] == "department"]
    st.sidebar.header(_("Filters"))
    titles = productions["title"] if _.language == "ja" and "title" in productions else productions["label"]
    chosen = _multiselect(_("Production"), "flt_productions",
                          dict(zip(productions["value"].astype(int), titles, strict=True)),
                          _("All productions"))  # fmt: skip
    _kept("flt_preset", "all")
    _kept("flt_start", None)
    _kept("flt_end", None)
    st.sidebar.selectbox(_("Period"), list(_period.PRESETS), format_func=lambda p: _(_period.PRESETS[p]),
                         key="flt_preset", on_change=_preset_chosen)  # fmt: skip
    start = st.sidebar.date_input(_("From"), key="flt_start", on_change=_dates_chosen, args=("flt_start",),
                                  format="YYYY-MM-DD")  # fmt: skip
    end = st.sidebar.date_input(_("To"), key="flt_end", on_change=_dates_chosen, args=("flt_end",),
                                format="YYYY-MM-DD")  # fmt: skip
    depts = _multiselect(_("Department"), "flt_departments",
                         {d: _labels.value_label("department", d, _) for d in departments["value"]},
                         _("All departments"))  # fmt: skip
    parts = {"productions": tuple(int(p) for p in chosen), "departments": tuple(depts), "viewer": viewer}
    try:
        return Scope(**parts, start=start or None, end=end or None)
    except PeriodReversed as exc:
        st.sidebar.error(_safe.error(exc, translate=_))
        return Scope(**parts, start=end, end=start)


def period_caption(scope: Scope) -> str:
    """The period in view as a reader says it (``2025年7月``, ``All time``)."""
    _ = translator()
    if scope.start is None and scope.end is None:
        return _("All time")
    if scope.start is None:
        return _("Until {date}", date=_format.date(scope.end))
    if scope.end is None:
        return _("From {date}", date=_format.date(scope.start))
    return _format.span(scope.start, scope.end, _.language)


# Marked here so the catalog holds the words of the navigation (app.py reads them through the translator).
PAGE_TITLES = (N_("Overview"), N_("Workload"), N_("Pay"), N_("AI use"), N_("Credits"), N_("Import"),
               N_("Generation"), N_("Aggregates"), N_("Admin"), N_("My record"), N_("Person"),
               N_("People and records"), N_("Productions"), N_("Names to review"), N_("Sign in"))  # fmt: skip
