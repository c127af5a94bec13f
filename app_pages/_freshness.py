"""How current the derived data on a page is — the compliance findings, or a production's credit checks: the
"updated at …, recomputing since …" notice while the background worker recomputes them, and the wait state with its
progress when none were ever computed (issue 22)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from analytics.derived.state import Freshness, credits_freshness, findings_freshness
from app_pages import _format, _ui
from data import settings
from data.derived import CREDITS, FINDINGS
from data.engine import session_scope


def _when(value: dt.datetime | None) -> str:
    """A stored instant (naive UTC) as the studio's wall clock, to the minute, with its zone."""
    if value is None:
        return ""
    local = _format.local(pd.Series([value])).iloc[0]
    return f"{local:%Y-%m-%d %H:%M} {_format.zone_name()}"


def freshness(kind: str = FINDINGS, *, production_id: int | None = None) -> Freshness | None:
    """How current ``kind`` is now (``findings``, or ``credits``: the check of ``production_id``), never cached: it
    moves while the page is open; None when the background worker is off (a request then computes it itself)."""
    if not settings.get("derived_worker"):
        return None
    with session_scope(_ui.engine()) as session:
        if kind == CREDITS:
            return credits_freshness(session, production_id=int(production_id))
        return findings_freshness(session)


def notice(kind: str = FINDINGS, *, production_id: int | None = None) -> bool:
    """Say how current the findings (``kind``) shown are when they are not current; True when none were ever
    computed (the page has none to show: the wait state, with progress, is drawn instead)."""
    state = freshness(kind, production_id=production_id)
    if state is None or state.current:
        return False
    _ = _ui.translator()
    if state.updated_at is None:
        if kind == CREDITS:
            st.info(_("The credit checks of this production are being computed for the first time. Its findings and "
                      "fixes appear here when they are ready."))  # fmt: skip
            progress = (_("{done} of {steps} productions checked", done=state.step, steps=state.steps)
                        if state.steps else _("Starting…"))  # fmt: skip
        else:
            st.info(_("The compliance findings are being computed for the first time. This part of the page fills in "
                      "when they are ready; the rest of the page is already up to date."))  # fmt: skip
            progress = (
                _("{done} of {steps} steps", done=state.step, steps=state.steps) if state.steps else _("Starting…")
            )
        st.progress(state.share_done, text=progress)
        st.button(_("Check again"), icon=":material/refresh:", key=f"{kind}_check_again")
        return True
    since = state.stale_since or state.started_at
    updated = _when(state.updated_at)
    if kind == CREDITS and since is not None:
        text = _("Credit checks updated at {updated}; recomputing since {since} after changes to the records. The "
                 "tables show the last complete result until then.", updated=updated, since=_when(since))  # fmt: skip
    elif kind == CREDITS:
        text = _("Credit checks updated at {updated}; recomputing them with this version of Endroll. The tables show "
                 "the last complete result until then.", updated=updated)  # fmt: skip
    elif since is not None:
        text = _("Findings updated at {updated}; recomputing since {since} after changes to the records. The table "
                 "shows the last complete result until then.", updated=updated, since=_when(since))  # fmt: skip
    else:
        text = _("Findings updated at {updated}; recomputing them for today. The table shows the last complete "
                 "result until then.", updated=updated)  # fmt: skip
    st.info(text, icon=":material/update:")
    if state.running and state.steps:
        steps = (_("{done} of {steps} productions checked", done=state.step, steps=state.steps) if kind == CREDITS
                 else _("{done} of {steps} steps", done=state.step, steps=state.steps))  # fmt: skip
        st.progress(state.share_done, text=steps)
    return False
