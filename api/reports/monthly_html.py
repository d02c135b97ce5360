"""The monthly report as one self-contained HTML page: the indicators, the charts as inline
SVG, the corrections, the indigent count, the trial balance and the signed chain head.
No script, no stylesheet or font from anywhere else (the unit's machines have no
internet); every value is escaped."""

from __future__ import annotations

from html import escape
from typing import Any

from ledger.application.monthly_report_charts import charts_of, svg
from ledger.application.monthly_report_pdf import indicator_rows
from ledger.domain.money import Money

STYLE = """body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2rem auto;max-width:60rem;
color:#1b1b1b;padding:0 1rem}h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid #ccc;
padding:.25rem .5rem;text-align:left;vertical-align:top}td.n,th.n{text-align:right;
white-space:nowrap;font-variant-numeric:tabular-nums}td.k{white-space:nowrap}
td.sub{padding-left:1.5rem}
figure{margin:1rem 0}svg{max-width:100%;height:auto}code{font-size:.8rem;word-break:break-all}
.bad{color:#b5473a;font-weight:bold}"""


def _cell(text: str, i: int, numeric: set[int], keys: set[int]) -> str:
    if i in numeric:
        return f'<td class="n">{escape(text)}</td>'
    if text.startswith("  "):
        return f'<td class="sub">{escape(text.strip())}</td>'
    return f'<td class="k">{escape(text)}</td>' if i in keys else f"<td>{escape(text)}</td>"


def _table(header: list[str], rows: list[list[str]], numeric: set[int],
           keys: frozenset[int] = frozenset()) -> str:
    head = "".join(f'<th class="n">{escape(h)}</th>' if i in numeric else f"<th>{escape(h)}</th>"
                   for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(_cell(c, i, numeric, set(keys)) for i, c in enumerate(row))
                   + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _chain(head: dict[str, Any] | None) -> str:
    if head is None:
        return "<p class=bad>Aún no hay ningún punto firmado: ejecute <code>ledger audit sign" \
               "</code>.</p>"
    valid = "válida" if head["signature_valid"] else "<span class=bad>NO VÁLIDA</span>"
    cover = ("cubre todo el mes" if head["covers_the_month"] else
             "<span class=bad>no cubre el final del mes: firme de nuevo</span>")
    return (f"<p>Posición {head['position']}, longitud {head['length']}, firmada "
            f"{escape(head['signed_at'])} con la clave <code>{escape(head['key_id'])}</code>; "
            f"firma {valid}; {cover}.</p><p>Cadena: <code>{escape(head['chain_hash'])}</code>"
            f"<br>Firma: <code>{escape(head['signature'])}</code></p>")


def monthly_report_html(report: dict[str, Any]) -> str:
    cur = report["currency"]
    indicators = _table(["Indicador", "Cantidad", "Importe"],
                        [list(r) for r in indicator_rows(report)], {1, 2})
    charts = "".join(f"<figure>{svg(c).split('?>')[-1]}</figure>" for c in charts_of(report))
    corrections = _table(
        ["Fecha", "PPL", "Importe", "Motivo", "Asiento revertido", "Por"],
        [[c["at"][:16].replace("T", " "), c["penitentiary_number"] or "",
          Money(c["amount_minor"], cur).format(), c["reason"], c["original_entry_id"],
          f"{c['user_id']} ({c['role']})"] for c in report["corrections"]["entries"]], {2},
        frozenset({0, 1}))
    indigent = report["indigent_at_month_end"]
    tb = report["trial_balance_at_month_end"]
    balanced = "cuadra" if tb["balanced"] else "<span class=bad>NO CUADRA</span>"
    return f"""<!doctype html>
<html lang="es"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Informe mensual {escape(report['month'])}</title><style>{STYLE}</style></head>
<body><main>
<h1>Informe mensual de indicadores económicos (III.D.10) — {escape(report['unit'])}</h1>
<p>Mes {escape(report['month'])} ({escape(report['from'])} a {escape(report['to'])}, hora de
{escape(report['time_zone'])}); importes en {escape(cur)}. Emitido
{escape(report['generated_at'][:19].replace('T', ' '))}.</p>
<h2>Indicadores</h2>{indicators}
<h2>Gráficos</h2>{charts}
<h2>Correcciones del mes ({report['corrections']['count']})</h2>{corrections}
<h2>PPL indigentes al cierre</h2>
<p>{indigent['count']} PPL con peculio libre menor a
{escape(Money(indigent['threshold_minor'], cur).format())} y sin depósitos en
{indigent['quiet_days']} días: {escape(', '.join(indigent['penitentiary_numbers']) or '—')}.</p>
<h2>Balance de comprobación al cierre</h2>
<p>Al {escape(tb['as_of'])}: debe {escape(Money(tb['debits_minor'], cur).format())}, haber
{escape(Money(tb['credits_minor'], cur).format())}; {balanced}.</p>
<h2>Cabeza de la cadena de auditoría firmada</h2>{_chain(report['signed_chain_head'])}
</main></body></html>
"""
