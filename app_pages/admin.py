"""Admin: accounts and roles, correction requests, locked pay periods, editable settings, the audit log, the legal
reference data (minimum wages, dated parameters, employers' weeks: app_pages/_reference.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import streamlit as st
from sqlalchemy.orm import Session

from analytics.admin import admin_snapshot
from analytics.scope import Scope
from app_pages import _ui
from app_pages._reference import reference_section
from data.identity import Identity
from services.accounts import ACCOUNT_ROLES, create_account, set_active, set_password, set_role, unlock
from services.corrections import answer_correction
from services.pay_periods import lock_pay_period, unlock_pay_period
from services.settings import save_setting

ident = _ui.require("manager")
snap = _ui.query(admin_snapshot, scope=Scope(viewer=ident).for_role())
st.title("Admin")
_ = _ui.translator()
tabs = st.tabs(["Accounts", "Correction requests", "Pay periods", "Settings", "Audit log", _("Reference data")])


def _do(service: Callable[..., object], *, success: str, **kwargs: Any) -> None:
    if _ui.try_write(service, ident, **kwargs):
        st.success(success)
        st.rerun()


def _change_account(session: Session, actor: Identity, *, username: str, role: str, password: str, status: str) -> None:
    # One form, one transaction: a refused password must not leave the role changed.
    if role != "(keep)":
        set_role(session, actor, username=username, role=role)
    if password:
        set_password(session, actor, username=username, password=password)
    if status in ("activate", "deactivate"):
        set_active(session, actor, username=username, active=status == "activate")
    elif status == "unlock":
        unlock(session, actor, username=username)


with tabs[0]:
    _ui.table(snap.accounts, "accounts", empty="No accounts yet. Create the first one below.")
    with st.form("new_account", clear_on_submit=True):
        st.markdown("**Create an account**")
        c = st.columns(5)
        username = c[0].text_input("Username", key="acc_username")
        role = c[1].selectbox("Role", ACCOUNT_ROLES, key="acc_role")
        person = c[2].number_input("Person id (artists)", min_value=0, step=1, key="acc_person")
        password = c[3].text_input("Initial password", type="password", key="acc_password")
        email = c[4].text_input("Identity-provider email (single sign-on)", key="acc_oidc_email")
        if st.form_submit_button("Create account"):
            _do(create_account, username=username, password=password or None, role=role,
                person_id=int(person) or None, oidc_email=email or None,
                success=f"Created {role} account {username}.")  # fmt: skip
    if not snap.accounts.empty:
        with st.form("edit_account", clear_on_submit=True):
            st.markdown("**Change an account**")
            c = st.columns(4)
            who = c[0].selectbox("Account", snap.accounts["username"].tolist(), key="edit_username")
            new_role = c[1].selectbox("Role", ("(keep)", *ACCOUNT_ROLES), key="edit_role")
            new_password = c[2].text_input("New password", type="password", key="edit_password")
            action = c[3].selectbox("Status", ("(keep)", "activate", "deactivate", "unlock"), key="edit_status")
            if st.form_submit_button("Apply"):
                _do(_change_account, username=who, role=new_role, password=new_password, status=action,
                    success=f"Updated {who}.")  # fmt: skip

with tabs[1]:
    requests = snap.requests
    _ui.table(requests, "correction_requests", empty="No correction requests. Artists send them from My record.")
    open_ids = requests.loc[requests["status"] == "open", "id"].tolist() if not requests.empty else []
    if open_ids:
        with st.form("answer", clear_on_submit=True):
            rid = st.selectbox("Request", open_ids, key="ans_id",
                               format_func=lambda i: f"#{i}: {requests.set_index('id').at[i, 'subject']}")  # fmt: skip
            response = st.text_area("Answer", key="ans_text")
            close = st.checkbox("Close the request", key="ans_close")
            if st.form_submit_button("Send answer"):
                _do(answer_correction, request_id=int(rid), response=response,
                    status="closed" if close else "answered", success="Answer sent.")  # fmt: skip

with tabs[2]:
    _ui.table(snap.locks, "pay_period_locks", empty="No pay period is locked. Lock one below once payroll closes.")
    with st.form("lock"):
        today = dt.date.today()
        first = today.replace(day=1)
        last_month_end = first - dt.timedelta(days=1)
        c = st.columns(2)
        start = c[0].date_input("Period start", value=last_month_end.replace(day=1), key="lock_start")
        end = c[1].date_input("Period end", value=last_month_end, key="lock_end")
        if st.form_submit_button("Lock pay period"):
            _do(lock_pay_period, start=start, end=end, success=f"Locked {start} – {end}.")
    if not snap.locks.empty:
        with st.form("unlock"):
            lid = st.selectbox("Locked period", snap.locks["id"].tolist(), key="unlock_id",
                               format_func=lambda i: "{} – {}".format(*snap.locks.set_index("id").loc[i, ["period_start", "period_end"]]))  # fmt: skip
            if st.form_submit_button("Unlock"):
                _do(unlock_pay_period, lock_id=int(lid), success="Unlocked.")

with tabs[3]:
    st.dataframe(snap.settings, hide_index=True, width="stretch")
    editable = snap.settings[snap.settings["editable"]]
    with st.form("setting"):
        key = st.selectbox("Setting", editable["key"].tolist(), key="set_key")
        value = st.text_input("New value", key="set_value")
        st.caption("An environment variable, when set, still wins over the value saved here.")
        if st.form_submit_button("Save setting"):
            _do(save_setting, key=key, raw=value, success=f"Saved {key}.")

with tabs[4]:
    _ui.table(snap.audit, "audit_log", empty="No audited changes yet.")

with tabs[5]:
    reference_section(ident)
