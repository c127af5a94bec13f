"""A tiny OpenID Connect provider for the browser suite: discovery, authorize (auto-approve), token (RS256 id_token),
JWKS, userinfo and end-session. Starlette + joserfc, both already installed with ``streamlit[auth]``.

The user it signs in is set by the test through ``POST /test/user`` (JSON claims), so one provider serves several
identities. Never for production: it approves everyone.
"""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any
from urllib.parse import urlencode

import uvicorn
from joserfc import jwt
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

CLIENT_ID = "endroll-test"
CLIENT_SECRET = "endroll-test-secret"


class MockProvider:
    def __init__(self, port: int) -> None:
        self.port = port
        self.issuer = f"http://127.0.0.1:{port}"
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"})
        self.claims: dict[str, Any] = {"sub": "u1", "email": "someone@example.org", "name": "Someone"}
        self.codes: dict[str, dict[str, Any]] = {}
        self.server: uvicorn.Server | None = None
        self.app = Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self.discovery),
                Route("/authorize", self.authorize),
                Route("/token", self.token, methods=["POST"]),
                Route("/jwks", self.jwks),
                Route("/userinfo", self.userinfo),
                Route("/logout", self.logout),
                Route("/test/user", self.set_user, methods=["POST"]),
            ]
        )

    async def discovery(self, request: Request) -> Response:
        base = self.issuer
        return JSONResponse(
            {
                "issuer": base,
                "authorization_endpoint": f"{base}/authorize",
                "token_endpoint": f"{base}/token",
                "jwks_uri": f"{base}/jwks",
                "userinfo_endpoint": f"{base}/userinfo",
                "end_session_endpoint": f"{base}/logout",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "email", "profile"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                "claims_supported": ["sub", "email", "name", "role"],
            }
        )

    async def authorize(self, request: Request) -> Response:
        params = request.query_params
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"nonce": params.get("nonce"), "claims": dict(self.claims)}
        query = urlencode({"code": code, "state": params.get("state", "")})
        return RedirectResponse(f"{params['redirect_uri']}?{query}", status_code=302)

    async def token(self, request: Request) -> Response:
        form = await request.form()
        grant = self.codes.pop(str(form.get("code")), None)
        if grant is None:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "iat": now, "exp": now + 600, **grant["claims"]}
        if grant["nonce"]:
            claims["nonce"] = grant["nonce"]
        id_token = jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, self.key)
        return JSONResponse(
            {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 600, "id_token": id_token}
        )

    async def jwks(self, request: Request) -> Response:
        return JSONResponse({"keys": [self.key.as_dict(private=False)]})

    async def userinfo(self, request: Request) -> Response:
        return JSONResponse(self.claims)

    async def logout(self, request: Request) -> Response:
        target = request.query_params.get("post_logout_redirect_uri")
        return RedirectResponse(target, status_code=302) if target else Response("signed out")

    async def set_user(self, request: Request) -> Response:
        self.claims = {"sub": secrets.token_hex(4), **(await request.json())}
        return JSONResponse({"ok": True})

    def start(self) -> None:
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        threading.Thread(target=self.server.run, daemon=True).start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the mock OIDC provider did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.server is not None:
            self.server.should_exit = True

    def secrets_toml(self, app_port: int) -> str:
        return (
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_hex(32)}"\n'
            f'client_id = "{CLIENT_ID}"\n'
            f'client_secret = "{CLIENT_SECRET}"\n'
            f'server_metadata_url = "{self.issuer}/.well-known/openid-configuration"\n'
        )
