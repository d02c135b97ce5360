"""Double entry: every money event carries postings that sum to zero.

A posting's amount is signed: positive is a debit, negative a credit. PPL sub-accounts
and unit payables are liabilities (credit-normal); the trust bank, deposits in clearing
and the custody safe are assets (debit-normal). See docs/CHART_OF_ACCOUNTS.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class SubAccount(StrEnum):
    """The PPL account's sub-balances."""

    AVAILABLE = "available"  # peculio libre: what the PPL may spend
    RESERVE = "reserve"  # fondo de reserva para egreso
    PHONE = "phone"  # tarjeta telefónica
    HELD = "held"  # held for commissary orders not yet delivered
    CUSTODY = "custody"  # intake cash kept in custody
    PENDING = "pending"  # deposits waiting to clear; visible, not spendable


class UnitAccount(StrEnum):
    TRUST_BANK = "unit/trust_bank"  # asset: the bank account that holds PPL money
    DEPOSITS_IN_CLEARING = "unit/deposits_in_clearing"  # asset: deposits not yet cleared
    CUSTODY_SAFE = "unit/custody_safe"  # asset: intake cash physically in the safe
    CONTRACTOR_PAYABLE = "unit/contractor_payable"  # liability: delivered, owed to contractor
    DAMAGE_RECOVERIES = "unit/damage_recoveries"  # liability: recovered damages, owed out
    PAYOUTS = "unit/payouts"  # asset clearing: money paid out at release or transfer


ASSET_ACCOUNTS = frozenset(
    {
        UnitAccount.TRUST_BANK,
        UnitAccount.DEPOSITS_IN_CLEARING,
        UnitAccount.CUSTODY_SAFE,
        UnitAccount.PAYOUTS,
    }
)


def ppl_account(number: str, sub: SubAccount) -> str:
    return f"ppl/{number}/{sub.value}"


_SUBS = {sub.value: sub for sub in SubAccount}  # by value without Enum's slow call


def split_ppl_account(account: str) -> tuple[str, SubAccount] | None:
    parts = account.split("/")
    if len(parts) == 3 and parts[0] == "ppl":
        return parts[1], _SUBS[parts[2]]
    return None


@dataclass(frozen=True, slots=True)
class Posting:
    account: str
    amount_minor: int  # + debit, - credit

    def __post_init__(self) -> None:
        if type(self.amount_minor) is not int:
            raise TypeError("posting amounts are integer minor units")
        if self.amount_minor == 0:
            raise ValueError(f"zero posting to {self.account}")


class UnbalancedPostings(AssertionError):
    """A programming error: a money event whose postings do not sum to zero."""


def balanced(postings: Iterable[Posting]) -> tuple[Posting, ...]:
    result = tuple(p for p in postings)
    total = sum(p.amount_minor for p in result)
    if total != 0 or not result:
        raise UnbalancedPostings(f"postings sum to {total}: {result}")
    return result


def transfer(debit: str, credit: str, amount_minor: int) -> tuple[Posting, Posting]:
    """The two legs of moving `amount_minor` from `credit`'s side to `debit`'s side."""
    return Posting(debit, amount_minor), Posting(credit, -amount_minor)


def reversed_postings(postings: Iterable[Posting]) -> tuple[Posting, ...]:
    return balanced(Posting(p.account, -p.amount_minor) for p in postings)


def credit_normal_balance(postings: Iterable[Posting], account: str) -> int:
    """Balance of a liability account: credits minus debits."""
    return -sum(p.amount_minor for p in postings if p.account == account)
