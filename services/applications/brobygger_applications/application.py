"""The applications service's eventsourcing Application: commands and queries on its aggregates.

A case takes the next case number of its year when it is received, in the same transaction. A vedtak
and a foreløpig svar each send a letter: rendered from the case as the command left it, its SHA-256
recorded in the LetterIssued event; reading the letter later renders it again from that version and
checks the hash.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from datetime import date, datetime
from typing import TypeVar
from uuid import UUID, uuid4, uuid5
from zoneinfo import ZoneInfo

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from brobygger_applications.documents import letter_text, render_letter
from brobygger_applications.domain import (
    CaseNumberSeries,
    LetterKind,
    NewDecision,
    PersonErasure,
    Scheme,
    ServiceApplication,
    VolunteerApplication,
    check_age,
)
from brobygger_shared.documents import Kommune, sha256
from brobygger_shared.eventstore import EventSourcedApplication
from brobygger_shared.identity import parse_identity_number
from brobygger_shared.rules import RuleViolation, require_value
from brobygger_shared.shredding import ERASED, erase_keys
from brobygger_shared.wishes import HelperWishes

T = TypeVar("T", ServiceApplication, VolunteerApplication)


class NotFound(LookupError):
    pass


class LetterErased(LookupError):
    """The case's person was erased: its letters cannot be rendered again (the kommune's archive keeps
    the copy it was sent)."""


ERASURE_NAMESPACE = UUID("3d0f7c52-8a1e-4b0e-9c55-5b1f6f1f2a77")


class LetterChanged(RuntimeError):
    """Rendering a letter from the events that issued it no longer gives the bytes that were sent: the
    templates or the renderer changed under it. An operator must look; the letter is not served."""


NORWAY = ZoneInfo("Europe/Oslo")

# How many times a receipt retries when another took the case number it was about to take.
CASE_NUMBER_ATTEMPTS = 20


@dataclass(frozen=True)
class NewServiceApplication:
    national_id: str
    full_name: str
    birth_date: date
    address: str
    area: str
    scheme: Scheme
    needs: str
    interests: list[str]
    wished_activities: list[str]
    helper_wishes: dict
    carers: list[dict]
    scope_asked: float | None
    email: str | None = None
    mobile: str | None = None
    ledsagerbevis_asked: bool = False
    applicant_national_id: str | None = None  # the parent who applied in the portal for their child


@dataclass(frozen=True)
class NewVolunteerApplication:
    national_id: str
    full_name: str
    birth_date: date
    roles: list[str]
    area: str
    interests: list[str]
    languages: list[str]
    has_driving_licence: bool
    has_car: bool
    has_spare_bedroom: bool
    commitment_acknowledged: bool
    gender: str | None = None
    availability: str = ""
    experience: str = ""
    address: str = ""
    email: str | None = None
    mobile: str | None = None


class ApplicationsApplication(EventSourcedApplication):
    # A year's case-number series gets an event per case: a snapshot every 10 keeps taking one cheap (each
    # receipt loads the series: a snapshot and at most 9 events, not the year's thousands).
    snapshotting_intervals = {CaseNumberSeries: 10}

    # -- receiving: idempotent when the caller names the id (from an Idempotency-Key) --

    def receive_service_application(
        self, form: NewServiceApplication, today: date, application_id: UUID | None = None
    ) -> tuple[ServiceApplication, bool]:
        parse_identity_number(form.national_id)
        wishes = HelperWishes.read(form.helper_wishes).as_dict()  # one vocabulary; InvalidValue names a wish
        require_value(not form.ledsagerbevis_asked or Scheme(form.scheme) in (Scheme.STOTTEKONTAKT,
                                                                            Scheme.STOTTEKONTAKT_BARNEVERN),
                      "ledsagerbevis_asked", "Ledsagerbevis kan bare søkes sammen med støttekontakt.")
        case_id = application_id or uuid4()
        return self._create_numbered(today.year, ServiceApplication, lambda case_number: ServiceApplication(
            id=case_id, person_id=uuid4(), received_on=today, case_number=case_number,
            **{**form.__dict__, "helper_wishes": wishes}))

    def receive_volunteer_application(
        self, form: NewVolunteerApplication, today: date, application_id: UUID | None = None
    ) -> tuple[VolunteerApplication, bool]:
        parse_identity_number(form.national_id)
        check_age(form.birth_date, today, self.settings.volunteer_min_age, self.settings.volunteer_max_age)
        application_id = application_id or uuid4()
        return self._create_numbered(today.year, VolunteerApplication, lambda case_number: VolunteerApplication(
            id=application_id, volunteer_id=uuid4(), received_on=today, case_number=case_number, **form.__dict__))

    def _create_numbered(self, year: int, kind: type[T], create: Callable[[str], T]) -> tuple[T, bool]:
        """Save what `create` makes with the next case number of `year`, both in one transaction. A clash
        is either the same receipt again (its id exists: answer with it) or another receipt that took the
        number first (take the next)."""
        for _ in range(CASE_NUMBER_ATTEMPTS):
            series = self._case_number_series(year)
            aggregate = create(series.take_next())
            try:
                self.save(series, aggregate)
            except IntegrityError:
                try:
                    return self._get(aggregate.id, kind), False
                except NotFound:
                    continue
            return aggregate, True
        raise RuntimeError(f"No case number could be taken in {CASE_NUMBER_ATTEMPTS} attempts")

    def _case_number_series(self, year: int) -> CaseNumberSeries:
        try:
            return self.repository.get(CaseNumberSeries.create_id(year))
        except AggregateNotFoundError:
            return CaseNumberSeries(year)

    # -- a citizen's case, one method per use case (each raises RuleViolation if not allowed). A vedtak or
    # a foreløpig svar sends its letter, signed by `contact_person`, in the same save. --

    def note_assessment(self, case_id: UUID, notes: str, home_visit_on: date | None,
                        today: date) -> ServiceApplication:
        return self._change_case(case_id, lambda case: case.note_assessment(notes, home_visit_on, today), "", today)

    def send_interim_reply(self, case_id: UUID, reason: str, expected_decision_by: date, sent_on: date,
                           contact_person: str, today: date) -> ServiceApplication:
        return self._change_case(case_id, lambda case: case.send_interim_reply(reason, expected_decision_by, sent_on),
                                 contact_person, today)

    def decide(self, case_id: UUID, decision: NewDecision, reasons: str, decided_by: str, contact_person: str,
               today: date) -> ServiceApplication:
        """A vedtak: granted with scope and period, or refused."""
        def command(case: ServiceApplication) -> None:
            if decision.granted:
                case.grant(decision.scope, decision.period_from, decision.period_to, reasons, today, decided_by)
            else:
                case.refuse(reasons, today, decided_by)

        return self._change_case(case_id, command, contact_person, today)

    def decide_ledsagerbevis(self, case_id: UUID, granted: bool, valid_from: date | None, valid_to: date | None,
                             reason: str, decided_by: str, today: date) -> ServiceApplication:
        """The ledsagerbevis asked for in a støttekontakt søknad: granted with its period, or refused."""
        return self._change_case(case_id, lambda case: case.decide_ledsagerbevis(granted, valid_from, valid_to, reason,
                                                                                 today, decided_by), "", today)

    def register_appeal(self, case_id: UUID, grounds: str, received_on: date, today: date) -> ServiceApplication:
        return self._change_case(case_id, lambda case: case.register_appeal(grounds, received_on), "", today)

    def forward_appeal(self, case_id: UUID, reasons: str, today: date) -> ServiceApplication:
        """Uphold the vedtak and send the klage to the Statsforvalteren."""
        return self._change_case(case_id, lambda case: case.uphold_and_forward(reasons, today), "", today)

    def register_statsforvalter_result(self, case_id: UUID, outcome: str, reasons: str, received_on: date,
                                       decision: NewDecision | None, today: date) -> ServiceApplication:
        return self._change_case(case_id, lambda case: case.register_statsforvalter_result(
            outcome, reasons, received_on, decision), "", today)

    def withdraw(self, case_id: UUID, reason: str, today: date) -> ServiceApplication:
        return self._change_case(case_id, lambda case: case.withdraw(reason, today), "", today)

    def end_service(self, case_id: UUID, ended_on: date, reason: str, withdraw_appeal: bool | None,
                    today: date) -> ServiceApplication:
        return self._change_case(case_id, lambda case: case.end(ended_on, reason, withdraw_appeal, today), "", today)

    def _change_case(self, case_id: UUID, command: Callable[[ServiceApplication], None], contact_person: str,
                     today: date) -> ServiceApplication:
        case = self._get(case_id, ServiceApplication)
        decisions, interim_reply = len(case.decisions), case.interim_reply
        command(case)
        if case.interim_reply is not interim_reply:
            self._issue_letter(case, LetterKind.INTERIM_REPLY, contact_person, today)
        if len(case.decisions) > decisions and not case.decisions[-1]["final"]:
            # A decision the Statsforvalteren made is its own letter to send, not the kommune's.
            self._issue_letter(case, LetterKind.DECISION, contact_person, today)
        self.save(case)
        return case

    def _issue_letter(self, case: ServiceApplication, kind: LetterKind, contact_person: str, today: date) -> None:
        pdf = render_letter(case, kind, self.kommune, contact_person, today)
        case.record_letter(kind, today, self.kommune.model_dump(), contact_person, sha256(pdf))

    @cached_property
    def kommune(self) -> Kommune:
        """The letterhead new letters are issued under (read once: its logo is a file)."""
        return self.settings.kommune.kommune()

    # -- becoming an oppdragstaker, one method per use case --

    def schedule_interview(self, application_id: UUID, at: datetime, address: str) -> VolunteerApplication:
        return self._change_volunteer(application_id, lambda volunteer: volunteer.schedule_interview(at, address))

    def complete_interview(self, application_id: UUID, held_on: date, notes: str, assessment: str,
                           interviewer: str) -> VolunteerApplication:
        return self._change_volunteer(application_id, lambda volunteer: volunteer.complete_interview(
            held_on, notes, assessment, interviewer))

    def issue_purpose_confirmation(self, application_id: UUID, today: date,
                                   kind: str | None = None) -> VolunteerApplication:
        """The formålsbekreftelse, for `kind` of attest, or the kind the person's roles suggest."""
        rules = self.settings.attest_rules
        return self._change_volunteer(application_id, lambda volunteer: volunteer.issue_purpose_confirmation(
            today, kind or volunteer.suggested_certificate_kind(rules)))

    def register_police_certificate(self, application_id: UUID, kind: str, issued_on: date, has_remarks: bool,
                                    today: date) -> VolunteerApplication:
        max_age = self.settings.police_certificate_max_age_months
        return self._change_volunteer(application_id, lambda volunteer: volunteer.register_police_certificate(
            kind, issued_on, has_remarks, today, max_age))

    def decide_on_remarks(self, application_id: UUID, accepted: bool, reason: str, decided_by: str,
                          today: date) -> VolunteerApplication:
        return self._change_volunteer(application_id, lambda volunteer: volunteer.decide_on_remarks(
            accepted, reason, decided_by, today))

    def sign_declaration(self, application_id: UUID, signed_on: date) -> VolunteerApplication:
        return self._change_volunteer(application_id,
                                      lambda volunteer: volunteer.sign_confidentiality_declaration(signed_on))

    def approve(self, application_id: UUID, today: date, approved_by: str) -> VolunteerApplication:
        rules = self.settings.attest_rules
        return self._change_volunteer(application_id, lambda volunteer: volunteer.approve(today, approved_by, rules))

    def reject(self, application_id: UUID, reasons: str, today: date, rejected_by: str) -> VolunteerApplication:
        return self._change_volunteer(application_id, lambda volunteer: volunteer.reject(reasons, today, rejected_by))

    def flag_renewals(self, application_ids: Iterable[UUID], today: date) -> list[UUID]:
        """Flag each approved oppdragstaker whose politiattest is due for renewal; those already flagged, or
        renewed meanwhile, are passed over."""
        months = self.settings.police_certificate_renewal_months
        flagged = []
        for application_id in application_ids:
            try:
                self._change_volunteer(application_id,
                                       lambda volunteer: volunteer.flag_certificate_renewal(today, months))
            except RuleViolation:
                continue
            flagged.append(application_id)
        return flagged

    def _change_volunteer(self, application_id: UUID,
                          command: Callable[[VolunteerApplication], None]) -> VolunteerApplication:
        return self._change(application_id, VolunteerApplication, command)

    def _change(self, aggregate_id: UUID, kind: type[T], command: Callable[[T], None]) -> T:
        aggregate = self._get(aggregate_id, kind)
        command(aggregate)
        self.save(aggregate)
        return aggregate

    # -- erasure (crypto-shredding: docs/privacy.md) --

    def erase(self, asked_for: UUID, case_ids: list[UUID], volunteer_ids: list[UUID], today: date,
              erased_by: str) -> PersonErasure:
        """Record the erasure (ids only; published as PersonErased) and delete the persons' keys, so every
        sealed copy of their fields reads "slettet". Asked again, the record is found and the keys deleted
        again. The caller has checked that nothing blocks it (domain.erasure_blockers)."""
        erasure_id = uuid5(ERASURE_NAMESPACE, str(asked_for))
        try:
            erasure, recorded = self.repository.get(erasure_id), True
        except AggregateNotFoundError:
            erasure, recorded = PersonErasure(id=erasure_id, asked_for=asked_for, case_ids=case_ids,
                                              volunteer_ids=volunteer_ids, erased_on=today, erased_by=erased_by), False
        # The keys go before PersonErased is stored: a service that forgets its cached keys when it reads
        # the event must not find them in the vault again.
        erase_keys([*erasure.case_ids, *erasure.volunteer_ids])
        if not recorded:
            self.save(erasure)
        return erasure

    def erasure_of(self, asked_for: UUID) -> PersonErasure | None:
        try:
            return self.repository.get(uuid5(ERASURE_NAMESPACE, str(asked_for)))
        except AggregateNotFoundError:
            return None

    # -- queries --

    def case(self, case_id: UUID) -> ServiceApplication:
        return self._get(case_id, ServiceApplication)

    def volunteer(self, application_id: UUID) -> VolunteerApplication:
        return self._get(application_id, VolunteerApplication)

    def case_as_of(self, case_id: UUID, day: date) -> ServiceApplication:
        """The case as it stood at the end of `day` (Norwegian time): its events up to then, folded.
        NotFound if it had not been received by then."""
        version = None
        for domain_event in self.events.get(case_id):
            if domain_event.timestamp.astimezone(NORWAY).date() > day:
                break
            version = domain_event.originator_version
        if version is None:
            raise NotFound(case_id)
        return self.repository.get(case_id, version=version)

    def letter(self, case_id: UUID, number: int) -> tuple[dict, bytes]:
        """Letter `number` of a case and its PDF, rendered again from the version of the case it was
        issued from, under the letterhead it was issued with."""
        case = self.case(case_id)
        if not 1 <= number <= len(case.letters):
            raise NotFound(number)
        if case.national_id == ERASED:
            raise LetterErased(case_id)
        letter = case.letters[number - 1]
        as_issued = self.repository.get(case_id, version=letter["rendered_from_version"])
        pdf = render_letter(as_issued, letter["kind"], Kommune(**letter["kommune"]), letter["contact_person"],
                            letter["issued_on"])
        if sha256(pdf) != letter["sha256"]:
            raise LetterChanged(f"letter {number} of case {case_id} renders to other bytes than were sent")
        return letter, pdf

    def letter_text(self, case_id: UUID, number: int) -> tuple[dict, list[dict]]:
        """Letter `number` of a case as text for the portal (headings and paragraphs), rendered from the
        version of the case it was issued from, as the PDF is."""
        case = self.case(case_id)
        if not 1 <= number <= len(case.letters):
            raise NotFound(number)
        if case.national_id == ERASED:
            raise LetterErased(case_id)
        letter = case.letters[number - 1]
        as_issued = self.repository.get(case_id, version=letter["rendered_from_version"])
        return letter, letter_text(as_issued, letter["kind"], Kommune(**letter["kommune"]),
                                   letter["contact_person"], letter["issued_on"])

    def history(self, aggregate_id: UUID) -> list:
        """Every event of one case or application, oldest first."""
        return list(self.events.get(aggregate_id))

    def _get(self, aggregate_id: UUID, kind: type[T]) -> T:
        return self.get_aggregate(aggregate_id, kind, NotFound)
