"""The oppdragstaker's pages in the portal: their contracts (read, the PDF, sign), the monthly timesheet
per contract (send, correct a returned one in place, each month's status) and their pay per month.

The person is found as an oppdragstaker by their identity number (applications' `GET /citizen/volunteer`,
asked as the person); the gateway then calls contracts and payroll as that oppdragstaker (role
`oppdragstaker`, the token's subject their volunteer id), whose `/my/...` routes answer only about their
own: another's contract or timesheet is 404 there, and here "Fant ikke det du ba om"."""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from brobygger_gateway.application import InvalidInput, NotAllowed, NotFound
from brobygger_gateway.domain import Person
from brobygger_gateway.pages.forms import FormState
from brobygger_gateway.portal import (
    MENU, PREFIX, ROUTERS, PortalNotFound, Services, SignedInPerson, render, see_other,
)
from brobygger_gateway.portal.limits import Limited
from brobygger_shared.auth import OPPDRAGSTAKER

router = APIRouter(prefix=PREFIX, include_in_schema=False)
ROUTERS.append(router)
MENU.extend([
    (f"{PREFIX}/oppdragsavtaler", "Oppdrag", "Mine oppdrag", "Les og signer oppdragsavtalene dine."),
    (f"{PREFIX}/timelister", "Timelister", "Timelister", "Før timer, døgn og kjøring for hver måned."),
    (f"{PREFIX}/lonn", "Lønn", "Lønn", "Se hva du får utbetalt og har fått utbetalt."),
])

STATUSES = {"utkast": "Til signering", "delvis_signert": "Signert av én part", "signert": "Signert – gjelder",
            "avsluttet": "Avsluttet"}
SHEET_STATUSES = {"sendt_inn": "Sendt inn – venter på godkjenning", "godkjent": "Godkjent",
                  "returnert": "Returnert til deg for retting"}
SCHEMES = {"støttekontakt": "Støttekontakt", "støttekontakt_barnevern": "Støttekontakt",
           "privat_avlastning": "Avlastning", "avlastning_barnevern": "Avlastning", "besøkshjem": "Besøkshjem"}
COMPONENTS = {"timelønn": "Timelønn", "arbeidsgodtgjøring_døgn": "Arbeidsgodtgjøring per døgn",
              "utgiftsdekning_måned": "Utgiftsdekning per måned", "utgiftsdekning_døgn": "Utgiftsdekning per døgn",
              "kjøregodtgjørelse_skattefri": "Kjøregodtgjørelse (skattefri)",
              "kjøregodtgjørelse_skattepliktig": "Kjøregodtgjørelse (skattepliktig)", "feriepenger": "Feriepenger"}
ROWS = 6  # entry rows on a month's form; more days: send, then add more
ENTRY_FIELDS = ("day", "activity", "hours", "stay_start", "stay_end", "km", "note")
# A group contract's entry names who was there: one checkbox per member, `entries[i].present.<n>` for the
# contract's n-th member (a form sends one value per name), read back into payroll's `present` (case ids).
PRESENT = "present"


def present_fields(index: int, members: list[str]) -> list[str]:
    return [f"entries[{index}].{PRESENT}.{number}" for number in range(len(members))]


@dataclass(frozen=True)
class Oppdragstaker:
    """The signed-in person acting as their oppdragstaker: the shape a service token is signed from."""

    volunteer_id: str
    name: str

    @property
    def user_id(self) -> str:
        return self.volunteer_id

    @property
    def roles(self) -> frozenset[str]:
        return frozenset({OPPDRAGSTAKER})


async def _as_oppdragstaker(services: Services, person: Person) -> Oppdragstaker | None:
    try:
        found = await services.get("applications", "/citizen/volunteer", person)
    except NotFound:
        return None
    return Oppdragstaker(volunteer_id=str(found["volunteer_id"]), name=person.name)


async def _oppdragstaker(services: Services, person: Person) -> Oppdragstaker:
    me = await _as_oppdragstaker(services, person)
    if me is None:
        raise PortalNotFound()
    return me


def _page(request: Request, name: str, title: str, **context) -> Response:
    status_code = context.pop("status_code", 200)
    return render(request, f"oppdrag_{name}.html", {"title": title, "schemes": SCHEMES, "statuses": STATUSES,
                                                   "sheet_statuses": SHEET_STATUSES, **context},
                  status_code=status_code)


# -- contracts ---------------------------------------------------------------------------------------


@router.get("/oppdragsavtaler")
async def my_contracts(request: Request, person: SignedInPerson, services: Services) -> Response:
    me = await _as_oppdragstaker(services, person)
    contracts = await services.get("contracts", "/my/contracts", me) if me else []
    return _page(request, "contracts", "Mine oppdrag", contracts=contracts, registered=me is not None)


async def _contract_page(request: Request, services: Services, me: Oppdragstaker, contract_id: UUID,
                         message: str = "", signed: bool = False, status_code: int = 200) -> Response:
    contract = await services.get("contracts", f"/my/contracts/{contract_id}", me)
    return _page(request, "contract", "Oppdragsavtale", contract=contract, message=message, signed=signed,
                 form=FormState(), status_code=status_code)


@router.get("/oppdragsavtaler/{contract_id}")
async def my_contract(request: Request, contract_id: UUID, person: SignedInPerson, services: Services,
                      signert: str = "") -> Response:
    me = await _oppdragstaker(services, person)
    return await _contract_page(request, services, me, contract_id, signed=bool(signert))


@router.post("/oppdragsavtaler/{contract_id}/signer")
async def sign(request: Request, contract_id: UUID, person: SignedInPerson, services: Services,
               _: Limited) -> Response:
    form = await FormState.read(request)
    me = await _oppdragstaker(services, person)
    if form.value("bekreft") != "ja":
        return await _contract_page(request, services, me, contract_id, status_code=422,
                                    message="Kryss av for at du har lest avtalen og godtar den, før du signerer.")
    try:
        await services.post("contracts", f"/my/contracts/{contract_id}/signature", me, idempotency_key=form.key)
    except NotAllowed as refused:
        return await _contract_page(request, services, me, contract_id, message=refused.detail, status_code=409)
    return see_other(f"{PREFIX}/oppdragsavtaler/{contract_id}?signert=1")


@router.get("/oppdragsavtaler/{contract_id}/avtale.pdf")
async def contract_pdf(contract_id: UUID, person: SignedInPerson, services: Services) -> Response:
    me = await _oppdragstaker(services, person)
    try:
        pdf, media_type, headers = await services.download("contracts", f"/my/contracts/{contract_id}/document.pdf",
                                                           me)
    except NotAllowed:  # not signed by both yet: no document
        raise PortalNotFound() from None
    return Response(pdf, media_type=media_type, headers=headers)


# -- timesheets --------------------------------------------------------------------------------------


@router.get("/timelister")
async def my_timesheets(request: Request, person: SignedInPerson, services: Services) -> Response:
    me = await _as_oppdragstaker(services, person)
    signed = ("signert", "avsluttet")  # an ended contract's last months still get their timesheets
    contracts = [c for c in await services.get("contracts", "/my/contracts", me) if c["status"] in signed] if me else []
    sheets = await services.get("payroll", "/my/timesheets", me) if me else []
    return _page(request, "timesheets", "Timelister", contracts=contracts, sheets=sheets,
                 this_month=date.today().strftime("%Y-%m"))


PERIOD = r"^20\d{2}-(0[1-9]|1[0-2])$"
PeriodPath = Path(pattern=PERIOD)


@router.get("/timelister/ny")
async def pick_month(person: SignedInPerson, contract: UUID, maned: str = "") -> Response:
    """The month chosen on the list page (a GET form): on to that month's page (this month if none)."""
    period = maned if re.fullmatch(PERIOD, maned) else date.today().strftime("%Y-%m")
    return see_other(f"{PREFIX}/timelister/{contract}/{quote(period)}")


async def _month(services: Services, me: Oppdragstaker, contract_id: UUID, period: str) -> tuple[dict, dict | None]:
    """The contract (one's own, signed; else 404) and the month's timesheet, if one was sent."""
    contract = await services.get("contracts", f"/my/contracts/{contract_id}", me)
    if contract["status"] not in ("signert", "avsluttet"):
        raise PortalNotFound()
    sheets = await services.get("payroll", "/my/timesheets", me)
    found = next((s for s in sheets if s["contract_id"] == str(contract_id) and s["period"] == period), None)
    sheet = await services.get("payroll", f"/my/timesheets/{found['timesheet_id']}", me) if found else None
    return contract, sheet


def _form_of(sheet: dict | None, members: list[str]) -> FormState:
    form = FormState()
    for index, entry in enumerate((sheet or {}).get("entries", [])):
        for number, case_id in enumerate(members):
            if case_id in (entry.get(PRESENT) or []):
                form.values[f"entries[{index}].{PRESENT}.{number}"] = "ja"
        for name in ENTRY_FIELDS:
            value = entry.get(name)
            if value in (None, "", "0", "0.0") or (name == "km" and Decimal(str(value)) == 0):
                continue
            text = str(value)
            if name in ("stay_start", "stay_end"):
                text = text[:16]  # datetime-local: YYYY-MM-DDTHH:MM
            form.values[f"entries[{index}].{name}"] = text.replace(".", ",") if name in ("hours", "km") else text
    return form


def _month_page(request: Request, contract: dict, sheet: dict | None, period: str, form: FormState,
                sent: bool = False, status_code: int = 200) -> Response:
    rows = max(ROWS, len((sheet or {}).get("entries", [])) + 1)
    mileage = bool(contract["terms"].get("mileage_covered"))
    shown = [f"entries[{i}].{name}" for i in range(rows) for name in (*ENTRY_FIELDS, PRESENT)]
    return _page(request, "timesheet", f"Timeliste {period}", contract=contract, sheet=sheet, period=period,
                 form=form, rows=rows, mileage=mileage, summary=form.summary(shown), sent=sent,
                 members=_members(contract), status_code=status_code)


def _members(contract: dict) -> list[str]:
    """A group contract's members' cases, the contract's own first; none for one user."""
    return [str(case_id) for case_id in contract.get("group_members") or []]


@router.get("/timelister/{contract_id}/{period}")
async def month(request: Request, contract_id: UUID, person: SignedInPerson, services: Services,
                period: str = PeriodPath, sendt: str = "") -> Response:
    me = await _oppdragstaker(services, person)
    contract, sheet = await _month(services, me, contract_id, period)
    # The notice belongs to the sending: a page reloaded after staff returned the month shows the return alone.
    sent = bool(sendt) and sheet is not None and sheet.get("status") == "sendt_inn"
    return _month_page(request, contract, sheet, period, _form_of(sheet, _members(contract)), sent=sent)


def _decimal(form: FormState, name: str) -> str | None:
    raw = form.value(name).replace(" ", "").replace(",", ".")
    if not raw:
        return None
    try:
        return str(Decimal(raw))
    except InvalidOperation:
        form.errors[name] = "Skriv et tall, for eksempel 2,5."
        return None


def entries_of(form: FormState, rows: int, members: list[str] | None = None) -> list[dict]:
    """The filled rows as payroll's entries; with a group contract's `members`, each names who was there."""
    members = members or []
    entries = []
    for index in range(rows):
        key = f"entries[{len(entries)}]."
        names = [*ENTRY_FIELDS, *(field.removeprefix(f"entries[{index}].") for field in present_fields(index, members))]
        row = {name: form.value(f"entries[{index}].{name}") for name in names}
        if not any(row.values()):
            continue
        if key != f"entries[{index}].":  # an empty row above: number the rest so errors land where typed
            for name in names:
                form.values[f"{key}{name}"] = form.values.pop(f"entries[{index}].{name}", "")
        entry = {"day": row["day"] or None, "activity": row["activity"], "note": row["note"],
                 "hours": _decimal(form, f"{key}hours"), "km": _decimal(form, f"{key}km") or "0",
                 "stay_start": row["stay_start"] or None, "stay_end": row["stay_end"] or None}
        if members:
            entry[PRESENT] = [case_id for number, case_id in enumerate(members)
                              if row[f"{PRESENT}.{number}"] == "ja"]
        if not row["day"]:
            form.errors[f"{key}day"] = "Skriv datoen."
        entries.append(entry)
    return entries


def errors_at_rows(errors: dict[str, str]) -> dict[str, str]:
    """Payroll names a field entries[0].day (its rules) or entries.0.day (its parsing): one form field."""
    return {re.sub(r"^entries\.(\d+)\.", r"entries[\1].", name): message for name, message in errors.items()}


@router.post("/timelister/{contract_id}/{period}")
async def send_month(request: Request, contract_id: UUID, person: SignedInPerson, services: Services, _: Limited,
                     period: str = PeriodPath) -> Response:
    form = await FormState.read(request)
    me = await _oppdragstaker(services, person)
    contract, sheet = await _month(services, me, contract_id, period)
    rows = max(ROWS, len((sheet or {}).get("entries", [])) + 1)
    entries = entries_of(form, rows, _members(contract))
    if not entries:
        form.message = "Før minst én dag før du sender timelisten."
    if form.errors or form.message:
        return _month_page(request, contract, sheet, period, form, status_code=422)
    try:
        await services.post("payroll", "/timesheets", me, {"contract_id": str(contract_id), "period": period,
                                                           "entries": entries}, idempotency_key=form.key)
    except (InvalidInput, NotAllowed) as error:
        form.refused(error)
        form.errors = errors_at_rows(form.errors)
        return _month_page(request, contract, sheet, period, form,
                           status_code=422 if isinstance(error, InvalidInput) else 409)
    return see_other(f"{PREFIX}/timelister/{contract_id}/{period}?sendt=1")


# -- pay ---------------------------------------------------------------------------------------------


@router.get("/lonn")
async def my_pay(request: Request, person: SignedInPerson, services: Services) -> Response:
    me = await _as_oppdragstaker(services, person)
    months = await services.get("payroll", "/my/pay", me) if me else []
    return _page(request, "pay", "Lønn", months=months, components=COMPONENTS, registered=me is not None)
