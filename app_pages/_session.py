"""The browser side of a sign-in session: the cookie that survives a reload, and who the client is.

A page cannot set an HttpOnly cookie, so after a sign-in it sends the browser to ``/endroll/session`` with a
one-time code; that route (``server.py``) sets the cookie and sends it back. Those routes exist only when the app
runs through ``server.py`` (``scripts/start.sh`` does); under ``streamlit run app.py`` or AppTest a sign-in lasts as
long as the page's session, as before.
"""

from __future__ import annotations

from urllib.parse import quote

import streamlit as st
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner import get_script_run_ctx

from services import sessions

SESSION_ID_KEY = "sign_in_session_id"


def routes_mounted() -> bool:
    """True when ``server.py`` serves the cookie routes in this process."""
    return sessions.COOKIE_ROUTES


def client() -> str:
    """What the sign-in throttle counts failures against: the browser's address (None on this machine)."""
    return str(getattr(st.context, "ip_address", None) or "local")


def cookie_token() -> str | None:
    """The session token the browser sent (HttpOnly: the page never shows it), or None."""
    try:
        token = st.context.cookies.get(sessions.COOKIE)
    except (AttributeError, RuntimeError):  # no browser request behind this run
        return None
    return token if isinstance(token, str) else None  # AppTest answers with a stand-in object


def _base() -> str:
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def redirect(path: str) -> None:
    """Send the browser to ``path`` on this server (how st.login sends it to the identity provider)."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    message = ForwardMsg()
    message.auth_redirect.url = _base() + path
    ctx.enqueue(message)


def keep_signed_in(handoff_code: str) -> bool:
    """After a sign-in: let the browser exchange ``handoff_code`` for its session cookie, when the routes exist.

    True when the browser was sent away: the caller must then end the run (``st.stop``), not rerun it, because a new
    run clears the messages not yet delivered, the redirect among them.
    """
    if not routes_mounted():
        return False
    redirect(f"{sessions.HANDOFF_PATH}?code={quote(handoff_code)}")
    return True


def forget_cookie() -> bool:
    """After a sign-out: let the browser drop its session cookie, when the routes exist (True: end the run)."""
    if not routes_mounted():
        return False
    redirect(sessions.SIGN_OUT_PATH)
    return True
