"""Sign-in and sign-out."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, delete, get, post

from api.deps import principal_of
from api.pages.services import web_of


class SignIn(msgspec.Struct, forbid_unknown_fields=True):
    username: str
    password: str


class Session(msgspec.Struct):
    token: str
    expires_at: str
    username: str
    role: str
    depositor_id: str | None


class Me(msgspec.Struct):
    user_id: str
    username: str
    role: str
    depositor_id: str | None


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @post("/sessions", exclude_from_auth=True, sync_to_thread=True, status_code=201)
    def sign_in(self, request: Request[Any, Any, Any], data: SignIn) -> Session:
        """Exchanges a username and password for a bearer token (12 h by default)."""
        # The same lock, throttle and sign-in log as the pages (ledger/application/
        # web_security.py): the API is no side door for guessing passwords.
        client = request.client.host if request.client else "unknown"
        token, expires, principal = web_of(request).sign_ins.sign_in(
            data.username, data.password, client)
        return Session(token=token, expires_at=expires.isoformat(), username=principal.username,
                       role=principal.role.value, depositor_id=principal.depositor_id)

    @delete("/sessions/current", sync_to_thread=True, status_code=204)
    def sign_out(self, request: Request[Any, Any, Any]) -> None:
        """Ends this session at once."""
        client = request.client.host if request.client else "unknown"
        web_of(request).sign_ins.sign_out(str(request.auth), principal_of(request), client)

    @get("/me", sync_to_thread=False)
    def me(self, request: Request[Any, Any, Any]) -> Me:
        p = principal_of(request)
        return Me(user_id=p.user_id, username=p.username, role=p.role.value,
                  depositor_id=p.depositor_id)
