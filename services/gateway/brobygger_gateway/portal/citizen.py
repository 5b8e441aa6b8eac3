"""The citizen's pages in the portal: apply for støttekontakt or privat avlastning (for oneself or
one's child), the receipt, "Mine saker" (each own case's status, foreløpig svar and vedtak as text) and
a klage while the deadline runs. The applications service answers only about the person's own cases
(role `innbygger`); anything else is 404, shown as "Fant ikke det du ba om"."""

from datetime import date
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from brobygger_gateway.application import InvalidInput, NotAllowed
from brobygger_gateway.domain import Person
from brobygger_gateway.pages.forms import FormState
from brobygger_gateway.portal import MENU, PREFIX, ROUTERS, Services, SignedInPerson, render, see_other
from brobygger_gateway.portal.limits import Limited

router = APIRouter(prefix=PREFIX, include_in_schema=False)
ROUTERS.append(router)
MENU.extend([
    (f"{PREFIX}/soknad", "Søk", "Søk om støttekontakt eller avlastning",
     "For deg selv eller for barnet ditt."),
    (f"{PREFIX}/saker", "Mine saker", "Mine saker",
     "Se hvordan det går med søknaden, les foreløpig svar og vedtak, og klag på vedtaket."),
])

SCHEMES = {"støttekontakt": "Støttekontakt", "privat_avlastning": "Privat avlastning"}
WHO = {"meg": "Meg selv", "barn": "Barnet mitt"}
STATUSES = {
    "mottatt": "Mottatt – under behandling",
    "innvilget": "Innvilget",
    "avslått": "Avslått",
    "klage_til_behandling": "Klagen din er til behandling",
    "hos_statsforvalteren": "Klagen er sendt til Statsforvalteren",
    "trukket": "Trukket",
    "avsluttet": "Avsluttet",
}
APPLY_FIELDS = ["full_name", "applies_for", "child_national_id", "child_full_name", "scheme", "address", "area", "needs",
                "interests", "email", "mobile"]


def _words(text: str) -> list[str]:
    return [word.strip() for word in text.replace(";", ",").split(",") if word.strip()]


def _apply_page(request: Request, form: FormState, status_code: int = 200) -> Response:
    return render(request, "apply.html", {
        "title": "Søk om støttekontakt eller avlastning", "form": form, "schemes": SCHEMES, "who": WHO,
        "summary": form.summary(APPLY_FIELDS),
    }, status_code=status_code)


@router.get("/soknad")
async def apply_form(request: Request, person: SignedInPerson) -> Response:
    return _apply_page(request, FormState())


@router.post("/soknad")
async def apply(request: Request, person: SignedInPerson, services: Services, _: Limited) -> Response:
    form = await FormState.read(request)
    applies_for = form.choice("applies_for", WHO, "Velg hvem søknaden gjelder.")
    scheme = form.choice("scheme", SCHEMES, "Velg hva du søker om.")
    if form.errors:
        return _apply_page(request, form, status_code=422)
    body = {
        "applies_for": applies_for, "scheme": scheme, "address": form.value("address"), "area": form.value("area"),
        "needs": form.value("needs"), "interests": _words(form.value("interests")),
        "email": form.text("email"), "mobile": form.text("mobile"), "full_name": form.text("full_name"),
        **({"child_national_id": form.value("child_national_id").replace(" ", ""),
            "child_full_name": form.value("child_full_name")} if applies_for == "barn" else {}),
    }
    try:
        receipt = await services.post("applications", "/citizen/service-applications", person, body,
                                      idempotency_key=form.key)
    except (InvalidInput, NotAllowed) as error:
        return _apply_page(request, form.refused(error), status_code=422 if isinstance(error, InvalidInput) else 409)
    return see_other(f"{PREFIX}/soknad/kvittering/{receipt['application_id']}")


async def _case(services: Services, person: Person, case_id: UUID) -> dict:
    return await services.get("applications", f"/citizen/service-applications/{case_id}", person)


@router.get("/soknad/kvittering/{case_id}")
async def receipt(request: Request, case_id: UUID, person: SignedInPerson, services: Services) -> Response:
    case = await _case(services, person, case_id)
    return render(request, "receipt.html", {"title": "Søknaden er mottatt", "case": case, "schemes": SCHEMES})


@router.get("/saker")
async def my_cases(request: Request, person: SignedInPerson, services: Services) -> Response:
    cases = await services.get("applications", "/citizen/service-applications", person)
    return render(request, "cases.html", {"title": "Mine saker", "cases": cases, "schemes": SCHEMES,
                                          "statuses": STATUSES})


def _case_page(request: Request, case: dict, form: FormState, status_code: int = 200, sent: bool = False) -> Response:
    return render(request, "case.html", {
        "title": f"Sak {case['case_number'] or ''}".strip(), "case": case, "form": form, "schemes": SCHEMES,
        "statuses": STATUSES, "summary": form.summary(["grounds"]), "sent": sent,
        "today": date.today().isoformat(),
    }, status_code=status_code)


@router.get("/saker/{case_id}")
async def my_case(request: Request, case_id: UUID, person: SignedInPerson, services: Services,
                  klage: str = "") -> Response:
    return _case_page(request, await _case(services, person, case_id), FormState(), sent=bool(klage))


@router.post("/saker/{case_id}/klage")
async def appeal(request: Request, case_id: UUID, person: SignedInPerson, services: Services, _: Limited) -> Response:
    form = await FormState.read(request)
    try:
        await services.post("applications", f"/citizen/service-applications/{case_id}/appeal", person,
                            {"grounds": form.value("grounds")}, idempotency_key=form.key)
    except (InvalidInput, NotAllowed) as error:
        case = await _case(services, person, case_id)
        return _case_page(request, case, form.refused(error), status_code=422 if isinstance(error, InvalidInput) else 409)
    return see_other(f"{PREFIX}/saker/{case_id}?klage=sendt")
