"""Regenerates the sample outputs in this folder from a simulated November 2026 of a small
unit (36 PPL in three sectors), written through the ledger's own services on a throwaway
SQLite store:

    .venv/bin/python docs/samples/generate.py

Writes: a PPL's statement (CSV, PDF, PNG of its first page), the monthly report (JSON,
HTML and a screenshot of it, PDF, PNG of each page, the four SVG charts), the
contractor's settlement (JSON), the contractor's sales file as uploaded and the
reconciliation result (CSV), and the report of possible transfers (JSON). The PNGs
need `pdftoppm` (Debian: poppler-utils) and, for the page, Chromium."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from api.reports.monthly_html import monthly_report_html  # noqa: E402
from ledger.application.bootstrap import Ledger, bootstrap  # noqa: E402
from ledger.application.monthly_report import MonthlyReport  # noqa: E402
from ledger.application.monthly_report_charts import charts_of, svg  # noqa: E402
from ledger.application.monthly_report_pdf import monthly_report_pdf  # noqa: E402
from ledger.application.reconciliation import Reconciliations, result_csv  # noqa: E402
from ledger.application.settlement import Settlement  # noqa: E402
from ledger.application.statement_csv import statement_csv  # noqa: E402
from ledger.application.statement_pdf import statement_pdf  # noqa: E402
from ledger.application.transfers_report import TransfersReport  # noqa: E402
from ledger.domain.actor import Actor, Channel, Role  # noqa: E402
from ledger.domain.unit import UnitSettings  # noqa: E402
from ledger.infrastructure.config import Settings  # noqa: E402
from ledger.infrastructure.keys import create_key_file  # noqa: E402
from projections.sales_ledger import sales_lines  # noqa: E402

ZONE = ZoneInfo("America/Montevideo")
ADMIN = Actor("u-finanzas", Role.FINANCE_ADMIN)
DEPUTY = Actor("u-subdirector", Role.FINANCE_ADMIN)
DESK = Actor("u-ventanilla", Role.DEPOSIT_DESK)
PAYROLL = Actor("u-nomina", Role.PAYROLL_OFFICER, Channel.BATCH)
CLERK = Actor("u-cajero", Role.CLERK, Channel.POS, "POS-A1")
CONTRACTOR = Actor("u-contratista", Role.CONTRACTOR)
NAMES = ["Juan Pérez", "Carlos Rodríguez", "Luis González", "Martín Fernández", "Diego López",
         "Pablo Martínez", "Jorge Sosa", "Andrés Silva", "Gustavo Núñez", "Raúl Díaz",
         "Marcelo Gómez", "Sergio Castro"]
PRODUCTS = [("GALL-01", "Galletas de agua", "food_no_cooking", 50_00, 1, "cellophane"),
            ("YERBA-1", "Yerba mate 1 kg", "food_no_cooking", 180_00, 1, "paper"),
            ("JAB-01", "Jabón de tocador", "hygiene", 80_00, 1, "cardboard"),
            ("PASTA-1", "Pasta dental", "hygiene", 95_00, 1, "plastic"),
            ("CIG-20", "Cigarrillos x20", "cigarettes", 150_00, 2, "cardboard"),
            ("MED-01", "Medias de algodón", "underwear", 120_00, 1, "plastic")]


class Clock:
    def __init__(self) -> None:
        self.current = datetime(2026, 10, 26, 9, 0, tzinfo=ZONE)

    def now(self) -> datetime:
        return self.current

    def at(self, text: str) -> None:
        self.current = datetime.fromisoformat(text).replace(tzinfo=ZONE)


def numbers() -> list[str]:
    return [f"P-{sector}{i:02d}" for sector in "123" for i in range(1, 13)]


def populate(ledger: Ledger, clock: Clock) -> dict[str, Any]:
    ledger.unit.configure(UnitSettings(name="Unidad de Internación N°1",
                                       delivery_days={"1": 2, "2": 3, "3": 4}), ADMIN)
    for i, number in enumerate(numbers()):
        ledger.admissions.admit(number=number, name=NAMES[i % 12],
                                document=f"4.{i:03d}.100-{i % 9}", sector=number[2],
                                regime=("cerrado", "semiabierto")[i % 2],
                                admitted_at=None, actor=ADMIN, request=None)
    for code, name, category, price, units, container in PRODUCTS:
        ledger.price_list.list_product(code=code, name=name, category=category,
                                       unit_price_minor=price, item_units=units,
                                       container=container, contains_alcohol=False,
                                       made_by_ppl=False, effective_at=None, actor=CONTRACTOR,
                                       request=None)
    depositors = [ledger.depositors.register(
        name=f"Familiar {j}", document=f"7.{j:03d}.222-{j % 9}", relation=("madre", "pareja",
        "hermana", "padre")[j % 4], contact="099 000 000", actor=DESK, request=None
    ).body["depositor_id"] for j in range(37)]
    return {"depositors": depositors}


def november(ledger: Ledger, clock: Clock, depositors: list[str]) -> dict[str, Any]:
    people = numbers()
    home = {number: i for i, number in enumerate(people)}  # each PPL's own depositor
    released = "P-211"
    wrong: dict[str, str] = {}
    orders: list[dict[str, Any]] = []
    for week, monday in enumerate(("2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23",
                                   "2026-11-30")):
        clock.at(f"{monday}T08:30")
        for i, number in enumerate(people):
            if number == "P-105" and week >= 2:
                continue  # P-105 stops buying after the second week (see the transfers)
            if number == "P-107" and week < 2:
                continue  # ... and P-107, same sector, starts getting deposits
            if i % 3 != 2 and number != "P-312":
                source = depositors[home[number]] if number != "P-107" else depositors[4]
                if number in ("P-208", "P-308") and week % 2:
                    source = depositors[36]  # one depositor funding three PPL
                if number == "P-108" and week == 3:
                    source = depositors[36]
                amount = 300_00 + (i * 37 % 9) * 100_00
                channel = ("cash_desk", "bank_transfer", "money_order")[(i + week) % 4 % 3]
                body = ledger.deposits.record(
                    number=number, depositor_id=source, amount_minor=amount, currency="UYU",
                    channel=channel, external_reference=f"R-{week}-{i}", actor=DESK,
                    request=None).body
                if channel != "cash_desk":  # the bank confirms it the same morning
                    ledger.deposits.clear(number=number, deposit_id=body["deposit_id"],
                                          actor=ADMIN, request=None)
            clock.current += timedelta(minutes=2)
        clock.at(f"{monday}T11:00")
        for i, number in enumerate(people[:23]):
            body = ledger.funds.pay_wage(number=number, employer=("cocina", "lavadero")[i % 2],
                                         period=f"2026-W{45 + week}", hours=30,
                                         gross_minor=1_100_00 + i * 10_00, currency="UYU",
                                         actor=PAYROLL, request=None).body
            if week == 1 and i in (3, 17):
                wrong[number] = body["entry_id"]
        if week == 2:  # two wages of the week before were paid twice over
            for number, entry in wrong.items():
                ledger.funds.reverse_entry(number=number, original_entry_id=entry,
                                           reason="jornal liquidado dos veces", actor=DEPUTY,
                                           request=None)
        if week == 0:
            ledger.funds.assess_damage(number="P-104", amount_minor=600_00, currency="UYU",
                                       reason="rotura de ventana", reference="exp 2026/311",
                                       actor=ADMIN, request=None)
        clock.at(f"{monday}T15:00")
        for i, number in enumerate(people):
            funds = ledger.statements.balances(number)["balances"]["available"]
            if (i + week) % 4 == 0 and funds >= 100_00:
                ledger.funds.recharge_phone_card(number=number, amount_minor=100_00,
                                                 currency="UYU", actor=ADMIN, request=None)
            if number in ("P-312",) or (number == "P-105" and week >= 2):
                continue
            lines = [{"product_code": PRODUCTS[(i + week) % 6][0], "quantity": 1 + i % 3},
                     {"product_code": PRODUCTS[(i + 2) % 6][0], "quantity": 1}]
            try:
                orders.append(ledger.commissary.place_order(number=number, lines=lines,
                                                            actor=CLERK, request=None).body)
            except Exception:  # noqa: BLE001 - no funds yet: that PPL does not order this week
                continue
        if week == 3:
            ledger.funds.reverse_entry(number="P-101",
                                       original_entry_id=_first_phone(ledger, "P-101"),
                                       reason="recarga registrada por error", actor=ADMIN,
                                       request=None)
        _deliver_week(ledger, clock, orders, week)
        if week == 3:
            clock.at("2026-11-27T10:00")
            ledger.admissions.release(released, kind="definitive",
                                      judge_order="Oficio 4411/2026", court="Juzgado Penal 9°",
                                      nature="cumplimiento de pena", actor=ADMIN, request=None)
            people.remove(released)
    clock.at("2026-12-02T09:00")
    return {"orders": orders}


def _deliver_week(ledger: Ledger, clock: Clock, orders: list[dict[str, Any]],
                  week: int) -> None:
    """This week's runs, day by day: most delivered, some in part, some absent; a few
    items come back as refunds the same afternoon."""
    pending = [ledger.commissary.view(o["order_id"]) for o in orders]
    pending = sorted((v for v in pending if v["status"] == "placed"),
                     key=lambda v: (v["delivery_date"], v["penitentiary_number"]))
    for k, view in enumerate(pending):
        day = datetime.fromisoformat(view["delivery_date"]).replace(hour=10, tzinfo=ZONE)
        if day > datetime(2026, 11, 30, 23, 0, tzinfo=ZONE):
            continue  # the 30 November orders are delivered in December: held at month end
        clock.current = max(clock.current, day)
        clock.current += timedelta(minutes=3)
        order_id = view["order_id"]
        regular = view["penitentiary_number"] == "P-105"  # delivered in full, always
        if (k + week) % 11 == 5 and not regular:
            ledger.commissary.cancel(order_id=order_id, reason="", absent=True,
                                     run_sector=None, actor=CLERK, request=None)
            continue
        lines = None
        if (k + week) % 7 == 3 and not regular:
            first = view["lines"][0]
            lines = [{"product_code": first["code"], "delivered_quantity": first["quantity"]},
                     *[{"product_code": line["code"], "delivered_quantity": 0}
                       for line in view["lines"][1:]]]
        ledger.commissary.deliver(order_id=order_id, delivered=lines, run_sector=None,
                                  actor=CLERK, request=None)
        if (k + week) % 9 == 4:
            ledger.commissary.refund(order_id=order_id,
                                     lines=[{"product_code": view["lines"][0]["code"],
                                             "quantity": 1}],
                                     reason="producto vencido", actor=CONTRACTOR, request=None)


def _first_phone(ledger: Ledger, number: str) -> str:
    statement = ledger.statements.statement(number, "2026-11-01", "2026-11-30")
    return next(m["entry_id"] for m in statement["movements"] if m["kind"] == "phone_recharge")


def contractor_file(ledger: Ledger) -> bytes:
    """The contractor's own records of November: the ledger's, with four disagreements."""
    ledger.read_side.caught_up("sales_ledger", "latest")
    with ledger.read_side.views.reading() as tx:
        lines = sales_lines(tx, "2026-11-01", "2026-11-30")
    rows = [{"line_type": p["kind"], "order_id": p["order_id"], "refund_id": p["refund_id"],
             "date": p["day"], "product_code": p["product_code"], "quantity": p["quantity"],
             "amount_minor": p["amount_minor"]} for p in lines]
    rows[3]["quantity"] += 1
    rows[3]["amount_minor"] += rows[3]["amount_minor"] // (rows[3]["quantity"] - 1)
    rows[8]["amount_minor"] += 500
    rows[12]["date"] = "2026-11-28" if rows[12]["date"] != "2026-11-28" else "2026-11-27"
    del rows[20]
    rows.append({**rows[0], "order_id": "5d1f5b8e-0c1a-4a0e-9f1e-3c2b1a0d9e8f"})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def render_png(pdf: Path, stem: str, first_page_only: bool) -> None:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found (apt-get install poppler-utils): PNGs skipped")
        return
    pages = ["-f", "1", "-l", "1", "-singlefile"] if first_page_only else []
    subprocess.run(["pdftoppm", "-png", "-r", "80", *pages, str(pdf), str(HERE / stem)],
                   check=True)


def render_html_png(html: Path, stem: str) -> None:
    """A screenshot of the page by a headless Chromium, when one is installed."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("chromium not found: the page's PNG is skipped")
        return
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--window-size=1000,2700", f"--screenshot={HERE / stem}.png",
                    html.as_uri()], check=True, capture_output=True)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="samples-"))
    create_key_file(work / "keys.json")
    clock = Clock()
    ledger = bootstrap(Settings(database_url=f"sqlite:///{work / 'ledger.sqlite3'}",
                                key_file=work / "keys.json", batch_commits=False), clock=clock)
    try:
        made = populate(ledger, clock)
        november(ledger, clock, made["depositors"])
        ledger.read_side.sign_audit_head()
        write_samples(ledger)
    finally:
        ledger.close()
        shutil.rmtree(work, ignore_errors=True)


def write_samples(ledger: Ledger) -> None:
    statement = ledger.statements.statement("P-104", "2026-11-01", "2026-11-30")
    (HERE / "statement-P-104-2026-11.csv").write_text(statement_csv(statement))
    (HERE / "statement-P-104-2026-11.pdf").write_bytes(statement_pdf(statement))
    render_png(HERE / "statement-P-104-2026-11.pdf", "statement-P-104-2026-11", True)
    report = MonthlyReport(ledger.ctx, ledger.read_side).for_month("2026-11")
    (HERE / "monthly-report-2026-11.json").write_text(
        json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    (HERE / "monthly-report-2026-11.html").write_text(monthly_report_html(report))
    render_html_png(HERE / "monthly-report-2026-11.html", "monthly-report-2026-11-html")
    (HERE / "monthly-report-2026-11.pdf").write_bytes(monthly_report_pdf(report))
    render_png(HERE / "monthly-report-2026-11.pdf", "monthly-report-2026-11", False)
    for chart in charts_of(report):
        (HERE / f"chart-{chart.name}.svg").write_text(svg(chart))
    settlement = Settlement(ledger.ctx, ledger.read_side).for_period("2026-11-01", "2026-11-30")
    (HERE / "settlement-2026-11.json").write_text(
        json.dumps(settlement, indent=1, ensure_ascii=False) + "\n")
    upload = contractor_file(ledger)
    (HERE / "contractor-sales-2026-11.csv").write_bytes(upload)
    service = Reconciliations(ledger.ctx, ledger.read_side)
    outcome = service.upload(data=upload, start="2026-11-01", end="2026-11-30",
                             actor=CONTRACTOR, request=None)
    (HERE / "reconciliation.csv").write_text(
        result_csv(service.result(outcome.body["reconciliation_id"])))
    transfers = TransfersReport(ledger.ctx, ledger.read_side).for_period("2026-11-01",
                                                                         "2026-11-30")
    (HERE / "transfers-2026-11.json").write_text(
        json.dumps(transfers, indent=1, ensure_ascii=False) + "\n")
    print(f"samples written to {HERE}")


if __name__ == "__main__":
    main()
