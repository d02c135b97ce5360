"""A PPL statement as CSV (stdlib csv writer): one line for the opening balances, one per
movement, one for the closing balances. Amounts are integer minor units, one column per
sub-account, signed as the PPL sees them (+ money in, - money out)."""

from __future__ import annotations

import csv
import io
from typing import Any

from ledger.domain.postings import SubAccount

SUBS = [sub.value for sub in SubAccount]
HEADER = ["line", "at", "entry_id", "kind", *[f"{s}_minor" for s in SUBS], "actor_user",
          "actor_role", "channel", "terminal", "reason", "reference"]


def _reference(movement: dict[str, Any]) -> str:
    for key in ("reference", "external_reference", "original_entry_id", "deposit_id", "period"):
        if movement.get(key):
            return str(movement[key])
    return ""


def _balance_line(line: str, at: str, balances: dict[str, int]) -> list[Any]:
    return [line, at, "", "", *[balances.get(s, 0) for s in SUBS], "", "", "", "", "", ""]


def statement_csv(statement: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerow(_balance_line("opening", statement["from"], statement["opening"]))
    for m in statement["movements"]:
        actor = m["actor"]
        writer.writerow(["movement", m["at"], m["entry_id"], m["kind"],
                         *[m["effect"].get(s, 0) for s in SUBS], actor["user_id"],
                         actor["role"], actor["channel"], actor["terminal_id"] or "",
                         m.get("reason", ""), _reference(m)])
    writer.writerow(_balance_line("closing", statement["to"], statement["closing"]))
    return out.getvalue()
