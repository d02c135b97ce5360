"""The monthly report's charts, made on the server: each chart is a list of labelled bars
(integer values: minor units or counts), drawn as SVG here and with fpdf2's own shapes in
the PDF. Floats appear only in the drawing's geometry, never in an amount."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from ledger.domain.catalogue import CATEGORY_NAMES_ES
from ledger.domain.money import Money

WIDTH = 720
LABEL_WIDTH = 250
VALUE_WIDTH = 140
ROW = 30
TOP = 44
BAR_COLOUR = "#2f6690"
NEGATIVE_COLOUR = "#b5473a"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int  # minor units or a count
    shown: str  # the value as printed


@dataclass(frozen=True)
class Chart:
    name: str  # file name: <name>.svg
    title: str
    bars: tuple[Bar, ...]

    @property
    def height(self) -> int:
        return TOP + ROW * len(self.bars) + 12


def _money(minor: int, currency: str) -> str:
    return Money(minor, currency).format()


def _band_label(band: dict[str, Any], currency: str) -> str:
    low, high = band["from_minor"], band["to_minor"]
    if high == 0:
        return "Sin fondos (0)"
    number = Money(low, currency).format().split(" ", 1)[-1]
    if high is None:
        return f"{number} o más"
    return f"{number} a {Money(high, currency).format().split(' ', 1)[-1]}"


def charts_of(report: dict[str, Any]) -> list[Chart]:
    cur = report["currency"]
    commissary = report["commissary"]
    flows = [
        ("Depósitos recibidos", report["deposits"]["amount_minor"]),
        ("Jornales (bruto)", report["wages"]["gross_minor"]),
        ("Fondo de reserva acumulado", report["reserve"]["accrued_minor"]),
        ("Daños recuperados", report["damage"]["net_recovered_minor"]),
        ("Recargas telefónicas", report["phone_recharges"]["amount_minor"]),
        ("Economato: ventas entregadas", commissary["sales_minor"]),
        ("Economato: devoluciones", commissary["refunds"]["amount_minor"]),
    ]
    by_category = [(CATEGORY_NAMES_ES.get(c["category"], c["category"]), c["net_minor"])
                   for c in commissary["by_category"]]
    bands = [(_band_label(b, cur), b["count"]) for b in report["balance_bands"]]
    who = [(f"{w['user_id']} ({w['role']})", w["count"])
           for w in report["corrections"]["by_whom"]]
    return [
        Chart("flows", f"Movimientos del mes ({cur})",
              tuple(Bar(label, v, _money(v, cur)) for label, v in flows)),
        Chart("commissary_by_category", f"Economato: ventas netas por categoría ({cur})",
              tuple(Bar(label, v, _money(v, cur)) for label, v in by_category)
              or (Bar("Sin ventas", 0, _money(0, cur)),)),
        Chart("balance_bands", "PPL por tramo de peculio libre al cierre del mes",
              tuple(Bar(label, v, str(v)) for label, v in bands)),
        Chart("corrections_by_whom", "Correcciones (asientos revertidos) por usuario",
              tuple(Bar(label, v, str(v)) for label, v in who)
              or (Bar("Ninguna", 0, "0"),)),
    ]


def bar_lengths(chart: Chart, room: float) -> list[float]:
    """Each bar's length in drawing units, the longest filling `room`."""
    top = max((abs(b.value) for b in chart.bars), default=0)
    return [room * abs(b.value) / top if top else 0.0 for b in chart.bars]


def svg(chart: Chart) -> str:
    """A horizontal bar chart as a standalone SVG document."""
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{chart.height}" '
        f'viewBox="0 0 {WIDTH} {chart.height}" role="img" '
        f'aria-label="{escape(chart.title)}" font-family="DejaVu Sans, Arial, sans-serif">',
        f'<rect width="{WIDTH}" height="{chart.height}" fill="#ffffff"/>',
        f'<text x="8" y="24" font-size="16" font-weight="bold" fill="#1b1b1b">'
        f"{escape(chart.title)}</text>",
    ]
    for i, (bar, length) in enumerate(zip(chart.bars, bar_lengths(chart, room), strict=True)):
        y = TOP + i * ROW
        colour = NEGATIVE_COLOUR if bar.value < 0 else BAR_COLOUR
        parts += [
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 19}" font-size="13" text-anchor="end" '
            f'fill="#1b1b1b">{escape(bar.label)}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y + 5}" width="{max(length, 1.0):.1f}" height="20" '
            f'fill="{colour}"><title>{escape(bar.label)}: {escape(bar.shown)}</title></rect>',
            f'<text x="{LABEL_WIDTH + max(length, 1.0) + 6:.1f}" y="{y + 19}" font-size="13" '
            f'fill="#1b1b1b">{escape(bar.shown)}</text>',
        ]
    parts.append(f'<line x1="{LABEL_WIDTH}" y1="{TOP}" x2="{LABEL_WIDTH}" '
                 f'y2="{chart.height - 10}" stroke="#555555" stroke-width="1"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
