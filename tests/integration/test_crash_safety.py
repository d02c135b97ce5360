"""Crash at any point loses no acknowledged write: a writer is killed with SIGKILL while
depositing; every deposit it acknowledged is in the store afterwards, and the books add
up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from ledger.application.bootstrap import Ledger, bootstrap
from ledger.infrastructure.config import Settings
from tests.factories import ADMIN, admit, register_depositor

ROOT = Path(__file__).resolve().parents[2]


def test_a_killed_writer_loses_no_acknowledged_deposit(ledger: Ledger, settings: Settings) -> None:
    ledger.unit.change({"deposit_cap_per_ppl_month_minor": None,
                        "deposit_cap_per_depositor_month_minor": None}, "prueba", ADMIN, None)
    admit(ledger, "P-1")
    depositor = register_depositor(ledger)
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.crash_writer", settings.database_url,
         str(settings.key_file), depositor],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    acknowledged: list[tuple[str, int]] = []
    assert writer.stdout is not None
    deadline = time.monotonic() + 60
    while len(acknowledged) < 40 and time.monotonic() < deadline:
        line = writer.stdout.readline()
        if not line:
            break
        deposit_id, n = line.split()
        acknowledged.append((deposit_id, int(n)))
    writer.send_signal(signal.SIGKILL)  # mid-stream: it is writing the next one right now
    writer.wait()
    assert len(acknowledged) >= 40, writer.stderr.read() if writer.stderr else ""

    reopened = bootstrap(settings)
    try:
        account = reopened.ctx.account("P-1")
        for deposit_id, _ in acknowledged:
            assert deposit_id in account.deposits, f"acknowledged deposit {deposit_id} lost"
        # Whatever the kill interrupted was written wholly or not at all.
        total = sum(d["amount_minor"] for d in account.deposits.values())
        assert account.balances["available"] == total
        assert total >= sum(n for _, n in acknowledged)
    finally:
        reopened.close()
