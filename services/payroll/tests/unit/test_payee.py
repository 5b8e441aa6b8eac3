"""The payee: the employee number the municipal payroll system gave an oppdragstaker."""

from uuid import UUID

import pytest

from brobygger_payroll.domain.payees import Payee
from brobygger_shared.rules import RuleViolation


def test_an_employee_number_is_recorded_once_and_never_blank():
    payee = Payee(id=UUID(int=9), volunteer_id=UUID(int=3))
    payee.assign_employee_number(" 40017 ")
    payee.assign_employee_number("40017")  # the same again records nothing new

    assert payee.employee_number == "40017"
    assert [type(e).__name__ for e in payee.collect_events()] == ["Registered", "EmployeeNumberAssigned"]
    with pytest.raises(RuleViolation):
        payee.assign_employee_number("  ")
