"""The POS screens: sign-in, opening a run, the run, partial delivery, absent, sales,
receipt. Keyboard first: Enter moves on, F-keys act, Esc goes back."""

from __future__ import annotations

import asyncio
import re
import subprocess
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Static

from pos_terminal.app import StatusBar
from pos_terminal.client import (
    SECTOR,
    Offline,
    Order,
    Overview,
    Problem,
    SaleNeedsTheServer,
    new_key,
    valid_number,
)
from pos_terminal.desk import Card, Desk
from pos_terminal.i18n import Messages
from pos_terminal.queue import Confirmation, QueueRefused
from pos_terminal.receipt import Receipt

if TYPE_CHECKING:
    from pos_terminal.app import PosApp

Tone = Literal["ok", "warn", "error", "info"]
ENTRY = re.compile(r"^(?:(\d{1,4})\s*[*xX]\s*)?([A-Za-z0-9_-]{1,20})$")


class Pos:
    """What every POS screen reaches: the app, its desk and its messages."""

    app: Any

    @property
    def pos(self) -> PosApp:
        return self.app  # type: ignore[no-any-return]

    @property
    def desk(self) -> Desk:
        return self.pos.desk

    @property
    def m(self) -> Messages:
        return self.pos.m

    def bind_keys(self, *entries: tuple[str, str, str]) -> None:
        for key, action, label in entries:
            self._bindings.bind(key, action, self.m.t(label))  # type: ignore[attr-defined]

    def say(self, text: str, tone: Tone = "info") -> None:
        found = self.query("#message")  # type: ignore[attr-defined]
        if not found:
            return  # the screen is closing: nobody to tell
        message: Static = found.first(Static)
        message.update(text)
        for each in ("ok", "warn", "error"):
            message.set_class(tone == each, each)


def _title(text: str) -> Static:
    return Static(text, id="title")


class SignInScreen(Pos, Screen[None]):
    def __init__(self, resume: bool = False) -> None:
        super().__init__()
        self.resume = resume
        self.bind_keys(("ctrl+q", "app.quit", "key_quit"))

    def compose(self) -> ComposeResult:
        yield _title(self.pos.title)
        with Vertical(classes="form"):
            yield Static(Text(self.m.t("sign_in"), style="bold"))
            yield Static(self.m.t("server", server=self.desk.client.server))
            yield Input(placeholder=self.m.t("username"), id="username")
            yield Input(placeholder=self.m.t("password"), password=True, id="password")
            yield Static(self.m.t("sign_in_hint"))
            yield Static("", id="message", classes="message")
        yield StatusBar()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#username", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "username":
            self.query_one("#password", Input).focus()
            return
        password = self.query_one("#password", Input)
        self.sign_in(self.query_one("#username", Input).value.strip(), password.value)
        password.value = ""

    @work(exclusive=True, group="sign-in")
    async def sign_in(self, username: str, password: str) -> None:
        self.say(self.m.t("loading"))
        try:
            session = await asyncio.to_thread(self.desk.sign_in, username, password)
        except Offline as offline:
            self.pos.update_status()
            self.say(self.m.t("offline_read", cause=offline.cause), "error")
            return
        except Problem as problem:
            self.pos.update_status()
            self.say(problem.detail, "error")
            return
        self.pos.update_status(self.m.t("signed_in", username=session.username))
        if self.resume:
            self.dismiss()
        else:
            self.app.switch_screen(RunScreen())
        self.pos.sync_now()


class RunScreen(Pos, Screen[None]):
    def __init__(self) -> None:
        super().__init__()
        self.bind_keys(("f5", "app.sync", "key_sync"), ("ctrl+q", "app.quit", "key_quit"))
        self._warned: tuple[str, str] | None = None

    def compose(self) -> ComposeResult:
        yield _title(self.pos.title)
        with Vertical(classes="form"):
            yield Static(Text(self.m.t("open_run"), style="bold"))
            yield Input(placeholder=self.m.t("sector"), id="sector")
            yield Input(value=date.today().isoformat(), placeholder=self.m.t("date"), id="day")
            yield Static(self.m.t("open_run_hint"))
            yield Static("", id="message", classes="message")
        yield StatusBar()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#sector", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "sector":
            self.query_one("#day", Input).focus()
            return
        self.open_run(self.query_one("#sector", Input).value.strip().upper(),
                      self.query_one("#day", Input).value.strip())

    @work(exclusive=True, group="run")
    async def open_run(self, sector: str, day_text: str) -> None:
        if not SECTOR.match(sector):
            self.say(self.m.t("sector_invalid"), "error")
            return
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            self.say(self.m.t("date_invalid"), "error")
            return
        self.say(self.m.t("loading"))
        try:
            run = await asyncio.to_thread(self.desk.open_run, sector, day)
            if not run.orders and self._warned != (sector, day.isoformat()):
                self._warned = (sector, day.isoformat())
                found = await asyncio.to_thread(self.desk.next_run_with_orders, sector, day)
                if found is None:
                    self.say(self.m.t("run_empty", sector=sector, day=day.isoformat()), "warn")
                    return
                self.query_one("#day", Input).value = found.day
                self.say(self.m.t("run_empty_next", sector=sector, day=day.isoformat(),
                                  next_day=found.day, count=len(found.orders)), "warn")
                return
        except Offline as offline:
            self.say(self.m.t("offline_read", cause=offline.cause), "error")
            return
        except Problem as problem:
            self.say(problem.detail, "error")
            return
        finally:
            self.pos.update_status()
        self.say("")
        self.app.push_screen(DeliveryScreen())


class DeliveryScreen(Pos, Screen[None]):
    """The run: the orders on the left; the PPL identified, the order and the actions."""

    def __init__(self) -> None:
        super().__init__()
        self.bind_keys(("f2", "full", "key_full"), ("f3", "partial", "key_partial"),
                       ("f4", "absent", "key_absent"), ("f5", "app.sync", "key_sync"),
                       ("f6", "sale", "key_sale"), ("f7", "new_order", "key_new_order"),
                       ("f8", "receipt", "key_receipt"), ("escape", "back", "key_back"))
        self.card: Card | None = None
        self.last_receipt: Receipt | None = None
        self._rows: list[tuple[str, str, str, str]] = []

    def compose(self) -> ComposeResult:
        run = self.desk.run
        assert run is not None
        yield _title(self.m.t("run_title", sector=run.sector, day=run.day))
        yield Static("", id="counts")
        with Horizontal(id="main"):
            yield DataTable(id="orders", cursor_type="row", zebra_stripes=True)
            with Vertical(id="right"):
                yield Input(placeholder=self.m.t("number_prompt"), id="number")
                yield Static(self.m.t("pick_a_ppl"), id="card")
                yield DataTable(id="lines", cursor_type="none")
                yield Static("", id="message", classes="message")
        yield StatusBar()
        yield Footer()

    def on_mount(self) -> None:
        t = self.m.t
        self.query_one("#orders", DataTable).add_columns(t("col_number"), t("col_status"),
                                                         t("col_total"))
        self.query_one("#lines", DataTable).add_columns(
            t("col_code"), t("col_product"), t("col_quantity"), t("col_price"),
            t("col_subtotal"), t("col_delivered"))
        self.watch(self.app, "sync_state", self._refresh, init=True)
        self.query_one("#number", Input).focus()

    def _refresh(self, _: Any = None) -> None:
        table = self.query_one("#orders", DataTable)
        orders = self.desk.run_orders()
        shown = {o.order_id: self.desk.shown_status(o) for o in orders}
        rows = [(o.order_id, o.number, self.m.status(shown[o.order_id]),
                 self.m.amount(o.total_minor)) for o in orders]
        if rows != self._rows:  # redrawn only when something changed
            self._rows = rows
            cursor = table.cursor_row
            table.clear()
            for order_id, *cells in rows:
                table.add_row(*cells, key=order_id)
            table.move_cursor(row=min(cursor, max(len(rows) - 1, 0)))
        still = sum(1 for s in shown.values() if s == "placed")
        queued = sum(1 for s in shown.values() if s == "queued")
        self.query_one("#counts", Static).update(self.m.t(
            "run_counts", open=still, done=len(orders) - still - queued, queued=queued,
            total=len(orders)))
        if self.card is not None:
            self._show(self.desk.cached_card(self.card.overview.number, self.card.offline))

    # ------------------------------------------------------------------ finding the PPL

    def on_input_submitted(self, event: Input.Submitted) -> None:
        number = event.value.strip()
        if not valid_number(number):
            self.say(self.m.t("number_invalid"), "error")
            return
        self.look_up(number)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id != "orders" or event.row_key.value is None:
            return
        number = self.desk.orders[event.row_key.value].number
        self.query_one("#number", Input).value = number
        self.look_up(number)

    @work(exclusive=True, group="look-up")
    async def look_up(self, number: str, note: str = "") -> None:
        self.say(self.m.t("loading"))
        try:
            card = await asyncio.to_thread(self.desk.look_up, number)
        except Offline:
            self.pos.update_status()
            self.say(self.m.t("no_data_offline", number=number), "error")
            return
        except Problem as problem:
            self.pos.update_status()
            self._show(None)
            self.say(problem.detail, "error")
            return
        self.pos.update_status()
        self._show(card)
        if note:
            self.say(note, "ok")
        elif card.order is None:
            self.say(self.m.t("ppl_not_in_run", number=number), "warn")
        else:
            self.say("")

    def _show(self, card: Card | None) -> None:
        self.card = card
        lines = self.query_one("#lines", DataTable)
        lines.clear()
        if card is None:
            self.query_one("#card", Static).update(self.m.t("pick_a_ppl"))
            return
        self.query_one("#card", Static).update(render_card(card, self.m, self.desk))
        order = card.order
        for line in order.lines if order else ():
            handed = "" if order is None or order.is_open else str(
                order.delivered.get(line.code, 0))
            lines.add_row(line.code, line.name, str(line.quantity),
                          self.m.amount(line.unit_price_minor),
                          self.m.amount(line.subtotal_minor), handed)

    # ------------------------------------------------------------------ confirming

    def _open_order(self) -> Order | None:
        if self.card is None:
            self.say(self.m.t("pick_a_ppl"), "warn")
            return None
        order = self.card.order
        if order is None:
            self.say(self.m.t("ppl_not_in_run", number=self.card.overview.number), "warn")
            return None
        if self.desk.queue.waiting_for(order.order_id):
            self.say(self.m.t("already_queued"), "warn")
            return None
        if not order.is_open:
            self.say(self.m.t("order_not_open", status=self.m.status(order.status)), "warn")
            return None
        return order

    def action_full(self) -> None:
        order = self._open_order()
        if order is not None:
            self.confirm(Confirmation.delivery(order, self._sector()))

    def action_partial(self) -> None:
        order = self._open_order()
        if order is None:
            return

        def chosen(delivered: dict[str, int] | None) -> None:
            if delivered is not None:
                self.confirm(Confirmation.delivery(order, self._sector(), delivered))

        self.app.push_screen(PartialScreen(order), chosen)

    def action_absent(self) -> None:
        order = self._open_order()
        if order is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.confirm(Confirmation.absent(order, self._sector()))

        self.app.push_screen(AbsentScreen(order.number), answered)

    def _sector(self) -> str:
        assert self.desk.run is not None
        return self.desk.run.sector

    @work(exclusive=True, group="confirm")
    async def confirm(self, confirmation: Confirmation) -> None:
        self.say(self.m.t("loading"))
        try:
            outcome = await asyncio.to_thread(self.desk.confirm, confirmation)
        except QueueRefused:
            self.say(self.m.t("already_queued"), "warn")
            return
        self._refresh()
        if outcome.state == "refused" or outcome.receipt is None:
            self.pos.update_status()
            self.say(self.m.t("refused", detail=outcome.detail), "error")
            return
        if outcome.state == "queued":
            self.pos.update_status(self.m.t("queued"))
            self.say(self.m.t("queued"), "warn")
        else:
            self.pos.update_status()
            self.say(self.m.t("confirmed"), "ok")
        self._show_receipt(outcome.receipt)

    def _show_receipt(self, receipt: Receipt) -> None:
        self.last_receipt = receipt
        self.app.push_screen(ReceiptScreen(receipt), lambda _: self._ready_for_next())

    def _ready_for_next(self) -> None:
        number = self.query_one("#number", Input)
        number.value = ""
        number.focus()

    def action_receipt(self) -> None:
        if self.last_receipt is not None:
            self._show_receipt(self.last_receipt)

    # ------------------------------------------------------------------ sales

    def action_sale(self) -> None:
        self._sell(walk_up=True)

    def action_new_order(self) -> None:
        self._sell(walk_up=False)

    def _sell(self, walk_up: bool) -> None:
        if self.card is None:
            self.say(self.m.t("pick_a_ppl"), "warn")
            return
        number = self.card.overview.number

        def done(receipt: Receipt | None) -> None:
            if receipt is not None:
                self.last_receipt = receipt
                self._refresh()
                self.look_up(number, self.m.t("confirmed"))
            self._ready_for_next()

        self.app.push_screen(SaleScreen(self.card.overview, walk_up=walk_up), done)

    def action_back(self) -> None:
        self.app.pop_screen()


def render_card(card: Card, m: Messages, desk: Desk) -> Text:
    o = card.overview
    money = lambda minor: m.money(minor, o.currency)  # noqa: E731
    text = Text()
    text.append(o.name, style="bold")
    text.append(f"   {o.number}\n", style="bold")
    text.append(f"{m.t('document')}: …{o.document_last_digits}   "
                f"{m.t('sector_regime')}: {o.sector} / {o.regime}\n")
    eligibility = m.t(o.eligibility) if o.eligibility in ("eligible", "restricted",
                                                          "suspended") else o.eligibility
    if o.eligible_until and o.eligibility != "eligible":
        eligibility += " " + m.t("until", until=o.eligible_until[:10])
    style = {"eligible": "green", "restricted": "bold yellow"}.get(o.eligibility, "bold red")
    text.append(f"{m.t('eligibility')}: ")
    text.append(eligibility + "\n", style=style)
    text.append(f"{m.t('available')}: ")
    text.append(money(o.available_minor), style="bold")
    text.append(f"   {m.t('held')}: {money(o.held_minor)}\n")
    text.append(f"{m.t('limits_left')}: " + m.t(
        "limits_value", money=money(o.limits.money_left_minor), items=o.limits.items_left) + "\n")
    order = card.order
    if order is None:
        text.append(m.t("order_none"), style="yellow")
    else:
        status = m.status(desk.shown_status(order))
        text.append(f"{m.t('order')} {order.order_id[:8]} · {m.t('order_status', status=status)}"
                    f" · {m.t('total')} {money(order.total_minor)}", style="bold")
    text.append("\n")
    text.append(m.t("data_at", time=card.seen_at.strftime("%H:%M:%S"),
                    offline=m.t("data_offline") if card.offline else ""), style="dim")
    return text


class PartialScreen(Pos, ModalScreen[dict[str, int] | None]):
    def __init__(self, order: Order) -> None:
        super().__init__()
        self.order = order
        self.bind_keys(("f2", "confirm", "key_confirm"), ("escape", "cancel", "key_cancel"))

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.m.t("partial_title", number=self.order.number),
                              style="bold"))
            yield Static(self.m.t("partial_hint"))
            for index, line in enumerate(self.order.lines):
                with Horizontal(classes="quantity"):
                    yield Static(f"{line.code} {line.name} ({self.m.t('r_ordered')}: "
                                 f"{line.quantity})")
                    yield Input(value=str(line.quantity), type="integer", id=f"q{index}",
                                compact=True)
            yield Static("", id="message", classes="message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#q0", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        index = int((event.input.id or "q0")[1:])
        if index + 1 < len(self.order.lines):
            self.query_one(f"#q{index + 1}", Input).focus()
        else:
            self.action_confirm()

    def action_confirm(self) -> None:
        delivered: dict[str, int] = {}
        for index, line in enumerate(self.order.lines):
            raw = self.query_one(f"#q{index}", Input).value.strip()
            if not raw.isdigit() or int(raw) > line.quantity:
                self.say(self.m.t("quantity_invalid", code=line.code, max=line.quantity),
                         "error")
                self.query_one(f"#q{index}", Input).focus()
                return
            delivered[line.code] = int(raw)
        self.dismiss(delivered)

    def action_cancel(self) -> None:
        self.dismiss(None)


class AbsentScreen(Pos, ModalScreen[bool]):
    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number
        self.bind_keys(("s", "yes", "key_confirm"), ("n", "no", "key_cancel"))
        self._bindings.bind("y,enter", "yes", show=False)
        self._bindings.bind("escape", "no", show=False)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.m.t("absent_title", number=self.number), style="bold"))
            yield Static(self.m.t("absent_hint"))
        yield Footer()

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)


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
        yield _title(t("sale_title" if self.walk_up else "new_order_title", number=o.number))
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


class ReceiptScreen(Pos, ModalScreen[None]):
    def __init__(self, receipt: Receipt) -> None:
        super().__init__()
        self.receipt = receipt
        self.bind_keys(("p", "print", "key_print"), ("escape", "close", "key_back"))
        self._bindings.bind("enter", "close", show=False)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.m.t("receipt_title"), style="bold"))
            yield Static(Text(self.receipt.text(self.m)), id="receipt-text")
            yield Static(self.m.t("receipt_hint"))
            yield Static("", id="message", classes="message")
        yield Footer()

    @work(exclusive=True, group="print")
    async def action_print(self) -> None:
        try:
            text_path, pdf_path = await asyncio.to_thread(
                self.receipt.save, self.m, self.pos.receipts_dir, self.pos.print_command)
        except (OSError, subprocess.SubprocessError) as error:
            self.say(self.m.t("print_failed", reason=str(error)), "error")
            return
        self.say(self.m.t("printed", text=text_path, pdf=pdf_path), "ok")

    def action_close(self) -> None:
        self.dismiss(None)
