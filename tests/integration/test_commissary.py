"""The commissary: price list rules, orders with held funds, limits, the weekly delivery,
partial delivery, cancellation, walk-up sales, refunds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ledger.application.bootstrap import Ledger
from ledger.domain.errors import Conflict, Forbidden, InsufficientFunds, InvalidInput
from tests.commissary_factories import CONTRACTOR, POS_CLERK, list_product, order, suspend
from tests.conftest import event_count
from tests.factories import ADMIN, ManualClock, admit, fund

# Monday 16 Nov 2026, 10:00 in Montevideo. Sector A delivers on Tuesdays (weekday 2).
MONDAY = datetime(2026, 11, 16, 13, 0, tzinfo=UTC)


@pytest.fixture
def shop(ledger: Ledger, clock: ManualClock) -> Ledger:
    clock.set(MONDAY)
    admit(ledger, "P-1", sector="A")
    fund(ledger, "P-1", 1000_00)
    list_product(ledger, "GALL-01", 50_00)
    list_product(ledger, "JAB-01", 80_00, name="Jabón de tocador", category="hygiene")
    list_product(ledger, "CIG-20", 150_00, name="Cigarrillos x20", category="cigarettes",
                 item_units=2, container="cardboard")
    return ledger


def balances(ledger: Ledger, number: str = "P-1") -> dict[str, int]:
    return dict(ledger.statements.balances(number)["balances"])


@pytest.mark.parametrize(("flags", "code"), [
    ({"contains_alcohol": True}, "product_alcohol_based"),
    ({"container": "glass"}, "product_glass_container"),
    ({"made_by_ppl": True}, "product_made_by_ppl"),
])
def test_what_the_manual_forbids_is_refused_at_entry(ledger: Ledger, flags: dict[str, object],
                                                     code: str) -> None:
    before = event_count(ledger)
    with pytest.raises(Forbidden) as refused:
        list_product(ledger, "X-1", **flags)  # type: ignore[arg-type]
    assert refused.value.code == code
    assert event_count(ledger) == before


def test_a_product_the_unit_prohibits_is_never_sold_again(shop: Ledger) -> None:
    shop.price_list.prohibit("CIG-20", "resolución de la Dirección", ADMIN, None)
    with pytest.raises(Forbidden) as refused:
        order(shop, "P-1", CIG_20=1)
    assert refused.value.code == "product_prohibited"
    with pytest.raises(Forbidden):
        shop.price_list.set_active("CIG-20", True, "volver a vender", CONTRACTOR, None)


def test_the_price_list_of_a_past_instant_shows_the_prices_then(shop: Ledger,
                                                                 clock: ManualClock) -> None:
    clock.advance(days=1)
    shop.price_list.change_price("GALL-01", 60_00, None, CONTRACTOR, None)
    then = {p["product_code"]: p["unit_price_minor"]
            for p in shop.price_list.at(MONDAY)["products"]}
    now = {p["product_code"]: p["unit_price_minor"] for p in shop.price_list.at()["products"]}
    assert then["GALL-01"] == 50_00 and now["GALL-01"] == 60_00


def test_placing_an_order_holds_its_amount_and_counts_it_against_the_month(shop: Ledger) -> None:
    placed = order(shop, "P-1", GALL_01=2, CIG_20=1)
    assert placed["total_minor"] == 250_00 and placed["items"] == 4
    assert placed["delivery_date"] == "2026-11-17"  # the sector's next Tuesday
    assert balances(shop)["available"] == 750_00 and balances(shop)["held"] == 250_00
    limits = shop.commissary.overview("P-1")["limits"]
    assert limits["spent_minor"] == 250_00 and limits["items_used"] == 4


def test_full_delivery_captures_the_hold_for_the_contractor(shop: Ledger) -> None:
    placed = order(shop, "P-1", GALL_01=2)
    shop.commissary.deliver(order_id=placed["order_id"], delivered=None, run_sector="A",
                            actor=POS_CLERK, request=None)
    assert balances(shop)["held"] == 0 and balances(shop)["available"] == 900_00
    with pytest.raises(Conflict) as twice:
        shop.commissary.deliver(order_id=placed["order_id"], delivered=None, run_sector="A",
                                actor=POS_CLERK, request=None)
    assert twice.value.code == "order_not_open"


def test_partial_delivery_captures_what_was_handed_over_and_releases_the_rest(
    shop: Ledger,
) -> None:
    placed = order(shop, "P-1", GALL_01=2, JAB_01=1)
    delivered = shop.commissary.deliver(
        order_id=placed["order_id"], delivered=[{"product_code": "GALL-01",
                                                 "delivered_quantity": 1}],
        run_sector="A", actor=POS_CLERK, request=None).body
    assert delivered["status"] == "partially_delivered"
    assert delivered["delivered_minor"] == 50_00
    assert balances(shop)["available"] == 950_00 and balances(shop)["held"] == 0
    assert shop.commissary.overview("P-1")["limits"]["spent_minor"] == 50_00


def test_cancellation_and_absence_release_everything(shop: Ledger) -> None:
    placed = order(shop, "P-1", GALL_01=2)
    shop.commissary.cancel(order_id=placed["order_id"], reason="", absent=True, run_sector="A",
                           actor=POS_CLERK, request=None)
    assert balances(shop)["available"] == 1000_00
    assert shop.commissary.view(placed["order_id"])["status"] == "absent"
    again = order(shop, "P-1", GALL_01=1)  # the week's slot is free again
    assert again["delivery_date"] == "2026-11-17"


def test_a_second_order_for_the_same_weekly_delivery_is_refused(shop: Ledger) -> None:
    order(shop, "P-1", GALL_01=1)
    before = event_count(shop)
    with pytest.raises(Conflict) as refused:
        order(shop, "P-1", JAB_01=1)
    assert refused.value.code == "weekly_delivery_taken"
    assert event_count(shop) == before


def test_an_order_over_the_available_funds_is_refused(shop: Ledger) -> None:
    with pytest.raises(InsufficientFunds):
        order(shop, "P-1", CIG_20=7)  # 1050.00 > 1000.00


def test_the_month_limit_in_money_and_in_items_is_the_strictest_rule(shop: Ledger) -> None:
    shop.unit.change({"commissary_month_limit_minor": 200_00,
                      "regime_limits": {"cerrado": {"items": 3}}}, "límites", ADMIN, None)
    with pytest.raises(Conflict) as money:
        order(shop, "P-1", GALL_01=5)
    assert money.value.code == "monthly_limit_exceeded"
    assert money.value.context["source"] == "unit"
    with pytest.raises(Conflict) as items:
        order(shop, "P-1", GALL_01=4)  # 200.00 fits the money limit; 4 items > 3
    assert items.value.code == "monthly_item_limit_exceeded"
    assert items.value.context["source"] == "regime"


def test_a_suspended_ppl_cannot_order_and_nothing_is_recorded(shop: Ledger) -> None:
    suspend(shop, "P-1")
    before = event_count(shop)
    with pytest.raises(Forbidden) as refused:
        order(shop, "P-1", GALL_01=1)
    assert refused.value.code == "commissary_suspended"
    assert event_count(shop) == before


@pytest.mark.parametrize(("lines", "code"), [
    ([{"product_code": "GALL-01", "quantity": 0}], "quantity_invalid"),
    ([{"product_code": "GALL-01", "quantity": 5000}], "quantity_invalid"),
    ([{"product_code": "NOPE-1", "quantity": 1}], "product_not_found"),
    ([], "lines_invalid"),
])
def test_bad_order_lines_are_refused_with_a_clear_code(shop: Ledger, lines: list[object],
                                                       code: str) -> None:
    before = event_count(shop)
    with pytest.raises(Exception) as refused:
        shop.commissary.place_order(number="P-1", lines=lines, actor=POS_CLERK, request=None)
    assert getattr(refused.value, "code", None) == code
    assert event_count(shop) == before


def test_an_inactive_product_is_not_sold(shop: Ledger) -> None:
    shop.price_list.set_active("JAB-01", False, "sin stock", CONTRACTOR, None)
    with pytest.raises(Conflict) as refused:
        order(shop, "P-1", JAB_01=1)
    assert refused.value.code == "product_inactive"


def test_a_walk_up_sale_is_placed_and_delivered_at_once_during_opening_hours(
    shop: Ledger, clock: ManualClock,
) -> None:
    clock.set(datetime(2026, 11, 16, 16, 30, tzinfo=UTC))  # 13:30 in Montevideo
    sale = shop.commissary.walk_up_sale(number="P-1", lines=[{"product_code": "JAB-01",
                                                              "quantity": 1}],
                                        actor=POS_CLERK, request=None).body
    assert sale["status"] == "delivered" and sale["walk_up"]
    assert balances(shop)["available"] == 920_00 and balances(shop)["held"] == 0
    clock.set(datetime(2026, 11, 16, 20, 0, tzinfo=UTC))  # 17:00: the counter is closed
    with pytest.raises(Conflict) as closed:
        shop.commissary.walk_up_sale(number="P-1", lines=[{"product_code": "JAB-01",
                                                           "quantity": 1}],
                                     actor=POS_CLERK, request=None)
    assert closed.value.code == "commissary_closed"


def test_a_refund_returns_money_to_available_and_never_exceeds_the_sale(shop: Ledger) -> None:
    placed = order(shop, "P-1", GALL_01=2)
    shop.commissary.deliver(order_id=placed["order_id"], delivered=None, run_sector=None,
                            actor=POS_CLERK, request=None)
    shop.commissary.refund(order_id=placed["order_id"],
                           lines=[{"product_code": "GALL-01", "quantity": 1}],
                           reason="paquete abierto", actor=CONTRACTOR, request=None)
    assert balances(shop)["available"] == 950_00
    # Consumption is not given back unless the unit's rule says so.
    assert shop.commissary.overview("P-1")["limits"]["spent_minor"] == 100_00
    with pytest.raises(Conflict) as refused:
        shop.commissary.refund(order_id=placed["order_id"],
                               lines=[{"product_code": "GALL-01", "quantity": 2}],
                               reason="x", actor=CONTRACTOR, request=None)
    assert refused.value.code == "refund_exceeds_sale"


def test_a_refund_gives_back_consumption_when_the_unit_says_so(shop: Ledger) -> None:
    shop.unit.change({"refund_restores_consumption": True}, "criterio", ADMIN, None)
    placed = order(shop, "P-1", GALL_01=2)
    shop.commissary.deliver(order_id=placed["order_id"], delivered=None, run_sector=None,
                            actor=POS_CLERK, request=None)
    shop.commissary.refund(order_id=placed["order_id"],
                           lines=[{"product_code": "GALL-01", "quantity": 2}],
                           reason="vencido", actor=CONTRACTOR, request=None)
    assert shop.commissary.overview("P-1")["limits"]["spent_minor"] == 0


def test_a_sector_move_moves_pending_orders_to_the_new_delivery_day(shop: Ledger) -> None:
    placed = order(shop, "P-1", GALL_01=1)
    shop.admissions.change_sector("P-1", "B", "reubicación", ADMIN, None)
    moved = shop.commissary.view(placed["order_id"])
    assert moved["sector"] == "B" and moved["delivery_date"] == "2026-11-19"  # Thursday
    assert shop.commissary.delivery_run("A", "2026-11-17")["orders"] == []
    run_b = shop.commissary.delivery_run("B", "2026-11-19")
    assert [o["order_id"] for o in run_b["orders"]] == [placed["order_id"]]


def test_an_order_of_another_sector_is_refused_in_this_run(shop: Ledger) -> None:
    placed = order(shop, "P-1", GALL_01=1)
    with pytest.raises(Conflict) as refused:
        shop.commissary.deliver(order_id=placed["order_id"], delivered=None, run_sector="B",
                                actor=POS_CLERK, request=None)
    assert refused.value.code == "order_not_in_run"


def test_the_delivery_run_lists_orders_and_the_pick_list(shop: Ledger) -> None:
    admit(shop, "P-2", sector="A")
    fund(shop, "P-2", 500_00)
    order(shop, "P-1", GALL_01=2, JAB_01=1)
    order(shop, "P-2", GALL_01=3)
    run = shop.commissary.delivery_run("A", "2026-11-17")
    assert [o["penitentiary_number"] for o in run["orders"]] == ["P-1", "P-2"]
    assert {p["product_code"]: p["quantity"] for p in run["pick_list"]} == {
        "GALL-01": 5, "JAB-01": 1}


def test_a_refund_to_a_released_account_is_refused(shop: Ledger) -> None:
    placed = order(shop, "P-1", GALL_01=1)
    shop.commissary.deliver(order_id=placed["order_id"], delivered=None, run_sector=None,
                            actor=POS_CLERK, request=None)
    shop.admissions.release("P-1", kind="definitive", judge_order="o", court="c", nature="n",
                            actor=ADMIN, request=None)
    with pytest.raises(Conflict) as refused:
        shop.commissary.refund(order_id=placed["order_id"],
                               lines=[{"product_code": "GALL-01", "quantity": 1}],
                               reason="x", actor=CONTRACTOR, request=None)
    assert refused.value.code == "account_closed"


def test_quantities_as_text_are_refused(shop: Ledger) -> None:
    with pytest.raises(InvalidInput):
        shop.commissary.place_order(number="P-1", lines=[{"product_code": "GALL-01",
                                                          "quantity": "2"}],
                                    actor=POS_CLERK, request=None)
