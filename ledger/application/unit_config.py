"""Configuring the unit and changing its rules (each change is an event)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ledger.application.context import Context, check_text
from ledger.application.idempotency import IdempotentRequest, Outcome
from ledger.domain.actor import Actor
from ledger.domain.errors import Conflict
from ledger.domain.ids import unit_id
from ledger.domain.unit import Unit, UnitSettings


class UnitConfiguration:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def configure(self, settings: UnitSettings, actor: Actor) -> Outcome:
        """Creates the unit once, at installation."""

        def decide() -> Any:
            if self.ctx.store.find(unit_id()) is not None:
                raise Conflict("unit_already_configured", es="La unidad ya está configurada.",
                               en="The unit is already configured.")
            unit = Unit.configure(unit_id(), settings, actor, self.ctx.clock.now())
            return [unit], Outcome(201, asdict(unit.settings))

        return self.ctx.run(None, decide)

    def change(
        self, changes: dict[str, Any], reason: str, actor: Actor,
        request: IdempotentRequest | None,
    ) -> Outcome:
        """Changes the unit's rules from now on; past figures keep the rules then in force."""
        reason = check_text(reason, "reason")

        def decide() -> Any:
            unit = self.ctx.unit()
            unit.change_settings(changes, reason, actor, self.ctx.clock.now())
            return [unit], Outcome(200, asdict(unit.settings))

        return self.ctx.run(request, decide)

    def current(self) -> dict[str, Any]:
        return asdict(self.ctx.settings())
