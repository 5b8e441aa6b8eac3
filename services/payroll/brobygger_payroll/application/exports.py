"""The export of a run's pay lines for the municipal payroll system, and the employee numbers it names.

The CSV goes to the payroll system, which rejects a line naming someone it has no employee number for;
a kommune may ask (a setting) that such a run is refused rather than exported with the lines marked.
The JSON export is for reading and always lists every line, marked.
"""

import asyncio
from uuid import UUID

import asyncpg

from brobygger_payroll import export, projections
from brobygger_payroll.application.commands import PayrollApplication


class MissingEmployeeNumbers(Exception):
    """The run names oppdragstakere the payroll system has no employee number for (their person ids)."""

    def __init__(self, volunteer_ids: list[str]) -> None:
        super().__init__(f"{len(volunteer_ids)} without an employee number")
        self.volunteer_ids = volunteer_ids


async def employee_numbers(app: PayrollApplication, connection: asyncpg.Connection) -> dict[str, str]:
    """Volunteer id -> employee number: the first import (a setting), then those staff recorded."""
    return app.settings.employee_numbers | await projections.employee_numbers(connection)


async def export_rows(app: PayrollApplication, connection: asyncpg.Connection, run_id: UUID,
                      for_payroll_system: bool) -> list[dict]:
    """The run's lines as export rows. NotFound when there is no such run; MissingEmployeeNumbers when
    the rows go to the payroll system, some lack an employee number and the kommune refuses that."""
    lines = await projections.run_lines(connection, run_id)
    if not lines:
        await asyncio.to_thread(app.run, run_id)  # NotFound if there is no such run; an empty run has no lines
    contracts = await projections.contract_terms(connection)
    settings = app.settings
    rows = export.rows(
        lines, settings.pay_codes, settings.cost_centres, await employee_numbers(app, connection),
        {cid: c.versions[-1].engagement_type for cid, c in contracts.items()},
        {cid: c.scheme for cid, c in contracts.items()}, await projections.case_numbers(connection),
    )
    unnumbered = sorted({row["person_reference"] for row in rows if not row["employee_number"]})
    if for_payroll_system and unnumbered and settings.export_refuses_lines_without_employee_number:
        raise MissingEmployeeNumbers(unnumbered)
    return rows
