"""Locust scenarios, one user class per actor of the unit. Run headless by
`python -m load_tests.run` (which builds the unit, starts the server and checks the money
afterwards); the population file and the acknowledgement log come from the environment:

  LEDGER_LOAD_POPULATION  JSON written by load_tests.population (numbers, orders, keys)
  LEDGER_LOAD_ACKS        where every acknowledged write is logged, for the checks

Clerks sign every commissary request with their terminal's Ed25519 key, as a POS does,
and now and then resend a request with the same Idempotency-Key (a dropped answer on the
prison network): the replay must be the first answer, marked Idempotent-Replayed."""

from __future__ import annotations

import json
import os
import random
import threading
import uuid
from collections import deque
from pathlib import Path
from typing import Any

from locust import FastHttpUser, between, events, task

from ledger.domain.ids import user_id
from load_tests.population import Population
from load_tests.scenarios import ORDER_LINES, SALE_LINES
from pos_terminal.signing import sign

POPULATION = Population.load(Path(os.environ["LEDGER_LOAD_POPULATION"]))
ACKS: list[dict[str, Any]] = []
RETRY_SHARE = 0.05  # share of writes resent with the same key
THINK = between(0.0, 0.05)
_lock = threading.Lock()
# Each pre-placed order is confirmed once; the other half of the PPL can place one order.
TO_DELIVER: deque[str] = deque(POPULATION.orders)
HALF = len(POPULATION.orders)
TO_PLACE: deque[str] = deque(POPULATION.numbers[HALF:] if HALF else [])
_terminals = iter(range(10**9))


@events.quitting.add_listener
def _write_acks(**_: Any) -> None:
    path = os.environ.get("LEDGER_LOAD_ACKS")
    if path:
        Path(path).write_text("\n".join(json.dumps(a) for a in ACKS))


def _pick() -> tuple[str, str]:
    i = random.randrange(len(POPULATION.numbers))
    return POPULATION.numbers[i], POPULATION.depositor_ids[i]


class Actor(FastHttpUser):
    """Signs in as its user; writes carry an Idempotency-Key and are logged when acked."""

    abstract = True
    wait_time = THINK
    username = ""
    lines_per_file = 20  # payroll lines per imported file
    terminal = ""  # the POS terminal a clerk signs with

    def on_start(self) -> None:
        answer = self.client.post("/auth/sessions", json={"username": self.username,
                                                          "password": POPULATION.password})
        self.token = answer.json()["token"]
        self.scope_username = self.username

    def headers(self, key: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json",
                   "Content-Type": "application/json"}
        if key:
            headers["Idempotency-Key"] = key
        return headers

    def write(self, name: str, path: str, body: bytes, kind: str, facts: dict[str, Any],
              *, signed: bool = False, content_type: str = "application/json") -> Any:
        """One state-changing request; sometimes resent with the same key, which must
        replay the first answer exactly."""
        key = uuid.uuid4().hex
        first = self._send(name, path, body, key, signed, content_type)
        if first is None:
            return None
        if random.random() < RETRY_SHARE:
            again = self._send(f"{name} (retry, same key)", path, body, key, signed,
                               content_type, expect_replay=first)
            if again is None:
                return None
        # the key's scope, as the API sets it: the terminal for signed requests (it owns
        # its offline queue), otherwise the signed-in user
        scope = f"terminal:{self.terminal}" if signed else str(user_id(self.scope_username))
        with _lock:
            ACKS.append({"kind": kind, "username": self.scope_username, "scope": scope,
                         "key": key, "status": first[0], "body": first[1], **facts})
        return first[1]

    def _send(self, name: str, path: str, body: bytes, key: str, signed: bool,
              content_type: str, expect_replay: tuple[int, Any] | None = None
              ) -> tuple[int, Any] | None:
        headers = self.headers(key) | {"Content-Type": content_type}
        if signed:
            terminal = self.terminal
            headers |= sign(POPULATION.terminal_key(terminal), terminal, "POST", path, body)
        with self.client.post(path, data=body, headers=headers, name=name,  # type: ignore[arg-type]
                              catch_response=True) as response:
            if not 200 <= response.status_code < 300:
                response.failure(f"{response.status_code} {response.text[:200]}")
                return None
            answer = (response.status_code, response.json())
            if expect_replay is not None:
                replayed = response.headers.get("idempotent-replayed", "").lower() == "true"
                if not replayed or answer != expect_replay:
                    response.failure("a retry with the same key did not replay the answer")
                    return None
            response.success()
            return answer

    def read(self, name: str, path: str, *, signed: bool = False) -> None:
        headers = self.headers()
        if signed:
            headers |= sign(POPULATION.terminal_key(self.terminal), self.terminal, "GET", path,
                            b"")
        self.client.get(path, headers=headers, name=name)


class Clerk(Actor):
    """A commissary clerk at a POS terminal of the delivery run."""

    abstract = True
    username = "load-clerk"

    def on_start(self) -> None:
        super().on_start()
        terminals = sorted(POPULATION.terminals)
        self.terminal = terminals[next(_terminals) % len(terminals)]

    def confirm_delivery(self) -> None:
        with _lock:
            order_id = TO_DELIVER.popleft() if TO_DELIVER else None
        if order_id is None:
            return self.walk_up_sale()
        self.write("/commissary/orders/{id}/delivery",
                   f"/commissary/orders/{order_id}/delivery", b"{}", "delivery",
                   {"order_id": order_id}, signed=True)
        return None

    def place_order(self) -> None:
        with _lock:
            number = TO_PLACE.popleft() if TO_PLACE else None
        if number is None:
            return self.walk_up_sale()
        payload = json.dumps({"penitentiary_number": number, "lines": ORDER_LINES}).encode()
        self.write("/commissary/orders", "/commissary/orders", payload, "order",
                   {"number": number}, signed=True)
        return None

    def walk_up_sale(self) -> None:
        number, _ = _pick()
        payload = json.dumps({"penitentiary_number": number, "lines": SALE_LINES}).encode()
        self.write("/commissary/sales", "/commissary/sales", payload, "sale",
                   {"number": number}, signed=True)

    def phone_recharge(self) -> None:
        number, _ = _pick()
        payload = json.dumps({"amount_minor": 500, "currency": "UYU"}).encode()
        self.write("/ppl/{n}/phone-recharges", f"/ppl/{number}/phone-recharges", payload,
                   "recharge", {"number": number, "amount_minor": 500})

    def overview(self) -> None:
        number, _ = _pick()
        self.read("/commissary/ppl/{n}", f"/commissary/ppl/{number}", signed=True)


class DeliveryRun(Clerk):
    """The weekly delivery run: terminals confirming the sector's orders, with walk-up
    sales, new orders for next week, phone cards and look-ups in between."""

    @task(6)
    def t_confirm_delivery(self) -> None:
        self.confirm_delivery()

    @task(2)
    def t_walk_up_sale(self) -> None:
        self.walk_up_sale()

    @task(2)
    def t_place_order(self) -> None:
        self.place_order()

    @task(1)
    def t_phone_recharge(self) -> None:
        self.phone_recharge()

    @task(1)
    def t_overview(self) -> None:
        self.overview()


class FamilyDeposits(Actor):
    """The deposit desk recording families' cash deposits."""

    username = "load-desk"

    @task
    def deposit(self) -> None:
        number, depositor = _pick()
        amount = random.choice([1_000, 5_000, 20_000])
        payload = json.dumps({"depositor_id": depositor, "amount_minor": amount,
                              "currency": "UYU", "channel": "cash_desk",
                              "external_reference": "ventanilla"}).encode()
        self.write("/ppl/{n}/deposits", f"/ppl/{number}/deposits", payload, "deposit",
                   {"number": number, "amount_minor": amount})


class PayrollImport(Actor):
    """The payroll officer importing the week's payroll file (CSV)."""

    username = "load-payroll"
    wait_time = between(0.2, 0.5)

    @task
    def import_file(self) -> None:
        employer = f"Taller-{uuid.uuid4().hex[:8]}"
        numbers = random.sample(POPULATION.numbers, min(self.lines_per_file,
                                                        len(POPULATION.numbers)))
        rows = ["penitentiary_number,employer,period,hours,gross_minor,currency"]
        rows += [f"{n},{employer},2026-W47,30,100000,UYU" for n in numbers]
        self.write("/payroll/imports", "/payroll/imports", "\n".join(rows).encode(),
                   "payroll", {"gross_minor": 100_000, "lines": len(numbers)},
                   content_type="text/csv")


class Auditors(Actor):
    """Auditors reading statements, balances and the unit's trial balance, at a person's
    pace (the trial balance reads the whole log: a few a minute, not a few a second)."""

    username = "load-auditor"
    wait_time = between(1.0, 3.0)

    @task(4)
    def balance(self) -> None:
        number, _ = _pick()
        self.read("/ppl/{n}/balance", f"/ppl/{number}/balance")

    @task(2)
    def statement(self) -> None:
        number, _ = _pick()
        self.read("/ppl/{n}/statement", f"/ppl/{number}/statement?from=2026-01-01"
                  "&to=2030-12-31")

    @task(1)
    def trial_balance(self) -> None:
        self.read("/reports/trial-balance", "/reports/trial-balance")


class MixedDay(DeliveryRun):
    """A whole day at once: the delivery run, the deposit desk, payroll and audits, in
    the proportions of a delivery day; one user signed in as each actor."""

    weight = 1

    def on_start(self) -> None:
        super().on_start()
        self.tokens = {"load-clerk": self.token}
        for username in ("load-desk", "load-payroll", "load-auditor"):
            answer = self.client.post("/auth/sessions", json={
                "username": username, "password": POPULATION.password})
            self.tokens[username] = answer.json()["token"]

    def as_user(self, username: str) -> None:
        self.token, self.scope_username = self.tokens[username], username

    @task(3)
    def t_deposit(self) -> None:
        self.as_user("load-desk")
        FamilyDeposits.deposit(self)  # type: ignore[arg-type]
        self.as_user("load-clerk")

    @task(1)
    def t_payroll(self) -> None:
        self.as_user("load-payroll")
        PayrollImport.import_file(self)  # type: ignore[arg-type]
        self.as_user("load-clerk")

    @task(2)
    def t_audit(self) -> None:
        self.as_user("load-auditor")
        random.choice([Auditors.balance, Auditors.statement])(self)  # type: ignore[arg-type]
        self.as_user("load-clerk")
