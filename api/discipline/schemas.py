"""Request bodies for disciplinary cases. Unknown fields are refused; limits are integers
(money in minor units); dates are ISO (an instant without offset is read in the unit's
time zone)."""

from __future__ import annotations

from datetime import date, datetime

import msgspec


class Strict(msgspec.Struct, forbid_unknown_fields=True):
    pass


class CaseIn(Strict):
    ppl: list[str]
    offence_class: str  # minor | serious | very_serious
    facts: str
    reporting_officer: str
    occurred_at: datetime


class PreventiveIn(Strict):
    effect: str  # suspension | restriction
    reason: str
    money_limit_minor: int | None = None
    items_limit: int | None = None


class ReasonIn(Strict):
    reason: str


class SanctionIn(Strict):
    effect: str  # suspension | restriction
    days: int
    grounds: str
    money_limit_minor: int | None = None
    items_limit: int | None = None


class AppealIn(Strict):
    level: str  # director | institute
    grounds: str


class AppealResolutionIn(Strict):
    outcome: str  # confirmed | revoked | revoked_partly
    grounds: str
    ends_on: date | None = None  # the new last day, for revoked_partly


class CommutationIn(Strict):
    kind: str  # reduce | served
    vigilance_days: int
    grounds: str
    ends_on: date | None = None  # the new last day, for reduce


class GroundsIn(Strict):
    grounds: str


class ReductionIn(Strict):
    ground: str  # illness | incentive
    ends_on: date
    grounds: str
