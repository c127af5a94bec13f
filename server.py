"""Endroll's web server: ``streamlit run server.py`` (what ``scripts/start.sh`` runs).

The dashboard itself is ``app.py``; this adds the two routes that keep a sign-in across a browser reload (see
:mod:`services.sessions`): ``/endroll/session?code=…`` exchanges a sign-in's one-time code for an HttpOnly,
SameSite=Strict session cookie, and ``/endroll/sign-out`` drops it. Neither route shows anything: both redirect
back to the dashboard.
"""

from __future__ import annotations

import streamlit as st
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from data import settings
from data.engine import get_engine, session_scope
from services import sessions

sessions.COOKIE_ROUTES = True


def _home(request: Request) -> RedirectResponse:
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    response = RedirectResponse(f"/{base}/" if base else "/", status_code=303)
    response.headers["Cache-Control"] = "no-store"
    return response


def keep_session(request: Request) -> RedirectResponse:
    """Set the session cookie for a valid one-time code (an unknown or used code sets nothing), then go home."""
    response = _home(request)
    with session_scope(get_engine()) as session:
        token = sessions.redeem_handoff(session, code=request.query_params.get("code", ""))
    if token:
        response.set_cookie(
            sessions.COOKIE,
            token,
            max_age=int(settings.get("session_hours") * 3600),
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/",
        )
    return response


def sign_out(request: Request) -> RedirectResponse:
    """Revoke the browser's session (the page revoked it already when it could) and drop its cookie."""
    token = request.cookies.get(sessions.COOKIE)
    if token:
        with session_scope(get_engine()) as session:
            sessions.end_session(session, token=token)
    response = _home(request)
    response.delete_cookie(sessions.COOKIE, path="/", httponly=True, samesite="strict")
    return response


app = st.App(
    "app.py",
    routes=[Route(sessions.HANDOFF_PATH, keep_session), Route(sessions.SIGN_OUT_PATH, sign_out)],
)
