"""Wires the ledger once: store, side tables, vault, clock and the services over them.
Tests pass fakes (a manual clock, a throwaway database) through this same door."""

from __future__ import annotations

from dataclasses import dataclass

from ledger.application.admissions import Admissions
from ledger.application.catalogue import PriceList
from ledger.application.clock import Clock, SystemClock
from ledger.application.commissary import Commissary
from ledger.application.context import Context
from ledger.application.depositors import Depositors
from ledger.application.deposits import Deposits
from ledger.application.discipline import Discipline
from ledger.application.funds import Funds
from ledger.application.payroll import Payroll
from ledger.application.statements import Statements
from ledger.application.store import open_store
from ledger.application.terminals import Terminals
from ledger.application.unit_config import UnitConfiguration
from ledger.application.users import Users
from ledger.infrastructure.config import Settings
from ledger.infrastructure.database import Database
from ledger.infrastructure.keys import load_key_file
from ledger.infrastructure.sidestore import SideStore
from ledger.infrastructure.vault import Vault
from projections.registry import ReadSide


@dataclass
class Ledger:
    ctx: Context
    unit: UnitConfiguration
    admissions: Admissions
    depositors: Depositors
    deposits: Deposits
    funds: Funds
    payroll: Payroll
    statements: Statements
    users: Users
    read_side: ReadSide  # projections, their runners, the audit chain
    discipline: Discipline  # disciplinary cases and commissary eligibility (XI)
    price_list: PriceList  # the commissary's products and prices (V.H.1)
    commissary: Commissary  # orders, deliveries, walk-up sales, refunds
    terminals: Terminals  # POS terminals trusted by key

    def close(self) -> None:
        self.read_side.close()
        self.ctx.store.close()
        self.ctx.side.close()


def bootstrap(settings: Settings, clock: Clock | None = None) -> Ledger:
    keys = load_key_file(settings.key_file)
    database = Database.from_url(settings.database_url)
    side = SideStore(database)  # first: it creates the PostgreSQL schema if one is named
    store = open_store(database, keys, cache_size=settings.aggregate_cache_size,
                       batch_commits=settings.batch_commits,
                       batch_window_ms=settings.batch_window_ms)
    ctx = Context(store=store, side=side, vault=Vault(side, keys.vault_key), keys=keys,
                  clock=clock or SystemClock())
    funds = Funds(ctx)
    price_list = PriceList(ctx)
    commissary = Commissary(ctx, price_list)
    return Ledger(
        ctx=ctx,
        unit=UnitConfiguration(ctx),
        admissions=Admissions(ctx, commissary),
        depositors=Depositors(ctx),
        deposits=Deposits(ctx),
        funds=funds,
        payroll=Payroll(ctx, funds),
        statements=Statements(ctx),
        users=Users(ctx, settings.session_hours, time_cost=settings.password_time_cost,
                    memory_kib=settings.password_memory_kib),
        read_side=ReadSide(store, keys, database),
        discipline=Discipline(ctx),
        price_list=price_list,
        commissary=commissary,
        terminals=Terminals(ctx),
    )
