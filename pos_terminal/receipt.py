"""The receipt handed to the PPL: one layout, shown on screen, saved as text and as PDF."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from fpdf import FPDF

from pos_terminal.client import Order
from pos_terminal.i18n import Messages

WIDTH = 44
Kind = Literal["delivery", "partial", "absent", "sale", "order"]
State = Literal["confirmed", "replayed", "provisional"]


@dataclass(frozen=True)
class Receipt:
    kind: Kind
    state: State
    order: Order
    delivered: dict[str, int]  # what was handed over (empty for absent and for an order)
    name: str
    document_last_digits: str
    terminal: str
    clerk: str
    at: datetime
    available_after_minor: int | None = None

    @property
    def charged_minor(self) -> int:
        if self.kind in ("absent", "order"):
            return 0
        return sum(q * self.order.line(code).unit_price_minor
                   for code, q in self.delivered.items())

    def lines(self, m: Messages) -> list[str]:
        order = self.order

        def money(minor: int) -> str:
            return m.money(minor, order.currency)

        day = order.delivery_date or self.at.date().isoformat()
        title = {"delivery": m.t("r_kind_delivery", sector=order.sector, day=day),
                 "partial": m.t("r_kind_partial", sector=order.sector, day=day),
                 "absent": m.t("r_kind_absent", sector=order.sector, day=day),
                 "sale": m.t("r_kind_sale"),
                 "order": m.t("r_kind_order", day=day)}[self.kind]
        out = [m.t("r_unit").center(WIDTH), *_wrap(title),
               f"{m.t('r_when')}: {self.at.strftime('%Y-%m-%d %H:%M')}",
               *_wrap(m.t("r_terminal", terminal=self.terminal, clerk=self.clerk)),
               *_wrap(f"{m.t('r_ppl')}: {order.number} {self.name} "
                      f"(doc. …{self.document_last_digits})"),
               f"{m.t('r_order')}: {order.order_id[:8]}", "-" * WIDTH]
        counted = self.delivered if self.kind in ("delivery", "partial", "sale") else {
            line.code: line.quantity for line in order.lines}
        for line in order.lines:
            quantity = counted.get(line.code, 0)
            out.append(_fit(f"{line.code} {line.name}"))
            shown = f"{quantity}/{line.quantity}" if self.kind == "partial" else str(quantity)
            amount = f"{shown} x {m.amount(line.unit_price_minor)}"
            subtotal = m.amount(quantity * line.unit_price_minor)
            out.append(f"  {amount}".ljust(WIDTH - len(subtotal)) + subtotal)
        out.append("-" * WIDTH)
        out.extend(self._totals(m, money))
        if self.available_after_minor is not None and self.state != "provisional":
            out.append(_pair(m.t("r_available_after"), money(self.available_after_minor)))
        out.append("")
        out.extend(_wrap({"confirmed": m.t("r_confirmed"), "replayed": m.t("r_replayed"),
                          "provisional": m.t("r_provisional")}[self.state]))
        return out

    def _totals(self, m: Messages, money: Callable[[int], str]) -> list[str]:
        total = self.order.total_minor
        if self.kind == "order":
            return [_pair(m.t("r_held"), money(total))]
        if self.kind == "absent":
            return [_pair(m.t("r_released"), money(total)), *_wrap(m.t("r_nothing"))]
        rows = [_pair(m.t("r_charged"), money(self.charged_minor))]
        if self.kind != "sale" and total != self.charged_minor:
            rows.append(_pair(m.t("r_released"), money(total - self.charged_minor)))
        return rows

    def text(self, m: Messages) -> str:
        return "\n".join(self.lines(m)) + "\n"

    def pdf(self, m: Messages) -> bytes:
        """A narrow page (80 mm, like a receipt printer's roll) with the same lines."""
        lines = self.lines(m)
        line_mm = 3.6
        document = FPDF(unit="mm", format=(80, max(60.0, 12 + line_mm * len(lines))))
        document.set_margins(4, 5, 4)
        document.set_auto_page_break(False)
        document.add_page()
        document.set_font("Courier", size=7.5)
        for text in lines:
            document.cell(0, line_mm, _latin1(text), new_x="LMARGIN", new_y="NEXT")
        return bytes(document.output())

    def save(self, m: Messages, directory: Path,
             print_command: list[str] | None = None) -> tuple[Path, Path]:
        """Writes the .txt and the .pdf; sends the text to the printer command if given."""
        directory.mkdir(parents=True, exist_ok=True)
        stem = f"{self.at.strftime('%Y%m%d-%H%M%S')}-{self.order.number}-{self.kind}"
        text_path, pdf_path = directory / f"{stem}.txt", directory / f"{stem}.pdf"
        text_path.write_text(self.text(m), encoding="utf-8")
        pdf_path.write_bytes(self.pdf(m))
        if print_command:
            subprocess.run([*print_command, str(text_path)], check=True, timeout=30,
                           capture_output=True)
        return text_path, pdf_path


def _fit(text: str) -> str:
    return text if len(text) <= WIDTH else text[: WIDTH - 1] + "…"


def _pair(label: str, value: str) -> str:
    return label + value.rjust(max(WIDTH - len(label), len(value) + 1))


def _wrap(text: str) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > WIDTH:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines


def _latin1(text: str) -> str:
    """The PDF's built-in Courier speaks Latin-1: Spanish letters pass, dashes are mapped."""
    text = text.replace("—", "-").replace("–", "-").replace("…", "...")
    return text.encode("latin-1", "replace").decode("latin-1")
