"""Money as integer minor units of one currency; no floats anywhere."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from ledger.domain.errors import InvalidInput

# Minor-unit exponents of the currencies the unit may be configured with (ISO 4217).
CURRENCY_EXPONENTS = {"UYU": 2, "ARS": 2, "CLP": 0, "USD": 2, "EUR": 2, "BRL": 2, "PYG": 0}

# Ten thousand million major units: far above any real movement, low enough that a typo
# with extra zeros is refused instead of posted.
MAX_MINOR_UNITS = 10**12

BASIS_POINTS = 10_000


def check_currency(code: str, *, field: str = "currency") -> str:
    if code not in CURRENCY_EXPONENTS:
        raise InvalidInput(
            "currency_unknown",
            field=field,
            es=f"La moneda «{code}» no es admitida.",
            en=f"Currency '{code}' is not supported.",
        )
    return code


@dataclass(frozen=True, slots=True, order=False)
class Money:
    minor_units: int
    currency: str

    def __post_init__(self) -> None:
        # bool is an int subclass: True must never become one cent.
        if type(self.minor_units) is not int:
            raise TypeError(f"minor_units must be int, got {type(self.minor_units).__name__}")
        check_currency(self.currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError("Money only combines with Money")
        if other.currency != self.currency:
            raise InvalidInput(
                "currency_mismatch",
                field="currency",
                es=f"Se esperaba {self.currency} y se recibió {other.currency}.",
                en=f"Expected {self.currency}, got {other.currency}.",
            )

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor_units + other.minor_units, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor_units - other.minor_units, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor_units, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor_units < other.minor_units

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.minor_units <= other.minor_units

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor_units > other.minor_units

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.minor_units >= other.minor_units

    @property
    def is_positive(self) -> bool:
        return self.minor_units > 0

    def share(self, basis_points: int) -> Money:
        """The given share of this amount, rounded half-to-even to a whole minor unit.

        Callers take the remainder as `self - part`, so a split never creates or
        loses a minor unit whatever the rounding did.
        """
        if not 0 <= basis_points <= BASIS_POINTS:
            raise ValueError(f"basis points out of range: {basis_points}")
        exact = Decimal(self.minor_units) * Decimal(basis_points) / Decimal(BASIS_POINTS)
        return Money(int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN)), self.currency)

    def format(self) -> str:
        """Human text, e.g. 'UYU 1.234,50' (Uruguayan grouping); only for display."""
        exponent = CURRENCY_EXPONENTS[self.currency]
        sign = "-" if self.minor_units < 0 else ""
        units, cents = divmod(abs(self.minor_units), 10**exponent) if exponent else (
            abs(self.minor_units),
            0,
        )
        whole = f"{units:,}".replace(",", ".")
        if exponent:
            return f"{self.currency} {sign}{whole},{cents:0{exponent}d}"
        return f"{self.currency} {sign}{whole}"


def parse_amount(minor_units: object, currency: object, expected: str, *, field: str) -> Money:
    """Validates an amount from the outside: a positive whole number of minor units
    in the unit's currency, below the sanity ceiling."""
    if type(minor_units) is not int:
        raise InvalidInput(
            "amount_not_integer",
            field=field,
            es="El importe debe ser un número entero de centésimos (sin decimales).",
            en="The amount must be a whole number of minor units (no decimals).",
        )
    if currency != expected:
        raise InvalidInput(
            "currency_mismatch",
            field="currency",
            es=f"La moneda debe ser {expected}.",
            en=f"The currency must be {expected}.",
        )
    if minor_units <= 0:
        raise InvalidInput(
            "amount_not_positive",
            field=field,
            es="El importe debe ser mayor que cero.",
            en="The amount must be greater than zero.",
        )
    if minor_units > MAX_MINOR_UNITS:
        raise InvalidInput(
            "amount_too_large",
            field=field,
            es="El importe es demasiado grande; revise los ceros.",
            en="The amount is too large; check the zeros.",
        )
    return Money(minor_units, expected)
