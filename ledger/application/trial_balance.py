"""The unit's trial balance as of any instant, computed from the history: the postings of
every money event stamped at or before the instant, summed per account. It must be zero.

The relations it reports (docs/AUDIT.md#trial-balance):
  trust bank           = PPL available + reserve + phone + held + unit payables
  deposits in clearing = PPL pending
  custody safe         = PPL custody
Only the stored events are read, never today's aggregates, so a past instant (a month
end) gives the figures as they stood then.

The fast way (with the read side): the general-ledger projection's sums of every day
before the instant's local day, plus the postings of that day's events up to the instant
(only the stretch of the log where that day's events are), plus every event the
projection has not processed yet. It equals the full scan; a unit whose time zone ever
changed falls back to the full scan (local days would not follow the log's order)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from ledger.application.context import Context
from ledger.domain.errors import InvalidInput
from ledger.domain.postings import ASSET_ACCOUNTS, SubAccount, UnitAccount, split_ppl_account
from projections.general_ledger import span_of_days, sums_before
from projections.source import EventSource, Recorded, carries_postings

if TYPE_CHECKING:
    from projections.registry import ReadSide

BANK_BACKED = (SubAccount.AVAILABLE, SubAccount.RESERVE, SubAccount.PHONE, SubAccount.HELD)
PAYABLES = (UnitAccount.CONTRACTOR_PAYABLE, UnitAccount.DAMAGE_RECOVERIES)


def postings_as_of(source: EventSource, as_of: datetime) -> dict[str, int]:
    """Signed sum (+ debit, - credit) of every posting per account, up to `as_of`."""
    totals: dict[str, int] = defaultdict(int)
    _add(totals, source.all(), as_of)
    return dict(totals)


def _add(totals: dict[str, int], events: Iterable[Recorded], as_of: datetime,
         day: str | None = None, zone: Any = None) -> None:
    """Adds the postings of the money events stamped at or before `as_of` (and, when
    `day` is given, booked on that local day)."""
    for recorded in events:
        if not carries_postings(recorded.topic):
            continue
        event = recorded.event
        if event.timestamp > as_of:
            continue
        if day is not None and event.timestamp.astimezone(zone).date().isoformat() != day:
            continue
        for posting in event.postings:
            totals[posting.account] += posting.amount_minor


def fast_postings_as_of(read_side: ReadSide, ctx: Context, as_of: datetime) -> dict[str, int]:
    """The same sums as `postings_as_of`, from the general ledger's days before the
    instant's day and the log's events of that day only."""
    unit = ctx.unit()
    if len({settings.time_zone for _, settings in unit.history}) > 1:
        return postings_as_of(read_side.source, as_of)
    zone = unit.settings_at(as_of).zone()
    day = as_of.astimezone(zone).date().isoformat()
    with read_side.views.reading() as tx:
        row = tx.fetchone("SELECT position FROM projection_positions WHERE name = %s",
                          ("general_ledger",))
        position = int(row[0]) if row else 0
        totals: dict[str, int] = defaultdict(int, sums_before(tx, day))
        span = span_of_days(tx, day, day)
    if span is not None and span[0] <= position:
        stretch = read_side.source.between(span[0] - 1, min(span[1], position))
        _add(totals, stretch, as_of, day, zone)
    _add(totals, read_side.source.between(position), as_of)  # not in the projection yet
    return {account: amount for account, amount in totals.items()}


def _relations(totals: dict[str, int], ppl: dict[str, int]) -> list[dict[str, Any]]:
    payables = sum(-totals.get(a, 0) for a in PAYABLES)
    pairs = [
        ("trust_bank", UnitAccount.TRUST_BANK,
         sum(ppl[s.value] for s in BANK_BACKED) + payables),
        ("deposits_in_clearing", UnitAccount.DEPOSITS_IN_CLEARING, ppl[SubAccount.PENDING.value]),
        ("custody_safe", UnitAccount.CUSTODY_SAFE, ppl[SubAccount.CUSTODY.value]),
    ]
    return [{"asset": name, "asset_minor": totals.get(account, 0), "owed_minor": owed,
             "matches": totals.get(account, 0) == owed} for name, account, owed in pairs]


def trial_balance(totals: dict[str, int], as_of: datetime, currency: str) -> dict[str, Any]:
    ppl = {sub.value: 0 for sub in SubAccount}
    for account, amount in totals.items():
        own = split_ppl_account(account)
        if own is not None:
            ppl[own[1].value] -= amount  # liabilities: credits minus debits
    unit = {a.value: totals.get(a.value, 0) if a in ASSET_ACCOUNTS else -totals.get(a.value, 0)
            for a in UnitAccount}
    debits = sum(v for v in totals.values() if v > 0)
    credits = -sum(v for v in totals.values() if v < 0)
    relations = _relations(totals, ppl)
    return {
        "as_of": as_of.isoformat(), "currency": currency,
        "debits_minor": debits, "credits_minor": credits, "difference_minor": debits - credits,
        "balanced": debits == credits and all(r["matches"] for r in relations),
        "ppl_side": {**ppl, "total_minor": sum(ppl.values())},
        "unit_accounts": unit,
        "relations": relations,
        "accounts": [{"account": a, "balance_minor": v} for a, v in sorted(totals.items()) if v],
    }


def parse_instant(value: Any, ctx: Context) -> datetime:
    """An ISO instant with its offset, or a date meaning the end of that day in the unit's
    time zone (e.g. 2026-11-30 for the November month end)."""
    if isinstance(value, str) and len(value) == 10:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            day = None
        if day is not None:
            start = datetime.combine(day + timedelta(days=1), time.min, ctx.settings().zone())
            return start - timedelta(microseconds=1)
    try:
        instant = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        instant = None
    if instant is None or instant.tzinfo is None:
        raise InvalidInput("instant_invalid", field="as_of",
                           es="Indique una fecha (AAAA-MM-DD) o un instante ISO con su zona.",
                           en="Give a date (YYYY-MM-DD) or an ISO instant with its offset.")
    return instant


class TrialBalance:
    def __init__(self, ctx: Context, read_side: ReadSide | None = None) -> None:
        self.ctx = ctx
        self.source = EventSource(ctx.store)
        self.read_side = read_side

    def as_of(self, when: Any = None) -> dict[str, Any]:
        """The trial balance at `when` (default: now), from the stored history; with the
        read side, from the general ledger's earlier days and the day's own events."""
        instant = self.ctx.clock.now() if when is None else parse_instant(when, self.ctx)
        if self.read_side is not None:
            self.read_side.runner("general_ledger").catch_up()
            totals = fast_postings_as_of(self.read_side, self.ctx, instant)
        else:
            totals = postings_as_of(self.source, instant)
        return trial_balance(totals, instant, self.ctx.settings().currency)
