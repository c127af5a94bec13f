"""Admin: accounts and roles, correction requests, locked pay periods, editable settings, the audit log, the legal
reference data (minimum wages, dated parameters, employers' weeks: app_pages/_reference.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import streamlit as st
from sqlalchemy.orm import Session

from analytics.admin import admin_snapshot
from analytics.anonymized import K_FLOOR, K_FLOOR_REASON
from analytics.scope import Scope
from app_pages import _format, _labels, _safe, _tables, _ui
from app_pages._reference import reference_section
from data.i18n import N_
from data.identity import Identity
from services.accounts import ACCOUNT_ROLES, create_account, set_active, set_password, set_role, unlock
from services.corrections import answer_correction
from services.pay_periods import lock_pay_period, unlock_pay_period
from services.preferences import resolve_pen_name
from services.settings import save_setting

_ = _ui.translator()
ident = _ui.require("manager")
_ = _ui.translator()
snap = _ui.query(admin_snapshot, scope=Scope(viewer=ident).for_role())
st.title(_("Admin"))
tabs = st.tabs([_("Accounts"), _("Correction requests"), _("Pay periods"), _("Settings"), _("Audit log"),
                _("Reference data")])  # fmt: skip


def _do(service: Callable[..., object], *, success: str, **kwargs: Any) -> None:
    if _ui.try_write(service, ident, **kwargs):
        st.success(success)
        st.rerun()


KEEP = "(keep)"  # a choice meaning "leave as it is", shown in the reader's words
STATUS = {KEEP: N_("(keep)"), "activate": N_("activate"), "deactivate": N_("deactivate"), "unlock": N_("unlock")}


def _change_account(session: Session, actor: Identity, *, username: str, role: str, password: str, status: str) -> None:
    # One form, one transaction: a refused password must not leave the role changed.
    if role != KEEP:
        set_role(session, actor, username=username, role=role)
    if password:
        set_password(session, actor, username=username, password=password)
    if status in ("activate", "deactivate"):
        set_active(session, actor, username=username, active=status == "activate")
    elif status == "unlock":
        unlock(session, actor, username=username)


with tabs[0]:
    _tables.table(snap.accounts, "accounts", empty=_("No accounts yet. Create the first one below."),
                  codes={"role": "account_role"}, hide=("person_id",), headers={"role": _("Account role")})  # fmt: skip
    with st.form("new_account", clear_on_submit=True):
        st.markdown("**" + _("Create an account") + "**")
        c = st.columns(5)
        username = c[0].text_input(_("Username"), key="acc_username")
        role = c[1].selectbox(_("Account role"), ACCOUNT_ROLES, key="acc_role",
                              format_func=lambda r: _labels.value_label("account_role", r, _))  # fmt: skip
        person = c[2].number_input(_("Person id (artists)"), min_value=0, step=1, key="acc_person")
        password = c[3].text_input(_("Initial password"), type="password", key="acc_password")
        email = c[4].text_input(_("Identity-provider email (single sign-on)"), key="acc_oidc_email")
        if st.form_submit_button(_("Create account")):
            _do(create_account, username=username, password=password or None, role=role,
                person_id=int(person) or None, oidc_email=email or None,
                success=_("Created {role} account {username}.", role=_labels.value_label("account_role", role, _),
                          username=_safe.md(username)))  # fmt: skip
    if not snap.accounts.empty:
        with st.form("edit_account", clear_on_submit=True):
            st.markdown("**" + _("Change an account") + "**")
            c = st.columns(4)
            who = c[0].selectbox(_("Account"), snap.accounts["username"].tolist(), key="edit_username")
            new_role = c[1].selectbox(_("Account role"), (KEEP, *ACCOUNT_ROLES), key="edit_role",
                                      format_func=lambda r: _(STATUS[KEEP]) if r == KEEP else
                                      _labels.value_label("account_role", r, _))  # fmt: skip
            new_password = c[2].text_input(_("New password"), type="password", key="edit_password")
            action = c[3].selectbox(_("Status"), tuple(STATUS), key="edit_status", format_func=lambda a: _(STATUS[a]))
            if st.form_submit_button(_("Apply")):
                _do(_change_account, username=who, role=new_role, password=new_password, status=action,
                    success=_("Updated {username}.", username=_safe.md(who)))  # fmt: skip

with tabs[1]:
    requests = snap.requests
    _tables.table(requests, "correction_requests", person="person", codes={"status": "request_status"},
                  empty=_("No correction requests. Artists send them from My record."))  # fmt: skip
    open_ids = requests.loc[requests["status"] == "open", "id"].tolist() if not requests.empty else []
    if open_ids:
        with st.form("answer", clear_on_submit=True):
            rid = st.selectbox(_("Request"), open_ids, key="ans_id",
                               format_func=lambda i: f"#{i}: {requests.set_index('id').at[i, 'subject']}")  # fmt: skip
            response = st.text_area(_("Answer"), key="ans_text")
            close = st.checkbox(_("Close the request"), key="ans_close")
            if st.form_submit_button(_("Send answer")):
                _do(answer_correction, request_id=int(rid), response=response,
                    status="closed" if close else "answered", success=_("Answer sent."))  # fmt: skip
    pen_names = snap.pen_names
    if not pen_names.empty:
        st.markdown(_("**Pen names waiting for approval** (each reads as another person's name)"))
        _tables.table(pen_names, "pen_names", empty="")
        with st.form("pen_name"):
            pid = st.selectbox(_("Pen name"), pen_names["id"].tolist(), key="pen_id",
                               format_func=lambda i: f"#{i}: {pen_names.set_index('id').at[i, 'pen_name']}")  # fmt: skip
            verdict = st.radio(_("Decision"), ("approve", "refuse"), key="pen_verdict", horizontal=True,
                               format_func=lambda v: _("Approve") if v == "approve" else _("Refuse"))  # fmt: skip
            if st.form_submit_button(_("Decide"), key="pen_decide"):
                _do(resolve_pen_name, request_id=int(pid), approve=verdict == "approve", success=_("Decided."))

with tabs[2]:
    _tables.table(snap.locks, "pay_period_locks",
                  empty=_("No pay period is locked. Lock one below once payroll closes."))  # fmt: skip
    with st.form("lock"):
        today = _format.today()
        first = today.replace(day=1)
        last_month_end = first - dt.timedelta(days=1)
        c = st.columns(2)
        start = c[0].date_input(_("Period start"), value=last_month_end.replace(day=1), key="lock_start")
        end = c[1].date_input(_("Period end"), value=last_month_end, key="lock_end")
        if st.form_submit_button(_("Lock pay period")):
            _do(lock_pay_period, start=start, end=end, success=_("Locked {start} – {end}.", start=start, end=end))
    if not snap.locks.empty:
        with st.form("unlock"):
            lid = st.selectbox(_("Locked period"), snap.locks["id"].tolist(), key="unlock_id",
                               format_func=lambda i: "{} – {}".format(*snap.locks.set_index("id").loc[i, ["period_start", "period_end"]]))  # fmt: skip
            if st.form_submit_button(_("Unlock")):
                _do(unlock_pay_period, lock_id=int(lid), success=_("Unlocked."))

with tabs[3]:
    settings_table = snap.settings.assign(help=snap.settings["help"].map(lambda h: _(h) if h else h))
    _tables.table(settings_table, "settings", empty="", codes={"source": "setting_source", "value": None},
                  downloadable=False)  # fmt: skip
    editable = snap.settings[snap.settings["editable"]]
    with st.form("setting"):
        key = st.selectbox(_("Setting"), editable["key"].tolist(), key="set_key")
        value = st.text_input(_("New value"), key="set_value")
        st.caption(_("An environment variable, when set, still wins over the value saved here."))
        st.caption(_("k_anonymity is never under {floor}: {reason} Every change is audited and shown to advocates on "
                     "their page.", floor=K_FLOOR, reason=_(K_FLOOR_REASON)))  # fmt: skip
        if st.form_submit_button(_("Save setting")):
            _do(save_setting, key=key, raw=value, success=_("Saved {key}.", key=key))

with tabs[4]:
    _tables.table(snap.audit, "audit_log", empty=_("No audited changes yet."))

with tabs[5]:
    reference_section(ident)
