"""The unit's local calendar for projections: the day and month of an instant in the time
zone in force at that instant (the Unit aggregate's settings history)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from ledger.application.store import LedgerStore
from ledger.domain.ids import unit_id
from ledger.domain.unit import UnitSettings


def day_of_factory(store: LedgerStore) -> Callable[[datetime], str]:
    """A function giving the local day (YYYY-MM-DD) of an instant; the Unit is loaded once
    per call of this factory (once per batch)."""
    unit = store.find(unit_id())

    def day_of(instant: datetime) -> str:
        settings = unit.settings_at(instant) if unit is not None else UnitSettings()
        return instant.astimezone(settings.zone()).date().isoformat()

    return day_of


def stamp(instant: datetime) -> str:
    """UTC, fixed width: compares as text in SQL."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def unstamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
