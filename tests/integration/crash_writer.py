"""A writer process for the crash test: deposits in a loop and prints each deposit's id
only after the ledger acknowledged it. The test kills it with SIGKILL mid-stream."""

from __future__ import annotations

import sys
from pathlib import Path

from ledger.application.bootstrap import bootstrap
from ledger.infrastructure.config import Settings
from tests.factories import DESK


def main() -> None:
    database_url, key_file, depositor_id = sys.argv[1:4]
    ledger = bootstrap(Settings(database_url=database_url, key_file=Path(key_file)))
    n = 0
    while True:
        n += 1
        outcome = ledger.deposits.record(number="P-1", depositor_id=depositor_id,
                                         amount_minor=n, currency="UYU", channel="cash_desk",
                                         external_reference=f"crash-{n}", actor=DESK,
                                         request=None)
        print(outcome.body["deposit_id"], n, flush=True)


if __name__ == "__main__":
    main()
