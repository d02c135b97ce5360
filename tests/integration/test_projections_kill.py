"""Exactly once: a runner killed with SIGKILL in the middle of a batch (its writes made,
its transaction not committed) resumes from its last committed position; afterwards every
figure equals a rebuild from zero, and the audit chain holds each event exactly once.

Run as a program, this module is the runner that gets killed (see `child`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import projections.runner as runner_module
from ledger.application.bootstrap import Ledger, bootstrap
from ledger.audit.verify import verify
from ledger.infrastructure.config import Settings
from tests.factories import ManualClock
from tests.integration.commissary_story import commissary_history
from tests.integration.test_projections import REBUILDABLE, tables, varied_history

ROOT = Path(__file__).resolve().parents[2]
BATCH = 7
KILLED_IN_BATCH = 3


def child(database_url: str, key_file: str, name: str) -> None:
    """Runs one projection in batches of BATCH. In batch KILLED_IN_BATCH, at the last
    moment before the commit (the batch's rows written, its new position written), it
    says so and waits to be killed."""
    ledger = bootstrap(Settings(database_url=database_url, key_file=Path(key_file)))
    ledger.read_side.batch_size = BATCH
    runner = ledger.read_side.runner(name)
    advance = runner_module.tracking.advance
    seen = [0]

    def advance_then_wait(tx: Any, projection: str, to: int) -> None:
        advance(tx, projection, to)
        seen[0] += 1
        if seen[0] == KILLED_IN_BATCH:
            print(f"MID-BATCH {to}", flush=True)
            time.sleep(3600)

    runner_module.tracking.advance = advance_then_wait  # type: ignore[assignment]
    runner.catch_up()


# The commissary's read models are killed inside the commissary fortnight, where their
# events are; the others from the start of the log.
COMMISSARY = ("commissary_month", "commissary_eligibility", "pick_lists", "sales_ledger")


@pytest.mark.parametrize("name", [*REBUILDABLE, "audit_chain"])
def test_a_runner_killed_mid_batch_resumes_without_counting_twice_or_missing(
        ledger: Ledger, settings: Settings, clock: ManualClock, name: str) -> None:
    varied_history(ledger, clock)
    read_side = ledger.read_side
    start = read_side.source.head() if name in COMMISSARY else 0
    commissary_history(ledger, clock)
    if start:
        read_side.runner(name).batch_size = start  # exactly up to the fortnight's start
        read_side.runner(name).catch_up(until=start)
        read_side.runner(name).batch_size = read_side.batch_size
    assert read_side.runner(name).position() == start
    victim = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.test_projections_kill", settings.database_url,
         str(settings.key_file), name],
        cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert victim.stdout is not None
    line = victim.stdout.readline().split()
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    assert line[0] == "MID-BATCH", "the runner never reached the batch it was to die in"
    runner = read_side.runner(name)
    # Two batches committed; the third, killed before its commit, left nothing behind.
    assert int(line[1]) == read_side.source.after(start, 3 * BATCH)[-1].position
    assert runner.position() == read_side.source.after(start, 2 * BATCH)[-1].position

    read_side.catch_up_all()
    resumed = tables(ledger)
    for each in REBUILDABLE:
        read_side.runner(each).rebuild()
    assert tables(ledger) == resumed
    verdict = verify(read_side.source, read_side.views, ledger.ctx.keys.signing_key.public_key())
    assert verdict.ok and verdict.checked == len(list(read_side.source.all()))
    assert verdict.chain_head == read_side.source.head() and verdict.unchained == 0
    for number, sub, amount in resumed["balances"]:
        assert ledger.ctx.account(number).balances[sub] == amount


if __name__ == "__main__":
    child(*sys.argv[1:4])
