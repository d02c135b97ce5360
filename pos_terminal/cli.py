"""`ledger-pos`: runs the clerks' POS, or creates the terminal's key (`keygen`)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from pos_terminal.i18n import LANGUAGES, Messages
from pos_terminal.keys import TerminalKeyError, create_key_file, load_key_file
from pos_terminal.signing import public_key_b64


def _key_error(m: Messages, error: TerminalKeyError) -> str:
    if error.code == "exists":
        return m.t("keygen_exists", path=error.path)
    reason = m.t("key_too_open", mode=error.reason) if error.code == "too_open" else error.reason
    return m.t("key_unreadable", path=error.path, reason=reason)


@click.group(invoke_without_command=True)
@click.option("--server", default="http://127.0.0.1:8000", show_default=True,
              help="the ledger service")
@click.option("--terminal", "terminal_id", help="this terminal's id, as registered")
@click.option("--key-file", type=click.Path(path_type=Path), help="this terminal's private key")
@click.option("--queue-file", type=click.Path(path_type=Path),
              help="the offline queue (default: var/pos-<terminal>-queue.sqlite3)")
@click.option("--receipts", type=click.Path(path_type=Path), default=Path("var/pos-receipts"),
              show_default=True, help="where printed receipts (text and PDF) are saved")
@click.option("--print-command", default="", help="e.g. 'lp -d caja': gets each text receipt")
@click.option("--lang", type=click.Choice(LANGUAGES), default="es", show_default=True)
@click.option("--sync-every", type=float, default=5.0, show_default=True,
              help="seconds between attempts to send what waits")
@click.pass_context
def main(ctx: click.Context, server: str, terminal_id: str | None, key_file: Path | None,
         queue_file: Path | None, receipts: Path, print_command: str, lang: str,
         sync_every: float) -> None:
    """The clerks' POS terminal for the commissary (Spanish by default)."""
    if ctx.invoked_subcommand is not None:
        return
    if not terminal_id or key_file is None:
        raise click.UsageError("--terminal and --key-file are needed to run the POS")
    from pos_terminal.app import PosApp
    from pos_terminal.client import PosClient
    from pos_terminal.desk import Desk
    from pos_terminal.queue import OfflineQueue

    messages = Messages(lang)
    try:
        key = load_key_file(key_file)
    except TerminalKeyError as error:
        click.echo(_key_error(messages, error), err=True)
        sys.exit(2)
    client = PosClient(server, terminal_id, key, language=lang)
    queue = OfflineQueue(queue_file or Path(f"var/pos-{terminal_id}-queue.sqlite3"))
    app = PosApp(Desk(client, queue, messages), receipts_dir=receipts, sync_every=sync_every,
                 print_command=shlex.split(print_command) or None)
    try:
        app.run()
    finally:
        queue.close()
        client.close()


@main.command("keygen")
@click.option("--key-file", type=click.Path(path_type=Path), required=True)
@click.option("--lang", type=click.Choice(LANGUAGES), default="es")
def keygen(key_file: Path, lang: str) -> None:
    """Creates the terminal's private key (mode 0600) and prints its public key (base64)
    for the administrator to register (POST /terminals)."""
    messages = Messages(lang)
    try:
        public = create_key_file(key_file)
    except TerminalKeyError as error:
        click.echo(_key_error(messages, error), err=True)
        sys.exit(1)
    click.echo(messages.t("keygen_done", path=key_file), err=True)
    click.echo(public)


@main.command("pubkey")
@click.option("--key-file", type=click.Path(path_type=Path), required=True)
def pubkey(key_file: Path) -> None:
    """Prints the public key (base64) of an existing terminal key."""
    try:
        click.echo(public_key_b64(load_key_file(key_file)))
    except TerminalKeyError as error:
        click.echo(_key_error(Messages(), error), err=True)
        sys.exit(2)
