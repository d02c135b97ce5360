"""Counter sales: a walk-up sale or an order for the next delivery (online only)."""

from __future__ import annotations

import asyncio
import re

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from pos_terminal.app import StatusBar
from pos_terminal.base import Pos, title_bar
from pos_terminal.client import Offline, Overview, Problem, SaleNeedsTheServer, new_key
from pos_terminal.dialogs import ReceiptScreen
from pos_terminal.receipt import Receipt

ENTRY = re.compile(r"^(?:(\d{1,4})\s*[*xX]\s*)?([A-Za-z0-9_-]{1,20})$")


class SaleScreen(Pos, Screen[Receipt | None]):
    """A walk-up sale (charged and handed over now) or an order for the next delivery.
    Both need the server: offline the app refuses them plainly and queues nothing."""

    def __init__(self, overview: Overview, *, walk_up: bool) -> None:
        super().__init__()
        self.overview, self.walk_up = overview, walk_up
        self.cart: dict[str, int] = {}
        self._key: str | None = None  # one per attempted sale; kept while retrying it
        self._key_cart: dict[str, int] = {}
        self.bind_keys(("f2", "confirm", "key_confirm"), ("f9", "remove", "key_remove"),
                       ("escape", "back", "key_back"))

    def compose(self) -> ComposeResult:
        o, t = self.overview, self.m.t
        yield title_bar(t("sale_title" if self.walk_up else "new_order_title", number=o.number))
        yield Static(f"{o.name} · {t('available')}: {self.m.money(o.available_minor, o.currency)}"
                     f" · {t('limits_left')}: " + t("limits_value", money=self.m.money(
                         o.limits.money_left_minor, o.currency), items=o.limits.items_left),
                     id="counts")
        with Horizontal(id="main"):
            with Vertical(id="right"):
                yield Input(placeholder=t("sale_prompt"), id="product")
                yield DataTable(id="cart", cursor_type="row")
                yield Static("", id="total")
                yield Static(t("sale_hint" if self.walk_up else "order_hint"))
                yield Static("", id="message", classes="message")
            yield DataTable(id="prices", cursor_type="none")
        yield StatusBar()
        yield Footer()

    def on_mount(self) -> None:
        t = self.m.t
        self.query_one("#cart", DataTable).add_columns(
            t("col_code"), t("col_product"), t("col_quantity"), t("col_price"), t("col_subtotal"))
        self.query_one("#prices", DataTable).add_columns(t("col_code"), t("price_list"),
                                                         t("col_price"))
        self._show_prices()
        self._show_cart()
        self.query_one("#product", Input).focus()
        if not self.desk.products:
            self._load_products()

    @work(exclusive=True, group="price-list")
    async def _load_products(self) -> None:
        try:
            await asyncio.to_thread(self.desk.load_price_list)
        except Offline:
            self.say(self.m.t("offline_sale_refused"), "error")
        except Problem as problem:
            self.say(problem.detail, "error")
        self.pos.update_status()
        self._show_prices()

    def _show_prices(self) -> None:
        """The public price list, beside the cart (V.H.1)."""
        table = self.query_one("#prices", DataTable)
        table.clear()
        for product in sorted(self.desk.products.values(), key=lambda p: p.code):
            table.add_row(product.code, product.name, self.m.amount(product.unit_price_minor))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        entry = ENTRY.match(event.value.strip())
        event.input.value = ""
        if entry is None:
            self.say(self.m.t("product_entry_invalid"), "error")
            return
        quantity, code = int(entry.group(1) or 1), entry.group(2).upper()
        if code not in self.desk.products:
            self.say(self.m.t("product_unknown", code=code), "error")
            return
        self.cart[code] = self.cart.get(code, 0) + quantity
        self.say("")
        self._show_cart()

    def action_remove(self) -> None:
        table = self.query_one("#cart", DataTable)
        if not self.cart:
            return
        code = list(self.cart)[min(table.cursor_row, len(self.cart) - 1)]
        del self.cart[code]
        self._show_cart()

    def _show_cart(self) -> None:
        table = self.query_one("#cart", DataTable)
        table.clear()
        total = 0
        for code, quantity in self.cart.items():
            product = self.desk.products[code]
            total += quantity * product.unit_price_minor
            table.add_row(code, product.name, str(quantity),
                          self.m.amount(product.unit_price_minor),
                          self.m.amount(quantity * product.unit_price_minor))
        shown = f"{self.m.t('total')}: {self.m.money(total, self.overview.currency)}"
        if total > self.overview.available_minor:
            shown += "   " + self.m.t("cart_over_funds", available=self.m.money(
                self.overview.available_minor, self.overview.currency))
        self.query_one("#total", Static).update(shown)

    def action_confirm(self) -> None:
        if not self.cart:
            self.say(self.m.t("cart_empty"), "warn")
            return
        if self._key is None or self._key_cart != self.cart:
            self._key, self._key_cart = new_key(), dict(self.cart)
        self.sell(dict(self.cart), self._key)

    @work(exclusive=True, group="sell")
    async def sell(self, lines: dict[str, int], key: str) -> None:
        self.say(self.m.t("loading"))
        try:
            receipt = await asyncio.to_thread(self.desk.sell, self.overview.number, lines, key,
                                              walk_up=self.walk_up)
        except SaleNeedsTheServer:
            # The key is kept: if the server did get it, a retry returns that same sale.
            self.pos.update_status()
            self.say(self.m.t("offline_sale_refused"), "error")
            return
        except Problem as problem:
            self._key = None
            self.pos.update_status()
            self.say(problem.detail, "error")
            return
        self._key = None
        self.pos.update_status()
        self.app.push_screen(ReceiptScreen(receipt), lambda _: self.dismiss(receipt))

    def action_back(self) -> None:
        self.dismiss(None)
