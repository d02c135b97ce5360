"""The monthly report of economic indicators (III.D.10) is computed from the history of
its month and stays the same when later months are written; the report of possible
transfers between PPL (V.H.3) names depositors funding several PPL and deposits that
start for one PPL right after another's purchases stop, with the rows that show it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from ledger.application.bootstrap import Ledger
from ledger.application.monthly_report import MonthlyReport
from ledger.application.monthly_report_charts import charts_of, svg
from ledger.application.monthly_report_pdf import indicator_rows, monthly_report_pdf
from ledger.application.transfers_report import TransferRules, TransfersReport
from ledger.domain.account import Account
from ledger.domain.errors import InvalidInput
from tests.commissary_factories import list_product, order
from tests.factories import ManualClock, admit, deposit, fund, register_depositor
from tests.integration.commissary_story import commissary_history, deliver, local
from tests.integration.test_projections import varied_history

PRESENT = ("P-1", "P-2", "P-3", "P-4", "P-8")  # P-5 released, P-6 transferred, P-7 out


@pytest.fixture
def history(ledger: Ledger, clock: ManualClock) -> Ledger:
    varied_history(ledger, clock)
    commissary_history(ledger, clock)
    ledger.read_side.sign_audit_head()
    return ledger


def _month_events(ledger: Ledger, month: str) -> list[Any]:
    zone = ledger.ctx.settings().zone()
    return [r.event for r in ledger.read_side.source.all()
            if isinstance(r.event, Account.MoneyEvent)
            and r.event.timestamp.astimezone(zone).strftime("%Y-%m") == month]


def test_the_month_s_flows_equal_its_own_events(history: Ledger) -> None:
    report = MonthlyReport(history.ctx, history.read_side).for_month("2026-11")
    events = _month_events(history, "2026-11")
    deposits = [e for e in events if isinstance(e, Account.DepositReceived)]
    wages = [e for e in events if isinstance(e, Account.WagePaid)]
    assert (report["deposits"]["count"], report["deposits"]["amount_minor"]) == (
        len(deposits), sum(e.amount_minor for e in deposits))
    assert report["wages"]["gross_minor"] == sum(e.gross_minor for e in wages)
    assert report["reserve"]["accrued_minor"] >= report["wages"]["reserve_minor"] > 0
    assert report["damage"]["net_recovered_minor"] == sum(
        sum(e.recoveries.values()) for e in wages) > 0
    assert report["phone_recharges"] == {"count": 1, "amount_minor": 250_00}
    assert report["corrections"]["by_whom"] == [
        {"user_id": "u-admin", "role": "finance_admin", "count": 1, "amount_minor": 500_00}]
    assert report["corrections"]["entries"][0]["reason"] == "período equivocado"
    assert report["commissary"]["sales_minor"] == 0  # nothing was delivered in November


def test_december_shows_commissary_sales_by_category_and_refunds(history: Ledger) -> None:
    commissary = MonthlyReport(history.ctx, history.read_side).for_month("2026-12")[
        "commissary"]
    assert {c["category"]: c["net_minor"] for c in commissary["by_category"]} == {
        "cigarettes": 300_00, "food_no_cooking": 100_00, "hygiene": 160_00}
    assert commissary["refunds"] == {"count": 1, "amount_minor": 50_00}
    assert (commissary["sales_minor"], commissary["orders_delivered"]) == (610_00, 4)


def test_balance_bands_and_the_indigent_count_are_those_at_the_month_s_end(
        history: Ledger) -> None:
    report = MonthlyReport(history.ctx, history.read_side).for_month("2026-12")
    assert report["ppl_at_month_end"] == len(PRESENT)
    assert sum(b["count"] for b in report["balance_bands"]) == len(PRESENT)
    available = {n: history.ctx.account(n).balances["available"] for n in PRESENT}
    for band in report["balance_bands"]:
        high = band["to_minor"] if band["to_minor"] is not None else 10**15
        assert band["count"] == sum(1 for v in available.values()
                                    if band["from_minor"] <= v <= high)
    # P-8's only deposit (30 November) is more than 30 days before 31 December's end.
    assert report["indigent_at_month_end"]["penitentiary_numbers"] == ["P-8"]
    assert report["trial_balance_at_month_end"]["balanced"]


def test_a_month_s_report_does_not_change_when_later_months_are_written(
        history: Ledger, clock: ManualClock) -> None:
    before = MonthlyReport(history.ctx, history.read_side).for_month("2026-11")
    clock.set(local("2027-01-10T10:00"))
    fund(history, "P-2", 700_00, document="5.555.555-5")
    after = MonthlyReport(history.ctx, history.read_side).for_month("2026-11")
    for key in ("deposits", "wages", "reserve", "damage", "balance_bands", "corrections",
                "indigent_at_month_end", "trial_balance_at_month_end", "commissary"):
        assert after[key] == before[key], key


def test_the_report_carries_the_signed_chain_head_and_says_whether_it_covers_the_month(
        history: Ledger, clock: ManualClock) -> None:
    head = MonthlyReport(history.ctx, history.read_side).for_month("2026-12")[
        "signed_chain_head"]
    assert head["signature_valid"] and head["covers_the_month"]
    assert head["position"] == history.ctx.store.event_count()
    fund(history, "P-2", 10_00, document="5.555.555-6")  # a December event after the signing
    later = MonthlyReport(history.ctx, history.read_side).for_month("2026-12")
    assert not later["signed_chain_head"]["covers_the_month"]


def test_the_charts_and_the_pdf_carry_the_figures(history: Ledger) -> None:
    report = MonthlyReport(history.ctx, history.read_side).for_month("2026-12")
    charts = {c.name: c for c in charts_of(report)}
    assert set(charts) == {"flows", "commissary_by_category", "balance_bands",
                           "corrections_by_whom"}
    drawing = svg(charts["commissary_by_category"])
    assert drawing.startswith("<svg") and "Cigarrillos" in drawing and "UYU 300,00" in drawing
    pdf = monthly_report_pdf(report, compress=False)
    assert pdf.startswith(b"%PDF-") and b"UYU 610,00" in pdf
    assert report["signed_chain_head"]["chain_hash"][:32].encode() in pdf


def test_the_report_names_deposit_channels_in_spanish(ledger: Ledger) -> None:
    admit(ledger, "P-1")
    depositor = register_depositor(ledger)
    deposit(ledger, "P-1", depositor, 300_00, channel="bank_transfer")
    deposit(ledger, "P-1", depositor, 100_00, channel="cash_desk")
    month = ledger.ctx.clock.now().strftime("%Y-%m")
    rows = [r[0] for r in indicator_rows(MonthlyReport(ledger.ctx, ledger.read_side)
                                         .for_month(month))]
    assert "  por canal: Transferencia bancaria" in rows
    assert "  por canal: Efectivo en ventanilla" in rows
    assert not any("bank_transfer" in r or "cash_desk" in r for r in rows)


def test_a_month_not_written_as_yyyy_mm_is_refused(history: Ledger) -> None:
    for wrong in ("2026-13", "2026/11", "noviembre"):
        with pytest.raises(InvalidInput):
            MonthlyReport(history.ctx, history.read_side).for_month(wrong)


# ------------------------------------------------------------ possible transfers (V.H.3)


@pytest.fixture
def pattern(ledger: Ledger, clock: ManualClock) -> dict[str, str]:
    """P-1 (sector A) buys every week in October, funded by M, then stops after the 20th;
    on the 23rd M starts funding P-2, same sector, who had no deposits. P-3 (sector B)
    also gets a first deposit that week, from someone else. In November T funds P-1,
    P-2 and P-3."""
    clock.set(local("2026-10-01T09:00"))
    for number, sector in (("P-1", "A"), ("P-2", "A"), ("P-3", "B")):
        admit(ledger, number, sector=sector, document=f"DOC-{number}")
    list_product(ledger, "GALL-01", 50_00)
    m = register_depositor(ledger, "1.111.111-1", name="Marta")
    deposit(ledger, "P-1", m, 900_00)
    for monday in ("2026-10-05", "2026-10-12", "2026-10-19"):
        clock.set(local(f"{monday}T09:00"))
        placed = order(ledger, "P-1", GALL_01=2)
        clock.advance(days=1)
        deliver(ledger, placed)
    clock.set(local("2026-10-23T10:00"))
    deposit(ledger, "P-2", m, 400_00)
    deposit(ledger, "P-2", m, 300_00)
    deposit(ledger, "P-3", register_depositor(ledger, "2.222.222-2", name="Rosa"), 200_00)
    t = register_depositor(ledger, "3.333.333-3", name="Teresa")
    clock.set(local("2026-11-10T10:00"))
    for number in ("P-1", "P-2", "P-3"):
        deposit(ledger, number, t, 100_00)
        clock.advance(hours=1)
    clock.set(local("2026-12-01T10:00"))
    return {"M": m, "T": t}


def test_a_depositor_funding_several_ppl_is_listed_with_each_deposit(
        ledger: Ledger, pattern: dict[str, str]) -> None:
    report = TransfersReport(ledger.ctx, ledger.read_side).for_period("2026-10-01",
                                                                      "2026-11-30")
    found = {f["depositor_id"]: f for f in report["depositors_funding_several_ppl"]}
    assert found[pattern["T"]]["ppl"] == ["P-1", "P-2", "P-3"]
    assert [e["penitentiary_number"] for e in found[pattern["T"]]["evidence"]] == [
        "P-1", "P-2", "P-3"]
    assert found[pattern["M"]]["ppl"] == ["P-1", "P-2"] and found[pattern["M"]]["deposits"] == 3
    assert found[pattern["T"]]["relation"] == "madre"
    stricter = TransfersReport(ledger.ctx, ledger.read_side).for_period(
        "2026-10-01", "2026-11-30", TransferRules(min_ppl=3))
    assert [f["depositor_id"] for f in stricter["depositors_funding_several_ppl"]] == [
        pattern["T"]]


def test_deposits_starting_for_one_ppl_right_after_another_s_purchases_stop_are_shown(
        ledger: Ledger, pattern: dict[str, str]) -> None:
    report = TransfersReport(ledger.ctx, ledger.read_side).for_period("2026-10-01",
                                                                      "2026-10-31")
    [finding] = report["purchases_stop_then_deposits_start"]
    assert (finding["stopped_buying"], finding["funded"], finding["sector"]) == (
        "P-1", "P-2", "A")
    assert finding["amount_minor"] == 700_00 and finding["shared_depositors"] == [pattern["M"]]
    assert [p["amount_minor"] for p in finding["evidence"]["last_purchases"]] == [100_00] * 3
    assert finding["last_purchase_at"].startswith("2026-10-20")
    assert [d["amount_minor"] for d in finding["evidence"]["deposits_after"]] == [
        400_00, 300_00]
    # P-3 is in another sector; a window of two days no longer reaches the 23rd.
    narrow = TransfersReport(ledger.ctx, ledger.read_side).for_period(
        "2026-10-01", "2026-10-31", TransferRules(window_days=2))
    assert narrow["purchases_stop_then_deposits_start"] == []


def test_a_stop_is_not_declared_before_the_gap_has_passed(
        ledger: Ledger, pattern: dict[str, str], clock: ManualClock) -> None:
    clock.set(local("2026-10-25T10:00"))  # five days after the last purchase
    report = TransfersReport(ledger.ctx, ledger.read_side).for_period("2026-10-01",
                                                                      "2026-10-31")
    assert report["purchases_stop_then_deposits_start"] == []
    clock.set(local("2026-10-20T10:00") + timedelta(days=14, hours=1))
    assert TransfersReport(ledger.ctx, ledger.read_side).for_period(
        "2026-10-01", "2026-10-31")["purchases_stop_then_deposits_start"]


def test_rules_out_of_range_and_a_reversed_period_are_refused(
        ledger: Ledger, pattern: dict[str, str]) -> None:
    report = TransfersReport(ledger.ctx, ledger.read_side)
    with pytest.raises(InvalidInput) as refused:
        report.for_period("2026-10-01", "2026-10-31", TransferRules(min_ppl=1))
    assert refused.value.field == "min_ppl"
    with pytest.raises(InvalidInput) as reversed_period:
        report.for_period("2026-10-31", "2026-10-01")
    assert reversed_period.value.code == "period_reversed"
