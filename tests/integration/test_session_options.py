"""The ledger's PostgreSQL sessions run without JIT and parallel workers: for its short
statements a misestimated plan otherwise cost 10-100 ms per read (docs/PERFORMANCE.md)."""

from __future__ import annotations

import pytest

from ledger.application.bootstrap import Ledger


@pytest.mark.postgres_only
def test_every_pool_of_the_ledger_turns_off_jit_and_parallel_workers(ledger: Ledger) -> None:
    recorder = ledger.ctx.store.recorder
    with recorder.datastore.get_connection() as conn:  # type: ignore[attr-defined]
        events = [conn.execute(f"SHOW {name}").fetchone() for name in
                  ("jit", "max_parallel_workers_per_gather")]
    side = [ledger.ctx.side.fetchone(f"SHOW {name}")
            for name in ("jit", "max_parallel_workers_per_gather")]
    assert [list(r.values())[0] for r in events] == ["off", "0"]  # type: ignore[union-attr]
    assert [r[0] for r in side] == ["off", "0"]  # type: ignore[index]
