"""What the unit owes the PPP contractor for a period: the goods delivered minus the goods
returned, by product and by sector, from the contractor's sales ledger; and the proof
that it is the movement of `unit/contractor_payable` in the general ledger over the same
days (a delivery credits that account with the sum of its lines, a refund debits it).

Both read models are brought to the same log position before reading, and read in one
snapshot, so the comparison is between the same events."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ledger.application.context import Context
from ledger.application.statements import parse_day
from ledger.domain.errors import InvalidInput
from ledger.domain.postings import UnitAccount
from projections.general_ledger import movements
from projections.registry import ReadSide, WaitFor
from projections.sales_ledger import product_totals, totals_by
from projections.sql import Tx

READ_MODELS = ("sales_ledger", "general_ledger")
MAX_PERIOD_DAYS = 366


def parse_period(start: Any, end: Any) -> tuple[date, date]:
    """Days start..end inclusive (YYYY-MM-DD); the end may not be before the start."""
    first, last = parse_day(start, "from"), parse_day(end, "to")
    if last < first:
        raise InvalidInput("period_reversed", field="to",
                           es="La fecha final es anterior a la inicial.",
                           en="The end date is before the start date.")
    if last - first >= timedelta(days=MAX_PERIOD_DAYS):
        raise InvalidInput("period_too_long", field="to",
                           es=f"El período abarca como máximo {MAX_PERIOD_DAYS} días.",
                           en=f"A period spans at most {MAX_PERIOD_DAYS} days.")
    return first, last


def positions_in(tx: Tx, names: tuple[str, ...]) -> dict[str, int]:
    rows = tx.fetchall_in("SELECT name, position FROM projection_positions WHERE name IN ({in})",
                          list(names))
    return {name: int(position) for name, position in rows}


def _owed(entry: dict[str, Any]) -> dict[str, Any]:
    return {**entry, "owed_minor": entry["sales_minor"] - entry["refunds_minor"]}


class Settlement:
    def __init__(self, ctx: Context, read_side: ReadSide) -> None:
        self.ctx = ctx
        self.read_side = read_side

    def for_period(self, start: Any, end: Any, wait_for: WaitFor = None) -> dict[str, Any]:
        """Delivered sales minus refunds for days start..end (unit time zone), by product
        and by sector, checked against the contractor payable account."""
        first, last = parse_period(start, end)
        self.read_side.caught_up_together(READ_MODELS, wait_for)
        days = (first.isoformat(), last.isoformat())
        with self.read_side.views.reading() as tx:
            positions = positions_in(tx, READ_MODELS)
            products = [_owed(p) for p in product_totals(tx, *days)]
            sectors = [_owed({"sector": k, **v}) for k, v in sorted(totals_by(
                tx, *days, "sector").items())]
            categories = [_owed({"category": k, **v}) for k, v in sorted(totals_by(
                tx, *days, "category").items())]
            debits, credits = movements(tx, *days, UnitAccount.CONTRACTOR_PAYABLE.value).get(
                UnitAccount.CONTRACTOR_PAYABLE.value, (0, 0))
        sales = sum(p["sales_minor"] for p in products)
        refunds = sum(p["refunds_minor"] for p in products)
        return {
            "from": days[0], "to": days[1], "currency": self.ctx.settings().currency,
            "positions": positions, "sales_minor": sales, "refunds_minor": refunds,
            "owed_minor": sales - refunds,
            "by_product": products, "by_sector": sectors, "by_category": categories,
            "contractor_payable": {
                "account": UnitAccount.CONTRACTOR_PAYABLE.value, "credits_minor": credits,
                "debits_minor": debits, "movement_minor": credits - debits},
            "matches": sales - refunds == credits - debits
            and len(set(positions.values())) == 1,
        }
