"""The dialogs over the run: partial delivery, absent, and the receipt."""

from __future__ import annotations

import asyncio
import subprocess

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from pos_terminal.base import Pos
from pos_terminal.client import Order
from pos_terminal.receipt import Receipt


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
