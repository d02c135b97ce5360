"""Staff and depositors who sign in; passwords hashed with Argon2id (memory-hard)."""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from time import monotonic
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ledger.application.context import Context, check_text
from ledger.application.idempotency import Outcome
from ledger.domain.actor import Actor, Channel, Role
from ledger.domain.errors import Conflict, InvalidInput, Unauthenticated
from ledger.domain.ids import user_id
from ledger.domain.user import User

MIN_PASSWORD = 10
# A session confirmed by the database is trusted from memory this long: under load most
# requests then make no query to authenticate. Sign-out takes effect at once in the
# process that signed out, and within this window in any other worker process.
SESSION_RECHECK_SECONDS = 2.0
RECENT_SESSIONS_MAX = 10_000


@dataclass(frozen=True)
class Principal:
    user_id: str
    username: str
    role: Role
    depositor_id: str | None

    def actor(self, channel: Channel = Channel.API, terminal_id: str | None = None) -> Actor:
        return Actor(user_id=self.user_id, role=self.role, channel=channel,
                     terminal_id=terminal_id)


def _bad_credentials() -> Unauthenticated:
    return Unauthenticated("credentials_invalid", es="Usuario o contraseña incorrectos.",
                           en="Wrong username or password.")


class Users:
    def __init__(self, ctx: Context, session_hours: int = 12, *, time_cost: int = 3,
                 memory_kib: int = 65_536) -> None:
        self.ctx = ctx
        self.session_hours = session_hours
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)
        # Verifying against this when the user does not exist keeps the timing the same,
        # so the answer does not tell whether a username exists.
        self._dummy_hash = self._hasher.hash("not-a-real-password")
        # token digest -> (principal, session expiry, when the database confirmed it)
        self._recent: dict[str, tuple[Principal, datetime, float]] = {}
        self._recent_lock = threading.Lock()

    def create(self, *, username: str, password: str, role: str, actor: Actor,
               depositor_id: str | None = None) -> Outcome:
        """Creates a user in one role; a depositor user is tied to one depositor."""
        username = check_text(username, "username", max_length=60)
        try:
            chosen = Role(role)
        except ValueError:
            raise InvalidInput("role_unknown", field="role", es="Rol desconocido.",
                               en="Unknown role.") from None
        if not isinstance(password, str) or len(password) < MIN_PASSWORD:
            raise InvalidInput("password_too_short", field="password",
                               es=f"La contraseña debe tener al menos {MIN_PASSWORD} caracteres.",
                               en=f"The password needs at least {MIN_PASSWORD} characters.")
        if chosen is Role.DEPOSITOR:
            depositor_id = str(self.ctx.depositor(depositor_id or "").id)
        password_hash = self._hasher.hash(password)

        def decide() -> Any:
            if self.ctx.store.find(user_id(username)) is not None:
                raise Conflict("username_taken", field="username",
                               es="Ese nombre de usuario ya existe.",
                               en="That username already exists.")
            user = User.create(user_id(username), username=username, role=chosen.value,
                               password_hash=password_hash, depositor_id=depositor_id,
                               actor=actor, at=self.ctx.clock.now())
            return [user], Outcome(201, {"user_id": str(user.id), "username": username,
                                         "role": chosen.value})

        return self.ctx.run(None, decide)

    def sign_in(self, username: Any, password: Any) -> tuple[str, datetime, Principal]:
        """Checks the password and opens a session; returns the bearer token once."""
        if not isinstance(username, str) or not isinstance(password, str):
            raise _bad_credentials()
        user = self.ctx.store.find(user_id(username)) if username else None
        try:
            self._hasher.verify(user.password_hash if user else self._dummy_hash, password)
        except (VerificationError, InvalidHashError):
            raise _bad_credentials() from None
        if user is None or not user.active:
            raise _bad_credentials()
        token = secrets.token_urlsafe(32)
        expires = self.ctx.clock.now() + timedelta(hours=self.session_hours)
        principal = Principal(str(user.id), user.username, Role(user.role), user.depositor_id)
        self.ctx.side.execute(
            "INSERT INTO api_sessions (token_hash, user_id, username, role, depositor_id, "
            "expires_at) VALUES (%s, %s, %s, %s, %s, %s)",
            (_digest(token), principal.user_id, principal.username, principal.role.value,
             principal.depositor_id, expires.isoformat()),
        )
        return token, expires, principal

    def recent_principal(self, token: str) -> Principal | None:
        """The session's principal if the database confirmed it within the last
        SESSION_RECHECK_SECONDS and it has not expired; None means "ask principal_for".
        Makes no query, so the event loop may call it."""
        seen = self._recent.get(_digest(token))
        if seen is None:
            return None
        principal, expires, confirmed = seen
        if monotonic() - confirmed > SESSION_RECHECK_SECONDS or \
                expires <= self.ctx.clock.now():
            return None
        return principal

    def principal_for(self, token: str) -> Principal | None:
        recent = self.recent_principal(token)
        if recent is not None:
            return recent
        digest = _digest(token)
        row = self.ctx.side.fetchone(
            "SELECT user_id, username, role, depositor_id, expires_at FROM api_sessions "
            "WHERE token_hash = %s", (digest,),
        )
        if row is None or datetime.fromisoformat(row[4]) <= self.ctx.clock.now():
            with self._recent_lock:
                self._recent.pop(digest, None)
            return None
        principal = Principal(row[0], row[1], Role(row[2]), row[3])
        with self._recent_lock:
            if len(self._recent) >= RECENT_SESSIONS_MAX:
                self._recent.clear()
            self._recent[digest] = (principal, datetime.fromisoformat(row[4]), monotonic())
        return principal

    def sign_out(self, token: str) -> None:
        digest = _digest(token)
        with self._recent_lock:
            self._recent.pop(digest, None)
        self.ctx.side.execute("DELETE FROM api_sessions WHERE token_hash = %s", (digest,))


def _digest(token: str) -> str:
    # Only a digest is stored: a copy of the table does not let anyone sign in.
    return hashlib.sha256(token.encode()).hexdigest()
