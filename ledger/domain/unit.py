"""The unit's configuration. Changes are events, so any past figure can be explained by
the rules in force at the time (`settings_at`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from eventsourcing.domain import Aggregate

from ledger.domain.actor import Actor
from ledger.domain.errors import Conflict, InvalidInput
from ledger.domain.money import BASIS_POINTS, MAX_MINOR_UNITS, check_currency


@dataclass(frozen=True)
class UnitSettings:
    name: str = "Unidad de Internación N°1"
    currency: str = "UYU"
    time_zone: str = "America/Montevideo"
    # Share of each wage kept in the release reserve, in basis points (1/100 of a percent).
    reserve_share_bp: int = 3000
    # Share of each gross wage withheld towards open damage claims (V.C.3.g).
    damage_recovery_share_bp: int = 2000
    # Deposit caps in minor units; None means no cap.
    deposit_max_single_minor: int | None = 5_000_000
    deposit_cap_per_ppl_month_minor: int | None = 10_000_000
    deposit_cap_per_depositor_month_minor: int | None = 8_000_000
    # Commissary (V.H.3): the unit's monthly limit in money and in items, per PPL.
    commissary_month_limit_minor: int = 800_000
    commissary_month_item_limit: int = 80
    # Optional stricter limits per regime, e.g. {"aislamiento": {"money_minor": 200000,
    # "items": 20}}; whichever of unit, regime and sanction is lowest applies.
    regime_limits: dict[str, dict[str, int]] = field(default_factory=dict)
    # Delivery calendar (V.H.6): sector -> ISO weekday (1 = Monday ... 7 = Sunday).
    delivery_days: dict[str, int] = field(default_factory=lambda: {"A": 2, "B": 4})
    default_delivery_weekday: int = 3
    # Counter opening hours for walk-up sales (XIII: 07:45 and 13:00-14:30).
    opening_hours: list[list[str]] = field(
        default_factory=lambda: [["07:45", "09:00"], ["13:00", "14:30"]]
    )
    # Whether a refund gives the month's consumption back (V.H.3 leaves it to the unit).
    refund_restores_consumption: bool = False
    max_quantity_per_line: int = 50

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def month_of(self, instant: datetime) -> str:
        """The calendar month of an instant, in the unit's own time zone (YYYY-MM)."""
        return instant.astimezone(self.zone()).strftime("%Y-%m")

    def delivery_weekday(self, sector: str) -> int:
        return self.delivery_days.get(sector, self.default_delivery_weekday)

    def is_open(self, instant: datetime) -> bool:
        local = instant.astimezone(self.zone()).time()
        return any(time.fromisoformat(a) <= local < time.fromisoformat(b)
                   for a, b in self.opening_hours)


SETTING_NAMES = frozenset(f.name for f in fields(UnitSettings))
_CAPS = (
    "deposit_max_single_minor",
    "deposit_cap_per_ppl_month_minor",
    "deposit_cap_per_depositor_month_minor",
)


def validate_settings(settings: UnitSettings) -> UnitSettings:
    check_currency(settings.currency)
    if not settings.name.strip():
        raise InvalidInput("name_required", field="name", es="Falta el nombre.", en="Name missing.")
    try:
        ZoneInfo(settings.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            "time_zone_unknown",
            field="time_zone",
            es=f"Zona horaria desconocida: {settings.time_zone}.",
            en=f"Unknown time zone: {settings.time_zone}.",
        ) from None
    for name in ("reserve_share_bp", "damage_recovery_share_bp"):
        value = getattr(settings, name)
        if type(value) is not int or not 0 <= value <= BASIS_POINTS:
            raise InvalidInput(
                "share_out_of_range",
                field=name,
                es="La proporción debe estar entre 0 y 10000 puntos básicos.",
                en="The share must be between 0 and 10000 basis points.",
            )
    for name in _CAPS:
        value = getattr(settings, name)
        if value is not None and (type(value) is not int or not 0 < value <= MAX_MINOR_UNITS):
            raise InvalidInput(
                "cap_out_of_range",
                field=name,
                es="El tope debe ser un entero positivo de centésimos, o vacío.",
                en="The cap must be a positive whole number of minor units, or empty.",
            )
    _check_commissary(settings)
    return settings


def _bad(name: str, es: str, en: str) -> InvalidInput:
    return InvalidInput("setting_invalid", field=name, es=es, en=en)


def _check_commissary(settings: UnitSettings) -> None:
    for name in ("commissary_month_limit_minor", "commissary_month_item_limit",
                 "max_quantity_per_line"):
        value = getattr(settings, name)
        if type(value) is not int or value <= 0:
            raise _bad(name, "Debe ser un entero positivo.", "Must be a positive whole number.")
    for regime, limits in settings.regime_limits.items():
        if not isinstance(limits, dict) or not set(limits) <= {"money_minor", "items"} or any(
            type(v) is not int or v < 0 for v in limits.values()
        ):
            raise _bad("regime_limits", f"Límites del régimen {regime} no válidos.",
                       f"Invalid limits for regime {regime}.")
    days = [*settings.delivery_days.values(), settings.default_delivery_weekday]
    if any(type(d) is not int or not 1 <= d <= 7 for d in days):
        raise _bad("delivery_days", "El día de entrega va de 1 (lunes) a 7 (domingo).",
                   "The delivery day goes from 1 (Monday) to 7 (Sunday).")
    try:
        for start, end in settings.opening_hours:
            if time.fromisoformat(start) >= time.fromisoformat(end):
                raise ValueError
    except (ValueError, TypeError):
        raise _bad("opening_hours", "Horario no válido: pares [\"HH:MM\", \"HH:MM\"].",
                   "Invalid hours: pairs of [\"HH:MM\", \"HH:MM\"].") from None


class Unit(Aggregate):
    class Configured(Aggregate.Created):
        settings: dict[str, Any]
        actor: Actor

    class SettingsChanged(Aggregate.Event):
        changes: dict[str, Any]
        reason: str
        actor: Actor

        def apply(self, aggregate: Unit) -> None:
            new = replace(aggregate.settings, **self.changes)
            aggregate.history = [*aggregate.history, (self.timestamp, new)]

    def __init__(self, settings: dict[str, Any], actor: Actor) -> None:
        # Runs on replay too: only assigns. The first entry's time is the creation time.
        self.history: list[tuple[datetime, UnitSettings]] = [
            (self.created_on, UnitSettings(**settings))
        ]

    @classmethod
    def configure(cls, unit_id: Any, settings: UnitSettings, actor: Actor, at: datetime) -> Unit:
        validate_settings(settings)
        return cls._create(
            cls.Configured, id=unit_id, settings=asdict(settings), actor=actor, timestamp=at
        )

    @property
    def settings(self) -> UnitSettings:
        return self.history[-1][1]

    def settings_at(self, instant: datetime) -> UnitSettings:
        current = self.history[0][1]
        for since, settings in self.history:
            if since <= instant:
                current = settings
        return current

    def change_settings(
        self, changes: dict[str, Any], reason: str, actor: Actor, at: datetime
    ) -> None:
        unknown = set(changes) - SETTING_NAMES
        if unknown:
            raise InvalidInput(
                "setting_unknown",
                field=sorted(unknown)[0],
                es="Ese ajuste no existe.",
                en="No such setting.",
            )
        if "currency" in changes and changes["currency"] != self.settings.currency:
            raise Conflict(
                "currency_fixed",
                field="currency",
                es="La moneda de la unidad no puede cambiarse con saldos registrados.",
                en="The unit's currency cannot change once balances exist.",
            )
        if not reason.strip():
            raise InvalidInput(
                "reason_required", field="reason", es="Indique el motivo.", en="Give a reason."
            )
        validate_settings(replace(self.settings, **changes))
        self.trigger_event(
            self.SettingsChanged, changes=dict(changes), reason=reason, actor=actor, timestamp=at
        )
