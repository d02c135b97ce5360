"""Plain answers (JSON-ready dicts) built from aggregates; the API and CLI share them."""

from __future__ import annotations

from typing import Any

from ledger.domain.account import Account


def account_view(account: Account) -> dict[str, Any]:
    return {
        "penitentiary_number": account.number,
        "name": account.name,
        "sector": account.sector,
        "regime": account.regime,
        "status": account.status,
        "currency": account.currency,
        "balances": dict(account.balances),
        "damage_outstanding_minor": account.damage_outstanding_minor,
        "version": account.version,
    }


def balances_view(account: Account) -> dict[str, Any]:
    return {
        "penitentiary_number": account.number,
        "currency": account.currency,
        "status": account.status,
        "balances": dict(account.balances),
        "spendable_minor": account.balances["available"],
        "version": account.version,
    }
