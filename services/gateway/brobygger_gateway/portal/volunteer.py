"""Apply to become støttekontakt, avlaster or besøkshjem (a VolunteerApplication) in the portal: the
person is the signed-in one (their identity number and name from ID-porten, the birth date from the
number); the applications service's 422s are shown at the field they name, with the input kept."""

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from brobygger_gateway.application import InvalidInput, NotAllowed
from brobygger_gateway.pages.forms import FormState
from brobygger_gateway.portal import MENU, PREFIX, ROUTERS, Services, SignedInPerson, render
from brobygger_gateway.portal.citizen import _words
from brobygger_gateway.portal.limits import Limited
from brobygger_shared.identity import birth_date_of, parse_identity_number

router = APIRouter(prefix=PREFIX, include_in_schema=False)
ROUTERS.append(router)
MENU.append((f"{PREFIX}/bli-oppdragstaker", "Bli oppdragstaker", "Bli støttekontakt, avlaster eller besøkshjem",
             "Søk om å få oppdrag for kommunen."))

ROLES = {"støttekontakt": "Støttekontakt", "avlaster": "Avlaster", "besøkshjem": "Besøkshjem"}
FIELDS = ["roles", "address", "area", "interests", "languages", "experience", "availability",
          "commitment_acknowledged", "email", "mobile", "birth_date", "national_id", "full_name"]


def _page(request: Request, form: FormState, status_code: int = 200) -> Response:
    return render(request, "volunteer.html", {"title": "Bli oppdragstaker", "form": form, "roles": ROLES,
                                              "summary": form.summary(FIELDS)}, status_code=status_code)


@router.get("/bli-oppdragstaker")
async def volunteer_form(request: Request, person: SignedInPerson) -> Response:
    return _page(request, FormState())


@router.post("/bli-oppdragstaker")
async def volunteer_apply(request: Request, person: SignedInPerson, services: Services, _: Limited) -> Response:
    form = await FormState.read(request)
    roles = [role for role in ROLES if form.value(f"role_{role}") == "ja"]
    if not roles:
        form.errors["roles"] = "Velg minst ett oppdrag du vil søke om."
        return _page(request, form, status_code=422)
    body = {
        # ID-porten gives no name; where the sign-in had none, the person writes it.
        "national_id": person.pid, "full_name": person.name or form.value("full_name"),
        "birth_date": birth_date_of(parse_identity_number(person.pid), date.today()).isoformat(),
        "roles": roles, "address": form.value("address"), "area": form.value("area"),
        "interests": _words(form.value("interests")), "languages": _words(form.value("languages")),
        "has_driving_licence": form.value("has_driving_licence") == "ja", "has_car": form.value("has_car") == "ja",
        "has_spare_bedroom": form.value("has_spare_bedroom") == "ja", "experience": form.value("experience"),
        "availability": form.value("availability"),
        "commitment_acknowledged": form.value("commitment_acknowledged") == "ja",
        "email": form.text("email"), "mobile": form.text("mobile"),
    }
    try:
        received = await services.post("applications", "/volunteer-applications", person, body,
                                       idempotency_key=form.key)
    except (InvalidInput, NotAllowed) as error:
        return _page(request, form.refused(error), status_code=422 if isinstance(error, InvalidInput) else 409)
    return render(request, "volunteer_receipt.html", {"title": "Søknaden er mottatt", "received": received,
                                                      "roles": ROLES})
