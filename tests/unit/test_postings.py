"""Every money event's postings sum to zero."""

from __future__ import annotations

import pytest

from ledger.domain.postings import Posting, UnbalancedPostings, balanced, reversed_postings


def test_unbalanced_postings_are_a_programming_error() -> None:
    with pytest.raises(UnbalancedPostings):
        balanced([Posting("unit/trust_bank", 100), Posting("ppl/P-1/available", -99)])


def test_no_postings_is_not_a_money_event() -> None:
    with pytest.raises(UnbalancedPostings):
        balanced([])


def test_a_zero_posting_is_refused() -> None:
    with pytest.raises(ValueError):
        Posting("unit/trust_bank", 0)


def test_a_reversal_negates_every_leg() -> None:
    legs = (Posting("unit/trust_bank", 100), Posting("ppl/P-1/available", -100))
    assert reversed_postings(legs) == (
        Posting("unit/trust_bank", -100),
        Posting("ppl/P-1/available", 100),
    )
