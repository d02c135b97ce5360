"""A case life told step by step through the services, on the test clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ledger.application.bootstrap import Ledger
from ledger.domain.actor import Actor, Role
from tests.factories import ManualClock

ZONE = ZoneInfo("America/Montevideo")  # the test unit's zone (UnitSettings default)
OFFICER = Actor(user_id="u-instructor", role=Role.CASE_OFFICER)
DIRECTOR = Actor(user_id="u-director", role=Role.DIRECTOR)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZONE)


class Story:
    """Drives one case life through the services, on the test clock."""

    def __init__(self, ledger: Ledger, clock: ManualClock) -> None:
        self.ledger = ledger
        self.clock = clock
        self.d = ledger.discipline

    def at(self, when: str) -> Story:
        self.clock.set(local(when))
        return self

    def open(self, *numbers: str, offence: str = "serious", occurred: str | None = None) -> str:
        occurred_at = local(occurred) if occurred else self.clock.now()
        body = self.d.open_case(ppl=list(numbers or ("P-1",)), offence_class=offence,
                                facts="Agresión a otro interno en el patio.",
                                reporting_officer="Operador Díaz", occurred_at=occurred_at,
                                actor=OFFICER, request=None).body
        return str(body["case_id"])

    def preventive(self, case: str, effect: str = "suspension", number: str = "P-1",
                   **limits: Any) -> None:
        self.d.impose_preventive(case_id=case, number=number, effect=effect, reason="riesgo",
                                 actor=OFFICER, request=None, **limits)

    def lift(self, case: str, number: str = "P-1") -> None:
        self.d.lift_preventive(case_id=case, number=number, reason="corregida",
                               actor=OFFICER, request=None)

    def dismiss(self, case: str, number: str = "P-1") -> None:
        self.d.dismiss(case_id=case, number=number, reason="no se probó", actor=DIRECTOR,
                       request=None)

    def decide(self, case: str, days: int, effect: str = "suspension", number: str = "P-1",
               **limits: Any) -> None:
        self.d.decide_sanction(case_id=case, number=number, effect=effect, days=days,
                               grounds="informe de la Comisión", actor=DIRECTOR, request=None,
                               **limits)

    def notify(self, case: str, number: str = "P-1") -> dict[str, Any]:
        return self.d.notify(case_id=case, number=number, actor=OFFICER, request=None).body

    def sanction(self, case: str, days: int, effect: str = "suspension", number: str = "P-1",
                 **limits: Any) -> None:
        self.decide(case, days, effect, number, **limits)
        self.notify(case, number)

    def appeal(self, case: str, level: str = "director", number: str = "P-1") -> None:
        self.d.appeal(case_id=case, number=number, level=level, grounds="desproporcionada",
                      actor=OFFICER, request=None)

    def resolve(self, case: str, level: str, outcome: str, ends_on: str | None = None,
                number: str = "P-1") -> dict[str, Any]:
        actor = DIRECTOR if level == "director" else OFFICER
        return self.d.resolve_appeal(case_id=case, number=number, level=level, outcome=outcome,
                                     ends_on=ends_on, grounds="resolución", actor=actor,
                                     request=None).body

    def commute(self, case: str, kind: str, vigilance_days: int, ends_on: str | None = None,
                number: str = "P-1") -> None:
        self.d.commute(case_id=case, number=number, kind=kind, ends_on=ends_on,
                       vigilance_days=vigilance_days, grounds="buena conducta", actor=DIRECTOR,
                       request=None)

    def pause(self, case: str, number: str = "P-1") -> None:
        self.d.pause_for_illness(case_id=case, number=number, grounds="internado",
                                 actor=DIRECTOR, request=None)

    def resume(self, case: str, number: str = "P-1") -> None:
        self.d.resume_after_illness(case_id=case, number=number, actor=DIRECTOR, request=None)

    def reduce(self, case: str, ground: str, ends_on: str, number: str = "P-1") -> None:
        self.d.reduce(case_id=case, number=number, ground=ground, ends_on=ends_on,
                      grounds="recomendación", actor=DIRECTOR, request=None)

    def served(self, case: str, number: str = "P-1") -> None:
        self.d.declare_served(case_id=case, number=number, grounds="alta médica",
                              actor=DIRECTOR, request=None)


def notified(s: Story, days: int = 10, offence: str = "serious", effect: str = "suspension",
             **limits: Any) -> str:
    """A sanction for P-1 notified on Monday 16 November 2026 at 10:00 (local)."""
    case = s.at("2026-11-16T09:00").open(offence=offence)
    s.at("2026-11-16T10:00").sanction(case, days, effect, **limits)
    return case
