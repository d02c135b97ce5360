"""The commissary effect of a sanction, the windows of time it is in force, and how the
windows of every case of a PPL combine into one answer: `Eligibility`.

A window is in force from `starts_at` (inclusive) to `ends_at` (exclusive; None while the
end is not known, as for a preventive sanction). Several windows combine to the strictest:
any suspension suspends; otherwise every restriction in force applies, each limit (money,
items) taken at its lowest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from ledger.domain.eligibility import Eligibility, EligibilityStatus
from ledger.domain.errors import InvalidInput
from ledger.domain.money import MAX_MINOR_UNITS

MAX_ITEMS_LIMIT = 10_000


class EffectKind(StrEnum):
    SUSPENSION = "suspension"  # no commissary at all
    RESTRICTION = "restriction"  # a lower monthly limit in money and/or items


def commissary_effect(kind: Any, money_limit_minor: Any = None,
                      items_limit: Any = None) -> dict[str, Any]:
    """Validates an effect from the outside; returns it as stored in events."""
    try:
        effect = EffectKind(kind)
    except ValueError:
        raise InvalidInput("effect_unknown", field="effect",
                           es="El efecto es «suspension» o «restriction».",
                           en="The effect is 'suspension' or 'restriction'.") from None
    if effect is EffectKind.SUSPENSION:
        if money_limit_minor is not None or items_limit is not None:
            raise InvalidInput("limits_with_suspension", field="money_limit_minor",
                               es="Una suspensión no lleva límites; use «restriction».",
                               en="A suspension takes no limits; use 'restriction'.")
        return {"kind": effect.value, "money_limit_minor": None, "items_limit": None}
    if money_limit_minor is None and items_limit is None:
        raise InvalidInput("limit_required", field="money_limit_minor",
                           es="Una restricción fija un límite mensual en dinero y/o artículos.",
                           en="A restriction sets a monthly limit in money and/or items.")
    _check_limit(money_limit_minor, "money_limit_minor", MAX_MINOR_UNITS)
    _check_limit(items_limit, "items_limit", MAX_ITEMS_LIMIT)
    return {"kind": effect.value, "money_limit_minor": money_limit_minor,
            "items_limit": items_limit}


def _check_limit(value: Any, field: str, ceiling: int) -> None:
    if value is None:
        return
    if type(value) is not int or not 0 < value <= ceiling:
        raise InvalidInput(
            "limit_invalid", field=field,
            es=f"El límite «{field}» es un entero entre 1 y {ceiling}; un límite cero es "
               "una suspensión.",
            en=f"The limit '{field}' is a whole number from 1 to {ceiling}; a zero limit is "
               "a suspension.")


def window(starts_at: datetime, ends_at: datetime | None,
           effect: Mapping[str, Any]) -> dict[str, Any] | None:
    """A window as recorded on the Account (instants in UTC); None if it is empty."""
    if ends_at is not None and ends_at <= starts_at:
        return None
    return {
        "starts_at": starts_at.astimezone(UTC),
        "ends_at": ends_at.astimezone(UTC) if ends_at is not None else None,
        "kind": effect["kind"],
        "money_limit_minor": effect["money_limit_minor"],
        "items_limit": effect["items_limit"],
    }


def _in_force(w: Mapping[str, Any], at: datetime) -> bool:
    return bool(w["starts_at"] <= at and (w["ends_at"] is None or at < w["ends_at"]))


Effect = tuple[EligibilityStatus, int | None, int | None]


def _effect_at(windows: Iterable[tuple[str, Mapping[str, Any]]],
               at: datetime) -> tuple[Effect, tuple[str, ...]]:
    in_force = [(case_id, w) for case_id, w in windows if _in_force(w, at)]
    suspending = [c for c, w in in_force if w["kind"] == EffectKind.SUSPENSION]
    if suspending:
        return (EligibilityStatus.SUSPENDED, None, None), tuple(dict.fromkeys(suspending))
    if not in_force:
        return (EligibilityStatus.ELIGIBLE, None, None), ()
    money = [w["money_limit_minor"] for _, w in in_force if w["money_limit_minor"] is not None]
    items = [w["items_limit"] for _, w in in_force if w["items_limit"] is not None]
    effect = (EligibilityStatus.RESTRICTED, min(money, default=None), min(items, default=None))
    return effect, tuple(dict.fromkeys(c for c, _ in in_force))


def eligibility_at(windows_by_case: Mapping[str, Iterable[Mapping[str, Any]]],
                   at: datetime) -> Eligibility:
    """The commissary eligibility at an instant. `until` is the first later instant at
    which the effect (status or a limit) changes by the windows known now; None when it
    does not end by itself (a preventive sanction in force)."""
    if at.tzinfo is None:
        raise ValueError("eligibility needs an aware instant")
    windows = [(case_id, w) for case_id, ws in windows_by_case.items() for w in ws]
    effect, case_ids = _effect_at(windows, at)
    if effect[0] is EligibilityStatus.ELIGIBLE:
        return Eligibility.eligible()
    boundaries = sorted({t for _, w in windows for t in (w["starts_at"], w["ends_at"])
                         if t is not None and t > at})
    until = next((t for t in boundaries if _effect_at(windows, t)[0] != effect), None)
    return Eligibility(status=effect[0], money_limit_minor=effect[1], items_limit=effect[2],
                       until=until, case_ids=case_ids)
