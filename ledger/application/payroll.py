"""The weekly payroll file (CSV) — format and rules in docs/API.md#payroll-import.

Rule for a file with bad lines: the file as a whole must be readable (UTF-8, the exact
header, at most MAX_LINES lines), or nothing is paid. Then every line stands alone: a good
line is paid, a bad line is reported with its reason and skipped, a line already paid
(same PPL, employer and period) is reported as such and not paid again. So the corrected
file can be imported again safely: only the lines not yet paid are paid.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from eventsourcing.persistence import IntegrityError

from ledger.application.context import Context
from ledger.application.funds import Funds
from ledger.application.idempotency import IdempotentRequest, Outcome
from ledger.domain.actor import Actor
from ledger.domain.errors import Conflict, InvalidInput, LedgerError
from ledger.domain.idempotency import IdempotencyRecord
from ledger.domain.ids import idempotency_id

HEADER = ["penitentiary_number", "employer", "period", "hours", "gross_minor", "currency"]
MAX_BYTES = 5_000_000
MAX_LINES = 20_000


def _file_error(code: str, es: str, en: str) -> InvalidInput:
    return InvalidInput(code, field="file", es=es, en=en)


def parse_payroll(data: bytes) -> list[dict[str, str]]:
    if len(data) > MAX_BYTES:
        raise _file_error("file_too_large", "El archivo supera los 5 MB.",
                          "The file is larger than 5 MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_error("file_not_utf8", "El archivo no está en UTF-8.",
                          "The file is not UTF-8.") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [c.strip() for c in rows[0]] != HEADER:
        raise _file_error("file_header_invalid",
                          "La primera línea debe ser: " + ",".join(HEADER),
                          "The first line must be: " + ",".join(HEADER))
    body = [r for r in rows[1:] if any(c.strip() for c in r)]
    if not body:
        raise _file_error("file_empty", "El archivo no tiene líneas de pago.",
                          "The file has no payment lines.")
    if len(body) > MAX_LINES:
        raise _file_error("file_too_many_lines", f"Más de {MAX_LINES} líneas.",
                          f"More than {MAX_LINES} lines.")
    return [_line(r) for r in body]


def _line(cells: list[str]) -> dict[str, str]:
    line = dict(zip(HEADER, [c.strip() for c in cells], strict=False))
    return line | {"_width": str(len(cells))}


class Payroll:
    def __init__(self, ctx: Context, funds: Funds) -> None:
        self.ctx = ctx
        self.funds = funds

    def import_file(self, data: bytes, actor: Actor, request: IdempotentRequest | None,
                    language: str = "es") -> Outcome:
        """Pays each good line; reports every line's result."""
        if request is not None:
            previous = self.ctx.store.find(idempotency_id(request.scope, request.key))
            if previous is not None:
                if previous.fingerprint != request.fingerprint:
                    raise Conflict("idempotency_key_reused", field="Idempotency-Key",
                                   es="Esta clave ya se usó con otro archivo.",
                                   en="This key was already used with another file.")
                return Outcome(previous.status_code, previous.response, replayed=True)
        lines = parse_payroll(data)
        results = [self._pay_line(n, line, actor, language) for n, line in enumerate(lines, 2)]
        counts = {s: sum(1 for r in results if r["status"] == s)
                  for s in ("paid", "already_paid", "refused")}
        body = {"lines": results, "counts": counts}
        if request is not None:
            try:
                self.ctx.store.save(IdempotencyRecord.record(
                    idempotency_id(request.scope, request.key), scope=request.scope,
                    key=request.key, fingerprint=request.fingerprint, status_code=200,
                    response=body, at=self.ctx.clock.now()))
            except IntegrityError:
                # A racing upload of the same file under the same key finished first;
                # the wage keys kept every line from being paid twice. Answer as it did.
                return self.import_file(data, actor, request, language)
        return Outcome(200, body)

    def _pay_line(self, number: int, line: dict[str, str], actor: Actor,
                  language: str) -> dict[str, Any]:
        result: dict[str, Any] = {"line": number,
                                  "penitentiary_number": line.get("penitentiary_number", "")}
        try:
            if line["_width"] != str(len(HEADER)):
                raise InvalidInput("line_width_invalid", field="line",
                                   es=f"La línea debe tener {len(HEADER)} columnas.",
                                   en=f"The line must have {len(HEADER)} columns.")
            outcome = self.funds.pay_wage(
                number=line["penitentiary_number"], employer=line["employer"],
                period=line["period"], hours=_int(line["hours"], "hours"),
                gross_minor=_int(line["gross_minor"], "gross_minor"),
                currency=line["currency"], actor=actor, request=None,
            )
        except LedgerError as error:
            status = "already_paid" if error.code == "wage_already_paid" else "refused"
            return result | {"status": status, "code": error.code, "field": error.field,
                             "message": error.message(language)}
        return result | {"status": "paid", "entry_id": outcome.body["entry_id"]}


def _int(text: str, field: str) -> int:
    if not text.isdigit():
        raise InvalidInput("number_invalid", field=field,
                           es=f"«{field}» debe ser un número entero sin decimales.",
                           en=f"'{field}' must be a whole number without decimals.")
    return int(text)
