"""Training and guidance for oppdragstakere (opplæring og veiledning): a course or a group guidance
evening, recorded once it is held with each invited person's attendance. Pure."""

from datetime import date
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from brobygger_matching.domain.stored import TOPIC_MODULE
from brobygger_shared.rules import RuleViolation


class GuidanceKind(StrEnum):
    COURSE = "kurs"
    GROUP_GUIDANCE = "veiledning_gruppe"
    INDIVIDUAL_GUIDANCE = "veiledning_individuell"


class GuidanceSession(Aggregate):
    """One session held: its kind, title, day, who led it, and per invited oppdragstaker whether they
    attended."""

    __module__ = TOPIC_MODULE

    @event("GuidanceSessionRecorded")
    def __init__(self, kind: GuidanceKind, title: str, held_on: date, led_by: str, present: list[UUID],
                 absent: list[UUID]) -> None:
        self.kind = GuidanceKind(kind)
        self.title = title
        self.held_on = held_on
        self.led_by = led_by
        self.present = list(present)
        self.absent = list(absent)

    @classmethod
    def record(cls, kind: GuidanceKind, title: str, held_on: date, led_by: str, attendance: dict[UUID, bool],
               today: date) -> "GuidanceSession":
        if held_on > today:
            raise RuleViolation("En samling registreres når den er holdt, ikke før.")
        if not title.strip():
            raise RuleViolation("Skriv hva samlingen handlet om.")
        if not attendance:
            raise RuleViolation("Registrer oppmøte for minst én oppdragstaker.")
        return cls(kind=GuidanceKind(kind), title=title.strip(), held_on=held_on, led_by=led_by.strip(),
                   present=sorted((v for v, came in attendance.items() if came), key=str),
                   absent=sorted((v for v, came in attendance.items() if not came), key=str))

    def attended(self, volunteer_id: UUID) -> bool | None:
        """True or False for someone invited; None for someone who was not."""
        if volunteer_id in self.present:
            return True
        return False if volunteer_id in self.absent else None
