"""A deposit receipt as PDF (fpdf2, core fonts, no network). It names the deposit's
reference, the PPL's number, the amount, the channel and the state: never a balance."""

from __future__ import annotations

from typing import Any

from fpdf import FPDF

from api.pages.messages import Translator


def _text(value: Any) -> str:
    """Core fonts speak Latin-1; anything else prints as '?' rather than failing."""
    return str(value).encode("latin-1", "replace").decode("latin-1")


def receipt_pdf(receipt: dict[str, Any], *, depositor: str, unit: str, when: str,
                amount: str, t: Translator) -> bytes:
    pdf = FPDF(format="A5")
    pdf.add_page()
    pdf.set_title(_text(t("receipt.title")))
    pdf.set_font("helvetica", "B", 14)
    pdf.multi_cell(0, 8, _text(unit), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "B", 12)
    pdf.cell(0, 8, _text(t("receipt.title")), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    rows = [
        (t("receipt.reference"), receipt["deposit_id"]),
        (t("receipt.date"), when),
        (t("receipt.depositor"), depositor),
        (t("field.penitentiary_number"), receipt["penitentiary_number"]),
        (t("field.amount"), amount),
        (t("field.channel"), t(f"channel.{receipt['channel']}")),
        (t("field.external_reference"), receipt["external_reference"] or "-"),
        (t("receipt.state"), t(f"state.{receipt['state']}")),
    ]
    for label, value in rows:
        pdf.set_font("helvetica", "B", 9)
        pdf.cell(42, 7, _text(label))
        pdf.set_font("helvetica", "", 9)
        pdf.multi_cell(0, 7, _text(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("helvetica", "I", 8)
    pdf.multi_cell(0, 5, _text(t("receipt.note")), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
