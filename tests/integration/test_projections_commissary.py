"""The commissary's read models: month-to-date spend equals what each Account counts
against its limits, eligibility is computed when read (a suspension ends by itself),
pick lists equal the delivery runs, and a read can wait for the latest write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ledger.application.bootstrap import Ledger
from ledger.domain.ids import account_id
from tests.commissary_factories import order
from tests.factories import ManualClock
from tests.integration.commissary_story import commissary_history, local
from tests.integration.test_projections import varied_history

SHOPPERS = ("P-1", "P-2", "P-3", "P-4", "P-8")


@pytest.fixture
def shop(ledger: Ledger, clock: ManualClock) -> tuple[Ledger, dict[str, Any]]:
    varied_history(ledger, clock)
    orders = commissary_history(ledger, clock)
    ledger.read_side.catch_up_all()
    return ledger, orders


def test_month_to_date_spend_and_items_equal_what_each_account_counts_against_its_limits(
        shop: tuple[Ledger, dict[str, Any]]) -> None:
    ledger, _ = shop
    for number in SHOPPERS:
        account = ledger.ctx.account(number)
        for month in ("2026-11", "2026-12"):
            figures = ledger.read_side.month_to_date(number, month)
            assert (figures["spent_minor"], figures["items"]) == (
                account.month_usage(month)["spent_minor"], account.month_usage(month)["items"])


def test_an_order_placed_before_local_midnight_counts_in_that_month_though_utc_is_next_month(
        shop: tuple[Ledger, dict[str, Any]]) -> None:
    ledger, orders = shop
    placed = datetime.fromisoformat(orders["late"]["placed_at"]).astimezone(UTC)
    assert placed.isoformat().startswith("2026-12-01T02:59:30")
    november = ledger.read_side.month_to_date("P-8", "2026-11")
    assert (november["spent_minor"], november["items"], november["delivered_minor"]) == (
        80_00, 1, 80_00)
    assert ledger.read_side.month_to_date("P-8", "2026-12")["orders"] == 0


def test_partial_delivery_cancellation_absence_and_refund_change_the_month_as_the_account(
        shop: tuple[Ledger, dict[str, Any]]) -> None:
    ledger, _ = shop
    p1 = ledger.read_side.month_to_date("P-1", "2026-11")
    # Refunds do not give consumption back by default: 250.00 still counts; 50.00 refunded.
    assert (p1["spent_minor"], p1["delivered_minor"], p1["refunded_minor"]) == (
        250_00, 250_00, 50_00)
    p2 = ledger.read_side.month_to_date("P-2", "2026-11")
    assert (p2["spent_minor"], p2["items"], p2["delivered_minor"]) == (130_00, 2, 130_00)
    assert ledger.read_side.month_to_date("P-4", "2026-11")["spent_minor"] == 0  # absent
    everyone = ledger.read_side.month_of_everyone("2026-12")["ppl"]
    assert [p["penitentiary_number"] for p in everyone] == ["P-2", "P-3"]


def test_eligibility_is_computed_when_read_so_a_restriction_ends_without_a_new_event(
        shop: tuple[Ledger, dict[str, Any]], clock: ManualClock) -> None:
    ledger, _ = shop
    zone = ledger.ctx.settings().zone()
    now = clock.now()
    p2 = ledger.read_side.eligibility("P-2", now, zone)
    assert (p2["status"], p2["money_limit_minor"], p2["until"]) == (
        "restricted", 300_00, "2026-12-09T00:00:00-03:00")
    events_before = ledger.ctx.store.event_count()
    later = local("2026-12-09T00:00")
    assert ledger.read_side.eligibility("P-2", later, zone)["status"] == "eligible"
    assert ledger.ctx.store.event_count() == events_before
    p4 = ledger.read_side.eligibility("P-4", now, zone)
    assert (p4["status"], p4["until"]) == ("suspended", None)
    listed = ledger.read_side.not_eligible(now, zone)["ppl"]
    assert [(p["penitentiary_number"], p["status"]) for p in listed] == [
        ("P-2", "restricted"), ("P-4", "suspended")]
    assert [p["penitentiary_number"] for p in ledger.read_side.not_eligible(later, zone)["ppl"]
            ] == ["P-4"]


def test_eligibility_read_from_the_projection_equals_the_account_s_at_every_boundary(
        shop: tuple[Ledger, dict[str, Any]], clock: ManualClock) -> None:
    ledger, _ = shop
    zone = ledger.ctx.settings().zone()
    start = clock.now()
    for instant in [start - timedelta(seconds=1), start, local("2026-12-08T23:59:59"),
                    local("2026-12-09T00:00"), local("2027-01-01T00:00")]:
        for number in SHOPPERS:
            own = ledger.ctx.account(number).eligibility(instant)
            read = ledger.read_side.eligibility(number, instant, zone)
            assert read["status"] == own.status.value
            assert read["money_limit_minor"] == own.money_limit_minor
            assert read["until"] == (own.until.astimezone(zone).isoformat() if own.until
                                     else None)


def test_pick_lists_equal_the_delivery_runs_and_follow_a_sector_move(
        shop: tuple[Ledger, dict[str, Any]]) -> None:
    ledger, orders = shop
    for sector, day in (("A", "2026-12-01"), ("B", "2026-12-03"), ("A", "2026-12-08")):
        projected = ledger.read_side.pick_list(sector, day)["pick_list"]
        run = ledger.commissary.delivery_run(sector, day)["pick_list"]
        assert [(p["product_code"], p["quantity"]) for p in projected] == [
            (p["product_code"], p["quantity"]) for p in run]
    moved = ledger.read_side.pick_list("A", "2026-12-08")["pick_list"]
    assert [(p["product_code"], p["quantity"], p["delivered"]) for p in moved] == [
        ("GALL-01", 2, 0), ("JAB-01", 1, 0)]  # P-3's order, moved from sector B
    tuesday = {p["product_code"]: p for p in ledger.read_side.pick_list("A", "2026-12-01")[
        "pick_list"]}
    assert (tuesday["JAB-01"]["quantity"], tuesday["JAB-01"]["delivered"]) == (3, 2)
    assert "CIG-20" not in tuesday  # the walk-up sale has no delivery run
    assert orders["absent"]["delivery_date"] == "2026-12-01"  # and left the run


def test_a_read_waiting_for_the_latest_write_sees_it_without_a_runner(
        shop: tuple[Ledger, dict[str, Any]], clock: ManualClock) -> None:
    ledger, _ = shop
    clock.set(local("2026-12-05T09:00"))
    assert ledger.ctx.store.find(account_id("P-1")) is not None
    order(ledger, "P-1", JAB_01=1)
    stale = ledger.read_side.month_to_date("P-1", "2026-12")
    fresh = ledger.read_side.month_to_date("P-1", "2026-12", wait_for="latest")
    assert stale["spent_minor"] == 0
    assert fresh["spent_minor"] == 80_00 and fresh["position"] == ledger.ctx.store.event_count()
    runs = ledger.read_side.pick_list("B", "2026-12-10", wait_for="latest")["pick_list"]
    assert [(p["product_code"], p["quantity"]) for p in runs] == [("JAB-01", 1)]
