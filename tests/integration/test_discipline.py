"""Disciplinary cases on both stores: every path of a case's life, read back as the
commissary eligibility a sale would see, minute by minute in the unit's time zone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import pytest

from ledger.application.bootstrap import Ledger, bootstrap
from ledger.domain.account import Account
from ledger.domain.actor import Role
from ledger.domain.errors import Conflict
from tests.factories import ManualClock, admit
from tests.integration.discipline_story import Story, local, notified


@dataclass(frozen=True)
class Expect:
    when: str  # local time in the unit
    status: str
    money: int | None = None
    items: int | None = None
    number: str = "P-1"


@dataclass(frozen=True)
class Path:
    name: str
    walk: Callable[[Story], None]
    expect: list[Expect] = field(default_factory=list)


def _plain(s: Story) -> None:
    case = s.at("2026-11-16T10:00").open(occurred="2026-11-15T20:00")
    s.at("2026-11-17T09:00").decide(case, 10)
    s.at("2026-11-17T11:30").notify(case)


def _restriction(s: Story) -> None:
    case = s.at("2026-11-16T09:00").open(offence="minor")
    s.at("2026-11-16T10:00").sanction(case, 20, "restriction", money_limit_minor=300_00,
                                      items_limit=5)


def _preventive_deducted(s: Story) -> None:
    case = s.at("2026-11-16T10:00").open()
    s.preventive(case)
    s.at("2026-11-18T15:00").sanction(case, 10, "restriction", money_limit_minor=500_00)


def _preventive_dismissed(s: Story) -> None:
    case = s.at("2026-11-16T10:00").open()
    s.preventive(case, "restriction", items_limit=3)
    s.at("2026-11-17T10:00").dismiss(case)


def _preventive_lifted(s: Story) -> None:
    case = s.at("2026-11-16T10:00").open()
    s.preventive(case)
    s.at("2026-11-17T12:00").lift(case)
    s.at("2026-11-20T10:00").sanction(case, 10)


def _served_by_preventive(s: Story) -> None:
    case = s.at("2026-11-16T10:00").open()
    s.preventive(case)
    s.at("2026-11-19T10:00").sanction(case, 2)


def _director_confirms(s: Story) -> None:
    case = notified(s)
    s.at("2026-11-18T10:00").appeal(case)
    s.at("2026-11-20T10:00").resolve(case, "director", "confirmed")


def _director_revokes(s: Story) -> None:
    case = notified(s)
    s.at("2026-11-17T09:00").appeal(case)
    s.at("2026-11-19T16:45").resolve(case, "director", "revoked")


def _director_revokes_partly(s: Story) -> None:
    case = notified(s)
    s.at("2026-11-17T09:00").appeal(case)
    s.at("2026-11-18T10:00").resolve(case, "director", "revoked_partly", "2026-11-20")


def _institute_revokes_partly_into_the_past(s: Story) -> None:
    case = notified(s, days=20)
    s.at("2026-11-17T09:00").appeal(case)
    s.at("2026-11-18T10:00").resolve(case, "director", "confirmed")
    s.at("2026-11-20T10:00").appeal(case, "institute")
    answer = s.at("2026-11-24T10:00").resolve(case, "institute", "revoked_partly", "2026-11-21")
    appeal = answer["ppl"][0]["sanction"]["appeals"][1]
    assert (appeal["outcome"], appeal["ends_on"]) == ("revoked_partly", "2026-11-21")


def _institute_after_director_silence(s: Story) -> None:
    case = notified(s, days=30, offence="very_serious")
    s.at("2026-11-17T10:00").appeal(case)
    s.at("2026-11-28T10:00").appeal(case, "institute")  # the director's ten days ran out
    s.at("2026-11-30T10:00").resolve(case, "institute", "revoked")


def _commuted_reduced(s: Story) -> None:
    case = notified(s, days=20)
    s.at("2026-11-20T10:00").commute(case, "reduce", 30, "2026-11-25")


def _commuted_then_revived(s: Story) -> None:
    first = notified(s, days=20)
    s.at("2026-11-20T10:00").commute(first, "served", 60)
    second = s.at("2026-12-01T11:00").open(occurred="2026-12-01T10:00")
    s.at("2026-12-02T10:00").sanction(second, 5, "restriction", money_limit_minor=100_00)


def _commuted_vigilance_over(s: Story) -> None:
    first = notified(s, days=20)
    s.at("2026-11-20T10:00").commute(first, "served", 5)
    second = s.at("2026-11-26T11:00").open(occurred="2026-11-26T10:00")
    s.at("2026-11-27T10:00").sanction(second, 3, "restriction", items_limit=2)


def _illness_pause_resume(s: Story) -> None:
    case = notified(s)
    s.at("2026-11-18T08:00").pause(case)
    s.at("2026-11-21T15:00").resume(case)


def _illness_served(s: Story) -> None:
    case = notified(s)
    s.at("2026-11-18T08:00").pause(case)
    s.at("2026-11-19T10:00").served(case)


def _illness_reduced(s: Story) -> None:
    case = notified(s)
    s.at("2026-11-18T10:00").reduce(case, "illness", "2026-11-20")


def _incentive(s: Story) -> None:
    case = notified(s, effect="restriction", money_limit_minor=200_00)
    s.at("2026-11-19T10:00").reduce(case, "incentive", "2026-11-22")


def _collective(s: Story) -> None:
    case = s.at("2026-11-16T09:00").open("P-1", "P-2", offence="very_serious")
    s.at("2026-11-16T10:00").sanction(case, 30, number="P-1")
    s.sanction(case, 30, "restriction", number="P-2", money_limit_minor=150_00)


def _strictest(s: Story) -> None:
    a = notified(s, days=20, effect="restriction", money_limit_minor=500_00, items_limit=10)
    b = s.at("2026-11-18T09:00").open()
    s.at("2026-11-18T10:00").sanction(b, 5, "restriction", money_limit_minor=300_00)
    c = s.at("2026-11-20T09:00").open()
    s.at("2026-11-20T10:00").sanction(c, 2)
    assert a != b != c


PATHS = [
    Path("sanction starts when communicated and ends after its last day", _plain, [
        Expect("2026-11-17T11:29", "eligible"),  # decided, not yet communicated
        Expect("2026-11-17T11:30", "suspended"),  # first minute
        Expect("2026-11-26T23:59", "suspended"),  # last minute of day 10
        Expect("2026-11-27T00:00", "eligible"),
    ]),
    Path("restriction in money and items", _restriction, [
        Expect("2026-11-16T09:59", "eligible"),
        Expect("2026-11-16T10:00", "restricted", 300_00, 5),
        Expect("2026-12-05T23:59", "restricted", 300_00, 5),
        Expect("2026-12-06T00:00", "eligible"),
    ]),
    Path("preventive sanction, then its days deducted", _preventive_deducted, [
        Expect("2026-11-16T09:59", "eligible"),
        Expect("2026-11-16T10:00", "suspended"),
        Expect("2026-11-18T14:59", "suspended"),
        Expect("2026-11-18T15:00", "restricted", 500_00),  # 10 days less 2 preventive
        Expect("2026-11-25T23:59", "restricted", 500_00),
        Expect("2026-11-26T00:00", "eligible"),
    ]),
    Path("preventive sanction, then dismissed", _preventive_dismissed, [
        Expect("2026-11-16T10:00", "restricted", None, 3),
        Expect("2026-11-17T09:59", "restricted", None, 3),
        Expect("2026-11-17T10:00", "eligible"),
    ]),
    Path("preventive lifted early: only its days in force count", _preventive_lifted, [
        Expect("2026-11-17T11:59", "suspended"),
        Expect("2026-11-17T12:00", "eligible"),
        Expect("2026-11-20T10:00", "suspended"),
        Expect("2026-11-28T23:59", "suspended"),  # 10 days less 1 preventive
        Expect("2026-11-29T00:00", "eligible"),
    ]),
    Path("sanction wholly served by the preventive", _served_by_preventive, [
        Expect("2026-11-19T09:59", "suspended"),
        Expect("2026-11-19T10:00", "eligible"),
    ]),
    Path("appeal to the director confirmed", _director_confirms, [
        Expect("2026-11-25T23:59", "suspended"),
        Expect("2026-11-26T00:00", "eligible"),
    ]),
    Path("appeal to the director revoked wholly", _director_revokes, [
        Expect("2026-11-16T10:00", "suspended"),
        Expect("2026-11-19T16:44", "suspended"),
        Expect("2026-11-19T16:45", "eligible"),
        Expect("2026-11-25T12:00", "eligible"),
    ]),
    Path("appeal to the director revoked partly", _director_revokes_partly, [
        Expect("2026-11-20T23:59", "suspended"),
        Expect("2026-11-21T00:00", "eligible"),
    ]),
    Path("appeal to the institute revoked partly, new end already past",
         _institute_revokes_partly_into_the_past, [
             Expect("2026-11-24T09:59", "suspended"),
             Expect("2026-11-24T10:00", "eligible"),
         ]),
    Path("appeal to the institute after the director let ten days pass",
         _institute_after_director_silence, [
             Expect("2026-11-30T09:59", "suspended"),
             Expect("2026-11-30T10:00", "eligible"),
         ]),
    Path("commutation reduces; no new offence", _commuted_reduced, [
        Expect("2026-11-25T23:59", "suspended"),
        Expect("2026-11-26T00:00", "eligible"),
        Expect("2026-12-05T12:00", "eligible"),
    ]),
    Path("commutation declared served, revived by a new offence in vigilance",
         _commuted_then_revived, [
             Expect("2026-11-20T09:59", "suspended"),
             Expect("2026-11-20T10:00", "eligible"),
             Expect("2026-12-02T09:59", "eligible"),
             Expect("2026-12-02T10:00", "restricted", 100_00),
             Expect("2026-12-06T23:59", "restricted", 100_00),
             Expect("2026-12-07T00:00", "suspended"),  # the 15 commuted days, after
             Expect("2026-12-21T23:59", "suspended"),
             Expect("2026-12-22T00:00", "eligible"),
         ]),
    Path("commutation: a new offence after the vigilance period revives nothing",
         _commuted_vigilance_over, [
             Expect("2026-11-27T10:00", "restricted", None, 2),
             Expect("2026-11-29T23:59", "restricted", None, 2),
             Expect("2026-11-30T00:00", "eligible"),
         ]),
    Path("illness pause and resume move the end by the days paused", _illness_pause_resume, [
        Expect("2026-11-18T07:59", "suspended"),
        Expect("2026-11-18T08:00", "eligible"),
        Expect("2026-11-21T14:59", "eligible"),
        Expect("2026-11-21T15:00", "suspended"),
        Expect("2026-11-28T23:59", "suspended"),  # 25th + 3 days paused
        Expect("2026-11-29T00:00", "eligible"),
    ]),
    Path("illness: declared served while paused", _illness_served, [
        Expect("2026-11-17T10:00", "suspended"),
        Expect("2026-11-18T08:00", "eligible"),
        Expect("2026-11-20T00:00", "eligible"),
    ]),
    Path("illness: reduced", _illness_reduced, [
        Expect("2026-11-20T23:59", "suspended"),
        Expect("2026-11-21T00:00", "eligible"),
    ]),
    Path("reduction as an incentive", _incentive, [
        Expect("2026-11-22T23:59", "restricted", 200_00),
        Expect("2026-11-23T00:00", "eligible"),
    ]),
    Path("collective case: each PPL their own sanction", _collective, [
        Expect("2026-12-15T23:59", "suspended"),
        Expect("2026-12-16T00:00", "eligible"),
        Expect("2026-12-15T23:59", "restricted", 150_00, number="P-2"),
        Expect("2026-12-16T00:00", "eligible", number="P-2"),
    ]),
    Path("several cases at once combine to the strictest", _strictest, [
        Expect("2026-11-17T12:00", "restricted", 500_00, 10),
        Expect("2026-11-18T10:00", "restricted", 300_00, 10),
        Expect("2026-11-20T10:00", "suspended"),
        Expect("2026-11-21T23:59", "suspended"),
        Expect("2026-11-22T00:00", "restricted", 300_00, 10),
        Expect("2026-11-22T23:59", "restricted", 300_00, 10),
        Expect("2026-11-23T00:00", "restricted", 500_00, 10),
        Expect("2026-12-05T23:59", "restricted", 500_00, 10),
        Expect("2026-12-06T00:00", "eligible"),
    ]),
]


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_each_path_of_a_case_life_gives_the_commissary_eligibility_of_the_manual(
    ledger: Ledger, clock: ManualClock, path: Path
) -> None:
    admit(ledger, "P-1")
    admit(ledger, "P-2")
    path.walk(Story(ledger, clock))
    for expected in path.expect:
        got = ledger.discipline.eligibility(expected.number, local(expected.when))
        assert (got["status"], got["money_limit_minor"], got["items_limit"]) == (
            expected.status, expected.money, expected.items), expected
        # The answer the store gives is the one the Account (the sale's check) holds.
        account: Account = ledger.ctx.account(expected.number)
        assert account.eligibility(local(expected.when)).status.value == expected.status


def test_eligibility_names_the_cases_responsible_and_until_when(
    ledger: Ledger, clock: ManualClock
) -> None:
    admit(ledger, "P-1")
    story = Story(ledger, clock)
    case = notified(story, days=10)
    answer = ledger.discipline.eligibility("P-1", local("2026-11-16T10:00"))
    assert answer["case_ids"] == [case]
    assert answer["until"] == "2026-11-26T00:00:00-03:00"  # end date 25th, inclusive


def test_the_sanction_is_read_back_the_same_from_a_fresh_store(
    ledger: Ledger, clock: ManualClock, settings: Any
) -> None:
    admit(ledger, "P-1")
    story = Story(ledger, clock)
    case = story.at("2026-11-16T09:00").open()
    story.preventive(case)
    story.at("2026-11-18T10:00").sanction(case, 10, "restriction", money_limit_minor=500_00)
    fresh = bootstrap(settings, clock=clock)  # no aggregate cache: decoded from the store
    try:
        for when in ("2026-11-16T09:00", "2026-11-18T10:00", "2026-11-26T00:00"):
            assert fresh.discipline.eligibility("P-1", local(when)) == (
                ledger.discipline.eligibility("P-1", local(when)))
        assert fresh.discipline.case(case) == ledger.discipline.case(case)
    finally:
        fresh.close()


def test_the_case_event_and_the_account_effect_are_saved_in_one_write(
    ledger: Ledger, clock: ManualClock
) -> None:
    admit(ledger, "P-1")
    story = Story(ledger, clock)
    case = story.at("2026-11-16T09:00").open()
    story.decide(case, 5)
    before = ledger.ctx.store.event_count()
    story.at("2026-11-16T10:00").notify(case)
    recorder = ledger.ctx.store.recorder
    written = recorder.select_notifications(start=before, limit=10, inclusive_of_start=False)
    topics = [n.topic.rsplit(".", 1)[-1] for n in written]
    assert sorted(topics) == ["CommissaryEffectChanged", "SanctionNotified"]


def test_a_new_offence_revives_the_commutation_in_the_same_write_as_its_sanction(
    ledger: Ledger, clock: ManualClock
) -> None:
    admit(ledger, "P-1")
    story = Story(ledger, clock)
    first = notified(story, days=20)
    story.at("2026-11-20T10:00").commute(first, "reduce", 60, "2026-11-22")
    second = story.at("2026-11-25T11:00").open(occurred="2026-11-25T10:00")
    story.decide(second, 3)
    before = ledger.ctx.store.event_count()
    story.at("2026-11-25T12:00").notify(second)
    written = ledger.ctx.store.recorder.select_notifications(start=before, limit=10,
                                                             inclusive_of_start=False)
    assert sorted(n.topic.rsplit(".", 1)[-1] for n in written) == [
        "CommissaryEffectChanged", "CommissaryEffectChanged", "CommutedSanctionRevived",
        "SanctionNotified"]
    revived = ledger.discipline.case(first)["ppl"][0]["sanction"]
    assert revived["commutation"]["revived_by"] == second
    assert revived["terms"][1]["starts_at"] == "2026-11-28T00:00:00-03:00"
    assert revived["terms"][1]["ends_on"] == "2026-12-10"  # the 13 commuted days


def test_the_ppl_record_lists_each_case_with_its_history(
    ledger: Ledger, clock: ManualClock
) -> None:
    admit(ledger, "P-1")
    admit(ledger, "P-2")
    story = Story(ledger, clock)
    case = story.at("2026-11-16T09:00").open("P-1", "P-2")
    story.at("2026-11-16T10:00").sanction(case, 5, number="P-2")
    record = ledger.discipline.cases_of("P-1")
    assert [c["case_id"] for c in record["cases"]] == [case]
    assert [t["penitentiary_number"] for t in record["cases"][0]["ppl"]] == ["P-1"]
    assert [h["event"] for h in record["cases"][0]["history"]] == ["Opened"]
    other = ledger.discipline.cases_of("P-2")["cases"][0]
    assert [h["event"] for h in other["history"]] == ["Opened", "SanctionDecided",
                                                      "SanctionNotified"]
    assert other["history"][1]["actor"] == {"user_id": "u-director", "role": "director",
                                            "channel": "api", "terminal_id": None}
    assert other["ppl"][0]["sanction"]["status"] == "in_force"


def test_an_appeal_on_the_fifth_day_is_accepted_and_on_the_sixth_refused(
    ledger: Ledger, clock: ManualClock
) -> None:
    admit(ledger, "P-1")
    admit(ledger, "P-2")
    story = Story(ledger, clock)
    on_time = notified(story)  # notified Monday 16th, 10:00
    story.at("2026-11-21T23:59").appeal(on_time)
    late = story.at("2026-11-16T09:00").open("P-2")
    story.at("2026-11-16T10:00").sanction(late, 5, number="P-2")
    with pytest.raises(Conflict) as refused:
        story.at("2026-11-22T00:00").appeal(late, number="P-2")
    assert refused.value.code == "appeal_out_of_time"
    assert "2026-11-21" in refused.value.messages["en"]


def test_a_partial_revocation_into_the_past_reports_the_days_served_in_excess(
    ledger: Ledger, clock: ManualClock
) -> None:
    admit(ledger, "P-1")
    story = Story(ledger, clock)
    case = notified(story, days=20)
    story.at("2026-11-17T09:00").appeal(case)
    story.at("2026-11-20T10:00").resolve(case, "director", "revoked_partly", "2026-11-17")
    history = ledger.discipline.case(case)["history"]
    assert history[-1]["event"] == "AppealResolved"
    assert history[-1]["excess_days"] == 3  # 18th, 19th and 20th (XI.C.2.e)


def test_every_case_event_records_who_did_it(ledger: Ledger, clock: ManualClock) -> None:
    admit(ledger, "P-1")
    story = Story(ledger, clock)
    case = notified(story)
    story.at("2026-11-17T09:00").appeal(case)
    event: Any
    for event in ledger.ctx.store.events.get(UUID(case)):
        assert event.actor.role in (Role.CASE_OFFICER, Role.DIRECTOR)
