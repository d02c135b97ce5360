"""Money is exact: integer minor units, one currency, rounding that loses nothing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.domain.errors import InvalidInput
from ledger.domain.money import MAX_MINOR_UNITS, Money, parse_amount


def test_money_refuses_floats_and_booleans() -> None:
    with pytest.raises(TypeError):
        Money(10.5, "UYU")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(True, "UYU")  # type: ignore[arg-type]


def test_money_of_different_currencies_does_not_combine() -> None:
    with pytest.raises(InvalidInput) as refused:
        Money(1, "UYU") + Money(1, "USD")
    assert refused.value.code == "currency_mismatch"


@pytest.mark.parametrize(
    ("minor", "currency", "code"),
    [
        (0, "UYU", "amount_not_positive"),
        (-100, "UYU", "amount_not_positive"),
        (MAX_MINOR_UNITS + 1, "UYU", "amount_too_large"),
        (100, "USD", "currency_mismatch"),
        (10.5, "UYU", "amount_not_integer"),
        ("100", "UYU", "amount_not_integer"),
        (True, "UYU", "amount_not_integer"),
    ],
)
def test_amounts_from_outside_are_refused_unless_positive_whole_minor_units(
    minor: object, currency: str, code: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_amount(minor, currency, "UYU", field="amount_minor")
    assert refused.value.code == code


@given(st.integers(min_value=0, max_value=MAX_MINOR_UNITS), st.integers(0, 10_000))
def test_a_share_and_its_remainder_add_back_to_the_whole(minor: int, bp: int) -> None:
    whole = Money(minor, "UYU")
    part = whole.share(bp)
    assert part + (whole - part) == whole
    assert 0 <= part.minor_units <= minor


def test_shares_round_half_to_even() -> None:
    assert Money(5, "UYU").share(5000).minor_units == 2  # 2.5 -> 2
    assert Money(7, "UYU").share(5000).minor_units == 4  # 3.5 -> 4


def test_money_formats_with_uruguayan_grouping() -> None:
    assert Money(123456789, "UYU").format() == "UYU 1.234.567,89"
    assert Money(-5, "UYU").format() == "UYU -0,05"
