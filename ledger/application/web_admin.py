"""Reads the administrators' pages need beyond the existing services: finding a PPL, the
deposits waiting to clear, who did what, and the tamper-check status.

Lists come from the projections (caught up inline first, so a page shows what was just
written); the details come from the aggregates and the stored events."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from ledger.application.context import Context
from ledger.audit.verify import verify
from ledger.domain.account import REVERSIBLE, Account, DepositState
from ledger.domain.depositor import Depositor
from ledger.domain.errors import NotFound
from ledger.domain.ids import account_id
from ledger.domain.postings import split_ppl_account
from ledger.domain.user import User
from projections.registry import ReadSide
from projections.source import Recorded

MAX_FOUND = 50
ACTIVITY_PAGE = 200
ACTIVITY_SCAN = 5000  # events looked at, newest first, to fill one page of activity


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _reversible(account: Account, entry: dict[str, Any]) -> bool:
    """What `Account.reverse_entry` accepts: a reversible kind, not yet reversed, and for
    a deposit only once it cleared (a pending one is rejected instead)."""
    if entry["kind"] not in REVERSIBLE or entry["reversed_by"]:
        return False
    if entry["kind"] == "deposit":
        deposit = account.deposits[entry["details"]["deposit_id"]]
        return bool(deposit["state"] == DepositState.CLEARED.value)
    return True


class AdminDesk:
    def __init__(self, ctx: Context, read_side: ReadSide) -> None:
        self.ctx = ctx
        self.read_side = read_side

    def _numbers(self, projection: str, query: str, params: tuple[Any, ...] = ()) -> list[str]:
        self.read_side.runner(projection).catch_up()
        with self.read_side.views.reading() as tx:
            return [str(row[0]) for row in tx.fetchall(query, params)]

    def find_ppl(self, query: str) -> list[dict[str, Any]]:
        """By penitentiary number (exact or its beginning) or by a part of the name."""
        wanted = _plain(query.strip())
        if not wanted:
            return []
        found = []
        for number in self._numbers("indigent", "SELECT number FROM proj_indigent "
                                                "ORDER BY number"):
            account = self.ctx.store.find(account_id(number))
            if not isinstance(account, Account):
                continue
            if _plain(number).startswith(wanted) or wanted in _plain(account.name):
                found.append({"penitentiary_number": number, "name": account.name,
                              "sector": account.sector, "status": account.status})
            if len(found) >= MAX_FOUND:
                break
        return found

    def pending_deposits(self) -> list[dict[str, Any]]:
        """Every deposit waiting for the bank, oldest first, with its depositor."""
        numbers = self._numbers(
            "balances", "SELECT number FROM proj_balances WHERE sub_account = %s "
                        "AND balance_minor > 0 ORDER BY number", ("pending",))
        pending = []
        for number in numbers:
            account = self.ctx.account(number)
            waiting = {d for d, v in account.deposits.items()
                       if v["state"] == DepositState.PENDING.value}
            for event in self.ctx.store.events.get(account_id(number)):
                if isinstance(event, Account.DepositReceived) and event.deposit_id in waiting:
                    pending.append({
                        "penitentiary_number": number, "name": account.name,
                        "deposit_id": event.deposit_id, "amount_minor": event.amount_minor,
                        "currency": account.currency, "channel": event.channel,
                        "external_reference": event.external_reference,
                        "recorded_at": event.timestamp,
                        "depositor": self._depositor_name(event.depositor_id)})
        return sorted(pending, key=lambda p: p["recorded_at"])

    def _depositor_name(self, depositor_id: str) -> str:
        depositor = self.ctx.depositor(depositor_id)
        if depositor.erased:
            return ""
        return str(self.ctx.vault.open(depositor_id, depositor.sealed_personal_data)
                   .get("name", ""))

    def entry(self, number: str, entry_id: str) -> dict[str, Any]:
        """One entry of the account: its kind, its effect per sub-account, and whether a
        correction may still reverse it."""
        account = self.ctx.account(number)
        entry = account.entries.get(entry_id)
        if entry is None:
            raise NotFound("entry_not_found", field="original_entry_id",
                           es="No existe ese movimiento en la cuenta.",
                           en="No such entry on this account.")
        effect: dict[str, int] = {}
        for posting in entry["postings"]:
            own = split_ppl_account(posting.account)
            if own is not None:
                effect[own[1].value] = effect.get(own[1].value, 0) - posting.amount_minor
        return {"entry_id": entry_id, "kind": entry["kind"], "effect": effect,
                "currency": account.currency, "name": account.name,
                "reversible": _reversible(account, entry), "reversed_by": entry["reversed_by"]}

    def statement_entries(self, number: str) -> dict[str, dict[str, Any]]:
        """Per entry id: whether a correction may reverse it, and what reversed it."""
        account = self.ctx.account(number)
        return {entry_id: {"reversible": _reversible(account, entry),
                           "reversed_by": entry["reversed_by"]}
                for entry_id, entry in account.entries.items()}

    def activity(self, *, username: str = "", limit: int = 100) -> list[dict[str, Any]]:
        """Who did what: the newest events that name an actor, optionally of one user."""
        names: dict[str, str] = {}
        subjects: dict[Any, dict[str, str]] = {}
        rows = []
        for recorded in self._newest_first():
            event = recorded.event
            actor = getattr(event, "actor", None)
            if actor is None:
                continue
            who = names.setdefault(actor.user_id, self.username_of(actor.user_id))
            if username and who.casefold() != username.strip().casefold():
                continue
            rows.append({"position": recorded.position, "at": event.timestamp, "who": who,
                         "role": actor.role.value, "channel": actor.channel.value,
                         "terminal_id": actor.terminal_id, "what": type(event).__qualname__,
                         **subjects.setdefault(event.originator_id, self._subject(event))})
            if len(rows) >= limit:
                break
        return rows

    def _newest_first(self) -> Iterator[Recorded]:
        end = self.read_side.source.head()
        scanned = 0
        while end > 0 and scanned < ACTIVITY_SCAN:
            start = max(0, end - ACTIVITY_PAGE)
            batch = self.read_side.source.after(start, end - start)
            yield from reversed([r for r in batch if r.position <= end])
            scanned += end - start
            end = start

    def username_of(self, user_id: str) -> str:
        """The username behind an actor's user id (system actors name themselves)."""
        try:
            user = self.ctx.store.find(UUID(user_id))
        except ValueError:
            return user_id  # the operators' CLI and the demo loader name themselves
        return user.username if isinstance(user, User) else user_id

    def _subject(self, event: Any) -> dict[str, str]:
        """What the event is about: a PPL's number, a depositor's id, a username."""
        aggregate = self.ctx.store.find(event.originator_id)
        if isinstance(aggregate, Account):
            return {"subject_kind": "ppl", "subject": aggregate.number}
        if isinstance(aggregate, Depositor):
            return {"subject_kind": "depositor", "subject": str(aggregate.id)[:8]}
        if isinstance(aggregate, User):
            return {"subject_kind": "user", "subject": aggregate.username}
        return {"subject_kind": "", "subject": ""}

    def integrity(self, *, check: bool) -> dict[str, Any]:
        """The audit chain's position against the log; with `check`, chains what is
        stored and recomputes the whole chain (`ledger audit verify`)."""
        runner = self.read_side.runner("audit_chain")
        status: dict[str, Any] = {"head": self.read_side.source.head(),
                                  "chained": runner.position(), "checked": False}
        if not check:
            return status
        runner.catch_up()
        verdict = verify(self.read_side.source, self.read_side.views,
                         self.ctx.keys.signing_key.public_key())
        status.update(checked=True, ok=verdict.ok, events=verdict.checked,
                      chained=verdict.chain_head, unchained=verdict.unchained,
                      checkpoints=verdict.checkpoints, signed_head=verdict.signed_head,
                      findings=[f.describe() for f in verdict.findings[:20]],
                      finding_count=len(verdict.findings))
        return status
