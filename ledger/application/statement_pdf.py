"""A PPL statement as PDF (fpdf2, core fonts, no network): the person, the period, the
opening balances, each movement and the closing balances, A4 landscape."""

from __future__ import annotations

from typing import Any

from fpdf import FPDF

from ledger.domain.money import Money
from ledger.domain.postings import SubAccount

SUBS = [sub.value for sub in SubAccount]
LABELS = {"available": "Peculio", "reserve": "Reserva", "phone": "Telefono", "held": "Retenido",
          "custody": "Custodia", "pending": "Pendiente"}
# A4 landscape leaves 277 mm between the margins: 30 + 30 + 6 x 22 + 45 + 40.
WIDTHS = {"at": 30, "kind": 30, "sub": 22, "actor": 45, "detail": 40}


def _text(value: Any) -> str:
    """Core fonts speak Latin-1; anything else prints as '?' rather than failing."""
    return str(value).encode("latin-1", "replace").decode("latin-1")


def _money(minor: int, currency: str) -> str:
    return Money(minor, currency).format() if minor else ""


class _Sheet(FPDF):
    def row(self, cells: list[tuple[str, int]], *, bold: bool = False) -> None:
        self.set_font("helvetica", "B" if bold else "", 7)
        for text, width in cells:
            self.cell(width, 5, self._fit(_text(text), width - 2), border=1)
        self.ln()

    def _fit(self, text: str, width: float) -> str:
        """The text cut to the cell's width (ending in '...' when cut)."""
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "...") > width:
            text = text[:-1]
        return text + "..."


def _balances(label: str, balances: dict[str, int], currency: str) -> list[tuple[str, int]]:
    return [(label, WIDTHS["at"] + WIDTHS["kind"]),
            *[(_money(balances.get(s, 0), currency), WIDTHS["sub"]) for s in SUBS],
            ("", WIDTHS["actor"] + WIDTHS["detail"])]


def statement_pdf(statement: dict[str, Any], *, compress: bool = True) -> bytes:
    currency = statement["currency"]
    pdf = _Sheet(orientation="L", format="A4")
    pdf.set_compression(compress)
    pdf.add_page()
    pdf.set_font("helvetica", "B", 12)
    pdf.cell(0, 8, _text(f"Estado de cuenta - PPL {statement['penitentiary_number']} - "
                         f"{statement['name']}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 9)
    pdf.cell(0, 6, _text(f"Periodo {statement['from']} a {statement['to']} ({currency})"),
             new_x="LMARGIN", new_y="NEXT")
    pdf.row([("Fecha", WIDTHS["at"]), ("Movimiento", WIDTHS["kind"]),
             *[(LABELS[s], WIDTHS["sub"]) for s in SUBS], ("Actor", WIDTHS["actor"]),
             ("Motivo / referencia", WIDTHS["detail"])], bold=True)
    pdf.row(_balances("Saldo inicial", statement["opening"], currency), bold=True)
    for m in statement["movements"]:
        actor = m["actor"]
        who = f"{actor['user_id']} ({actor['role']}, {actor['terminal_id'] or actor['channel']})"
        detail = m.get("reason") or m.get("reference") or m.get("external_reference") or ""
        pdf.row([(m["at"][:19].replace("T", " "), WIDTHS["at"]), (m["kind"], WIDTHS["kind"]),
                 *[(_money(m["effect"].get(s, 0), currency), WIDTHS["sub"]) for s in SUBS],
                 (who, WIDTHS["actor"]), (detail, WIDTHS["detail"])])
    pdf.row(_balances("Saldo final", statement["closing"], currency), bold=True)
    return bytes(pdf.output())
