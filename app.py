"""Endroll dashboard: ``streamlit run app.py``.

Resolves who is signed in, registers only the pages that person's role may open (``st.navigation``) and runs the
chosen page. Pages live in ``app_pages/``; every query they make is scoped by the identity as well, so the
navigation is a convenience, not the protection.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app_pages import _safe, _ui
from data import settings
from data.engine import DatabaseError, session_scope
from data.errors import EndrollError
from data.identity import Identity
from services.sign_in import identity_for_oidc

ROOT = Path(__file__).resolve().parent

# (file, title, icon) per role; a file another part of Endroll has not delivered yet is left out.
PAGES: dict[str, list[tuple[str, str, str]]] = {
    "manager": [
        ("app_pages/overview.py", "Overview", ":material/dashboard:"),
        ("app_pages/workload.py", "Workload", ":material/schedule:"),
        ("app_pages/pay.py", "Pay", ":material/payments:"),
        ("app_pages/ai_use.py", "AI use", ":material/smart_toy:"),
        ("app_pages/credits.py", "Credits", ":material/movie:"),
        ("app_pages/import_data.py", "Import", ":material/upload_file:"),
        ("app_pages/generation.py", "Generation", ":material/image:"),
        ("app_pages/advocate.py", "Aggregates", ":material/groups:"),
        ("app_pages/admin.py", "Admin", ":material/admin_panel_settings:"),
    ],
    "advocate": [
        ("app_pages/advocate.py", "Aggregates", ":material/groups:"),
    ],
    "artist": [
        ("app_pages/my_record.py", "My record", ":material/badge:"),
    ],
}
SIGN_IN = ("app_pages/sign_in.py", "Sign in", ":material/login:")


def pages_for(role: str | None) -> list[st.Page]:
    specs = PAGES.get(role, []) if role else [SIGN_IN]
    pages = [
        st.Page(path, title=title, icon=icon, default=(i == 0))
        for i, (path, title, icon) in enumerate(s for s in specs if (ROOT / s[0]).exists())
    ]
    return pages or [st.Page(SIGN_IN[0], title=SIGN_IN[1], icon=SIGN_IN[2], default=True)]


def resolve_identity() -> None:
    """Fill ``st.session_state.identity`` from the identity provider when sign-in goes through OIDC."""
    if settings.get("auth_mode") != "oidc" or st.session_state.get(_ui.IDENTITY_KEY) is not None:
        return
    if not st.user.get("is_logged_in", False):
        return
    try:
        with session_scope(_ui.engine()) as session:
            st.session_state[_ui.IDENTITY_KEY] = identity_for_oidc(
                session, claims=st.user.to_dict(), role_claim=settings.get("oidc_role_claim")
            )
    except EndrollError as exc:
        st.session_state["oidc_error"] = _safe.error(exc)


def sidebar(ident: Identity) -> None:
    with st.sidebar:
        st.caption(f"Signed in as **{_safe.md(ident.display_name or ident.username)}** · {ident.role}")
        if st.button("Sign out", icon=":material/logout:", key="sign_out"):
            st.session_state.clear()
            _ui.clear_cache()
            if ident.via == "oidc":
                st.logout()
            st.rerun()


def main() -> None:
    st.set_page_config(page_title="Endroll", page_icon=":material/movie:", layout="wide")
    try:
        _ui.engine()
    except DatabaseError as exc:
        st.error(
            f"{_safe.message(exc)}. Check DATABASE_URL (see README, Settings) and that the database server is running."
        )
        st.stop()
    resolve_identity()
    ident = _ui.identity()
    navigation = st.navigation(pages_for(ident.role if ident else None))
    if ident is not None:
        sidebar(ident)
    navigation.run()


main()
