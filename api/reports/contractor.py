"""The PPP contractor's settlement and reconciliation (for the contractor, the finance
administrator and the contract inspector): what is owed for a period, the sales ledger's
lines, and the upload of the contractor's own sales file with its comparison, as JSON or
CSV. The file is refused by its announced size before it is read, and while it streams."""

from __future__ import annotations

import hashlib
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.concurrency import sync_to_thread
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import Parameter

from api.deps import ledger_of, principal_of
from api.errors import problem
from api.guards import requires
from api.reports.params import wait_for_of
from ledger.application.idempotency import IdempotentRequest, check_key, fingerprint
from ledger.application.reconciliation import Reconciliations, result_csv
from ledger.application.reconciliation_file import MAX_FILE_BYTES, FileRejected, too_large
from ledger.application.settlement import Settlement, parse_period
from ledger.domain.actor import Role
from projections.sales_ledger import sales_lines

requires_contract_party = requires(Role.CONTRACTOR, Role.FINANCE_ADMIN, Role.CONTRACT_INSPECTOR)
CSV = "text/csv; charset=utf-8"


def file_rejected(request: Request[Any, Any, Any], exc: FileRejected) -> Response[Any]:
    """problem+json with every error found: line, field, code, messages."""
    answer = problem(request, status=exc.status, code=exc.code, title=exc.title,
                     es=exc.messages["es"], en=exc.messages["en"], field=exc.field,
                     extra={"error_count": exc.context["error_count"]})
    answer.content["errors"] = exc.errors
    return answer


async def read_limited(request: Request[Any, Any, Any]) -> bytes:
    """The body, refused (413) once it is known or seen to exceed MAX_FILE_BYTES."""
    announced = request.headers.get("content-length")
    if announced is not None and announced.isdigit() and int(announced) > MAX_FILE_BYTES:
        raise too_large(int(announced))
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_FILE_BYTES:
                raise too_large(None)
    except RequestEntityTooLarge:  # one message larger than the handler's own limit
        raise too_large(None) from None
    return bytes(body)


def _wants_csv(request: Request[Any, Any, Any]) -> bool:
    return "text/csv" in request.headers.get("accept", "")


def _csv(view: dict[str, Any], status: int = 200) -> Response[str]:
    name = f"reconciliation-{view['from']}-{view['to']}-{view['reconciliation_id'][:8]}.csv"
    return Response(result_csv(view), status_code=status, media_type=CSV,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


class ContractorReportsController(Controller):
    path = "/reports/contractor"
    tags = ["reports"]
    guards = [requires_contract_party]  # noqa: RUF012
    exception_handlers = {FileRejected: file_rejected}  # noqa: RUF012

    @get("/settlement", sync_to_thread=True)
    def settlement(self, request: Request[Any, Any, Any], start: str = Parameter(query="from"),
                   end: str = Parameter(query="to"),
                   wait_for: str | None = Parameter(query="wait_for", default=None),
                   ) -> dict[str, Any]:
        """Delivered sales minus refunds for days from..to, by product, sector and
        category, with the contractor payable account's movement it must match."""
        ledger = ledger_of(request)
        return Settlement(ledger.ctx, ledger.read_side).for_period(start, end,
                                                                  wait_for_of(wait_for))

    @get("/sales", sync_to_thread=True)
    def sales(self, request: Request[Any, Any, Any], start: str = Parameter(query="from"),
              end: str = Parameter(query="to")) -> dict[str, Any]:
        """The sales ledger's lines (sales and refunds) booked on days from..to."""
        ledger = ledger_of(request)
        first, last = parse_period(start, end)
        position = ledger.read_side.caught_up("sales_ledger", "latest")
        with ledger.read_side.views.reading() as tx:
            lines = sales_lines(tx, first.isoformat(), last.isoformat())
        return {"from": first.isoformat(), "to": last.isoformat(), "position": position,
                "lines": lines}

    @post("/reconciliations", request_max_body_size=2 * MAX_FILE_BYTES)
    async def reconcile(self, request: Request[Any, Any, Any],
                        start: str = Parameter(query="from"),
                        end: str = Parameter(query="to")) -> Response[Any]:
        """Upload the contractor's sales file (CSV, docs/REPORTS.md) for days from..to:
        answers every line matched or not, as JSON, or CSV with `Accept: text/csv`.
        Needs an Idempotency-Key; a bad file is refused whole and records nothing."""
        key = check_key(request.headers.get("idempotency-key"))
        data = await read_limited(request)
        ledger = ledger_of(request)
        principal = principal_of(request)
        idempotent = IdempotentRequest(
            scope=principal.user_id, key=key,
            fingerprint=fingerprint("POST", f"{request.url.path}?from={start}&to={end}",
                                    {"sha256": hashlib.sha256(data).hexdigest()}))
        service = Reconciliations(ledger.ctx, ledger.read_side)

        def run() -> tuple[Any, dict[str, Any]]:
            outcome = service.upload(data=data, start=start, end=end, actor=principal.actor(),
                                     request=idempotent)
            return outcome, service.result(outcome.body["reconciliation_id"])

        outcome, view = await sync_to_thread(run)
        headers = {"Idempotent-Replayed": "true"} if outcome.replayed else {}
        if _wants_csv(request):
            answer = _csv(view, outcome.status_code)
            answer.headers.update(headers)
            return answer
        return Response(view, status_code=outcome.status_code, headers=headers)

    @get("/reconciliations/{reconciliation_id:str}", sync_to_thread=True)
    def reconciliation(self, request: Request[Any, Any, Any],
                       reconciliation_id: str) -> dict[str, Any]:
        """A recorded reconciliation: who uploaded what, the summary, every row."""
        ledger = ledger_of(request)
        return Reconciliations(ledger.ctx, ledger.read_side).result(reconciliation_id)

    @get("/reconciliations/{reconciliation_id:str}/csv", sync_to_thread=True)
    def reconciliation_csv(self, request: Request[Any, Any, Any],
                           reconciliation_id: str) -> Response[str]:
        """The same, as CSV."""
        ledger = ledger_of(request)
        return _csv(Reconciliations(ledger.ctx, ledger.read_side).result(reconciliation_id))
