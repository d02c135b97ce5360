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
    click.echo("Demo unit ready. Users (password for all: %s):" % DEMO_PASSWORD)
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


if __name__ == "__main__":
    main()
