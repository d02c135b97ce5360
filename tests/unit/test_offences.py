"""The XI.B duration table, commissary effects, how days are counted in the unit's time
zone, and how several sanctions combine to the strictest."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.domain.effects import commissary_effect, eligibility_at, window
from ledger.domain.eligibility import Eligibility, EligibilityStatus
from ledger.domain.errors import InvalidInput
from ledger.domain.offences import (
    OffenceClass,
    check_duration,
    duration_range,
    end_of_day,
    last_day,
    local_day,
)

MONTEVIDEO = ZoneInfo("America/Montevideo")
T0 = datetime(2026, 11, 16, 13, 0, tzinfo=UTC)
SUSPENSION = {"kind": "suspension", "money_limit_minor": None, "items_limit": None}


def restriction(money: int | None = None, items: int | None = None) -> dict[str, Any]:
    return {"kind": "restriction", "money_limit_minor": money, "items_limit": items}


def hours(n: float) -> datetime:
    return T0 + timedelta(hours=n)


def w(start: float, end: float | None, effect: dict[str, Any]) -> dict[str, Any]:
    made = window(hours(start), hours(end) if end is not None else None, effect)
    assert made is not None
    return made


# ---------------------------------------------------------------------- the XI.B table


@pytest.mark.parametrize(("offence", "collective", "shortest", "longest"), [
    (OffenceClass.MINOR, False, 1, 20),
    (OffenceClass.SERIOUS, False, 1, 30),
    (OffenceClass.VERY_SERIOUS, False, 30, 90),
    (OffenceClass.MINOR, True, 1, 20),
    (OffenceClass.SERIOUS, True, 1, 30),
    (OffenceClass.VERY_SERIOUS, True, 30, 30),  # XI.C.3.e caps it at the serious maximum
])
def test_each_offence_class_allows_exactly_the_days_of_the_table(
    offence: OffenceClass, collective: bool, shortest: int, longest: int
) -> None:
    assert check_duration(shortest, offence, collective=collective) == shortest
    assert check_duration(longest, offence, collective=collective) == longest
    for days in (shortest - 1, longest + 1):
        with pytest.raises(InvalidInput) as refused:
            check_duration(days, offence, collective=collective)
        assert refused.value.code == "duration_out_of_range"
        assert refused.value.context == {"min_days": shortest, "max_days": longest}
        assert f"{shortest} to {longest} days" in refused.value.messages["en"]
        assert f"de {shortest} a {longest} días" in refused.value.messages["es"]


def test_a_collective_case_never_goes_beyond_the_serious_maximum() -> None:
    for offence in OffenceClass:
        assert duration_range(offence, collective=True).max_days <= 30


@pytest.mark.parametrize("days", [10.0, "10", True, None])
def test_a_duration_that_is_not_a_whole_number_of_days_is_refused(days: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_duration(days, OffenceClass.SERIOUS, collective=False)
    assert refused.value.code == "duration_out_of_range"


# ---------------------------------------------------------------------- effects


def test_a_restriction_needs_a_money_or_items_limit_and_a_suspension_takes_none() -> None:
    assert commissary_effect("restriction", 500_00) == restriction(500_00)
    assert commissary_effect("restriction", None, 4) == restriction(None, 4)
    assert commissary_effect("suspension") == SUSPENSION
    with pytest.raises(InvalidInput) as no_limit:
        commissary_effect("restriction")
    assert no_limit.value.code == "limit_required"
    with pytest.raises(InvalidInput) as limited_suspension:
        commissary_effect("suspension", 100)
    assert limited_suspension.value.code == "limits_with_suspension"


@pytest.mark.parametrize(("money", "items"), [(0, None), (None, 0), (-5, None), (1.5, None),
                                              (None, 10_001), (10**13, None)])
def test_a_zero_negative_fractional_or_absurd_limit_is_refused(money: Any, items: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        commissary_effect("restriction", money, items)
    assert refused.value.code == "limit_invalid"


def test_an_unknown_effect_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        commissary_effect("fine")
    assert refused.value.code == "effect_unknown"


# ---------------------------------------------------------------------- counting days


def test_the_day_of_communication_is_the_first_day_and_the_end_date_is_inclusive() -> None:
    first = date(2026, 11, 16)
    assert last_day(first, 1) == first
    assert last_day(first, 10) == date(2026, 11, 25)
    over = end_of_day(date(2026, 11, 25), MONTEVIDEO)
    assert over == datetime(2026, 11, 26, 3, 0, tzinfo=UTC)  # 00:00 in Montevideo (UTC-3)
    assert local_day(over - timedelta(microseconds=1), MONTEVIDEO) == date(2026, 11, 25)


ZONES = ["America/Montevideo", "America/Santiago", "America/Sao_Paulo", "Europe/Madrid",
         "America/Asuncion"]


@given(day=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
       zone_name=st.sampled_from(ZONES))
def test_a_day_ends_exactly_where_the_next_local_day_begins_even_across_summer_time(
    day: date, zone_name: str
) -> None:
    zone = ZoneInfo(zone_name)
    over = end_of_day(day, zone)
    assert local_day(over, zone) == day + timedelta(days=1)
    assert local_day(over - timedelta(microseconds=1), zone) == day


# ---------------------------------------------------------------------- combining


def test_a_window_is_in_force_from_its_first_instant_until_just_before_its_end() -> None:
    windows = {"c1": [w(0, 24, SUSPENSION)]}
    assert eligibility_at(windows, hours(0) - timedelta(microseconds=1)) == Eligibility.eligible()
    assert eligibility_at(windows, hours(0)).status is EligibilityStatus.SUSPENDED
    assert eligibility_at(windows, hours(24) - timedelta(minutes=1)).status is (
        EligibilityStatus.SUSPENDED)
    assert eligibility_at(windows, hours(24)) == Eligibility.eligible()


def test_a_suspension_is_stricter_than_any_restriction_in_force() -> None:
    windows = {"a": [w(0, 48, restriction(100_00, 3))], "b": [w(10, 20, SUSPENSION)]}
    during = eligibility_at(windows, hours(12))
    assert during == Eligibility(EligibilityStatus.SUSPENDED, None, None, hours(20), ("b",))
    after = eligibility_at(windows, hours(20))
    assert after == Eligibility(EligibilityStatus.RESTRICTED, 100_00, 3, hours(48), ("a",))


def test_overlapping_restrictions_combine_to_the_lowest_limit_of_each_kind() -> None:
    windows = {"a": [w(0, 48, restriction(500_00, 10))],
               "b": [w(0, 24, restriction(300_00, None))],
               "c": [w(0, 36, restriction(None, 4))]}
    both = eligibility_at(windows, hours(1))
    assert (both.status, both.money_limit_minor, both.items_limit) == (
        EligibilityStatus.RESTRICTED, 300_00, 4)
    assert set(both.case_ids) == {"a", "b", "c"}
    assert both.until == hours(24)  # the money limit loosens when b ends


def test_until_follows_a_suspension_through_chained_and_overlapping_windows() -> None:
    windows = {"a": [w(0, 10, SUSPENSION)], "b": [w(5, 20, SUSPENSION)],
               "c": [w(20, 30, SUSPENSION)]}
    assert eligibility_at(windows, hours(1)).until == hours(30)


def test_an_open_ended_preventive_sanction_has_no_until() -> None:
    answer = eligibility_at({"p": [w(0, None, SUSPENSION)]}, hours(1000))
    assert answer.status is EligibilityStatus.SUSPENDED and answer.until is None


def test_eligibility_refuses_an_instant_without_time_zone() -> None:
    with pytest.raises(ValueError):
        eligibility_at({}, datetime(2026, 11, 16, 10, 0))


kinds = st.sampled_from([SUSPENSION, restriction(300_00), restriction(None, 5),
                         restriction(100_00, 2), restriction(900_00, 9)])
windows_strategy = st.lists(
    st.tuples(st.integers(0, 100), st.one_of(st.none(), st.integers(1, 50)), kinds),
    max_size=6)


@given(raw=windows_strategy, probe=st.integers(-5, 160))
def test_combined_eligibility_is_never_looser_than_any_single_sanction_in_force(
    raw: list[tuple[int, int | None, dict[str, Any]]], probe: int
) -> None:
    windows = {f"c{i}": [w(s, s + n if n else None, e)] for i, (s, n, e) in enumerate(raw)}
    at = hours(probe)
    answer = eligibility_at(windows, at)
    in_force = [(s, n, e) for s, n, e in raw if s <= probe and (n is None or probe < s + n)]
    if not in_force:
        assert answer == Eligibility.eligible()
    for _, _, effect in in_force:
        if effect["kind"] == "suspension":
            assert answer.status is EligibilityStatus.SUSPENDED
        elif answer.status is EligibilityStatus.RESTRICTED:
            for key, got in (("money_limit_minor", answer.money_limit_minor),
                             ("items_limit", answer.items_limit)):
                if effect[key] is not None:
                    assert got is not None and got <= effect[key]
        else:
            assert answer.status is EligibilityStatus.SUSPENDED
    if answer.until is not None:
        later = eligibility_at(windows, answer.until)
        assert (later.status, later.money_limit_minor, later.items_limit) != (
            answer.status, answer.money_limit_minor, answer.items_limit)
        just_before = eligibility_at(windows, answer.until - timedelta(microseconds=1))
        assert just_before.status is answer.status
