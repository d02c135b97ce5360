"""A small demo unit: two sectors, a few PPL, depositors, money movements, and one user
per role. Loading is skipped when the unit is already configured."""

from __future__ import annotations

from typing import Any

from ledger.application.bootstrap import Ledger
from ledger.domain.actor import Actor, Role
from ledger.domain.unit import UnitSettings

DEMO_PASSWORD = "demo-2026-clave"  # demo only; printed by `ledger demo`

PPL = [
    ("P-1001", "Juan Pérez", "1.234.567-8", "A", "semiabierto"),
    ("P-1002", "Carlos Rodríguez", "2.345.678-9", "A", "cerrado"),
    ("P-1003", "Luis González", "3.456.789-0", "A", "semicerrado"),
    ("P-2001", "Martín Fernández", "4.567.890-1", "B", "semiabierto"),
    ("P-2002", "Diego López", "5.678.901-2", "B", "cerrado"),
    ("P-2003", "Pablo Martínez", "6.789.012-3", "B", "semicerrado"),
]

DEPOSITORS = [
    ("Ana Pérez", "7.111.222-3", "madre", "099 111 222"),
    ("Laura Rodríguez", "7.222.333-4", "pareja", "099 222 333"),
    ("Sofía Fernández", "7.333.444-5", "hermana", "099 333 444"),
]

# The contractor's price list and this week's orders of sector A, so the POS
# (`ledger-pos`) has a delivery run to open.
PRODUCTS = [
    ("GALL-01", "Galletas de agua", "food_no_cooking", 5000, 1, "cellophane"),
    ("YERBA-1", "Yerba mate 1 kg", "food_no_cooking", 18000, 1, "paper"),
    ("JAB-01", "Jabón de tocador", "hygiene", 8000, 1, "cardboard"),
    ("PASTA-1", "Pasta dental", "hygiene", 9500, 1, "plastic"),
    ("CIG-20", "Cigarrillos x20", "cigarettes", 15000, 2, "cardboard"),
    ("MED-01", "Medias de algodón", "underwear", 12000, 1, "plastic"),
]
ORDERS = [
    ("P-1001", {"GALL-01": 2, "YERBA-1": 1, "JAB-01": 1}),
    ("P-1002", {"CIG-20": 2, "PASTA-1": 1}),
    ("P-1003", {"GALL-01": 3, "MED-01": 1}),
]

USERS = [
    ("finanzas", Role.FINANCE_ADMIN),
    ("nomina", Role.PAYROLL_OFFICER),
    ("ventanilla", Role.DEPOSIT_DESK),
    ("cajero", Role.CLERK),
    ("auditor", Role.AUDITOR),
    ("inspector", Role.CONTRACT_INSPECTOR),
    ("contratista", Role.CONTRACTOR),
    ("oficial", Role.CASE_OFFICER),
    ("director", Role.DIRECTOR),
]


def load_demo(ledger: Ledger) -> list[tuple[str, str]]:
    """Returns (username, role) of the demo users, loading the unit if it is new."""
    actor = Actor.system("demo")
    if ledger.ctx.store.find(_unit_id()) is not None:
        return [(u, r.value) for u, r in USERS] + [("familia", Role.DEPOSITOR.value)]
    ledger.unit.configure(UnitSettings(name="Unidad N°1 (demo)"), actor)
    for number, name, document, sector, regime in PPL:
        ledger.admissions.admit(number=number, name=name, document=document, sector=sector,
                                regime=regime, admitted_at=None, actor=actor, request=None)
    depositor_ids: list[str] = []
    for name, document, relation, contact in DEPOSITORS:
        outcome = ledger.depositors.register(name=name, document=document, relation=relation,
                                             contact=contact, actor=actor, request=None)
        depositor_ids.append(outcome.body["depositor_id"])
    for (number, *_), depositor_id, amount in zip(PPL, depositor_ids * 2,
                                                   [250000, 180000, 90000, 300000, 120000, 60000],
                                                   strict=True):
        _deposit(ledger, number, depositor_id, amount, "cash_desk", actor)
    _deposit(ledger, "P-1001", depositor_ids[0], 50000, "bank_transfer", actor)
    for number, gross in (("P-1001", 120000), ("P-2001", 95000), ("P-1003", 80000)):
        ledger.funds.pay_wage(number=number, employer="Cocina", period="2026-W46", hours=30,
                              gross_minor=gross, currency="UYU", actor=actor, request=None)
    ledger.funds.assess_damage(number="P-2002", amount_minor=40000, currency="UYU",
                               reason="Rotura intencional de ventana", reference="EXP-2026-17",
                               actor=actor, request=None)
    ledger.funds.take_cash_into_custody(number="P-2003", amount_minor=35000, currency="UYU",
                                        reference="Acta de ingreso 88", actor=actor, request=None)
    for code, name, category, price, item_units, container in PRODUCTS:
        ledger.price_list.list_product(code=code, name=name, category=category,
                                       unit_price_minor=price, item_units=item_units,
                                       container=container, contains_alcohol=False,
                                       made_by_ppl=False, effective_at=None, actor=actor,
                                       request=None)
    for number, lines in ORDERS:  # for the next delivery of sector A
        ledger.commissary.place_order(number=number, lines=[
            {"product_code": code, "quantity": quantity} for code, quantity in lines.items()],
            actor=actor, request=None)
    for username, role in USERS:
        ledger.users.create(username=username, password=DEMO_PASSWORD, role=role.value,
                            actor=actor)
    ledger.users.create(username="familia", password=DEMO_PASSWORD, role=Role.DEPOSITOR.value,
                        depositor_id=depositor_ids[0], actor=actor)
    return [(u, r.value) for u, r in USERS] + [("familia", Role.DEPOSITOR.value)]


def _deposit(ledger: Ledger, number: str, depositor_id: str, amount: int, channel: str,
             actor: Actor) -> Any:
    return ledger.deposits.record(number=number, depositor_id=depositor_id, amount_minor=amount,
                                  currency="UYU", channel=channel, external_reference="demo",
                                  actor=actor, request=None)


def _unit_id() -> Any:
    from ledger.domain.ids import unit_id

    return unit_id()
