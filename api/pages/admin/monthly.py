"""The monthly report as the pages show it, in the page's language: the indicator lines
and the charts. The charts are the server's own SVG (ledger/application/
monthly_report_charts.py: `svg`) with the labels translated, embedded in the page; no
script and nothing from another host."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from api.pages.messages import Translator
from ledger.application.monthly_report_charts import Bar, Chart, svg
from ledger.domain.money import Money

Who = Callable[[str], str]
LABEL_CHARS = 30  # what fits left of the bars (the writer's label column, 250 units)


def _money(minor: int, currency: str) -> str:
    return Money(minor, currency).format()


def _figure(minor: int, currency: str) -> str:
    """An amount without its currency (the chart's title names it)."""
    return _money(minor, currency).split(" ", 1)[-1]


def indicator_rows(report: dict[str, Any], t: Translator) -> list[dict[str, Any]]:
    """(label, count, amount, sub) lines, in the same order as the PDF's."""
    cur = report["currency"]
    d, w, c = report["deposits"], report["wages"], report["commissary"]

    def row(key: str, count: Any = "", minor: int | None = None, sub: bool = False,
            **values: Any) -> dict[str, Any]:
        return {"label": t(f"monthly.ind.{key}", **values), "count": count,
                "amount": "" if minor is None else _money(minor, cur), "sub": sub}

    return [
        row("deposits", d["count"], d["amount_minor"]),
        *[row("by_channel", v["count"], v["amount_minor"], True,
              channel=t(f"channel.{channel}")) for channel, v in d["by_channel"].items()],
        row("deposits_rejected", d["rejected"]["count"], d["rejected"]["amount_minor"]),
        row("wages", w["count"], w["gross_minor"]),
        row("wages_available", minor=w["available_minor"], sub=True),
        row("wages_reserve", minor=w["reserve_minor"], sub=True),
        row("reserve_accrued", minor=report["reserve"]["accrued_minor"]),
        row("reserve_paid", minor=report["reserve"]["paid_or_reversed_minor"]),
        row("damage", minor=report["damage"]["net_recovered_minor"]),
        row("phone", report["phone_recharges"]["count"],
            report["phone_recharges"]["amount_minor"]),
        row("custody", report["custody_intake"]["count"],
            report["custody_intake"]["amount_minor"]),
        row("departures", report["departures_paid_out"]["count"],
            report["departures_paid_out"]["amount_minor"]),
        row("sales", c["orders_delivered"], c["sales_minor"]),
        row("refunds", c["refunds"]["count"], c["refunds"]["amount_minor"]),
        row("owed", minor=c["net_minor"]),
        row("ppl", report["ppl_at_month_end"]),
        row("indigent", report["indigent_at_month_end"]["count"]),
        row("corrections", report["corrections"]["count"]),
    ]


def _label(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1] + "…"


def _band(band: dict[str, Any], currency: str, t: Translator) -> str:
    low, high = band["from_minor"], band["to_minor"]
    if high == 0:
        return t("monthly.band.none")
    if high is None:
        return t("monthly.band.open", low=_figure(low, currency))
    return t("monthly.band.range", low=_figure(low, currency), high=_figure(high, currency))


def charts(report: dict[str, Any], t: Translator, who: Who) -> list[Chart]:
    """The report's four charts, labelled in the page's language."""
    cur = report["currency"]
    c = report["commissary"]
    flows = [("deposits", report["deposits"]["amount_minor"]),
             ("wages", report["wages"]["gross_minor"]),
             ("reserve", report["reserve"]["accrued_minor"]),
             ("damage", report["damage"]["net_recovered_minor"]),
             ("phone", report["phone_recharges"]["amount_minor"]),
             ("sales", c["sales_minor"]), ("refunds", c["refunds"]["amount_minor"])]
    categories = tuple(Bar(_label(t(f"category.{k['category']}")), k["net_minor"],
                           _money(k["net_minor"], cur)) for k in c["by_category"])
    corrections = tuple(Bar(_label(who(w["user_id"])), w["count"], str(w["count"]))
                        for w in report["corrections"]["by_whom"])
    return [
        Chart("flows", t("monthly.chart.flows", currency=cur),
              tuple(Bar(_label(t(f"monthly.flow.{key}")), value, _money(value, cur))
                    for key, value in flows)),
        Chart("commissary_by_category", t("monthly.chart.by_category", currency=cur),
              categories or (Bar(t("monthly.chart.no_sales"), 0, _money(0, cur)),)),
        Chart("balance_bands", t("monthly.chart.bands"),
              tuple(Bar(_band(b, cur, t), b["count"], str(b["count"]))
                    for b in report["balance_bands"])),
        Chart("corrections_by_whom", t("monthly.chart.corrections"),
              corrections or (Bar(t("monthly.chart.no_corrections"), 0, "0"),)),
    ]


def embedded(chart: Chart) -> Markup:
    """The chart's SVG as markup for the page; `svg` escapes every text it draws."""
    return Markup(svg(chart))  # noqa: S704 - made by our own writer, texts escaped there
