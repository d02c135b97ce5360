"""What a disciplinary case refuses (each refusal records nothing), what a sanction never
touches (XI.C.3.g), and why no sale can slip past a sanction (one atomic save)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError

from ledger.application.bootstrap import Ledger
from ledger.domain.actor import Actor, Role
from ledger.domain.eligibility import EligibilityStatus
from ledger.domain.errors import Conflict, Forbidden, InvalidInput, LedgerError, NotFound
from ledger.domain.money import Money
from tests.conftest import event_count
from tests.factories import ADMIN, CLERK, PAYROLL, ManualClock, admit, fund
from tests.integration.discipline_story import OFFICER, Story, notified

Setup = Callable[[Story], dict[str, str]]


@dataclass(frozen=True)
class Refusal:
    name: str
    setup: Setup
    attempt: Callable[[Story, dict[str, str]], Any]
    error: type[LedgerError]
    code: str


def nothing(_: Story) -> dict[str, str]:
    return {}


def opened(offence: str = "serious") -> Setup:
    return lambda s: {"case": s.at("2026-11-16T09:00").open(offence=offence)}


def decided(s: Story) -> dict[str, str]:
    case = s.at("2026-11-16T09:00").open()
    s.decide(case, 10)
    return {"case": case}


def sanctioned(s: Story) -> dict[str, str]:
    case = notified(s)  # ends on the 25th
    s.at("2026-11-18T10:00")
    return {"case": case}


def appealed(s: Story) -> dict[str, str]:
    case = notified(s)
    s.at("2026-11-17T10:00").appeal(case)
    return {"case": case}


def finally_decided(s: Story) -> dict[str, str]:
    case = notified(s)
    s.at("2026-11-17T10:00").appeal(case)
    s.at("2026-11-18T10:00").resolve(case, "director", "confirmed")
    s.at("2026-11-19T10:00").appeal(case, "institute")
    s.at("2026-11-20T10:00").resolve(case, "institute", "confirmed")
    return {"case": case}


def revoked(s: Story) -> dict[str, str]:
    case = notified(s)
    s.at("2026-11-17T10:00").appeal(case)
    s.at("2026-11-18T10:00").resolve(case, "director", "revoked")
    return {"case": case}


def commuted(s: Story) -> dict[str, str]:
    case = notified(s)
    s.at("2026-11-18T10:00").commute(case, "reduce", 30, "2026-11-22")
    return {"case": case}


def dismissed(s: Story) -> dict[str, str]:
    case = s.at("2026-11-16T09:00").open()
    s.dismiss(case)
    return {"case": case}


def with_preventive(s: Story) -> dict[str, str]:
    context = opened()(s)
    s.preventive(context["case"])
    return context


def paused(s: Story) -> dict[str, str]:
    context = sanctioned(s)
    s.pause(context["case"])
    return context


CLERK_ACTOR = Actor(user_id="u-clerk", role=Role.CLERK)

REFUSALS = [
    Refusal("a case against an unknown PPL", nothing,
            lambda s, c: s.open("P-404"), NotFound, "ppl_not_found"),
    Refusal("a collective case naming one unknown PPL", nothing,
            lambda s, c: s.open("P-1", "P-404"), NotFound, "ppl_not_found"),
    Refusal("a step on an unknown case", nothing,
            lambda s, c: s.decide(str(uuid4()), 5), NotFound, "case_not_found"),
    Refusal("a step on a malformed case id", nothing,
            lambda s, c: s.notify("not-a-case"), NotFound, "case_not_found"),
    Refusal("a PPL who is not part of the case", opened(),
            lambda s, c: s.decide(c["case"], 5, number="P-2"), NotFound, "ppl_not_in_case"),
    Refusal("an incident dated after the case is opened", nothing,
            lambda s, c: s.at("2026-11-16T10:00").open(occurred="2026-11-16T10:01"),
            InvalidInput, "occurred_in_future"),
    Refusal("a minor offence older than ten days (prescribed)", nothing,
            lambda s, c: s.at("2026-11-16T10:00").open(offence="minor",
                                                       occurred="2026-11-05T10:00"),
            InvalidInput, "offence_prescribed"),
    Refusal("a serious sanction over one month", opened(),
            lambda s, c: s.decide(c["case"], 31), InvalidInput, "duration_out_of_range"),
    Refusal("a very serious sanction under one month", opened("very_serious"),
            lambda s, c: s.decide(c["case"], 29), InvalidInput, "duration_out_of_range"),
    Refusal("a restriction with no limit", opened(),
            lambda s, c: s.decide(c["case"], 5, "restriction"), InvalidInput, "limit_required"),
    Refusal("a preventive sanction for a minor offence", opened("minor"),
            lambda s, c: s.preventive(c["case"]), Conflict, "preventive_not_allowed_for_minor"),
    Refusal("a second preventive sanction", with_preventive,
            lambda s, c: s.preventive(c["case"]), Conflict, "preventive_already_imposed"),
    Refusal("a case officer deciding the sanction", opened(),
            lambda s, c: s.d.decide_sanction(case_id=c["case"], number="P-1",
                                             effect="suspension", days=5, grounds="x",
                                             actor=OFFICER, request=None),
            Forbidden, "director_required"),
    Refusal("a clerk opening a case", nothing,
            lambda s, c: s.d.open_case(ppl=["P-1"], offence_class="serious", facts="x",
                                       reporting_officer="y", occurred_at=s.clock.now(),
                                       actor=CLERK_ACTOR, request=None),
            Forbidden, "case_officer_required"),
    Refusal("notifying a sanction that was not decided", opened(),
            lambda s, c: s.notify(c["case"]), Conflict, "sanction_not_decided"),
    Refusal("notifying a sanction twice", sanctioned,
            lambda s, c: s.notify(c["case"]), Conflict, "sanction_already_notified"),
    Refusal("deciding after the PPL was dismissed", dismissed,
            lambda s, c: s.decide(c["case"], 5), Conflict, "ppl_dismissed"),
    Refusal("an appeal before the sanction is notified", decided,
            lambda s, c: s.appeal(c["case"]), Conflict, "sanction_not_notified"),
    Refusal("an appeal after the final decision", finally_decided,
            lambda s, c: s.at("2026-11-20T11:00").appeal(c["case"], "institute"),
            Conflict, "decision_final"),
    Refusal("an appeal to the director six days after notification", sanctioned,
            lambda s, c: s.at("2026-11-22T00:00").appeal(c["case"]),
            Conflict, "appeal_out_of_time"),
    Refusal("an appeal to the institute with none to the director", sanctioned,
            lambda s, c: s.appeal(c["case"], "institute"), Conflict, "director_appeal_required"),
    Refusal("an appeal to the institute while the director is in term", appealed,
            lambda s, c: s.at("2026-11-20T10:00").appeal(c["case"], "institute"),
            Conflict, "director_appeal_pending"),
    Refusal("the director resolving after the ten days", appealed,
            lambda s, c: s.at("2026-11-28T00:00").resolve(c["case"], "director", "revoked"),
            Conflict, "appeal_term_expired"),
    Refusal("a partial revocation ending before the sanction started", appealed,
            lambda s, c: s.resolve(c["case"], "director", "revoked_partly", "2026-11-15"),
            InvalidInput, "ends_before_start"),
    Refusal("a partial revocation with no new end date", appealed,
            lambda s, c: s.resolve(c["case"], "director", "revoked_partly"),
            InvalidInput, "ends_on_required"),
    Refusal("an unknown appeal outcome", appealed,
            lambda s, c: s.resolve(c["case"], "director", "annulled"),
            InvalidInput, "outcome_unknown"),
    Refusal("commuting a revoked sanction", revoked,
            lambda s, c: s.commute(c["case"], "served", 30), Conflict, "sanction_revoked"),
    Refusal("commuting twice", commuted,
            lambda s, c: s.commute(c["case"], "served", 30), Conflict, "already_commuted"),
    Refusal("commuting a sanction already served", sanctioned,
            lambda s, c: s.at("2026-11-26T00:00").commute(c["case"], "served", 30),
            Conflict, "sanction_not_in_force"),
    Refusal("a vigilance period over a year", sanctioned,
            lambda s, c: s.commute(c["case"], "served", 366),
            InvalidInput, "vigilance_out_of_range"),
    Refusal("a reduction that is not earlier than the end", sanctioned,
            lambda s, c: s.reduce(c["case"], "incentive", "2026-11-25"),
            InvalidInput, "not_a_reduction"),
    Refusal("a reduction to a day already past", sanctioned,
            lambda s, c: s.reduce(c["case"], "incentive", "2026-11-17"),
            InvalidInput, "ends_on_in_past"),
    Refusal("resuming a sanction that is not paused", sanctioned,
            lambda s, c: s.resume(c["case"]), Conflict, "sanction_not_paused"),
    Refusal("an incentive reduction while paused for illness",
            paused,
            lambda s, c: s.reduce(c["case"], "incentive", "2026-11-20"),
            Conflict, "sanction_paused"),
]


@pytest.mark.parametrize("refusal", REFUSALS, ids=[r.name for r in REFUSALS])
def test_each_refusal_is_a_clear_error_and_records_nothing(
    ledger: Ledger, clock: ManualClock, refusal: Refusal
) -> None:
    admit(ledger, "P-1")
    admit(ledger, "P-2")
    story = Story(ledger, clock)
    context = refusal.setup(story)
    before, now = event_count(ledger), clock.now()
    eligibility = ledger.discipline.eligibility("P-1", now)
    with pytest.raises(refusal.error) as refused:
        refusal.attempt(story, context)
    assert refused.value.code == refusal.code
    assert refused.value.messages["es"] and refused.value.messages["en"]
    assert event_count(ledger) == before
    assert ledger.discipline.eligibility("P-1", now) == eligibility


# ---------------------------------------------------------------------- never touched


@pytest.fixture
def suspended(ledger: Ledger, clock: ManualClock) -> Story:
    """P-1 with 500.00 available, under a commissary suspension since 16 Nov 10:00."""
    admit(ledger, "P-1")
    fund(ledger, "P-1", 500_00)
    story = Story(ledger, clock)
    notified(story, days=20)
    story.at("2026-11-18T10:00")
    assert ledger.ctx.account("P-1").eligibility(clock.now()).status is (
        EligibilityStatus.SUSPENDED)
    return story


def test_a_deposit_from_the_family_arrives_during_a_suspension(
    ledger: Ledger, suspended: Story
) -> None:
    fund(ledger, "P-1", 100_00, document="otra-familiar")
    assert ledger.statements.balances("P-1")["balances"]["available"] == 600_00


def test_wages_keep_arriving_during_a_suspension(ledger: Ledger, suspended: Story) -> None:
    ledger.funds.pay_wage(number="P-1", employer="Cocina", period="2026-W47", hours=30,
                          gross_minor=1000_00, currency="UYU", actor=PAYROLL, request=None)
    balances = ledger.statements.balances("P-1")["balances"]
    assert balances["available"] + balances["reserve"] == 500_00 + 1000_00


def test_a_definitive_release_pays_everything_out_during_a_suspension(
    ledger: Ledger, suspended: Story
) -> None:
    answer = ledger.admissions.release("P-1", kind="definitive", judge_order="Oficio 9/2026",
                                       court="Juzgado Penal 3°", nature="cumplimiento de pena",
                                       actor=ADMIN, request=None).body
    assert answer["paid_out"]["available"] == 500_00
    assert answer["status"] == "released"


def test_a_phone_card_recharge_to_call_a_lawyer_works_during_a_suspension(
    ledger: Ledger, suspended: Story
) -> None:
    # The phone card is the way to call counsel (XI.C.1.h.ii, XI.C.2.a); a commissary
    # sanction never blocks it.
    ledger.funds.recharge_phone_card(number="P-1", amount_minor=50_00, currency="UYU",
                                     actor=CLERK, request=None)
    assert ledger.statements.balances("P-1")["balances"]["phone"] == 50_00


# ---------------------------------------------------------------------- no stale window


def test_an_account_read_before_a_sanction_cannot_be_saved_after_it(
    ledger: Ledger, clock: ManualClock
) -> None:
    admit(ledger, "P-1")
    fund(ledger, "P-1", 500_00)
    story = Story(ledger, clock)
    case = story.at("2026-11-16T09:00").open()
    story.decide(case, 5)
    stale = ledger.ctx.account("P-1")  # what a sale decided just before would hold
    assert stale.eligibility(clock.now()).status is EligibilityStatus.ELIGIBLE
    story.at("2026-11-16T10:00").notify(case)
    stale.recharge_phone_card(entry_id=str(uuid4()), amount=Money(10_00, "UYU"), actor=CLERK,
                              at=clock.now())
    with pytest.raises(IntegrityError):
        ledger.ctx.store.save(stale)  # refused: the sale must be decided again ...
    fresh = ledger.ctx.account("P-1")
    assert fresh.eligibility(clock.now()).status is EligibilityStatus.SUSPENDED  # ... and sees it


def race(*steps: Callable[[], Any]) -> list[BaseException]:
    """Runs the steps in threads released together; returns what they raised."""
    barrier = threading.Barrier(len(steps))
    errors: list[BaseException] = []

    def run(step: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            step()
        except BaseException as error:  # noqa: BLE001 - reported to the test
            errors.append(error)

    threads = [threading.Thread(target=run, args=(step,)) for step in steps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.postgres_only
def test_a_sanction_racing_other_writes_on_the_same_account_is_never_lost(
    ledger: Ledger, clock: ManualClock
) -> None:
    admit(ledger, "P-1")
    fund(ledger, "P-1", 1000_00)
    story = Story(ledger, clock)

    def recharge() -> None:
        ledger.funds.recharge_phone_card(number="P-1", amount_minor=10_00, currency="UYU",
                                         actor=CLERK, request=None)

    for round_number in range(1, 4):
        case = story.open()
        story.decide(case, 5)
        errors = race(partial(story.notify, case), recharge, recharge, recharge, recharge)
        assert errors == []
        account = ledger.ctx.account("P-1")
        assert account.sanctions[case]["windows"], f"round {round_number}: sanction lost"
        assert account.balances["phone"] == 40_00 * round_number
    assert ledger.ctx.account("P-1").eligibility(clock.now()).status is (
        EligibilityStatus.SUSPENDED)
