"""Request bodies of the commissary routes."""

from __future__ import annotations

import msgspec


class Strict(msgspec.Struct, forbid_unknown_fields=True):
    pass


class OrderLineIn(Strict):
    product_code: str
    quantity: int


class OrderIn(Strict):
    penitentiary_number: str
    lines: list[OrderLineIn]


class DeliveredLine(Strict):
    product_code: str
    delivered_quantity: int


class DeliveryIn(Strict):
    run_sector: str | None = None
    lines: list[DeliveredLine] | None = None  # omitted: every line in full


class AbsentIn(Strict):
    run_sector: str | None = None


class CancelIn(Strict):
    reason: str
    run_sector: str | None = None


class RefundIn(Strict):
    lines: list[OrderLineIn]
    reason: str
