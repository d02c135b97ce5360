"""The pages' own session and CSRF protection (the API keeps its bearer tokens).

- The session cookie holds the token `Users.sign_in` returns (only its digest is stored);
  HttpOnly, SameSite=Lax, Secure when `Settings.secure_cookies`; it lasts as long as the
  session (LEDGER_SESSION_HOURS).
- CSRF: every POST carries a `_csrf` field equal to HMAC-SHA-256(secret, seed), where the
  seed is the session token when signed in, else a random pre-session cookie (so the
  sign-in and registration forms are protected too). The secret is derived from the
  unit's index key, so tokens survive a restart and differ between units. A token is
  bound to its session: one stolen from another session is refused."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from typing import Any

import anyio
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.handlers.base import BaseRouteHandler
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from ledger.application.users import Principal
from ledger.domain.actor import Role
from ledger.domain.errors import LedgerError

SESSION_COOKIE = "ppl_session"
PRE_SESSION_COOKIE = "ppl_pre"
LANGUAGE_COOKIE = "ppl_lang"
CSRF_FIELD = "_csrf"
SEED_KEY = "pages_csrf_seed"
FORM_KEY = "pages_form"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SignInRequired(Exception):  # noqa: N818 - a redirect, not a failure
    """No valid session: the page sends the browser to the sign-in form."""


class PageForbidden(LedgerError):
    status = 403
    title = "Forbidden"


def role_forbidden() -> PageForbidden:
    return PageForbidden("role_forbidden", es="Su rol no permite abrir esta página.",
                         en="Your role does not allow this page.")


def csrf_failed() -> PageForbidden:
    return PageForbidden(
        "csrf_failed",
        es="El formulario venció o no vino de esta página. Vuelva a abrirla y envíelo de nuevo.",
        en="The form expired or did not come from this page. Open it again and resend it.")


def cookie(name: str, value: str, *, secure: bool, max_age: int | None = None) -> Cookie:
    return Cookie(key=name, value=value, path="/", httponly=True, samesite="lax",
                  secure=secure, max_age=max_age)


class PageSession:
    """Router middleware: puts the signed-in principal (or None) in `scope["user"]` and
    the CSRF seed in the request state; hands out the pre-session cookie."""

    def __init__(self, app: ASGIApp, secure: bool = False) -> None:
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request: Request[Any, Any, Any] = Request(scope)
        token = request.cookies.get(SESSION_COOKIE, "")
        principal = None
        if token:
            users = scope["litestar_app"].state.ledger.users
            principal = users.recent_principal(token) or \
                await anyio.to_thread.run_sync(users.principal_for, token)
        pre = request.cookies.get(PRE_SESSION_COOKIE, "")
        set_cookies = []
        if not pre:
            pre = secrets.token_urlsafe(32)
            set_cookies.append(cookie(PRE_SESSION_COOKIE, pre, secure=self.secure))
        if token and principal is None:  # expired or signed out elsewhere
            set_cookies.append(cookie(SESSION_COOKIE, "", secure=self.secure, max_age=0))
        scope["user"] = principal  # type: ignore[typeddict-unknown-key]
        scope["auth"] = token if principal else None  # type: ignore[typeddict-unknown-key]
        scope.setdefault("state", {})[SEED_KEY] = token if principal else pre

        async def send_with_cookies(message: Message) -> None:
            if message["type"] == "http.response.start" and set_cookies:
                headers = MutableScopeHeaders.from_message(message)
                for each in set_cookies:
                    headers.add("set-cookie", each.to_header(header=""))
            await send(message)

        await self.app(scope, receive, send_with_cookies)


def csrf_secret(request: Request[Any, Any, Any]) -> bytes:
    state = request.app.state
    if not hasattr(state, "pages_csrf_secret"):
        index_key = state.ledger.ctx.keys.index_key
        state.pages_csrf_secret = hmac.new(index_key, b"ppl-ledger/pages/csrf/v1",
                                           hashlib.sha256).digest()
    return state.pages_csrf_secret  # type: ignore[no-any-return]


def csrf_token(request: Request[Any, Any, Any]) -> str:
    seed = str(request.scope.get("state", {}).get(SEED_KEY, ""))
    return hmac.new(csrf_secret(request), seed.encode(), hashlib.sha256).hexdigest()


async def check_csrf(request: Request[Any, Any, Any]) -> None:
    """Before every page handler: a POST must carry this session's CSRF token. The
    submitted form is kept for the handler (and for re-showing it with its errors)."""
    if request.method in SAFE_METHODS:
        return
    form = await request.form()
    values = {key: value for key, value in form.items() if isinstance(value, str)}
    request.scope.setdefault("state", {})[FORM_KEY] = values
    if not hmac.compare_digest(values.get(CSRF_FIELD, ""), csrf_token(request)):
        raise csrf_failed()


def form_of(request: Request[Any, Any, Any]) -> dict[str, str]:
    return dict(request.scope.get("state", {}).get(FORM_KEY, {}))


def principal_or_none(request: Request[Any, Any, Any]) -> Principal | None:
    user = request.scope.get("user")
    return user if isinstance(user, Principal) else None


def page_requires(*roles: Role) -> Callable[[ASGIConnection[Any, Any, Any, Any],
                                             BaseRouteHandler], None]:
    allowed = frozenset(roles)

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = connection.scope.get("user")
        if not isinstance(principal, Principal):
            raise SignInRequired()
        if principal.role not in allowed:
            raise role_forbidden()

    guard.__name__ = "page_requires_" + "_or_".join(sorted(r.value for r in allowed))
    return guard


def client_of(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


def secure_cookies(request: Request[Any, Any, Any]) -> bool:
    """Set on the pages router from `Settings.secure_cookies` (production, HTTPS)."""
    return bool(request.route_handler.opt.get("secure_cookies", False))
