"""Tamper evidence: every stored event is chained by hash, the chain head is signed at
intervals, and verification names the first event that no longer matches — after one
byte of one stored event is altered, or one row deleted, directly in the database."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.application.bootstrap import Ledger
from ledger.audit.chain import link, record_hash
from ledger.audit.verify import Finding, Verdict, verify
from ledger.cli import main
from ledger.infrastructure.config import Settings
from tests.factories import ManualClock, fund
from tests.integration.test_projections import varied_history

INTERVAL = 10


@pytest.fixture
def chained(ledger: Ledger, clock: ManualClock) -> Ledger:
    ledger.read_side.chain_interval = INTERVAL
    varied_history(ledger, clock)
    ledger.read_side.runner("audit_chain").catch_up()
    return ledger


def _verify(ledger: Ledger, key: Any = None) -> Verdict:
    public = key or ledger.ctx.keys.signing_key.public_key()
    return verify(ledger.read_side.source, ledger.read_side.views, public)


def _events_table(ledger: Ledger) -> tuple[str, str]:
    table = ledger.ctx.store.recorder.events_table_name  # type: ignore[attr-defined]
    return table, "rowid" if ledger.ctx.side.database.kind == "sqlite" else "notification_id"


def _middle_event(ledger: Ledger) -> Any:
    events = list(ledger.read_side.source.all())
    return events[len(events) // 2].notification


def _expected(kind: str, n: Any) -> tuple[str, int, str, int]:
    return kind, n.id, str(n.originator_id), n.originator_version


def _found(verdict: Verdict) -> list[tuple[str, int, str, int]]:
    return [(f.kind, f.position, f.originator_id, f.originator_version)
            for f in verdict.findings]


def test_an_untouched_store_verifies_up_to_its_last_signed_checkpoint(chained: Ledger) -> None:
    verdict = _verify(chained)
    total = len(list(chained.read_side.source.all()))
    assert verdict.ok and verdict.checked == total and verdict.unchained == 0
    assert verdict.checkpoints == total // INTERVAL >= 3
    assert verdict.signed_head == list(chained.read_side.source.all())[
        verdict.checkpoints * INTERVAL - 1].position


def test_one_altered_byte_of_one_stored_event_is_named_exactly(chained: Ledger) -> None:
    victim = _middle_event(chained)
    table, id_column = _events_table(chained)
    state = bytearray(chained.ctx.side.fetchone(
        f"SELECT state FROM {table} WHERE {id_column} = %s", (victim.id,))[0])  # noqa: S608
    state[len(state) // 2] ^= 0x01
    chained.ctx.side.execute(f"UPDATE {table} SET state = %s WHERE {id_column} = %s",  # noqa: S608
                             (bytes(state), victim.id))
    verdict = _verify(chained)
    assert _found(verdict) == [_expected("altered", victim)]
    assert verdict.first is not None and "altered at position" in verdict.first.describe()


def test_one_deleted_event_row_is_named_exactly(chained: Ledger) -> None:
    victim = _middle_event(chained)
    table, id_column = _events_table(chained)
    chained.ctx.side.execute(f"DELETE FROM {table} WHERE {id_column} = %s", (victim.id,))  # noqa: S608
    assert _found(_verify(chained)) == [_expected("deleted", victim)]


def test_events_and_chain_rewritten_together_fail_at_the_next_signed_checkpoint(
        chained: Ledger) -> None:
    victim = _middle_event(chained)
    table, id_column = _events_table(chained)
    chained.ctx.side.execute(f"UPDATE {table} SET topic = %s WHERE {id_column} = %s",  # noqa: S608
                             (victim.topic + "X", victim.id))
    # The attacker recomputes every chain row from the altered event on, consistently.
    with chained.read_side.views.transaction() as tx:
        previous = bytes.fromhex(tx.fetchone(
            "SELECT chain_hash FROM audit_chain WHERE position < %s ORDER BY position DESC "
            "LIMIT 1", (victim.id,))[0])
        for recorded in chained.read_side.source.after(victim.id - 1, 10_000):
            record = record_hash(recorded.notification)
            previous = link(previous, record)
            tx.execute("UPDATE audit_chain SET record_hash = %s, chain_hash = %s "
                       "WHERE position = %s", (record.hex(), previous.hex(), recorded.position))
        checkpoint = tx.fetchone("SELECT MIN(position) FROM audit_checkpoints "
                                 "WHERE position >= %s", (victim.id,))[0]
    verdict = _verify(chained)
    assert verdict.first is not None
    assert (verdict.first.kind, verdict.first.position) == ("checkpoint_mismatch", checkpoint)
    assert {f.kind for f in verdict.findings} == {"checkpoint_mismatch"}  # and every later one


def test_checkpoints_do_not_verify_under_another_key(chained: Ledger) -> None:
    other = Ed25519PrivateKey.generate().public_key()
    verdict = _verify(chained, other)
    assert {f.kind for f in verdict.findings} == {"bad_signature"}
    assert len(verdict.findings) == verdict.checkpoints


def test_events_stored_after_the_chain_head_are_counted_as_not_yet_chained(
        chained: Ledger) -> None:
    before = len(list(chained.read_side.source.all()))
    fund(chained, "P-8", 10_00)
    verdict = _verify(chained)
    assert verdict.ok and verdict.unchained == len(list(chained.read_side.source.all())) - before
    chained.read_side.runner("audit_chain").catch_up()
    assert _verify(chained).unchained == 0


def test_ledger_audit_verify_prints_the_first_mismatch_and_exits_1(
        chained: Ledger, settings: Settings) -> None:
    env = {"LEDGER_DATABASE_URL": settings.database_url,
           "LEDGER_KEY_FILE": str(settings.key_file)}
    assert CliRunner().invoke(main, ["audit", "verify"], env=env).exit_code == 0
    victim = _middle_event(chained)
    table, id_column = _events_table(chained)
    chained.ctx.side.execute(f"DELETE FROM {table} WHERE {id_column} = %s", (victim.id,))  # noqa: S608
    result = CliRunner().invoke(main, ["audit", "verify"], env=env)
    assert result.exit_code == 1
    expected = Finding("deleted", victim.id, str(victim.originator_id),
                       victim.originator_version, "the chained event is missing from the "
                       "events table")
    assert f"FIRST MISMATCH: {expected.describe()}" in result.output


def test_the_newest_event_deleted_is_named_too(chained: Ledger) -> None:
    newest = list(chained.read_side.source.all())[-1].notification
    table, id_column = _events_table(chained)
    chained.ctx.side.execute(f"DELETE FROM {table} WHERE {id_column} = %s", (newest.id,))  # noqa: S608
    assert _found(_verify(chained)) == [_expected("deleted", newest)]
