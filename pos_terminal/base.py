"""What every POS screen shares: the app, its desk and messages, and a message line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from textual.widgets import Static

from pos_terminal.desk import Desk
from pos_terminal.i18n import Messages

if TYPE_CHECKING:
    from pos_terminal.app import PosApp

Tone = Literal["ok", "warn", "error", "info"]


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


def title_bar(text: str) -> Static:
    return Static(text, id="title")
