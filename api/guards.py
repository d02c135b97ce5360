"""Role guards. Every route names the roles it allows; nothing is open by default."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from ledger.application.users import Principal
from ledger.domain.actor import Role

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], None]

STAFF_READERS = (Role.FINANCE_ADMIN, Role.AUDITOR, Role.CONTRACT_INSPECTOR)


def requires(*roles: Role) -> Guard:
    allowed = frozenset(roles)

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = connection.user
        if not isinstance(principal, Principal) or principal.role not in allowed:
            raise PermissionDeniedException()

    guard.__name__ = "requires_" + "_or_".join(sorted(r.value for r in allowed))
    return guard


requires_finance_admin = requires(Role.FINANCE_ADMIN)
requires_payroll_officer = requires(Role.PAYROLL_OFFICER, Role.FINANCE_ADMIN)
requires_staff_reader = requires(*STAFF_READERS)
