"""The applications service's eventsourcing Application: commands and queries on its aggregates."""

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from eventsourcing.persistence import IntegrityError

from brobygger_applications.domain import VolunteerApplication, check_age
from brobygger_shared.eventstore import ServiceApplication
from brobygger_shared.identity import parse_identity_number


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


class ApplicationsApplication(ServiceApplication):
    def receive_volunteer_application(
        self, form: NewVolunteerApplication, today: date, application_id: UUID | None = None
    ) -> tuple[VolunteerApplication, bool]:
        """Record a received application. With an id (from an Idempotency-Key) a repeat returns the
        first one unchanged; the flag says whether this call created it."""
        parse_identity_number(form.national_id)
        check_age(form.birth_date, today, self.settings.volunteer_min_age, self.settings.volunteer_max_age)
        application = VolunteerApplication(id=application_id or uuid4(), volunteer_id=uuid4(), **form.__dict__)
        try:
            self.save(application)
        except IntegrityError:
            return self.repository.get(application_id), False
        return application, True

    def volunteer_application(self, application_id: UUID) -> VolunteerApplication:
        return self.repository.get(application_id)
