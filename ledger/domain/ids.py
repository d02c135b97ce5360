"""Deterministic aggregate ids: natural keys map to one aggregate, so a second creation
with the same key is a version conflict in the store, not a silent duplicate."""

from __future__ import annotations

from uuid import UUID, uuid5

_NS = UUID("7b0c6a52-61b2-4c43-9d2e-7f3b1f5a9e10")


def _id(kind: str, key: str) -> UUID:
    return uuid5(_NS, f"{kind}:{key}")


def unit_id() -> UUID:
    return _id("unit", "the-unit")


def account_id(penitentiary_number: str) -> UUID:
    return _id("account", penitentiary_number)


def depositor_document_id(document_fingerprint: str) -> UUID:
    return _id("depositor-document", document_fingerprint)


def person_index_id(document_fingerprint: str) -> UUID:
    return _id("ppl-document", document_fingerprint)


def user_id(username: str) -> UUID:
    return _id("user", username.casefold())


def idempotency_id(scope: str, key: str) -> UUID:
    return _id("idempotency", f"{scope}\x00{key}")


def key_check_id() -> UUID:
    return _id("key-check", "cipher")


def product_id(code: str) -> UUID:
    return _id("product", code.upper())


def catalogue_id() -> UUID:
    return _id("catalogue", "the-price-list")


def delivery_run_id(sector: str, delivery_date: str) -> UUID:
    return _id("delivery-run", f"{sector}\x00{delivery_date}")


def terminal_id(name: str) -> UUID:
    return _id("terminal", name)
