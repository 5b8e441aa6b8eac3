"""HTTP routes of the payroll service: timesheets, rates, payroll runs and the pay-line export."""

import asyncio
from datetime import date
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import asyncpg
import orjson
from fastapi import APIRouter, Depends, Query, Request, Response, status
from pydantic import BaseModel, Field

from brobygger_payroll import export, projections
from brobygger_payroll.application import InvalidTimesheet, NotFound, PayrollApplication, PayrollRuns, exports
from brobygger_payroll.domain.rates import MAX_RATE_BY_UNIT, RateTable
from brobygger_payroll.domain.runs import held_as_dict, line_as_dict
from brobygger_payroll.domain.statement import own_ledger, pay_statement
from brobygger_payroll.domain.timesheets import (
    MAX_ENTRIES,
    MAX_KM_PER_ENTRY,
    Timesheet,
    TimesheetEntry,
    TimesheetStatus,
)
from brobygger_payroll.rates import shipped_rates
from brobygger_shared.access_log import ids_in, reading_of
from brobygger_shared.auth import (
    AUTH_RESPONSES,
    OPPDRAGSTAKER,
    OwnVolunteerId,
    PAYROLL,
    Principal,
    SignedIn,
    command_responses,
    current_principal,
    require_role,
)
from brobygger_shared.case_access import CaseAccess, Staff
from brobygger_shared.inputs import (
    PERIOD_PATTERN, Day, Input, Line, Moment, Paragraphs, Period, at_most_per_unit,
)
from brobygger_shared.problems import Problem
from brobygger_shared.service import ReadConnection

router = APIRouter(tags=["lønn"])

Caseworker = Staff  # saksbehandler or barnevern: each sees the timesheets of the cases its roles allow
PayrollOfficer = Annotated[Principal, Depends(require_role(PAYROLL))]


def staff_or_payroll(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    """Case roles (the timesheets they approve) or lønn (the payees and timesheets it pays)."""
    if not (CaseAccess(principal).any or principal.has(PAYROLL)):
        raise Problem(403, "Du har ikke tilgang til dette.")
    return principal


StaffOrPayroll = Annotated[Principal, Depends(staff_or_payroll)]


def timesheet_reader(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    """An oppdragstaker (their own timesheets), case roles or lønn: anyone else is refused before the body is
    read; which timesheet each may see is checked on it (`_require_own_or_staff`)."""
    if not (principal.has(OPPDRAGSTAKER) or CaseAccess(principal).any or principal.has(PAYROLL)):
        raise Problem(403, "Du har ikke tilgang til dette.")
    return principal


TimesheetReader = Annotated[Principal, Depends(timesheet_reader)]
RESPONSES = command_responses("Fant ikke timelisten eller lønnskjøringen", "Ikke tillatt nå")


def application(request: Request) -> PayrollApplication:
    return request.app.state.application


App = Annotated[PayrollApplication, Depends(application)]


def payroll_runs(request: Request) -> PayrollRuns:
    """The pay use case, waiting (read-your-writes) until the ledger includes everything recorded
    before this request."""
    app = application(request)
    return PayrollRuns(app, shipped_rates(), caught_up=lambda: _caught_up(request, app))


Runs = Annotated[PayrollRuns, Depends(payroll_runs)]


async def _run(function, *args):
    try:
        return await asyncio.to_thread(function, *args)
    except NotFound:
        raise Problem(404, "Fant ikke timelisten eller lønnskjøringen.") from None


async def _caught_up(request: Request, app: PayrollApplication) -> None:
    """Read-your-writes: the ledger includes everything recorded before this request."""
    newest = await asyncio.to_thread(app.recorder.max_notification_id) or 0
    for runner in request.app.state.runtime.local_runners:
        if not await runner.caught_up_with(newest):
            raise Problem(503, "Lønn har ikke lest inn alle godkjente timelister ennå. Prøv igjen om litt.")


def _require_own_or_staff(person: Principal, volunteer_id: UUID, scheme: str | None = None,
                          status: str | None = None) -> None:
    """An oppdragstaker sees and keeps only the timesheets of their own contracts. Staff see those of the
    cases their roles allow (`case_access`), lønn those approved (it pays them); a barnevern contract's
    timesheet does not exist (404) for staff whose roles do not allow it."""
    if person.is_oppdragstaker(volunteer_id):
        return
    access = CaseAccess(person)
    if access.any or person.has(PAYROLL):
        if (scheme is not None and access.may_see_scheme(scheme)) or (person.has(PAYROLL) and status == "godkjent"):
            return
        raise Problem(404, "Fant ikke timelisten eller lønnskjøringen.")
    raise Problem(403, "Du kan bare se og føre timelister for dine egne oppdrag.")


async def _visible_sheet(connection: asyncpg.Connection, app: PayrollApplication, timesheet_id: UUID,
                         person: Principal) -> Timesheet:
    sheet = await _run(app.timesheet, timesheet_id)
    contract = await projections.contract(connection, sheet.contract_id)
    if (person.has(OPPDRAGSTAKER) and not person.is_oppdragstaker(sheet.volunteer_id)
            and not (CaseAccess(person).any or person.has(PAYROLL))):
        raise Problem(404, "Fant ikke timelisten eller lønnskjøringen.")  # another's: as if unknown
    _require_own_or_staff(person, sheet.volunteer_id, contract.scheme if contract else None, sheet.status)
    return sheet


# -- timesheets --------------------------------------------------------------------------------------


class EntryIn(Input):
    day: Day
    activity: Line(200) = ""
    hours: Decimal | None = Field(default=None, gt=0, le=24, decimal_places=2, description="Hours worked that day")
    stay_start: Moment | None = Field(default=None, description="Avlastning/besøkshjem: the stay's start")
    stay_end: Moment | None = None
    km: Decimal = Field(default=Decimal(0), ge=0, le=MAX_KM_PER_ENTRY, decimal_places=1,
                        description="Driven where the contract covers transport")
    note: Paragraphs(1000) = ""
    present: list[UUID] = Field(default=[], max_length=20,
                                description="A group contract's session: the cases of the users present (each a "
                                            "member of the group); left out for a one-user contract")


class TimesheetIn(Input):
    contract_id: UUID
    period: Period
    entries: list[EntryIn] = Field(min_length=1, max_length=MAX_ENTRIES)


class TimesheetOut(BaseModel):
    timesheet_id: UUID
    contract_id: UUID
    period: str
    status: str
    flags: list[str]
    entries: list[dict]
    returned_reason: str | None = None

    @classmethod
    def of(cls, sheet: Timesheet) -> "TimesheetOut":
        return cls(timesheet_id=sheet.id, contract_id=sheet.contract_id, period=sheet.period, status=sheet.status,
                   flags=sheet.flags, entries=sheet.entries, returned_reason=sheet.returned_reason)


@router.post("/timesheets", status_code=201, response_model=TimesheetOut,
             responses={200: {"description": "A corrected timesheet resubmitted"}, **RESPONSES},
             summary="Submit a month's timesheet for a contract (again, to correct it)")
async def submit_timesheet(body: TimesheetIn, response: Response, person: TimesheetReader, connection: ReadConnection,
                           app: App) -> TimesheetOut:
    contract = await projections.contract(connection, body.contract_id)
    if contract is None:
        raise Problem(409, "Lønn kjenner ingen signert oppdragsavtale med denne id-en.")
    _require_own_or_staff(person, contract.volunteer_id, contract.scheme)
    entries = [TimesheetEntry(**{**entry.model_dump(), "present": tuple(entry.present)}) for entry in body.entries]
    try:
        sheet, created = await _run(app.submit_timesheet, body.contract_id, contract.volunteer_id, body.period,
                                    entries, contract.window(), date.today())
    except InvalidTimesheet as invalid:
        errors = [{"field": f"entries[{p.entry}].{p.field}", "message": p.message} for p in invalid.problems]
        raise Problem(422, "Timelisten har feil: " + str(invalid), errors=errors) from None
    if not created:
        response.status_code = status.HTTP_200_OK
    return TimesheetOut.of(sheet)


@router.get("/timesheets", responses=AUTH_RESPONSES,
            summary="Timesheets by status, with flags for the approver: those of the cases the caller's roles "
                    "allow, and for lønn those approved (it pays them)")
async def get_timesheets(person: StaffOrPayroll, connection: ReadConnection, read: reading_of("timesheets"),
                         status: TimesheetStatus | None = None) -> list[dict]:
    access = CaseAccess(person)
    rows = await projections.visible_timesheets(connection, status, access.barnevern, access.ordinary,
                                                person.has(PAYROLL))
    await read.record(ids_in(rows, "timesheet_id", "contract_id", "volunteer_id"))
    return rows


@router.get("/summary", responses=AUTH_RESPONSES,
            summary="The counts the work queue shows: timesheets to approve (and flagged) of the cases the "
                    "caller's roles allow; for lønn the latest run")
async def get_summary(person: StaffOrPayroll, connection: ReadConnection) -> dict:
    access = CaseAccess(person)
    counts = (await projections.timesheet_counts(connection, access.barnevern, access.ordinary)
              if access.any else {"to_approve": None, "flagged": None})
    latest = await projections.runs(connection, 1) if person.has(PAYROLL) else []
    return {"timesheets_to_approve": counts["to_approve"], "timesheets_flagged": counts["flagged"],
            "latest_run": latest[0] if latest else None}


@router.get("/timesheets/{timesheet_id}", response_model=TimesheetOut, responses=RESPONSES,
            summary="One timesheet with its entries and the flags for the approver")
async def get_timesheet(timesheet_id: UUID, person: TimesheetReader, app: App, connection: ReadConnection,
                        _: reading_of("timesheet", "timesheet_id")) -> TimesheetOut:
    return TimesheetOut.of(await _visible_sheet(connection, app, timesheet_id, person))


@router.post("/timesheets/{timesheet_id}/approval", response_model=TimesheetOut, responses=RESPONSES)
async def approve(timesheet_id: UUID, staff: Caseworker, app: App, connection: ReadConnection) -> TimesheetOut:
    await _visible_sheet(connection, app, timesheet_id, staff.principal)
    return TimesheetOut.of(await _run(app.approve, timesheet_id, staff.user_id, date.today()))


class ReturnIn(BaseModel):
    reason: str = Field(min_length=1)


@router.post("/timesheets/{timesheet_id}/return", response_model=TimesheetOut, responses=RESPONSES,
             summary="Return to the oppdragstaker for correction, with a reason")
async def return_timesheet(timesheet_id: UUID, body: ReturnIn, staff: Caseworker, app: App,
                           connection: ReadConnection) -> TimesheetOut:
    await _visible_sheet(connection, app, timesheet_id, staff.principal)
    return TimesheetOut.of(await _run(app.return_for_correction, timesheet_id, body.reason, staff.user_id,
                                      date.today()))


# -- rates -------------------------------------------------------------------------------------------


async def _rate_table(connection: asyncpg.Connection) -> RateTable:
    return RateTable([*shipped_rates(), *await projections.registered_rates(connection)])


@router.get("/rates", responses=AUTH_RESPONSES, summary="Every rate with its valid_from and source")
async def get_rates(staff: PayrollOfficer, connection: ReadConnection) -> list[dict]:
    return [rate._asdict() for rate in (await _rate_table(connection)).all()]


class RateIn(Input):
    code: Line(40, min_length=1)
    unit: str = Field(pattern="^(øre_per_time|øre_per_døgn|øre_per_km|øre_per_måned|prosent)$")
    value: Decimal = Field(ge=0, decimal_places=4)
    valid_from: Day = Field(description="May be in the past: the next run pays the difference")
    source: Line(300, min_length=1)

    _value_within_its_unit = at_most_per_unit("value", "unit", MAX_RATE_BY_UNIT)


@router.post("/rates", status_code=201, responses=RESPONSES, summary="Register a rate (RateChanged)")
async def register_rate(body: RateIn, staff: PayrollOfficer, connection: ReadConnection, app: App) -> dict:
    units = {rate.unit for rate in (await _rate_table(connection)).all() if rate.code == body.code}
    if units and body.unit not in units:
        message = f"satsen {body.code} er i {', '.join(sorted(units))}, ikke {body.unit}"
        raise Problem(422, f"Sjekk feltene: unit ({message})", errors=[{"field": "unit", "message": message}])
    await _run(app.register_rate, body.code, body.unit, body.value, body.valid_from, body.source)
    return body.model_dump()


# -- payroll runs ------------------------------------------------------------------------------------


class RunIn(Input):
    period: Period


@router.post("/payroll-runs", status_code=201, responses=RESPONSES,
             summary="Pay what is approved and unpaid up to the period, correct earlier periods, list what "
                     "could not be paid")
async def run_payroll(body: RunIn, request: Request, staff: PayrollOfficer, runs: Runs) -> dict:
    async with request.app.state.runtime.read_pool.acquire() as connection:
        run, _ = await runs.run(connection, body.period, staff.user_id, date.today())
        numbers = await _employee_numbers(request, connection)
    return _run_out(run.id, run.period, run.lines, run.held, numbers) | {"run_on": run.run_on, "run_by": run.run_by}


@router.get("/payroll-runs/preview", responses=AUTH_RESPONSES,
            summary="What a run for the period would pay now, without recording anything")
async def preview_run(request: Request, staff: PayrollOfficer, connection: ReadConnection, runs: Runs,
                      period: str = Query(pattern=PERIOD_PATTERN, description="YYYY-MM")) -> dict:
    outcome = await runs.what_a_run_pays(connection, period)
    return _run_out(None, period, [line_as_dict(line) for line in outcome.lines],
                    [held_as_dict(held) for held in outcome.held], await _employee_numbers(request, connection))


async def _employee_numbers(request: Request, connection: asyncpg.Connection) -> dict[str, str]:
    return await exports.employee_numbers(application(request), connection)


def _run_out(run_id: UUID | None, period: str, lines: list[dict], held: list[dict], numbers: dict[str, str]) -> dict:
    """A run as staff see it: the lines, the contracts' periods it could not pay and why, and how many lines
    name a person the payroll system has no employee number for (it would reject them)."""
    return {"run_id": run_id, "period": period, "lines": lines, "total_ore": sum(line["amount_ore"] for line in lines),
            "corrections": sum(1 for line in lines if line["original_period"]), "not_paid": held,
            "lines_without_employee_number": sum(1 for line in lines if line["volunteer_id"] not in numbers)}


@router.get("/payroll-runs", responses=AUTH_RESPONSES, summary="The runs, newest first: period, when, by whom, "
                                                                  "how many lines and the total")
async def list_runs(staff: PayrollOfficer, connection: ReadConnection,
                    limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[dict]:
    return await projections.runs(connection, limit)


@router.get("/payroll-runs/{run_id}", responses=RESPONSES, summary="A run: what it paid, line by line")
async def get_run(run_id: UUID, request: Request, staff: PayrollOfficer, connection: ReadConnection,
                  app: App, _: reading_of("payroll run", "run_id")) -> dict:
    run = await _run(app.run, run_id)
    return (_run_out(run.id, run.period, run.lines, run.held, await _employee_numbers(request, connection))
            | {"run_on": run.run_on, "run_by": run.run_by})


@router.get("/payroll-runs/{run_id}/export.{fmt}", responses=RESPONSES, response_class=Response,
            summary="The run's pay lines for the municipal payroll system, as csv or json")
async def export_run(run_id: UUID, fmt: str, request: Request, staff: PayrollOfficer,
                     connection: ReadConnection, app: App, _: reading_of("payroll export", "run_id")) -> Response:
    if fmt not in ("csv", "json"):
        raise Problem(404, "Eksporten finnes som .csv og .json.")
    await _caught_up(request, app)
    try:
        rows = await exports.export_rows(app, connection, run_id, for_payroll_system=fmt == "csv")
    except NotFound:
        raise Problem(404, "Fant ikke timelisten eller lønnskjøringen.") from None
    except exports.MissingEmployeeNumbers as missing:
        raise Problem(409, f"{len(missing.volunteer_ids)} oppdragstaker(e) i kjøringen mangler ansattnummer fra "
                           "lønnssystemet; registrer dem før eksporten.",
                      missing_employee_number=missing.volunteer_ids) from None
    if fmt == "csv":
        return Response(export.as_csv(rows), media_type="text/csv; charset=utf-8",
                        headers={"x-lines-without-employee-number": str(export.without_employee_number(rows))})
    return Response(orjson.dumps(rows), media_type="application/json")


@router.post("/payroll/rebuild", responses=AUTH_RESPONSES,
             summary="Recompute the whole history from the events and compare with what the runs paid")
async def rebuild(staff: PayrollOfficer, connection: ReadConnection, runs: Runs) -> dict:
    report = await runs.rebuild(connection)
    return {
        "events_folded": report.events_folded, "entries_folded": report.entries_folded,
        "contracts": report.contracts, "seconds": round(report.seconds, 3),
        "differences": [{"contract_id": line.contract_id, "period": line.original_period or line.period,
                         "component": line.component, "amount_ore": line.amount_ore}
                        for line in report.differences],
        "not_computed": [held_as_dict(held) for held in report.held],
    }


@router.get("/contracts", responses=AUTH_RESPONSES,
            summary="Signed contracts as payroll pays them (an oppdragstaker sees their own)")
async def get_contracts(person: SignedIn, connection: ReadConnection) -> list[dict]:
    access = CaseAccess(person)  # staff: the contracts of the cases their roles allow
    if not (access.any or person.has(OPPDRAGSTAKER)):
        raise Problem(403, "Du har ikke tilgang til dette.")
    return [
        {"contract_id": c.contract_id, "volunteer_id": c.volunteer_id, "scheme": c.scheme,
         "period_from": c.period_from, "period_to": c.period_to, "ends_on": c.ends_on,
         "terms": [terms.model_dump(mode="json") for terms in c.versions]}
        for c in (await projections.contract_terms(connection)).values()
        if access.may_see_scheme(c.scheme) or person.is_oppdragstaker(c.volunteer_id)
    ]


@router.get("/payees", responses=AUTH_RESPONSES, summary="Known oppdragstakere pay lines can name")
async def get_payees(person: StaffOrPayroll, connection: ReadConnection, read: reading_of("payees")) -> list[dict]:
    rows = await projections.list_payees(connection)
    await read.record(ids_in(rows, "volunteer_id"))
    return rows


class EmployeeNumberIn(Input):
    employee_number: Line(32, min_length=1, description="As the municipal payroll system has it")


@router.put("/payees/{volunteer_id}/employee-number", responses=RESPONSES,
            summary="Record the employee number the payroll system gave an oppdragstaker (for the export)")
async def assign_employee_number(volunteer_id: UUID, body: EmployeeNumberIn, staff: PayrollOfficer,
                                 app: App, connection: ReadConnection) -> dict:
    if not await projections.is_payee(connection, volunteer_id):
        raise Problem(404, "Fant ingen oppdragstaker med denne id-en.")
    payee = await _run(app.assign_employee_number, volunteer_id, body.employee_number)
    return {"volunteer_id": payee.volunteer_id, "employee_number": payee.employee_number}



# -- the oppdragstaker's own (the portal) -------------------------------------------------------------
# The portal's gateway calls these as the signed-in oppdragstaker (role oppdragstaker, the token's subject
# their volunteer id). Another's timesheet, like one that does not exist, is 404.

@router.get("/my/timesheets", responses=AUTH_RESPONSES, tags=["selvbetjening"],
            summary="The signed-in oppdragstaker's timesheets, newest month first, with each one's status")
async def my_timesheets(volunteer_id: OwnVolunteerId, connection: ReadConnection,
                        read: reading_of("own timesheets")) -> list[dict]:
    rows = await projections.timesheets_of_volunteer(connection, volunteer_id)
    await read.record(ids_in(rows, "timesheet_id"))
    return rows


@router.get("/my/timesheets/{timesheet_id}", response_model=TimesheetOut, responses=RESPONSES,
            tags=["selvbetjening"], summary="One of the signed-in oppdragstaker's timesheets")
async def my_timesheet(timesheet_id: UUID, volunteer_id: OwnVolunteerId, app: App,
                       _: reading_of("own timesheet", "timesheet_id")) -> TimesheetOut:
    return TimesheetOut.of(await _run(app.own_timesheet, timesheet_id, volunteer_id))


@router.get("/my/pay", responses={**AUTH_RESPONSES, 503: {"description": "Payroll is still reading in"}},
            tags=["selvbetjening"],
            summary="The signed-in oppdragstaker's pay per month worked: lines paid (and by which run) and those a "
                    "run would pay now, as payroll computes them")
async def my_pay(volunteer_id: OwnVolunteerId, connection: ReadConnection, runs: Runs) -> list[dict]:
    sheets = await projections.timesheets_of_volunteer(connection, volunteer_id)
    period = max([date.today().strftime("%Y-%m"), *(sheet["period"] for sheet in sheets)])
    due = []
    if sheets:  # what a run would pay now, computed on their contracts only
        await runs.caught_up()
        ledger = own_ledger(await projections.pay_ledger(connection, runs.shipped_rates), volunteer_id)
        due = (await asyncio.to_thread(runs.settle, ledger, period)).lines
    paid = await projections.paid_lines_of_volunteer(connection, volunteer_id)
    return pay_statement(volunteer_id, paid, due)
