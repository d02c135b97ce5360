"""Seen nonces are kept long enough to refuse any replay of a fresh signature, and
swept afterwards so the table does not grow without end."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.application.bootstrap import Ledger
from ledger.domain.errors import Unauthenticated
from pos_terminal.signing import public_key_b64, sign
from tests.factories import ADMIN, ManualClock

KEY = Ed25519PrivateKey.generate()


def verify(ledger: Ledger, headers: dict[str, str]) -> str:
    return ledger.terminals.verify(
        terminal_id=headers["X-Terminal-Id"], timestamp=headers["X-Terminal-Timestamp"],
        nonce=headers["X-Terminal-Nonce"], signature=headers["X-Terminal-Signature"],
        method="GET", path="/commissary/ppl/P-1", body=b"")


def nonces(ledger: Ledger) -> int:
    row = ledger.ctx.side.fetchone("SELECT COUNT(*) FROM terminal_nonces")
    return int(row[0]) if row else 0


def test_a_replay_is_refused_while_fresh_and_old_nonces_are_swept(
    ledger: Ledger, clock: ManualClock,
) -> None:
    ledger.terminals.register(terminal_id="POS-1", name="Economato", public_key=public_key_b64(KEY),
                              actor=ADMIN, request=None)
    first = sign(KEY, "POS-1", "GET", "/commissary/ppl/P-1", b"", clock.now())
    assert verify(ledger, first) == "POS-1"
    with pytest.raises(Unauthenticated) as replay:
        verify(ledger, first)
    assert replay.value.code == "terminal_signature_replayed"
    clock.advance(minutes=5)  # past the freshness window: the old nonce is useless now
    verify(ledger, sign(KEY, "POS-1", "GET", "/commissary/ppl/P-1", b"", clock.now()))
    assert nonces(ledger) == 1
    with pytest.raises(Unauthenticated) as stale:
        verify(ledger, first)
    assert stale.value.code == "terminal_signature_stale"
