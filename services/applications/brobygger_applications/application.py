"""The applications service's eventsourcing Application: commands and queries on its aggregates.

A case takes the next case number of its year when it is received, in the same transaction. A vedtak
and a foreløpig svar each send a letter: rendered from the case as the command left it, its SHA-256
recorded in the LetterIssued event; reading the letter later renders it again from that version and
checks the hash.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from datetime import date
from typing import TypeVar
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from brobygger_applications.documents import render_letter
from brobygger_applications.domain import (
    CaseNumberSeries,
    LetterKind,
    Scheme,
    ServiceApplication,
    VolunteerApplication,
    check_age,
)
from brobygger_shared.documents import Kommune, sha256
from brobygger_shared.eventstore import ServiceApplication as EventSourcedService
from brobygger_shared.identity import parse_identity_number
from brobygger_shared.wishes import HelperWishes

T = TypeVar("T", ServiceApplication, VolunteerApplication)


class NotFound(LookupError):
    pass


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


class ApplicationsApplication(EventSourcedService):
    # A year's case-number series gets an event per case: a snapshot every 10 keeps taking one cheap (each
    # receipt loads the series: a snapshot and at most 9 events, not the year's thousands).
    snapshotting_intervals = {CaseNumberSeries: 10}

    # -- receiving: idempotent when the caller names the id (from an Idempotency-Key) --

    def receive_service_application(
        self, form: NewServiceApplication, today: date, application_id: UUID | None = None
    ) -> tuple[ServiceApplication, bool]:
        parse_identity_number(form.national_id)
        wishes = HelperWishes.read(form.helper_wishes).as_dict()  # one vocabulary; InvalidValue names a wish
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

    # -- changing: load, run the command (it raises RuleViolation if not allowed), save --

    def change_case(self, case_id: UUID, command: Callable[[ServiceApplication], None],
                    contact_person: str = "", today: date | None = None) -> ServiceApplication:
        """Run a command on a case; a vedtak or a foreløpig svar it made sends its letter, signed by
        `contact_person`, in the same save."""
        case = self._get(case_id, ServiceApplication)
        decisions, interim_reply = len(case.decisions), case.interim_reply
        command(case)
        if case.interim_reply is not interim_reply:
            self._issue_letter(case, LetterKind.INTERIM_REPLY, contact_person, today or date.today())
        if len(case.decisions) > decisions and not case.decisions[-1]["final"]:
            # A decision the Statsforvalteren made is its own letter to send, not the kommune's.
            self._issue_letter(case, LetterKind.DECISION, contact_person, today or date.today())
        self.save(case)
        return case

    def _issue_letter(self, case: ServiceApplication, kind: LetterKind, contact_person: str, today: date) -> None:
        pdf = render_letter(case, kind, self.kommune, contact_person, today)
        case.record_letter(kind, today, self.kommune.model_dump(), contact_person, sha256(pdf))

    @cached_property
    def kommune(self) -> Kommune:
        """The letterhead new letters are issued under (read once: its logo is a file)."""
        return self.settings.kommune.kommune()

    def change_volunteer(
        self, application_id: UUID, command: Callable[[VolunteerApplication], None]
    ) -> VolunteerApplication:
        return self._change(application_id, VolunteerApplication, command)

    def _change(self, aggregate_id: UUID, kind: type[T], command: Callable[[T], None]) -> T:
        aggregate = self._get(aggregate_id, kind)
        command(aggregate)
        self.save(aggregate)
        return aggregate

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
        letter = case.letters[number - 1]
        as_issued = self.repository.get(case_id, version=letter["rendered_from_version"])
        pdf = render_letter(as_issued, letter["kind"], Kommune(**letter["kommune"]), letter["contact_person"],
                            letter["issued_on"])
        if sha256(pdf) != letter["sha256"]:
            raise LetterChanged(f"letter {number} of case {case_id} renders to other bytes than were sent")
        return letter, pdf

    def history(self, aggregate_id: UUID) -> list:
        """Every event of one case or application, oldest first."""
        return list(self.events.get(aggregate_id))

    def _get(self, aggregate_id: UUID, kind: type[T]) -> T:
        return self.get_aggregate(aggregate_id, kind, NotFound)
