"""The POS screens: sign-in, opening a run, the run itself. Keyboard first: Enter
moves on, F-keys act, Esc goes back."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from pos_terminal.app import StatusBar
from pos_terminal.base import Pos, title_bar
from pos_terminal.client import SECTOR, Offline, Order, Problem, valid_number
from pos_terminal.desk import Card, Desk
from pos_terminal.dialogs import AbsentScreen, PartialScreen, ReceiptScreen
from pos_terminal.i18n import Messages
from pos_terminal.queue import Confirmation, QueueRefused
from pos_terminal.receipt import Receipt
from pos_terminal.sale import SaleScreen


class SignInScreen(Pos, Screen[None]):
    def __init__(self, resume: bool = False) -> None:
        super().__init__()
        self.resume = resume
        self.bind_keys(("ctrl+q", "app.quit", "key_quit"))

    def compose(self) -> ComposeResult:
        yield title_bar(self.pos.title)
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
        yield title_bar(self.pos.title)
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
        yield title_bar(self.m.t("run_title", sector=run.sector, day=run.day))
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
