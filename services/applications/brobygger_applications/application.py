"""The applications service's eventsourcing Application: commands and queries on its aggregates."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar
from uuid import UUID, uuid4

from eventsourcing.persistence import IntegrityError

from brobygger_applications.domain import (
    Scheme,
    ServiceApplication,
    VolunteerApplication,
    check_age,
)
from brobygger_shared.eventstore import ServiceApplication as EventSourcedService
from brobygger_shared.identity import parse_identity_number
from brobygger_shared.wishes import HelperWishes

T = TypeVar("T", ServiceApplication, VolunteerApplication)


class NotFound(LookupError):
    pass


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


class ApplicationsApplication(EventSourcedService):
    # -- receiving: idempotent when the caller names the id (from an Idempotency-Key) --

    def receive_service_application(
        self, form: NewServiceApplication, today: date, application_id: UUID | None = None
    ) -> tuple[ServiceApplication, bool]:
        parse_identity_number(form.national_id)
        wishes = HelperWishes.read(form.helper_wishes).as_dict()  # one vocabulary; InvalidValue names a wish
        case = ServiceApplication(id=application_id or uuid4(), person_id=uuid4(), received_on=today,
                                  **{**form.__dict__, "helper_wishes": wishes})
        return self._create(case, ServiceApplication)

    def receive_volunteer_application(
        self, form: NewVolunteerApplication, today: date, application_id: UUID | None = None
    ) -> tuple[VolunteerApplication, bool]:
        parse_identity_number(form.national_id)
        check_age(form.birth_date, today, self.settings.volunteer_min_age, self.settings.volunteer_max_age)
        application = VolunteerApplication(
            id=application_id or uuid4(), volunteer_id=uuid4(), received_on=today, **form.__dict__
        )
        return self._create(application, VolunteerApplication)

    def _create(self, aggregate: T, kind: type[T]) -> tuple[T, bool]:
        try:
            self.save(aggregate)
        except IntegrityError:
            return self._get(aggregate.id, kind), False
        return aggregate, True

    # -- changing: load, run the command (it raises RuleViolation if not allowed), save --

    def change_case(self, case_id: UUID, command: Callable[[ServiceApplication], None]) -> ServiceApplication:
        return self._change(case_id, ServiceApplication, command)

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

    def history(self, aggregate_id: UUID) -> list:
        """Every event of one case or application, oldest first."""
        return list(self.events.get(aggregate_id))

    def _get(self, aggregate_id: UUID, kind: type[T]) -> T:
        return self.get_aggregate(aggregate_id, kind, NotFound)
