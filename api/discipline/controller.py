"""Disciplinary cases (XI) for case officers and the director, the PPL's case record, and
the eligibility the POS checks before a sale."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import Parameter

from api.deps import idempotent, ledger_of, principal_of
from api.discipline import schemas as s
from api.guards import requires
from api.respond import respond
from ledger.domain.actor import Role

Answer = Response[dict[str, Any]]
PPL = "/cases/{case_id:str}/ppl/{number:str}"

requires_case_officer = requires(Role.CASE_OFFICER, Role.DIRECTOR)
requires_director = requires(Role.DIRECTOR)
requires_case_reader = requires(Role.CASE_OFFICER, Role.DIRECTOR, Role.AUDITOR)
requires_eligibility_reader = requires(
    Role.CLERK, Role.FINANCE_ADMIN, Role.AUDITOR, Role.CASE_OFFICER, Role.DIRECTOR
)


class DisciplineController(Controller):
    path = "/"
    tags = ["discipline"]

    @post("/cases", guards=[requires_case_officer], sync_to_thread=True)
    def open_case(self, request: Request[Any, Any, Any], data: s.CaseIn) -> Answer:
        """Opens a case for an incident: one PPL, or several (a collective case)."""
        return respond(ledger_of(request).discipline.open_case(
            ppl=data.ppl, offence_class=data.offence_class, facts=data.facts,
            reporting_officer=data.reporting_officer, occurred_at=data.occurred_at,
            actor=principal_of(request).actor(), request=idempotent(request, data)))

    @get("/cases/{case_id:str}", guards=[requires_case_reader], sync_to_thread=True)
    def view(self, request: Request[Any, Any, Any], case_id: str) -> dict[str, Any]:
        """The case: each PPL's part, the commissary windows, and the full history."""
        return ledger_of(request).discipline.case(case_id)

    @post(f"{PPL}/preventive", guards=[requires_case_officer], sync_to_thread=True)
    def impose_preventive(self, request: Request[Any, Any, Any], case_id: str, number: str,
                          data: s.PreventiveIn) -> Answer:
        """Preventive sanction (serious and very serious offences): in force at once."""
        return respond(ledger_of(request).discipline.impose_preventive(
            case_id=case_id, number=number, effect=data.effect,
            money_limit_minor=data.money_limit_minor, items_limit=data.items_limit,
            reason=data.reason, actor=principal_of(request).actor(),
            request=idempotent(request, data)))

    @post(f"{PPL}/preventive/lift", guards=[requires_case_officer], sync_to_thread=True)
    def lift_preventive(self, request: Request[Any, Any, Any], case_id: str, number: str,
                        data: s.ReasonIn) -> Answer:
        return respond(ledger_of(request).discipline.lift_preventive(
            case_id=case_id, number=number, reason=data.reason,
            actor=principal_of(request).actor(), request=idempotent(request, data)))

    @post(f"{PPL}/dismissal", guards=[requires_director], sync_to_thread=True)
    def dismiss(self, request: Request[Any, Any, Any], case_id: str, number: str,
                data: s.ReasonIn) -> Answer:
        """No sanction for this PPL; a preventive sanction ends now."""
        return respond(ledger_of(request).discipline.dismiss(
            case_id=case_id, number=number, reason=data.reason,
            actor=principal_of(request).actor(), request=idempotent(request, data)))

    @post(f"{PPL}/sanction", guards=[requires_director], sync_to_thread=True)
    def decide_sanction(self, request: Request[Any, Any, Any], case_id: str, number: str,
                        data: s.SanctionIn) -> Answer:
        """The director's sanction; its length is checked against XI.B."""
        return respond(ledger_of(request).discipline.decide_sanction(
            case_id=case_id, number=number, effect=data.effect, days=data.days,
            money_limit_minor=data.money_limit_minor, items_limit=data.items_limit,
            grounds=data.grounds, actor=principal_of(request).actor(),
            request=idempotent(request, data)))

    @post(f"{PPL}/notification", guards=[requires_case_officer], sync_to_thread=True)
    def notify(self, request: Request[Any, Any, Any], case_id: str, number: str) -> Answer:
        """The sanction is communicated to the PPL: it starts now (XI.C.3.a)."""
        return respond(ledger_of(request).discipline.notify(
            case_id=case_id, number=number, actor=principal_of(request).actor(),
            request=idempotent(request, None)))

    @post(f"{PPL}/appeals", guards=[requires_case_officer], sync_to_thread=True)
    def appeal(self, request: Request[Any, Any, Any], case_id: str, number: str,
               data: s.AppealIn) -> Answer:
        """Records an appeal to the director (within five days) or to the institute."""
        return respond(ledger_of(request).discipline.appeal(
            case_id=case_id, number=number, level=data.level, grounds=data.grounds,
            actor=principal_of(request).actor(), request=idempotent(request, data)))

    @post(f"{PPL}/appeals/director/resolution", guards=[requires_director],
          sync_to_thread=True)
    def resolve_director_appeal(self, request: Request[Any, Any, Any], case_id: str,
                                number: str, data: s.AppealResolutionIn) -> Answer:
        """The director's answer to the appeal (within ten days)."""
        return self._resolve(request, case_id, number, "director", data)

    @post(f"{PPL}/appeals/institute/resolution", guards=[requires_case_officer],
          sync_to_thread=True)
    def resolve_institute_appeal(self, request: Request[Any, Any, Any], case_id: str,
                                 number: str, data: s.AppealResolutionIn) -> Answer:
        """Records the institute's answer; it is final."""
        return self._resolve(request, case_id, number, "institute", data)

    def _resolve(self, request: Request[Any, Any, Any], case_id: str, number: str,
                 level: str, data: s.AppealResolutionIn) -> Answer:
        return respond(ledger_of(request).discipline.resolve_appeal(
            case_id=case_id, number=number, level=level, outcome=data.outcome,
            ends_on=data.ends_on, grounds=data.grounds, actor=principal_of(request).actor(),
            request=idempotent(request, data)))

    @post(f"{PPL}/commutation", guards=[requires_director], sync_to_thread=True)
    def commute(self, request: Request[Any, Any, Any], case_id: str, number: str,
                data: s.CommutationIn) -> Answer:
        """Compurgación: reduce or declare served, under a vigilance period (XI.C.3.f)."""
        return respond(ledger_of(request).discipline.commute(
            case_id=case_id, number=number, kind=data.kind, ends_on=data.ends_on,
            vigilance_days=data.vigilance_days, grounds=data.grounds,
            actor=principal_of(request).actor(), request=idempotent(request, data)))

    @post(f"{PPL}/illness/pause", guards=[requires_director], sync_to_thread=True)
    def pause_for_illness(self, request: Request[Any, Any, Any], case_id: str, number: str,
                          data: s.GroundsIn) -> Answer:
        """The sanction stops running while the PPL is ill (XI.C.3.d)."""
        return respond(ledger_of(request).discipline.pause_for_illness(
            case_id=case_id, number=number, grounds=data.grounds,
            actor=principal_of(request).actor(), request=idempotent(request, data)))

    @post(f"{PPL}/illness/resume", guards=[requires_director], sync_to_thread=True)
    def resume_after_illness(self, request: Request[Any, Any, Any], case_id: str,
                             number: str) -> Answer:
        """The sanction runs again; its last day moves by the days paused."""
        return respond(ledger_of(request).discipline.resume_after_illness(
            case_id=case_id, number=number, actor=principal_of(request).actor(),
            request=idempotent(request, None)))

    @post(f"{PPL}/reduction", guards=[requires_director], sync_to_thread=True)
    def reduce(self, request: Request[Any, Any, Any], case_id: str, number: str,
               data: s.ReductionIn) -> Answer:
        """An earlier last day, for illness or as an incentive (X.A.1.f)."""
        return respond(ledger_of(request).discipline.reduce(
            case_id=case_id, number=number, ground=data.ground, ends_on=data.ends_on,
            grounds=data.grounds, actor=principal_of(request).actor(),
            request=idempotent(request, data)))

    @post(f"{PPL}/served", guards=[requires_director], sync_to_thread=True)
    def declare_served(self, request: Request[Any, Any, Any], case_id: str, number: str,
                       data: s.GroundsIn) -> Answer:
        """An ill PPL's sanction declared served (XI.C.3.d); the effect ends now."""
        return respond(ledger_of(request).discipline.declare_served(
            case_id=case_id, number=number, grounds=data.grounds,
            actor=principal_of(request).actor(), request=idempotent(request, data)))

    @get("/ppl/{number:str}/eligibility", guards=[requires_eligibility_reader],
         sync_to_thread=True)
    def eligibility(self, request: Request[Any, Any, Any], number: str,
                    at: str | None = Parameter(query="at", default=None)) -> dict[str, Any]:
        """What the POS may sell: eligible, restricted (limits) or suspended, until when
        and by which cases; now, or at `at`."""
        return ledger_of(request).discipline.eligibility(number, at)

    @get("/ppl/{number:str}/cases", guards=[requires_case_reader], sync_to_thread=True)
    def cases(self, request: Request[Any, Any, Any], number: str) -> dict[str, Any]:
        """The PPL's record of disciplinary cases and sanctions (XI.C.3.j)."""
        return ledger_of(request).discipline.cases_of(number)
