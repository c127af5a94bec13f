"""Endroll dashboard: ``streamlit run app.py``.

Resolves who is signed in — and checks it again on every run, so a deactivation, a role change or a password
reset reaches an open browser at its next click —, registers only the pages that person's role may open
(``st.navigation``) and runs the chosen page. Pages live in ``app_pages/``; every query they make is scoped by the
identity as well, so the navigation is a convenience, not the protection. ``server.py`` serves this script with the
routes that keep a sign-in across a reload.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app_pages import _labels, _safe, _session, _ui
from data import settings
from data.engine import DatabaseError, session_scope
from data.errors import EndrollError
from data.identity import Identity
from services.sessions import current_identity, end_session, identity_as_account_is, resume, start_session
from services.sign_in import identity_for_oidc

ROOT = Path(__file__).resolve().parent
# A file of our own: a Material icon as favicon is fetched from Google's font servers by every browser.
FAVICON = str(ROOT / "app_pages" / "assets" / "favicon.png")

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
        ("app_pages/person.py", "Person", ":material/person_search:"),
        ("app_pages/people.py", "People and records", ":material/group_add:"),
        ("app_pages/productions.py", "Productions", ":material/movie_edit:"),
        ("app_pages/name_review.py", "Names to review", ":material/how_to_reg:"),
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
    # Titles are read in the reader's language (marked in app_pages/_ui.PAGE_TITLES); the URLs keep the file names.
    _ = _ui.translator()
    specs = PAGES.get(role, []) if role else [SIGN_IN]
    pages = [
        st.Page(path, title=_(title), icon=icon, default=(i == 0))
        for i, (path, title, icon) in enumerate(s for s in specs if (ROOT / s[0]).exists())
    ]
    return pages or [st.Page(SIGN_IN[0], title=_(SIGN_IN[1]), icon=SIGN_IN[2], default=True)]


def _signed_out(notice: bool) -> None:
    for key in (_ui.IDENTITY_KEY, _session.SESSION_ID_KEY):
        st.session_state.pop(key, None)
    _ui.clear_cache()
    if notice:
        st.session_state["session_ended"] = True


def resolve_identity() -> None:
    """Fill or refresh ``st.session_state.identity``: the session this page opened (checked again on every run), else
    the browser's session cookie (a reload), else the identity provider's user when sign-in goes through OIDC."""
    state = st.session_state
    with session_scope(_ui.engine()) as session:
        session_id = state.get(_session.SESSION_ID_KEY)
        if session_id is not None:
            ident = current_identity(session, session_id=session_id)
            if ident is None:
                _signed_out(notice=True)
            else:
                state[_ui.IDENTITY_KEY] = ident
            return
        if (ident := state.get(_ui.IDENTITY_KEY)) is not None:
            if identity_as_account_is(session, ident) is None:  # signed in while no session row could be written
                _signed_out(notice=True)
            return
        if settings.get("auth_mode") == "oidc":
            if st.user.get("is_logged_in", False):
                try:
                    ident = identity_for_oidc(
                        session,
                        claims=st.user.to_dict(),
                        role_claim=settings.get("oidc_role_claim"),
                        role_issuer=settings.get("oidc_role_issuer"),
                    )
                except EndrollError as exc:
                    state["oidc_error"] = _safe.error(exc, translate=_ui.translator())
                    return
                state[_ui.IDENTITY_KEY] = ident
                if ident.account_id is not None and (
                    started := start_session(session, account_id=ident.account_id, via="oidc")
                ):
                    state[_session.SESSION_ID_KEY] = started.session_id
            return
        resumed = resume(session, token=_session.cookie_token())
        if resumed is not None:
            state[_session.SESSION_ID_KEY], state[_ui.IDENTITY_KEY] = resumed


def sidebar(ident: Identity) -> None:
    _ = _ui.translator()
    with st.sidebar:
        role = _labels.value_label("account_role", ident.role, _)
        st.caption(
            _("Signed in as **{name}** · {role}", name=_safe.md(ident.display_name or ident.username), role=role)
        )
        if st.button(_("Sign out"), icon=":material/logout:", key="sign_out"):
            session_id = st.session_state.get(_session.SESSION_ID_KEY)
            if session_id is not None:
                with session_scope(_ui.engine()) as session:
                    end_session(session, session_id=session_id)
            st.session_state.clear()
            _ui.clear_cache()
            if ident.via == "oidc":
                st.logout()
            elif _session.forget_cookie():
                st.stop()  # the browser comes back from the sign-out route without its cookie
            st.rerun()


def main() -> None:
    st.set_page_config(page_title="Endroll", page_icon=FAVICON, layout="wide")
    try:
        _ui.engine()
    except DatabaseError as exc:
        _ = _ui.translator()
        st.error(_("{error}. Check DATABASE_URL (see README, Settings) and that the database server is running.",
                   error=_safe.error(exc, translate=_)))  # fmt: skip
        st.stop()
    resolve_identity()
    ident = _ui.identity()
    if ident is not None:
        _ui.load_account_language(ident)
    _ui.language_switch()
    # A manager has thirteen pages: Streamlit would fold all past the tenth behind "View 3 more", out of sight.
    navigation = st.navigation(pages_for(ident.role if ident else None), expanded=True)
    if ident is not None:
        sidebar(ident)
    navigation.run()


main()
