"""Exactly-once for money-changing requests, and retries on optimistic-concurrency
conflicts.

A command is a function that loads aggregates, decides, and returns what to save with
the answer. `run_once` saves those aggregates and the idempotency record in ONE atomic
write. If another writer got there first (same account, or same key), the store refuses
the whole write and the command runs again on fresh state: so the loser of a race for the
same funds gets an insufficient-funds answer, and a racing duplicate gets the winner's
answer.

When the store batches commits (LEDGER_BATCH_COMMITS, on by default), `run_once` hands
the command to the store's Batcher, which keeps these same guarantees for many commands
in one write (ledger/application/batching.py); otherwise each command is its own write
(`run_alone`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, OperationalError

from ledger.application.clock import Clock
from ledger.application.store import LedgerStore
from ledger.domain.errors import ConcurrentUpdate, Conflict, InvalidInput
from ledger.domain.idempotency import IdempotencyRecord
from ledger.domain.ids import idempotency_id

ATTEMPTS = 8
MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class IdempotentRequest:
    scope: str  # who sent it: the signed-in user or the terminal
    key: str
    fingerprint: str  # digest of method, path and body


@dataclass(frozen=True)
class Outcome:
    status_code: int
    body: dict[str, Any]
    replayed: bool = False


Decision = tuple[Sequence[Any], Outcome]


def fingerprint(method: str, path: str, body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


def check_key(key: str | None) -> str:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput(
            "idempotency_key_required",
            field="Idempotency-Key",
            es="Falta la cabecera Idempotency-Key (un identificador único por operación, "
            "reutilizado al reintentar).",
            en="The Idempotency-Key header is missing or invalid (one unique id per "
            "operation, reused on retry).",
        )
    return key


def run_once(
    store: LedgerStore,
    clock: Clock,
    request: IdempotentRequest | None,
    decide: Callable[[], Decision],
    reads: Sequence[UUID] = (),
) -> Outcome:
    """`reads` names aggregates `decide` will read, so a batch loads the cold ones
    together; a hint only, never needed for correctness."""
    if store.batcher is not None:
        return store.batcher.run(clock, request, decide, reads)  # type: ignore[no-any-return]
    return run_alone(store, clock, request, decide)


def run_alone(
    store: LedgerStore,
    clock: Clock,
    request: IdempotentRequest | None,
    decide: Callable[[], Decision],
) -> Outcome:
    """One command, one atomic write; decided again on fresh state after a conflict."""
    record_id = idempotency_id(request.scope, request.key) if request else None
    for _ in range(ATTEMPTS):
        if record_id is not None and request is not None:
            previous = store.find(record_id)
            if previous is not None:
                return replay(previous, request)
        aggregates, outcome = decide()
        to_save = list(aggregates)
        if record_id is not None and request is not None:
            to_save.append(
                IdempotencyRecord.record(
                    record_id, scope=request.scope, key=request.key,
                    fingerprint=request.fingerprint, status_code=outcome.status_code,
                    response=outcome.body, at=clock.now(),
                )
            )
        try:
            store.save(*to_save)
        except (IntegrityError, OperationalError):
            # Someone else wrote to one of these aggregates first; decide again on
            # fresh state. (SQLite reports a busy database as OperationalError.)
            continue
        return outcome
    raise ConcurrentUpdate(
        "concurrent_update",
        es="Otra operación modificó la misma cuenta al mismo tiempo; reintente.",
        en="Another operation changed the same account at the same time; retry.",
    )


def replay(previous: IdempotencyRecord, request: IdempotentRequest) -> Outcome:
    """The first answer to a key, or a refusal if the key now names another request."""
    if previous.fingerprint != request.fingerprint:
        raise Conflict(
            "idempotency_key_reused",
            field="Idempotency-Key",
            es="Esta clave de idempotencia ya se usó con otra operación distinta; "
            "genere una clave nueva.",
            en="This idempotency key was already used for a different request; use a new key.",
        )
    return Outcome(previous.status_code, previous.response, replayed=True)
