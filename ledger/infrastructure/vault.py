"""Personal data sealed under each person's own key (crypto-shredding).

The sealed text lives in the person's events; the person's key lives in `person_keys`,
wrapped by the unit's vault key. Erasure deletes the key row: the events stay, the money
history stays whole, and the personal data can never be read again."""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ledger.infrastructure.sidestore import SideStore

ERASED = {"name": "(datos eliminados)", "document": "", "contact": ""}


class Vault:
    def __init__(self, store: SideStore, vault_key: bytes) -> None:
        self._store = store
        self._wrapper = AESGCM(vault_key)

    def seal(self, person_id: str, data: dict[str, Any]) -> str:
        person_key = AESGCM.generate_key(bit_length=256)
        nonce = os.urandom(12)
        wrapped = nonce + self._wrapper.encrypt(nonce, person_key, person_id.encode())
        self._store.execute(
            "INSERT INTO person_keys (person_id, wrapped_key) VALUES (%s, %s)",
            (person_id, base64.b64encode(wrapped).decode()),
        )
        nonce = os.urandom(12)
        sealed = nonce + AESGCM(person_key).encrypt(
            nonce, json.dumps(data).encode(), person_id.encode()
        )
        return base64.b64encode(sealed).decode()

    def open(self, person_id: str, sealed: str) -> dict[str, Any]:
        row = self._store.fetchone(
            "SELECT wrapped_key FROM person_keys WHERE person_id = %s", (person_id,)
        )
        if row is None or not sealed:
            return dict(ERASED)
        wrapped = base64.b64decode(row[0])
        try:
            person_key = self._wrapper.decrypt(wrapped[:12], wrapped[12:], person_id.encode())
            raw = base64.b64decode(sealed)
            plain = AESGCM(person_key).decrypt(raw[:12], raw[12:], person_id.encode())
        except InvalidTag:
            return dict(ERASED)
        return dict(json.loads(plain))

    def erase(self, person_id: str) -> bool:
        return self._store.execute("DELETE FROM person_keys WHERE person_id = %s", (person_id,)) > 0
