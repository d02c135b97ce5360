"""What the unit owes the contractor for a period equals the movement of the contractor
payable account; the contractor's own sales file is matched line by line; a bad file is
refused whole, with every bad line named, and records nothing."""

from __future__ import annotations

import csv
import hashlib
import io
from typing import Any
from uuid import uuid4

import pytest

from ledger.application.bootstrap import Ledger
from ledger.application.idempotency import IdempotentRequest
from ledger.application.reconciliation import Reconciliations, result_csv
from ledger.application.reconciliation_file import COLUMNS, MAX_FILE_BYTES, FileRejected
from ledger.application.settlement import Settlement
from ledger.domain.errors import Conflict, InvalidInput
from projections.general_ledger import movements
from tests.commissary_factories import CONTRACTOR
from tests.factories import ManualClock
from tests.integration.commissary_story import commissary_history
from tests.integration.test_projections import varied_history

PAYABLE = "unit/contractor_payable"


@pytest.fixture
def shop(ledger: Ledger, clock: ManualClock) -> Ledger:
    varied_history(ledger, clock)
    commissary_history(ledger, clock)
    return ledger


def test_what_is_owed_for_a_period_is_sales_minus_refunds_by_product_and_sector(
        shop: Ledger) -> None:
    owed = Settlement(shop.ctx, shop.read_side).for_period("2026-12-01", "2026-12-04")
    # Delivered: P-2 in part 130.00, P-8 80.00, walk-up 150.00, P-1 250.00; refunded 50.00.
    assert (owed["sales_minor"], owed["refunds_minor"], owed["owed_minor"]) == (
        610_00, 50_00, 560_00)
    by_product = {p["product_code"]: (p["sold"], p["returned"], p["owed_minor"])
                  for p in owed["by_product"]}
    assert by_product == {"CIG-20": (2, 0, 300_00), "GALL-01": (3, 1, 100_00),
                          "JAB-01": (2, 0, 160_00)}
    assert {s["sector"]: s["owed_minor"] for s in owed["by_sector"]} == {"A": 360_00,
                                                                        "B": 200_00}
    assert sum(c["owed_minor"] for c in owed["by_category"]) == 560_00


@pytest.mark.parametrize(("start", "end"), [
    ("2026-12-01", "2026-12-04"), ("2026-12-01", "2026-12-01"), ("2026-12-02", "2026-12-03"),
    ("2026-12-04", "2026-12-04"), ("2026-11-01", "2026-11-30"), ("2026-11-01", "2026-12-31")])
def test_the_amount_owed_matches_the_contractor_payable_movement_in_the_general_ledger(
        shop: Ledger, start: str, end: str) -> None:
    owed = Settlement(shop.ctx, shop.read_side).for_period(start, end)
    with shop.read_side.views.reading() as tx:
        debits, credits = movements(tx, start, end, PAYABLE).get(PAYABLE, (0, 0))
    assert owed["owed_minor"] == credits - debits == owed["contractor_payable"]["movement_minor"]
    assert owed["matches"] and len(set(owed["positions"].values())) == 1


def test_a_period_ending_before_it_starts_is_refused(shop: Ledger) -> None:
    with pytest.raises(InvalidInput) as refused:
        Settlement(shop.ctx, shop.read_side).for_period("2026-12-04", "2026-12-01")
    assert refused.value.code == "period_reversed"


# ---------------------------------------------------------------- reconciliation


def ledger_file(ledger: Ledger, start: str, end: str) -> list[dict[str, Any]]:
    """The contractor's file as the ledger sees it: one line per sale or refund line."""
    ledger.read_side.caught_up("sales_ledger", "latest")
    from projections.sales_ledger import sales_lines

    with ledger.read_side.views.reading() as tx:
        lines = sales_lines(tx, start, end)
    return [{"line_type": p["kind"], "order_id": p["order_id"], "refund_id": p["refund_id"],
             "date": p["day"], "product_code": p["product_code"], "quantity": p["quantity"],
             "amount_minor": p["amount_minor"]} for p in lines]


def as_csv(rows: list[dict[str, Any]], columns: tuple[str, ...] = COLUMNS,
           delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def upload(ledger: Ledger, data: bytes, start: str = "2026-12-01", end: str = "2026-12-04",
           key: str | None = None) -> Any:
    request = IdempotentRequest(scope=CONTRACTOR.user_id, key=key,
                                fingerprint=hashlib.sha256(data).hexdigest()) if key else None
    return Reconciliations(ledger.ctx, ledger.read_side).upload(
        data=data, start=start, end=end, actor=CONTRACTOR, request=request)


def test_a_file_that_agrees_with_the_ledger_matches_every_line(shop: Ledger) -> None:
    rows = ledger_file(shop, "2026-12-01", "2026-12-04")
    answer = upload(shop, as_csv(rows, delimiter=";"))
    summary = answer.body["summary"]
    assert summary["matched"] == summary["lines_in_file"] == summary["lines_in_ledger"] == 7
    assert summary["file_owed_minor"] == summary["ledger_owed_minor"] == 560_00
    assert summary["difference_minor"] == 0


def test_each_kind_of_disagreement_is_named_with_both_sides(shop: Ledger) -> None:
    rows = ledger_file(shop, "2026-12-01", "2026-12-04")
    wrong_quantity, wrong_amount, wrong_day, dropped = rows[0], rows[1], rows[2], rows[3]
    wrong_quantity["quantity"] += 1
    wrong_amount["amount_minor"] += 10
    wrong_day["date"] = "2026-12-02"
    invented = {**rows[4], "order_id": str(uuid4())}
    sent = [wrong_quantity, wrong_amount, wrong_day, *rows[4:], invented]
    answer = upload(shop, as_csv(sent))
    result = Reconciliations(shop.ctx, shop.read_side).result(answer.body["reconciliation_id"])
    statuses = [(r["status"], r["file_line"]) for r in result["rows"]]
    assert statuses == [("quantity_mismatch", 2), ("amount_mismatch", 3),
                        ("date_mismatch", 4), ("matched", 5), ("matched", 6), ("matched", 7),
                        ("missing_in_ledger", 8), ("missing_in_file", None)]
    amount_row = result["rows"][1]
    assert (amount_row["file_amount_minor"] - amount_row["ledger_amount_minor"]) == 10
    missing = result["rows"][-1]
    assert (missing["order_id"], missing["ledger_quantity"]) == (dropped["order_id"],
                                                                 dropped["quantity"])
    lines = result_csv(result).splitlines()
    assert lines[0].startswith("status,line_type,order_id") and len(lines) == 9
    assert result["uploaded_by"] == {"user_id": "u-contractor", "role": "contractor"}


def test_a_line_the_ledger_booked_outside_the_period_is_a_date_mismatch_not_missing(
        shop: Ledger) -> None:
    refund = ledger_file(shop, "2026-12-04", "2026-12-04")[0]
    answer = upload(shop, as_csv([{**refund, "date": "2026-12-03"}]), end="2026-12-03")
    result = Reconciliations(shop.ctx, shop.read_side).result(answer.body["reconciliation_id"])
    assert (result["rows"][0]["status"], result["rows"][0]["ledger_date"]) == (
        "date_mismatch", "2026-12-04")


def test_a_retried_upload_gets_the_first_answer_and_records_once(shop: Ledger) -> None:
    data = as_csv(ledger_file(shop, "2026-12-01", "2026-12-04"))
    first = upload(shop, data, key="subida-1")
    events = shop.ctx.store.event_count()
    again = upload(shop, data, key="subida-1")
    assert again.replayed and again.body == first.body
    assert shop.ctx.store.event_count() == events
    with pytest.raises(Conflict):
        upload(shop, data + b"\n", key="subida-1")


BAD_FILES = {
    "wrong columns": (lambda ok: ok.replace(b"amount_minor", b"importe", 1), "columns_invalid",
                      [None]),
    "bad dates": (lambda ok: ok.replace(b"2026-12-01", b"2026-13-01", 1)
                  .replace(b"2026-12-03", b"03/12/2026", 1), "file_lines_invalid", [2, 6]),
    "a date outside the period": (lambda ok: ok.replace(b"2026-12-04", b"2026-12-09"),
                                  "file_lines_invalid", [8]),
    "a negative quantity": (lambda ok: _field(ok, 2, "quantity", "-1"), "file_lines_invalid",
                            [2]),
    "an amount with decimals": (lambda ok: _field(ok, 3, "amount_minor", "80.50"),
                                "file_lines_invalid", [3]),
    "a duplicate line": (lambda ok: ok + ok.splitlines(keepends=True)[1], "file_lines_invalid",
                         [9]),
    "a missing field": (lambda ok: ok.replace(b",2026-12-01,", b",", 1), "file_lines_invalid",
                        [2]),
    "not UTF-8": (lambda ok: ok.replace(b"GALL-01", b"GALL-\xf1", 1), "file_encoding_invalid",
                  [None]),
    "no lines": (lambda ok: ok.splitlines(keepends=True)[0], "file_empty", [None]),
    "nothing": (lambda ok: b"", "file_empty", [None]),
}


def _field(data: bytes, line: int, column: str, value: str) -> bytes:
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    rows[line - 2][column] = value
    return as_csv(rows)


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_is_refused_with_each_bad_line_named_and_records_nothing(
        shop: Ledger, case: str) -> None:
    spoil, code, lines = BAD_FILES[case]
    good = as_csv(ledger_file(shop, "2026-12-01", "2026-12-04"))
    events = shop.ctx.store.event_count()
    with pytest.raises(FileRejected) as refused:
        upload(shop, spoil(good), key=f"mala-{case}")
    assert refused.value.code == code
    assert [e["line"] for e in refused.value.errors] == lines
    assert all(e["messages"]["es"] and e["messages"]["en"] for e in refused.value.errors)
    assert shop.ctx.store.event_count() == events


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(shop: Ledger) -> None:
    with pytest.raises(FileRejected) as refused:
        upload(shop, b"x" * (MAX_FILE_BYTES + 1))
    assert (refused.value.code, refused.value.status) == ("file_too_large", 413)


def test_an_upload_for_a_period_ending_before_it_starts_is_refused(shop: Ledger) -> None:
    data = as_csv(ledger_file(shop, "2026-12-01", "2026-12-04"))
    with pytest.raises(InvalidInput) as refused:
        upload(shop, data, start="2026-12-04", end="2026-12-01")
    assert refused.value.code == "period_reversed"
