"""The weekly delivery calendar (V.H.6): each sector has its delivery weekday."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ledger.domain.unit import UnitSettings


def next_delivery(settings: UnitSettings, sector: str, now: datetime) -> date:
    """The sector's next delivery day strictly after today (unit time zone): an order
    placed on a delivery day is bagged for the following week."""
    today = now.astimezone(settings.zone()).date()
    ahead = (settings.delivery_weekday(sector) - today.isoweekday()) % 7
    return today + timedelta(days=ahead or 7)


def moved_delivery(settings: UnitSettings, new_sector: str, old_date: date,
                   now: datetime, taken: set[str]) -> date:
    """Where a pending order goes when its PPL moves sector (III.A.11): the new sector's
    day in the same week, or its next delivery if that day is already past; a week later
    while that date is taken by another order of the same PPL."""
    monday = old_date - timedelta(days=old_date.isoweekday() - 1)
    target = monday + timedelta(days=settings.delivery_weekday(new_sector) - 1)
    soonest = next_delivery(settings, new_sector, now)
    if target < soonest:
        target = soonest
    while target.isoformat() in taken:
        target += timedelta(days=7)
    return target
