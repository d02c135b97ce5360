"""The commissary's price list (V.H.1, V.H.4, V.H.5).

A product is listed by the contractor; its price and its availability change by events
with an effective time, so the price list of any past instant can be shown. What the
manual forbids is refused at entry: alcohol-based items, glass containers, anything made
by PPL, and anything the unit has marked prohibited.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from eventsourcing.domain import Aggregate

from ledger.domain.actor import Actor
from ledger.domain.choices import parse_choice
from ledger.domain.errors import Conflict, Forbidden


class Category(StrEnum):
    FOOD = "food_no_cooking"  # comestibles que no requieran ser cocinados
    CIGARETTES = "cigarettes"
    HYGIENE = "hygiene"  # productos de aseo personal
    UNDERWEAR = "underwear"  # ropa de uso interior
    OTHER = "other"  # cualquier otro producto permitido por la Unidad


class Container(StrEnum):
    CARDBOARD = "cardboard"
    PLASTIC = "plastic"
    CELLOPHANE = "cellophane"
    PAPER = "paper"
    METAL = "metal"
    NONE = "none"
    GLASS = "glass"  # listed so that it can be named and refused (V.H.5)


CATEGORY_NAMES_ES = {
    "food_no_cooking": "Comestibles sin cocción",
    "cigarettes": "Cigarrillos",
    "hygiene": "Aseo personal",
    "underwear": "Ropa interior",
    "other": "Otros",
}


def check_admissible(*, contains_alcohol: bool, container: str, made_by_ppl: bool) -> None:
    if contains_alcohol:
        raise Forbidden("product_alcohol_based", field="contains_alcohol",
                        es="No se venden artículos fabricados a base de alcohol (V.H.5).",
                        en="Alcohol-based items are not sold (V.H.5).")
    if container == Container.GLASS:
        raise Forbidden("product_glass_container", field="container",
                        es="No se venden envases de cristal (V.H.5).",
                        en="Glass containers are not sold (V.H.5).")
    if made_by_ppl:
        raise Forbidden("product_made_by_ppl", field="made_by_ppl",
                        es="No se venden productos confeccionados por PPL (V.H.1).",
                        en="Products made by PPL are not sold (V.H.1).")


class Product(Aggregate):
    """One product code. `prices` and `availability` are (effective at, value) histories."""

    class Listed(Aggregate.Created):
        code: str
        name: str
        category: str
        unit_price_minor: int
        item_units: int
        container: str
        effective_at: datetime
        actor: Actor

    class Event(Aggregate.Event):
        actor: Actor

    class PriceChanged(Event):
        unit_price_minor: int
        effective_at: datetime

        def apply(self, aggregate: Product) -> None:
            aggregate.prices = _by_time([*aggregate.prices, (self.effective_at,
                                                             self.unit_price_minor)])

    class AvailabilityChanged(Event):
        active: bool
        effective_at: datetime
        reason: str

        def apply(self, aggregate: Product) -> None:
            aggregate.availability = _by_time([*aggregate.availability,
                                               (self.effective_at, self.active)])

    class Prohibited(Event):
        """The unit forbids this product (V.H.1): never sold again."""

        reason: str

        def apply(self, aggregate: Product) -> None:
            aggregate.prohibited = True
            aggregate.availability = _by_time([*aggregate.availability, (self.timestamp, False)])

    def __init__(self, code: str, name: str, category: str, unit_price_minor: int,
                 item_units: int, container: str, effective_at: datetime, actor: Actor) -> None:
        self.code = code
        self.name = name
        self.category = category
        self.item_units = item_units
        self.container = container
        self.prices: list[tuple[datetime, int]] = [(effective_at, unit_price_minor)]
        self.availability: list[tuple[datetime, bool]] = [(effective_at, True)]
        self.prohibited = False

    @classmethod
    def create_listing(cls, product_id: Any, *, code: str, name: str, category: str,
             unit_price_minor: int, item_units: int, container: str, effective_at: datetime,
             actor: Actor, at: datetime) -> Product:
        return cls._create(cls.Listed, id=product_id, code=code, name=name, category=category,
                           unit_price_minor=unit_price_minor, item_units=item_units,
                           container=container, effective_at=effective_at, actor=actor,
                           timestamp=at)

    @staticmethod
    def _latest(history: list[tuple[Any, Any]], instant: datetime) -> Any:
        value = None
        for since, item in history:
            if _as_datetime(since) <= instant:
                value = item
        return value

    def price_at(self, instant: datetime) -> int | None:
        return self._latest(self.prices, instant)  # type: ignore[no-any-return]

    def active_at(self, instant: datetime) -> bool:
        return bool(self._latest(self.availability, instant)) and self.price_at(instant) is not None

    def check_sellable(self, instant: datetime) -> int:
        """The unit price at `instant`, or a clear refusal."""
        if self.prohibited:
            raise Forbidden("product_prohibited", field="product_code",
                            es=f"El producto {self.code} está prohibido en la Unidad.",
                            en=f"Product {self.code} is prohibited in the unit.")
        if not self.active_at(instant):
            raise Conflict("product_inactive", field="product_code",
                           es=f"El producto {self.code} ({self.name}) no está a la venta.",
                           en=f"Product {self.code} ({self.name}) is not for sale.")
        return self.price_at(instant)  # type: ignore[return-value]

    def change_price(self, unit_price_minor: int, effective_at: datetime, actor: Actor,
                     at: datetime) -> None:
        self._check_not_prohibited()
        self.trigger_event(self.PriceChanged, unit_price_minor=unit_price_minor,
                           effective_at=effective_at, actor=actor, timestamp=at)

    def set_active(self, active: bool, effective_at: datetime, reason: str, actor: Actor,
                   at: datetime) -> None:
        if active:
            self._check_not_prohibited()
        if self._latest(self.availability, effective_at) == active:
            raise Conflict("product_availability_unchanged", field="active",
                           es="El producto ya está en ese estado.",
                           en="The product is already in that state.")
        self.trigger_event(self.AvailabilityChanged, active=active, effective_at=effective_at,
                           reason=reason, actor=actor, timestamp=at)

    def prohibit(self, reason: str, actor: Actor, at: datetime) -> None:
        self._check_not_prohibited()
        self.trigger_event(self.Prohibited, reason=reason, actor=actor, timestamp=at)

    def _check_not_prohibited(self) -> None:
        if self.prohibited:
            raise Forbidden("product_prohibited", field="product_code",
                            es=f"El producto {self.code} está prohibido en la Unidad.",
                            en=f"Product {self.code} is prohibited in the unit.")


class Catalogue(Aggregate):
    """The list of product codes, so the price list can be read whole."""

    class Started(Aggregate.Created):
        pass

    class ProductAdded(Aggregate.Event):
        code: str

        def apply(self, aggregate: Catalogue) -> None:
            aggregate.codes = [*aggregate.codes, self.code]

    def __init__(self) -> None:
        self.codes: list[str] = []

    @classmethod
    def start(cls, catalogue_id: Any, at: datetime) -> Catalogue:
        return cls._create(cls.Started, id=catalogue_id, timestamp=at)

    def add(self, code: str, at: datetime) -> None:
        self.trigger_event(self.ProductAdded, code=code, timestamp=at)


def _by_time(history: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    # Stable sort on time alone: of two changes effective at the same instant, the one
    # recorded later wins.
    return sorted(history, key=lambda entry: _as_datetime(entry[0]))


def _as_datetime(value: Any) -> datetime:
    # Snapshots store history tuples as lists of ISO strings; events keep datetimes.
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def check_category(value: Any) -> str:
    return parse_choice(Category, value, code="category_unknown", field="category",
                        es="Categoría desconocida; use una de",
                        en="Unknown category; use one of").value


def check_container(value: Any) -> str:
    return parse_choice(Container, value, code="container_unknown", field="container",
                        es="Envase desconocido; use uno de",
                        en="Unknown container; use one of").value
