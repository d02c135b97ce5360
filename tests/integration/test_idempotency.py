"""Nothing lost, nothing doubled: a retry returns the original answer and records
nothing new; the same key with another body is refused."""

from __future__ import annotations

import threading

import pytest

from ledger.application.bootstrap import Ledger
from ledger.application.idempotency import IdempotentRequest, fingerprint
from ledger.domain.errors import Conflict
from tests.conftest import event_count
from tests.factories import DESK, admit, register_depositor


def request(key: str, body: dict[str, object]) -> IdempotentRequest:
    return IdempotentRequest(scope="u-desk", key=key,
                             fingerprint=fingerprint("POST", "/ppl/P-1/deposits", body))


def record(ledger: Ledger, depositor: str, amount: int, req: IdempotentRequest) -> object:
    return ledger.deposits.record(number="P-1", depositor_id=depositor, amount_minor=amount,
                                  currency="UYU", channel="cash_desk", external_reference="r",
                                  actor=DESK, request=req)


def test_a_retried_deposit_returns_the_first_answer_and_records_nothing(ledger: Ledger) -> None:
    admit(ledger, "P-1")
    depositor = register_depositor(ledger)
    req = request("key-1", {"amount_minor": 100_00})
    first = record(ledger, depositor, 100_00, req)
    count = event_count(ledger)
    again = record(ledger, depositor, 100_00, req)
    assert again.body == first.body and again.replayed  # type: ignore[attr-defined]
    assert event_count(ledger) == count
    assert ledger.statements.balances("P-1")["balances"]["available"] == 100_00


def test_the_same_key_with_another_body_is_refused(ledger: Ledger) -> None:
    admit(ledger, "P-1")
    depositor = register_depositor(ledger)
    record(ledger, depositor, 100_00, request("key-1", {"amount_minor": 100_00}))
    count = event_count(ledger)
    with pytest.raises(Conflict) as refused:
        record(ledger, depositor, 200_00, request("key-1", {"amount_minor": 200_00}))
    assert refused.value.code == "idempotency_key_reused"
    assert event_count(ledger) == count


def test_racing_duplicates_of_one_request_post_once(ledger: Ledger,
                                                   second_ledger: Ledger) -> None:
    admit(ledger, "P-1")
    depositor = register_depositor(ledger)
    req = request("key-race", {"amount_minor": 100_00})
    answers: list[object] = []
    barrier = threading.Barrier(6)

    def send(target: Ledger) -> None:
        barrier.wait()
        answers.append(record(target, depositor, 100_00, req))

    # Copies race inside one process (the commit batcher) and across two (the database).
    threads = [threading.Thread(target=send, args=([ledger, second_ledger][i % 2],))
               for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(answers) == 6
    assert len({a.body["deposit_id"] for a in answers}) == 1  # type: ignore[attr-defined]
    assert ledger.statements.balances("P-1")["balances"]["available"] == 100_00
