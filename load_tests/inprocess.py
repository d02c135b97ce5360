"""What the benchmark measures without HTTP: raw INSERTs from Python, the application
services called directly from threads, and a PPL with ten years of weekly activity."""

from __future__ import annotations

import itertools
import statistics
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from ledger.application.bootstrap import Ledger
from ledger.domain.actor import Actor, Role
from ledger.domain.errors import LedgerError
from load_tests.population import _conninfo

PAYROLL = Actor(user_id="bench-payroll", role=Role.PAYROLL_OFFICER)
DESK = Actor(user_id="bench-desk", role=Role.DEPOSIT_DESK)
CLERK = Actor(user_id="bench-clerk", role=Role.CLERK)


def drive(name: str, threads: int, seconds: float, call: Callable[[int], Any],
          max_calls: int | None = None) -> dict[str, Any]:
    """Calls `call(i)` from `threads` threads until `seconds` pass or `max_calls` were
    made (or `call` returns False: nothing left). Domain refusals count as failures."""
    counter = itertools.count()
    lock = threading.Lock()
    latencies: list[float] = []
    failures: dict[str, int] = {}
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        mine: list[float] = []
        while time.perf_counter() < deadline:
            with lock:
                index = next(counter)
            if max_calls is not None and index >= max_calls:
                break
            started = time.perf_counter()
            try:
                if call(index) is False:
                    break
            except LedgerError as error:
                with lock:
                    failures[error.code] = failures.get(error.code, 0) + 1
                continue
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)

    started, cpu = time.perf_counter(), time.process_time()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 2) \
            if ordered else 0.0

    return {"name": name, "threads": threads, "seconds": round(elapsed, 2),
            "ok": len(ordered), "failures": sum(failures.values()), "refusals": failures,
            "per_s": round(len(ordered) / elapsed, 1) if elapsed else 0.0,
            "p50_ms": pct(50), "p99_ms": pct(99),
            "cpu_ms_per_call": round(1000 * cpu / max(len(ordered), 1), 3)}


def raw_inserts(url: str, schema: str, *, threads: int, seconds: float,
                lock_table: bool = False) -> dict[str, Any]:
    """One INSERT per transaction from Python/psycopg, each thread its own connection.
    With `lock_table`, each transaction first takes the EXCLUSIVE table lock, as
    eventsourcing's PostgreSQL recorder does to keep notification ids in commit order."""
    conninfo = _conninfo(url) + f" options='-c search_path={schema}'"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS raw_inserts (id BIGSERIAL PRIMARY KEY, "
                     "at TIMESTAMPTZ NOT NULL DEFAULT now(), body TEXT NOT NULL)")
    connections = [psycopg.connect(conninfo, autocommit=True) for _ in range(threads)]
    local = threading.local()
    ids = itertools.count()

    def insert(index: int) -> None:
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = connections[next(ids)]
        if lock_table:
            with conn.transaction():
                conn.execute("LOCK TABLE raw_inserts IN EXCLUSIVE MODE")
                conn.execute("INSERT INTO raw_inserts (body) VALUES (%s)", (f"row {index}",))
        else:
            conn.execute("INSERT INTO raw_inserts (body) VALUES (%s)", (f"row {index}",))

    try:
        label = f"raw insert, {threads} conn" + (", table lock" if lock_table else "")
        return drive(label, threads, seconds, insert)
    finally:
        for conn in connections:
            conn.close()


class SteppedClock:
    """A clock the history builder moves week by week."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current


def ten_years(ledger: Ledger, clock: SteppedClock, number: str, depositor_id: str,
              weeks: int = 520) -> int:
    """A PPL with `weeks` weeks of activity (a wage, a deposit and a phone recharge each
    week), stamped in the past. Returns the number of money events written."""
    start = clock.current
    written = 0
    for week in range(weeks):
        clock.current = start + timedelta(weeks=week)
        iso = clock.current.isocalendar()
        ledger.funds.pay_wage(number=number, employer="Cocina",
                              period=f"{iso.year}-W{iso.week:02d}", hours=30,
                              gross_minor=120_000, currency="UYU", actor=PAYROLL,
                              request=None)
        ledger.deposits.record(number=number, depositor_id=depositor_id, amount_minor=50_000,
                               currency="UYU", channel="cash_desk", external_reference="",
                               actor=DESK, request=None)
        ledger.funds.recharge_phone_card(number=number, amount_minor=20_000, currency="UYU",
                                         actor=CLERK, request=None)
        written += 3
    clock.current = datetime.now(tz=UTC)
    return written


def time_calls(call: Callable[[], Any], repeat: int) -> dict[str, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}
