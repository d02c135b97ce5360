"""The monthly commissary limit that applies to a PPL: the strictest of the unit's limit,
the regime's override and a disciplinary restriction (V.H.3, V.H.2)."""

from __future__ import annotations

from dataclasses import dataclass

from ledger.domain.eligibility import Eligibility
from ledger.domain.unit import UnitSettings


@dataclass(frozen=True)
class MonthlyLimits:
    money_minor: int
    items: int
    money_source: str  # "unit", "regime" or "sanction": who set the binding limit
    items_source: str


def limits_for(settings: UnitSettings, regime: str, eligibility: Eligibility) -> MonthlyLimits:
    money = [(settings.commissary_month_limit_minor, "unit")]
    items = [(settings.commissary_month_item_limit, "unit")]
    override = settings.regime_limits.get(regime, {})
    if "money_minor" in override:
        money.append((override["money_minor"], "regime"))
    if "items" in override:
        items.append((override["items"], "regime"))
    if eligibility.money_limit_minor is not None:
        money.append((eligibility.money_limit_minor, "sanction"))
    if eligibility.items_limit is not None:
        items.append((eligibility.items_limit, "sanction"))
    money_limit, money_source = min(money, key=lambda pair: pair[0])
    items_limit, items_source = min(items, key=lambda pair: pair[0])
    return MonthlyLimits(money_limit, items_limit, money_source, items_source)
