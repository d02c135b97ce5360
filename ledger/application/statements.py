"""Balances and a PPL's statement for a period, computed from the account's history."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from ledger.application.context import Context
from ledger.application.views import balances_view
from ledger.domain.account import Account
from ledger.domain.errors import InvalidInput
from ledger.domain.ids import account_id
from ledger.domain.postings import SubAccount, split_ppl_account


def parse_day(value: Any, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidInput("date_invalid", field=field,
                           es="La fecha debe tener la forma AAAA-MM-DD.",
                           en="The date must look like YYYY-MM-DD.") from None


def _effect(event: Account.MoneyEvent) -> dict[str, int]:
    effect: dict[str, int] = {}
    for posting in event.postings:
        own = split_ppl_account(posting.account)
        if own is not None:
            effect[own[1].value] = effect.get(own[1].value, 0) - posting.amount_minor
    return effect


def movement(event: Account.MoneyEvent) -> dict[str, Any]:
    details = {k: v for k, v in event.__dict__.items()
               if k in ("reason", "reference", "external_reference", "channel", "employer",
                        "period", "original_entry_id", "deposit_id", "depositor_id",
                        "order_id", "outcome", "refund_id")}
    return {
        "at": event.timestamp.isoformat(),
        "entry_id": event.entry_id,
        "kind": event._kind(),
        "effect": _effect(event),
        "postings": [{"account": p.account, "amount_minor": p.amount_minor}
                     for p in event.postings],
        "actor": {"user_id": event.actor.user_id, "role": event.actor.role.value,
                  "channel": event.actor.channel.value, "terminal_id": event.actor.terminal_id},
        **details,
    }


class Statements:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def balances(self, number: str) -> dict[str, Any]:
        return balances_view(self.ctx.account(number, to_read=True))

    def statement(self, number: str, start: Any, end: Any) -> dict[str, Any]:
        """Opening balances, each movement, closing balances, for days start..end
        inclusive in the unit's time zone."""
        first, last = parse_day(start, "from"), parse_day(end, "to")
        if last < first:
            raise InvalidInput("period_reversed", field="to",
                               es="La fecha final es anterior a la inicial.",
                               en="The end date is before the start date.")
        account = self.ctx.account(number, to_read=True)
        zone = self.ctx.settings().zone()
        begin = datetime.combine(first, time.min, zone)
        finish = datetime.combine(last + timedelta(days=1), time.min, zone)
        opening = {sub.value: 0 for sub in SubAccount}
        movements = []
        for event in self.ctx.store.events.get(account_id(number)):
            if not isinstance(event, Account.MoneyEvent) or event.timestamp >= finish:
                continue
            if event.timestamp < begin:
                for sub, amount in _effect(event).items():
                    opening[sub] += amount
            else:
                movements.append(movement(event))
        closing = dict(opening)
        for item in movements:
            for sub, amount in item["effect"].items():
                closing[sub] += amount
        return {"penitentiary_number": account.number, "name": account.name,
                "currency": account.currency, "from": first.isoformat(), "to": last.isoformat(),
                "opening": opening, "movements": movements, "closing": closing}
