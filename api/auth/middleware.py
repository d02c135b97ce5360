"""Bearer-token authentication: the token names a session; the session names the user."""

from __future__ import annotations

from typing import Any

from litestar.concurrency import sync_to_thread
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult


class BearerAuthentication(AbstractAuthenticationMiddleware):
    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise NotAuthorizedException()
        ledger = connection.app.state.ledger
        token = token.strip()
        # A session confirmed moments ago is answered from memory; otherwise a database
        # read, off the event loop, or every other request waits for it.
        principal = ledger.users.recent_principal(token) or \
            await sync_to_thread(ledger.users.principal_for, token)
        if principal is None:
            raise NotAuthorizedException()
        return AuthenticationResult(user=principal, auth=token)
