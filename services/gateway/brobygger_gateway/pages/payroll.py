"""Lønn, for the payroll role: the rates (list, register), a period's preview, a run (with a
confirmation step), the runs and their lines, the CSV/JSON export, the employee numbers the municipal
payroll system gave each oppdragstaker, and the rebuild report (the whole history recomputed from the
events and compared with what the runs paid).

The runs are payroll's own list (period, day, lines, corrections, total). The people behind pay lines
are named from payroll's payees, which the lønn role may list; else by a short reference."""

import asyncio
import re
from datetime import date
from uuid import UUID

from fastapi import Request
from fastapi.responses import Response

from brobygger_gateway.application import Forbidden, InvalidInput, NotAllowed, ServiceClient
from brobygger_gateway.domain import StaffUser
from brobygger_gateway.pages import PageNotFound, PayrollOfficer, Services, failure_status, render, router, see_other
from brobygger_gateway.pages.forms import FormState

PERIOD = re.compile(r"^20\d{2}-(0[1-9]|1[0-2])$")
UNITS = {"øre_per_time": "øre per time", "øre_per_døgn": "øre per døgn", "øre_per_km": "øre per km",
         "øre_per_måned": "øre per måned", "prosent": "prosent"}
COMPONENTS = {"timelønn": "Timelønn", "arbeidsgodtgjøring_døgn": "Arbeidsgodtgjøring per døgn",
              "utgiftsdekning_måned": "Utgiftsdekning per måned", "utgiftsdekning_døgn": "Utgiftsdekning per døgn",
              "kjøregodtgjørelse_skattefri": "Kjøregodtgjørelse (skattefri)",
              "kjøregodtgjørelse_skattepliktig": "Kjøregodtgjørelse (skattepliktig)", "feriepenger": "Feriepenger"}
RATE_FIELDS = ["code", "unit", "value", "valid_from", "source"]
# A pay line's quantity is counted in what its rate is per.
QUANTITY_UNITS = {"øre_per_time": "timer", "øre_per_døgn": "døgn", "øre_per_km": "km", "øre_per_måned": "måned",
                  "prosent": "kr grunnlag"}
RATE_UNITS = {"øre_per_time": "per time", "øre_per_døgn": "per døgn", "øre_per_km": "per km",
              "øre_per_måned": "per måned"}


def _number(value) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value or "")
    return f"{number:,.2f}".rstrip("0").rstrip(".").replace(",", "\u00a0").replace(".", ",")


def quantity(line: dict) -> str:
    """"2,5 timer"; a percentage's basis in kroner."""
    unit = line.get("unit") or ""
    if unit == "prosent":
        return f"{_number(float(line['quantity']) / 100)} kr grunnlag"
    return f"{_number(line.get('quantity'))} {QUANTITY_UNITS.get(unit, '')}".strip()


def rate(line: dict) -> str:
    """"180 kr per time (avtalt_timesats)"; a percentage as itself."""
    unit = line.get("unit") or ""
    value = line.get("rate_value")
    if unit == "prosent":
        shown = f"{_number(value)} %"
    else:
        shown = f"{_number(float(value or 0) / 100)} kr {RATE_UNITS.get(unit, '')}"
    return f"{shown.strip()} ({line.get('rate_code')})" if line.get("rate_code") else shown.strip()


def this_period() -> str:
    return date.today().strftime("%Y-%m")


async def payee_names(services: ServiceClient, user: StaffUser) -> dict[str, str]:
    """Names of the oppdragstakere pay lines name, where this person's roles may list them."""
    try:
        return {str(row["volunteer_id"]): row["full_name"] for row in await services.get("payroll", "/payees", user)}
    except Forbidden:
        return {}


def person(names: dict[str, str], volunteer_id) -> str:
    return names.get(str(volunteer_id)) or f"Oppdragstaker {str(volunteer_id)[:8]}"


# How a page names a line's person, quantity and rate.
LINE_WORDS = {"person": person, "quantity": quantity, "rate": rate}


@router.get("/lonn")
async def payroll_home(request: Request, user: PayrollOfficer, services: Services) -> Response:
    runs = await services.get("payroll", "/payroll-runs", user)
    return render(request, "payroll.html", {"title": "Lønn", "runs": runs, "period": this_period(),
                                            "form": FormState(values={"periode": this_period()})})


@router.get("/lonn/forhandsvisning")
async def preview(request: Request, user: PayrollOfficer, services: Services, periode: str = "") -> Response:
    return await _run_preview(request, user, services, periode, confirm=False)


@router.get("/lonn/kjoring")
async def confirm_run(request: Request, user: PayrollOfficer, services: Services, periode: str = "") -> Response:
    return await _run_preview(request, user, services, periode, confirm=True)


async def _run_preview(request: Request, user: StaffUser, services: ServiceClient, period: str,
                       confirm: bool) -> Response:
    if not PERIOD.match(period):
        form = FormState(values={"periode": period},
                         errors={"periode": "Skriv måneden som ÅÅÅÅ-MM, for eksempel 2026-11."})
        return render(request, "payroll.html", {"title": "Lønn", "runs": [], "period": this_period(), "form": form,
                                                "summary": form.summary(["periode"])}, status_code=422)
    outcome, names = await asyncio.gather(
        services.get("payroll", "/payroll-runs/preview", user, {"period": period}), payee_names(services, user))
    return render(request, "payroll_run.html", {
        "title": ("Bekreft lønnskjøring for " if confirm else "Forhåndsvisning av lønn for ") + period,
        "run": outcome, "names": names, "components": COMPONENTS, "preview": True, "confirm": confirm,
        "period": period, "form": FormState(), **LINE_WORDS,
    })


@router.post("/lonn/kjoringer")
async def run_payroll(request: Request, user: PayrollOfficer, services: Services) -> Response:
    form = await FormState.read(request)
    period = form.value("periode")
    if not PERIOD.match(period):
        raise PageNotFound()
    try:
        run = await services.post("payroll", "/payroll-runs", user, {"period": period}, idempotency_key=form.key)
    except (InvalidInput, NotAllowed) as error:
        outcome, names = await asyncio.gather(
            services.get("payroll", "/payroll-runs/preview", user, {"period": period}), payee_names(services, user))
        return render(request, "payroll_run.html", {
            "title": f"Bekreft lønnskjøring for {period}", "run": outcome, "names": names, "components": COMPONENTS,
            "preview": True, "confirm": True, "period": period, "form": form.refused(error), **LINE_WORDS,
        }, status_code=failure_status(error))
    return see_other(f"/lonn/kjoringer/{run['run_id']}?kjort=1")


@router.get("/lonn/kjoringer/{run_id}")
async def run_page(request: Request, run_id: UUID, user: PayrollOfficer, services: Services) -> Response:
    run, names, rows = await asyncio.gather(
        services.get("payroll", f"/payroll-runs/{run_id}", user), payee_names(services, user),
        services.get("payroll", f"/payroll-runs/{run_id}/export.json", user))
    missing = sorted({row["person_reference"] for row in rows or [] if not row.get("employee_number")})
    return render(request, "payroll_run.html", {
        "title": f"Lønnskjøring for {run['period']}", "run": run, "names": names, "components": COMPONENTS,
        "preview": False, "confirm": False, "period": run["period"], "form": FormState(), **LINE_WORDS,
        "missing": missing, "ran": "kjort" in request.query_params,
        "numbered": "ansattnummer" in request.query_params,
    })


@router.get("/lonn/kjoringer/{run_id}/eksport.{fmt}")
async def run_export(run_id: UUID, fmt: str, user: PayrollOfficer, services: Services) -> Response:
    if fmt not in ("csv", "json"):
        raise PageNotFound()
    try:
        content, media_type, headers = await services.download("payroll", f"/payroll-runs/{run_id}/export.{fmt}",
                                                               user)
    except NotAllowed as error:
        return Response(error.detail, status_code=409, media_type="text/plain; charset=utf-8")
    headers["content-disposition"] = f'attachment; filename="lonnskjoring-{run_id}.{fmt}"'
    return Response(content, media_type=media_type, headers=headers)


@router.post("/lonn/ansattnummer")
async def assign_employee_number(request: Request, user: PayrollOfficer, services: Services) -> Response:
    form = await FormState.read(request)
    back = form.value("tilbake")
    back = back if back.startswith("/lonn/") and not back.startswith("//") else "/lonn/ansattnumre"
    try:
        volunteer_id = UUID(form.value("volunteer_id"))
    except ValueError:
        raise PageNotFound() from None
    number = form.value("employee_number")
    if not number:
        return see_other(back)
    try:
        await services.put("payroll", f"/payees/{volunteer_id}/employee-number", user,
                           {"employee_number": number}, idempotency_key=form.key)
    except (InvalidInput, NotAllowed) as error:
        return render(request, "payroll_numbers.html", {
            "title": "Ansattnumre", "payees": [], "form": form.refused(error), "allowed": True,
            "summary": form.summary([])}, status_code=failure_status(error))
    return see_other(back + ("&" if "?" in back else "?") + "ansattnummer=1")


@router.get("/lonn/ansattnumre")
async def employee_numbers(request: Request, user: PayrollOfficer, services: Services) -> Response:
    try:
        payees, allowed = await services.get("payroll", "/payees", user), True
    except Forbidden:
        payees, allowed = [], False
    return render(request, "payroll_numbers.html", {
        "title": "Ansattnumre", "payees": payees, "allowed": allowed, "form": FormState(), "summary": [],
        "saved": "ansattnummer" in request.query_params})


# -- rates ----------------------------------------------------------------------------------------------


async def _rates_page(request: Request, user: StaffUser, services: ServiceClient, form: FormState | None = None,
                      status_code: int = 200) -> Response:
    rates = await services.get("payroll", "/rates", user)
    form = form or FormState(values={"valid_from": date.today().isoformat()})
    return render(request, "payroll_rates.html", {
        "title": "Satser", "rates": sorted(rates, key=lambda rate: (rate["code"], str(rate["valid_from"]))),
        "units": UNITS, "form": form, "summary": form.summary(RATE_FIELDS),
        "saved": "registrert" in request.query_params}, status_code=status_code)


@router.get("/lonn/satser")
async def rates(request: Request, user: PayrollOfficer, services: Services) -> Response:
    return await _rates_page(request, user, services)


@router.post("/lonn/satser")
async def register_rate(request: Request, user: PayrollOfficer, services: Services) -> Response:
    form = await FormState.read(request)
    form.choice("unit", UNITS, "Velg enheten satsen er i.")
    value = form.value("value").replace(" ", "").replace(",", ".")
    if not value:
        form.errors["value"] = "Fyll ut satsen."
    if form.errors:
        return await _rates_page(request, user, services, form, status_code=422)
    body = {"code": form.value("code"), "unit": form.value("unit"), "value": value,
            "valid_from": form.text("valid_from"), "source": form.value("source")}
    try:
        await services.post("payroll", "/rates", user, body, idempotency_key=form.key)
    except (InvalidInput, NotAllowed) as error:
        return await _rates_page(request, user, services, form.refused(error), status_code=failure_status(error))
    return see_other("/lonn/satser?registrert=1")


# -- the rebuild report ---------------------------------------------------------------------------------


@router.post("/lonn/kontroll")
async def rebuild(request: Request, user: PayrollOfficer, services: Services) -> Response:
    report, names = await asyncio.gather(services.post("payroll", "/payroll/rebuild", user),
                                         payee_names(services, user))
    return render(request, "payroll_rebuild.html", {"title": "Kontroll av utbetalt lønn", "report": report,
                                                    "components": COMPONENTS, "names": names, **LINE_WORDS})
