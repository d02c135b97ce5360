"""Builders for commissary tests: products and orders."""

from __future__ import annotations

from typing import Any

from ledger.application.bootstrap import Ledger
from ledger.domain.actor import Actor, Role

CONTRACTOR = Actor(user_id="u-contractor", role=Role.CONTRACTOR)
POS_CLERK = Actor(user_id="u-clerk", role=Role.CLERK, terminal_id="POS-1")
OFFICER = Actor(user_id="u-officer", role=Role.CASE_OFFICER)


def list_product(ledger: Ledger, code: str = "GALL-01", price: int = 50_00, *,
                 name: str = "Galletas de agua", category: str = "food_no_cooking",
                 item_units: int = 1, container: str = "plastic", **kw: Any) -> str:
    ledger.price_list.list_product(
        code=code, name=name, category=category, unit_price_minor=price,
        item_units=item_units, container=container,
        contains_alcohol=kw.get("contains_alcohol", False),
        made_by_ppl=kw.get("made_by_ppl", False), effective_at=kw.get("effective_at"),
        actor=CONTRACTOR, request=None)
    return code


def order(ledger: Ledger, number: str, **lines: int) -> dict[str, Any]:
    return ledger.commissary.place_order(
        number=number, lines=[{"product_code": c.replace("_", "-"), "quantity": q}
                              for c, q in lines.items()],
        actor=POS_CLERK, request=None).body


def suspend(ledger: Ledger, number: str) -> str:
    """A serious offence with a preventive suspension of the commissary, in force now."""
    case = ledger.discipline.open_case(
        ppl=[number], offence_class="serious", facts="Agresión verbal al operador",
        reporting_officer="Operador Díaz", occurred_at=ledger.ctx.clock.now().isoformat(),
        actor=OFFICER, request=None).body
    ledger.discipline.impose_preventive(case_id=case["case_id"], number=number,
                                        effect="suspension", reason="riesgo para la convivencia",
                                        actor=OFFICER, request=None)
    return str(case["case_id"])
