"""The unit's trial balance as of any instant, computed from the history: the postings of
every money event stamped at or before the instant, summed per account. It must be zero.

The relations it reports (docs/AUDIT.md#trial-balance):
  trust bank           = PPL available + reserve + phone + held + unit payables
  deposits in clearing = PPL pending
  custody safe         = PPL custody
Only the stored events are read, never today's aggregates, so a past instant (a month
end) gives the figures as they stood then."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from ledger.application.context import Context
from ledger.domain.errors import InvalidInput
from ledger.domain.postings import ASSET_ACCOUNTS, SubAccount, UnitAccount, split_ppl_account
from projections.source import EventSource, carries_postings

BANK_BACKED = (SubAccount.AVAILABLE, SubAccount.RESERVE, SubAccount.PHONE, SubAccount.HELD)
PAYABLES = (UnitAccount.CONTRACTOR_PAYABLE, UnitAccount.DAMAGE_RECOVERIES)


def postings_as_of(source: EventSource, as_of: datetime) -> dict[str, int]:
    """Signed sum (+ debit, - credit) of every posting per account, up to `as_of`."""
    totals: dict[str, int] = defaultdict(int)
    for recorded in source.all():
        if not carries_postings(recorded.topic):
            continue
        event = recorded.event
        if event.timestamp <= as_of:
            for posting in event.postings:
                totals[posting.account] += posting.amount_minor
    return dict(totals)


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
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.source = EventSource(ctx.store)

    def as_of(self, when: Any = None) -> dict[str, Any]:
        """The trial balance at `when` (default: now), from the stored history."""
        instant = self.ctx.clock.now() if when is None else parse_instant(when, self.ctx)
        totals = postings_as_of(self.source, instant)
        return trial_balance(totals, instant, self.ctx.settings().currency)
