"""The clerks' POS driven key by key (Textual's pilot) against the real API on loopback:
a whole delivery run with the link cut in the middle, and what the store says after."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from pos_terminal.dialogs import AbsentScreen, PartialScreen, ReceiptScreen
from pos_terminal.screens import DeliveryScreen, RunScreen
from tests.pos.conftest import (
    PASSWORD,
    World,
    focused,
    pos_app,
    press,
    screen_text,
    status_text,
    type_in,
    until,
)

pytestmark = pytest.mark.anyio


async def sign_in_and_open_sector_a(pilot: Pilot[Any]) -> None:
    await until(pilot, lambda: focused(pilot.app, "username"), "the sign-in screen")
    await type_in(pilot, "cajero")
    await until(pilot, lambda: focused(pilot.app, "password"), "the password field")
    await type_in(pilot, PASSWORD)
    await until(pilot, lambda: focused(pilot.app, "sector"), "the run screen")
    await type_in(pilot, "A")
    await until(pilot, lambda: focused(pilot.app, "day"), "the date field")
    await press(pilot, "enter")  # the date field starts at today
    # Orders go to the sector's NEXT delivery: when today has none, the app proposes it
    # and a second Enter opens it.
    await until(pilot, lambda: isinstance(pilot.app.screen, DeliveryScreen)
                or "próximo reparto" in screen_text(pilot.app), "the run or its proposal")
    if isinstance(pilot.app.screen, RunScreen):
        await press(pilot, "enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, DeliveryScreen), "the run")


async def identify(pilot: Pilot[Any], number: str) -> None:
    await until(pilot, lambda: focused(pilot.app, "number"), "the number field")
    screen = pilot.app.screen
    await type_in(pilot, number)
    await until(pilot, lambda: screen.card is not None and screen.card.overview.number == number
                and "Consultando" not in screen_text(pilot.app), f"the card of {number}")


async def close_receipt(pilot: Pilot[Any], *, print_it: bool = False) -> str:
    await until(pilot, lambda: isinstance(pilot.app.screen, ReceiptScreen)
                and "COMPROBANTE" in screen_text(pilot.app), "the receipt")
    text = screen_text(pilot.app)
    if print_it:
        await press(pilot, "p")
        await until(pilot, lambda: "Comprobante guardado" in screen_text(pilot.app),
                    "the receipt printed")
    await press(pilot, "escape")
    await until(pilot, lambda: isinstance(pilot.app.screen, DeliveryScreen), "back to the run")
    return text


def all_selected(app: Any, input_id: str) -> bool:
    """The field has the focus and its whole value is selected, so typing replaces it."""
    field = app.screen.query_one(f"#{input_id}")
    return focused(app, input_id) and sorted(field.selection) == [0, len(field.value)]


def waiting(app: Any) -> int:
    return int(status_text(app).split("Por sincronizar: ")[1].split()[0])


async def test_a_whole_delivery_run_with_the_link_cut_midway_ends_with_exact_balances(
    world: World,
) -> None:
    world.place_order("P-1", GALL_01=2, JAB_01=1)  # 180,00
    world.place_order("P-2", GALL_01=2, CIG_20=1)  # 250,00: only 200,00 handed over
    world.place_order("P-3", JAB_01=2)  # 160,00: delivered while offline
    world.place_order("P-4", GALL_01=1)  # 50,00: absent, marked while offline
    world.place_order("P-5", CIG_20=2)  # 300,00: delivered while offline
    app = pos_app(world)
    async with app.run_test(size=(130, 42)) as pilot:
        await sign_in_and_open_sector_a(pilot)
        await until(pilot, lambda: "5 por entregar" in screen_text(app), "the run's orders")

        # Online: P-1 gets everything.
        await identify(pilot, "P-1")
        card = screen_text(app)
        assert "Juan Pérez" in card and "…67-8" in card and "habilitado" in card
        assert "UYU 820,00" in card  # available after the 180,00 held
        assert "UYU 180,00" in card
        await press(pilot, "f2")
        receipt = await close_receipt(pilot, print_it=True)
        assert "Registrado en el servidor." in receipt and "UYU 180,00" in receipt
        [printed] = (world.tmp / "receipts").glob("*-P-1-delivery.txt")
        assert "UYU 180,00" in printed.read_text(encoding="utf-8")
        assert printed.with_suffix(".pdf").read_bytes().startswith(b"%PDF")

        # Online: P-2 gets one packet of biscuits of two, and the cigarettes.
        await identify(pilot, "P-2")
        await press(pilot, "f3")
        await until(pilot, lambda: isinstance(app.screen, PartialScreen)
                and all_selected(app, "q0"), "the partial delivery dialog")
        await press(pilot, "1", "enter")  # typed over the 2 ordered: 1 packet of biscuits
        await until(pilot, lambda: focused(app, "q1"), "the next line")
        await press(pilot, "enter")  # the cigarettes, as ordered; Enter on the last confirms
        receipt = await close_receipt(pilot)
        assert "PARCIAL" in receipt and "UYU 200,00" in receipt and "UYU 50,00" in receipt

        # The network drops mid-run.
        world.link.cut()
        await identify(pilot, "P-3")
        assert "sin conexión" in screen_text(app)  # shown from what the run loaded
        await press(pilot, "f2")
        receipt = await close_receipt(pilot)
        assert "PROVISORIO" in receipt
        assert waiting(app) == 1 and "SIN CONEXIÓN" in status_text(app)

        await identify(pilot, "P-4")
        await press(pilot, "f4")
        await until(pilot, lambda: isinstance(app.screen, AbsentScreen), "the absent question")
        await press(pilot, "s")
        await close_receipt(pilot)
        assert waiting(app) == 2

        await identify(pilot, "P-5")
        await press(pilot, "f2")
        await close_receipt(pilot)
        assert waiting(app) == 3
        await press(pilot, "f2")  # a second confirmation of the same order is not queued
        await until(pilot, lambda: "ya está en cola" in screen_text(app), "the refusal")
        assert waiting(app) == 3

        # A walk-up sale needs the server: refused in plain Spanish, nothing queued.
        await press(pilot, "f6")
        await until(pilot, lambda: focused(app, "product"), "the sale screen")
        await type_in(pilot, "GALL-01")
        await press(pilot, "f2")
        await until(pilot, lambda: "NO se pueden hacer sin conexión" in screen_text(app),
                    "the offline refusal of the sale")
        assert waiting(app) == 3
        await press(pilot, "escape")
        await until(pilot, lambda: isinstance(app.screen, DeliveryScreen), "back to the run")
        assert "3 en cola" in screen_text(app)
        assert world.balances("P-3")["held"] == 160_00  # nothing reached the server

        # The link comes back: the queue empties by itself, in order.
        world.link.restore()
        await until(pilot, lambda: waiting(app) == 0, "the queue to sync", timeout=15)
        await until(pilot, lambda: "En línea" in status_text(app), "online again")
        sent = app.desk.queue.rows()
        assert [r.confirmation.number for r in sent] == ["P-1", "P-2", "P-3", "P-4", "P-5"]
        assert all(r.state == "applied" for r in sent)
        assert [r.seq for r in sent] == sorted(r.seq for r in sent)

        # Back online: P-6 orders at the counter for this run and gets it at once, and
        # P-1 buys soap at the counter.
        await identify(pilot, "P-6")
        await press(pilot, "f7")
        await until(pilot, lambda: focused(app, "product"), "the order screen")
        await type_in(pilot, "3*GALL-01")
        await press(pilot, "f2")
        receipt = await close_receipt_after_sale(pilot)
        assert "Retenido hasta la entrega" in receipt and "UYU 150,00" in receipt
        await identify(pilot, "P-6")
        await press(pilot, "f2")
        await close_receipt(pilot)
        await identify(pilot, "P-1")
        await press(pilot, "f6")
        await until(pilot, lambda: focused(app, "product"), "the sale screen")
        await type_in(pilot, "JAB-01")
        await press(pilot, "f2")
        receipt = await close_receipt_after_sale(pilot)
        assert "Venta en mostrador" in receipt and "UYU 80,00" in receipt
        await until(pilot, lambda: "Confirmado en el servidor" in screen_text(app), "the sale")
        assert "0 por entregar" in screen_text(app)

    # What the store says.
    expected = {"P-1": 1000_00 - 180_00 - 80_00, "P-2": 1000_00 - 200_00,
                "P-3": 1000_00 - 160_00, "P-4": 1000_00, "P-5": 1000_00 - 300_00,
                "P-6": 1000_00 - 150_00}
    for number, available in expected.items():
        assert world.balances(number)["available"] == available, number
        assert world.balances(number)["held"] == 0, number
    assert world.contractor_payable() == 180_00 + 200_00 + 160_00 + 300_00 + 150_00 + 80_00
    settled = world.events("Account.OrderSettled")
    assert len(settled) == 7 and set(settled.values()) == {1}  # 6 run orders + 1 sale
    assert set(world.events("Order.Delivered").values()) == {1}
    assert sum(world.events("Order.Cancelled").values()) == 1  # P-4, absent


async def close_receipt_after_sale(pilot: Pilot[Any]) -> str:
    await until(pilot, lambda: isinstance(pilot.app.screen, ReceiptScreen)
                and "COMPROBANTE" in screen_text(pilot.app), "the receipt")
    text = screen_text(pilot.app)
    await press(pilot, "escape")
    await until(pilot, lambda: isinstance(pilot.app.screen, DeliveryScreen), "back to the run")
    return text


async def test_a_delivery_whose_answer_was_lost_is_replayed_by_the_server_not_captured_twice(
    world: World,
) -> None:
    order = world.place_order("P-1", GALL_01=2)  # 100,00
    app = pos_app(world)
    async with app.run_test(size=(130, 42)) as pilot:
        await sign_in_and_open_sector_a(pilot)
        await identify(pilot, "P-1")
        world.link.lose_answers = True  # the request arrives; its answer never comes back
        await press(pilot, "f2")
        receipt = await close_receipt(pilot)
        assert "PROVISORIO" in receipt and waiting(app) == 1
        assert world.balances("P-1")["held"] == 0  # the server did apply it
        assert world.link.answers_lost >= 1
        world.link.lose_answers = False
        await until(pilot, lambda: waiting(app) == 0, "the queue to sync", timeout=15)
        await until(pilot, lambda: "entregado" in screen_text(app), "the order shown delivered")
    [row] = app.desk.queue.rows()
    assert row.state == "applied" and row.replayed  # the server's first answer, again
    assert row.answer is not None and row.answer["order_id"] == order["order_id"]
    assert world.events("Account.OrderSettled") == {order["order_id"]: 1}
    assert world.funds("P-1") == {"available": 900_00, "held": 0}
    assert world.contractor_payable() == 100_00
