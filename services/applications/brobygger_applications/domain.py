"""The applications service's aggregates and their private events. Pure: no I/O, no frameworks.

Events carry the context publishing needs (the scheme, the volunteer's id), so that the mapping to
integration events is a function of the event alone.

- ServiceApplication: a citizen's søknad for støttekontakt, privat avlastning or besøkshjem, from
  receipt through kartlegging, vedtak and klage (DOMAIN.md, "A citizen's case").
- VolunteerApplication: a would-be oppdragstaker's way in: interview, formålsbekreftelse,
  politiattest, taushetserklæring, approval (DOMAIN.md, "Becoming an oppdragstaker").

Each command checks its rule first and only then records an event (a private method decorated with
@event), so replaying history never re-checks rules that may since have changed. A broken rule is a
`RuleViolation` whose message a caseworker can read.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from brobygger_shared.attests import SCHEME_WORDS, AttestKind, AttestRules
from brobygger_shared.calendar import add_months, age_on, norwegian_date
from brobygger_shared.events.terms import ScopeUnit
from brobygger_shared.rules import RuleViolation, require, require_value


# -- the schemes --------------------------------------------------------------------------------------


class Scheme(StrEnum):
    STOTTEKONTAKT = "støttekontakt"  # helse og omsorg
    STOTTEKONTAKT_BARNEVERN = "støttekontakt_barnevern"
    PRIVAT_AVLASTNING = "privat_avlastning"
    BESOKSHJEM = "besøkshjem"  # barnevern

    @property
    def is_barnevern(self) -> bool:
        return self in (Scheme.STOTTEKONTAKT_BARNEVERN, Scheme.BESOKSHJEM)

    @property
    def legal_basis(self) -> str:
        return LEGAL_BASIS[self]

    @property
    def scope_unit(self) -> ScopeUnit:
        return ScopeUnit.DOGN_PER_MONTH if self is Scheme.BESOKSHJEM else ScopeUnit.HOURS_PER_WEEK


LEGAL_BASIS = {
    Scheme.STOTTEKONTAKT: "helse- og omsorgstjenesteloven § 3-2 første ledd nr. 6 bokstav b",
    Scheme.STOTTEKONTAKT_BARNEVERN: "barnevernsloven, hjelpetiltak",
    Scheme.PRIVAT_AVLASTNING: "helse- og omsorgstjenesteloven § 3-6 første ledd nr. 2",
    Scheme.BESOKSHJEM: "barnevernsloven, hjelpetiltak",
}


MAX_SCOPE = max(unit.maximum for unit in ScopeUnit)
UNIT_WORDS = {ScopeUnit.HOURS_PER_WEEK: "timer per uke", ScopeUnit.DOGN_PER_MONTH: "døgn per måned"}


# -- a citizen's case -----------------------------------------------------------------------------------


class CaseStatus(StrEnum):
    RECEIVED = "mottatt"
    GRANTED = "innvilget"
    REFUSED = "avslått"
    APPEALED = "klage_til_behandling"
    AT_STATSFORVALTEREN = "hos_statsforvalteren"
    WITHDRAWN = "trukket"  # the søknad withdrawn before any vedtak
    ENDED = "avsluttet"  # the person ended a granted service (from `ended["ended_on"]`)


class AppealOnEnding(StrEnum):
    """What happens to a pending klage when the person ends the service: said explicitly, never assumed."""

    WITHDRAWN = "trekkes"
    KEPT = "opprettholdes"


class StatsforvalterOutcome(StrEnum):
    UPHELD = "stadfestet"  # the kommune's decision stands
    REVERSED = "omgjort"  # the Statsforvalteren changed it
    SENT_BACK = "opphevet"  # set aside and sent back for a new decision


@dataclass(frozen=True)
class NewDecision:
    """What a vedtak decides: granted with scope and period, or refused."""

    granted: bool
    scope: float | None = None
    period_from: date | None = None
    period_to: date | None = None


APPEAL_WEEKS = 4  # pasient- og brukerrettighetsloven § 7-5
INTERIM_REPLY_AFTER_MONTHS = 1


class ServiceApplication(Aggregate):
    id: UUID  # given by the caller when an Idempotency-Key names the case

    @event("Received")
    def __init__(
        self,
        person_id: UUID,
        national_id: str,
        full_name: str,
        birth_date: date,
        address: str,
        area: str,
        scheme: Scheme,
        needs: str,
        interests: list[str],
        wished_activities: list[str],
        helper_wishes: dict,
        carers: list[dict],
        scope_asked: float | None,
        received_on: date,
    ) -> None:
        self.person_id = person_id
        self.national_id = national_id
        self.full_name = full_name
        self.birth_date = birth_date
        self.address = address
        self.area = area
        self.scheme = Scheme(scheme)
        self.needs = needs
        self.interests = interests
        self.wished_activities = wished_activities
        self.helper_wishes = helper_wishes
        self.carers = carers
        self.scope_asked = scope_asked
        self.received_on = received_on
        self.status = CaseStatus.RECEIVED
        self.assessments: list[dict] = []
        self.interim_reply: dict | None = None
        self.decisions: list[dict] = []
        self.appeal: dict | None = None
        self.statsforvalter_outcome: StatsforvalterOutcome | None = None
        self.withdrawn_on: date | None = None
        self.ended: dict | None = None

    # -- queries --

    @property
    def appeal_pending_at(self) -> str | None:
        """Where a klage is being handled ("kommune", "statsforvalteren"), or None when none is."""
        appeal = self.appeal
        if not appeal:
            return None
        if "resolution" not in appeal:
            return "kommune"
        if appeal["resolution"] == "oversendt_statsforvalteren" and "statsforvalter_outcome" not in appeal:
            return "statsforvalteren"
        return None

    @property
    def is_barnevern(self) -> bool:
        return self.scheme.is_barnevern

    @property
    def decision(self) -> dict | None:
        """The vedtak in force: the newest one."""
        return self.decisions[-1] if self.decisions else None

    @property
    def interim_reply_due_on(self) -> date:
        return add_months(self.received_on, INTERIM_REPLY_AFTER_MONTHS)

    def interim_reply_due(self, today: date, within_days: int = 0) -> bool:
        """Undecided, no foreløpig svar yet, and due within `within_days` of today: today and overdue included."""
        return (
            self.status == CaseStatus.RECEIVED
            and not self.decisions
            and self.interim_reply is None
            and self.interim_reply_due_on <= today + timedelta(days=within_days)
        )

    # -- kartlegging --

    def note_assessment(self, notes: str, home_visit_on: date | None, noted_on: date) -> None:
        self._require_open("registrere kartlegging")
        self._require_not_ended("registrere kartlegging")
        self._assessment_noted(notes=notes, home_visit_on=home_visit_on, noted_on=noted_on)

    @event("AssessmentNoted")
    def _assessment_noted(self, notes: str, home_visit_on: date | None, noted_on: date) -> None:
        self.assessments.append({"notes": notes, "home_visit_on": home_visit_on, "noted_on": noted_on})

    def send_interim_reply(self, reason: str, expected_decision_by: date, sent_on: date) -> None:
        self._require_open("sende foreløpig svar")
        require(self.status == CaseStatus.RECEIVED, "Saken har allerede et vedtak; foreløpig svar er ikke aktuelt.")
        require(bool(reason.strip()), "Et foreløpig svar må si hvorfor saken tar tid.")
        require_value(sent_on >= self.received_on, "sent_on",
                      f"Svaret kan ikke være sendt før søknaden kom inn ({norwegian_date(self.received_on)}).")
        require(expected_decision_by >= sent_on, "Forventet vedtaksdato kan ikke være før svaret sendes.")
        self._interim_reply_sent(
            scheme=self.scheme, reason=reason, expected_decision_by=expected_decision_by, sent_on=sent_on
        )

    @event("InterimReplySent")
    def _interim_reply_sent(self, scheme: Scheme, reason: str, expected_decision_by: date, sent_on: date) -> None:
        self.interim_reply = {"reason": reason, "expected_decision_by": expected_decision_by, "sent_on": sent_on}

    # -- vedtak --

    def grant(
        self, scope: float, period_from: date, period_to: date, reasons: str, decided_on: date, decided_by: str
    ) -> None:
        self._require_decidable()
        require(bool(reasons.strip()), "Et vedtak må begrunnes.")
        decision = NewDecision(True, scope, period_from, period_to)
        self._check_decision(decision)
        self._record_decision(decision, reasons, decided_on, decided_by)

    def refuse(self, reasons: str, decided_on: date, decided_by: str) -> None:
        self._require_decidable()
        require(bool(reasons.strip()), "Et avslag må begrunnes.")
        self._record_decision(NewDecision(False), reasons, decided_on, decided_by)

    def _check_decision(self, decision: "NewDecision") -> None:
        if not decision.granted:
            return
        require_value(decision.scope is not None and decision.period_from is not None
                      and decision.period_to is not None, "scope",
                      "Et innvilget vedtak trenger omfang og periode.")
        require(decision.scope > 0, "Omfanget må være større enn null.")
        unit = self.scheme.scope_unit
        require_value(decision.scope <= unit.maximum, "scope",
                      f"Omfanget kan være høyst {unit.maximum} {UNIT_WORDS[unit]}.")
        require(decision.period_to >= decision.period_from, "Perioden kan ikke slutte før den begynner.")

    def _record_decision(self, decision: "NewDecision", reasons: str, decided_on: date, decided_by: str,
                         final: bool = False) -> None:
        self._decided(
            scheme=self.scheme,
            resolves_appeal=self.status in (CaseStatus.APPEALED, CaseStatus.AT_STATSFORVALTEREN)
            or (self.status == CaseStatus.ENDED and (self.appeal_pending_at == "kommune" or final)),
            decision_number=len(self.decisions) + 1,
            granted=decision.granted,
            scope=decision.scope if decision.granted else None,
            scope_unit=self.scheme.scope_unit.value if decision.granted else None,
            period_from=decision.period_from if decision.granted else None,
            period_to=decision.period_to if decision.granted else None,
            legal_basis=self.scheme.legal_basis,
            reasons=reasons,
            decided_on=decided_on,
            decided_by=decided_by,
            final=final,
        )

    @event("Decided")
    def _decided(
        self,
        scheme: Scheme,
        resolves_appeal: bool,
        decision_number: int,
        granted: bool,
        scope: float | None,
        scope_unit: str | None,
        period_from: date | None,
        period_to: date | None,
        legal_basis: str,
        reasons: str,
        decided_on: date,
        decided_by: str,
        final: bool = False,  # decided by the Statsforvalteren: cannot be appealed
    ) -> None:
        self.decisions.append({
            "number": decision_number,
            "granted": granted,
            "scope": scope,
            "scope_unit": scope_unit,
            "period_from": period_from,
            "period_to": period_to,
            "legal_basis": legal_basis,
            "reasons": reasons,
            "decided_on": decided_on,
            "decided_by": decided_by,
            "final": final,
        })
        if self.appeal_pending_at == "kommune":
            self.appeal = {**self.appeal, "resolution": "endret", "resolved_on": decided_on}
        if self.status == CaseStatus.ENDED:  # a klage kept after the end: decided, the service stays ended
            self.ended = {**self.ended, "decision_due": False}
        else:
            self.status = CaseStatus.GRANTED if granted else CaseStatus.REFUSED

    # -- klage --

    def register_appeal(self, grounds: str, received_on: date) -> None:
        self._require_open("registrere klage")
        self._require_not_ended("registrere en ny klage")
        pending = self.status in (CaseStatus.APPEALED, CaseStatus.AT_STATSFORVALTEREN)
        require(
            self.status in (CaseStatus.GRANTED, CaseStatus.REFUSED),
            "Saken har allerede en klage til behandling." if pending else "Saken har ikke noe vedtak å klage på.",
        )
        require(not self.decision.get("final"),
                "Vedtaket er avgjort av Statsforvalteren som klageinstans og kan ikke påklages "
                "(forvaltningsloven § 28 tredje ledd).")
        require_value(received_on >= self.decision["decided_on"], "received_on",
                      "Klagen kan ikke være mottatt før vedtaket ble fattet "
                      f"({norwegian_date(self.decision['decided_on'])}).")
        deadline = self.decision["decided_on"] + timedelta(weeks=APPEAL_WEEKS)
        self._appealed(
            scheme=self.scheme, grounds=grounds, received_on=received_on, late=received_on > deadline, deadline=deadline
        )

    @event("Appealed")
    def _appealed(self, scheme: Scheme, grounds: str, received_on: date, late: bool, deadline: date) -> None:
        self.appeal = {"grounds": grounds, "received_on": received_on, "late": late, "deadline": deadline,
                       "against_decision": len(self.decisions)}
        self.status = CaseStatus.APPEALED

    def uphold_and_forward(self, reasons: str, forwarded_on: date) -> None:
        """The kommune keeps its decision and sends the klage on to the Statsforvalteren (also a klage
        kept when the person ended the service)."""
        self._require_open("sende klagen videre")
        require(self.appeal_pending_at == "kommune", "Saken har ingen klage til behandling.")
        self._forwarded(scheme=self.scheme, reasons=reasons, forwarded_on=forwarded_on)

    @event("AppealForwarded")
    def _forwarded(self, scheme: Scheme, reasons: str, forwarded_on: date) -> None:
        self.appeal = {**self.appeal, "resolution": "oversendt_statsforvalteren", "resolved_on": forwarded_on,
                       "reasons": reasons}
        if self.status != CaseStatus.ENDED:
            self.status = CaseStatus.AT_STATSFORVALTEREN

    def register_statsforvalter_result(
        self, outcome: StatsforvalterOutcome, reasons: str, received_on: date, decision: "NewDecision | None" = None
    ) -> None:
        """Stadfestet: the decision stands and is final. Omgjort: the Statsforvalteren's own decision
        (`decision`) is recorded and is what is in force, final too. Opphevet: back to the kommune."""
        outcome = StatsforvalterOutcome(outcome)
        self._require_open("registrere Statsforvalterens resultat")
        require(self.appeal_pending_at == "statsforvalteren", "Saken ligger ikke hos Statsforvalteren.")
        require_value(received_on >= self.appeal["resolved_on"], "received_on",
                      "Resultatet kan ikke være mottatt før klagen ble sendt til Statsforvalteren "
                      f"({norwegian_date(self.appeal['resolved_on'])}).")
        if outcome == StatsforvalterOutcome.REVERSED:
            require_value(decision is not None, "decision",
                          "Når Statsforvalteren har omgjort vedtaket, registrer vedtaket Statsforvalteren fattet.")
            self._check_decision(decision)
        self._statsforvalter_decided(scheme=self.scheme, outcome=outcome, reasons=reasons, received_on=received_on)
        if outcome == StatsforvalterOutcome.REVERSED:
            self._record_decision(decision, reasons or "Omgjort av Statsforvalteren.", received_on, "Statsforvalteren",
                                  final=True)

    @event("StatsforvalterDecided")
    def _statsforvalter_decided(
        self, scheme: Scheme, outcome: StatsforvalterOutcome, reasons: str, received_on: date
    ) -> None:
        self.statsforvalter_outcome = StatsforvalterOutcome(outcome)
        decision = self.decision
        self.appeal = {**self.appeal, "statsforvalter_outcome": str(outcome), "statsforvalter_received_on": received_on}
        ended = self.status == CaseStatus.ENDED  # a klage kept when the service ended: it stays ended
        if outcome == StatsforvalterOutcome.UPHELD:
            decision["final"] = True  # the appeal body's decision cannot be appealed
            if not ended:
                self.status = CaseStatus.GRANTED if decision["granted"] else CaseStatus.REFUSED
        elif outcome == StatsforvalterOutcome.SENT_BACK:  # the kommune decides again, appealable as before
            if ended:
                self.ended = {**self.ended, "decision_due": True}
            else:
                self.status = CaseStatus.RECEIVED
        # omgjort: the Statsforvalteren's own decision follows as a Decided event

    # -- withdrawal (before a vedtak) and ending (after one) --

    def withdraw(self, reason: str, withdrawn_on: date) -> None:
        """The applicant withdraws the søknad before there is a vedtak in force (also after the
        Statsforvalteren set one aside). After a vedtak the person ends the service instead (`end`)."""
        self._require_open("trekke søknaden")
        self._require_not_ended("trekke søknaden")
        if self.status != CaseStatus.RECEIVED:
            granted = self.decision is not None and self.decision["granted"]
            raise RuleViolation(
                "Saken har et innvilget vedtak; søknaden kan ikke trekkes. Registrer i stedet at tjenesten "
                "avsluttes, med sluttdato." if granted else
                "Saken har et avslag; det er ingen søknad å trekke og ingen tjeneste å avslutte.")
        self._withdrawn(scheme=self.scheme, reason=reason, withdrawn_on=withdrawn_on)

    @event("Withdrawn")
    def _withdrawn(self, scheme: Scheme, reason: str, withdrawn_on: date) -> None:
        self.withdrawn_on = withdrawn_on
        self.status = CaseStatus.WITHDRAWN

    def end(self, ended_on: date, reason: str, appeal: "AppealOnEnding | None", recorded_on: date) -> None:
        """The person ends a granted service from `ended_on` (not before the vedtak was made, not after its
        period). A klage being handled is either withdrawn with it or kept (`appeal`): required while
        one is pending, refused when none is, so nothing is assumed."""
        self._require_open("avslutte tjenesten")
        self._require_not_ended("avslutte tjenesten på nytt")
        decision = self.decision
        require(self.status != CaseStatus.RECEIVED and decision is not None,
                "Saken har ikke noe vedtak; søknaden trekkes i stedet.")
        require(decision["granted"], "Saken har et avslag; det er ingen tjeneste å avslutte.")
        require_value(ended_on >= decision["decided_on"], "ended_on",
                      "Tjenesten kan ikke avsluttes før vedtaket ble fattet "
                      f"({norwegian_date(decision['decided_on'])}).")
        require_value(ended_on <= decision["period_to"], "ended_on",
                      f"Vedtaksperioden slutter {norwegian_date(decision['period_to'])}; "
                      "sluttdatoen kan ikke være senere.")
        pending = self.appeal_pending_at
        if pending:
            require_value(appeal is not None, "appeal",
                          "Saken har en klage til behandling: oppgi om klagen trekkes eller opprettholdes.")
        else:
            require_value(appeal is None, "appeal", "Saken har ingen klage til behandling å trekke eller opprettholde.")
        self._ended(scheme=self.scheme, ended_on=ended_on, reason=reason, decision_number=decision["number"],
                    appeal_withdrawn=None if appeal is None else AppealOnEnding(appeal) == AppealOnEnding.WITHDRAWN,
                    appeal_pending_at=pending, recorded_on=recorded_on)

    @event("ServiceEnded")
    def _ended(self, scheme: Scheme, ended_on: date, reason: str, decision_number: int,
               appeal_withdrawn: bool | None, appeal_pending_at: str | None, recorded_on: date) -> None:
        self.ended = {"ended_on": ended_on, "reason": reason, "decision_number": decision_number,
                      "appeal_withdrawn": appeal_withdrawn, "recorded_on": recorded_on, "decision_due": False}
        if appeal_withdrawn:
            self.appeal = {**self.appeal, "resolution": "trukket", "resolved_on": recorded_on}
        self.status = CaseStatus.ENDED

    # -- rules shared by several commands --

    def _require_open(self, action: str) -> None:
        if self.status == CaseStatus.WITHDRAWN:
            raise RuleViolation("Søknaden er allerede trukket." if action == "trekke søknaden"
                                else f"Søknaden er trukket; du kan ikke {action}.")

    def _require_not_ended(self, action: str) -> None:
        if self.status == CaseStatus.ENDED:
            raise RuleViolation(f"Tjenesten ble avsluttet {norwegian_date(self.ended['ended_on'])}; "
                                f"du kan ikke {action}.")

    def _require_decidable(self) -> None:
        self._require_open("fatte vedtak")
        if self.status == CaseStatus.ENDED:  # only to resolve a klage kept when the service ended
            require(self.appeal_pending_at == "kommune" or self.ended.get("decision_due", False),
                    f"Tjenesten ble avsluttet {norwegian_date(self.ended['ended_on'])}; nytt vedtak fattes bare "
                    "for å behandle en klage som ble opprettholdt.")
            return
        require(
            self.status in (CaseStatus.RECEIVED, CaseStatus.GRANTED, CaseStatus.APPEALED),
            "Saken ligger hos Statsforvalteren; vent på resultatet før nytt vedtak."
            if self.status == CaseStatus.AT_STATSFORVALTEREN
            else "Et avslag kan bare endres etter klage.",
        )


# -- becoming an oppdragstaker --------------------------------------------------------------------------


class Role(StrEnum):
    STOTTEKONTAKT = "støttekontakt"
    AVLASTER = "avlaster"
    BESOKSHJEM = "besøkshjem"


class InterviewAssessment(StrEnum):
    SUITABLE = "egnet"
    NOT_SUITABLE = "ikke_egnet"
    UNSURE = "usikker"


CertificateKind = AttestKind  # any kind can be registered; the kommune's AttestRules say what it is good for


class VolunteerStage(StrEnum):
    AWAITING_INTERVIEW = "venter_på_intervju"
    AWAITING_CERTIFICATE = "venter_på_politiattest"
    AWAITING_DECLARATION = "venter_på_taushetserklæring"
    READY_FOR_APPROVAL = "klar_for_godkjenning"
    APPROVED = "godkjent"
    REJECTED = "avslått"


class ApplicantTooYoung(RuleViolation):
    pass


class ApplicantTooOld(RuleViolation):
    pass



def check_age(birth_date: date, today: date, minimum: int, maximum: int | None) -> None:
    """The kommune's age limits for oppdragstakere (18–70 in one kommune, 18 and over in another)."""
    age = age_on(birth_date, today)
    if age < minimum:
        raise ApplicantTooYoung(f"Søkeren må være minst {minimum} år.")
    if maximum is not None and age > maximum:
        raise ApplicantTooOld(f"Søkeren kan ikke være eldre enn {maximum} år.")


class VolunteerApplication(Aggregate):
    id: UUID  # given by the caller when an Idempotency-Key names the application

    @event("Received")
    def __init__(
        self,
        volunteer_id: UUID,
        national_id: str,
        full_name: str,
        birth_date: date,
        roles: list[str],
        area: str,
        interests: list[str],
        languages: list[str],
        has_driving_licence: bool,
        has_car: bool,
        has_spare_bedroom: bool,
        commitment_acknowledged: bool,
        gender: str | None = None,
        availability: str = "",
        experience: str = "",
        received_on: date | None = None,
    ) -> None:
        self.volunteer_id = volunteer_id
        self.national_id = national_id
        self.full_name = full_name
        self.birth_date = birth_date
        self.roles = roles
        self.area = area
        self.interests = interests
        self.languages = languages
        self.has_driving_licence = has_driving_licence
        self.has_car = has_car
        self.has_spare_bedroom = has_spare_bedroom
        self.commitment_acknowledged = commitment_acknowledged
        self.gender = gender
        self.availability = availability
        self.experience = experience
        self.received_on = received_on
        self.interview_scheduled_at: datetime | None = None
        self.interview: dict | None = None
        self.purpose_confirmation_issued_on: date | None = None
        self.certificate: dict | None = None
        self.declaration_signed_on: date | None = None
        self.approved_on: date | None = None
        self.rejection: dict | None = None
        self.renewal_flagged_for: date | None = None  # the issue date of the attest flagged as due

    # -- queries --

    def suggested_certificate_kind(self, rules: AttestRules) -> CertificateKind:
        """The kind to ask for: the one that covers most of the schemes the person's roles serve."""
        return rules.suggested_kind(self.roles)

    def certificate_covers(self, rules: AttestRules) -> list[str]:
        """The schemes, of those the person's roles serve, the registered attest satisfies."""
        kind = self.certificate["kind"] if self.certificate else None
        return [scheme.value for scheme in rules.covered(kind, self.roles)]

    @property
    def interview_passed(self) -> bool:
        return bool(self.interview) and self.interview["assessment"] == InterviewAssessment.SUITABLE

    @property
    def certificate_verified(self) -> bool:
        return bool(self.certificate) and self.certificate["verified"]

    @property
    def stage(self) -> VolunteerStage:
        if self.rejection:
            return VolunteerStage.REJECTED
        if self.approved_on:
            return VolunteerStage.APPROVED
        if not self.interview_passed:
            return VolunteerStage.AWAITING_INTERVIEW
        if not self.certificate_verified:
            return VolunteerStage.AWAITING_CERTIFICATE
        if not self.declaration_signed_on:
            return VolunteerStage.AWAITING_DECLARATION
        return VolunteerStage.READY_FOR_APPROVAL

    def certificate_renewal_due_on(self, renewal_months: int) -> date | None:
        return add_months(self.certificate["issued_on"], renewal_months) if self.certificate_verified else None

    # -- interview --

    def schedule_interview(self, at: datetime) -> None:
        self._require_open()
        self._interview_scheduled(at=at)

    @event("InterviewScheduled")
    def _interview_scheduled(self, at: datetime) -> None:
        self.interview_scheduled_at = at

    def complete_interview(self, held_on: date, notes: str, assessment: InterviewAssessment, interviewer: str) -> None:
        self._require_open()
        self._require_not_before_receipt(held_on, "held_on", "Intervjuet kan ikke være holdt")
        self._interview_completed(volunteer_id=self.volunteer_id, held_on=held_on, notes=notes,
                                  assessment=InterviewAssessment(assessment), interviewer=interviewer)

    @event("InterviewCompleted")
    def _interview_completed(
        self, volunteer_id: UUID, held_on: date, notes: str, assessment: InterviewAssessment, interviewer: str
    ) -> None:
        self.interview = {"held_on": held_on, "notes": notes, "assessment": InterviewAssessment(assessment),
                          "interviewer": interviewer}

    # -- politiattest --

    def issue_purpose_confirmation(self, issued_on: date, kind: CertificateKind) -> None:
        """The kommune's formålsbekreftelse, which the applicant attaches to the politiattest application,
        for the kind of attest asked for (`suggested_certificate_kind` unless staff choose another)."""
        self._require_open()
        self._purpose_confirmation_issued(issued_on=issued_on, kind=CertificateKind(kind))

    @event("PurposeConfirmationIssued")
    def _purpose_confirmation_issued(self, issued_on: date, kind: CertificateKind) -> None:
        self.purpose_confirmation_issued_on = issued_on

    def register_police_certificate(
        self, kind: CertificateKind, issued_on: date, has_remarks: bool, registered_on: date, max_age_months: int
    ) -> None:
        """Only whether an attest was presented, its kind, issue date and whether it had remarks: never its
        text (GDPR article 10). Any kind is registered (what it is good for is the kommune's AttestRules,
        judged at approval, matching and signing); verified at once when recent enough and without remarks."""
        self._require_open()
        kind = CertificateKind(kind)
        require(issued_on <= registered_on, "Politiattesten kan ikke være utstedt fram i tid.")
        require(
            add_months(issued_on, max_age_months) >= registered_on,
            f"Politiattesten er eldre enn {max_age_months} måneder; be om en ny.",
        )
        self._certificate_registered(volunteer_id=self.volunteer_id, kind=kind, issued_on=issued_on,
                                     has_remarks=has_remarks, registered_on=registered_on, verified=not has_remarks)

    @event("PoliceCertificateRegistered")
    def _certificate_registered(
        self, volunteer_id: UUID, kind: CertificateKind, issued_on: date, has_remarks: bool, registered_on: date,
        verified: bool,
    ) -> None:
        self.certificate = {"kind": CertificateKind(kind), "issued_on": issued_on, "has_remarks": has_remarks,
                            "registered_on": registered_on, "verified": verified, "remarks_decision": None}
        self.renewal_flagged_for = None

    def decide_on_remarks(self, accepted: bool, reason: str, decided_by: str, decided_on: date) -> None:
        """A politiattest with remarks needs a staff decision, recorded with its reason."""
        self._require_open()
        require(bool(self.certificate) and self.certificate["has_remarks"], "Politiattesten har ingen merknader å vurdere.")
        require(self.certificate["remarks_decision"] is None, "Merknadene er allerede vurdert.")
        require(bool(reason.strip()), "Vurderingen av merknadene må begrunnes.")
        self._remarks_decided(
            volunteer_id=self.volunteer_id, kind=self.certificate["kind"], issued_on=self.certificate["issued_on"],
            accepted=accepted, reason=reason, decided_by=decided_by, decided_on=decided_on,
        )

    @event("CertificateRemarksDecided")
    def _remarks_decided(
        self, volunteer_id: UUID, kind: CertificateKind, issued_on: date, accepted: bool, reason: str,
        decided_by: str, decided_on: date,
    ) -> None:
        self.certificate = {**self.certificate, "verified": accepted,
                            "remarks_decision": {"accepted": accepted, "reason": reason, "decided_by": decided_by,
                                                 "decided_on": decided_on}}

    def flag_certificate_renewal(self, today: date, renewal_months: int) -> None:
        self._require_open()
        due_on = self.certificate_renewal_due_on(renewal_months)
        require(due_on is not None, "Det er ingen godkjent politiattest å fornye.")
        require(today >= due_on, f"Politiattesten skal ikke fornyes før {norwegian_date(due_on)}.")
        require(self.renewal_flagged_for != self.certificate["issued_on"], "Fornyelsen er allerede varslet.")
        self._renewal_due(volunteer_id=self.volunteer_id, due_on=due_on,
                          certificate_issued_on=self.certificate["issued_on"])

    @event("PoliceCertificateRenewalDue")
    def _renewal_due(self, volunteer_id: UUID, due_on: date, certificate_issued_on: date) -> None:
        self.renewal_flagged_for = certificate_issued_on

    # -- taushetserklæring, approval --

    def sign_confidentiality_declaration(self, signed_on: date) -> None:
        self._require_open()
        require(self.declaration_signed_on is None, "Taushetserklæringen er allerede signert.")
        self._require_not_before_receipt(signed_on, "signed_on", "Taushetserklæringen kan ikke være signert")
        self._declaration_signed(volunteer_id=self.volunteer_id, signed_on=signed_on)

    @event("ConfidentialityDeclarationSigned")
    def _declaration_signed(self, volunteer_id: UUID, signed_on: date) -> None:
        self.declaration_signed_on = signed_on

    def approve(self, approved_on: date, approved_by: str, rules: AttestRules) -> None:
        """Interview, attest and declaration in order, in any order of registering; the attest must
        satisfy at least one scheme the person's roles serve (`rules`: the kommune's setting). The
        schemes it does not satisfy are for matching to exclude, not a reason to refuse."""
        self._require_open()
        require(self.approved_on is None, "Søkeren er allerede godkjent.")
        missing = [
            what for what, done in (
                ("intervju med vurdering «egnet»", self.interview_passed),
                ("godkjent politiattest", self.certificate_verified),
                ("signert taushetserklæring", self.declaration_signed_on is not None),
            ) if not done
        ]
        require(not missing, "Kan ikke godkjennes ennå. Mangler: " + ", ".join(missing) + ".")
        future = [what for what, on in (("intervjuet", self.interview["held_on"]),
                                        ("taushetserklæringen", self.declaration_signed_on)) if on > approved_on]
        require(not future, "Kan ikke godkjennes ennå: " + " og ".join(future) + " er datert fram i tid.")
        require(bool(self.certificate_covers(rules)), "Kan ikke godkjennes: politiattesten ("
                + str(self.certificate["kind"]) + ") dekker ingen av ordningene søkeren kan få oppdrag i. "
                + " ".join(f"{SCHEME_WORDS[scheme].capitalize()} krever {rules.accepted_in_words(scheme)}."
                           for scheme in rules.schemes_of_roles(self.roles)))
        self._approved(
            volunteer_id=self.volunteer_id, roles=self.roles, certificate_kind=self.certificate["kind"],
            certificate_issued_on=self.certificate["issued_on"], approved_on=approved_on, approved_by=approved_by,
        )

    @event("Approved")
    def _approved(
        self, volunteer_id: UUID, roles: list[str], certificate_kind: CertificateKind, certificate_issued_on: date,
        approved_on: date, approved_by: str,
    ) -> None:
        self.approved_on = approved_on

    def reject(self, reasons: str, rejected_on: date, rejected_by: str) -> None:
        self._require_open()
        require(bool(reasons.strip()), "Et avslag må begrunnes.")
        self._rejected(volunteer_id=self.volunteer_id, reasons=reasons, rejected_on=rejected_on,
                       rejected_by=rejected_by)

    @event("Rejected")
    def _rejected(self, volunteer_id: UUID, reasons: str, rejected_on: date, rejected_by: str) -> None:
        self.rejection = {"reasons": reasons, "rejected_on": rejected_on, "rejected_by": rejected_by}

    def _require_open(self) -> None:
        require(self.rejection is None, "Søknaden er avslått; saken er lukket.")

    def _require_not_before_receipt(self, day: date, field: str, what: str) -> None:
        if self.received_on is not None:
            require_value(day >= self.received_on, field,
                          f"{what} før søknaden kom inn ({norwegian_date(self.received_on)}).")
