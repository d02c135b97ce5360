"""The monthly report as PDF (fpdf2, core fonts, no network), A4 portrait: the indicators,
the charts drawn as bars with fpdf2's own shapes, the corrections and who made them, the
indigent count, the trial balance at the month's end and the signed chain head."""

from __future__ import annotations

from typing import Any

from fpdf import FPDF

from ledger.application.deposits import CHANNEL_NAMES, DepositChannel
from ledger.application.monthly_report_charts import Chart, bar_lengths, charts_of
from ledger.domain.money import Money


def _text(value: Any) -> str:
    """Core fonts speak Latin-1; anything else prints as '?' rather than failing."""
    return str(value).encode("latin-1", "replace").decode("latin-1")


LABEL_MM = 62.0
VALUE_MM = 38.0
ROW_MM = 6.0


def indicator_rows(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(indicator, count, amount) lines, shared by the PDF and the page."""
    cur = report["currency"]

    def money(minor: int) -> str:
        return Money(minor, cur).format()

    d, w, c = report["deposits"], report["wages"], report["commissary"]
    rows = [
        ("Depósitos recibidos", str(d["count"]), money(d["amount_minor"])),
        *[(f"  por canal: {CHANNEL_NAMES[DepositChannel(channel)][0]}", str(v["count"]),
           money(v["amount_minor"]))
          for channel, v in d["by_channel"].items()],
        ("Depósitos rechazados", str(d["rejected"]["count"]),
         money(d["rejected"]["amount_minor"])),
        ("Jornales pagados (bruto)", str(w["count"]), money(w["gross_minor"])),
        ("  a peculio libre", "", money(w["available_minor"])),
        ("  a fondo de reserva", "", money(w["reserve_minor"])),
        ("Fondo de reserva: acumulado", "", money(report["reserve"]["accrued_minor"])),
        ("Fondo de reserva: pagado o revertido", "",
         money(report["reserve"]["paid_or_reversed_minor"])),
        ("Daños recuperados (neto)", "", money(report["damage"]["net_recovered_minor"])),
        ("Recargas telefónicas", str(report["phone_recharges"]["count"]),
         money(report["phone_recharges"]["amount_minor"])),
        ("Dinero en custodia al ingreso", str(report["custody_intake"]["count"]),
         money(report["custody_intake"]["amount_minor"])),
        ("Egresos y traslados pagados", str(report["departures_paid_out"]["count"]),
         money(report["departures_paid_out"]["amount_minor"])),
        ("Economato: ventas entregadas", str(c["orders_delivered"]), money(c["sales_minor"])),
        ("Economato: devoluciones", str(c["refunds"]["count"]),
         money(c["refunds"]["amount_minor"])),
        ("Economato: neto adeudado al contratista", "", money(c["net_minor"])),
        ("PPL en la unidad al cierre", str(report["ppl_at_month_end"]), ""),
        ("PPL indigentes al cierre (III.D.16)", str(report["indigent_at_month_end"]["count"]),
         ""),
        ("Correcciones realizadas", str(report["corrections"]["count"]), ""),
    ]
    return rows


class _Report(FPDF):
    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font("helvetica", "B", 11)
        self.cell(0, 7, _text(text), new_x="LMARGIN", new_y="NEXT")

    def row(self, cells: list[tuple[str, float, str]], *, bold: bool = False,
            size: int = 8) -> None:
        self.set_font("helvetica", "B" if bold else "", size)
        for text, width, align in cells:
            self.cell(width, 5, _text(text)[:70], border="B", align=align)  # type: ignore[arg-type]
        self.ln()

    def chart(self, chart: Chart) -> None:
        if self.get_y() + ROW_MM * (len(chart.bars) + 2) > self.h - self.b_margin:
            self.add_page()
        self.heading(chart.title)
        room = self.epw - LABEL_MM - VALUE_MM
        self.set_font("helvetica", "", 8)
        for bar, length in zip(chart.bars, bar_lengths(chart, room), strict=True):
            y = self.get_y()
            self.cell(LABEL_MM - 2, ROW_MM, _text(bar.label)[:40], align="R")
            if bar.value < 0:
                self.set_fill_color(181, 71, 58)
            else:
                self.set_fill_color(47, 102, 144)
            self.rect(self.l_margin + LABEL_MM, y + 1, max(length, 0.3), ROW_MM - 2, style="F")
            self.set_xy(self.l_margin + LABEL_MM + max(length, 0.3) + 2, y)
            self.cell(VALUE_MM, ROW_MM, _text(bar.shown))
            self.set_xy(self.l_margin, y + ROW_MM)
        self.set_draw_color(85, 85, 85)
        top = self.get_y() - ROW_MM * len(chart.bars)
        self.line(self.l_margin + LABEL_MM, top, self.l_margin + LABEL_MM, self.get_y())


def monthly_report_pdf(report: dict[str, Any], *, compress: bool = True) -> bytes:
    pdf = _Report(orientation="P", format="A4")
    pdf.set_compression(compress)
    pdf.set_title(_text(f"Informe mensual {report['month']}"))
    pdf.add_page()
    pdf.set_font("helvetica", "B", 14)
    pdf.multi_cell(0, 7, _text(f"Informe mensual de indicadores económicos (III.D.10) - "
                               f"{report['unit']}"), new_x="LMARGIN", new_y="NEXT",
                   align="L")
    pdf.set_font("helvetica", "", 9)
    pdf.cell(0, 5, _text(f"Mes {report['month']} ({report['from']} a {report['to']}, hora de "
                         f"{report['time_zone']}); importes en {report['currency']}. "
                         f"Emitido {report['generated_at'][:19].replace('T', ' ')}."),
             new_x="LMARGIN", new_y="NEXT")
    pdf.heading("Indicadores")
    pdf.row([("Indicador", 110, "L"), ("Cantidad", 25, "R"), ("Importe", 55, "R")], bold=True)
    for label, count, amount in indicator_rows(report):
        pdf.row([(label, 110, "L"), (count, 25, "R"), (amount, 55, "R")])
    for chart in charts_of(report):
        pdf.chart(chart)
    _corrections(pdf, report)
    _closing(pdf, report)
    return bytes(pdf.output())


def _corrections(pdf: _Report, report: dict[str, Any]) -> None:
    entries = report["corrections"]["entries"]
    pdf.heading(f"Correcciones del mes ({len(entries)})")
    if not entries:
        pdf.row([("Ninguna.", 190, "L")])
        return
    pdf.row([("Fecha", 32, "L"), ("PPL", 18, "L"), ("Importe", 30, "R"), ("Motivo", 60, "L"),
             ("Por", 50, "L")], bold=True)
    for c in entries:
        pdf.row([(c["at"][:16].replace("T", " "), 32, "L"),
                 (c["penitentiary_number"] or "", 18, "L"),
                 (Money(c["amount_minor"], report["currency"]).format(), 30, "R"),
                 (c["reason"], 60, "L"), (f"{c['user_id']} ({c['role']})", 50, "L")])


def _closing(pdf: _Report, report: dict[str, Any]) -> None:
    cur = report["currency"]
    indigent = report["indigent_at_month_end"]
    pdf.heading("PPL indigentes al cierre")
    pdf.set_font("helvetica", "", 8)
    pdf.multi_cell(0, 4.5, align="L", text=_text(
        f"{indigent['count']} PPL con peculio libre menor a "
        f"{Money(indigent['threshold_minor'], cur).format()} y sin depósitos en "
        f"{indigent['quiet_days']} días: {', '.join(indigent['penitentiary_numbers']) or '-'}."),
        new_x="LMARGIN", new_y="NEXT")
    tb = report["trial_balance_at_month_end"]
    pdf.heading("Balance de comprobación al cierre")
    pdf.set_font("helvetica", "", 8)
    pdf.multi_cell(0, 4.5, _text(
        f"Al {tb['as_of']}: debe {Money(tb['debits_minor'], cur).format()}, haber "
        f"{Money(tb['credits_minor'], cur).format()}; "
        f"{'cuadra' if tb['balanced'] else 'NO CUADRA'}. Banco (cuenta de terceros) "
        f"{Money(tb['trust_bank_minor'], cur).format()}; total adeudado a las PPL "
        f"{Money(tb['ppl_total_minor'], cur).format()}."), new_x="LMARGIN", new_y="NEXT",
        align="L")
    head = report["signed_chain_head"]
    pdf.heading("Cabeza de la cadena de auditoría firmada (Ed25519)")
    pdf.set_font("helvetica", "", 8)
    if head is None:
        pdf.multi_cell(0, 4.5, _text("Aún no hay ningún punto firmado: ejecute "
                                     "`ledger audit sign`."), new_x="LMARGIN", new_y="NEXT")
        return
    state = "válida" if head["signature_valid"] else "NO VÁLIDA"
    cover = ("cubre todo el mes" if head["covers_the_month"] else
             "NO cubre el final del mes: firme de nuevo (`ledger audit sign`)")
    pdf.multi_cell(0, 4.5, _text(
        f"Posición {head['position']}, longitud {head['length']}, firmada "
        f"{head['signed_at'][:19].replace('T', ' ')} UTC con la clave {head['key_id']}; "
        f"firma {state}; {cover}."), new_x="LMARGIN", new_y="NEXT", align="L")
    signature = head["signature"]
    pdf.set_font("courier", "", 8)
    pdf.multi_cell(0, 4, f"cadena: {head['chain_hash']}\nfirma:  {signature[:64]}\n"
                         f"        {signature[64:]}", new_x="LMARGIN", new_y="NEXT", align="L")
