"""The applications service's aggregates and their private events. Pure: no I/O, no frameworks.

VolunteerApplication: a person who wants to become støttekontakt, avlaster or besøkshjem. This slice
records that the application was received; interview, politiattest, taushetserklæring and approval
follow in the applications issue.
"""

from datetime import date
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event


class Role(StrEnum):
    STOTTEKONTAKT = "støttekontakt"
    AVLASTER = "avlaster"
    BESOKSHJEM = "besøkshjem"


class ApplicantTooYoung(ValueError):
    pass


class ApplicantTooOld(ValueError):
    pass


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


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
