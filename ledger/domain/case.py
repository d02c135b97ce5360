"""A disciplinary case (XI): one incident, one PPL or several (a collective case,
XI.C.3.e), and for each of them the life of the sanction that touches the commissary:
preventive sanction, the director's decision, notification (the sanction starts the moment
it is communicated, XI.C.3.a), appeals (XI.C.2), commutation (XI.C.3.f), suspension for
illness (XI.C.3.d) and reduction as an incentive (X.A.1.f).

The case decides WHEN the commissary is suspended or restricted: `windows(number)`. The
services copy those windows onto the PPL's Account in the same atomic save, because the
Account is what a sale checks (`Account.eligibility`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, TypedDict
from zoneinfo import ZoneInfo

from eventsourcing.domain import Aggregate

from ledger.domain.actor import Actor, Role
from ledger.domain.effects import window
from ledger.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from ledger.domain.offences import (
    CLASS_NAMES_ES,
    PRESCRIPTION_DAYS,
    PREVENTIVE_ALLOWED,
    OffenceClass,
    check_duration,
    end_of_day,
    last_day,
    local_day,
)

APPEAL_DAYS = 5  # XI.C.2.b: five calendar days from the personal notification
DIRECTOR_RESOLUTION_DAYS = 10  # XI.C.2.c: then the appeal is deemed confirmed
MAX_VIGILANCE_DAYS = 365
MAX_PPL_PER_CASE = 200

OFFICERS = frozenset({Role.CASE_OFFICER, Role.DIRECTOR})
DIRECTOR_ONLY = frozenset({Role.DIRECTOR})


class Stage(StrEnum):
    INVESTIGATING = "investigating"
    DISMISSED = "dismissed"
    DECIDED = "decided"
    NOTIFIED = "notified"


class AppealLevel(StrEnum):
    DIRECTOR = "director"  # recurso de revocación (XI.C.2.b)
    INSTITUTE = "institute"  # recurso jerárquico (XI.C.2.d)


class AppealOutcome(StrEnum):
    CONFIRMED = "confirmed"
    REVOKED = "revoked"
    REVOKED_PARTLY = "revoked_partly"


class CommutationKind(StrEnum):
    REDUCE = "reduce"
    SERVED = "served"


class ReductionGround(StrEnum):
    ILLNESS = "illness"  # XI.C.3.d
    INCENTIVE = "incentive"  # X.A.1.f


class Preventive(TypedDict):
    effect: dict[str, Any]
    reason: str
    starts_at: datetime
    lifted_at: datetime | None


class Term(TypedDict):
    """A stretch of sanction to serve: the sanction itself, or what a commutation revived."""

    starts_at: datetime
    ends_on: str  # inclusive last day, ISO date in the unit's time zone
    ends_at: datetime  # 00:00 local after ends_on
    pauses: list[list[datetime | None]]  # [paused_at, resumed_at or None]
    cut_at: datetime | None  # ended early: declared served, or revoked partly into the past


class Appeal(TypedDict):
    level: str
    filed_at: datetime
    grounds: str
    resolved_at: datetime | None
    outcome: str | None
    ends_on: str | None


class Commutation(TypedDict):
    kind: str
    commuted_at: datetime
    commuted_days: int
    vigilance_until: datetime
    grounds: str
    revived_by: str | None


class Sanction(TypedDict):
    effect: dict[str, Any]
    days: int
    grounds: str
    decided_at: datetime
    notified_at: datetime | None
    preventive_days: int
    terms: list[Term]
    appeals: list[Appeal]
    revoked_at: datetime | None
    commutation: Commutation | None


class Track(TypedDict):
    """One PPL's part in the case."""

    number: str
    stage: str
    preventive: Preventive | None
    sanction: Sanction | None
    dismissal: str | None


def parse_choice(enum: type[StrEnum], value: Any, field: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        names = ", ".join(e.value for e in enum)
        raise InvalidInput(f"{field}_unknown", field=field,
                           es=f"Valor desconocido en «{field}»; use uno de: {names}.",
                           en=f"Unknown value in '{field}'; use one of: {names}.") from None


def check_role(actor: Actor, allowed: frozenset[Role]) -> None:
    if actor.role in allowed:
        return
    if allowed == DIRECTOR_ONLY:
        raise Forbidden("director_required", es="Solo el Director puede hacerlo (XI.C.1.i).",
                        en="Only the director may do this (XI.C.1.i).")
    raise Forbidden("case_officer_required",
                    es="Solo un instructor de casos o el Director puede hacerlo.",
                    en="Only a case officer or the director may do this.")


def _iso(day: date) -> str:
    return day.isoformat()


def _refuse(code: str, es: str, en: str, **context: Any) -> Conflict:
    return Conflict(code, es=es, en=en, **context)


def _term_windows(term: Term, revoked_at: datetime | None,
                  effect: dict[str, Any]) -> list[dict[str, Any] | None]:
    end = min(t for t in (term["ends_at"], term["cut_at"], revoked_at) if t is not None)
    found: list[dict[str, Any] | None] = []
    cursor: datetime | None = term["starts_at"]
    for paused_at, resumed_at in term["pauses"]:
        assert cursor is not None and paused_at is not None
        found.append(window(cursor, min(paused_at, end), effect))
        cursor = resumed_at
        if cursor is None:
            break
    if cursor is not None:
        found.append(window(cursor, end, effect))
    return found


def _set_end(term: Term, ends_on: str, ends_at: datetime) -> None:
    term["ends_on"] = ends_on
    term["ends_at"] = ends_at


def _paused(term: Term) -> bool:
    return bool(term["pauses"]) and term["pauses"][-1][1] is None


class DisciplinaryCase(Aggregate):
    class Opened(Aggregate.Created):
        ppl: list[str]
        offence_class: str
        facts: str
        reporting_officer: str
        occurred_at: datetime
        actor: Actor

    class Event(Aggregate.Event):
        actor: Actor

    class PplEvent(Event):
        """An event in one PPL's part of the case."""

        number: str

    class PreventiveSanctionImposed(PplEvent):
        effect: dict[str, Any]
        reason: str

        def apply(self, case: DisciplinaryCase) -> None:
            case.tracks[self.number]["preventive"] = Preventive(
                effect=dict(self.effect), reason=self.reason, starts_at=self.timestamp,
                lifted_at=None)

    class PreventiveSanctionLifted(PplEvent):
        reason: str

        def apply(self, case: DisciplinaryCase) -> None:
            case._lift_preventive(self.number, self.timestamp)

    class Dismissed(PplEvent):
        reason: str

        def apply(self, case: DisciplinaryCase) -> None:
            track = case.tracks[self.number]
            track["stage"] = Stage.DISMISSED.value
            track["dismissal"] = self.reason
            case._lift_preventive(self.number, self.timestamp)

    class SanctionDecided(PplEvent):
        effect: dict[str, Any]
        days: int
        grounds: str

        def apply(self, case: DisciplinaryCase) -> None:
            track = case.tracks[self.number]
            track["stage"] = Stage.DECIDED.value
            track["sanction"] = Sanction(
                effect=dict(self.effect), days=self.days, grounds=self.grounds,
                decided_at=self.timestamp, notified_at=None, preventive_days=0, terms=[],
                appeals=[], revoked_at=None, commutation=None)

    class SanctionNotified(PplEvent):
        preventive_days: int
        ends_on: str
        ends_at: datetime

        def apply(self, case: DisciplinaryCase) -> None:
            track = case.tracks[self.number]
            track["stage"] = Stage.NOTIFIED.value
            case._lift_preventive(self.number, self.timestamp)
            sanction = case._sanction_of(self.number)
            sanction["notified_at"] = self.timestamp
            sanction["preventive_days"] = self.preventive_days
            sanction["terms"] = [Term(starts_at=self.timestamp, ends_on=self.ends_on,
                                      ends_at=self.ends_at, pauses=[], cut_at=None)]

    class AppealFiled(PplEvent):
        level: str
        grounds: str

        def apply(self, case: DisciplinaryCase) -> None:
            case._sanction_of(self.number)["appeals"].append(Appeal(
                level=self.level, filed_at=self.timestamp, grounds=self.grounds,
                resolved_at=None, outcome=None, ends_on=None))

    class AppealResolved(PplEvent):
        level: str
        outcome: str
        grounds: str
        ends_on: str | None  # the new last day, when revoked partly
        ends_at: datetime | None  # None when that day is already past: it ends now
        excess_days: int  # days served beyond the new end (XI.C.2.e)

        def apply(self, case: DisciplinaryCase) -> None:
            sanction = case._sanction_of(self.number)
            appeal = next(a for a in sanction["appeals"] if a["level"] == self.level)
            appeal["resolved_at"] = self.timestamp
            appeal["outcome"] = self.outcome
            appeal["ends_on"] = self.ends_on
            if self.outcome == AppealOutcome.REVOKED:
                sanction["revoked_at"] = self.timestamp
            elif self.outcome == AppealOutcome.REVOKED_PARTLY:
                term = sanction["terms"][0]
                if self.ends_at is None:
                    term["cut_at"] = self.timestamp
                else:
                    _set_end(term, self.ends_on or term["ends_on"], self.ends_at)

    class SanctionPaused(PplEvent):
        grounds: str

        def apply(self, case: DisciplinaryCase) -> None:
            case._term_of(self.number)["pauses"].append([self.timestamp, None])

    class SanctionResumed(PplEvent):
        paused_days: int
        ends_on: str
        ends_at: datetime

        def apply(self, case: DisciplinaryCase) -> None:
            term = case._term_of(self.number)
            term["pauses"][-1][1] = self.timestamp
            _set_end(term, self.ends_on, self.ends_at)

    class SanctionReduced(PplEvent):
        ground: str
        grounds: str
        ends_on: str
        ends_at: datetime

        def apply(self, case: DisciplinaryCase) -> None:
            _set_end(case._term_of(self.number), self.ends_on, self.ends_at)

    class SanctionDeclaredServed(PplEvent):
        grounds: str

        def apply(self, case: DisciplinaryCase) -> None:
            case._term_of(self.number)["cut_at"] = self.timestamp

    class SanctionCommuted(PplEvent):
        kind: str
        grounds: str
        ends_on: str | None  # None: declared served now
        ends_at: datetime | None
        commuted_days: int
        vigilance_until: datetime

        def apply(self, case: DisciplinaryCase) -> None:
            sanction = case._sanction_of(self.number)
            sanction["commutation"] = Commutation(
                kind=self.kind, commuted_at=self.timestamp, commuted_days=self.commuted_days,
                vigilance_until=self.vigilance_until, grounds=self.grounds, revived_by=None)
            term = sanction["terms"][-1]
            if self.ends_at is None:
                term["cut_at"] = self.timestamp
            else:
                _set_end(term, self.ends_on or term["ends_on"], self.ends_at)

    class CommutedSanctionRevived(PplEvent):
        by_case_id: str
        starts_at: datetime
        ends_on: str
        ends_at: datetime

        def apply(self, case: DisciplinaryCase) -> None:
            sanction = case._sanction_of(self.number)
            commutation = sanction["commutation"]
            assert commutation is not None
            commutation["revived_by"] = self.by_case_id
            sanction["terms"].append(Term(starts_at=self.starts_at, ends_on=self.ends_on,
                                          ends_at=self.ends_at, pauses=[], cut_at=None))

    # ------------------------------------------------------------------ state

    def __init__(self, ppl: list[str], offence_class: str, facts: str, reporting_officer: str,
                 occurred_at: datetime, actor: Actor) -> None:
        self.ppl = list(ppl)
        self.offence_class = offence_class
        self.facts = facts
        self.reporting_officer = reporting_officer
        self.occurred_at = occurred_at
        self.tracks: dict[str, Track] = {
            number: Track(number=number, stage=Stage.INVESTIGATING.value, preventive=None,
                          sanction=None, dismissal=None)
            for number in ppl
        }

    @classmethod
    def open(cls, case_id: Any, *, ppl: list[str], offence_class: OffenceClass, facts: str,
             reporting_officer: str, occurred_at: datetime, actor: Actor, at: datetime,
             zone: ZoneInfo) -> DisciplinaryCase:
        """An incident reported (XI.C.1.a-d) against one PPL or several."""
        check_role(actor, OFFICERS)
        if not ppl:
            raise InvalidInput("ppl_required", field="ppl", es="Indique al menos una PPL.",
                               en="Name at least one PPL.")
        if len(set(ppl)) != len(ppl) or len(ppl) > MAX_PPL_PER_CASE:
            raise InvalidInput("ppl_invalid", field="ppl",
                               es=f"Cada PPL una sola vez, hasta {MAX_PPL_PER_CASE}.",
                               en=f"Each PPL once, up to {MAX_PPL_PER_CASE}.")
        if occurred_at > at:
            raise InvalidInput("occurred_in_future", field="occurred_at",
                               es="Los hechos no pueden ser posteriores a la apertura del caso.",
                               en="The incident cannot be later than the opening of the case.")
        limit = PRESCRIPTION_DAYS[offence_class]
        if (local_day(at, zone) - local_day(occurred_at, zone)).days > limit:
            raise InvalidInput(
                "offence_prescribed", field="occurred_at",
                es=f"Una falta {CLASS_NAMES_ES[offence_class]} prescribe a los {limit} días "
                   "(XI.A.4).",
                en=f"A {offence_class.value.replace('_', ' ')} offence prescribes after "
                   f"{limit} days (XI.A.4).", prescription_days=limit)
        return cls._create(cls.Opened, id=case_id, ppl=list(ppl),
                           offence_class=offence_class.value, facts=facts,
                           reporting_officer=reporting_officer, occurred_at=occurred_at,
                           actor=actor, timestamp=at)

    @property
    def collective(self) -> bool:
        return len(self.ppl) > 1

    def _lift_preventive(self, number: str, at: datetime) -> None:
        preventive = self.tracks[number]["preventive"]
        if preventive is not None and preventive["lifted_at"] is None:
            preventive["lifted_at"] = at

    def _sanction_of(self, number: str) -> Sanction:
        sanction = self.tracks[number]["sanction"]
        assert sanction is not None
        return sanction

    def _term_of(self, number: str) -> Term:
        return self._sanction_of(number)["terms"][-1]

    # ------------------------------------------------------------------ reading

    def windows(self, number: str) -> list[dict[str, Any]]:
        """When this case suspends or restricts the commissary of this PPL (as recorded on
        the Account): the preventive sanction, then each term of the sanction less its
        pauses, cut where it was revoked or declared served."""
        track = self.tracks[number]
        found: list[dict[str, Any] | None] = []
        preventive = track["preventive"]
        if preventive is not None:
            found.append(window(preventive["starts_at"], preventive["lifted_at"],
                                preventive["effect"]))
        sanction = track["sanction"]
        if sanction is not None:
            for term in sanction["terms"]:
                found.extend(_term_windows(term, sanction["revoked_at"], sanction["effect"]))
        return [w for w in found if w is not None]

    def sanction_end(self, number: str) -> datetime | None:
        """The instant the sanction in force for this PPL is over (its last term)."""
        sanction = self.tracks[number]["sanction"]
        if sanction is None or not sanction["terms"]:
            return None
        term = sanction["terms"][-1]
        ends = min(t for t in (term["ends_at"], term["cut_at"], sanction["revoked_at"]) if t)
        return max(ends, term["starts_at"])

    def revivable(self, number: str, offence_at: datetime) -> bool:
        """Whether an offence at this instant falls inside the vigilance period of a
        commutation of this PPL's sanction, which then must be served (XI.C.3.f)."""
        track = self.tracks.get(number)
        sanction = track["sanction"] if track else None
        commutation = sanction["commutation"] if sanction else None
        return bool(
            sanction is not None and commutation is not None
            and commutation["revived_by"] is None and sanction["revoked_at"] is None
            and commutation["commuted_days"] > 0
            and commutation["commuted_at"] <= offence_at < commutation["vigilance_until"]
        )

    # ------------------------------------------------------------------ guards

    def _track(self, number: str) -> Track:
        track = self.tracks.get(number)
        if track is None:
            raise NotFound("ppl_not_in_case", field="penitentiary_number",
                           es=f"La PPL {number} no forma parte de este caso.",
                           en=f"PPL {number} is not part of this case.")
        return track

    def _expect(self, number: str, *allowed: Stage) -> Track:
        track = self._track(number)
        stage = Stage(track["stage"])
        if stage in allowed:
            return track
        if stage is Stage.DISMISSED:
            raise _refuse("ppl_dismissed", "El caso de esta PPL se archivó sin sanción.",
                          "The case of this PPL was dismissed without a sanction.")
        if stage is Stage.INVESTIGATING:
            raise _refuse("sanction_not_decided", "El Director aún no decidió la sanción.",
                          "The director has not decided the sanction yet.")
        if stage is Stage.DECIDED and Stage.NOTIFIED in allowed:
            raise _refuse("sanction_not_notified", "La sanción aún no se notificó a la PPL.",
                          "The sanction has not been notified to the PPL yet.")
        if stage is Stage.NOTIFIED and Stage.DECIDED in allowed:
            raise _refuse("sanction_already_notified", "La sanción ya fue notificada.",
                          "The sanction was already notified.")
        raise _refuse("sanction_already_decided", "La sanción ya fue decidida.",
                      "The sanction was already decided.")

    def _notified(self, number: str) -> Sanction:
        self._expect(number, Stage.NOTIFIED)
        return self._sanction_of(number)

    def _live_term(self, number: str, at: datetime, *, allow_paused: bool) -> Term:
        """The term still to be served: not revoked, not over, not cut short."""
        sanction = self._notified(number)
        if sanction["revoked_at"] is not None:
            raise _refuse("sanction_revoked", "La sanción fue revocada.",
                          "The sanction was revoked.")
        term = sanction["terms"][-1]
        paused = _paused(term)
        if paused and not allow_paused:
            raise _refuse("sanction_paused", "La sanción está suspendida por enfermedad.",
                          "The sanction is paused for illness.")
        if term["cut_at"] is not None or (not paused and at >= term["ends_at"]):
            raise _refuse("sanction_not_in_force",
                          "La sanción ya se cumplió: no queda nada por cumplir.",
                          "The sanction is already served: nothing is left to serve.",
                          ended_on=term["ends_on"])
        return term

    def _check_new_end(self, term: Term, ends_on: date, at: datetime, zone: ZoneInfo, *,
                       past_allowed: bool = False) -> None:
        first = local_day(term["starts_at"], zone)
        if ends_on < first:
            raise InvalidInput("ends_before_start", field="ends_on",
                               es=f"La fecha final es anterior al inicio ({first}).",
                               en=f"The end date is before the start ({first}).")
        if ends_on >= date.fromisoformat(term["ends_on"]):
            raise InvalidInput("not_a_reduction", field="ends_on",
                               es=f"La nueva fecha final debe ser anterior a {term['ends_on']}.",
                               en=f"The new end date must be before {term['ends_on']}.")
        today = local_day(at, zone)
        if ends_on < today and not past_allowed:
            raise InvalidInput("ends_on_in_past", field="ends_on",
                               es="La nueva fecha final ya pasó; declare cumplida la sanción.",
                               en="The new end date is past; declare the sanction served.")

    # ------------------------------------------------------------------ investigation

    def impose_preventive(self, number: str, effect: dict[str, Any], reason: str,
                          actor: Actor, at: datetime) -> None:
        """A preventive sanction while the facts are investigated (XI.C.1.e); never for a
        minor offence (XI.C.3.a). It is deducted from the sanction decided later."""
        check_role(actor, OFFICERS)
        if self.offence_class not in PREVENTIVE_ALLOWED:
            raise _refuse("preventive_not_allowed_for_minor",
                          "Las faltas leves no admiten sanción preventiva (XI.C.3.a).",
                          "A minor offence takes no preventive sanction (XI.C.3.a).")
        track = self._expect(number, Stage.INVESTIGATING)
        if track["preventive"] is not None:
            raise _refuse("preventive_already_imposed", "Ya se aplicó una sanción preventiva.",
                          "A preventive sanction was already imposed.")
        self.trigger_event(self.PreventiveSanctionImposed, number=number, effect=effect,
                           reason=reason, actor=actor, timestamp=at)

    def lift_preventive(self, number: str, reason: str, actor: Actor, at: datetime) -> None:
        check_role(actor, OFFICERS)
        preventive = self._track(number)["preventive"]
        if preventive is None or preventive["lifted_at"] is not None:
            raise _refuse("preventive_not_in_force", "No hay sanción preventiva en vigor.",
                          "No preventive sanction is in force.")
        self.trigger_event(self.PreventiveSanctionLifted, number=number, reason=reason,
                           actor=actor, timestamp=at)

    def dismiss(self, number: str, reason: str, actor: Actor, at: datetime) -> None:
        """No sanction for this PPL; a preventive sanction in force is lifted."""
        check_role(actor, DIRECTOR_ONLY)
        self._expect(number, Stage.INVESTIGATING, Stage.DECIDED)
        self.trigger_event(self.Dismissed, number=number, reason=reason, actor=actor,
                           timestamp=at)

    def decide_sanction(self, number: str, effect: dict[str, Any], days: Any, grounds: str,
                        actor: Actor, at: datetime) -> None:
        """The director's determination (XI.C.1.i), its length checked against XI.B. It
        takes effect when it is communicated (`notify`)."""
        check_role(actor, DIRECTOR_ONLY)
        self._expect(number, Stage.INVESTIGATING)
        days = check_duration(days, OffenceClass(self.offence_class), collective=self.collective)
        self.trigger_event(self.SanctionDecided, number=number, effect=effect, days=days,
                           grounds=grounds, actor=actor, timestamp=at)

    def notify(self, number: str, actor: Actor, at: datetime, zone: ZoneInfo) -> None:
        """Communicated to the PPL (XI.C.1.m): the sanction starts now, its first day is
        today, and each day of preventive sanction before today is deducted (XI.C.3.a)."""
        check_role(actor, OFFICERS)
        track = self._expect(number, Stage.DECIDED)
        sanction = self._sanction_of(number)
        preventive = track["preventive"]
        served = 0
        if preventive is not None:
            until = preventive["lifted_at"] or at
            served = (local_day(until, zone) - local_day(preventive["starts_at"], zone)).days
        ends_on = last_day(local_day(at, zone), sanction["days"] - served)
        self.trigger_event(self.SanctionNotified, number=number, preventive_days=served,
                           ends_on=_iso(ends_on), ends_at=end_of_day(ends_on, zone),
                           actor=actor, timestamp=at)

    # ------------------------------------------------------------------ appeals

    def _appeal(self, sanction: Sanction, level: AppealLevel) -> Appeal | None:
        return next((a for a in sanction["appeals"] if a["level"] == level), None)

    def _director_term_end(self, appeal: Appeal, zone: ZoneInfo) -> datetime:
        last = local_day(appeal["filed_at"], zone) + timedelta(days=DIRECTOR_RESOLUTION_DAYS)
        return end_of_day(last, zone)

    def _institute_deadline(self, director: Appeal, zone: ZoneInfo) -> datetime:
        if director["resolved_at"] is not None:
            basis = local_day(director["resolved_at"], zone)
        else:  # deemed confirmed when the director's ten days ran out
            basis = local_day(self._director_term_end(director, zone), zone) - timedelta(days=1)
        return end_of_day(basis + timedelta(days=APPEAL_DAYS), zone)

    def appeal(self, number: str, level: Any, grounds: str, actor: Actor, at: datetime,
               zone: ZoneInfo) -> None:
        """Records an appeal by the PPL or their counsel: to the director within five
        calendar days of notification (XI.C.2.b); then to the institute (XI.C.2.c-d)."""
        check_role(actor, OFFICERS)
        level = parse_choice(AppealLevel, level, "level")
        sanction = self._notified(number)
        director = self._appeal(sanction, AppealLevel.DIRECTOR)
        institute = self._appeal(sanction, AppealLevel.INSTITUTE)
        if (institute is not None and institute["resolved_at"] is not None) or (
                director is not None and director["outcome"] == AppealOutcome.REVOKED):
            raise _refuse("decision_final", "La decisión es firme: no admite más recursos.",
                          "The decision is final: no further appeal.")
        if level is AppealLevel.DIRECTOR:
            if director is not None:
                raise _refuse("appeal_already_filed", "Ya se presentó ese recurso.",
                              "That appeal was already filed.")
            notified_at = sanction["notified_at"]
            assert notified_at is not None
            deadline = end_of_day(local_day(notified_at, zone) + timedelta(days=APPEAL_DAYS),
                                  zone)
        else:
            if institute is not None:
                raise _refuse("appeal_already_filed", "Ya se presentó ese recurso.",
                              "That appeal was already filed.")
            if director is None:
                raise _refuse("director_appeal_required",
                              "El recurso jerárquico va en subsidio del de revocación: "
                              "primero se recurre ante el Director (XI.C.2.a).",
                              "The appeal to the institute follows one to the director "
                              "(XI.C.2.a): appeal to the director first.")
            if director["resolved_at"] is None and at < self._director_term_end(director, zone):
                raise _refuse("director_appeal_pending",
                              "El Director aún está en plazo para resolver (XI.C.2.c).",
                              "The director is still within the term to decide (XI.C.2.c).")
            deadline = self._institute_deadline(director, zone)
        if at >= deadline:
            last = (deadline - timedelta(days=1)).astimezone(zone).date()
            raise _refuse("appeal_out_of_time",
                          f"El plazo para recurrir venció el {last} (cinco días corridos).",
                          f"The term to appeal ran out on {last} (five calendar days).",
                          deadline=deadline.isoformat())
        self.trigger_event(self.AppealFiled, number=number, level=level.value, grounds=grounds,
                           actor=actor, timestamp=at)

    def resolve_appeal(self, number: str, level: Any, outcome: Any, ends_on: date | None,
                       grounds: str, actor: Actor, at: datetime, zone: ZoneInfo) -> None:
        """The director's (or the institute's) answer: confirmed, revoked wholly (the
        effect ends now), or revoked partly with a new last day."""
        level = parse_choice(AppealLevel, level, "level")
        outcome = parse_choice(AppealOutcome, outcome, "outcome")
        check_role(actor, DIRECTOR_ONLY if level is AppealLevel.DIRECTOR else OFFICERS)
        sanction = self._notified(number)
        appeal = self._appeal(sanction, level)
        if appeal is None or appeal["resolved_at"] is not None:
            raise _refuse("appeal_not_pending", "No hay un recurso pendiente en esa instancia.",
                          "No appeal is pending at that level.")
        if level is AppealLevel.DIRECTOR and at >= self._director_term_end(appeal, zone):
            raise _refuse("appeal_term_expired",
                          "Vencieron los diez días: el recurso se tiene por confirmado y pasa "
                          "al INR (XI.C.2.c).",
                          "The ten days ran out: the appeal is deemed confirmed and goes to "
                          "the institute (XI.C.2.c).")
        ends_at: datetime | None = None
        excess = 0
        if outcome is AppealOutcome.REVOKED_PARTLY:
            if ends_on is None:
                raise InvalidInput("ends_on_required", field="ends_on",
                                   es="Indique la nueva fecha final.",
                                   en="Give the new end date.")
            term = sanction["terms"][0]
            self._check_new_end(term, ends_on, at, zone, past_allowed=True)
            excess = max(0, (local_day(at, zone) - ends_on).days)
            ends_at = None if excess else end_of_day(ends_on, zone)
        elif ends_on is not None:
            raise InvalidInput("ends_on_not_expected", field="ends_on",
                               es="La fecha final solo se indica en una revocación parcial.",
                               en="An end date is only given for a partial revocation.")
        self.trigger_event(self.AppealResolved, number=number, level=level.value,
                           outcome=outcome.value, grounds=grounds,
                           ends_on=_iso(ends_on) if ends_on else None, ends_at=ends_at,
                           excess_days=excess, actor=actor, timestamp=at)

    # ------------------------------------------------------------------ execution

    def commute(self, number: str, kind: Any, ends_on: date | None, vigilance_days: Any,
                grounds: str, actor: Actor, at: datetime, zone: ZoneInfo) -> None:
        """Compurgación (XI.C.3.f): reduce, or declare served, under a vigilance period;
        a new offence inside it revives what was commuted."""
        check_role(actor, DIRECTOR_ONLY)
        kind = parse_choice(CommutationKind, kind, "kind")
        sanction = self._notified(number)
        if sanction["revoked_at"] is not None:
            raise _refuse("sanction_revoked", "Una sanción revocada no se compurga.",
                          "A revoked sanction cannot be commuted.")
        if sanction["commutation"] is not None:
            raise _refuse("already_commuted", "Esta sanción ya fue compurgada.",
                          "This sanction was already commuted.")
        term = self._live_term(number, at, allow_paused=False)
        if type(vigilance_days) is not int or not 1 <= vigilance_days <= MAX_VIGILANCE_DAYS:
            raise InvalidInput("vigilance_out_of_range", field="vigilance_days",
                               es=f"El plazo de vigencia es de 1 a {MAX_VIGILANCE_DAYS} días.",
                               en=f"The vigilance period is 1 to {MAX_VIGILANCE_DAYS} days.",
                               max_days=MAX_VIGILANCE_DAYS)
        today = local_day(at, zone)
        current_end = date.fromisoformat(term["ends_on"])
        ends_at: datetime | None = None
        if kind is CommutationKind.REDUCE:
            if ends_on is None:
                raise InvalidInput("ends_on_required", field="ends_on",
                                   es="Indique la nueva fecha final.",
                                   en="Give the new end date.")
            self._check_new_end(term, ends_on, at, zone)
            commuted = (current_end - ends_on).days
            ends_at = end_of_day(ends_on, zone)
        else:
            if ends_on is not None:
                raise InvalidInput("ends_on_not_expected", field="ends_on",
                                   es="Declarada cumplida, la sanción termina ahora.",
                                   en="Declared served, the sanction ends now.")
            commuted = max(0, (current_end - today).days)
        self.trigger_event(
            self.SanctionCommuted, number=number, kind=kind.value, grounds=grounds,
            ends_on=_iso(ends_on) if ends_on else None, ends_at=ends_at,
            commuted_days=commuted,
            vigilance_until=end_of_day(today + timedelta(days=vigilance_days), zone),
            actor=actor, timestamp=at)

    def revive(self, number: str, by_case_id: str, offence_at: datetime, starts_at: datetime,
               actor: Actor, at: datetime, zone: ZoneInfo) -> None:
        """The commuted days are served after the sanction for the new offence (XI.C.3.f),
        without the Commission."""
        check_role(actor, OFFICERS)
        if not self.revivable(number, offence_at):
            raise _refuse("nothing_to_revive",
                          "No hay una compurgación en vigilancia para esa falta.",
                          "No commutation under vigilance covers that offence.")
        commutation = self._sanction_of(number)["commutation"]
        assert commutation is not None
        ends_on = last_day(local_day(starts_at, zone), commutation["commuted_days"])
        self.trigger_event(self.CommutedSanctionRevived, number=number, by_case_id=by_case_id,
                           starts_at=starts_at, ends_on=_iso(ends_on),
                           ends_at=end_of_day(ends_on, zone), actor=actor, timestamp=at)

    def pause_for_illness(self, number: str, grounds: str, actor: Actor, at: datetime) -> None:
        """XI.C.3.d: the sanction stops running while the PPL is ill."""
        check_role(actor, DIRECTOR_ONLY)
        term = self._live_term(number, at, allow_paused=False)
        if at < term["starts_at"]:
            raise _refuse("sanction_not_in_force", "Esa parte de la sanción aún no empezó.",
                          "That part of the sanction has not started yet.")
        self.trigger_event(self.SanctionPaused, number=number, grounds=grounds, actor=actor,
                           timestamp=at)

    def resume_after_illness(self, number: str, actor: Actor, at: datetime,
                             zone: ZoneInfo) -> None:
        """The sanction runs again; its last day moves by the calendar days it was paused
        (from the day of the pause to the day of the resumption)."""
        check_role(actor, DIRECTOR_ONLY)
        term = self._live_term(number, at, allow_paused=True)
        if not _paused(term):
            raise _refuse("sanction_not_paused", "La sanción no está suspendida.",
                          "The sanction is not paused.")
        paused_at = term["pauses"][-1][0]
        assert paused_at is not None
        moved = (local_day(at, zone) - local_day(paused_at, zone)).days
        ends_on = date.fromisoformat(term["ends_on"]) + timedelta(days=moved)
        self.trigger_event(self.SanctionResumed, number=number, paused_days=moved,
                           ends_on=_iso(ends_on), ends_at=end_of_day(ends_on, zone),
                           actor=actor, timestamp=at)

    def reduce(self, number: str, ground: Any, ends_on: date, grounds: str, actor: Actor,
               at: datetime, zone: ZoneInfo) -> None:
        """A new, earlier last day: for illness (XI.C.3.d) or as an incentive (X.A.1.f)."""
        check_role(actor, DIRECTOR_ONLY)
        ground = parse_choice(ReductionGround, ground, "ground")
        term = self._live_term(number, at, allow_paused=ground is ReductionGround.ILLNESS)
        self._check_new_end(term, ends_on, at, zone)
        self.trigger_event(self.SanctionReduced, number=number, ground=ground.value,
                           grounds=grounds, ends_on=_iso(ends_on),
                           ends_at=end_of_day(ends_on, zone), actor=actor, timestamp=at)

    def declare_served(self, number: str, grounds: str, actor: Actor, at: datetime) -> None:
        """XI.C.3.d: an ill PPL's sanction declared served; the effect ends now."""
        check_role(actor, DIRECTOR_ONLY)
        self._live_term(number, at, allow_paused=True)
        self.trigger_event(self.SanctionDeclaredServed, number=number, grounds=grounds,
                           actor=actor, timestamp=at)
