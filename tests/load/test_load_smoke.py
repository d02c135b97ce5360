"""The load test in miniature, for CI: a few seconds of every actor against the real
server, then the money checks. Fails on any failed request or any conservation breach.
The full runs are `python -m load_tests.run` and `python -m load_tests.bench`
(docs/PERFORMANCE.md)."""

from __future__ import annotations

from pathlib import Path

from ledger.infrastructure.config import Settings
from load_tests import run
from tests.conftest import STORES


def test_a_short_mixed_day_loses_no_money_and_applies_every_request_once(
        tmp_path: Path) -> None:
    store = "postgres" if "postgres" in STORES else "sqlite"  # PostgreSQL: LEDGER_TEST_PG_URL
    batch = "1" if Settings().batch_commits else "0"  # the server as the suite is set
    args = run.options(["--scenario", "mixed", "--ppl", "60", "--users", "6",
                        "--spawn-rate", "6", "--seconds", "4", "--store", store,
                        "--batch", batch,
                        "--work-root", str(tmp_path), "--out", str(tmp_path / "load.json")])
    result = run.run(args)
    verdict = result["checks"]
    assert result["requests"] > 0 and verdict["acknowledged_writes"] > 0, result
    assert result["failures"] == 0, result["by_request"]
    assert verdict["breaches"] == [], verdict["breaches"]
    assert verdict["trial_balance"] == {"balanced": True, "difference_minor": 0}
    assert verdict["sum_of_balances_change_minor"] == \
        verdict["expected_from_acknowledged_minor"]
