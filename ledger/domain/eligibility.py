"""Commissary eligibility of a PPL at an instant: the contract between disciplinary
cases (which decide it) and the commissary (which obeys it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class EligibilityStatus(StrEnum):
    ELIGIBLE = "eligible"
    RESTRICTED = "restricted"  # a lower monthly limit in money and/or items
    SUSPENDED = "suspended"  # no commissary at all


@dataclass(frozen=True)
class Eligibility:
    status: EligibilityStatus
    # The strictest sanction limits in force (None: the sanction sets no such limit).
    money_limit_minor: int | None = None
    items_limit: int | None = None
    until: datetime | None = None  # when the strictest effect in force ends, if known
    case_ids: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def eligible(cls) -> Eligibility:
        return cls(EligibilityStatus.ELIGIBLE)
