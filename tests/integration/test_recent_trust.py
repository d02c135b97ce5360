"""Sessions and terminal keys confirmed moments ago are answered from memory. A sign-out
or a revocation takes effect at once in the process that made it, and within the recheck
window in any other worker process; an expired session is never answered from memory."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.application import terminals as terminals_module
from ledger.application import users as users_module
from ledger.application.bootstrap import Ledger
from ledger.domain.errors import Unauthenticated
from pos_terminal.signing import public_key_b64, sign
from tests.factories import ADMIN, ManualClock

KEY = Ed25519PrivateKey.generate()
PASSWORD = "una-clave-larga-1"


class Later:
    """monotonic(), moved on by hand: the recheck windows are real seconds."""

    def __init__(self, real: float) -> None:
        self.now = real

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> Later:
    clock = Later(1_000.0)
    monkeypatch.setattr(users_module, "monotonic", clock)
    return clock


def signed_in(ledger: Ledger) -> str:
    ledger.users.create(username="cajera", password=PASSWORD, role="clerk", actor=ADMIN)
    token, _, _ = ledger.users.sign_in("cajera", PASSWORD)
    return token


def test_a_sign_out_elsewhere_is_honoured_once_the_window_passes(
        ledger: Ledger, second_ledger: Ledger, later: Later) -> None:
    token = signed_in(ledger)
    assert ledger.users.principal_for(token) is not None  # confirmed: now in memory
    second_ledger.users.sign_out(token)
    assert ledger.users.recent_principal(token) is not None  # within the window
    later.now += users_module.SESSION_RECHECK_SECONDS + 0.1
    assert ledger.users.recent_principal(token) is None
    assert ledger.users.principal_for(token) is None


def test_a_sign_out_in_the_same_process_is_at_once(ledger: Ledger, later: Later) -> None:
    token = signed_in(ledger)
    assert ledger.users.principal_for(token) is not None
    ledger.users.sign_out(token)
    assert ledger.users.recent_principal(token) is None
    assert ledger.users.principal_for(token) is None


def test_an_expired_session_is_never_answered_from_memory(
        ledger: Ledger, clock: ManualClock, later: Later) -> None:
    token = signed_in(ledger)
    assert ledger.users.principal_for(token) is not None
    clock.advance(hours=ledger.users.session_hours, minutes=1)
    assert ledger.users.recent_principal(token) is None
    assert ledger.users.principal_for(token) is None


def verify(ledger: Ledger, clock: ManualClock) -> str:
    headers = sign(KEY, "POS-1", "GET", "/commissary/ppl/P-1", b"", clock.now())
    return ledger.terminals.verify(
        terminal_id=headers["X-Terminal-Id"], timestamp=headers["X-Terminal-Timestamp"],
        nonce=headers["X-Terminal-Nonce"], signature=headers["X-Terminal-Signature"],
        method="GET", path="/commissary/ppl/P-1", body=b"")


def test_a_revocation_elsewhere_is_honoured_once_the_window_passes(
        ledger: Ledger, second_ledger: Ledger, clock: ManualClock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    later = Later(1_000.0)
    monkeypatch.setattr(terminals_module, "monotonic", later)
    ledger.terminals.register(terminal_id="POS-1", name="Caja", public_key=public_key_b64(KEY),
                              actor=ADMIN, request=None)
    assert verify(ledger, clock) == "POS-1"  # the key is now trusted from memory
    second_ledger.terminals.revoke("POS-1", "robada", ADMIN, None)
    with pytest.raises(Unauthenticated) as there:
        verify(second_ledger, clock)
    assert there.value.code == "terminal_not_trusted"  # at once where it was revoked
    assert verify(ledger, clock) == "POS-1"  # within the window elsewhere
    later.now += terminals_module.TRUST_RECHECK_SECONDS + 0.1
    with pytest.raises(Unauthenticated) as here:
        verify(ledger, clock)
    assert here.value.code == "terminal_not_trusted"
