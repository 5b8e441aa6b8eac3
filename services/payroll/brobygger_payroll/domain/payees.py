"""Payees: an oppdragstaker as the municipal payroll system knows them."""

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from brobygger_payroll.domain.stored import TOPIC_MODULE
from brobygger_shared.rules import require


class Payee(Aggregate):
    """An oppdragstaker as the municipal payroll system knows them: the employee number it gave them,
    which every exported pay line carries."""

    __module__ = TOPIC_MODULE  # see stored.TOPIC_MODULE
    id: UUID  # derived from the volunteer id: one per oppdragstaker

    @event("Registered")
    def __init__(self, volunteer_id: UUID) -> None:
        self.volunteer_id = volunteer_id
        self.employee_number: str | None = None

    def assign_employee_number(self, employee_number: str) -> None:
        number = employee_number.strip()
        require(bool(number), "Oppgi ansattnummeret fra lønnssystemet.")
        if number != self.employee_number:
            self._employee_number_assigned(volunteer_id=self.volunteer_id, employee_number=number)

    @event("EmployeeNumberAssigned")
    def _employee_number_assigned(self, volunteer_id: UUID, employee_number: str) -> None:
        self.employee_number = employee_number
