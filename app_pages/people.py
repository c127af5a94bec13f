"""People: find a person by any spelling, add or correct them, link an account to them, and log their hours and pay
by hand, for managers. Every write goes through services (role check, the importer's checks, audit, rollups)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from analytics.admin import admin_snapshot
from analytics.people import find_people, person_entries, person_fields
from analytics.queries.productions import filter_options
from analytics.scope import Scope
from app_pages import _format, _labels, _safe, _tables, _ui
from data.errors import EndrollError
from data.schema import PAY_BASES, VISIBILITY
from services.accounts import set_role
from services.people import add_person, edit_person
from services.work_records import add_pay_item, add_work_log, delete_pay_item, delete_work_log

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
search = st.text_input(_("Find a person"), placeholder=_("Any spelling: kanji, kana, romaji, pen name or alias"),
                       key="people_find", on_change=lambda: st.session_state.pop("people_person", None))  # fmt: skip
ids = _ui.query(find_people, scope=scope, text=search) if search.strip() else people.index.tolist()
counts = st.columns(2)
counts[0].metric(_("People on record"), f"{len(people):,}")
if search.strip():
    counts[1].metric(_("Found by that spelling"), f"{len(ids):,}")
if search.strip() and not ids:
    st.info(_("Nobody is known by that spelling. Add them below."))
labels = {pid: _tables.person_name(pid) for pid in ids}
chosen = st.selectbox(_("Person"), ids, index=0 if search.strip() and ids else None, format_func=labels.get,
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


def _effect(change: Any) -> None:
    for before, after in change.months:
        st.success(_("{name}, {month}: {before_h} → {after_h} worked, pay {before_pay} → {after_pay}.", name=name,
                     month=_format.month(before.month, _ui.language()), before_h=_format.hours(before.seconds / 3600),
                     after_h=_format.hours(after.seconds / 3600), before_pay=_format.money(before.pay_amount, before.currency),
                     after_pay=_format.money(after.pay_amount, after.currency)))  # fmt: skip


st.subheader(_("Hours and pay"))
titles = [""] + _ui.query(filter_options).query("kind == 'production'")["title"].tolist()
with st.form("people_hours"):
    c = st.columns(4)
    day = c[0].date_input(_("Date"), value=dt.date.today(), key="hours_date")
    start, end = (
        c[1].text_input(_("Start (HH:MM)"), key="hours_start"),
        c[2].text_input(_("End (HH:MM)"), key="hours_end"),
    )
    brk = c[3].text_input(_("Break (minutes)"), key="hours_break")
    c = st.columns(4)
    minutes = c[0].text_input(_("Minutes worked (without start and end)"), key="hours_minutes")
    production = c[1].selectbox(_("Production"), titles, key="hours_production")
    role, task = c[2].text_input(_("Role"), key="hours_role"), c[3].text_input(_("Task"), key="hours_task")
    if st.form_submit_button(_("Log the hours")):
        cells = {"work_date": day.isoformat(), "start_time": start, "end_time": end, "break_minutes": brk,
                 "minutes": minutes, "production": production, "role": role, "task": task}  # fmt: skip
        if (change := _write(add_work_log, person_id=int(chosen), cells=cells)) is not None:
            _effect(change)
with st.form("people_pay"):
    c = st.columns(4)
    basis = c[0].selectbox(_("Pay basis"), PAY_BASES, format_func=lambda b: _labels.value_label("basis", b, _),
                           key="pay_basis")  # fmt: skip
    amount = c[1].text_input(_("Amount"), key="pay_amount")
    first = dt.date.today().replace(day=1)
    p_start = c[2].date_input(_("Period start"), value=first, key="pay_start")
    p_end = c[3].date_input(_("Period end"), value=dt.date.today(), key="pay_end")
    c = st.columns(3)
    pay_production = c[0].selectbox(_("Production"), titles, key="pay_production")
    units, rate = c[1].text_input(_("Units"), key="pay_units"), c[2].text_input(_("Unit rate"), key="pay_rate")
    if st.form_submit_button(_("Record the pay item")):
        cells = {"basis": basis, "amount": amount, "period_start": p_start.isoformat(), "period_end": p_end.isoformat(),
                 "production": pay_production, "units": units, "unit_rate": rate}  # fmt: skip
        if (change := _write(add_pay_item, person_id=int(chosen), cells=cells)) is not None:
            _effect(change)

logs, pay = _ui.query(person_entries, scope=scope, person_id=int(chosen))
entries = {("work_log", int(r.entry_id)): _("Hours {date}: {hours} {production}", date=_format.date(r.work_date),
           hours=_format.hours(r.seconds / 3600), production=r.production or "") for r in logs.head(200).itertuples()}  # fmt: skip
entries |= {("pay_item", int(r.entry_id)): _("Pay {date}: {amount} {production}", date=_format.date(r.period_end),
            amount=_format.money(r.amount, r.currency), production=r.production or "")
            for r in pay.head(200).itertuples()}  # fmt: skip
if entries:
    with st.form("people_delete"):
        which = st.selectbox(_("Entry"), list(entries), format_func=entries.get, key="entry_delete")
        if st.form_submit_button(_("Delete the entry")):
            delete, id_key = ((delete_work_log, "work_log_id") if which[0] == "work_log"
                              else (delete_pay_item, "pay_item_id"))  # fmt: skip
            if (change := _write(delete, **{id_key: which[1]})) is not None:
                _effect(change)
