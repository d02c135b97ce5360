"""Possible transfers of resources between PPL (V.H.3): a report for the finance
administrator and the contract inspector, never a block. Two patterns, each finding with
the rows that show it (docs/REPORTS.md#possible-transfers-between-ppl):

1. A depositor who funds several PPL in the period (at least `min_ppl` different PPL).
2. One PPL's commissary purchases stop and, right after, deposits start arriving for
   another PPL of the same sector who had received none for a while: the money may now
   be buying for the first. A stop is a delivered purchase followed by none for
   `stop_gap_days`; the deposits must arrive within `window_days` after it, for a PPL
   with no deposit in the `quiet_days` before it. A depositor who also funded the first
   PPL is named (`shared_depositors`).

Only the money events of the days concerned are read (report_history.py); sectors come
from the admission and sector-change events."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from ledger.application.context import Context
from ledger.application.report_history import local_bounds, money_events_of_days
from ledger.application.settlement import parse_period
from ledger.domain.account import Account
from ledger.domain.errors import InvalidInput
from ledger.domain.postings import split_ppl_account
from projections.registry import ReadSide
from projections.source import topics

SECTOR_TOPICS = topics(Account.Admitted, Account.SectorChanged)
FLOW_TOPICS = topics(Account.DepositReceived, Account.OrderSettled)


@dataclass(frozen=True)
class TransferRules:
    min_ppl: int = 2  # a depositor funding this many different PPL or more
    stop_gap_days: int = 14  # no purchase for this long after the last one: purchases stop
    window_days: int = 7  # another PPL's deposits arriving within this after the stop
    quiet_days: int = 30  # ... who had no deposit in this many days before the stop

    def check(self) -> TransferRules:
        limits = {"min_ppl": (2, 50), "stop_gap_days": (1, 90), "window_days": (1, 60),
                  "quiet_days": (0, 365)}
        for name, (low, high) in limits.items():
            value = getattr(self, name)
            if type(value) is not int or not low <= value <= high:
                raise InvalidInput("rule_invalid", field=name,
                                   es=f"«{name}» es un entero de {low} a {high}.",
                                   en=f"'{name}' is a whole number from {low} to {high}.")
        return self


def _number(event: Any) -> str:
    return next(own[0] for p in event.postings if (own := split_ppl_account(p.account)))


@dataclass
class _Flows:
    deposits: dict[str, list[dict[str, Any]]]
    purchases: dict[str, list[dict[str, Any]]]


class TransfersReport:
    def __init__(self, ctx: Context, read_side: ReadSide) -> None:
        self.ctx = ctx
        self.read_side = read_side

    def for_period(self, start: Any, end: Any,
                   rules: TransferRules | None = None) -> dict[str, Any]:
        """Findings whose deposits (pattern 1) or purchase stops (pattern 2) fall on days
        start..end, unit time zone."""
        rules = (rules or TransferRules()).check()
        first, last = parse_period(start, end)
        begin, finish = local_bounds(self.ctx, first, last)
        now = self.ctx.clock.now()
        flows = self._flows(first - timedelta(days=rules.quiet_days + 1),
                            last + timedelta(days=rules.stop_gap_days + 1))
        zone = self.ctx.settings().zone()
        return {
            "from": first.isoformat(), "to": last.isoformat(),
            "currency": self.ctx.settings().currency, "rules": asdict(rules),
            "depositors_funding_several_ppl": self._depositors(flows, begin, finish, rules,
                                                               zone),
            "purchases_stop_then_deposits_start": self._stops(flows, begin, finish, now,
                                                              rules, zone),
        }

    def _flows(self, first: Any, last: Any) -> _Flows:
        deposits: dict[str, list[dict[str, Any]]] = defaultdict(list)
        purchases: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for event in money_events_of_days(self.read_side, self.ctx, first, last, FLOW_TOPICS):
            number = _number(event)
            if isinstance(event, Account.DepositReceived):
                deposits[number].append({
                    "at": event.timestamp, "penitentiary_number": number,
                    "depositor_id": event.depositor_id, "deposit_id": event.deposit_id,
                    "channel": event.channel, "amount_minor": event.amount_minor})
            elif event.delivered_minor > 0:
                purchases[number].append({
                    "at": event.timestamp, "penitentiary_number": number,
                    "order_id": event.order_id, "amount_minor": event.delivered_minor})
        return _Flows(deposits, purchases)

    def _depositors(self, flows: _Flows, begin: datetime, finish: datetime,
                    rules: TransferRules, zone: Any) -> list[dict[str, Any]]:
        by_depositor: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for rows in flows.deposits.values():
            for row in rows:
                if begin <= row["at"] < finish:
                    by_depositor[row["depositor_id"]].append(row)
        findings = []
        for depositor_id, rows in sorted(by_depositor.items()):
            funded = sorted({r["penitentiary_number"] for r in rows})
            if len(funded) < rules.min_ppl:
                continue
            key = _uuid(depositor_id)
            depositor = self.ctx.store.find(key) if key is not None else None
            findings.append({
                "depositor_id": depositor_id,
                "relation": getattr(depositor, "relation", None),
                "ppl": funded, "deposits": len(rows),
                "amount_minor": sum(r["amount_minor"] for r in rows),
                "evidence": [_shown(r, zone) for r in sorted(rows, key=lambda r: r["at"])]})
        return sorted(findings, key=lambda f: (-len(f["ppl"]), -f["amount_minor"]))

    def _stops(self, flows: _Flows, begin: datetime, finish: datetime, now: datetime,
               rules: TransferRules, zone: Any) -> list[dict[str, Any]]:
        sector_at = _Sectors(self.read_side)
        gap, window = timedelta(days=rules.stop_gap_days), timedelta(days=rules.window_days)
        quiet = timedelta(days=rules.quiet_days)
        findings = []
        for received in flows.deposits.values():
            received.sort(key=lambda r: r["at"])
        arrivals = {n: [r["at"] for r in rows] for n, rows in flows.deposits.items()}
        for stopped, bought in sorted(flows.purchases.items()):
            bought.sort(key=lambda r: r["at"])
            for i, last in enumerate(bought):
                t = last["at"]
                following = bought[i + 1]["at"] if i + 1 < len(bought) else None
                if not begin <= t < finish or t + gap > now or (
                        following is not None and following <= t + gap):
                    continue
                sector = sector_at(stopped, t)
                for funded, received in sorted(flows.deposits.items()):
                    if funded == stopped or sector_at(funded, t) != sector:
                        continue
                    times = arrivals[funded]
                    arriving = received[bisect_right(times, t):bisect_right(times, t + window)]
                    if not arriving or bisect_left(times, t - quiet) < bisect_right(times, t):
                        continue
                    theirs = {r["depositor_id"] for r in flows.deposits.get(stopped, [])}
                    findings.append({
                        "stopped_buying": stopped, "sector": sector,
                        "last_purchase_at": t.astimezone(zone).isoformat(),
                        "funded": funded, "deposits": len(arriving),
                        "amount_minor": sum(r["amount_minor"] for r in arriving),
                        "shared_depositors": sorted(theirs & {r["depositor_id"]
                                                              for r in arriving}),
                        "evidence": {"last_purchases": [_shown(r, zone) for r in bought[
                            max(0, i - 2):i + 1]],
                                     "deposits_after": [_shown(r, zone) for r in arriving]}})
        return sorted(findings, key=lambda f: (-len(f["shared_depositors"]),
                                               -f["amount_minor"]))


class _Sectors:
    """Each PPL's sector at an instant, from admissions and sector changes."""

    def __init__(self, read_side: ReadSide) -> None:
        self.history: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
        numbers: dict[str, str] = {}
        for recorded in read_side.source.between(0, None, SECTOR_TOPICS):
            event = recorded.event
            account = str(event.originator_id)
            if isinstance(event, Account.Admitted):
                numbers[account] = event.number
            self.history[numbers[account]].append((event.timestamp, event.sector))

    def __call__(self, number: str, at: datetime) -> str | None:
        sector = None
        for since, value in self.history.get(number, []):
            if since <= at:
                sector = value
        return sector


def _shown(row: dict[str, Any], zone: Any) -> dict[str, Any]:
    return {**row, "at": row["at"].astimezone(zone).isoformat()}


def _uuid(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None
