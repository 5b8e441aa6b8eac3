"""Timelister: the timesheets to approve (with the flags payroll raises for the approver), a timesheet's
entries, and approval or return for correction with a reason. Approving is a caseworker's task.

Payroll does not filter barnevern contracts itself: a timesheet is shown only when its contract is one
this person may see (its scheme, from the contracts service)."""

import asyncio
from uuid import UUID

from fastapi import Request
from fastapi.responses import Response

from brobygger_gateway.application import InvalidInput, NotAllowed, ServiceClient
from brobygger_gateway.domain import StaffUser
from brobygger_gateway.pages import (
    Caseworker, PageNotFound, Services, failure_status, may_see, render, router, see_other,
)
from brobygger_gateway.pages.cases import SCHEMES
from brobygger_gateway.pages.forms import FormState
from brobygger_gateway.pages.matching import _case_names

STATUSES = {"sendt_inn": "Til godkjenning", "godkjent": "Godkjent", "returnert": "Returnert"}
STATUS_COLOURS = {"sendt_inn": "warning", "godkjent": "success", "returnert": "danger"}
DONE = {"godkjent": "Timelisten er godkjent.", "returnert": "Timelisten er sendt tilbake til oppdragstakeren."}


async def contracts_by_id(services: ServiceClient, user: StaffUser) -> dict[str, dict]:
    """Every contract this person may see, by id, with the citizen's name where applications shows it."""
    contracts, cases = await asyncio.gather(services.get("contracts", "/contracts", user),
                                            services.get("applications", "/service-applications", user))
    names = {str(row["application_id"]): row["full_name"] for row in cases}
    return {str(row["contract_id"]): {**row, "user_name": names[str(row["application_id"])]}
            for row in contracts if may_see(user, row["scheme"]) and str(row["application_id"]) in names}


@router.get("/timelister")
async def timesheet_list(request: Request, user: Caseworker, services: Services, status: str = "sendt_inn") -> Response:
    status = status if status in STATUSES or status == "alle" else "sendt_inn"
    sheets, contracts = await asyncio.gather(
        services.get("payroll", "/timesheets", user, {"status": "" if status == "alle" else status}),
        contracts_by_id(services, user))
    sheets = [sheet for sheet in sheets if str(sheet["contract_id"]) in contracts]
    return render(request, "timesheets.html", {
        "title": "Timelister", "sheets": sheets, "contracts": contracts, "statuses": STATUSES, "status": status,
        "colours": STATUS_COLOURS, "schemes": SCHEMES,
    })


async def _sheet_page(request: Request, user: StaffUser, services: ServiceClient, timesheet_id: UUID,
                      form: FormState | None = None, status_code: int = 200) -> Response:
    sheet, contracts = await asyncio.gather(services.get("payroll", f"/timesheets/{timesheet_id}", user),
                                            contracts_by_id(services, user))
    contract = contracts.get(str(sheet["contract_id"]))
    if contract is None:
        raise PageNotFound()
    form = form or FormState(name="retur")
    present = {case for entry in sheet["entries"] for case in entry.get("present", [])}
    names = await _case_names(services, user, present) if present else {}
    return render(request, "timesheet.html", {
        "group": bool(present), "present_names": names,
        "title": f"Timeliste for {sheet['period']}", "sheet": sheet, "contract": contract, "statuses": STATUSES,
        "colours": STATUS_COLOURS, "schemes": SCHEMES, "form": form, "summary": form.summary(["reason"]),
        "hours": sum(float(entry.get("hours") or 0) for entry in sheet["entries"]),
        "km": sum(float(entry.get("km") or 0) for entry in sheet["entries"]),
        "done": DONE.get(request.query_params.get("utfort", ""), ""),
    }, status_code=status_code)


@router.get("/timelister/{timesheet_id}")
async def timesheet_page(request: Request, timesheet_id: UUID, user: Caseworker, services: Services) -> Response:
    return await _sheet_page(request, user, services, timesheet_id)


@router.post("/timelister/{timesheet_id}/{action}")
async def timesheet_action(request: Request, timesheet_id: UUID, action: str, user: Caseworker,
                           services: Services) -> Response:
    if action not in ("godkjenn", "retur"):
        raise PageNotFound()
    sheet, contracts = await asyncio.gather(services.get("payroll", f"/timesheets/{timesheet_id}", user),
                                            contracts_by_id(services, user))
    if str(sheet["contract_id"]) not in contracts:
        raise PageNotFound()
    form = await FormState.read(request, name="retur")
    if action == "retur" and not form.value("reason"):
        form.errors["reason"] = "Skriv hva oppdragstakeren må rette."
        return await _sheet_page(request, user, services, timesheet_id, form, status_code=422)
    try:
        if action == "godkjenn":
            await services.post("payroll", f"/timesheets/{timesheet_id}/approval", user, idempotency_key=form.key)
        else:
            await services.post("payroll", f"/timesheets/{timesheet_id}/return", user,
                                {"reason": form.value("reason")}, idempotency_key=form.key)
    except (InvalidInput, NotAllowed) as error:
        return await _sheet_page(request, user, services, timesheet_id, form.refused(error),
                                 status_code=failure_status(error))
    return see_other(f"/timelister/{timesheet_id}?utfort={'godkjent' if action == 'godkjenn' else 'returnert'}")
