"""What handlers receive: the ledger, the principal, and an idempotent-request builder."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request

from ledger.application.bootstrap import Ledger
from ledger.application.idempotency import IdempotentRequest, check_key, fingerprint
from ledger.application.users import Principal


def ledger_of(request: Request[Any, Any, Any]) -> Ledger:
    return request.app.state.ledger  # type: ignore[no-any-return]


def principal_of(request: Request[Any, Any, Any]) -> Principal:
    return request.user  # type: ignore[no-any-return]


def idempotent(request: Request[Any, Any, Any], body: Any) -> IdempotentRequest:
    """Every money-changing request carries an Idempotency-Key, scoped to its sender."""
    key = check_key(request.headers.get("idempotency-key"))
    principal = principal_of(request)
    payload = msgspec.to_builtins(body) if body is not None else None
    # A signed terminal owns its offline queue: a retry after a change of clerk at the same
    # terminal must still find the first answer.
    terminal = getattr(request.state, "terminal_id", None)
    return IdempotentRequest(
        scope=f"terminal:{terminal}" if terminal else principal.user_id,
        key=key,
        fingerprint=fingerprint(request.method, request.url.path, payload),
    )
