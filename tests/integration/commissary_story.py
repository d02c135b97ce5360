"""A commissary fortnight across a month end, told through the services on the test clock:
orders delivered in full and in part, cancelled, absent, a walk-up sale, a refund, a
sector move that reschedules an order, a suspension and a dated restriction. Run after
`varied_history` (tests/integration/test_projections.py), whose PPL it uses."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ledger.application.bootstrap import Ledger
from tests.commissary_factories import CONTRACTOR, POS_CLERK, list_product, order, suspend
from tests.factories import ADMIN, ManualClock, fund
from tests.integration.discipline_story import Story

ZONE = ZoneInfo("America/Montevideo")


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZONE)


def deliver(ledger: Ledger, placed: dict[str, Any], **handed: int) -> None:
    lines = [{"product_code": c.replace("_", "-"), "delivered_quantity": q}
             for c, q in handed.items()] or None
    ledger.commissary.deliver(order_id=placed["order_id"], delivered=lines, run_sector=None,
                              actor=POS_CLERK, request=None)


def commissary_history(ledger: Ledger, clock: ManualClock) -> dict[str, Any]:
    """P-1 and P-3 are in sector B (Thursday deliveries), P-2, P-4 and P-8 in A (Tuesday).
    Returns the orders by name."""
    clock.set(local("2026-11-30T09:00"))  # Monday, last day of November
    for code, price, name, category, units in (
            ("GALL-01", 50_00, "Galletas de agua", "food_no_cooking", 1),
            ("JAB-01", 80_00, "Jabón de tocador", "hygiene", 1),
            ("CIG-20", 150_00, "Cigarrillos x20", "cigarettes", 2)):
        list_product(ledger, code, price, name=name, category=category, item_units=units,
                     container="cardboard")
    fund(ledger, "P-8", 400_00)
    orders = {
        "full": order(ledger, "P-1", GALL_01=2, CIG_20=1),  # for Thursday 3 Dec, sector B
        "partial": order(ledger, "P-2", GALL_01=1, JAB_01=2),  # Tuesday 1 Dec, sector A
        "cancelled": order(ledger, "P-3", JAB_01=1),
        "absent": order(ledger, "P-4", GALL_01=3),
    }
    clock.set(local("2026-11-30T23:59:30"))
    orders["late"] = order(ledger, "P-8", JAB_01=1)  # placed in November, delivered December
    clock.set(local("2026-12-01T10:00"))
    deliver(ledger, orders["partial"], GALL_01=1, JAB_01=1)
    ledger.commissary.cancel(order_id=orders["absent"]["order_id"], reason="", absent=True,
                             run_sector="A", actor=POS_CLERK, request=None)
    deliver(ledger, orders["late"])
    ledger.commissary.cancel(order_id=orders["cancelled"]["order_id"], reason="pidió otro",
                             absent=False, run_sector=None, actor=POS_CLERK, request=None)
    clock.set(local("2026-12-01T13:30"))  # the counter is open
    orders["walk_up"] = ledger.commissary.walk_up_sale(
        number="P-2", lines=[{"product_code": "CIG-20", "quantity": 1}], actor=POS_CLERK,
        request=None).body
    orders["moved"] = order(ledger, "P-3", GALL_01=2, JAB_01=1)  # sector B: Thursday 3 Dec
    ledger.admissions.change_sector("P-3", "A", "traslado de módulo", ADMIN, None)
    clock.set(local("2026-12-03T10:00"))
    deliver(ledger, orders["full"])
    clock.set(local("2026-12-04T11:00"))
    ledger.commissary.refund(order_id=orders["full"]["order_id"],
                             lines=[{"product_code": "GALL-01", "quantity": 1}],
                             reason="paquete abierto", actor=CONTRACTOR, request=None)
    suspend(ledger, "P-4")
    story = Story(ledger, clock)
    restricted = story.open("P-2", offence="minor")
    story.sanction(restricted, 5, effect="restriction", number="P-2", money_limit_minor=300_00)
    return orders
