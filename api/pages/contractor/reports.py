"""The contractor's settlement for a period (what the unit owes for the goods delivered,
by product and by sector, checked against the contractor payable account) and the upload
of the contractor's own sales file with its reconciliation table and CSV
(docs/REPORTS.md). The upload is a multipart form under the pages' CSRF check; a refused
file shows every error found next to the file field and records nothing."""

from __future__ import annotations

import hashlib
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.concurrency import sync_to_thread
from litestar.datastructures import UploadFile
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.response import Redirect, Template

from api.pages.contractor.controller import requires_contractor
from api.pages.forms import new_form_key
from api.pages.messages import Translator, language_of
from api.pages.render import render
from api.pages.report_forms import REPORT_EXCEPTION_HANDLERS, period_of
from api.pages.services import web_of
from api.pages.session import form_of
from ledger.application.idempotency import IdempotentRequest, check_key, fingerprint
from ledger.application.reconciliation import STATUSES, Reconciliations, result_csv
from ledger.application.reconciliation_file import MAX_FILE_BYTES, FileRejected
from ledger.application.settlement import Settlement
from ledger.application.users import Principal
from ledger.domain.actor import Channel
from ledger.domain.errors import InvalidInput

# The form's own fields travel with the file; this is room for them, not for a bigger file.
FORM_ROOM_BYTES = 64 * 1024
ROWS_SHOWN = 2000


def settlement_page(request: Request[Any, Any, Any], values: dict[str, str],
                    errors: dict[str, str]) -> Template:
    first, last = period_of(request, values.get("desde"), values.get("hasta"))
    web = web_of(request)
    report = None if errors else Settlement(web.ledger.ctx, web.ledger.read_side).for_period(
        first, last, "latest")
    return render(request, "contractor/settlement.html", report=report, errors=errors,
                  values={"desde": first, "hasta": last},
                  status=422 if errors else 200)


def upload_page(request: Request[Any, Any, Any], values: dict[str, str],
                errors: dict[str, str], file_errors: list[str] | None = None,
                more_errors: int = 0) -> Template:
    first, last = period_of(request, values.get("from"), values.get("to"))
    return render(request, "contractor/reconciliation_upload.html", errors=errors,
                  values={"from": first, "to": last}, file_errors=file_errors or [],
                  more_errors=more_errors, form_key=new_form_key(),
                  max_mib=MAX_FILE_BYTES // (1024 * 1024))


def on_file_rejected(request: Request[Any, Any, Any], error: FileRejected) -> Response[Any]:
    """Every error the file has, next to the file field; nothing was recorded."""
    lang = language_of(request)
    listed = [e["messages"][lang] for e in error.errors if e.get("line") is not None]
    # Beyond the first 200 listed; a refusal of the whole file (size) lists none.
    unlisted = int(error.context["error_count"]) - len(error.errors) if error.errors else 0
    response = upload_page(request, form_of(request), {"file": error.message(lang)},
                           file_errors=listed, more_errors=max(unlisted, 0))
    response.status_code = error.status
    return response


def on_body_too_large(request: Request[Any, Any, Any], _: RequestEntityTooLarge
                      ) -> Response[Any]:
    """The upload passed the size limit (announced, or while it was still arriving)."""
    t = Translator(language_of(request))
    response = upload_page(request, {}, {"file": t("reconcile.too_large",
                                                   mib=MAX_FILE_BYTES // (1024 * 1024))})
    response.status_code = 413
    return response


def _principal(request: Request[Any, Any, Any]) -> Principal:
    return request.scope["user"]  # type: ignore[no-any-return]


def _file_required() -> InvalidInput:
    return InvalidInput("file_required", field="file",
                        es="Elija el archivo CSV de sus ventas del período.",
                        en="Choose the CSV file of your sales for the period.")


def _reconciliation(request: Request[Any, Any, Any], reconciliation_id: str) -> dict[str, Any]:
    ledger = web_of(request).ledger
    return Reconciliations(ledger.ctx, ledger.read_side).result(reconciliation_id)


class ContractorReportPages(Controller):
    path = "/contratista"
    include_in_schema = False
    guards = [requires_contractor]  # noqa: RUF012
    exception_handlers = REPORT_EXCEPTION_HANDLERS  # noqa: RUF012

    @get("/liquidacion", sync_to_thread=True, opt={"get_form": settlement_page})
    def settlement(self, request: Request[Any, Any, Any], desde: str | None = None,
                   hasta: str | None = None) -> Template:
        """What the unit owes for days desde..hasta (default: this month so far), by
        product and by sector, and whether it equals the contractor payable's movement."""
        return settlement_page(request, {"desde": desde or "", "hasta": hasta or ""}, {})

    @get("/conciliacion", sync_to_thread=True)
    def upload_form(self, request: Request[Any, Any, Any], desde: str | None = None,
                    hasta: str | None = None) -> Template:
        """The form to upload the contractor's own sales file for a period."""
        return upload_page(request, {"from": desde or "", "to": hasta or ""}, {})

    @post("/conciliacion", opt={"form": upload_page},
          request_max_body_size=MAX_FILE_BYTES + FORM_ROOM_BYTES,
          exception_handlers={FileRejected: on_file_rejected,
                              RequestEntityTooLarge: on_body_too_large})
    async def upload(self, request: Request[Any, Any, Any]) -> Redirect:
        """Compares the file with the ledger's sales of the period and records the result;
        a double submission records it once (the form's key is the idempotency key)."""
        form = await request.form()
        chosen = form.get("file")
        if not isinstance(chosen, UploadFile) or not chosen.filename:
            raise _file_required()
        data = await chosen.read()
        if not data:
            raise _file_required()
        typed = form_of(request)
        start, end = typed.get("from", "").strip(), typed.get("to", "").strip()
        principal = _principal(request)
        idempotent = IdempotentRequest(
            scope=principal.user_id, key=f"web:{check_key(typed.get('form_key'))}",
            fingerprint=fingerprint("POST", request.url.path, {
                "from": start, "to": end, "sha256": hashlib.sha256(data).hexdigest()}))
        ledger = web_of(request).ledger
        service = Reconciliations(ledger.ctx, ledger.read_side)
        outcome = await sync_to_thread(
            lambda: service.upload(data=data, start=start, end=end,
                                   actor=principal.actor(Channel.WEB), request=idempotent))
        return Redirect(f"/contratista/conciliacion/{outcome.body['reconciliation_id']}",
                        status_code=303)

    @get("/conciliacion/{reconciliation_id:str}", sync_to_thread=True)
    def result(self, request: Request[Any, Any, Any], reconciliation_id: str,
               todas: str | None = None) -> Template:
        """The reconciliation: the summary and the lines that disagree (every line with
        `todas=1`), with the link to the whole table as CSV."""
        view = _reconciliation(request, reconciliation_id)
        every = todas == "1"
        rows = [r for r in view["rows"] if every or r["status"] != "matched"]
        return render(request, "contractor/reconciliation_result.html", view=view,
                      rows=rows[:ROWS_SHOWN], hidden=max(len(rows) - ROWS_SHOWN, 0),
                      every=every, statuses=STATUSES,
                      uploaded_by=web_of(request).admin.username_of(
                          view["uploaded_by"]["user_id"]))

    @get("/conciliacion/{reconciliation_id:str}/csv", sync_to_thread=True)
    def result_as_csv(self, request: Request[Any, Any, Any],
                      reconciliation_id: str) -> Response[str]:
        """Every line of the reconciliation as CSV (the API's columns)."""
        view = _reconciliation(request, reconciliation_id)
        name = f"conciliacion-{view['from']}-{view['to']}-{reconciliation_id[:8]}.csv"
        return Response(result_csv(view), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"',
                                 "Cache-Control": "no-store"})
