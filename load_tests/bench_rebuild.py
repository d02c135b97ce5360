"""Projection rebuild benchmark: writes about a million events straight through the
aggregates (in atomic saves of 250 PPL with their orders, week by week), then, in the
same run, measures

  * a plain read of the whole events table, decrypted and decoded (the floor), and
  * a rebuild from zero of every rebuildable projection,

and prints events/s for each and its ratio to the plain read; also the trial balance as
of a month end by the full scan and by the fast path (general ledger + that day).

    .venv/bin/python -m load_tests.bench_rebuild --store sqlite
    .venv/bin/python -m load_tests.bench_rebuild --store postgres \\
        --url postgresql://postgres@127.0.0.1:5432/test

Not part of the test suite (it takes minutes). A fresh SQLite file (or PostgreSQL schema)
is used and removed afterwards unless --keep. The history: `--ppl` PPL in six sectors,
each week a deposit, a wage, an order placed and delivered (every tenth in part), a
phone recharge every other week and a refund every fifth week; about 6.7 events per PPL
per week. Depositors and delivery runs are left out (no projection reads them)."""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

from ledger.application.bootstrap import Ledger, bootstrap
from ledger.application.trial_balance import TrialBalance, fast_postings_as_of, postings_as_of
from ledger.domain.account import Account
from ledger.domain.actor import Actor, Channel, Role
from ledger.domain.eligibility import Eligibility
from ledger.domain.ids import account_id
from ledger.domain.limits import limits_for
from ledger.domain.money import Money
from ledger.domain.order import Order
from ledger.domain.unit import UnitSettings
from ledger.infrastructure.config import Settings
from ledger.infrastructure.database import Database
from ledger.infrastructure.keys import create_key_file

DESK = Actor("bench-desk", Role.DEPOSIT_DESK)
PAYROLL = Actor("bench-payroll", Role.PAYROLL_OFFICER, Channel.BATCH)
CLERK = Actor("bench-clerk", Role.CLERK, Channel.POS, "POS-1")
CONTRACTOR = Actor("bench-contractor", Role.CONTRACTOR)
SECTORS = "ABCDEF"
PRODUCTS = [
    {"code": "GALL-01", "name": "Galletas", "category": "food_no_cooking", "quantity": 2,
     "unit_price_minor": 45_00, "item_units": 1},
    {"code": "JAB-01", "name": "Jabón", "category": "hygiene", "quantity": 1,
     "unit_price_minor": 80_00, "item_units": 1},
    {"code": "CIG-20", "name": "Cigarrillos x20", "category": "cigarettes", "quantity": 1,
     "unit_price_minor": 150_00, "item_units": 2},
]
START = datetime(2025, 1, 6, 12, 0, tzinfo=UTC)  # a Monday, 09:00 in Montevideo
# PPL per atomic save: psycopg's pipeline stalls on one executemany of many thousand rows.
CHUNK = 250


def _entry() -> str:
    return str(uuid.uuid4())


class History:
    """Writes the weeks through the aggregates, one atomic save per week."""

    def __init__(self, ledger: Ledger, ppl: int) -> None:
        self.ledger = ledger
        self.settings = ledger.ctx.settings()
        self.limits = limits_for(self.settings, "cerrado", Eligibility.eligible())
        self.accounts = [
            Account.admit(account_id(f"B-{i}"), number=f"B-{i}", name=f"PPL {i}",
                          document=f"D{i}", document_fingerprint=f"fp{i}",
                          sector=SECTORS[i % len(SECTORS)], regime="cerrado",
                          admitted_at=START, currency="UYU", actor=DESK, at=START)
            for i in range(ppl)]
        self.depositors = [str(uuid.uuid4()) for _ in range(ppl // 2 + 1)]

    def week(self, w: int) -> list[list[Any]]:
        monday = START + timedelta(weeks=w)
        month = self.settings.month_of(monday)
        orders = []
        for i, account in enumerate(self.accounts):
            at = monday + timedelta(seconds=i)
            account.receive_deposit(
                entry_id=_entry(), deposit_id=_entry(), depositor_id=self.depositors[i // 2],
                channel="cash_desk", needs_clearing=False, external_reference="",
                amount=Money(500_00 + i % 7 * 10_00, "UYU"), month=month, actor=DESK, at=at)
            account.pay_wage(entry_id=_entry(), employer="cocina", period=f"W{w}", hours=30,
                             gross=Money(900_00, "UYU"), reserve_share_bp=3000,
                             recovery_share_bp=2000, actor=PAYROLL, at=at + timedelta(hours=1))
            if w % 2 == 0:
                account.recharge_phone_card(entry_id=_entry(), amount=Money(100_00, "UYU"),
                                            actor=DESK, at=at + timedelta(hours=2))
            orders.append(self._order(account, w, i, at + timedelta(hours=3)))
        return [[*self.accounts[i:i + CHUNK], *orders[i:i + CHUNK]]
                for i in range(0, len(self.accounts), CHUNK)]

    def _order(self, account: Account, w: int, i: int, at: datetime) -> Order:
        delivery = (at + timedelta(days=1 + i % 4)).date().isoformat()
        order = Order.place(uuid.uuid4(), number=account.number, sector=account.sector,
                            lines=PRODUCTS, delivery_date=delivery, actor=CLERK, at=at)
        account.place_order(entry_id=_entry(), order_id=str(order.id),
                            amount=Money(order.total_minor, "UYU"), items=order.items,
                            month=self.settings.month_of(at), delivery_date=delivery,
                            limits=self.limits, actor=CLERK, at=at)
        handed = {"GALL-01": 1, "JAB-01": 1, "CIG-20": 0} if (w + i) % 10 == 0 else None
        delivered_at = at + timedelta(days=1 + i % 4, hours=2)
        amount, released, items = order.deliver(handed, CLERK, delivered_at)
        account.settle_order(entry_id=_entry(), order_id=str(order.id), outcome=order.status,
                             delivered_minor=amount, released_minor=released,
                             released_items=items, actor=CLERK, at=delivered_at)
        if (w + i) % 5 == 1:
            refunded_at = delivered_at + timedelta(hours=3)
            refund_id = _entry()
            refund, refund_items = order.refund(refund_id, {"JAB-01": 1}, "roto", CONTRACTOR,
                                                refunded_at)
            account.refund_commissary(
                entry_id=_entry(), order_id=str(order.id), refund_id=refund_id,
                amount=Money(refund, "UYU"), items=refund_items,
                month=self.settings.month_of(at), restores_consumption=False,
                actor=CONTRACTOR, at=refunded_at)
        return order

    def trim(self) -> None:
        """Forgets what only later corrections would need, so memory stays flat."""
        for account in self.accounts:
            account.entries.clear()
            account.deposits.clear()
            account.deliveries.clear()


def write(ledger: Ledger, target: int, ppl: int, say: Callable[[str], None]) -> float:
    history = History(ledger, ppl)
    started = time.perf_counter()
    for i in range(0, ppl, CHUNK):
        ledger.ctx.store.save(*history.accounts[i:i + CHUNK])
    w = 0
    while ledger.ctx.store.event_count() < target:
        for chunk in history.week(w):
            ledger.ctx.store.save(*chunk)
        history.trim()
        w += 1
        if w % 10 == 0:
            say(f"  week {w}: {ledger.ctx.store.event_count():,} events")
    return time.perf_counter() - started


def plain_read(ledger: Ledger, page: int) -> tuple[int, float]:
    """Every stored event selected in pages, decrypted and decoded; nothing else."""
    recorder, mapper = ledger.ctx.store.recorder, ledger.ctx.store.mapper
    started = time.perf_counter()
    position, count = 0, 0
    while notifications := recorder.select_notifications(start=position, limit=page,
                                                         inclusive_of_start=False):
        for notification in notifications:
            mapper.to_domain_event(notification)
        count += len(notifications)
        position = notifications[-1].id
    return count, time.perf_counter() - started


def _open(args: argparse.Namespace, workdir: Path) -> tuple[Ledger, Callable[[], None]]:
    key_file = workdir / "keys.json"
    create_key_file(key_file)
    if args.store == "sqlite":
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    else:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        url = f"{args.url}?schema={schema}"
    ledger = bootstrap(Settings(database_url=url, key_file=key_file, batch_commits=False))

    def drop() -> None:
        ledger.close()
        if args.store == "postgres" and not args.keep:
            info = Database.from_url(args.url).conninfo()
            with psycopg.connect(info, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    return ledger, drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--ppl", type=int, default=3_000)
    parser.add_argument("--batch", type=int, default=500, help="runner batch size")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-rebuild-"))
    ledger, drop = _open(args, workdir)
    try:
        run(ledger, args)
    finally:
        drop()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def run(ledger: Ledger, args: argparse.Namespace) -> None:
    def say(text: str) -> None:
        print(text, flush=True)

    ledger.unit.configure(UnitSettings(name="Unidad de prueba de carga"), Actor.system("bench"))
    say(f"[{args.store}] writing {args.events:,} events for {args.ppl:,} PPL ...")
    seconds = write(ledger, args.events, args.ppl, say)
    total = ledger.ctx.store.event_count()
    say(f"[{args.store}] wrote {total:,} events in {seconds:.1f} s ({total / seconds:,.0f}/s)")
    count, plain = plain_read(ledger, args.batch)
    floor = count / plain
    say(f"[{args.store}] plain SELECT, decrypted and decoded: {count:,} events in "
        f"{plain:.1f} s = {floor:,.0f} events/s")
    read_side = ledger.read_side
    read_side.batch_size = args.batch
    rows = []
    for name, runner in read_side.runners.items():
        if not runner.projection.rebuildable:
            continue
        runner.batch_size = args.batch
        started = time.perf_counter()
        events = runner.rebuild()
        spent = time.perf_counter() - started
        rows.append((name, events, spent))
        say(f"[{args.store}] rebuild {name:<24} {events:,} events in {spent:6.1f} s = "
            f"{events / spent:>9,.0f} events/s ({events / spent / floor:.2f} of the plain read)")
    month_end = TrialBalance(ledger.ctx).as_of("2025-06-30")["as_of"]
    instant = datetime.fromisoformat(month_end)
    started = time.perf_counter()
    full = postings_as_of(read_side.source, instant)
    full_s = time.perf_counter() - started
    started = time.perf_counter()
    fast = fast_postings_as_of(read_side, ledger.ctx, instant)
    fast_s = time.perf_counter() - started
    same = {a: v for a, v in full.items() if v} == {a: v for a, v in fast.items() if v}
    say(f"[{args.store}] trial balance as of {month_end}: full scan {full_s:.1f} s, "
        f"general ledger + that day {fast_s:.2f} s, equal: {same}")
    say(f"\n| {total:,} events, {args.store} | events/s | seconds | ratio to plain read |")
    say("|---|---|---|---|")
    say(f"| plain read (decrypt + decode) | {floor:,.0f} | {plain:.1f} | 1.00 |")
    for name, events, spent in rows:
        say(f"| rebuild `{name}` | {events / spent:,.0f} | {spent:.1f} | "
            f"{events / spent / floor:.2f} |")


if __name__ == "__main__":
    main()
