"""`ledger projections rebuild` replays from zero and prints events/s; `status` shows
position and lag; the audit chain is never rebuilt."""

from __future__ import annotations

import re

from click.testing import CliRunner

from ledger.application.bootstrap import Ledger
from ledger.cli import main
from ledger.infrastructure.config import Settings
from tests.factories import ManualClock
from tests.integration.test_projections import tables, varied_history


def test_rebuild_prints_events_per_second_and_keeps_the_figures(
        ledger: Ledger, settings: Settings, clock: ManualClock) -> None:
    varied_history(ledger, clock)
    ledger.read_side.catch_up_all()
    before = tables(ledger)
    env = {"LEDGER_DATABASE_URL": settings.database_url,
           "LEDGER_KEY_FILE": str(settings.key_file)}
    result = CliRunner().invoke(main, ["projections", "rebuild"], env=env)
    assert result.exit_code == 0, result.output
    head = ledger.ctx.store.event_count()
    for name in ("balances", "general_ledger", "indigent"):
        assert re.search(rf"^{name}: {head} events in [\d.]+ s \([\d,]+ events/s\)$",
                         result.output, re.MULTILINE), result.output
    assert tables(ledger) == before
    refused = CliRunner().invoke(main, ["projections", "rebuild", "audit_chain"], env=env)
    assert refused.exit_code == 1 and "never recomputed" in refused.output


def test_status_shows_position_and_lag_of_each_runner(
        ledger: Ledger, settings: Settings, clock: ManualClock) -> None:
    varied_history(ledger, clock)
    ledger.read_side.runner("balances").catch_up()
    head = ledger.ctx.store.event_count()
    env = {"LEDGER_DATABASE_URL": settings.database_url,
           "LEDGER_KEY_FILE": str(settings.key_file)}
    output = CliRunner().invoke(main, ["projections", "status"], env=env).output
    assert re.search(rf"^balances\s+position\s+{head}\s+head\s+{head}\s+lag\s+0$", output,
                     re.MULTILINE), output
    assert re.search(rf"^indigent\s+position\s+0\s+head\s+{head}\s+lag\s+{head}$", output,
                     re.MULTILINE), output
