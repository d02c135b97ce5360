"""`python -m load_tests.run`: one load run, start to verdict.

1. builds a fresh unit (its own PostgreSQL schema): N PPL with funds, terminals, a price
   list, and an open order for half of them (the delivery run confirms those);
2. starts the real server (uvicorn, one worker) on loopback;
3. runs locust headless, bounded in time, with the chosen user classes;
4. stops the server and checks, from the store, that money was conserved and that every
   acknowledged request was applied exactly once (load_tests/checks.py);
5. prints the results and writes them as JSON (requests/s, p50/p95/p99, failures, checks).

Exit status 1 on any failed request or any breach."""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ledger.application.bootstrap import bootstrap
from load_tests import checks, population
from load_tests.server import ROOT, serve

SCENARIOS = {
    "mixed": ["DeliveryRun", "FamilyDeposits", "PayrollImport", "Auditors", "MixedDay"],
    "delivery": ["DeliveryRun"],
    "deposits": ["FamilyDeposits"],
    "payroll": ["PayrollImport"],
    "auditors": ["Auditors"],
    "day": ["MixedDay"],
}


def options(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m load_tests.run",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), default="mixed")
    parser.add_argument("--ppl", type=int, default=2000)
    parser.add_argument("--users", type=int, default=32, help="concurrent locust users")
    parser.add_argument("--spawn-rate", type=float, default=32)
    parser.add_argument("--seconds", type=int, default=30, help="how long the load runs")
    parser.add_argument("--batch", choices=["0", "1"], default="1",
                        help="LEDGER_BATCH_COMMITS for the server")
    parser.add_argument("--store", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "load" / "latest.json")
    parser.add_argument("--work-root", type=Path, default=ROOT / "var" / "load",
                        help="where each run keeps its logs, population and acks")
    parser.add_argument("--keep", action="store_true", help="keep the store afterwards")
    return parser.parse_args(argv)


def _stats(prefix: Path) -> dict[str, Any]:
    rows = list(csv.DictReader((prefix.parent / f"{prefix.name}_stats.csv").open()))

    def row(r: dict[str, str]) -> dict[str, Any]:
        return {"requests": int(r["Request Count"]), "failures": int(r["Failure Count"]),
                "rps": round(float(r["Requests/s"]), 1), "p50_ms": float(r["50%"] or 0),
                "p95_ms": float(r["95%"] or 0), "p99_ms": float(r["99%"] or 0)}

    return {"total": next(row(r) for r in rows if r["Name"] == "Aggregated"),
            "by_request": {f"{r['Type']} {r['Name']}": row(r) for r in rows
                           if r["Name"] != "Aggregated"}}


def run(args: argparse.Namespace) -> dict[str, Any]:
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%S")
    work = args.work_root / f"{stamp}-{args.scenario}-{os.getpid()}"
    base_url = "sqlite" if args.store == "sqlite" else None
    started = time.perf_counter()
    pop = population.create(work, ppl=args.ppl, terminals=max(args.users, 1),
                            orders_for=args.ppl // 2, base_url=base_url)
    setup_seconds = time.perf_counter() - started
    try:
        pop_file = work / "population.json"
        pop.save(pop_file)
        ledger = bootstrap(pop.settings())
        try:
            begun = checks.start(ledger, pop.numbers)
        finally:
            ledger.close()
        acks_file, prefix = work / "acks.jsonl", work / "locust"
        env = pop.server_env(LEDGER_BATCH_COMMITS=args.batch)
        with serve("api.app:create_app", env, work / "server.log") as server:
            cpu = server.cpu_seconds()
            command = [sys.executable, "-m", "locust", "-f", str(ROOT / "load_tests" /
                       "locustfile.py"), "--headless", "-u", str(args.users), "-r",
                       str(args.spawn_rate), "-t", f"{args.seconds}s", "--host", server.base,
                       "--csv", str(prefix), "--only-summary", "--stop-timeout", "5",
                       "--exit-code-on-error", "0", *SCENARIOS[args.scenario]]
            locust_env = {**os.environ, "LEDGER_LOAD_POPULATION": str(pop_file),
                          "LEDGER_LOAD_ACKS": str(acks_file)}
            with (work / "locust.log").open("wb") as log:
                subprocess.run(command, cwd=ROOT, env=locust_env, stdout=log,
                               stderr=subprocess.STDOUT, check=True,
                               timeout=args.seconds + 120)
            server_cpu = server.cpu_seconds() - cpu
        stats = _stats(prefix)
        acks = [json.loads(line) for line in acks_file.read_text().splitlines() if line]
        ledger = bootstrap(pop.settings())
        try:
            verdict = checks.check(ledger, pop.numbers, acks, begun,
                                   failures=stats["total"]["failures"])
        finally:
            ledger.close()
    finally:
        if not args.keep:
            population.drop(pop)
    total = stats["total"]
    return {
        "scenario": args.scenario, "users": args.users, "seconds": args.seconds,
        "ppl": args.ppl, "batch_commits": args.batch == "1", "store": args.store,
        "setup_seconds": round(setup_seconds, 1), "finished_at": datetime.now(tz=UTC)
        .isoformat(), "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg()},
        "server_cpu_ms_per_request": round(1000 * server_cpu / max(total["requests"], 1), 3),
        "requests": total["requests"], "failures": total["failures"], "rps": total["rps"],
        "p50_ms": total["p50_ms"], "p95_ms": total["p95_ms"], "p99_ms": total["p99_ms"],
        "by_request": stats["by_request"], "checks": verdict, "work_dir": str(work),
    }


def report(result: dict[str, Any]) -> None:
    print(f"scenario {result['scenario']}: {result['users']} users for {result['seconds']} s "
          f"on {result['ppl']} PPL (batched commits {'on' if result['batch_commits'] else 'off'}"
          f", {result['store']})")
    print(f"{'request':<52} {'count':>7} {'fail':>5} {'req/s':>8} {'p50':>6} {'p95':>6} "
          f"{'p99':>6}")
    rows = [*result["by_request"].items(), ("TOTAL", {
        k: result[k] for k in ("requests", "failures", "rps", "p50_ms", "p95_ms", "p99_ms")})]
    for name, r in rows:
        print(f"{name[:52]:<52} {r['requests']:>7} {r['failures']:>5} {r['rps']:>8.1f} "
              f"{r['p50_ms']:>6.0f} {r['p95_ms']:>6.0f} {r['p99_ms']:>6.0f}")
    verdict = result["checks"]
    print(f"acknowledged writes {verdict['acknowledged_writes']} "
          f"{verdict['acknowledged_by_kind']}; sum of balances changed by "
          f"{verdict['sum_of_balances_change_minor']} (acknowledged: "
          f"{verdict['expected_from_acknowledged_minor']}); trial balance "
          f"{'balanced' if verdict['trial_balance']['balanced'] else 'NOT balanced'}")
    print("conservation: OK" if not verdict["breaches"] else
          "BREACHES:\n  " + "\n  ".join(verdict["breaches"][:20]))


def main(argv: list[str] | None = None) -> None:
    args = options(argv)
    result = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))
    report(result)
    print(f"results: {args.out}")
    sys.exit(1 if result["failures"] or result["checks"]["breaches"] else 0)


if __name__ == "__main__":
    main()
