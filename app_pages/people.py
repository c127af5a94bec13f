"""People: find a person by any spelling, add or correct them, link an account to them, their employment contracts
(app_pages/_contracts.py), merge another record of the same person into theirs (app_pages/_merge.py), and log their
hours and pay by hand (app_pages/_hours_pay.py), for managers. Every write goes through services (role check, the
importer's checks, audit, rollups)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from analytics.admin import admin_snapshot
from analytics.people import find_people, person_fields
from analytics.scope import Scope
from app_pages import _contracts, _hours_pay, _labels, _merge, _safe, _tables, _ui
from data.errors import EndrollError
from data.schema import VISIBILITY
from services.accounts import set_role
from services.people import add_person, edit_person

ident = _ui.require("manager")
_ = _ui.translator()
st.title(_("People and records"))
scope = Scope(viewer=ident).for_role()
NAME_FIELDS = {"family_name": _("Family name"), "given_name": _("Given name"), "family_kana": _("Family name (kana)"),
               "given_kana": _("Given name (kana)"), "family_romaji": _("Family name (romaji)"),
               "given_romaji": _("Given name (romaji)"), "display_name": _("Credited as"),
               "pen_name": _("Pen name"), "email": _("Email"), "country": _("Country (2 letters)")}  # fmt: skip


def _write(func: Any, **kwargs: Any) -> Any:
    try:
        return _ui.write(func, ident, **kwargs)
    except EndrollError as exc:
        _ui.show_error(exc)
        return None


def _person_form(key: str, current: dict[str, Any], submit: str) -> dict[str, Any] | None:
    with st.form(key, clear_on_submit=False):
        cols = st.columns(2)
        values = {f: cols[i % 2].text_input(label, value=current.get(f) or "", key=f"{key}_{f}")
                  for i, (f, label) in enumerate(NAME_FIELDS.items())}  # fmt: skip
        vis = list(VISIBILITY)
        values["visibility"] = st.selectbox(_("Credited as (visibility)"), vis,
                                            index=vis.index(current.get("visibility") or "public"),
                                            format_func=lambda v: _labels.value_label("visibility", v, _),
                                            key=f"{key}_visibility")  # fmt: skip
        aliases = st.text_area(_("Other credited spellings, one a line"), key=f"{key}_aliases")
        values["aliases"] = [a.strip() for a in aliases.splitlines() if a.strip()]
        return values if st.form_submit_button(submit) else None


people = _tables.people()


def _first_found() -> None:
    # Chosen through the session state, not the widget's default: a default does not reach a box the browser already
    # drew, which would show "Choose a person" while the first person found is the one drawn below.
    text = st.session_state.get("people_find", "")
    found = _ui.query(find_people, scope=scope, text=text) if text.strip() else []
    st.session_state["people_person"] = found[0] if found else None


search = st.text_input(_("Find a person"), placeholder=_("Any spelling: kanji, kana, romaji, pen name or alias"),
                       key="people_find", on_change=_first_found)  # fmt: skip
ids = _ui.query(find_people, scope=scope, text=search) if search.strip() else people.index.tolist()
counts = st.columns(2)
counts[0].metric(_("People on record"), f"{len(people):,}")
if search.strip():
    counts[1].metric(_("Found by that spelling"), f"{len(ids):,}")
if search.strip() and not ids:
    st.info(_("Nobody is known by that spelling. Add them below."))
labels = _tables.person_names(ids)
chosen = st.selectbox(_("Person"), ids, index=None, format_func=labels.get,
                      placeholder=_("Choose a person"), key="people_person")  # fmt: skip

st.subheader(_("Add a person"))
new = _person_form("people_add", {}, _("Add person"))
if new is not None and (person := _write(add_person, values=new)) is not None:
    st.success(_("Added {name}.", name=_safe.md(person.display_name)))

if chosen is None:
    st.stop()
name = _safe.md(_tables.person_name(chosen))
st.header(name)
current = _ui.query(person_fields, scope=scope, person_id=int(chosen))
edited = _person_form("people_edit", current, _("Save changes"))
if edited is not None and (person := _write(edit_person, person_id=int(chosen), values=edited)) is not None:
    st.success(_("Saved {name}.", name=_safe.md(person.display_name)))

st.subheader(_("Link an account"))
accounts = _ui.query(admin_snapshot, scope=scope).accounts
if accounts.empty:
    st.info(_("No accounts yet. Create one on the Admin page."))
else:
    roles = dict(zip(accounts["username"], accounts["role"], strict=True))
    with st.form("people_link"):
        username = st.selectbox(_("Account"), list(roles), key="people_account")
        if st.form_submit_button(_("Link the account to {name}", name=name)) and _write(
            set_role, username=username, role=roles[username], person_id=int(chosen)
        ):
            st.success(_("Account {username} is now {name}'s.", username=_safe.md(username), name=name))

_contracts.section(ident, scope, person_id=int(chosen), name=name)
_merge.section(ident, scope, person_id=int(chosen), people=people.index.tolist())
_hours_pay.section(ident, scope, person_id=int(chosen), name=name)
