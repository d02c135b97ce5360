"""The weekly payroll file: good lines are paid, bad lines reported and skipped, a line
already paid is never paid again, and an unreadable file pays nothing."""

from __future__ import annotations

import pytest

from ledger.application.bootstrap import Ledger
from ledger.application.idempotency import IdempotentRequest
from ledger.domain.errors import InvalidInput
from tests.conftest import event_count
from tests.factories import PAYROLL, admit

HEADER = "penitentiary_number,employer,period,hours,gross_minor,currency\n"


def import_csv(ledger: Ledger, text: str, key: str | None = None) -> dict[str, object]:
    req = IdempotentRequest("u-payroll", key, f"fp-{hash(text)}") if key else None
    return ledger.payroll.import_file(text.encode(), PAYROLL, req).body


def test_good_lines_are_paid_and_bad_lines_are_reported_each_with_its_reason(
    ledger: Ledger,
) -> None:
    admit(ledger, "P-1")
    admit(ledger, "P-2")
    result = import_csv(ledger, HEADER + "\n".join([
        "P-1,Cocina,2026-W47,30,120000,UYU",
        "P-9,Cocina,2026-W47,30,120000,UYU",      # unknown PPL
        "P-2,Lavadero,2026-W47,30,12.50,UYU",      # decimals
        "P-2,Lavadero,2026-W47,30,90000,USD",      # wrong currency
        "P-2,Lavadero,2026-13,30,90000,UYU",       # bad period
        "P-2,Lavadero,2026-W47,30,90000,UYU",
        "P-1,Cocina,2026-W47,30,120000,UYU",       # same wage twice in the file
        "P-2,Lavadero,2026-W47",                   # short line
    ]) + "\n")
    statuses = [(line["line"], line["status"], line.get("code")) for line in result["lines"]]
    assert statuses == [
        (2, "paid", None), (3, "refused", "ppl_not_found"), (4, "refused", "number_invalid"),
        (5, "refused", "currency_mismatch"), (6, "refused", "period_invalid"), (7, "paid", None),
        (8, "already_paid", "wage_already_paid"), (9, "refused", "line_width_invalid"),
    ]
    assert result["counts"] == {"paid": 2, "already_paid": 1, "refused": 5}
    assert ledger.statements.balances("P-1")["balances"]["available"] == 84000


def test_a_corrected_file_imported_again_pays_only_what_was_not_yet_paid(ledger: Ledger) -> None:
    admit(ledger, "P-1")
    admit(ledger, "P-2")
    import_csv(ledger, HEADER + "P-1,Cocina,2026-W47,30,100000,UYU\nP-2,Cocina,2026-W47,30,x,UYU\n")
    second = import_csv(ledger, HEADER + "P-1,Cocina,2026-W47,30,100000,UYU\n"
                        "P-2,Cocina,2026-W47,30,100000,UYU\n")
    assert [line["status"] for line in second["lines"]] == ["already_paid", "paid"]


def test_a_file_with_the_wrong_header_pays_nothing(ledger: Ledger) -> None:
    admit(ledger, "P-1")
    count = event_count(ledger)
    with pytest.raises(InvalidInput) as refused:
        import_csv(ledger, "ppl,amount\nP-1,100\n")
    assert refused.value.code == "file_header_invalid"
    assert event_count(ledger) == count


def test_a_retried_upload_returns_the_first_results(ledger: Ledger) -> None:
    admit(ledger, "P-1")
    text = HEADER + "P-1,Cocina,2026-W47,30,100000,UYU\n"
    first = import_csv(ledger, text, key="upload-1")
    count = event_count(ledger)
    assert import_csv(ledger, text, key="upload-1") == first
    assert event_count(ledger) == count
