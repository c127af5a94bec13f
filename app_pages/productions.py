"""Productions: the studio's productions, their episodes and cuts, entered and corrected by hand, and the roles and
departments worked on each, for managers. Every write goes through services.productions (role check, the importers'
cell readers, audit)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from analytics.catalog import cuts, episodes, productions, roles_worked
from analytics.scope import Scope
from app_pages import _labels, _safe, _tables, _ui
from data.errors import EndrollError
from data.schema import AI_POLICIES, PRODUCTION_KINDS
from services.productions import add_cut, add_episode, add_production, edit_cut, edit_episode, edit_production

NEW = 0  # the choice "a new one" in each list

ident = _ui.require("manager")
_ = _ui.translator()
st.title(_("Productions"))
scope = Scope(viewer=ident).for_role()
DAY = "YYYY-MM-DD"


def _write(func: Any, **kwargs: Any) -> Any:
    try:
        return _ui.write(func, ident, **kwargs)
    except EndrollError as exc:
        _ui.show_error(exc)
        return None


def _saved(message: str) -> None:
    # Drawn again from the top, so the tables and lists above the form show what was just saved.
    st.session_state["prod_saved"] = message
    st.rerun()


def _cell(value: Any) -> str:
    """A stored value as the form shows it: blank for none, a date as YYYY-MM-DD, a whole number without ``.0``."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _pick(label: str, frame: pd.DataFrame, id_column: str, name: Any, new: str, key: str) -> int:
    choices = {NEW: new} | {int(r[id_column]): name(r) for r in frame.to_dict("records")}
    return st.selectbox(label, list(choices), format_func=choices.get, key=key)


def _texts(key: str, fields: dict[str, str], current: dict[str, Any], columns: int = 4) -> dict[str, str]:
    cols = st.columns(columns)
    return {f: cols[i % columns].text_input(label, value=_cell(current.get(f)), key=f"{key}_{f}",
                                            placeholder=DAY if f.endswith("_date") else None)
            for i, (f, label) in enumerate(fields.items())}  # fmt: skip


if saved := st.session_state.pop("prod_saved", None):
    st.success(saved)
rows = _ui.query(productions, scope=scope)
_tables.table(rows, "productions", empty=_("No productions yet. Add the first one below."), hide=("production_id",),
              downloadable=False)  # fmt: skip
pick = _pick(_("Production"), rows, "production_id", lambda r: r["title"], _("A new production"), "prod_pick")
current = {} if pick == NEW else rows[rows["production_id"] == pick].iloc[0].to_dict()
with st.form(f"prod_{pick}"):
    values = _texts(f"prod_{pick}", {"title": _("Title"), "title_romaji": _("Title (romaji)"),
                                     "title_en": _("Title (English)")}, current, 3)  # fmt: skip
    c = st.columns(4)
    kinds, policies = list(PRODUCTION_KINDS), list(AI_POLICIES)
    values["kind"] = c[0].selectbox(_("Kind"), kinds, index=kinds.index(current.get("kind") or "tv"),
                                    format_func=lambda v: _labels.value_label("kind", v, _), key=f"prod_{pick}_kind")  # fmt: skip
    values["start_date"] = c[1].text_input(_("First day"), value=_cell(current.get("start_date")), placeholder=DAY,
                                           key=f"prod_{pick}_start")  # fmt: skip
    values["end_date"] = c[2].text_input(_("Last day"), value=_cell(current.get("end_date")), placeholder=DAY,
                                         key=f"prod_{pick}_end")  # fmt: skip
    values["ai_policy"] = c[3].selectbox(_("AI policy"), policies, index=policies.index(current.get("ai_policy") or "none"),
                                         format_func=lambda v: _labels.value_label("ai_policy", v, _),
                                         key=f"prod_{pick}_ai")  # fmt: skip
    aliases = st.text_area(_("Other names imports know it by (a tracker's project name), one a line"),
                           key=f"prod_{pick}_aliases")  # fmt: skip
    values["aliases"] = [a.strip() for a in aliases.splitlines() if a.strip()]
    if st.form_submit_button(_("Add the production") if pick == NEW else _("Save the production")):
        func, where = (add_production, {}) if pick == NEW else (edit_production, {"production_id": pick})
        if (done := _write(func, values=values, **where)) is not None:
            _saved(_("Saved {title}.", title=_safe.md(done.title)))
if pick == NEW:
    st.stop()

title = _safe.md(current["title"])
st.header(title)
st.subheader(_("Episodes"))
eps = _ui.query(episodes, scope=scope, production_id=pick)
_tables.table(eps, "episodes", empty=_("No episodes of {title} yet.", title=title), hide=("episode_id",),
              downloadable=False)  # fmt: skip
episode = _pick(_("Episode"), eps, "episode_id", lambda r: r["label"], _("A new episode"), f"ep_pick_{pick}")
ep_now = {} if episode == NEW else eps[eps["episode_id"] == episode].iloc[0].to_dict()
with st.form(f"ep_{episode}"):
    values = _texts(f"ep_{episode}", {"label": _("Episode label ('1', 'OP', '前編')"), "number": _("Number"),
                                      "title": _("Title"), "delivery_date": _("Delivery")}, ep_now)  # fmt: skip
    if st.form_submit_button(_("Add the episode") if episode == NEW else _("Save the episode")):
        func, where = (
            (add_episode, {"production_id": pick}) if episode == NEW else (edit_episode, {"episode_id": episode})
        )
        if (done := _write(func, values=values, **where)) is not None:
            _saved(_("Saved episode {label} of {title}.", label=_safe.md(done.label), title=title))

if episode != NEW:
    st.subheader(_("Cuts of episode {label}", label=_safe.md(ep_now["label"])))
    cut_rows = _ui.query(cuts, scope=scope, episode_id=episode)
    _tables.table(cut_rows, "cuts", empty=_("No cuts recorded for this episode yet."), hide=("cut_id",),
                  downloadable=False)  # fmt: skip
    cut = _pick(_("Cut"), cut_rows, "cut_id", lambda r: r["cut_number"], _("A new cut"), f"cut_pick_{episode}")
    cut_now = {} if cut == NEW else cut_rows[cut_rows["cut_id"] == cut].iloc[0].to_dict()
    with st.form(f"cut_{cut}"):
        values = _texts(f"cut_{cut}", {"cut_number": _("Cut no."), "seconds": _("Seconds on screen"),
                                       "frames": _("Frames"), "sheets": _("Sheets (drawings)")}, cut_now)  # fmt: skip
        if st.form_submit_button(_("Add the cut") if cut == NEW else _("Save the cut")):
            func, where = (add_cut, {"episode_id": episode}) if cut == NEW else (edit_cut, {"cut_id": cut})
            if (done := _write(func, values=values, **where)) is not None:
                _saved(_("Saved cut {number}.", number=_safe.md(done.cut_number)))

st.subheader(_("Roles and departments worked"))
_tables.table(_ui.query(roles_worked, scope=scope, production_id=pick), "production_roles",
              empty=_("No work is logged on {title} yet.", title=title), downloadable=False)  # fmt: skip
