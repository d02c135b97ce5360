"""The monthly report of economic indicators (III.D.10) for a calendar month in the unit's
time zone: deposits, wages, reserve accrued, damage recovered, phone recharges,
commissary sales by category and refunds, PPL by balance band and the indigent count at
the month's end, corrections and who made them, the trial balance at the month's end,
and the chain head signed with the unit's key (so a printed report pins the history).

Flows come from the month's own events (only that stretch of the log is read, see
report_history.py); commissary figures from the sales ledger; balances at the month's end
from the general ledger's days plus the last day's events (the fast trial balance)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from ledger.application.context import Context
from ledger.application.report_history import (
    last_position_of_days,
    local_bounds,
    money_events_of_days,
)
from ledger.application.trial_balance import fast_postings_as_of, trial_balance
from ledger.audit.chain import latest_checkpoint, signature_valid
from ledger.domain.account import Account, ReleaseKind
from ledger.domain.errors import InvalidInput
from ledger.domain.postings import SubAccount, UnitAccount, split_ppl_account
from projections.registry import ReadSide
from projections.sales_ledger import totals_by
from projections.source import topics

# Lower bounds of the balance bands on available funds (minor units); the last is open.
BAND_FLOORS = (0, 1, 100_00, 500_00, 2_000_00, 5_000_00)
PRESENCE_TOPICS = topics(Account.Admitted, Account.Released, Account.TransferredOut,
                         Account.ReturnedFromTemporaryRelease)
DEPOSIT_TOPICS = topics(Account.DepositReceived)


def parse_month(value: Any) -> tuple[date, date]:
    """YYYY-MM -> its first and last day."""
    try:
        first = date.fromisoformat(f"{value}-01") if isinstance(value, str) and len(
            value) == 7 else None
    except ValueError:
        first = None
    if first is None:
        raise InvalidInput("month_invalid", field="month", es="El mes se indica AAAA-MM.",
                           en="The month is given as YYYY-MM.")
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def _counter() -> dict[str, int]:
    return {"count": 0, "amount_minor": 0}


def _size(event: Any) -> int:
    """An event's amount: the sum of its debits."""
    return sum(p.amount_minor for p in event.postings if p.amount_minor > 0)


class _Flows:
    """What the month's money events add up to."""

    def __init__(self) -> None:
        self.deposits = _counter()
        self.deposits_by_channel: dict[str, dict[str, int]] = defaultdict(_counter)
        self.deposits_rejected = _counter()
        self.wages = {"count": 0, "gross_minor": 0, "available_minor": 0, "reserve_minor": 0,
                      "recovered_minor": 0}
        self.phone = _counter()
        self.custody_in = _counter()
        self.departures = _counter()
        self.reserve = {"accrued_minor": 0, "paid_or_reversed_minor": 0}
        self.damage = {"recovered_minor": 0, "restored_minor": 0}
        self.corrections: list[dict[str, Any]] = []

    def add(self, event: Any, zone: Any) -> None:
        self._postings(event)
        if isinstance(event, Account.DepositReceived):
            _count(self.deposits, event.amount_minor)
            _count(self.deposits_by_channel[event.channel], event.amount_minor)
        elif isinstance(event, Account.DepositRejected):
            _count(self.deposits_rejected, _size(event))
        elif isinstance(event, Account.WagePaid):
            self.wages["count"] += 1
            self.wages["gross_minor"] += event.gross_minor
            self.wages["available_minor"] += event.available_minor
            self.wages["reserve_minor"] += event.reserve_minor
            self.wages["recovered_minor"] += sum(event.recoveries.values())
        elif isinstance(event, Account.PhoneCardRecharged):
            _count(self.phone, event.amount_minor)
        elif isinstance(event, Account.CashTakenIntoCustody):
            _count(self.custody_in, event.amount_minor)
        elif isinstance(event, Account.TransferredOut) or (
                isinstance(event, Account.Released) and event.kind == ReleaseKind.DEFINITIVE):
            _count(self.departures, _size(event))
        elif isinstance(event, Account.EntryReversed):
            self.corrections.append(_correction(event, zone))

    def _postings(self, event: Any) -> None:
        for posting in event.postings:
            own = split_ppl_account(posting.account)
            if own is not None and own[1] is SubAccount.RESERVE:
                key = "accrued_minor" if posting.amount_minor < 0 else "paid_or_reversed_minor"
                self.reserve[key] += abs(posting.amount_minor)
            elif posting.account == UnitAccount.DAMAGE_RECOVERIES:
                key = "recovered_minor" if posting.amount_minor < 0 else "restored_minor"
                self.damage[key] += abs(posting.amount_minor)


def _count(counter: dict[str, int], amount: int) -> None:
    counter["count"] += 1
    counter["amount_minor"] += amount


def _correction(event: Any, zone: Any) -> dict[str, Any]:
    own = next((split_ppl_account(p.account) for p in event.postings
                if split_ppl_account(p.account)), None)
    return {"at": event.timestamp.astimezone(zone).isoformat(),
            "penitentiary_number": own[0] if own else None, "entry_id": event.entry_id,
            "original_entry_id": event.original_entry_id, "reason": event.reason,
            "amount_minor": _size(event), "user_id": event.actor.user_id,
            "role": event.actor.role.value}


def _by_whom(corrections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    who: dict[tuple[str, str], dict[str, int]] = defaultdict(_counter)
    for c in corrections:
        _count(who[(c["user_id"], c["role"])], c["amount_minor"])
    return [{"user_id": u, "role": r, **v} for (u, r), v in sorted(who.items())]


class MonthlyReport:
    def __init__(self, ctx: Context, read_side: ReadSide) -> None:
        self.ctx = ctx
        self.read_side = read_side

    def for_month(self, month: Any) -> dict[str, Any]:
        """Every indicator of the month, computed from the history and the read models."""
        first, last = parse_month(month)
        settings = self.ctx.settings()
        zone = settings.zone()
        begin, end = local_bounds(self.ctx, first, last)
        month_end = end - timedelta(microseconds=1)
        self.read_side.caught_up_together(("general_ledger", "sales_ledger"), "latest")
        flows = _Flows()
        for event in money_events_of_days(self.read_side, self.ctx, first, last):
            flows.add(event, zone)
        totals = fast_postings_as_of(self.read_side, self.ctx, month_end)
        present = self._present_at(month_end)
        available = {n: -totals.get(f"ppl/{n}/available", 0) for n in present}
        balance = trial_balance(totals, month_end, settings.currency)
        return {
            "month": f"{first:%Y-%m}", "from": first.isoformat(), "to": last.isoformat(),
            "time_zone": settings.time_zone, "currency": settings.currency,
            "unit": settings.name, "generated_at": self.ctx.clock.now().isoformat(),
            "deposits": {**flows.deposits, "by_channel": dict(sorted(
                flows.deposits_by_channel.items())), "rejected": flows.deposits_rejected},
            "wages": flows.wages,
            "reserve": {**flows.reserve, "net_minor": flows.reserve["accrued_minor"]
                        - flows.reserve["paid_or_reversed_minor"]},
            "damage": {**flows.damage, "net_recovered_minor": flows.damage["recovered_minor"]
                       - flows.damage["restored_minor"]},
            "phone_recharges": flows.phone, "custody_intake": flows.custody_in,
            "departures_paid_out": flows.departures,
            "commissary": self._commissary(first, last),
            "ppl_at_month_end": len(present),
            "balance_bands": _bands(available.values()),
            "indigent_at_month_end": self._indigent(available, month_end, first, last),
            "corrections": {"count": len(flows.corrections), "by_whom": _by_whom(
                flows.corrections), "entries": flows.corrections},
            "trial_balance_at_month_end": {
                "as_of": balance["as_of"], "debits_minor": balance["debits_minor"],
                "credits_minor": balance["credits_minor"], "balanced": balance["balanced"],
                "trust_bank_minor": balance["unit_accounts"][UnitAccount.TRUST_BANK.value],
                "ppl_total_minor": balance["ppl_side"]["total_minor"]},
            "signed_chain_head": self._chain_head(first, last),
        }

    def _commissary(self, first: date, last: date) -> dict[str, Any]:
        days = (first.isoformat(), last.isoformat())
        with self.read_side.views.reading() as tx:
            categories = totals_by(tx, *days, "category")
            refunds = tx.fetchone("SELECT COUNT(DISTINCT refund_id) FROM proj_sales_ledger "
                                  "WHERE kind = 'refund' AND day >= %s AND day <= %s", days)
            orders = tx.fetchone("SELECT COUNT(DISTINCT order_id) FROM proj_sales_ledger "
                                 "WHERE kind = 'sale' AND day >= %s AND day <= %s", days)
        by_category: list[dict[str, Any]] = [
            {"category": k, **v, "net_minor": v["sales_minor"] - v["refunds_minor"]}
            for k, v in sorted(categories.items())]
        sales = sum(c["sales_minor"] for c in by_category)
        refunded = sum(c["refunds_minor"] for c in by_category)
        return {"orders_delivered": int(orders[0]) if orders else 0, "sales_minor": sales,
                "refunds": {"count": int(refunds[0]) if refunds else 0,
                            "amount_minor": refunded},
                "net_minor": sales - refunded, "by_category": by_category}

    def _present_at(self, instant: datetime) -> set[str]:
        """The PPL in the unit at `instant`: admitted, not released or transferred, not
        out on a temporary release (a few events per PPL, filtered by the database)."""
        numbers: dict[str, str] = {}
        inside: dict[str, bool] = {}
        for recorded in self.read_side.source.between(0, None, PRESENCE_TOPICS):
            event = recorded.event
            if event.timestamp > instant:
                continue
            account = str(event.originator_id)
            if isinstance(event, Account.Admitted):
                numbers[account] = event.number
            inside[account] = isinstance(event, (Account.Admitted,
                                                 Account.ReturnedFromTemporaryRelease))
        return {numbers[account] for account, here in inside.items() if here}

    def _indigent(self, available: dict[str, int], month_end: datetime, first: date,
                  last: date) -> dict[str, Any]:
        rule = self.read_side.indigent_settings
        since = month_end - timedelta(days=rule.quiet_days)
        local_since = since.astimezone(self.ctx.settings().zone()).date()
        contacted = {next(own[0] for p in e.postings if (own := split_ppl_account(p.account)))
                     for e in money_events_of_days(self.read_side, self.ctx,
                                                   min(local_since, first), last,
                                                   DEPOSIT_TOPICS)
                     if e.timestamp > since}
        listed = sorted(n for n, amount in available.items()
                        if amount < rule.threshold_minor and n not in contacted)
        return {"count": len(listed), "threshold_minor": rule.threshold_minor,
                "quiet_days": rule.quiet_days, "penitentiary_numbers": listed}

    def _chain_head(self, first: date, last: date) -> dict[str, Any] | None:
        runner = self.read_side.runner("audit_chain")
        runner.catch_up()
        with self.read_side.views.reading() as tx:
            checkpoint = latest_checkpoint(tx)
        if checkpoint is None:
            return None
        month_last = last_position_of_days(self.read_side, first, last)
        return {**checkpoint.__dict__, "signature_valid": signature_valid(
            checkpoint, self.ctx.keys.signing_key.public_key()),
            "covers_the_month": month_last is None or checkpoint.position >= month_last}


def _bands(amounts: Any) -> list[dict[str, Any]]:
    counts = [0] * len(BAND_FLOORS)
    for amount in amounts:
        counts[max(i for i, floor in enumerate(BAND_FLOORS) if amount >= floor)] += 1
    return [{"from_minor": floor,
             "to_minor": BAND_FLOORS[i + 1] - 1 if i + 1 < len(BAND_FLOORS) else None,
             "count": counts[i]} for i, floor in enumerate(BAND_FLOORS)]
