"""Disciplinary cases (XI) and the commissary eligibility they decide.

Every command saves the case together with the Account of each PPL whose commissary
effect changed, in ONE atomic write (`ctx.run`). A sale saves that same Account, so it
can never be decided on an eligibility older than the last sanction: the store refuses
the stale write and the sale is decided again (`Account.eligibility` is the one check)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from ledger.application.context import Context, check_number, check_text
from ledger.application.idempotency import IdempotentRequest, Outcome
from ledger.application.statements import parse_day as parse_iso_day
from ledger.domain.account import Account
from ledger.domain.actor import Actor
from ledger.domain.case import DisciplinaryCase, Sanction, Term
from ledger.domain.effects import commissary_effect
from ledger.domain.errors import InvalidInput, NotFound
from ledger.domain.offences import parse_offence_class

MAX_FACTS = 4000
MAX_GROUNDS = 2000

Command = Callable[[DisciplinaryCase, datetime, ZoneInfo], None]


def parse_instant(value: Any, zone: ZoneInfo, field: str) -> datetime:
    """An ISO instant; one without an offset is read in the unit's time zone."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, datetime):
        raise InvalidInput("instant_invalid", field=field,
                           es="La fecha y hora debe tener la forma AAAA-MM-DDTHH:MM.",
                           en="The date and time must look like YYYY-MM-DDTHH:MM.")
    return value if value.tzinfo is not None else value.replace(tzinfo=zone)


def parse_day(value: Any, field: str = "ends_on") -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    return parse_iso_day(value, field)


def _local(instant: datetime | None, zone: ZoneInfo) -> str | None:
    return instant.astimezone(zone).isoformat() if instant is not None else None


class Discipline:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    # ------------------------------------------------------------------ loading

    def _case(self, case_id: Any) -> DisciplinaryCase:
        try:
            key = UUID(str(case_id))
        except ValueError:
            key = None
        case = self.ctx.store.find(key) if key else None
        if not isinstance(case, DisciplinaryCase):
            raise NotFound("case_not_found", field="case_id",
                           es="No existe ese caso disciplinario.",
                           en="No such disciplinary case.")
        return case

    def _record(self, account: Account, case: DisciplinaryCase, actor: Actor,
                at: datetime) -> bool:
        return account.record_commissary_effect(
            case_id=str(case.id), windows=case.windows(account.number), actor=actor, at=at)

    def _step(self, case_id: str, number: str, actor: Actor, request: IdempotentRequest | None,
              command: Command) -> Outcome:
        """Loads the case, runs one command for one PPL, and saves the case with that
        PPL's Account if the commissary effect changed: one atomic write."""
        check_number(number)

        def decide() -> Any:
            at, zone = self.ctx.clock.now(), self.ctx.settings().zone()
            case = self._case(case_id)
            command(case, at, zone)
            account = self.ctx.account(number)
            changed: list[Any] = [case]
            if self._record(account, case, actor, at):
                changed.append(account)
            return changed, Outcome(200, case_view(case, zone, at))

        return self.ctx.run(request, decide)

    # ------------------------------------------------------------------ commands

    def open_case(self, *, ppl: Any, offence_class: Any, facts: Any, reporting_officer: Any,
                  occurred_at: Any, actor: Actor, request: IdempotentRequest | None) -> Outcome:
        """A reported incident against one PPL, or several (a collective case)."""
        offence = parse_offence_class(offence_class)
        facts = check_text(facts, "facts", max_length=MAX_FACTS)
        reporting_officer = check_text(reporting_officer, "reporting_officer", max_length=120)
        if not isinstance(ppl, list):
            raise InvalidInput("ppl_required", field="ppl", es="Indique al menos una PPL.",
                               en="Name at least one PPL.")
        numbers = [check_number(n) for n in ppl]

        def decide() -> Any:
            at, zone = self.ctx.clock.now(), self.ctx.settings().zone()
            case = DisciplinaryCase.open(
                uuid4(), ppl=numbers, offence_class=offence, facts=facts,
                reporting_officer=reporting_officer,
                occurred_at=parse_instant(occurred_at, zone, "occurred_at"), actor=actor,
                at=at, zone=zone)
            accounts = [self.ctx.account(n) for n in numbers]
            for account in accounts:
                account.note_disciplinary_case(case_id=str(case.id), offence_class=offence.value,
                                               actor=actor, at=at)
            return [case, *accounts], Outcome(201, case_view(case, zone, at))

        return self.ctx.run(request, decide)

    def impose_preventive(self, *, case_id: str, number: str, effect: Any,
                          money_limit_minor: Any = None, items_limit: Any = None, reason: Any,
                          actor: Actor, request: IdempotentRequest | None) -> Outcome:
        """Preventive sanction (serious and very serious offences only); in force at once
        and until the sanction is notified, the PPL dismissed or it is lifted."""
        chosen = commissary_effect(effect, money_limit_minor, items_limit)
        reason = check_text(reason, "reason", max_length=MAX_GROUNDS)
        return self._step(case_id, number, actor, request, lambda case, at, _: (
            case.impose_preventive(number, chosen, reason, actor, at)))

    def lift_preventive(self, *, case_id: str, number: str, reason: Any, actor: Actor,
                        request: IdempotentRequest | None) -> Outcome:
        reason = check_text(reason, "reason", max_length=MAX_GROUNDS)
        return self._step(case_id, number, actor, request, lambda case, at, _: (
            case.lift_preventive(number, reason, actor, at)))

    def dismiss(self, *, case_id: str, number: str, reason: Any, actor: Actor,
                request: IdempotentRequest | None) -> Outcome:
        """No sanction for this PPL; a preventive sanction in force ends now."""
        reason = check_text(reason, "reason", max_length=MAX_GROUNDS)
        return self._step(case_id, number, actor, request, lambda case, at, _: (
            case.dismiss(number, reason, actor, at)))

    def decide_sanction(self, *, case_id: str, number: str, effect: Any, days: Any,
                        grounds: Any, actor: Actor, money_limit_minor: Any = None,
                        items_limit: Any = None,
                        request: IdempotentRequest | None) -> Outcome:
        """The director's sanction and its length (checked against XI.B); it starts when
        it is notified."""
        chosen = commissary_effect(effect, money_limit_minor, items_limit)
        grounds = check_text(grounds, "grounds", max_length=MAX_GROUNDS)
        return self._step(case_id, number, actor, request, lambda case, at, _: (
            case.decide_sanction(number, chosen, days, grounds, actor, at)))

    def notify(self, *, case_id: str, number: str, actor: Actor,
               request: IdempotentRequest | None) -> Outcome:
        """The sanction is communicated: it starts now. A commuted sanction of this PPL
        whose vigilance period covers this offence revives, to be served after this one
        (XI.C.3.f); all of it in the same atomic write."""
        check_number(number)

        def decide() -> Any:
            at, zone = self.ctx.clock.now(), self.ctx.settings().zone()
            case = self._case(case_id)
            case.notify(number, actor, at, zone)
            account = self.ctx.account(number)
            changed: list[Any] = [case]
            starts = max(case.sanction_end(number) or at, at)
            for other_id in list(account.sanctions):
                other = self._case(other_id) if other_id != str(case.id) else None
                if other is None or not other.revivable(number, case.occurred_at):
                    continue
                other.revive(number, by_case_id=str(case.id), offence_at=case.occurred_at,
                             starts_at=starts, actor=actor, at=at, zone=zone)
                starts = other.sanction_end(number) or starts
                self._record(account, other, actor, at)
                changed.append(other)
            self._record(account, case, actor, at)
            return [*changed, account], Outcome(200, case_view(case, zone, at))

        return self.ctx.run(request, decide)

    def appeal(self, *, case_id: str, number: str, level: Any, grounds: Any, actor: Actor,
               request: IdempotentRequest | None) -> Outcome:
        """Records an appeal: to the director within five calendar days of notification,
        then to the institute. The sanction keeps running meanwhile (XI.C.3.a)."""
        grounds = check_text(grounds, "grounds", max_length=MAX_GROUNDS)
        return self._step(case_id, number, actor, request, lambda case, at, zone: (
            case.appeal(number, level, grounds, actor, at, zone)))

    def resolve_appeal(self, *, case_id: str, number: str, level: Any, outcome: Any,
                       grounds: Any, actor: Actor, ends_on: Any = None,
                       request: IdempotentRequest | None) -> Outcome:
        """Confirmed, revoked wholly (the effect ends now) or revoked partly (new last
        day; days already served beyond it are reported, XI.C.2.e)."""
        day = parse_day(ends_on)
        grounds = check_text(grounds, "grounds", max_length=MAX_GROUNDS)
        return self._step(case_id, number, actor, request, lambda case, at, zone: (
            case.resolve_appeal(number, level, outcome, day, grounds, actor, at, zone)))

    def commute(self, *, case_id: str, number: str, kind: Any, vigilance_days: Any,
                grounds: Any, actor: Actor, ends_on: Any = None,
                request: IdempotentRequest | None) -> Outcome:
        """Compurgación (XI.C.3.f): reduce or declare served, under a vigilance period."""
        day = parse_day(ends_on)
        grounds = check_text(grounds, "grounds", max_length=MAX_GROUNDS)
        return self._step(case_id, number, actor, request, lambda case, at, zone: (
            case.commute(number, kind, day, vigilance_days, grounds, actor, at, zone)))

    def pause_for_illness(self, *, case_id: str, number: str, grounds: Any, actor: Actor,
                          request: IdempotentRequest | None) -> Outcome:
        """XI.C.3.d: the sanction stops running while the PPL is ill."""
        grounds = check_text(grounds, "grounds", max_length=MAX_GROUNDS)
        return self._step(case_id, number, actor, request, lambda case, at, _: (
            case.pause_for_illness(number, grounds, actor, at)))

    def resume_after_illness(self, *, case_id: str, number: str, actor: Actor,
                             request: IdempotentRequest | None) -> Outcome:
        """The sanction runs again; its last day moves by the days it was paused."""
        return self._step(case_id, number, actor, request, lambda case, at, zone: (
            case.resume_after_illness(number, actor, at, zone)))

    def reduce(self, *, case_id: str, number: str, ground: Any, ends_on: Any, grounds: Any,
               actor: Actor, request: IdempotentRequest | None) -> Outcome:
        """An earlier last day, for illness (XI.C.3.d) or as an incentive (X.A.1.f)."""
        day = parse_day(ends_on)
        if day is None:
            raise InvalidInput("ends_on_required", field="ends_on",
                               es="Indique la nueva fecha final.", en="Give the new end date.")
        grounds = check_text(grounds, "grounds", max_length=MAX_GROUNDS)
        return self._step(case_id, number, actor, request, lambda case, at, zone: (
            case.reduce(number, ground, day, grounds, actor, at, zone)))

    def declare_served(self, *, case_id: str, number: str, grounds: Any, actor: Actor,
                       request: IdempotentRequest | None) -> Outcome:
        """XI.C.3.d: an ill PPL's sanction declared served; the effect ends now."""
        grounds = check_text(grounds, "grounds", max_length=MAX_GROUNDS)
        return self._step(case_id, number, actor, request, lambda case, at, _: (
            case.declare_served(number, grounds, actor, at)))

    # ------------------------------------------------------------------ reading

    def eligibility(self, number: str, at: Any = None) -> dict[str, Any]:
        """What the POS may sell this PPL at an instant (now by default)."""
        zone = self.ctx.settings().zone()
        when = self.ctx.clock.now() if at is None else parse_instant(at, zone, "at")
        return eligibility_view(self.ctx.account(number, to_read=True), when, zone)

    def case(self, case_id: str) -> dict[str, Any]:
        zone = self.ctx.settings().zone()
        case = self._case(case_id)
        return {**case_view(case, zone, self.ctx.clock.now()),
                "history": self._history(case, zone)}

    def cases_of(self, number: str) -> dict[str, Any]:
        """The PPL's record of sanctions (XI.C.3.j): each case, their part in it, its
        history, and the eligibility now."""
        zone, now = self.ctx.settings().zone(), self.ctx.clock.now()
        account = self.ctx.account(number)
        cases = []
        for case_id in account.sanctions:
            case = self._case(case_id)
            view = case_view(case, zone, now)
            view["ppl"] = [t for t in view["ppl"] if t["penitentiary_number"] == number]
            view["history"] = [h for h in self._history(case, zone)
                               if h.get("penitentiary_number") in (None, number)]
            cases.append(view)
        return {"penitentiary_number": number, "eligibility": eligibility_view(account, now, zone),
                "cases": cases}

    def _history(self, case: DisciplinaryCase, zone: ZoneInfo) -> list[dict[str, Any]]:
        history = []
        event: Any
        for event in self.ctx.store.events.get(case.id):
            details = {k: _plain(v, zone) for k, v in event.__dict__.items()
                       if k not in ("originator_id", "originator_version", "timestamp",
                                    "actor", "number", "originator_topic")}
            actor = event.actor
            history.append({
                "at": _local(event.timestamp, zone),
                "event": type(event).__name__,
                "penitentiary_number": getattr(event, "number", None),
                "actor": {"user_id": actor.user_id, "role": actor.role.value,
                          "channel": actor.channel.value, "terminal_id": actor.terminal_id},
                **details,
            })
        return history


# ---------------------------------------------------------------------- views


def _plain(value: Any, zone: ZoneInfo) -> Any:
    if isinstance(value, datetime):
        return _local(value, zone)
    if isinstance(value, dict):
        return {k: _plain(v, zone) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, zone) for v in value]
    return value


def eligibility_view(account: Account, at: datetime, zone: ZoneInfo) -> dict[str, Any]:
    answer = account.eligibility(at)
    return {
        "penitentiary_number": account.number,
        "at": _local(at, zone),
        "status": answer.status.value,
        "money_limit_minor": answer.money_limit_minor,
        "items_limit": answer.items_limit,
        "until": _local(answer.until, zone),
        "case_ids": list(answer.case_ids),
    }


def sanction_status(sanction: Sanction, at: datetime) -> str:
    """Where the sanction stands at an instant."""
    if sanction["notified_at"] is None:
        return "decided"
    if sanction["revoked_at"] is not None:
        return "revoked"
    term: Term = sanction["terms"][-1]
    if term["pauses"] and term["pauses"][-1][1] is None and term["cut_at"] is None:
        return "paused"
    ends = min(t for t in (term["ends_at"], term["cut_at"]) if t is not None)
    if at >= ends:
        return "served"
    return "in_force" if at >= term["starts_at"] else "scheduled"


def case_view(case: DisciplinaryCase, zone: ZoneInfo, at: datetime) -> dict[str, Any]:
    return {
        "case_id": str(case.id),
        "offence_class": case.offence_class,
        "collective": case.collective,
        "facts": case.facts,
        "reporting_officer": case.reporting_officer,
        "occurred_at": _local(case.occurred_at, zone),
        "opened_at": _local(case.created_on, zone),
        "version": case.version,
        "ppl": [_track_view(case, number, zone, at) for number in case.ppl],
    }


def _track_view(case: DisciplinaryCase, number: str, zone: ZoneInfo,
                at: datetime) -> dict[str, Any]:
    track = case.tracks[number]
    sanction = track["sanction"]
    view: dict[str, Any] = {
        "penitentiary_number": number,
        "stage": track["stage"],
        "dismissal": track["dismissal"],
        "preventive": _plain(dict(track["preventive"]), zone) if track["preventive"] else None,
        "sanction": None,
        "windows": _plain(case.windows(number), zone),
    }
    if sanction is not None:
        commutation = _plain(dict(sanction["commutation"]), zone) if sanction[
            "commutation"] else None
        if commutation is not None and sanction["commutation"] is not None:
            commutation["final"] = at >= sanction["commutation"]["vigilance_until"]
        view["sanction"] = {
            **_plain({k: v for k, v in sanction.items() if k != "commutation"}, zone),
            "status": sanction_status(sanction, at),
            "commutation": commutation,
        }
    return view
