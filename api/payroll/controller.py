"""The weekly payroll file."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, post
from litestar.concurrency import sync_to_thread

from api.deps import ledger_of, principal_of
from api.errors import language
from api.guards import requires_payroll_officer
from api.respond import respond
from ledger.application.idempotency import IdempotentRequest, check_key, fingerprint
from ledger.domain.actor import Channel


class PayrollController(Controller):
    path = "/payroll"
    tags = ["payroll"]

    @post("/imports", guards=[requires_payroll_officer])
    async def import_file(self, request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
        """Imports a payroll CSV (body as text/csv); answers with each line's result."""
        data = await request.body()
        principal = principal_of(request)
        idem = IdempotentRequest(
            scope=principal.user_id, key=check_key(request.headers.get("idempotency-key")),
            fingerprint=fingerprint("POST", request.url.path, data.hex()),
        )
        ledger = ledger_of(request)
        outcome = await sync_to_thread(
            ledger.payroll.import_file, data, principal.actor(Channel.BATCH), idem,
            language(request))
        return respond(outcome)
