"""`ledger audit verify`: recomputes the chain from the events table and compares it, in
position order, with the chain rows and the signed checkpoints.

Findings, each naming the position and the event:
- altered: the stored event no longer hashes to the value chained when it was stored;
- deleted: a chained event is missing from the events table;
- inserted: an event sits at a position the chain passed over without it;
- chain_broken: a chain row does not link to its predecessor (the chain table was edited);
- bad_signature: a checkpoint's signature does not verify under the unit's key;
- checkpoint_mismatch: the chain at a signed checkpoint differs from what was signed
  (events and chain rewritten together since the last good checkpoint).
Events after the chain's head are not yet chained: counted, not judged."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ledger.audit.chain import GENESIS, Checkpoint, link, record_hash
from projections.source import EventSource
from projections.sql import ViewDatabase

PAGE = 1000


@dataclass(frozen=True)
class Finding:
    kind: str
    position: int
    originator_id: str
    originator_version: int
    detail: str

    def describe(self) -> str:
        return (f"{self.kind} at position {self.position} (originator {self.originator_id}, "
                f"version {self.originator_version}): {self.detail}")


@dataclass
class Verdict:
    checked: int = 0
    chain_head: int = 0
    unchained: int = 0
    checkpoints: int = 0
    signed_head: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first(self) -> Finding | None:
        return self.findings[0] if self.findings else None


@dataclass(frozen=True)
class _Row:
    position: int
    originator_id: str
    originator_version: int
    record_hash: bytes
    chain_hash: bytes


def _chain_rows(views: ViewDatabase, bound: int) -> Iterator[_Row]:
    after = 0
    while True:
        with views.reading() as tx:
            rows = tx.fetchall("SELECT position, originator_id, originator_version, "
                               "record_hash, chain_hash FROM audit_chain WHERE position > %s "
                               "AND position <= %s ORDER BY position LIMIT %s",
                               (after, bound, PAGE))
        if not rows:
            return
        for p, o, v, r, c in rows:
            yield _Row(int(p), o, int(v), bytes.fromhex(r), bytes.fromhex(c))
        after = int(rows[-1][0])


def _checkpoints(views: ViewDatabase, bound: int) -> dict[int, Checkpoint]:
    with views.reading() as tx:
        rows = tx.fetchall("SELECT position, length, chain_hash, signed_at, key_id, signature "
                           "FROM audit_checkpoints WHERE position <= %s ORDER BY length",
                           (bound,))
    return {int(r[0]): Checkpoint(int(r[0]), int(r[1]), *r[2:]) for r in rows}


class _Walk:
    def __init__(self, public_key: Ed25519PublicKey, checkpoints: dict[int, Checkpoint]):
        self.public_key = public_key
        self.checkpoints = checkpoints
        self.verdict = Verdict(checkpoints=len(checkpoints))
        self.stored_link = GENESIS

    def finding(self, kind: str, position: int, originator: Any, version: int,
                detail: str) -> None:
        self.verdict.findings.append(Finding(kind, position, str(originator), version, detail))

    def chained(self, row: _Row, event_record: bytes | None) -> None:
        if event_record is None:
            self.finding("deleted", row.position, row.originator_id, row.originator_version,
                         "the chained event is missing from the events table")
        elif event_record != row.record_hash:
            self.finding("altered", row.position, row.originator_id, row.originator_version,
                         "the stored event does not hash to the value chained when it was "
                         "stored")
        if link(self.stored_link, row.record_hash) != row.chain_hash:
            self.finding("chain_broken", row.position, row.originator_id,
                         row.originator_version, "this chain row does not link to its "
                         "predecessor: the chain table was edited")
        self.stored_link = row.chain_hash
        self.verdict.chain_head = row.position
        checkpoint = self.checkpoints.pop(row.position, None)
        if checkpoint is not None:
            self.signed(checkpoint, row)

    def signed(self, checkpoint: Checkpoint, row: _Row) -> None:
        try:
            self.public_key.verify(bytes.fromhex(checkpoint.signature), checkpoint.message())
        except (InvalidSignature, ValueError):
            self.finding("bad_signature", row.position, row.originator_id,
                         row.originator_version, "the checkpoint signature does not verify "
                         "under the unit's key")
            return
        if checkpoint.chain_hash != row.chain_hash.hex():
            self.finding("checkpoint_mismatch", row.position, row.originator_id,
                         row.originator_version, "the chain here differs from the signed "
                         "checkpoint: events and chain were rewritten after the previous "
                         "good checkpoint")
            return
        self.verdict.signed_head = row.position


def verify(source: EventSource, views: ViewDatabase, public_key: Ed25519PublicKey) -> Verdict:
    """Walks the events table and the chain side by side, in position order, up to the
    furthest position of either when it starts (what is stored later waits for next time;
    a chain longer than the events table means events were removed from its end)."""
    events_head = source.head()
    with views.reading() as tx:
        top = tx.fetchone("SELECT MAX(position) FROM audit_chain")
    chain_head = int(top[0]) if top and top[0] is not None else 0
    bound = max(events_head, chain_head)
    walk = _Walk(public_key, _checkpoints(views, bound))
    events = (e for e in source.all(PAGE) if e.position <= bound)
    rows = _chain_rows(views, bound)
    event = next(events, None)
    row = next(rows, None)
    while event is not None or row is not None:
        if row is not None and (event is None or row.position < event.position):
            walk.chained(row, None)
            row = next(rows, None)
            continue
        assert event is not None
        walk.verdict.checked += 1
        n = event.notification
        if row is not None and row.position == event.position:
            walk.chained(row, record_hash(n))
            row = next(rows, None)
        elif row is not None:
            walk.finding("inserted", event.position, n.originator_id, n.originator_version,
                         "this event is not in the chain, which passed its position")
        else:
            walk.verdict.unchained += 1
        event = next(events, None)
    for checkpoint in walk.checkpoints.values():
        walk.finding("checkpoint_mismatch", checkpoint.position, "-", 0,
                     "a signed checkpoint names a position that is no longer chained: chain "
                     "rows (and their events) were removed")
    walk.verdict.findings.sort(key=lambda f: f.position)
    return walk.verdict
