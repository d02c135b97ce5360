"""The read side of one ledger: every projection with its runner, over one view database.

To add a read model (e.g. the commissary's month-to-date spend): write one module with a
Projection subclass and add it to `_projections` below."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from ledger.application.store import LedgerStore
from ledger.audit.chain import DEFAULT_INTERVAL, AuditChain
from ledger.domain.errors import LedgerError, NotFound
from ledger.infrastructure.database import Database
from ledger.infrastructure.keys import UnitKeys
from projections.balances import Balances
from projections.base import Projection
from projections.general_ledger import GeneralLedger
from projections.indigent import Indigent, IndigentSettings, indigent_list
from projections.runner import Runner
from projections.source import EventSource
from projections.sql import ViewDatabase

WAIT_TIMEOUT_SECONDS = 5.0


class ProjectionBehind(LedgerError):
    status = 503
    title = "Projection behind"


def _projections(store: LedgerStore, keys: UnitKeys, chain_interval: int) -> list[Projection]:
    return [Balances(), GeneralLedger(store), Indigent(),
            AuditChain(keys.signing_key, interval=chain_interval)]


class ReadSide:
    def __init__(self, store: LedgerStore, keys: UnitKeys, database: Database, *,
                 batch_size: int = 500, wait_timeout: float = WAIT_TIMEOUT_SECONDS) -> None:
        self.store = store
        self.keys = keys
        self.views = ViewDatabase(database)
        self.source = EventSource(store)
        self.batch_size = batch_size
        self.wait_timeout = wait_timeout
        self.indigent_settings = IndigentSettings.from_env()
        self.chain_interval = DEFAULT_INTERVAL  # links between signed checkpoints
        self._runners: dict[str, Runner] | None = None

    def close(self) -> None:
        self.views.close()

    @property
    def runners(self) -> dict[str, Runner]:
        """Built on first use (creates the tables if missing)."""
        if self._runners is None:
            self._runners = {
                p.name: Runner(p, self.source, self.views, batch_size=self.batch_size)
                for p in _projections(self.store, self.keys, self.chain_interval)
            }
        return self._runners

    def runner(self, name: str) -> Runner:
        try:
            return self.runners[name]
        except KeyError:
            raise NotFound("projection_not_found", field="name",
                           es=f"No existe la proyección {name}.",
                           en=f"No projection named {name}.") from None

    def status(self) -> list[dict[str, Any]]:
        head = self.source.head()
        return [{"name": name, "position": (p := r.position()), "head": head, "lag": head - p}
                for name, r in self.runners.items()]

    def catch_up_all(self) -> int:
        return sum(r.catch_up() for r in self.runners.values())

    def follow(self, poll_seconds: float = 0.5, rounds: int | None = None) -> None:
        """Keeps every projection caught up (`ledger projections run`)."""
        done = 0
        while rounds is None or done < rounds:
            if self.catch_up_all() == 0:
                time.sleep(poll_seconds)
            done += 1

    def caught_up(self, name: str, wait_for: int | None) -> int:
        """The projection's position, after reaching `wait_for` if one is given."""
        runner = self.runner(name)
        if wait_for is not None and not runner.wait_for(wait_for, self.wait_timeout):
            position = runner.position()
            raise ProjectionBehind(
                "projection_behind", field="wait_for",
                es=f"La proyección {name} está en la posición {position}; aún no llega a "
                   f"{wait_for}. Reintente en unos segundos.",
                en=f"Projection {name} is at position {position}, not yet at {wait_for}. "
                   "Retry in a few seconds.",
                position=position, wait_for=wait_for)
        return runner.position()

    def indigent(self, now: datetime, wait_for: int | None = None) -> dict[str, Any]:
        """The indigent list as of `now`, from the projection (III.D.16)."""
        position = self.caught_up("indigent", wait_for)
        with self.views.reading() as tx:
            rows = indigent_list(tx, self.indigent_settings, now)
        settings = self.indigent_settings
        return {"position": position, "as_of": now.isoformat(),
                "threshold_minor": settings.threshold_minor, "quiet_days": settings.quiet_days,
                "ppl": rows}
