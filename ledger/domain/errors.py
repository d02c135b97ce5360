"""One error tree for the domain. Each error carries a stable machine code, the field at
fault (if any), and a message in Spanish and English that a clerk can act on."""

from __future__ import annotations

from typing import Any


class LedgerError(Exception):
    status = 400
    title = "Ledger error"

    def __init__(
        self, code: str, *, es: str, en: str, field: str | None = None, **context: Any
    ) -> None:
        super().__init__(en)
        self.code = code
        self.field = field
        self.messages = {"es": es, "en": en}
        self.context = context

    def message(self, language: str) -> str:
        return self.messages.get(language, self.messages["es"])


class InvalidInput(LedgerError):
    status = 422
    title = "Invalid input"


class NotFound(LedgerError):
    status = 404
    title = "Not found"


class Conflict(LedgerError):
    """The request is valid but the current state does not allow it."""

    status = 409
    title = "Conflict"


class InsufficientFunds(Conflict):
    title = "Insufficient funds"


class Forbidden(LedgerError):
    status = 403
    title = "Forbidden"


class Unauthenticated(LedgerError):
    status = 401
    title = "Unauthenticated"


class ConcurrentUpdate(Conflict):
    """Another request changed the same account first and retries ran out."""

    title = "Concurrent update"
