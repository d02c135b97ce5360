"""The terminal's desk and queue against the real API, without the screens: what happens
to queued confirmations the server can no longer accept, and to the ones behind them."""

from __future__ import annotations

from datetime import date

import pytest

from pos_terminal.client import Offline, SaleNeedsTheServer, new_key
from pos_terminal.desk import Desk
from pos_terminal.i18n import Messages
from pos_terminal.queue import Confirmation, OfflineQueue
from tests.factories import ADMIN
from tests.pos.conftest import PASSWORD, World


@pytest.fixture
def desk(world: World) -> Desk:
    desk = Desk(world.client(), OfflineQueue(world.tmp / "queue.sqlite3"), Messages())
    desk.sign_in("cajero", PASSWORD)
    return desk


def open_run_with(world: World, desk: Desk, *numbers: str) -> dict[str, str]:
    orders = {n: world.place_order(n, GALL_01=1) for n in numbers}
    desk.open_run("A", date.fromisoformat(next(iter(orders.values()))["delivery_date"]))
    return {n: o["order_id"] for n, o in orders.items()}


def test_a_queued_delivery_the_server_refuses_is_set_aside_and_the_next_one_still_goes(
    world: World, desk: Desk,
) -> None:
    ids = open_run_with(world, desk, "P-1", "P-2")
    world.link.cut()
    for number in ("P-1", "P-2"):
        outcome = desk.confirm(Confirmation.delivery(desk.orders[ids[number]], "A"))
        assert outcome.state == "queued"
    # Meanwhile, at the office, P-1's order is cancelled.
    world.ledger.commissary.cancel(order_id=ids["P-1"], reason="pedido duplicado",
                                   absent=False, run_sector=None, actor=ADMIN, request=None)
    world.link.restore()
    report = desk.sync(wait=True)
    assert [r.confirmation.number for r in report.refused] == ["P-1"]
    assert "cerrado" in report.refused[0].answer["detail"]  # the server's Spanish words
    assert [r.confirmation.number for r in report.applied] == ["P-2"]
    assert desk.queue.count("pending") == 0 and desk.queue.count("refused") == 1
    assert world.funds("P-1") == {"available": 1000_00, "held": 0}
    assert world.contractor_payable() == 50_00


def test_an_absent_mark_made_offline_releases_the_hold_once_it_syncs(
    world: World, desk: Desk,
) -> None:
    ids = open_run_with(world, desk, "P-3")
    world.link.cut()
    outcome = desk.confirm(Confirmation.absent(desk.orders[ids["P-3"]], "A"))
    assert outcome.state == "queued" and outcome.receipt is not None
    assert outcome.receipt.kind == "absent" and outcome.receipt.state == "provisional"
    assert world.balances("P-3")["held"] == 50_00
    world.link.restore()
    assert len(desk.sync(wait=True).applied) == 1
    assert world.balances("P-3")["held"] == 0 and world.balances("P-3")["available"] == 1000_00
    assert desk.orders[ids["P-3"]].status == "absent"


def test_offline_a_sale_or_an_order_is_refused_and_nothing_is_queued(
    world: World, desk: Desk,
) -> None:
    world.link.cut()
    for walk_up in (True, False):
        with pytest.raises(SaleNeedsTheServer):
            desk.sell("P-1", {"GALL-01": 1}, new_key(), walk_up=walk_up)
    assert desk.queue.rows() == []
    world.link.restore()
    assert world.funds("P-1") == {"available": 1000_00, "held": 0}


def test_offline_a_ppl_never_looked_up_cannot_be_shown(world: World, desk: Desk) -> None:
    world.link.cut()
    with pytest.raises(Offline):
        desk.look_up("P-6")


def test_with_the_link_known_down_a_confirmation_is_queued_at_once_and_sent_once_it_is_back(
    world: World, desk: Desk,
) -> None:
    ids = open_run_with(world, desk, "P-4")
    world.link.cut()
    assert not desk.client.probe() and desk.client.online is False
    card = desk.look_up("P-4")  # from the run's data, with no request
    assert card.offline and card.order is not None and card.order.order_id == ids["P-4"]
    outcome = desk.confirm(Confirmation.delivery(card.order, "A"))
    assert outcome.state == "queued" and desk.queue.pending()[0].attempts == 0
    world.link.restore()
    assert desk.client.probe() and desk.client.online is True
    assert [r.confirmation.number for r in desk.sync(wait=True).applied] == ["P-4"]
    assert world.funds("P-4") == {"available": 950_00, "held": 0}
