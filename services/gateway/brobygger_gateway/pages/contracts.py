"""Kontrakter (oppdragsavtaler): the list by status and the politiattester due for renewal; a contract's
page with the draft form (engagement, pay, expenses, mileage, scope, dates, contacts), the kommune's
signature, the oppdragstaker's personal signing link, the PDF, amendment and termination; and the
page the oppdragstaker signs on through that link, without signing in.

A draft is made by the contracts service when both sides accept a match. Amounts are typed in kroner
and sent in øre. The contracts service does not filter barnevern contracts itself: this module does,
by scheme, and a contract's citizen is read from applications, which refuses a barnevern case to
anyone without the role."""

import asyncio
from datetime import date
from uuid import UUID

from fastapi import Request
from fastapi.responses import Response

from brobygger_gateway.application import InvalidInput, NotAllowed, NotFound, ServiceClient
from brobygger_gateway.domain import StaffUser
from brobygger_gateway.pages import (
    Caseworker, PageNotFound, Services, failure_status, may_see, render, router, see_other,
)
from brobygger_gateway.pages.cases import SCHEMES
from brobygger_gateway.pages.forms import FormState
from brobygger_gateway.pages.matching import _case_names

STATUSES = {"utkast": "Utkast", "delvis_signert": "Signert av én part", "signert": "Signert og løpende",
            "avsluttet": "Avsluttet"}
STATUS_COLOURS = {"utkast": "info", "delvis_signert": "warning", "signert": "success", "avsluttet": "neutral"}
ENGAGEMENTS = {"oppdragstaker": "Oppdragstaker (oppdragsavtale)", "arbeidstaker": "Arbeidstaker (med feriepenger)"}
EXPENSE_KINDS = {"ingen": "Ingen utgiftsdekning", "fast_per_måned": "Fast beløp per måned",
                 "døgnsats_etter_alder": "Døgnsats etter barnets alder (satstabell)"}
TERMINATED_BY = {"kommune": "Kommunen", "oppdragstaker": "Oppdragstakeren", "vedtak_slutt": "Vedtaket er slutt"}
PARTIES = {"kommune": "Kommunen", "oppdragstaker": "Oppdragstakeren"}
UNITS = {"timer_per_uke": "timer per uke", "døgn_per_måned": "døgn per måned"}
HOUSEHOLD_SCHEMES = {"privat_avlastning", "besøkshjem"}
MONEY = ("hourly_rate_ore", "dogn_rate_ore", "expense_flat_monthly_ore")
TABLES = ("hourly_rate_table", "dogn_rate_table", "expense_rate_table")
TERMS_FIELDS = ["terms.engagement_type", "terms.scope", "terms.hourly_rate_ore", "terms.hourly_rate_table",
                "terms.work_hours_per_dogn", "terms.dogn_rate_ore", "terms.dogn_rate_table", "terms.expense_kind",
                "terms.expense_flat_monthly_ore", "terms.expense_rate_table", "terms.mileage_covered",
                "terms.notice_period_days", "terms.contact_persons", "terms.household_members"]
FORM_FIELDS = {
    "utkast": ["period_from", "period_to", *TERMS_FIELDS],
    "endring": ["valid_from", "reason", *TERMS_FIELDS],
    "avslutning": ["ends_on", "terminated_by", "reason"],
}
DONE = {"utkast": "Utkastet er lagret.", "kommune": "Kommunen har signert.", "endring": "Endringen er registrert.",
        "avslutning": "Avtalen er avsluttet."}


def _kroner_text(ore) -> str:
    if ore in (None, ""):
        return ""
    whole, cents = divmod(int(ore), 100)
    return f"{whole}" if not cents else f"{whole},{cents:02d}"


def terms_values(terms: dict) -> dict[str, str]:
    """A contract's terms as the form shows them (kroner, one name a line)."""
    values = {"terms.engagement_type": terms.get("engagement_type") or "",
              "terms.scope": f"{terms.get('scope', ''):g}" if terms.get("scope") is not None else "",
              "terms.scope_unit": terms.get("scope_unit") or "",
              "terms.work_hours_per_dogn": (f"{terms['work_hours_per_dogn']:g}"
                                            if terms.get("work_hours_per_dogn") else ""),
              "terms.expense_kind": terms.get("expense_kind") or "ingen",
              "terms.mileage_covered": "ja" if terms.get("mileage_covered") else "",
              "terms.notice_period_days": str(terms.get("notice_period_days", 14)),
              "terms.contact_persons": "\n".join(terms.get("contact_persons") or []),
              "terms.household_members": "\n".join(terms.get("household_members") or [])}
    for name in MONEY:
        values[f"terms.{name}"] = _kroner_text(terms.get(name))
    for name in TABLES:
        values[f"terms.{name}"] = terms.get(name) or ""
    return values


def terms_body(form: FormState) -> dict:
    """The terms from the form, as the contracts service takes them; the gateway's own 422s in form.errors."""
    body: dict = {"engagement_type": form.value("terms.engagement_type"),
                  "scope_unit": form.value("terms.scope_unit") or "timer_per_uke",
                  "expense_kind": form.value("terms.expense_kind") or "ingen",
                  "mileage_covered": form.value("terms.mileage_covered") == "ja"}
    if form.value("terms.engagement_type") not in ENGAGEMENTS:
        form.errors["terms.engagement_type"] = "Velg tilknytningsform."
    body["scope"] = form.number("terms.scope", required=True)
    for name in MONEY:
        kroner = form.number(f"terms.{name}")
        body[name] = round(kroner * 100) if kroner is not None else None
    body["work_hours_per_dogn"] = form.number("terms.work_hours_per_dogn")
    for name in TABLES:
        body[name] = form.text(f"terms.{name}")
    notice = form.number("terms.notice_period_days")
    if notice is not None and notice != int(notice):
        form.errors["terms.notice_period_days"] = "Skriv et helt antall dager."
    body["notice_period_days"] = int(notice) if notice is not None else 14
    for name in ("contact_persons", "household_members"):
        body[name] = [line.strip() for line in form.value(f"terms.{name}").splitlines() if line.strip()]
    return body


@router.get("/kontrakter")
async def contract_list(request: Request, user: Caseworker, services: Services, status: str = "") -> Response:
    status = status if status in STATUSES else ""
    rows, renewals, cases = await asyncio.gather(
        services.get("contracts", "/contracts", user, {"status": status}),
        services.get("contracts", "/contracts", user, {"renewal_due": "true"}),
        services.get("applications", "/service-applications", user))
    names = {str(row["application_id"]): row["full_name"] for row in cases}
    visible = [row for row in rows if may_see(user, row["scheme"]) and str(row["application_id"]) in names]
    return render(request, "contracts.html", {
        "title": "Kontrakter", "contracts": visible, "statuses": STATUSES, "status": status,
        "colours": STATUS_COLOURS, "schemes": SCHEMES, "names": names,
        "renewals": [row for row in renewals if may_see(user, row["scheme"]) and str(row["application_id"]) in names],
    })


async def _contract_page(request: Request, user: StaffUser, services: ServiceClient, contract_id: UUID,
                         form: FormState | None = None, status_code: int = 200, link: str = "") -> Response:
    contract = await services.get("contracts", f"/contracts/{contract_id}", user)
    if not may_see(user, contract["scheme"]):
        raise PageNotFound()
    case, listed, tables = await asyncio.gather(
        services.get("applications", f"/service-applications/{contract['application_id']}", user),
        services.get("contracts", "/contracts", user), services.get("contracts", "/rate-tables", user))
    volunteer = next((row.get("full_name") for row in listed if str(row["contract_id"]) == str(contract_id)), None)
    forms = {name: FormState(name=name) for name in FORM_FIELDS}
    forms["utkast"].values = {"period_from": str(contract["period_from"]), "period_to": str(contract["period_to"]),
                              **terms_values(contract["terms"])}
    forms["endring"].values = {"valid_from": date.today().isoformat(), **terms_values(contract["terms"])}
    forms["avslutning"].values = {"ends_on": date.today().isoformat()}
    if form is not None and form.name in forms:
        forms[form.name] = form
    signed_by = contract["signatures"]
    names = await _case_names(services, user, contract.get("group_members", [])) if contract.get("group_members") else {}
    return render(request, "contract.html", {
        "members": [names.get(str(member), "Saken") for member in contract.get("group_members", [])],
        "title": f"Oppdragsavtale for {case['full_name']}", "contract": contract, "case": case,
        "volunteer": volunteer or "Oppdragstakeren", "forms": forms, "failed": form,
        "summary": form.summary(FORM_FIELDS.get(form.name, [])) if form is not None else [],
        "statuses": STATUSES, "colours": STATUS_COLOURS, "schemes": SCHEMES, "engagements": ENGAGEMENTS,
        "expense_kinds": EXPENSE_KINDS, "terminated_by": TERMINATED_BY, "parties": PARTIES, "units": UNITS,
        "tables": {table: table for table in tables}, "household": contract["scheme"] in HOUSEHOLD_SCHEMES,
        "can_edit": contract["status"] == "utkast",
        "kommune_may_sign": contract["status"] in ("utkast", "delvis_signert") and "kommune" not in signed_by,
        "link_needed": contract["status"] in ("utkast", "delvis_signert") and "oppdragstaker" not in signed_by,
        "running": contract["status"] == "signert", "link": link,
        "done": DONE.get(request.query_params.get("utfort", ""), ""),
    }, status_code=status_code)


@router.get("/kontrakter/{contract_id}")
async def contract_page(request: Request, contract_id: UUID, user: Caseworker, services: Services) -> Response:
    return await _contract_page(request, user, services, contract_id)


async def _visible(services: ServiceClient, user: StaffUser, contract_id: UUID) -> dict:
    contract = await services.get("contracts", f"/contracts/{contract_id}", user)
    if not may_see(user, contract["scheme"]):
        raise PageNotFound()
    return contract


@router.get("/kontrakter/{contract_id}/avtale.pdf")
async def contract_pdf(contract_id: UUID, user: Caseworker, services: Services) -> Response:
    await _visible(services, user, contract_id)
    try:
        content, media_type, headers = await services.download("contracts", f"/contracts/{contract_id}/document.pdf",
                                                                user)
    except NotAllowed:
        raise PageNotFound() from None
    return Response(content, media_type=media_type, headers=headers)


@router.post("/kontrakter/{contract_id}/{action}")
async def contract_action(request: Request, contract_id: UUID, action: str, user: Caseworker,
                          services: Services) -> Response:
    if action not in ("utkast", "kommune", "lenke", "endring", "avslutning"):
        raise PageNotFound()
    contract = await _visible(services, user, contract_id)
    form = await FormState.read(request, name=action if action in FORM_FIELDS else "")
    base = f"/contracts/{contract_id}"
    if action == "utkast":
        form.values.setdefault("terms.scope_unit", contract["terms"].get("scope_unit", ""))
        body = {"period_from": form.text("period_from"), "period_to": form.text("period_to"),
                "terms": terms_body(form)}
        call = services.put("contracts", f"{base}/draft", user, body, idempotency_key=form.key)
    elif action == "endring":
        form.values.setdefault("terms.scope_unit", contract["terms"].get("scope_unit", ""))
        body = {"valid_from": form.text("valid_from"), "reason": form.value("reason"), "terms": terms_body(form)}
        call = services.post("contracts", f"{base}/amendments", user, body, idempotency_key=form.key)
    elif action == "avslutning":
        form.choice("terminated_by", TERMINATED_BY, "Velg hvem som avslutter avtalen.")
        body = {"ends_on": form.text("ends_on"), "terminated_by": form.value("terminated_by"),
                "reason": form.value("reason")}
        call = services.post("contracts", f"{base}/termination", user, body, idempotency_key=form.key)
    elif action == "kommune":
        call = services.post("contracts", f"{base}/kommune-signature", user, idempotency_key=form.key)
    else:
        call = services.post("contracts", f"{base}/signing-link", user)
    if form.errors:
        call.close()  # never sent: the gateway's own checks failed
        return await _contract_page(request, user, services, contract_id, form, status_code=422)
    try:
        answer = await call
    except (InvalidInput, NotAllowed) as error:
        if action in ("kommune", "lenke"):  # no fields: the reason is the message
            form = FormState(name="signering")
        return await _contract_page(request, user, services, contract_id, form.refused(error),
                                    status_code=failure_status(error))
    if action == "lenke":
        token = answer["path"].rsplit("/", 1)[-1]
        link = f"{str(request.base_url).rstrip('/')}/signering/{contract_id}/{token}"
        return await _contract_page(request, user, services, contract_id, link=link)
    return see_other(f"/kontrakter/{contract_id}?utfort={action}")


# -- the oppdragstaker's signing link (no sign-in: the link's single-use token is the authority) --------


@router.get("/signering/{contract_id}/{token}")
async def signing_page(request: Request, contract_id: UUID, token: str, services: Services) -> Response:
    if len(token) > 200:
        raise PageNotFound()
    contract = await services.get("contracts", f"/signing/{contract_id}/{token}", None)
    return render(request, "signing.html", {
        "title": "Signer oppdragsavtalen", "contract": contract, "token": token, "schemes": SCHEMES,
        "engagements": ENGAGEMENTS, "expense_kinds": EXPENSE_KINDS, "units": UNITS, "form": FormState(),
    })


@router.post("/signering/{contract_id}/{token}")
async def sign_through_link(request: Request, contract_id: UUID, token: str, services: Services) -> Response:
    if len(token) > 200:
        raise PageNotFound()
    form = await FormState.read(request)
    try:
        contract = await services.post("contracts", f"/signing/{contract_id}/{token}", None)
    except NotAllowed as error:
        contract = await services.get("contracts", f"/signing/{contract_id}/{token}", None)
        form.message = error.detail
        return render(request, "signing.html", {
            "title": "Signer oppdragsavtalen", "contract": contract, "token": token, "schemes": SCHEMES,
            "engagements": ENGAGEMENTS, "expense_kinds": EXPENSE_KINDS, "units": UNITS, "form": form,
        }, status_code=409)
    except NotFound:
        raise PageNotFound() from None
    return render(request, "signed.html", {"title": "Avtalen er signert", "contract": contract})
