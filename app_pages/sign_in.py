"""Sign in: local accounts (argon2) or the studio's identity provider (st.login), per the auth_mode setting.

Never shows a password: a new deployment's first manager is created from the command line (docs/security.md), and
the demo's generated passwords are printed once to the terminal that loaded it."""

from __future__ import annotations

import streamlit as st

from app_pages import _session, _ui
from data import settings
from data.engine import session_scope
from data.errors import EndrollError
from services.sessions import start_session
from services.sign_in import sign_in

_ = _ui.translator()

st.title("Endroll")
st.caption(_("Labor and credits, made visible. Sign in to continue."))
if st.session_state.pop("session_ended", False):
    st.info(_("Your session has ended: you signed out elsewhere, or a manager changed your account. Sign in again."))

if settings.get("auth_mode") == "oidc":
    if error := st.session_state.pop("oidc_error", None):
        st.error(error)
        st.button(_("Sign out of the identity provider"), on_click=st.logout, key="oidc_logout")
    else:
        st.button(_("Sign in with the studio account"), on_click=st.login, icon=":material/login:", key="oidc_login")
    st.stop()

with st.form("sign_in"):
    username = st.text_input(_("Username"), key="username", autocomplete="username")
    password = st.text_input(_("Password"), type="password", key="password", autocomplete="current-password")
    submitted = st.form_submit_button(_("Sign in"), type="primary")

if submitted:
    try:
        with session_scope(_ui.engine()) as session:
            ident = sign_in(session, username=username, password=password, client=_session.client())
            started = start_session(session, account_id=ident.account_id)
    except EndrollError as exc:
        st.error(exc.message("page", translate=_))
    else:
        st.session_state.pop("password", None)
        st.session_state[_ui.IDENTITY_KEY] = ident
        if started is not None:  # None: the database is busy; this page's session still counts as signed in
            st.session_state[_session.SESSION_ID_KEY] = started.session_id
            if _session.keep_signed_in(started.handoff_code):
                st.stop()  # the browser comes back from the hand-off with its cookie and a fresh run
        st.rerun()
