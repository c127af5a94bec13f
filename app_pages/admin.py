"""Admin: accounts and roles, correction requests, locked pay periods, editable settings, the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import streamlit as st

from analytics.admin import admin_snapshot
from analytics.scope import Scope
from app_pages import _ui
from data.accounts import AccountError, create_account, set_active, set_password, set_role, unlock
from data.corrections import answer_correction
from data.pay_periods import lock_pay_period, unlock_pay_period
from data.schema import ACCOUNT_ROLES
from data.setting_values import save_setting

ident = _ui.require("manager")
snap = _ui.query(admin_snapshot, scope=Scope(viewer=ident).for_role())
st.title("Admin")
tabs = st.tabs(["Accounts", "Correction requests", "Pay periods", "Settings", "Audit log"])


def _do(action: Callable[..., object], *args: object, success: str, **kwargs: object) -> None:
    try:
        _ui.write(action, *args, **kwargs)
    except (AccountError, ValueError, LookupError, PermissionError) as exc:
        _ui.show_error(exc, "correct the input and try again.")
    else:
        st.success(success)
        st.rerun()


with tabs[0]:
    _ui.table(snap.accounts, "accounts", empty="No accounts yet. Create the first one below.")
    with st.form("new_account", clear_on_submit=True):
        st.markdown("**Create an account**")
        c = st.columns(4)
        username = c[0].text_input("Username", key="acc_username")
        role = c[1].selectbox("Role", ACCOUNT_ROLES, key="acc_role")
        person = c[2].number_input("Person id (artists)", min_value=0, step=1, key="acc_person")
        password = c[3].text_input("Initial password", type="password", key="acc_password")
        if st.form_submit_button("Create account"):
            _do(create_account, username, password or None, role, person_id=int(person) or None,
                actor=ident.username, success=f"Created {role} account {username}.")  # fmt: skip
    if not snap.accounts.empty:
        with st.form("edit_account", clear_on_submit=True):
            st.markdown("**Change an account**")
            c = st.columns(4)
            who = c[0].selectbox("Account", snap.accounts["username"].tolist(), key="edit_username")
            new_role = c[1].selectbox("Role", ("(keep)", *ACCOUNT_ROLES), key="edit_role")
            new_password = c[2].text_input("New password", type="password", key="edit_password")
            action = c[3].selectbox("Status", ("(keep)", "activate", "deactivate", "unlock"), key="edit_status")
            if st.form_submit_button("Apply"):
                try:
                    if new_role != "(keep)":
                        _ui.write(set_role, who, new_role, actor=ident.username)
                    if new_password:
                        _ui.write(set_password, who, new_password, actor=ident.username)
                    if action in ("activate", "deactivate"):
                        _ui.write(set_active, who, action == "activate", actor=ident.username)
                    elif action == "unlock":
                        _ui.write(unlock, who, actor=ident.username)
                except (AccountError, ValueError) as exc:
                    _ui.show_error(exc, "correct the input and try again.")
                else:
                    st.success(f"Updated {who}.")
                    st.rerun()

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
                _do(answer_correction, ident, int(rid), response=response, status="closed" if close else "answered",
                    success="Answer sent.")  # fmt: skip

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
            _do(lock_pay_period, ident, start=start, end=end, success=f"Locked {start} – {end}.")
    if not snap.locks.empty:
        with st.form("unlock"):
            lid = st.selectbox("Locked period", snap.locks["id"].tolist(), key="unlock_id",
                               format_func=lambda i: "{} – {}".format(*snap.locks.set_index("id").loc[i, ["period_start", "period_end"]]))  # fmt: skip
            if st.form_submit_button("Unlock"):
                _do(unlock_pay_period, ident, int(lid), success="Unlocked.")

with tabs[3]:
    st.dataframe(snap.settings, hide_index=True, width="stretch")
    editable = snap.settings[snap.settings["editable"]]
    with st.form("setting"):
        key = st.selectbox("Setting", editable["key"].tolist(), key="set_key")
        value = st.text_input("New value", key="set_value")
        st.caption("An environment variable, when set, still wins over the value saved here.")
        if st.form_submit_button("Save setting"):
            _do(save_setting, ident, key, value, success=f"Saved {key}.")

with tabs[4]:
    _ui.table(snap.audit, "audit_log", empty="No audited changes yet.")
