"""The contractor's own sales file (docs/REPORTS.md#the-contractors-sales-file), read and
checked whole before anything is compared or recorded: a file with any bad line is
refused with every error found (line, field, code, message), and nothing is recorded.

Columns (any order, header required, comma or semicolon separated, UTF-8):
    line_type,order_id,refund_id,date,product_code,quantity,amount_minor
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from ledger.domain.errors import InvalidInput

COLUMNS = ("line_type", "order_id", "refund_id", "date", "product_code", "quantity",
           "amount_minor")
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_LINES = 200_000
MAX_ERRORS_LISTED = 200
MAX_QUANTITY = 100_000
MAX_AMOUNT_MINOR = 10**12
_CODE = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class FileRejected(InvalidInput):
    """The file as a whole, or some of its lines, cannot be read; `errors` lists each."""

    status = 422
    title = "File rejected"

    def __init__(self, code: str, errors: list[dict[str, Any]], error_count: int, *,
                 es: str, en: str, status: int = 422) -> None:
        super().__init__(code, es=es, en=en, field="file", error_count=error_count)
        self.errors = errors
        self.status = status


def too_large(size: int | None) -> FileRejected:
    shown = f"{size} bytes" if size is not None else "more"
    return FileRejected(
        "file_too_large", [], 1, status=413,
        es=f"El archivo tiene {shown}; el máximo es {MAX_FILE_BYTES} bytes. Divida el "
           "período en partes.",
        en=f"The file has {shown}; the maximum is {MAX_FILE_BYTES} bytes. Split the period.")


@dataclass(frozen=True)
class FileLine:
    line: int  # line number in the file (the header is line 1)
    line_type: str  # sale | refund
    order_id: str
    refund_id: str  # "" for a sale
    day: str
    product_code: str
    quantity: int
    amount_minor: int

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.line_type, self.order_id, self.refund_id, self.product_code)


class _Errors:
    def __init__(self) -> None:
        self.listed: list[dict[str, Any]] = []
        self.count = 0

    def add(self, line: int | None, field: str | None, code: str, es: str, en: str) -> None:
        self.count += 1
        if len(self.listed) < MAX_ERRORS_LISTED:
            self.listed.append({"line": line, "field": field, "code": code,
                                "messages": {"es": es, "en": en}})

    def whole_file(self, code: str, es: str, en: str) -> FileRejected:
        self.add(None, None, code, es, en)
        return FileRejected(code, self.listed, self.count, es=es, en=en)


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _Errors().whole_file(
            "file_encoding_invalid",
            f"El archivo no está en UTF-8 (byte {error.start}); guárdelo como CSV UTF-8.",
            f"The file is not UTF-8 (byte {error.start}); save it as CSV UTF-8.") from None


def _rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    try:
        for fields in reader:
            if header is None:
                header = [f.strip().lower() for f in fields]
            elif any(f.strip() for f in fields):
                rows.append((reader.line_num, fields))
                if len(rows) > MAX_LINES:
                    raise _Errors().whole_file(
                        "file_too_many_lines",
                        f"El archivo tiene más de {MAX_LINES} líneas; divida el período.",
                        f"The file has more than {MAX_LINES} lines; split the period.")
    except csv.Error as error:
        raise _Errors().whole_file(
            "file_unreadable", f"No se puede leer el CSV (línea {reader.line_num}): {error}.",
            f"The CSV cannot be read (line {reader.line_num}): {error}.") from None
    return header or [], rows


def _check_header(header: list[str]) -> dict[str, int]:
    missing = [c for c in COLUMNS if c not in header]
    unexpected = [c for c in header if c not in COLUMNS]
    repeated = sorted({c for c in header if header.count(c) > 1})
    if missing or unexpected or repeated:
        detail = "; ".join(part for part in (
            f"faltan: {', '.join(missing)}" if missing else "",
            f"sobran: {', '.join(unexpected)}" if unexpected else "",
            f"repetidas: {', '.join(repeated)}" if repeated else "") if part)
        detail_en = "; ".join(part for part in (
            f"missing: {', '.join(missing)}" if missing else "",
            f"unexpected: {', '.join(unexpected)}" if unexpected else "",
            f"repeated: {', '.join(repeated)}" if repeated else "") if part)
        raise _Errors().whole_file(
            "columns_invalid",
            f"Las columnas deben ser {', '.join(COLUMNS)} ({detail}).",
            f"The columns must be {', '.join(COLUMNS)} ({detail_en}).")
    return {name: header.index(name) for name in COLUMNS}


def _uuid(value: str) -> str | None:
    try:
        return str(UUID(value))
    except ValueError:
        return None


def _integer(value: str) -> int | None:
    return int(value) if _INTEGER.match(value) else None


class _LineReader:
    """Checks one line's fields; records every error, returns the line if it has none."""

    def __init__(self, errors: _Errors, first: date, last: date) -> None:
        self.errors = errors
        self.first = first
        self.last = last

    def read(self, number: int, f: dict[str, str]) -> FileLine | None:
        before = self.errors.count
        kind = f["line_type"].lower()
        if kind not in ("sale", "refund"):
            self._bad(number, "line_type", "line_type_invalid",
                      "El tipo de línea es «sale» (venta) o «refund» (devolución).",
                      "The line type is 'sale' or 'refund'.")
        order_id = _uuid(f["order_id"])
        if order_id is None:
            self._bad(number, "order_id", "order_id_invalid",
                      "El número de pedido no es un identificador válido.",
                      "The order id is not a valid id.")
        refund_id = self._refund_id(number, kind, f["refund_id"])
        day = self._day(number, f["date"])
        code = f["product_code"].upper()
        if not _CODE.match(code):
            self._bad(number, "product_code", "product_code_invalid",
                      "El código de producto tiene de 1 a 20 letras, cifras o guiones.",
                      "The product code has 1 to 20 letters, digits or dashes.")
        quantity = self._count(number, "quantity", f["quantity"], MAX_QUANTITY, positive=True)
        amount = self._count(number, "amount_minor", f["amount_minor"], MAX_AMOUNT_MINOR,
                             positive=False)
        if self.errors.count > before:
            return None
        return FileLine(number, kind, order_id or "", refund_id, day, code, quantity, amount)

    def _bad(self, number: int, field: str, code: str, es: str, en: str) -> None:
        self.errors.add(number, field, code, f"Línea {number}: {es}", f"Line {number}: {en}")

    def _refund_id(self, number: int, kind: str, value: str) -> str:
        if kind == "sale" and value:
            self._bad(number, "refund_id", "refund_id_unexpected",
                      "Una venta no lleva número de devolución.", "A sale has no refund id.")
        if kind == "refund" and _uuid(value) is None:
            self._bad(number, "refund_id", "refund_id_invalid",
                      "Una devolución lleva su número de devolución (el que dio el sistema).",
                      "A refund carries its refund id (the one the ledger gave).")
        return (_uuid(value) or "") if kind == "refund" else ""

    def _day(self, number: int, value: str) -> str:
        try:
            day = date.fromisoformat(value) if _DAY.match(value) else None
        except ValueError:
            day = None
        if day is None:
            self._bad(number, "date", "date_invalid",
                      f"La fecha «{value[:20]}» no es una fecha AAAA-MM-DD.",
                      f"The date '{value[:20]}' is not a YYYY-MM-DD date.")
            return ""
        if not self.first <= day <= self.last:
            self._bad(number, "date", "date_outside_period",
                      f"La fecha {day} está fuera del período {self.first} a {self.last}.",
                      f"The date {day} is outside the period {self.first} to {self.last}.")
        return day.isoformat()

    def _count(self, number: int, field: str, value: str, ceiling: int, *,
               positive: bool) -> int:
        amount = _integer(value)
        if amount is not None and amount < 0:
            self._bad(number, field, f"{field.removesuffix('_minor')}_negative",
                      f"«{field}» no puede ser negativo ({value}).",
                      f"'{field}' cannot be negative ({value}).")
        elif amount is None or amount > ceiling or (positive and amount == 0):
            lowest = 1 if positive else 0
            self._bad(number, field, f"{field}_invalid",
                      f"«{field}» es un entero de {lowest} a {ceiling} (sin decimales); "
                      f"dice «{value[:20]}».",
                      f"'{field}' is a whole number from {lowest} to {ceiling} (no decimals); "
                      f"it says '{value[:20]}'.")
        return amount or 0


def read_sales_file(data: bytes, first: date, last: date) -> list[FileLine]:
    """Every line of the file, or FileRejected with every error found."""
    if len(data) > MAX_FILE_BYTES:
        raise too_large(len(data))
    header, rows = _rows(_text(data))
    if not header:
        raise _Errors().whole_file("file_empty", "El archivo está vacío.", "The file is empty.")
    index = _check_header(header)
    errors = _Errors()
    reader = _LineReader(errors, first, last)
    lines: list[FileLine] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    for number, fields in rows:
        if len(fields) != len(header):
            errors.add(number, None, "fields_count_invalid",
                       f"Línea {number}: tiene {len(fields)} campos; se esperan {len(header)}.",
                       f"Line {number}: it has {len(fields)} fields; {len(header)} expected.")
            continue
        line = reader.read(number, {name: fields[i].strip() for name, i in index.items()})
        if line is None:
            continue
        if line.key in seen:
            errors.add(number, None, "line_duplicate",
                       f"Línea {number}: repite la línea {seen[line.key]} (mismo tipo, pedido, "
                       "devolución y producto); sume las cantidades en una sola línea.",
                       f"Line {number}: repeats line {seen[line.key]} (same type, order, "
                       "refund and product); add the quantities up in one line.")
            continue
        seen[line.key] = number
        lines.append(line)
    if errors.count:
        raise FileRejected("file_lines_invalid", errors.listed, errors.count,
                           es=f"El archivo tiene {errors.count} error(es); no se registró nada.",
                           en=f"The file has {errors.count} error(s); nothing was recorded.")
    if not lines:
        raise errors.whole_file("file_empty", "El archivo no tiene líneas de ventas.",
                                "The file has no sales lines.")
    return lines
