"""`python -m load_tests.national`: a simulated national load, scaled down, generated and
replayed, partitioned by unit.

Each unit is its own partition: its own store (a PostgreSQL schema), its own keys, its
own writer process. The generator gives every PPL a year of weekly activity, stamped
week by week in the past: a wage, a family deposit, a phone recharge, an order for the
next delivery and its delivery confirmation (five money events per PPL-week). All
units are generated at once, one process each, against the one PostgreSQL. Then each
unit's projections are rebuilt from its log (the replay), again one process per unit,
and a PPL's year statement and the unit's trial balance are read.

The full national figure (15 units x 2,000 PPL x 52 weeks, about 7.8 million money
events) is extrapolated from the measured rates; the scaled-down run is what is measured.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ledger.application.bootstrap import bootstrap
from ledger.domain.actor import Actor, Role
from ledger.domain.errors import LedgerError
from ledger.infrastructure.keys import create_key_file
from load_tests import population
from load_tests.inprocess import SteppedClock
from load_tests.server import ROOT

PAYROLL = Actor(user_id="sim-payroll", role=Role.PAYROLL_OFFICER)
DESK = Actor(user_id="sim-desk", role=Role.DEPOSIT_DESK)
CLERK = Actor(user_id="sim-clerk", role=Role.CLERK, terminal_id="POS-SIM")
EVENTS_PER_PPL_WEEK = 5
NATIONAL = {"units": 15, "ppl": 2000, "weeks": 52}


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m load_tests.national",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=3)
    parser.add_argument("--ppl", type=int, default=200, help="PPL per unit")
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--threads", type=int, default=16, help="writer threads per unit")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "national" / "latest.json")
    parser.add_argument("--keep", action="store_true")
    return parser.parse_args(argv)


def _week(ledger: Any, number: str, depositor: str, week: int, start: datetime) -> int:
    """One PPL's week; returns the money events written."""
    iso = (start + timedelta(weeks=week)).isocalendar()
    written = 0
    calls = [
        lambda: ledger.funds.pay_wage(number=number, employer="Cocina",
                                      period=f"{iso.year}-W{iso.week:02d}", hours=30,
                                      gross_minor=120_000, currency="UYU", actor=PAYROLL,
                                      request=None),
        lambda: ledger.deposits.record(number=number, depositor_id=depositor,
                                       amount_minor=40_000, currency="UYU",
                                       channel="cash_desk", external_reference="",
                                       actor=DESK, request=None),
        lambda: ledger.funds.recharge_phone_card(number=number, amount_minor=10_000,
                                                 currency="UYU", actor=CLERK, request=None),
    ]
    for call in calls:
        try:
            call()
            written += 1
        except LedgerError:
            pass
    try:
        order = ledger.commissary.place_order(number=number, lines=population.ORDER_LINES,
                                              actor=CLERK, request=None).body["order_id"]
        ledger.commissary.deliver(order_id=order, delivered=None, run_sector=None,
                                  actor=CLERK, request=None)
        written += 2
    except LedgerError:
        pass
    return written


def generate_unit(unit: int, args: dict[str, Any], work: str) -> dict[str, Any]:
    """One unit's year, in its own process (its own partition)."""
    start = datetime.now(tz=UTC) - timedelta(weeks=args["weeks"] + 1)
    clock = SteppedClock(start)
    folder = Path(work) / f"unit-{unit:02d}"
    folder.mkdir(parents=True, exist_ok=True)
    key_file = folder / "keys.json"
    create_key_file(key_file)
    schema = f"nat_u{unit:02d}_{os.getpid()}"
    pop = population.Population(database_url=f"{population.pg_url()}?schema={schema}",
                                key_file=str(key_file), schema=schema)
    ledger = bootstrap(pop.settings(), clock=clock)
    try:
        # The unit's set-up (users, terminals, products, PPL) is stamped at the year's start.
        population.fill(ledger, pop, args["ppl"], terminals=1)
        pairs = list(zip(pop.numbers, pop.depositor_ids, strict=True))
        events_before = ledger.ctx.store.event_count()
        began = time.perf_counter()
        written = 0
        with ThreadPoolExecutor(max_workers=args["threads"]) as pool:
            for week in range(args["weeks"]):
                clock.current = start + timedelta(weeks=week, hours=12)
                written += sum(pool.map(lambda p, w=week: _week(ledger, p[0], p[1], w, start),
                                        pairs))
        seconds = time.perf_counter() - began
        stored = ledger.ctx.store.event_count() - events_before
        stats = ledger.ctx.store.batcher.stats() if ledger.ctx.store.batcher else {}
    finally:
        ledger.close()
    return {"unit": unit, "schema": schema, "key_file": str(key_file),
            "database_url": pop.database_url, "money_events": written,
            "stored_events": stored, "seconds": round(seconds, 1),
            "money_events_per_s": round(written / seconds, 1), "batcher": stats,
            "sample_ppl": pop.numbers[0]}


def replay_unit(generated: dict[str, Any]) -> dict[str, Any]:
    """Rebuilds the unit's projections from its log; reads a year statement and the
    trial balance."""
    pop = population.Population(database_url=generated["database_url"],
                                key_file=generated["key_file"], schema=generated["schema"])
    ledger = bootstrap(pop.settings())
    try:
        rebuilt: dict[str, Any] = {}
        all_began = time.perf_counter()
        for name, runner in ledger.read_side.runners.items():
            if not runner.projection.rebuildable:
                continue
            began = time.perf_counter()
            events = runner.rebuild()
            rebuilt[name] = round(events / (time.perf_counter() - began), 1)
        rebuild_all = time.perf_counter() - all_began
        began = time.perf_counter()
        today = datetime.now(tz=UTC).date()
        ledger.statements.statement(generated["sample_ppl"],
                                    (today - timedelta(days=380)).isoformat(),
                                    today.isoformat())
        statement_ms = (time.perf_counter() - began) * 1000
        began = time.perf_counter()
        from ledger.application.trial_balance import TrialBalance

        trial = TrialBalance(ledger.ctx).as_of()
        trial_ms = (time.perf_counter() - began) * 1000
    finally:
        ledger.close()
    return {"unit": generated["unit"], "rebuild_events_per_s": rebuilt,
            "rebuild_all_seconds": round(rebuild_all, 2),
            "year_statement_ms": round(statement_ms, 1),
            "trial_balance_ms": round(trial_ms, 1), "trial_balance_balanced": trial["balanced"]}


def main(argv: list[str] | None = None) -> None:
    args = _args(argv)
    work = ROOT / "var" / "national" / datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%S")
    spec = {"ppl": args.ppl, "weeks": args.weeks, "threads": args.threads}
    context = multiprocessing.get_context("spawn")
    print(f"generating {args.units} units x {args.ppl} PPL x {args.weeks} weeks "
          f"(about {args.units * args.ppl * args.weeks * EVENTS_PER_PPL_WEEK:,} money events), "
          "one process per unit ...", flush=True)
    began = time.perf_counter()
    with context.Pool(args.units) as pool:
        generated = pool.starmap(generate_unit, [(u, spec, str(work))
                                                 for u in range(1, args.units + 1)])
    generation_wall = time.perf_counter() - began
    print("replaying (projection rebuilds), one process per unit ...", flush=True)
    began = time.perf_counter()
    with context.Pool(args.units) as pool:
        replayed = pool.map(replay_unit, generated)
    replay_wall = time.perf_counter() - began
    money = sum(g["money_events"] for g in generated)
    stored = sum(g["stored_events"] for g in generated)
    national_events = (NATIONAL["units"] * NATIONAL["ppl"] * NATIONAL["weeks"]
                       * EVENTS_PER_PPL_WEEK)
    write_rate = money / generation_wall
    # the slowest unit's pace at rebuilding all its projections, in stored events/s
    replay_rate = min(g["stored_events"] / max(r["rebuild_all_seconds"], 1e-9)
                      for g, r in zip(generated, replayed, strict=True))
    result = {
        "scaled_down": {"units": args.units, "ppl_per_unit": args.ppl, "weeks": args.weeks},
        "money_events": money, "stored_events": stored,
        "generation_wall_seconds": round(generation_wall, 1),
        "money_events_per_s_all_units": round(write_rate, 1),
        "replay_wall_seconds": round(replay_wall, 1),
        "units": [g | r for g, r in zip(generated, replayed, strict=True)],
        "national": {**NATIONAL, "money_events": national_events,
                     "generation_hours_at_measured_rate": round(
                         national_events / write_rate / 3600, 2),
                     "rebuild_all_projections_minutes_per_unit": round(
                         national_events / NATIONAL["units"] * stored / max(money, 1)
                         / replay_rate / 60, 1)},
        "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg()},
        "finished_at": datetime.now(tz=UTC).isoformat(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))
    print(json.dumps({k: v for k, v in result.items() if k != "units"}, indent=1))
    for unit in result["units"]:
        print(f"  unit {unit['unit']}: {unit['money_events']} money events in "
              f"{unit['seconds']} s ({unit['money_events_per_s']}/s); rebuild "
              f"{unit['rebuild_events_per_s']} events/s; year statement "
              f"{unit['year_statement_ms']} ms; trial balance {unit['trial_balance_ms']} ms "
              f"({'balanced' if unit['trial_balance_balanced'] else 'NOT balanced'})")
    print(f"results: {args.out}")
    if not args.keep:
        for unit in generated:
            population.drop(population.Population(database_url=unit["database_url"],
                                                  key_file=unit["key_file"],
                                                  schema=unit["schema"]))


if __name__ == "__main__":
    main()
