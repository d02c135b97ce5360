"""The clerks' POS: a keyboard-first Textual app, Spanish by default.

The clerk signs in, opens a sector's delivery run, identifies each PPL by typed or scanned
number (a scanner types like a keyboard and ends with Enter), sees what may be handed
over, and confirms the delivery in full, in part, or the PPL absent. Every screen shows
how many confirmations wait in the terminal's queue to sync (see pos_terminal.queue)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import App
from textual.reactive import reactive
from textual.widgets import Static

from pos_terminal.desk import Desk
from pos_terminal.queue import SyncReport

CSS = """
Screen { layout: vertical; }
#title { height: 1; background: $primary; color: $text; text-style: bold; padding: 0 1; }
#counts { height: 1; padding: 0 1; color: $text-muted; }
.form { width: 64; height: 1fr; margin: 1 2; }
.form Input { margin-bottom: 1; }
#main { height: 1fr; }
#orders { width: 44; height: 1fr; border: round $primary; }
#right { width: 1fr; height: 1fr; padding: 0 1; }
#number { margin-bottom: 0; }
#card { height: auto; min-height: 7; border: round $secondary; padding: 0 1; }
#lines { height: auto; max-height: 12; }
#cart { height: 1fr; }
#prices { width: 48; height: 1fr; border: round $secondary; }
#total { height: auto; text-style: bold; padding: 0 1; }
.message { height: auto; min-height: 1; padding: 0 1; }
.message.error { color: $error; text-style: bold; }
.message.ok { color: $success; }
.message.warn { color: $warning; text-style: bold; }
StatusBar { height: 2; background: $boost; padding: 0 1; }
StatusBar.waiting { background: $warning-darken-2; color: $text; }
StatusBar.offline { background: $error-darken-2; color: $text; }
ModalScreen { align: center middle; }
.dialog { width: 64; height: auto; max-height: 90%; border: thick $primary;
          background: $surface; padding: 1 2; }
.quantity { height: 1; margin-top: 1; }
.quantity Static { width: 1fr; }
.quantity Input { width: 10; }
#receipt-text { height: auto; max-height: 30; overflow-y: auto; }
"""


class StatusBar(Static):
    """How many confirmations wait to sync, the link, the clerk: on every screen."""

    def on_mount(self) -> None:
        self.watch(self.app, "sync_state", self._show, init=True)

    def _show(self, _: Any = None) -> None:
        app: PosApp = self.app  # type: ignore[assignment]
        pending, refused, online, since, clerk, note = app.sync_state
        m = app.m
        line = Text(m.t("sync_bar", pending=pending), style="bold")
        if refused:
            line.append(m.t("sync_refused", refused=refused), style="bold")
        link = (m.t("unknown_link") if online is None else m.t("online") if online
                else m.t("offline", since=since))
        line.append(f"  │  {link}  │  {m.t('signed_as', username=clerk)}"
                    f"  │  {app.desk.client.terminal_id}")
        self.set_class(pending > 0, "waiting")
        self.set_class(online is False, "offline")
        self.update(Text("\n").join([line, Text(note)]))


class PosApp(App[None]):
    CSS = CSS
    sync_state: reactive[tuple[Any, ...]] = reactive((0, 0, None, "", "-", ""))

    def __init__(self, desk: Desk, *, receipts_dir: Path, sync_every: float = 5.0,
                 print_command: list[str] | None = None) -> None:
        super().__init__()
        self.desk, self.m = desk, desk.m
        self.receipts_dir, self.print_command = receipts_dir, print_command
        self.sync_every = sync_every
        self.title = self.m.t("title", terminal=desk.client.terminal_id)
        self._syncing = False
        self._note = ""

    def on_mount(self) -> None:
        from pos_terminal.screens import SignInScreen

        self.update_status()
        self.push_screen(SignInScreen())
        self.set_interval(self.sync_every, self.sync_now)

    def update_status(self, note: str | None = None) -> None:
        if note is not None:
            self._note = note
        client = self.desk.client
        since = client.offline_since.astimezone().strftime("%H:%M") if client.offline_since \
            else ""
        self.sync_state = (self.desk.queue.count("pending"), self.desk.queue.count("refused"),
                           client.online, since, self.desk.clerk, self._note)

    def action_sync(self) -> None:
        self.sync_now(wait=True)

    def sync_now(self, wait: bool = False) -> None:
        """Sends what waits (every few seconds, and on F5), if a clerk is signed in; with
        nothing waiting but the link down, only looks whether it is back."""
        if self._syncing or self.desk.client.session is None:
            self.update_status()
            return
        nothing = not wait and self.desk.queue.count("pending") == 0
        if nothing and self.desk.client.online is not False:
            self.update_status()
            return
        self._syncing = True
        self.run_worker(self._probe() if nothing else self._sync(wait), group="sync")

    async def _probe(self) -> None:
        try:
            await asyncio.to_thread(self.desk.client.probe)
        finally:
            self._syncing = False
        self.update_status()

    async def _sync(self, wait: bool) -> None:
        try:
            report = await asyncio.to_thread(self.desk.sync, wait=wait)
        finally:
            self._syncing = False
        self.after_sync(report)

    def after_sync(self, report: SyncReport) -> None:
        pending = self.desk.queue.count("pending")
        note = None
        if report.applied or report.refused:
            note = self.m.t("synced", applied=len(report.applied), pending=pending)
        for row in report.refused:
            note = f"{note} · {row.confirmation.number}: " \
                   f"{self.m.t('refused', detail=(row.answer or {}).get('detail', ''))}"
        if report.stopped and (report.applied or report.session_ended):
            note = self.m.t("sync_stopped", reason=report.stopped)
        if report.session_ended:
            note = self.m.t("session_expired")
        self.update_status(note)
        if report.session_ended:
            from pos_terminal.screens import SignInScreen

            self.desk.client.session = None
            if not isinstance(self.screen, SignInScreen):
                self.push_screen(SignInScreen(resume=True))
