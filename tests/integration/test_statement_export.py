"""A PPL statement as CSV and PDF carries the same figures as the JSON statement: the
opening balances, each movement with who and why, the closing balances."""

from __future__ import annotations

import csv
import io

from ledger.application.bootstrap import Ledger
from ledger.application.statement_csv import HEADER, statement_csv
from ledger.application.statement_pdf import statement_pdf
from tests.factories import ADMIN, ManualClock, admit, fund


def _statement(ledger: Ledger, clock: ManualClock) -> dict:
    admit(ledger, "P-1", name="José Núñez")
    fund(ledger, "P-1", 500_00)
    clock.advance(days=20)
    ledger.funds.recharge_phone_card(number="P-1", amount_minor=120_00, currency="UYU",
                                     actor=ADMIN, request=None)
    return ledger.statements.statement("P-1", "2026-12-01", "2026-12-31")


def test_the_csv_statement_has_opening_movements_and_closing_lines_that_add_up(
        ledger: Ledger, clock: ManualClock) -> None:
    rows = list(csv.DictReader(io.StringIO(statement_csv(_statement(ledger, clock)))))
    assert list(rows[0]) == HEADER
    assert [r["line"] for r in rows] == ["opening", "movement", "closing"]
    opening, recharge, closing = rows
    assert (opening["available_minor"], opening["phone_minor"]) == ("50000", "0")
    assert (recharge["kind"], recharge["available_minor"], recharge["phone_minor"]) == (
        "phone_recharge", "-12000", "12000")
    assert (recharge["actor_user"], recharge["actor_role"]) == ("u-admin", "finance_admin")
    assert (closing["available_minor"], closing["phone_minor"]) == ("38000", "12000")


def test_the_pdf_statement_shows_the_person_the_movement_and_the_closing_balance(
        ledger: Ledger, clock: ManualClock) -> None:
    pdf = statement_pdf(_statement(ledger, clock), compress=False)
    assert pdf.startswith(b"%PDF-")
    for text in ("PPL P-1 - Jos\xe9 N\xfa\xf1ez".encode("latin-1"), b"phone_recharge",
                 b"UYU 380,00", b"UYU 120,00", b"Saldo final"):
        assert text in pdf
