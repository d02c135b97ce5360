"""Reconciliation of the contractor's own sales file with the ledger's sales ledger for a
period. Each file line is matched by (line type, order, refund, product) to a ledger line:

  matched            same quantity, amount and day
  quantity_mismatch  the quantities differ (the amounts are shown too)
  amount_mismatch    same quantity, different amount
  date_mismatch      same quantity and amount, booked on another day (perhaps outside the
                     period: the ledger's day is shown)
  missing_in_ledger  the ledger has no such line
  missing_in_file    a ledger line of the period that the file does not have

A file that reads cleanly is compared and the result is recorded (who uploaded what file,
its digest, the period, the log position compared against, every row), in one atomic write
with the request's idempotency record: a retried upload gets the same answer. A file
with any bad line is refused before anything is read from the ledger, and nothing is
recorded (reconciliation_file.py)."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate

from ledger.application.context import Context
from ledger.application.idempotency import IdempotentRequest, Outcome
from ledger.application.reconciliation_file import FileLine, read_sales_file
from ledger.application.settlement import parse_period
from ledger.domain.actor import Actor
from ledger.domain.errors import NotFound
from projections.registry import ReadSide
from projections.sales_ledger import lines_by_id, sales_lines

ROW_COLUMNS = ("status", "line_type", "order_id", "refund_id", "product_code", "file_line",
               "file_date", "file_quantity", "file_amount_minor", "ledger_date",
               "ledger_quantity", "ledger_amount_minor", "difference_minor",
               "penitentiary_number", "sector", "category")
STATUSES = ("matched", "quantity_mismatch", "amount_mismatch", "date_mismatch",
            "missing_in_ledger", "missing_in_file")


class ContractorReconciliation(Aggregate):
    """The record of one reconciliation: the file compared and what came out of it."""

    class Recorded(Aggregate.Created):
        period_from: str
        period_to: str
        file_sha256: str
        file_bytes: int
        position: int
        summary: dict[str, int]
        rows: list[list[Any]]  # in ROW_COLUMNS order
        actor: Actor

    def __init__(self, period_from: str, period_to: str, file_sha256: str, file_bytes: int,
                 position: int, summary: dict[str, int], rows: list[list[Any]],
                 actor: Actor) -> None:
        self.period_from = period_from
        self.period_to = period_to
        self.file_sha256 = file_sha256
        self.file_bytes = file_bytes
        self.position = position
        self.summary = dict(summary)
        self.rows = [list(row) for row in rows]
        self.actor = actor

    @classmethod
    def record(cls, reconciliation_id: UUID, *, at: datetime, **fields: Any
               ) -> ContractorReconciliation:
        return cls._create(cls.Recorded, id=reconciliation_id, timestamp=at, **fields)


def _line_id(line: FileLine) -> str:
    return f"{line.line_type}:{line.refund_id or line.order_id}:{line.product_code}"


def _status(line: FileLine, ledger: dict[str, Any]) -> str:
    if line.quantity != ledger["quantity"]:
        return "quantity_mismatch"
    if line.amount_minor != ledger["amount_minor"]:
        return "amount_mismatch"
    return "date_mismatch" if line.day != ledger["day"] else "matched"


def _row(status: str, line: FileLine | None, ledger: dict[str, Any] | None) -> list[Any]:
    source: Any = line or ledger
    file_amount = line.amount_minor if line else 0
    ledger_amount = ledger["amount_minor"] if ledger else 0
    kind = line.line_type if line else ledger["kind"]  # type: ignore[index]
    sign = 1 if kind == "sale" else -1
    return [status, kind, line.order_id if line else source["order_id"],
            line.refund_id if line else source["refund_id"],
            line.product_code if line else source["product_code"],
            line.line if line else None, line.day if line else None,
            line.quantity if line else None, line.amount_minor if line else None,
            ledger["day"] if ledger else None, ledger["quantity"] if ledger else None,
            ledger["amount_minor"] if ledger else None, sign * (file_amount - ledger_amount),
            ledger["number"] if ledger else None, ledger["sector"] if ledger else None,
            ledger["category"] if ledger else None]


def compare(lines: Sequence[FileLine], period: list[dict[str, Any]],
            elsewhere: dict[str, dict[str, Any]]) -> tuple[list[list[Any]], dict[str, int]]:
    """Rows in file order, then the ledger's lines the file lacks; and the summary.
    `elsewhere`: ledger lines outside the period, by line id, for file lines not in it."""
    in_period = {p["line_id"]: p for p in period}
    rows, used = [], set()
    for line in lines:
        line_id = _line_id(line)
        ledger = in_period.get(line_id) or elsewhere.get(line_id)
        if ledger is not None and ledger["order_id"] != line.order_id:
            ledger = None
        if ledger is None:
            rows.append(_row("missing_in_ledger", line, None))
            continue
        used.add(line_id)
        rows.append(_row(_status(line, ledger), line, ledger))
    rows += [_row("missing_in_file", None, p) for p in period if p["line_id"] not in used]
    summary = {status: sum(1 for r in rows if r[0] == status) for status in STATUSES}
    file_owed = sum((1 if li.line_type == "sale" else -1) * li.amount_minor for li in lines)
    ledger_owed = sum((1 if p["kind"] == "sale" else -1) * p["amount_minor"] for p in period)
    summary.update({"lines_in_file": len(lines), "lines_in_ledger": len(period),
                    "file_owed_minor": file_owed, "ledger_owed_minor": ledger_owed,
                    "difference_minor": file_owed - ledger_owed})
    return rows, summary


def result_view(record: ContractorReconciliation, currency: str) -> dict[str, Any]:
    return {
        "reconciliation_id": str(record.id), "from": record.period_from,
        "to": record.period_to, "currency": currency, "recorded_at": record.created_on.isoformat(),
        "uploaded_by": {"user_id": record.actor.user_id, "role": record.actor.role.value},
        "file_sha256": record.file_sha256, "file_bytes": record.file_bytes,
        "position": record.position, "summary": dict(record.summary),
        "rows": [dict(zip(ROW_COLUMNS, row, strict=True)) for row in record.rows],
    }


def result_csv(view: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ROW_COLUMNS)
    for row in view["rows"]:
        writer.writerow(["" if row[c] is None else row[c] for c in ROW_COLUMNS])
    return out.getvalue()


class Reconciliations:
    def __init__(self, ctx: Context, read_side: ReadSide) -> None:
        self.ctx = ctx
        self.read_side = read_side

    def upload(self, *, data: bytes, start: Any, end: Any, actor: Actor,
               request: IdempotentRequest | None) -> Outcome:
        """Checks the whole file, compares it with the sales ledger of days start..end
        (brought up to the log's head first) and records the result."""
        first, last = parse_period(start, end)
        lines = read_sales_file(data, first, last)
        digest = hashlib.sha256(data).hexdigest()

        def decide() -> Any:
            position = self.read_side.caught_up("sales_ledger", "latest")
            with self.read_side.views.reading() as tx:
                period = sales_lines(tx, first.isoformat(), last.isoformat())
                inside = {p["line_id"] for p in period}
                elsewhere = lines_by_id(tx, [i for i in map(_line_id, lines) if i not in inside])
            rows, summary = compare(lines, period, elsewhere)
            record = ContractorReconciliation.record(
                uuid4(), at=self.ctx.clock.now(), period_from=first.isoformat(),
                period_to=last.isoformat(), file_sha256=digest, file_bytes=len(data),
                position=position, summary=summary, rows=rows, actor=actor)
            body = {"reconciliation_id": str(record.id), "from": first.isoformat(),
                    "to": last.isoformat(), "summary": summary}
            return [record], Outcome(201, body)

        return self.ctx.run(request, decide)

    def result(self, reconciliation_id: Any) -> dict[str, Any]:
        """A recorded reconciliation with every row."""
        try:
            found = self.ctx.store.find(UUID(str(reconciliation_id)))
        except ValueError:
            found = None
        if not isinstance(found, ContractorReconciliation):
            raise NotFound("reconciliation_not_found", field="reconciliation_id",
                           es="No existe esa conciliación.", en="No such reconciliation.")
        return result_view(found, self.ctx.settings().currency)
