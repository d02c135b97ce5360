"""Sign-in for the web pages: throttled per client address, locked per username after
repeated failures, and every attempt written to a side table that administrators read
(docs/PAGES.md#security).

The access log is a plain side table (`web_sign_ins`), not events: it holds no money and
nothing the ledger replays, it grows with every wrong password, and it must be writable
while a username is locked (an event per failed guess would let anyone flood the store).

Numbers (module constants, documented in docs/PAGES.md):
- a username with LOCK_AFTER (5) failed sign-ins within LOCK_MINUTES (15), counted since
  its last successful sign-in, is locked: every sign-in is refused, even with the right
  password, until fewer than 5 failures remain in the trailing 15 minutes;
- a client address with THROTTLE_AFTER (20) failed sign-ins within LOCK_MINUTES (15) is
  refused every sign-in until the window passes;
- a depositor with PAIRING_LIMIT (10) wrong number/surname pairings within 24 hours may
  not try another deposit until the window passes (nobody can probe who is held);
- a client address may register REGISTRATION_LIMIT (5) depositors an hour.
Locks apply alike to usernames that exist and that do not, so a lock tells nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from ledger.application.context import Context
from ledger.application.users import Principal, Users
from ledger.domain.errors import LedgerError, Unauthenticated

LOCK_AFTER = 5
LOCK_MINUTES = 15
THROTTLE_AFTER = 20
PAIRING_LIMIT = 10
PAIRING_HOURS = 24
REGISTRATION_LIMIT = 5
REGISTRATION_HOURS = 1
MAX_LOGGED_NAME = 60

_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS web_sign_ins (
        at TEXT NOT NULL,
        username TEXT NOT NULL,
        client TEXT NOT NULL,
        outcome TEXT NOT NULL,
        role TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS web_sign_ins_by_name ON web_sign_ins (username, at)",
    "CREATE INDEX IF NOT EXISTS web_sign_ins_by_client ON web_sign_ins (client, at)",
]


class Outcome(StrEnum):
    SIGNED_IN = "signed_in"
    FAILED = "failed"  # wrong username or password
    LOCKED = "locked"  # refused: the username is locked
    THROTTLED = "throttled"  # refused: the client address is throttled
    SIGNED_OUT = "signed_out"
    REGISTERED = "registered"  # a family registered itself as a depositor
    PAIRING_FAILED = "ppl_pairing_failed"  # a deposit named a number and surname that differ


class TooManyAttempts(LedgerError):
    status = 429
    title = "Too many attempts"


def stamp(instant: datetime) -> str:
    """UTC, fixed width: compares as text on both stores."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _name(username: Any) -> str:
    return str(username or "").strip().casefold()[:MAX_LOGGED_NAME]


def _locked() -> TooManyAttempts:
    return TooManyAttempts(
        "sign_in_locked", field="username",
        es=f"Demasiados intentos fallidos: espere {LOCK_MINUTES} minutos y vuelva a intentar.",
        en=f"Too many failed attempts: wait {LOCK_MINUTES} minutes and try again.")


class SignIns:
    def __init__(self, ctx: Context, users: Users) -> None:
        self.ctx = ctx
        self.users = users
        for statement in _SCHEMA:
            ctx.side.execute(statement)

    def sign_in(self, username: Any, password: Any, client: str) -> tuple[str, datetime,
                                                                          Principal]:
        """Checks the locks, then the password; records the attempt either way."""
        name = _name(username)
        now = self.ctx.clock.now()
        since = stamp(now - timedelta(minutes=LOCK_MINUTES))
        if self._count(Outcome.FAILED, "client", client, since) >= THROTTLE_AFTER:
            self.record(Outcome.THROTTLED, name, client)
            raise _locked()
        if self._failures_since_success(name, since) >= LOCK_AFTER:
            self.record(Outcome.LOCKED, name, client)
            raise _locked()
        try:
            token, expires, principal = self.users.sign_in(username, password)
        except Unauthenticated:
            self.record(Outcome.FAILED, name, client)
            raise
        self.record(Outcome.SIGNED_IN, name, client, principal.role.value)
        return token, expires, principal

    def sign_out(self, token: str, principal: Principal | None, client: str) -> None:
        self.users.sign_out(token)
        if principal is not None:
            self.record(Outcome.SIGNED_OUT, principal.username, client, principal.role.value)

    def check_may_register(self, client: str) -> None:
        since = stamp(self.ctx.clock.now() - timedelta(hours=REGISTRATION_HOURS))
        if self._count(Outcome.REGISTERED, "client", client, since) >= REGISTRATION_LIMIT:
            raise TooManyAttempts(
                "registrations_throttled",
                es="Demasiados registros desde esta conexión; intente más tarde.",
                en="Too many registrations from this connection; try again later.")

    def check_may_pair(self, username: str) -> None:
        since = stamp(self.ctx.clock.now() - timedelta(hours=PAIRING_HOURS))
        if self._count(Outcome.PAIRING_FAILED, "username", _name(username), since) >= (
                PAIRING_LIMIT):
            raise TooManyAttempts(
                "ppl_pairing_locked", field="ppl",
                es="Demasiados datos de PPL que no coinciden: vuelva a intentar mañana o "
                   "consulte en la unidad.",
                en="Too many PPL details that did not match: try again tomorrow or ask at "
                   "the unit.")

    def record(self, outcome: Outcome, username: str, client: str, role: str = "") -> None:
        self.ctx.side.execute(
            "INSERT INTO web_sign_ins (at, username, client, outcome, role) "
            "VALUES (%s, %s, %s, %s, %s)",
            (stamp(self.ctx.clock.now()), _name(username), client[:64], outcome.value, role))

    def recent(self, *, username: str = "", limit: int = 200) -> list[dict[str, Any]]:
        """The newest attempts first, optionally for one username."""
        where, params = ("WHERE username = %s", [_name(username)]) if username else ("", [])
        rows = self.ctx.side.fetchall(
            f"SELECT at, username, client, outcome, role FROM web_sign_ins {where} "
            "ORDER BY at DESC LIMIT %s", (*params, limit))
        return [{"at": datetime.strptime(r[0], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC),
                 "username": r[1], "client": r[2], "outcome": r[3], "role": r[4]} for r in rows]

    def _count(self, outcome: Outcome, column: str, value: str, since: str) -> int:
        row = self.ctx.side.fetchone(
            f"SELECT COUNT(*) FROM web_sign_ins WHERE {column} = %s AND outcome = %s "
            "AND at > %s", (value, outcome.value, since))
        return int(row[0]) if row else 0

    def _failures_since_success(self, name: str, since: str) -> int:
        row = self.ctx.side.fetchone(
            "SELECT MAX(at) FROM web_sign_ins WHERE username = %s AND outcome = %s",
            (name, Outcome.SIGNED_IN.value))
        last_success = row[0] if row and row[0] else ""
        return self._count(Outcome.FAILED, "username", name, max(since, last_success))
