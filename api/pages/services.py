"""The page services, built once per app over the app's ledger."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from litestar import Request

from ledger.application.bootstrap import Ledger
from ledger.application.web_admin import AdminDesk
from ledger.application.web_families import FamilyPortal
from ledger.application.web_security import SignIns

_lock = threading.Lock()


@dataclass(frozen=True)
class Web:
    ledger: Ledger
    sign_ins: SignIns
    families: FamilyPortal
    admin: AdminDesk


def build_web(ledger: Ledger) -> Web:
    sign_ins = SignIns(ledger.ctx, ledger.users)
    return Web(ledger=ledger, sign_ins=sign_ins,
               families=FamilyPortal(ledger.ctx, ledger.depositors, ledger.deposits,
                                     ledger.users, sign_ins),
               admin=AdminDesk(ledger.ctx, ledger.read_side))


def web_of(request: Request[Any, Any, Any]) -> Web:
    state = request.app.state
    with _lock:
        web = getattr(state, "pages_web", None)
        if web is None or web.ledger is not state.ledger:
            web = state.pages_web = build_web(state.ledger)
    return web  # type: ignore[no-any-return]
