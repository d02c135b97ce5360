"""Batched commits keep every guarantee of one-command-one-transaction: commands in one
batch see each other in order, a refused command changes nothing, a key is applied once,
and a write by another process is never overwritten or ignored (both stores)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any
from uuid import uuid4

import pytest

from ledger.application.batching import Batcher
from ledger.application.bootstrap import Ledger, bootstrap
from ledger.application.idempotency import IdempotentRequest, Outcome
from ledger.domain.errors import Conflict, InsufficientFunds, LedgerError
from ledger.domain.ids import account_id
from ledger.domain.money import Money
from ledger.infrastructure.config import Settings
from tests.conftest import event_count
from tests.factories import CLERK, ManualClock, admit, fund


@pytest.fixture
def batched(ledger: Ledger) -> Ledger:
    """The ledger with batching on, whatever LEDGER_BATCH_COMMITS says."""
    if ledger.ctx.store.batcher is None:
        ledger.ctx.store.enable_batching(hot_size=1000)
    return ledger


@pytest.fixture
def other_process(settings: Settings, clock: ManualClock) -> Iterator[Ledger]:
    """A second ledger on the same store: what another worker process would be."""
    other = bootstrap(settings, clock=clock)
    yield other
    other.close()


def batcher(ledger: Ledger) -> Batcher:
    return ledger.ctx.store.batcher  # type: ignore[no-any-return]


def recharge(ledger: Ledger, amount: int, key: str | None = None) -> Outcome:
    request = IdempotentRequest("u-clerk", key, f"recharge {amount}") if key else None
    return ledger.funds.recharge_phone_card(number="P-1", amount_minor=amount,
                                            currency="UYU", actor=CLERK, request=request)


def in_one_batch(ledger: Ledger, calls: list[Callable[[], Any]], *,
                 committed_together: bool = True) -> list[Any]:
    """Runs `calls` from as many threads, queued in this order behind one blocking
    command, so the batcher takes them together. Answers (or errors) in order."""
    gate, queued = threading.Event(), threading.Event()
    results: list[Any] = [None] * len(calls)
    pending = batcher(ledger)._queue

    def blocker() -> Any:
        queued.wait()
        gate.wait()
        return [], Outcome(200, {})

    def call(i: int) -> None:
        try:
            results[i] = calls[i]()
        except LedgerError as error:
            results[i] = error

    lead = threading.Thread(target=lambda: ledger.ctx.run(None, blocker))
    lead.start()
    while not batcher(ledger)._leading:
        threading.Event().wait(0.001)
    threads = [threading.Thread(target=call, args=(i,)) for i in range(len(calls))]
    for queued_before, thread in enumerate(threads):  # one at a time: queued in order
        thread.start()
        while len(pending) <= queued_before:
            threading.Event().wait(0.001)
    queued.set()
    batches_before = batcher(ledger).batches
    gate.set()
    for thread in [lead, *threads]:
        thread.join()
    if committed_together:  # the blocker's batch, then theirs
        assert batcher(ledger).batches - batches_before == 2
    return results


def test_commands_on_one_account_in_one_batch_see_each_other_in_order(batched: Ledger) -> None:
    admit(batched, "P-1")
    fund(batched, "P-1", 100_00)
    results = in_one_batch(batched, [lambda: recharge(batched, 40_00) for _ in range(3)])
    assert [type(r) for r in results].count(Outcome) == 2
    assert sum(isinstance(r, InsufficientFunds) for r in results) == 1
    balances = batched.statements.balances("P-1")["balances"]
    assert balances["available"] == 20_00 and balances["phone"] == 80_00


def test_a_refused_command_leaves_no_trace_for_the_commands_after_it(batched: Ledger) -> None:
    admit(batched, "P-1")
    fund(batched, "P-1", 100_00)

    def spend_then_refuse() -> Outcome:
        def decide() -> Any:
            account = batched.ctx.account("P-1")
            account.recharge_phone_card(entry_id=str(uuid4()), amount=Money(90_00, "UYU"),
                                        actor=CLERK, at=batched.ctx.clock.now())
            raise Conflict("changed_mind", es="no", en="no")
        return batched.ctx.run(None, decide)

    results = in_one_batch(batched, [spend_then_refuse, lambda: recharge(batched, 60_00)])
    assert isinstance(results[0], Conflict) and isinstance(results[1], Outcome)
    assert results[1].body["balances"]["available"] == 40_00
    account = batched.ctx.account("P-1")
    assert [e["kind"] for e in account.entries.values()].count("phone_recharge") == 1
    assert batched.statements.balances("P-1")["balances"]["phone"] == 60_00


def test_the_same_key_twice_in_one_batch_is_applied_once(batched: Ledger) -> None:
    admit(batched, "P-1")
    fund(batched, "P-1", 100_00)
    before = event_count(batched)
    first, second = in_one_batch(batched, [lambda: recharge(batched, 30_00, "k-1")] * 2)
    assert first.body == second.body and second.replayed and not first.replayed
    assert event_count(batched) == before + 2  # one recharge, one idempotency record
    assert batched.statements.balances("P-1")["balances"]["phone"] == 30_00


def test_a_write_by_another_process_is_seen_before_deciding(batched: Ledger,
                                                             other_process: Ledger) -> None:
    admit(batched, "P-1")
    fund(batched, "P-1", 100_00)
    recharge(batched, 10_00)  # P-1 is now hot in this process, at 90_00 available
    recharge(other_process, 90_00)  # the other process spends the rest
    with pytest.raises(InsufficientFunds):
        recharge(batched, 10_00)
    assert batcher(batched).retries >= 1
    balances = batched.statements.balances("P-1")["balances"]
    assert balances["available"] == 0 and balances["phone"] == 100_00


def test_a_key_recorded_by_another_process_gets_that_answer(batched: Ledger,
                                                            other_process: Ledger) -> None:
    admit(batched, "P-1")
    fund(batched, "P-1", 100_00)
    recharge(batched, 10_00)
    theirs = recharge(other_process, 20_00, key="shared-key")
    ours = recharge(batched, 20_00, key="shared-key")
    assert ours.replayed and ours.body == theirs.body
    assert batched.statements.balances("P-1")["balances"]["phone"] == 30_00


def test_a_refused_retry_of_an_applied_key_replays_instead_of_refusing(batched: Ledger) -> None:
    admit(batched, "P-1")
    fund(batched, "P-1", 50_00)
    first = recharge(batched, 50_00, key="all-of-it")
    again = recharge(batched, 50_00, key="all-of-it")  # no funds left: still the replay
    assert again.replayed and again.body == first.body


def test_an_account_past_its_snapshot_loads_cold_in_one_trip_as_the_repository_has_it(
        batched: Ledger, other_process: Ledger) -> None:
    admit(batched, "P-1")
    fund(batched, "P-1", 1_000_00)
    for _ in range(120):  # a snapshot at version 100, events after it
        recharge(batched, 1_00)
    store = other_process.ctx.store  # cold: nothing of P-1 cached there
    loaded: Any = store.load_for_batch(account_id("P-1"))
    expected = batched.ctx.account("P-1")
    assert loaded.version == expected.version > 100
    assert loaded.balances == expected.balances and loaded.entries == expected.entries
    assert store.load_for_batch(account_id("P-404")) is None


def test_a_command_holding_its_own_copy_of_an_aggregate_loses_no_other_write(
        batched: Ledger) -> None:
    admit(batched, "P-1")
    fund(batched, "P-1", 100_00)

    def recharge_on_own_copy() -> Outcome:
        def decide() -> Any:
            account: Any = batched.ctx.store.load_fresh(account_id("P-1"))  # past find
            account.recharge_phone_card(entry_id=str(uuid4()), amount=Money(20_00, "UYU"),
                                        actor=CLERK, at=batched.ctx.clock.now())
            return [account], Outcome(201, {})
        return batched.ctx.run(None, decide)

    results = in_one_batch(batched, [lambda: recharge(batched, 30_00), recharge_on_own_copy],
                           committed_together=False)
    assert all(isinstance(r, Outcome) for r in results)
    assert batcher(batched).retries >= 1  # the batch was refused, then each ran alone
    assert batched.statements.balances("P-1")["balances"]["phone"] == 50_00


def test_a_batch_loads_the_cold_accounts_its_commands_name_in_one_query(
        batched: Ledger, other_process: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    for number in ("P-1", "P-2", "P-3"):
        admit(other_process, number)
        fund(other_process, number, 100_00)
    store = batched.ctx.store
    asked: list[list[Any]] = []
    real = store.load_many_for_batch
    monkeypatch.setattr(store, "load_many_for_batch",
                        lambda ids: asked.append(list(ids)) or real(ids))

    def recharge_of(number: str) -> Callable[[], Outcome]:
        return lambda: batched.funds.recharge_phone_card(
            number=number, amount_minor=10_00, currency="UYU", actor=CLERK, request=None)

    results = in_one_batch(batched, [recharge_of(n) for n in ("P-1", "P-2", "P-3")])
    assert all(isinstance(r, Outcome) for r in results)
    assert sorted(map(str, asked[0])) == sorted(str(account_id(n)) for n in ("P-1", "P-2", "P-3"))
    assert len(asked) == 1  # no account loaded on its own afterwards
    for number in ("P-1", "P-2", "P-3"):
        assert other_process.statements.balances(number)["balances"]["phone"] == 10_00


def test_a_wrong_reads_hint_changes_nothing_but_the_loading(batched: Ledger) -> None:
    admit(batched, "P-1")
    fund(batched, "P-1", 100_00)

    def decide() -> Any:
        account = batched.ctx.account("P-1")
        account.recharge_phone_card(entry_id=str(uuid4()), amount=Money(25_00, "UYU"),
                                    actor=CLERK, at=batched.ctx.clock.now())
        return [account], Outcome(201, {})

    batched.ctx.run(None, decide, reads=(account_id("P-404"), account_id("P-2")))
    assert batched.statements.balances("P-1")["balances"]["phone"] == 25_00
