"""After a load run: was money conserved, and was every acknowledged request applied
exactly once? Read from the store itself (events and aggregates), never from the API.

- every acknowledged write has its idempotency record, with the same status and answer;
- the money events it names (entry ids, order ids) are in the log exactly once;
- no money event of the run is unclaimed by a record (nothing applied without its answer
  being kept, nothing applied twice);
- the change in the sum of all PPL balances equals deposits + wages - captured sales of
  the acknowledged writes, and the phone cards grew by exactly the recharges;
- no sub-balance below zero; the trial balance is balanced; the balances projection,
  caught up, agrees with the aggregates."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from ledger.application.bootstrap import Ledger
from ledger.application.trial_balance import TrialBalance
from ledger.domain.account import Account
from ledger.domain.idempotency import IdempotencyRecord
from ledger.domain.ids import account_id, idempotency_id
from projections.balances import all_balances
from projections.source import EventSource


@dataclass
class Start:
    position: int
    totals: dict[str, int]


def totals(ledger: Ledger, numbers: list[str]) -> dict[str, int]:
    summed: Counter[str] = Counter()
    for number in numbers:
        account = ledger.ctx.store.find(account_id(number))
        if account is not None:
            summed.update(account.balances)
    return dict(summed)


def start(ledger: Ledger, numbers: list[str]) -> Start:
    return Start(position=EventSource(ledger.ctx.store).head(), totals=totals(ledger, numbers))


def _claims(body: dict[str, Any]) -> tuple[set[str], set[str]]:
    entries = {body["entry_id"]} if isinstance(body.get("entry_id"), str) else set()
    for line in body.get("lines", []):
        if isinstance(line, dict) and isinstance(line.get("entry_id"), str):
            entries.add(line["entry_id"])
    orders = {body["order_id"]} if isinstance(body.get("order_id"), str) else set()
    return entries, orders


def check(ledger: Ledger, numbers: list[str], acks: list[dict[str, Any]], begun: Start,
          *, failures: int) -> dict[str, Any]:
    """The verdict: `breaches` is empty when everything holds."""
    breaches: list[str] = []
    source = EventSource(ledger.ctx.store)
    money: list[Any] = []
    records: dict[Any, Any] = {}
    position = begun.position
    while batch := source.after(position, 2000):
        for recorded in batch:
            event = recorded.event
            if isinstance(event, Account.MoneyEvent):
                money.append(event)
            elif isinstance(event, IdempotencyRecord.Recorded):
                records[event.originator_id] = event
        position = batch[-1].position
    entry_count = Counter(e.entry_id for e in money)
    placed = Counter(e.order_id for e in money if type(e).__name__ == "OrderPlaced")
    settled = Counter(e.order_id for e in money if type(e).__name__ == "OrderSettled")
    breaches += [f"entry {k} recorded {v} times" for k, v in entry_count.items() if v > 1]

    claimed_entries: set[str] = set()
    claimed_orders: set[str] = set()
    for record in records.values():
        entries, orders = _claims(record.response)
        claimed_entries |= entries
        claimed_orders |= orders
    orphans = [e.entry_id for e in money if e.entry_id not in claimed_entries
               and getattr(e, "order_id", None) not in claimed_orders]
    if orphans:
        breaches.append(f"{len(orphans)} money events claimed by no idempotency record")

    expected_total = 0
    expected_phone = 0
    for ack in acks:
        record = records.get(idempotency_id(ack["scope"], ack["key"]))
        label = f"{ack['kind']} key {ack['key']}"
        if record is None:
            breaches.append(f"acknowledged {label} has no idempotency record")
            continue
        if record.status_code != ack["status"] or record.response != ack["body"]:
            breaches.append(f"acknowledged {label}: the record's answer differs")
        body = ack["body"]
        entries, orders = _claims(body)
        if any(entry_count[e] != 1 for e in entries):
            breaches.append(f"acknowledged {label}: its entries are not in the log once")
        kind = ack["kind"]
        if kind in ("order", "sale") and any(placed[o] != 1 for o in orders):
            breaches.append(f"acknowledged {label}: not placed exactly once")
        if kind in ("delivery", "sale") and any(settled[o] != 1 for o in orders):
            breaches.append(f"acknowledged {label}: not settled exactly once")
        if kind == "deposit":
            expected_total += ack["amount_minor"]
        elif kind == "payroll":
            expected_total += ack["gross_minor"] * body["counts"]["paid"]
        elif kind in ("delivery", "sale"):
            expected_total -= body["delivered_minor"]
        elif kind == "recharge":
            expected_phone += ack["amount_minor"]

    now = totals(ledger, numbers)
    change = {k: now.get(k, 0) - begun.totals.get(k, 0) for k in set(now) | set(begun.totals)}
    total_change = sum(change.values())
    if failures == 0 and total_change != expected_total:
        breaches.append(f"sum of balances changed by {total_change}, the acknowledged "
                        f"writes account for {expected_total}")
    if failures == 0 and change.get("phone", 0) != expected_phone:
        breaches.append(f"phone cards changed by {change.get('phone', 0)}, recharges "
                        f"acknowledged {expected_phone}")
    negative = [n for n in numbers
                if any(v < 0 for v in ledger.ctx.account(n).balances.values())]
    if negative:
        breaches.append(f"{len(negative)} accounts below zero")

    trial = TrialBalance(ledger.ctx).as_of()
    if not trial["balanced"] or trial["difference_minor"] != 0:
        breaches.append(f"trial balance not balanced: difference {trial['difference_minor']}")

    runner = ledger.read_side.runner("balances")
    runner.catch_up()
    with ledger.read_side.views.reading() as tx:
        projected: Counter[str] = Counter()
        wanted = set(numbers)
        for number, sub, amount in all_balances(tx):
            if number in wanted:
                projected[sub] += int(amount)
    if {k: v for k, v in projected.items() if v} != {k: v for k, v in now.items() if v}:
        breaches.append("the balances projection disagrees with the aggregates")

    return {
        "breaches": breaches,
        "acknowledged_writes": len(acks),
        "acknowledged_by_kind": dict(Counter(a["kind"] for a in acks)),
        "retries_replayed": "checked by the load generator on every resent request",
        "records_in_run": len(records),
        "money_events_in_run": len(money),
        "sum_of_balances_change_minor": total_change,
        "expected_from_acknowledged_minor": expected_total,
        "phone_change_minor": change.get("phone", 0),
        "recharges_acknowledged_minor": expected_phone,
        "trial_balance": {"balanced": trial["balanced"],
                          "difference_minor": trial["difference_minor"]},
        "unacknowledged_requests": failures,
    }
