"""An Outcome as an HTTP response; a replayed answer says so in a header."""

from __future__ import annotations

from typing import Any

from litestar import Response

from ledger.application.idempotency import Outcome


def respond(outcome: Outcome) -> Response[dict[str, Any]]:
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else {}
    return Response(outcome.body, status_code=outcome.status_code, headers=headers)
