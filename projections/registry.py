"""The read side of one ledger: every projection with its runner, over one view database.

To add a read model: write one module with a Projection subclass and add it to
`_projections` below.

A read can wait for the projection to include a write first (`wait_for`): a log position
(e.g. the one a receipt names), or `latest`, the log's head when the read starts."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any, Literal

from ledger.application.store import LedgerStore
from ledger.audit.chain import DEFAULT_INTERVAL, AuditChain
from ledger.domain.errors import LedgerError, NotFound
from ledger.infrastructure.database import Database
from ledger.infrastructure.keys import UnitKeys
from projections import commissary_eligibility, commissary_month, pick_lists
from projections.balances import Balances
from projections.base import Projection
from projections.commissary_eligibility import CommissaryEligibility
from projections.commissary_month import CommissaryMonth
from projections.general_ledger import GeneralLedger
from projections.indigent import Indigent, IndigentSettings, indigent_list
from projections.pick_lists import PickLists
from projections.runner import Runner
from projections.sales_ledger import SalesLedger
from projections.source import EventSource
from projections.sql import ViewDatabase

WAIT_TIMEOUT_SECONDS = 5.0
LATEST = "latest"
WaitFor = int | Literal["latest"] | None


class ProjectionBehind(LedgerError):
    status = 503
    title = "Projection behind"


def _projections(store: LedgerStore, keys: UnitKeys, chain_interval: int) -> list[Projection]:
    return [Balances(), GeneralLedger(store), Indigent(),
            CommissaryMonth(), CommissaryEligibility(), PickLists(), SalesLedger(store),
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

    def sign_audit_head(self) -> Any | None:
        """Chains every stored event now and signs the chain's head; None when the store
        has no events (`ledger audit sign`, the API and the monthly-report page)."""
        runner = self.runner("audit_chain")
        runner.catch_up()
        with runner.views.transaction() as tx:
            return runner.projection.sign_head(tx)  # type: ignore[attr-defined]

    def catch_up_all(self) -> int:
        return sum(r.catch_up() for r in self.runners.values())

    def follow(self, poll_seconds: float = 0.5, rounds: int | None = None) -> None:
        """Keeps every projection caught up (`ledger projections run`)."""
        done = 0
        while rounds is None or done < rounds:
            if self.catch_up_all() == 0:
                time.sleep(poll_seconds)
            done += 1

    def target(self, wait_for: WaitFor) -> int | None:
        """The position a read waits for: `latest` is the log's head at this moment."""
        if isinstance(wait_for, str):
            return self.source.head()
        return wait_for

    def caught_up(self, name: str, wait_for: WaitFor) -> int:
        """The projection's position, after reaching `wait_for` if one is given."""
        runner = self.runner(name)
        wait_for = self.target(wait_for)
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

    def caught_up_together(self, names: tuple[str, ...], wait_for: WaitFor) -> int:
        """Several projections at ONE position (a report that joins them): each reaches
        `wait_for` (default: the log's head now), then all are caught up to the furthest
        of them. Returns that position; a runner moving meanwhile may leave one further
        ahead, which `positions` in the answer shows."""
        target = self.source.head() if wait_for is None else self.target(wait_for)
        reached = max(self.caught_up(name, target) for name in names)
        for name in names:
            self.runner(name).catch_up(until=reached)
        return reached

    def positions(self, names: tuple[str, ...]) -> dict[str, int]:
        return {name: self.runner(name).position() for name in names}

    def indigent(self, now: datetime, wait_for: WaitFor = None) -> dict[str, Any]:
        """The indigent list as of `now`, from the projection (III.D.16)."""
        position = self.caught_up("indigent", wait_for)
        with self.views.reading() as tx:
            rows = indigent_list(tx, self.indigent_settings, now)
        settings = self.indigent_settings
        return {"position": position, "as_of": now.isoformat(),
                "threshold_minor": settings.threshold_minor, "quiet_days": settings.quiet_days,
                "ppl": rows}

    def month_to_date(self, number: str, month: str, wait_for: WaitFor = None) -> dict[str, Any]:
        """A PPL's commissary spend and items in a month (what counts against the limit)."""
        position = self.caught_up("commissary_month", wait_for)
        with self.views.reading() as tx:
            figures = commissary_month.month_to_date(tx, number, month)
        return {"position": position, "penitentiary_number": number, "month": month, **figures}

    def month_of_everyone(self, month: str, wait_for: WaitFor = None) -> dict[str, Any]:
        position = self.caught_up("commissary_month", wait_for)
        with self.views.reading() as tx:
            rows = commissary_month.month_rows(tx, month)
        return {"position": position, "month": month, "ppl": rows}

    def eligibility(self, number: str, at: datetime, zone: Any,
                    wait_for: WaitFor = None) -> dict[str, Any]:
        """The PPL's commissary eligibility at `at`, computed now from the stored windows."""
        position = self.caught_up("commissary_eligibility", wait_for)
        with self.views.reading() as tx:
            answer = commissary_eligibility.eligibility_of(tx, number, at, zone)
        if answer is None:
            raise NotFound("ppl_not_found", field="penitentiary_number",
                           es=f"No hay ninguna PPL con el número penitenciario {number}.",
                           en=f"No PPL with penitentiary number {number}.")
        return {"position": position, **answer}

    def not_eligible(self, at: datetime, zone: Any, wait_for: WaitFor = None) -> dict[str, Any]:
        """Every PPL suspended or restricted at `at`."""
        position = self.caught_up("commissary_eligibility", wait_for)
        with self.views.reading() as tx:
            rows = commissary_eligibility.not_eligible(tx, at, zone)
        return {"position": position, "at": at.astimezone(zone).isoformat(), "ppl": rows}

    def pick_list(self, sector: str, delivery_date: str,
                  wait_for: WaitFor = None) -> dict[str, Any]:
        """What the contractor bags for a sector's delivery day."""
        position = self.caught_up("pick_lists", wait_for)
        with self.views.reading() as tx:
            rows = pick_lists.pick_list(tx, sector, delivery_date)
        return {"position": position, "sector": sector, "date": delivery_date,
                "pick_list": rows}
