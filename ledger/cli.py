"""`ledger`: the operators' command line."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from ledger.infrastructure.config import Settings
from ledger.infrastructure.keys import KeyFileError, create_key_file


def _settings() -> Settings:
    return Settings.from_env()


def _open() -> object:
    from ledger.application.bootstrap import bootstrap

    try:
        return bootstrap(_settings())
    except KeyFileError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)


@click.group()
def main() -> None:
    """Operate the PPL ledger (keys, store, users, demo, server)."""


@main.group()
def keys() -> None:
    """The unit's keys."""


@keys.command("create")
@click.option("--path", type=click.Path(path_type=Path), default=None)
def keys_create(path: Path | None) -> None:
    """Creates the key file (refuses to overwrite one)."""
    target = path or _settings().key_file
    try:
        create_key_file(target)
    except KeyFileError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    click.echo(f"keys written to {target} (mode 0600); back this file up: without it the "
               "store cannot be read")


@main.command("init")
@click.option("--name", default="Unidad de Internación N°1")
@click.option("--currency", default="UYU")
@click.option("--time-zone", default="America/Montevideo")
def init(name: str, currency: str, time_zone: str) -> None:
    """Initialises the store and configures the unit."""
    from ledger.domain.actor import Actor
    from ledger.domain.errors import LedgerError
    from ledger.domain.unit import UnitSettings

    ledger = _open()
    settings = replace(UnitSettings(), name=name, currency=currency, time_zone=time_zone)
    try:
        ledger.unit.configure(settings, Actor.system("cli"))  # type: ignore[attr-defined]
    except LedgerError as error:
        click.echo(f"error: {error.messages['en']}", err=True)
        sys.exit(1)
    click.echo(f"unit configured: {name} ({currency}, {time_zone})")


@main.group()
def users() -> None:
    """Users who sign in."""


@users.command("create")
@click.argument("username")
@click.option("--role", required=True)
@click.option("--depositor-id", default=None)
@click.password_option()
def users_create(username: str, role: str, depositor_id: str | None, password: str) -> None:
    """Creates a user in one role."""
    from ledger.domain.actor import Actor
    from ledger.domain.errors import LedgerError

    ledger = _open()
    try:
        ledger.users.create(username=username, password=password, role=role,  # type: ignore[attr-defined]
                            depositor_id=depositor_id, actor=Actor.system("cli"))
    except LedgerError as error:
        click.echo(f"error: {error.messages['en']}", err=True)
        sys.exit(1)
    click.echo(f"user {username} created with role {role}")


@main.command("demo")
def demo() -> None:
    """Loads the demo unit (skipped if the unit exists) and prints how to sign in."""
    from ledger.application.demo import DEMO_PASSWORD, load_demo

    ledger = _open()
    users_loaded = load_demo(ledger)  # type: ignore[arg-type]
    click.echo(f"Demo unit ready. Users (password for all: {DEMO_PASSWORD}):")
    for username, role in users_loaded:
        click.echo(f"  {username:<12} {role}")


@main.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=8000, type=int)
def serve(host: str, port: int) -> None:
    """Runs the API (OpenAPI schema at /schema/openapi.json)."""
    import uvicorn

    from api.app import create_app

    # Built before the server starts, so a missing or wrong key stops start-up here
    # with its message instead of failing inside the server's lifespan.
    ledger = _open()
    try:
        uvicorn.run(create_app(ledger=ledger), host=host, port=port,  # type: ignore[arg-type]
                    log_level="info")
    finally:
        ledger.close()  # type: ignore[attr-defined]


@main.group()
def projections() -> None:
    """Read models kept from the event log (docs/PROJECTIONS.md)."""


@projections.command("rebuild")
@click.argument("name", required=False)
def projections_rebuild(name: str | None) -> None:
    """Replays NAME (default: every rebuildable projection) from zero."""
    import time

    from projections.runner import NotRebuildable

    ledger = _open()
    read_side = ledger.read_side  # type: ignore[attr-defined]
    names = [name] if name else [n for n, r in read_side.runners.items()
                                 if r.projection.rebuildable]
    for each in names:
        runner = read_side.runner(each)
        started = time.perf_counter()
        try:
            with click.progressbar(length=read_side.source.head(), label=each) as bar:
                events = runner.rebuild(progress=bar.update)
        except NotRebuildable as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(1)
        seconds = max(time.perf_counter() - started, 1e-9)
        click.echo(f"{each}: {events} events in {seconds:.1f} s ({events / seconds:,.0f} events/s)")


@projections.command("status")
def projections_status() -> None:
    """Each runner's position and lag behind the event log."""
    ledger = _open()
    for row in ledger.read_side.status():  # type: ignore[attr-defined]
        click.echo(f"{row['name']:<16} position {row['position']:>10}  head {row['head']:>10}  "
                   f"lag {row['lag']:>8}")


@projections.command("run")
@click.option("--poll", default=0.5, type=float, help="seconds between looks at the log")
def projections_run(poll: float) -> None:
    """Keeps every projection and the audit chain caught up, until stopped."""
    ledger = _open()
    ledger.read_side.follow(poll_seconds=poll)  # type: ignore[attr-defined]


@main.command("bench", context_settings={"ignore_unknown_options": True,
                                         "allow_extra_args": True, "help_option_names": []})
@click.pass_context
def bench(context: click.Context) -> None:
    """Measures the ledger against the bare stack on PostgreSQL (docs/PERFORMANCE.md);
    `ledger bench --help` lists its options."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # load_tests/ beside ledger/
    from load_tests.bench import main as run_bench

    run_bench(context.args)


@main.group()
def audit() -> None:
    """Tamper evidence: the hash chain over stored events (docs/AUDIT.md)."""


@audit.command("verify")
def audit_verify() -> None:
    """Recomputes the chain from the events table; names the first event that does not
    match. Exit status 1 when anything does not match."""
    from ledger.audit.verify import verify

    ledger = _open()
    read_side = ledger.read_side  # type: ignore[attr-defined]
    read_side.runners  # noqa: B018 - makes sure the chain tables exist
    verdict = verify(read_side.source, read_side.views,
                     ledger.ctx.keys.signing_key.public_key())  # type: ignore[attr-defined]
    click.echo(f"checked {verdict.checked} events; chained up to position {verdict.chain_head} "
               f"({verdict.unchained} not yet chained); {verdict.checkpoints} checkpoints, "
               f"signed up to position {verdict.signed_head}")
    if verdict.first is not None:
        click.echo(f"FIRST MISMATCH: {verdict.first.describe()}")
        click.echo(f"{len(verdict.findings)} finding(s) in all")
        sys.exit(1)
    click.echo("OK: every chained event matches")


@audit.command("sign")
def audit_sign() -> None:
    """Chains every stored event now and signs the chain's head (e.g. at month end)."""
    ledger = _open()
    checkpoint = ledger.read_side.sign_audit_head()  # type: ignore[attr-defined]
    if checkpoint is None:
        click.echo("nothing to sign: the store has no events")
        return
    click.echo(f"signed position {checkpoint.position} (length {checkpoint.length}): "
               f"{checkpoint.chain_hash}")


@main.group()
def terminals() -> None:
    """POS terminals trusted by key (the clerks' app, `ledger-pos`)."""


@terminals.command("register")
@click.option("--id", "terminal_id", required=True)
@click.option("--public-key", required=True, help="base64, as `ledger-pos keygen` prints it")
@click.option("--name", default="Terminal del economato")
def terminals_register(terminal_id: str, public_key: str, name: str) -> None:
    """Trusts a terminal's public key. Registering the same key again is a no-op."""
    from ledger.domain.actor import Actor
    from ledger.domain.errors import LedgerError
    from ledger.domain.ids import terminal_id as terminal_aggregate_id

    ledger = _open()
    known = ledger.ctx.store.find(terminal_aggregate_id(terminal_id))  # type: ignore[attr-defined]
    if known is not None and known.public_key == public_key and not known.revoked:
        click.echo(f"terminal {terminal_id} already registered with this key")
        return
    try:
        ledger.terminals.register(terminal_id=terminal_id, name=name,  # type: ignore[attr-defined]
                                  public_key=public_key, actor=Actor.system("cli"),
                                  request=None)
    except LedgerError as error:
        click.echo(f"error: {error.messages['en']}", err=True)
        sys.exit(1)
    click.echo(f"terminal {terminal_id} registered")


if __name__ == "__main__":
    main()
