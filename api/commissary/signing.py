"""A clerk acts only through a terminal the unit trusts: every clerk request on the
commissary routes must carry a valid, fresh, first-seen terminal signature."""

from __future__ import annotations

from typing import Any

from litestar.concurrency import sync_to_thread
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from ledger.application.users import Principal
from ledger.domain.actor import Role


async def requires_signed_terminal_for_clerks(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    principal = connection.user
    if not isinstance(principal, Principal) or principal.role is not Role.CLERK:
        return
    headers = connection.headers
    body = await connection.body() if hasattr(connection, "body") else b""  # type: ignore[attr-defined]
    path = connection.url.path + (f"?{connection.url.query}" if connection.url.query else "")
    ledger = connection.app.state.ledger
    connection.state.terminal_id = await sync_to_thread(
        lambda: ledger.terminals.verify(
            terminal_id=headers.get("x-terminal-id"),
            timestamp=headers.get("x-terminal-timestamp"),
            nonce=headers.get("x-terminal-nonce"),
            signature=headers.get("x-terminal-signature"),
            method=str(connection.scope.get("method", "GET")), path=path, body=body,
        )
    )


def terminal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    return getattr(connection.state, "terminal_id", None)
