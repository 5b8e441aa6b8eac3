"""A citizen's case (ServiceApplication): søknad, kartlegging, foreløpig svar, vedtak, klage, withdrawal
or ending, and the letters the case sends. Pure."""

from datetime import date, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from brobygger_applications.domain.case_values import CaseStatus, LetterKind, NewDecision, StatsforvalterOutcome
from brobygger_applications.domain.schemes import APPEAL_RULES, UNIT_WORDS, Scheme
from brobygger_applications.domain.stored import TOPIC_MODULE
from brobygger_shared.calendar import add_months, norwegian_date
from brobygger_shared.rules import RuleViolation, require, require_value
from brobygger_shared.shredding import PersonalData


INTERIM_REPLY_AFTER_MONTHS = 1


class ServiceApplication(Aggregate):
    __module__ = TOPIC_MODULE  # the topic its events were first stored under (see the package)
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
        case_number: str | None = None,  # None only for cases received before case numbers existed
        email: str | None = None,  # contact details for notices; none before they were asked for
        mobile: str | None = None,
        ledsagerbevis_asked: bool = False,  # støttekontakt: a ledsagerbevis asked for in the same søknad
        applicant_national_id: str | None = None,  # who applied in the portal, when not the person (a parent)
    ) -> None:
        self.case_number = case_number
        self.applicant_national_id = applicant_national_id
        self.ledsagerbevis_asked = ledsagerbevis_asked
        self.ledsagerbevis: dict | None = None
        self.email = email
        self.mobile = mobile
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
        self.letters: list[dict] = []

    # -- queries --

    def belongs_to(self, identity_number: str | None) -> bool:
        """The person the case is about, or the one who applied for them in the portal (a parent)."""
        return bool(identity_number) and identity_number in (self.national_id,
                                                             getattr(self, "applicant_national_id", None))

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

    # -- ledsagerbevis --

    def decide_ledsagerbevis(self, granted: bool, valid_from: date | None, valid_to: date | None, reason: str,
                             decided_on: date, decided_by: str) -> None:
        """Staff record the ledsagerbevis asked for in a støttekontakt søknad as granted (with its period) or
        refused (with a reason); a later decision (a renewal, say) replaces it."""
        require(self.scheme in (Scheme.STOTTEKONTAKT, Scheme.STOTTEKONTAKT_BARNEVERN),
                "Ledsagerbevis gjelder bare søknader om støttekontakt.")
        require(self.ledsagerbevis_asked, "Søknaden ba ikke om ledsagerbevis.")
        require(self.status not in (CaseStatus.WITHDRAWN,), "Saken er trukket.")
        if granted:
            require_value(valid_from is not None, "valid_from", "Et innvilget ledsagerbevis trenger en periode.")
            require_value(valid_to is not None, "valid_to", "Et innvilget ledsagerbevis trenger en periode.")
            require_value(valid_from <= valid_to, "valid_to", "Gyldig til kan ikke være før gyldig fra.")
        else:
            require_value(bool(reason.strip()), "reason", "Et avslag på ledsagerbevis må begrunnes.")
            valid_from = valid_to = None
        self._ledsagerbevis_decided(scheme=self.scheme, granted=granted, valid_from=valid_from, valid_to=valid_to,
                                    reason=reason.strip(), decided_on=decided_on, decided_by=decided_by)

    @event("LedsagerbevisDecided")
    def _ledsagerbevis_decided(self, scheme: Scheme, granted: bool, valid_from: date | None, valid_to: date | None,
                               reason: str, decided_on: date, decided_by: str) -> None:
        self.ledsagerbevis = {"granted": granted, "valid_from": valid_from, "valid_to": valid_to, "reason": reason,
                              "decided_on": decided_on}

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
            "resolves_appeal": resolves_appeal,
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
        deadline = self.decision["decided_on"] + timedelta(weeks=APPEAL_RULES[self.scheme].weeks)
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

    def end(self, ended_on: date, reason: str, withdraw_appeal: bool | None, recorded_on: date) -> None:
        """The person ends a granted service from `ended_on` (not before the vedtak was made, not after its
        period). A klage being handled is either withdrawn with it or kept (`withdraw_appeal`): required
        while one is pending, refused when none is, so nothing is assumed."""
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
            require_value(withdraw_appeal is not None, "withdraw_appeal",
                          "Saken har en klage til behandling: oppgi om klagen trekkes eller opprettholdes.")
        else:
            require_value(withdraw_appeal is None, "withdraw_appeal",
                          "Saken har ingen klage til behandling å trekke eller opprettholde.")
        self._ended(scheme=self.scheme, ended_on=ended_on, reason=reason, decision_number=decision["number"],
                    appeal_withdrawn=withdraw_appeal,
                    appeal_pending_at=pending, recorded_on=recorded_on)

    @event("ServiceEnded")
    def _ended(self, scheme: Scheme, ended_on: date, reason: str, decision_number: int,
               appeal_withdrawn: bool | None, appeal_pending_at: str | None, recorded_on: date) -> None:
        self.ended = {"ended_on": ended_on, "reason": reason, "decision_number": decision_number,
                      "appeal_withdrawn": appeal_withdrawn, "recorded_on": recorded_on, "decision_due": False}
        if appeal_withdrawn:
            self.appeal = {**self.appeal, "resolution": "trukket", "resolved_on": recorded_on}
        self.status = CaseStatus.ENDED

    # -- letters --

    def record_letter(self, kind: "LetterKind", issued_on: date, kommune: dict, contact_person: str,
                      sha256: str) -> None:
        """A letter was rendered from the case as it stands now (this version), under the kommune's
        letterhead `kommune`, with its SHA-256: re-rendering from this version gives the same bytes."""
        self._letter_issued(scheme=self.scheme, number=len(self.letters) + 1, kind=LetterKind(kind),
                            rendered_from_version=self.version, issued_on=issued_on, kommune=kommune,
                            contact_person=contact_person, sha256=sha256)

    @event("LetterIssued")
    def _letter_issued(self, scheme: Scheme, number: int, kind: "LetterKind", rendered_from_version: int,
                       issued_on: date, kommune: dict, contact_person: str, sha256: str) -> None:
        self.letters.append({"number": number, "kind": LetterKind(kind), "rendered_from_version": rendered_from_version,
                             "issued_on": issued_on, "kommune": kommune, "contact_person": contact_person,
                             "sha256": sha256})

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


# Personal data, sealed in the stored events under the case's own key (crypto-shredding: docs/privacy.md).
# The case id is the person's key id: the same person in two søknader is two cases, two keys.
ServiceApplication.Received.personal_data = PersonalData(subject="originator_id", fields=(
    "national_id", "full_name", "birth_date", "address", "needs", "carers", "email", "mobile",
    "applicant_national_id"))
ServiceApplication.AssessmentNoted.personal_data = PersonalData(subject="originator_id", fields=("notes",))
ServiceApplication.Appealed.personal_data = PersonalData(subject="originator_id", fields=("grounds",))
ServiceApplication.Withdrawn.personal_data = PersonalData(subject="originator_id", fields=("reason",))
ServiceApplication.ServiceEnded.personal_data = PersonalData(subject="originator_id", fields=("reason",))
