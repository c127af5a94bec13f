"""How current the findings on a page are: the "updated at …, recomputing since …" notice while the background
worker recomputes them, and the wait state with its progress when none were ever computed (issue 22)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from analytics.derived.state import Freshness, findings_freshness
from app_pages import _format, _ui
from data import settings
from data.engine import session_scope


def _when(value: dt.datetime | None) -> str:
    """A stored instant (naive UTC) as the studio's wall clock, to the minute, with its zone."""
    if value is None:
        return ""
    local = _format.local(pd.Series([value])).iloc[0]
    return f"{local:%Y-%m-%d %H:%M} {_format.zone_name()}"


def freshness() -> Freshness | None:
    """The findings' freshness now (never cached: it moves while the page is open); None when the background
    worker is off (a request then computes them itself)."""
    if not settings.get("derived_worker"):
        return None
    with session_scope(_ui.engine()) as session:
        return findings_freshness(session)


def notice() -> bool:
    """Say how current the findings shown are when they are not current; True when none were ever computed (the
    page has none to show: the wait state, with progress, is drawn instead)."""
    state = freshness()
    if state is None or state.current:
        return False
    _ = _ui.translator()
    if state.updated_at is None:
        st.info(_("The compliance findings are being computed for the first time. This part of the page fills in when "
                  "they are ready; the rest of the page is already up to date."))  # fmt: skip
        progress = _("{done} of {steps} steps", done=state.step, steps=state.steps) if state.steps else _("Starting…")
        st.progress(state.share_done, text=progress)
        st.button(_("Check again"), icon=":material/refresh:", key="findings_check_again")
        return True
    since = state.stale_since or state.started_at
    if since is not None:
        text = _("Findings updated at {updated}; recomputing since {since} after changes to the records. The table "
                 "shows the last complete result until then.", updated=_when(state.updated_at), since=_when(since))  # fmt: skip
    else:
        text = _("Findings updated at {updated}; recomputing them for today. The table shows the last complete "
                 "result until then.", updated=_when(state.updated_at))  # fmt: skip
    st.info(text, icon=":material/update:")
    if state.running and state.steps:
        st.progress(state.share_done, text=_("{done} of {steps} steps", done=state.step, steps=state.steps))
    return False
