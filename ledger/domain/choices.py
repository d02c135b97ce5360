"""A value from the outside that must be one of an enum's values."""

from __future__ import annotations

from enum import Enum
from typing import Any, TypeVar

from ledger.domain.errors import InvalidInput

E = TypeVar("E", bound=Enum)


def parse_choice(kind: type[E], value: Any, *, code: str, field: str, es: str, en: str) -> E:
    """`es` and `en` say what was not recognised and how to choose, e.g. "Categoría
    desconocida; use una de"; the allowed values are appended to both."""
    try:
        return kind(value)
    except ValueError:
        names = ", ".join(str(choice.value) for choice in kind)
        raise InvalidInput(code, field=field, es=f"{es}: {names}.",
                           en=f"{en}: {names}.") from None
