"""Sign in: local accounts (argon2) or the studio's identity provider (st.login), per the auth_mode setting."""

from __future__ import annotations

import streamlit as st

from app_pages import _ui
from data import settings
from data.engine import session_scope
from data.errors import EndrollError
from services.sign_in import sign_in

_ = _ui.translator()
st.title("Endroll")
st.caption(_("Labor and credits, made visible. Sign in to continue."))

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
            ident = sign_in(session, username=username, password=password)
    except EndrollError as exc:
        st.error(exc.message("page", translate=_))
    else:
        st.session_state.pop("password", None)
        st.session_state[_ui.IDENTITY_KEY] = ident
        st.rerun()

with st.expander(_("Demo accounts")):
    st.markdown(
        _("The demo studio ships one account per role: {accounts}.",
          accounts="`manager` / `manager-demo`, `advocate` / `advocate-demo`, `artist` / `artist-demo`")
    )  # fmt: skip
