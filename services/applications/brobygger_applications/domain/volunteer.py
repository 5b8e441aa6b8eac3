"""A would-be oppdragstaker's way in (VolunteerApplication): interview, formålsbekreftelse, politiattest,
taushetserklæring, approval. Pure."""

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from brobygger_applications.domain.stored import TOPIC_MODULE
from brobygger_shared.attests import SCHEME_WORDS, AttestKind, AttestRules
from brobygger_shared.calendar import add_months, age_on, norwegian_date
from brobygger_shared.rules import RuleViolation, require, require_value
from brobygger_shared.shredding import PersonalData


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
    __module__ = TOPIC_MODULE  # the topic its events were first stored under (see the package)
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
        address: str = "",  # the postal address the oppdragsavtale is sent to
        case_number: str | None = None,  # None only for applications received before case numbers existed
        email: str | None = None,  # contact details for notices; none before they were asked for
        mobile: str | None = None,
    ) -> None:
        self.case_number = case_number
        self.email = email
        self.mobile = mobile
        self.address = address
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

    def schedule_interview(self, at: datetime, address: str = "") -> None:
        self._require_open()
        self._interview_scheduled(at=at, volunteer_id=self.volunteer_id, address=address)

    @event("InterviewScheduled")
    def _interview_scheduled(self, at: datetime, volunteer_id: UUID | None = None, address: str = "") -> None:
        # volunteer_id and address came with the invitation; appointments stored before have neither
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


# Personal data, sealed in the stored events under the oppdragstaker's volunteer id (crypto-shredding:
# docs/privacy.md), the id every other service names them by.
VolunteerApplication.Received.personal_data = PersonalData(subject="volunteer_id", fields=(
    "national_id", "full_name", "birth_date", "address", "email", "mobile", "availability", "experience"))
VolunteerApplication.InterviewCompleted.personal_data = PersonalData(subject="volunteer_id", fields=("notes",))
VolunteerApplication.CertificateRemarksDecided.personal_data = PersonalData(subject="volunteer_id",
                                                                            fields=("reason",))
VolunteerApplication.Rejected.personal_data = PersonalData(subject="volunteer_id", fields=("reasons",))
