"""Offence classes, the sanction durations of the manual's table (XI.B), and how the days
of a sanction are counted.

A day is a calendar day in the unit's time zone. The day a sanction is communicated counts
as its first day, and its end date is inclusive: a sanction that ends on the 25th is in
force until 23:59:59 of the 25th and over at 00:00 of the 26th (local time). One month of
the table counts as 30 days, so a limit does not depend on which month a sanction falls in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from ledger.domain.choices import parse_choice
from ledger.domain.errors import InvalidInput

DAYS_PER_MONTH = 30


class OffenceClass(StrEnum):
    MINOR = "minor"  # falta leve
    SERIOUS = "serious"  # falta grave
    VERY_SERIOUS = "very_serious"  # falta muy grave


CLASS_NAMES_ES = {
    OffenceClass.MINOR: "leve",
    OffenceClass.SERIOUS: "grave",
    OffenceClass.VERY_SERIOUS: "muy grave",
}


@dataclass(frozen=True)
class DurationRange:
    min_days: int
    max_days: int
    source: str  # the manual's words for the sanction the range comes from


# XI.B, the sanctions that restrict benefits (the commissary is one): for a minor offence
# "restricción de derechos y/o beneficios de 1 a 20 días"; for a serious one "suspensión
# de incentivos hasta por un mes"; for a very serious one "de uno a tres meses".
DURATIONS: dict[OffenceClass, DurationRange] = {
    OffenceClass.MINOR: DurationRange(1, 20, "XI.B faltas leves: de 1 a 20 días"),
    OffenceClass.SERIOUS: DurationRange(1, DAYS_PER_MONTH, "XI.B faltas graves: hasta un mes"),
    OffenceClass.VERY_SERIOUS: DurationRange(
        DAYS_PER_MONTH, 3 * DAYS_PER_MONTH, "XI.B faltas muy graves: de uno a tres meses"
    ),
}

# XI.C.3.e: a collective sanction never exceeds the maximum for a serious offence.
COLLECTIVE_MAX_DAYS = DURATIONS[OffenceClass.SERIOUS].max_days

# XI.C.1.e and XI.C.3.a: a preventive sanction only for serious and very serious offences.
PREVENTIVE_ALLOWED = frozenset({OffenceClass.SERIOUS, OffenceClass.VERY_SERIOUS})

# XI.A.4: serious and very serious offences prescribe after 30 days, minor ones after 10.
PRESCRIPTION_DAYS = {
    OffenceClass.MINOR: 10,
    OffenceClass.SERIOUS: 30,
    OffenceClass.VERY_SERIOUS: 30,
}


def parse_offence_class(value: Any) -> OffenceClass:
    return parse_choice(OffenceClass, value, code="offence_class_unknown",
                        field="offence_class", es="Clase de falta desconocida; use una de",
                        en="Unknown offence class; use one of")


def duration_range(offence_class: OffenceClass, *, collective: bool) -> DurationRange:
    """The table's range; a collective case is capped at the serious maximum (XI.C.3.e),
    and where the class minimum is above that cap the cap is the whole range."""
    table = DURATIONS[offence_class]
    if not collective or table.max_days <= COLLECTIVE_MAX_DAYS:
        return table
    return DurationRange(
        min(table.min_days, COLLECTIVE_MAX_DAYS),
        COLLECTIVE_MAX_DAYS,
        f"{table.source}; XI.C.3.e sanción colectiva: hasta {COLLECTIVE_MAX_DAYS} días",
    )


def check_duration(days: Any, offence_class: OffenceClass, *, collective: bool) -> int:
    allowed = duration_range(offence_class, collective=collective)
    if type(days) is not int or not allowed.min_days <= days <= allowed.max_days:
        kind_es = "colectiva " if collective else ""
        kind_en = "collective " if collective else ""
        raise InvalidInput(
            "duration_out_of_range",
            field="days",
            es=(f"Para una falta {kind_es}{CLASS_NAMES_ES[offence_class]} la sanción dura de "
                f"{allowed.min_days} a {allowed.max_days} días ({allowed.source})."),
            en=(f"For a {kind_en}{offence_class.value.replace('_', ' ')} offence the sanction "
                f"lasts {allowed.min_days} to {allowed.max_days} days ({allowed.source})."),
            min_days=allowed.min_days,
            max_days=allowed.max_days,
        )
    return days


# ------------------------------------------------------------------ counting days


def local_day(instant: datetime, zone: ZoneInfo) -> date:
    """The calendar day of an instant in the unit's time zone."""
    return instant.astimezone(zone).date()


def end_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The instant a day is over: 00:00 local of the next day (the first instant that is
    no longer part of an inclusive end date)."""
    return datetime.combine(day + timedelta(days=1), time.min, zone)


def last_day(first_day: date, days: int) -> date:
    """The inclusive end date of `days` days whose first day is `first_day`."""
    return first_day + timedelta(days=days - 1)
