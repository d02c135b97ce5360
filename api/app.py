"""create_app: the HTTP face of the ledger. The lifespan builds the ledger once."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, get
from litestar.middleware.base import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, YamlRenderPlugin

from api.auth.controller import AuthController
from api.auth.middleware import BearerAuthentication
from api.catalogue.controller import CatalogueController, public_price_list
from api.commissary.controller import CommissaryController
from api.depositors.controller import DepositorController
from api.discipline.controller import DisciplineController
from api.errors import EXCEPTION_HANDLERS
from api.pages import PAGE_PATHS, pages_routers, pages_template_config
from api.payroll.controller import PayrollController
from api.ppl.controller import PplController
from api.reports.commissary import CommissaryReportsController
from api.reports.contractor import ContractorReportsController
from api.reports.controller import ReportsController
from api.reports.monthly import MonthlyReportController
from api.terminals.controller import TerminalController
from api.unit.controller import UnitController
from api.wire import strict_integers
from ledger.application.bootstrap import Ledger, bootstrap
from ledger.infrastructure.config import Settings

OPEN_PATHS = ["^/schema", "^/health", *PAGE_PATHS]


@get("/health", exclude_from_auth=True, sync_to_thread=False)
def health() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok"}


def create_app(settings: Settings | None = None, ledger: Ledger | None = None) -> Litestar:
    """The API over a given ledger (tests) or one built from settings (serve)."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        owned = ledger is None
        app.state.ledger = ledger or bootstrap(settings or Settings.from_env())
        if owned:
            # What start-up built (modules, the framework, the ledger's wiring) lives as
            # long as the process: kept out of the collector's full scans, each of which
            # stops every request (30-70 ms for a start-up heap, measured).
            gc.freeze()
        try:
            yield
        finally:
            if owned:
                app.state.ledger.close()

    route_handlers: list[Any] = [
        health, AuthController, PplController, DepositorController, PayrollController,
        UnitController,
        ReportsController, CommissaryReportsController, ContractorReportsController,
        MonthlyReportController,
        DisciplineController,
        public_price_list, CatalogueController, CommissaryController, TerminalController,
    ]
    route_handlers += pages_routers(
        secure_cookies=(settings or Settings.from_env()).secure_cookies)
    return Litestar(
        route_handlers=route_handlers,
        template_config=pages_template_config(),
        lifespan=[lifespan],
        exception_handlers=EXCEPTION_HANDLERS,
        before_request=strict_integers,
        middleware=[DefineMiddleware(BearerAuthentication, exclude=OPEN_PATHS)],
        # Only the JSON and YAML documents: the HTML viewers load scripts from CDNs, and
        # the unit's machines have no internet.
        openapi_config=OpenAPIConfig(title="PPL ledger", version="0.1.0",
                                     render_plugins=[JsonRenderPlugin(), YamlRenderPlugin()]),
        debug=False,
    )
