"""`python -m load_tests.bench` (or `ledger bench`): the ledger against the bare stack, in
ONE run, on one PostgreSQL, with the same uvicorn settings and the same load generator.

  raw    one INSERT per transaction from Python/psycopg (1 and 8 connections; 8 with the
         table lock eventsourcing's recorder takes)
  (a)    a bare Litestar endpoint: one INSERT per request through an async psycopg pool
  naive  an eventsourcing endpoint done plainly: load by replay, apply, save
  (b)    the real API's write paths: order placement, delivery confirmation (signed POS
         requests), walk-up sales, deposits, phone recharges; batching off and on
  (c)    a balance read; a ten-year statement
  (d)    the same commands as service calls, without HTTP; batching off and on
  (e)    each projection's rebuild against a plain SELECT of the events table, decrypted
         and decoded

It prints a table of ratios and writes everything to JSON (default var/bench/latest.json).
Targets are reported, never asserted. Every phase is bounded in time and count."""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import psycopg

from ledger.application.bootstrap import bootstrap
from ledger.application.idempotency import IdempotentRequest
from ledger.infrastructure.keys import load_key_file
from load_tests import inprocess, population
from load_tests.httpgen import run as run_http
from load_tests.naive_app import NaiveBank, naive_env
from load_tests.scenarios import ORDER_LINES, SALE_LINES, build
from load_tests.server import ROOT, Server, serve
from projections.source import EventSource

GROUPS = ("http-off", "http-on", "http-paced", "http-clerk", "svc-off", "svc-on")
PACED_SHARE = 0.5  # the paced phases offer this share of the closed-loop rate
# A clerk at a delivery run confirms a bag every few seconds; the "clerk pace" phases have
# every terminal send one request every CLERK_SECONDS (64 terminals: 32 requests/s).
CLERK_SECONDS = 2.0


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ledger bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--group", type=int, default=1200,
                        help="PPL per placement/delivery group (12 groups are created)")
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each phase")
    parser.add_argument("--connections", type=int, default=64,
                        help="concurrent HTTP connections (terminals)")
    parser.add_argument("--threads", type=int, default=32, help="threads for service calls")
    parser.add_argument("--naive-accounts", type=int, default=2000)
    parser.add_argument("--naive-history", type=int, default=20,
                        help="events each naive account starts with")
    parser.add_argument("--weeks", type=int, default=520, help="the long statement's weeks")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "latest.json")
    parser.add_argument("--keep", action="store_true", help="keep the schema afterwards")
    return parser.parse_args(argv)


def _machine() -> dict[str, Any]:
    import os

    load = os.getloadavg()
    with psycopg.connect(population._conninfo(population.pg_url())) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return {"host": platform.node(), "cpus": os.cpu_count(), "python": platform.python_version(),
            "postgres": row[0] if row else "?", "platform": platform.platform(),
            "load_average_at_start": [round(x, 2) for x in load],
            "uvicorn": _uvicorn_parts(),
            "note": "server, load generator and PostgreSQL share the same cores"}


def _uvicorn_parts() -> dict[str, str]:
    """What uvicorn's `auto` settings pick here, the same for every server compared."""
    import importlib.util

    return {"loop": "uvloop" if importlib.util.find_spec("uvloop") else "asyncio",
            "http": "httptools" if importlib.util.find_spec("httptools") else "h11"}


def _sign_in(base: str, pop: population.Population) -> dict[str, str]:
    names = {"clerk": "load-clerk", "desk": "load-desk", "auditor": "load-auditor"}
    tokens = {}
    for role, username in names.items():
        answer = httpx.post(f"{base}/auth/sessions",
                            json={"username": username, "password": pop.password}, timeout=30)
        answer.raise_for_status()
        tokens[role] = answer.json()["token"]
    return tokens


def _http(server: Server, spec: dict[str, Any], connections: int, seconds: float,
          max_requests: int | None = None, rate: float | None = None) -> dict[str, Any]:
    host, port = server.base.removeprefix("http://").split(":")
    cpu_before = server.cpu_seconds()
    full = {"host": host, "port": int(port), "connections": connections, "seconds": seconds,
            **spec}
    factory, on_answer, _ = build(full)
    result = asyncio.run(run_http(host, int(port), factory, name=spec["name"],
                                  connections=connections, seconds=seconds,
                                  max_requests=max_requests, on_answer=on_answer,
                                  rate=rate))
    summary = result.summary()
    cpu = server.cpu_seconds() - cpu_before
    summary["server_cpu_ms_per_request"] = round(1000 * cpu / max(summary["requests"], 1), 3)
    _say(f"  {summary['name']:<34} {summary['rps']:>8.1f} req/s  p50 {summary['p50_ms']:>7.1f}"
         f"  p99 {summary['p99_ms']:>7.1f} ms  cpu {summary['server_cpu_ms_per_request']:>6.2f}"
         f" ms/req  failures {summary['failures']}")
    return summary


def _say(text: str) -> None:
    print(text, flush=True)


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.work = ROOT / "var" / "bench" / datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%S")
        self.results: dict[str, Any] = {"machine": _machine(), "settings": {
            k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}}
        self.log = self.work / "servers.log"

    # ------------------------------------------------------------------ set-up
    def setup(self) -> None:
        g, n = self.args.group, len(GROUPS)
        _say(f"set-up: {2 * n * g} PPL, orders for {n * g}, a {self.args.weeks}-week "
             "history ...")
        started = time.perf_counter()
        self.pop = population.create(self.work, ppl=2 * n * g,
                                     terminals=self.args.connections, orders_for=n * g)
        numbers, orders = self.pop.numbers, self.pop.orders
        self.deliver = {name: orders[i * g:(i + 1) * g] for i, name in enumerate(GROUPS)}
        self.place = {name: numbers[(n + i) * g:(n + 1 + i) * g]
                      for i, name in enumerate(GROUPS)}
        self._long_history()
        self.schema = self.pop.schema
        self.results["setup"] = {"seconds": round(time.perf_counter() - started, 1),
                                 "ppl": len(numbers), "orders_preplaced": n * g}

    def _long_history(self) -> None:
        start = datetime.now(tz=UTC) - timedelta(weeks=self.args.weeks + 1)
        clock = inprocess.SteppedClock(start)
        ledger = bootstrap(self.pop.settings(), clock=clock)
        try:
            self.long_number = "L-10Y"
            ledger.admissions.admit(number=self.long_number, name="Diez Años",
                                    document="DOC-10Y", sector="A", regime="cerrado",
                                    admitted_at=None, actor=population.SETUP, request=None)
            depositor = ledger.depositors.register(
                name="Familia 10Y", document="FAM-10Y", relation="madre", contact="",
                actor=population.SETUP, request=None).body["depositor_id"]
            events = inprocess.ten_years(ledger, clock, self.long_number, depositor,
                                         self.args.weeks)
            first = start.date().isoformat()
            last = datetime.now(tz=UTC).date().isoformat()
            self.statement_range = (self.long_number, first, last)
            in_process = inprocess.time_calls(
                lambda: ledger.statements.statement(self.long_number, first, last), 5)
        finally:
            ledger.close()
        self.results["statement_in_process"] = {"events": events, **in_process}

    # ------------------------------------------------------------------ phases
    def raw(self) -> None:
        _say("raw INSERT from Python/psycopg")
        url, s = population.pg_url(), self.args.seconds / 2
        self.results["raw"] = [
            inprocess.raw_inserts(url, self.schema, threads=1, seconds=s),
            inprocess.raw_inserts(url, self.schema, threads=8, seconds=s),
            inprocess.raw_inserts(url, self.schema, threads=8, seconds=s, lock_table=True),
        ]
        for row in self.results["raw"]:
            _say(f"  {row['name']:<34} {row['per_s']:>8.1f} tx/s  "
                 f"cpu {row['cpu_ms_per_call']:>6.2f}"
                 " ms/tx")

    def bare(self) -> None:
        _say("(a) bare Litestar endpoint, one INSERT per request")
        env = {"LEDGER_BENCH_PG_URL": population.pg_url(), "LEDGER_BENCH_SCHEMA": self.schema}
        with serve("load_tests.bare_app:create_app", env, self.log) as server:
            _http(server, {"name": "warm-up", "kind": "bare_insert"}, 8, 1.0)
            self.results["bare"] = _http(server, {"name": "(a) bare insert", "kind": "bare_insert"},
                                         self.args.connections, self.args.seconds)

    def naive(self) -> None:
        _say(f"naive eventsourcing endpoint ({self.args.naive_accounts} accounts, "
             f"{self.args.naive_history} events each to start)")
        cipher = load_key_file(Path(self.pop.key_file)).cipher_key
        schema = f"{self.schema}_naive"
        env = naive_env(population.pg_url(), schema, cipher)
        with psycopg.connect(population._conninfo(population.pg_url()), autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        bank = NaiveBank(env=env)
        accounts = []
        for n in range(self.args.naive_accounts):
            account_id = bank.open(f"N-{n}")
            for _ in range(self.args.naive_history - 1):
                bank.deposit(account_id, 100)
            accounts.append(str(account_id))
        bank.close()
        server_env = {"LEDGER_BENCH_PG_URL": population.pg_url(), "LEDGER_BENCH_SCHEMA": schema,
                      "LEDGER_BENCH_CIPHER_KEY": cipher}
        with serve("load_tests.naive_app:create_app", server_env, self.log) as server:
            spec = {"name": "naive deposit", "kind": "naive_deposit", "accounts": accounts}
            _http(server, {**spec, "name": "warm-up"}, 8, 1.0)
            self.results["naive"] = _http(server, spec, self.args.connections, self.args.seconds)

    def api(self, batch: bool) -> None:
        label = "on" if batch else "off"
        _say(f"(b)(c) the real API, batched commits {label}")
        env = self.pop.server_env(LEDGER_BATCH_COMMITS="1" if batch else "0")
        c, s = self.args.connections, self.args.seconds
        with serve("api.app:create_app", env, self.log) as server:
            tokens = _sign_in(server.base, self.pop)
            common = {"tokens": tokens, "terminals": self.pop.terminals,
                      "numbers": self.pop.numbers, "depositor_ids": self.pop.depositor_ids}
            _http(server, {**common, "name": "warm-up", "kind": "balance"}, 8, 1.0)
            group = f"http-{label}"
            rows = [
                _http(server, {**common, "name": f"place order [{label}]", "kind": "place_order",
                             "numbers": self.place[group]}, c, s, len(self.place[group])),
                _http(server, {**common, "name": f"confirm delivery [{label}]", "kind": "deliver",
                             "orders": self.deliver[group]}, c, s, len(self.deliver[group])),
                _http(server, {**common, "name": f"walk-up sale [{label}]", "kind": "walk_up"},
                      c, s),
                _http(server, {**common, "name": f"deposit [{label}]", "kind": "deposit"}, c, s),
                _http(server, {**common, "name": f"phone recharge [{label}]", "kind": "recharge"},
                      c, s),
                _http(server, {**common, "name": f"balance read [{label}]", "kind": "balance"},
                      c, s),
                _http(server, {**common, "name": f"10-year statement [{label}]",
                             "kind": "statement", "statement": self.statement_range}, 1, s / 2),
                _http(server, {**common, "name": f"10-year statement, 4 readers [{label}]",
                             "kind": "statement", "statement": self.statement_range}, 4, s / 2),
            ]
            if batch:  # latency of 64 terminals that are not flat out: half the capacity,
                # and a clerk's pace
                for kind, key, row in (("place_order", "numbers", rows[0]),
                                       ("deliver", "orders", rows[1])):
                    name = row["name"].split(" [")[0]
                    for group, how, rate in (
                            ("http-paced", "paced", max(PACED_SHARE * row["rps"], 1.0)),
                            ("http-clerk", "clerk pace", c / CLERK_SECONDS)):
                        items = (self.place if kind == "place_order" else self.deliver)[group]
                        rows.append(_http(server, {**common, key: items, "kind": kind,
                                                   "name": f"{name} [{label}, {how} {rate:.0f}/s]"},
                                          c, s, len(items), rate=rate))
        self.results[f"api_{label}"] = {
            row["name"].split(" [")[0] + (" (paced)" if "paced" in row["name"] else "")
            + (" (clerk pace)" if "clerk pace" in row["name"] else ""): row
            for row in rows}

    def services(self, batch: bool) -> None:
        label = "on" if batch else "off"
        _say(f"(d) the same commands as service calls, batched commits {label}")
        ledger = bootstrap(self.pop.settings(batch_commits=batch))
        t, s = self.args.threads, self.args.seconds
        numbers, deps = self.pop.numbers, self.pop.depositor_ids
        place_numbers, orders = self.place[f"svc-{label}"], self.deliver[f"svc-{label}"]
        clerk = population.CLERK_SETUP

        def key() -> IdempotentRequest:
            return IdempotentRequest(scope="bench", key=uuid4().hex, fingerprint="bench")

        def pick(i: int) -> int:
            return (i * 7919) % len(numbers)

        try:
            ledger.statements.balances(numbers[0])  # warm the unit
            rows = [
                inprocess.drive(f"place order [{label}]", t, s, lambda i: ledger.commissary
                                .place_order(number=place_numbers[i], lines=ORDER_LINES,
                                             actor=clerk, request=key()),
                                len(place_numbers)),
                inprocess.drive(f"confirm delivery [{label}]", t, s, lambda i: ledger.commissary
                                .deliver(order_id=orders[i], delivered=None, run_sector=None,
                                         actor=clerk, request=key()), len(orders)),
                inprocess.drive(f"walk-up sale [{label}]", t, s, lambda i: ledger.commissary
                                .walk_up_sale(number=numbers[pick(i)], lines=SALE_LINES,
                                              actor=clerk, request=key())),
                inprocess.drive(f"deposit [{label}]", t, s, lambda i: ledger.deposits.record(
                    number=numbers[pick(i)], depositor_id=deps[pick(i)], amount_minor=1000,
                    currency="UYU", channel="cash_desk", external_reference="bench",
                    actor=inprocess.DESK, request=key())),
                inprocess.drive(f"phone recharge [{label}]", t, s, lambda i: ledger.funds
                                .recharge_phone_card(number=numbers[pick(i)], amount_minor=100,
                                                     currency="UYU", actor=clerk,
                                                     request=key())),
            ]
            if batch:
                self.results["batcher_stats_services"] = ledger.ctx.store.batcher.stats()
        finally:
            ledger.close()
        if batch:  # the same with a collecting window, against natural batching (none)
            windowed = bootstrap(self.pop.settings(batch_commits=True, batch_window_ms=1.0))
            try:
                rows.append(inprocess.drive(
                    "phone recharge [on, 1 ms window]", t, s, lambda i: windowed.funds
                    .recharge_phone_card(number=numbers[pick(i)], amount_minor=100,
                                         currency="UYU", actor=clerk, request=key())))
                self.results["batcher_stats_window"] = windowed.ctx.store.batcher.stats()
            finally:
                windowed.close()
        for row in rows:
            _say(f"  {row['name']:<34} {row['per_s']:>8.1f} cmd/s  p99 {row['p99_ms']:>7.1f} ms"
                 f"  cpu {row['cpu_ms_per_call']:>6.2f} ms/cmd  refused {row['failures']}")
        self.results[f"services_{label}"] = {
            row["name"].split(" [")[0] + (" (1 ms window)" if "window" in row["name"] else ""):
            row for row in rows}

    def projections(self) -> None:
        _say("(e) projection rebuild against a plain decrypt-and-decode read")
        ledger = bootstrap(self.pop.settings())
        try:
            source = EventSource(ledger.ctx.store)

            def plain_read() -> tuple[int, float]:
                started, count = time.perf_counter(), 0
                for recorded in source.all():
                    recorded.event  # noqa: B018 - decrypt, decompress, decode
                    count += 1
                return count, count / (time.perf_counter() - started)

            plain_read()  # warm: the comparison is between two warm reads
            count, plain = plain_read()
            rows = {"plain read": {"events": count, "events_per_s": round(plain, 1)}}
            read_side = ledger.read_side
            for name, runner in read_side.runners.items():
                if not runner.projection.rebuildable:
                    continue
                started = time.perf_counter()
                events = runner.rebuild()
                rate = events / (time.perf_counter() - started)
                rows[name] = {"events": events, "events_per_s": round(rate, 1),
                              "vs_plain": round(rate / plain, 2)}
        finally:
            ledger.close()
        for name, row in rows.items():
            _say(f"  {name:<34} {row['events_per_s']:>10.1f} events/s ({row['events']} events)")
        self.results["projections"] = rows

    # ------------------------------------------------------------------ report
    def report(self) -> None:
        r = self.results
        bare = r["bare"]["rps"] or 1.0
        naive = r["naive"]["rps"] or 1.0
        raw8 = next(x for x in r["raw"] if x["name"] == "raw insert, 8 conn")["per_s"] or 1.0
        on, off = r["api_on"], r["api_off"]
        son, soff = r["services_on"], r["services_off"]
        proj = r["projections"]
        plain = proj["plain read"]["events_per_s"] or 1.0
        rows: list[tuple[str, float, str, str]] = []

        def add(label: str, value: float, target: str, met: bool | None) -> None:
            verdict = "" if met is None else ("met" if met else "NOT met")
            rows.append((label, round(value, 2), target, verdict))

        for path in ("place order", "confirm delivery", "walk-up sale", "deposit",
                     "phone recharge"):
            ratio = on[path]["rps"] / bare
            target = ">= 1.0" if path in ("place order", "confirm delivery") else ""
            add(f"(b)/(a) {path}, batched", ratio, target, ratio >= 1.0 if target else None)
            add(f"(b)/(a) {path}, one tx per request", off[path]["rps"] / bare, "", None)
        for path in ("place order", "confirm delivery", "deposit"):
            ratio = on[path]["rps"] / naive
            add(f"ours/naive {path}, batched", ratio, ">= 5", ratio >= 5)
        for path in ("place order", "deposit", "phone recharge"):
            add(f"(d)/(raw insert x8) {path}, batched", son[path]["per_s"] / raw8, "", None)
            add(f"(d)/(raw insert x8) {path}, one tx", soff[path]["per_s"] / raw8, "", None)
            add(f"batched/unbatched service {path}",
                son[path]["per_s"] / max(soff[path]["per_s"], 1e-9), "", None)
        if "phone recharge (1 ms window)" in son:
            add("1 ms window / natural batching, service recharge",
                son["phone recharge (1 ms window)"]["per_s"]
                / max(son["phone recharge"]["per_s"], 1e-9), "", None)
        for name, row in proj.items():
            if name != "plain read":
                add(f"(e)/(plain read) {name}", row["events_per_s"] / plain, ">= 0.5",
                    row["events_per_s"] / plain >= 0.5)
        for path in ("place order", "confirm delivery"):
            p99 = on[path]["p99_ms"]
            add(f"p99 ms, {self.args.connections} terminals flat out, {path}", p99, "< 50",
                p99 < 50)
            for suffix, what in ((" (paced)", "at half capacity"),
                                 (" (clerk pace)", f"1 req/{CLERK_SECONDS:.0f} s each")):
                paced = on.get(path + suffix)
                if paced:
                    add(f"p99 ms, {self.args.connections} terminals {what} "
                        f"({paced['rps']:.0f}/s), {path}", paced["p99_ms"], "< 50",
                        paced["p99_ms"] < 50)
        stmt = r["statement_in_process"]["median_ms"]
        add(f"10-year statement ms, service ({r['statement_in_process']['events']} events)",
            stmt, "< 100", stmt < 100)
        http_stmt = on["10-year statement"]["p50_ms"]
        add("10-year statement ms, HTTP p50, one reader", http_stmt, "< 100", http_stmt < 100)
        add("10-year statement ms, HTTP p50, 4 readers",
            on["10-year statement, 4 readers"]["p50_ms"], "", None)
        r["ratios"] = [{"what": a, "value": b, "target": c, "verdict": d} for a, b, c, d in rows]
        _say("")
        _say(f"{'ratio':<58} {'value':>9}  {'target':<7} verdict")
        for label, value, target, verdict in rows:
            _say(f"{label:<58} {value:>9.2f}  {target:<7} {verdict}")
        _say(f"\nbare insert {bare:.0f} req/s; naive {naive:.0f} req/s; raw insert x8 "
             f"{raw8:.0f} tx/s; plain read {plain:.0f} events/s")

    def write(self) -> None:
        self.results["finished_at"] = datetime.now(tz=UTC).isoformat()
        self.args.out.parent.mkdir(parents=True, exist_ok=True)
        self.args.out.write_text(json.dumps(self.results, indent=1))
        (self.work / "bench.json").write_text(json.dumps(self.results, indent=1))
        _say(f"\nresults: {self.args.out}")

    def cleanup(self) -> None:
        if self.args.keep or not hasattr(self, "pop"):
            return
        population.drop(self.pop)
        with psycopg.connect(population._conninfo(population.pg_url()), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{self.pop.schema}_naive" CASCADE')
        (self.work / "keys.json").unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> None:
    bench = Bench(_args(argv))
    bench.results["started_at"] = datetime.now(tz=UTC).isoformat()
    try:
        bench.setup()
        bench.raw()
        bench.bare()
        bench.naive()
        bench.api(batch=False)
        bench.api(batch=True)
        bench.services(batch=False)
        bench.services(batch=True)
        bench.projections()
        bench.report()
        bench.write()
    finally:
        bench.cleanup()


if __name__ == "__main__":
    main()
