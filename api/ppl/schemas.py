"""Request bodies for the PPL account. Unknown fields are refused; amounts are integers
of minor units with their currency code."""

from __future__ import annotations

from datetime import datetime

import msgspec


class Strict(msgspec.Struct, forbid_unknown_fields=True):
    pass


class Admission(Strict):
    penitentiary_number: str
    name: str
    document: str
    sector: str
    regime: str
    admitted_at: datetime | None = None


class SectorChange(Strict):
    sector: str
    reason: str


class RegimeChange(Strict):
    regime: str
    reason: str


class DepositIn(Strict):
    amount_minor: int
    currency: str
    channel: str
    depositor_id: str | None = None  # a signed-in depositor deposits as themselves
    external_reference: str = ""


class Rejection(Strict):
    reason: str


class CustodyIntake(Strict):
    amount_minor: int
    currency: str
    reference: str


class AmountIn(Strict):
    amount_minor: int
    currency: str


class WageIn(Strict):
    employer: str
    period: str
    hours: int
    gross_minor: int
    currency: str


class DamageClaimIn(Strict):
    amount_minor: int
    currency: str
    reason: str
    reference: str


class Withdrawal(Strict):
    reason: str


class CorrectionIn(Strict):
    original_entry_id: str
    reason: str


class TransferIn(Strict):
    destination_unit: str
    reference: str


class ReleaseIn(Strict):
    kind: str
    judge_order: str
    court: str
    nature: str
