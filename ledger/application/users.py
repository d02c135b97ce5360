"""Staff and depositors who sign in; passwords hashed with Argon2id (memory-hard)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
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

    def principal_for(self, token: str) -> Principal | None:
        row = self.ctx.side.fetchone(
            "SELECT user_id, username, role, depositor_id, expires_at FROM api_sessions "
            "WHERE token_hash = %s", (_digest(token),),
        )
        if row is None or datetime.fromisoformat(row[4]) <= self.ctx.clock.now():
            return None
        return Principal(row[0], row[1], Role(row[2]), row[3])

    def sign_out(self, token: str) -> None:
        self.ctx.side.execute("DELETE FROM api_sessions WHERE token_hash = %s", (_digest(token),))


def _digest(token: str) -> str:
    # Only a digest is stored: a copy of the table does not let anyone sign in.
    return hashlib.sha256(token.encode()).hexdigest()
