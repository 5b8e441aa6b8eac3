"""The portal's sign-in through ID-porten (signin_flow.py, as for staff but a client and session of its
own). The level of assurance (`acr`) must be substantial or high; the person is the `pid` claim (their
identity number), never `sub`. Nothing about the person is logged."""

from fastapi import Request
from fastapi.responses import Response

from brobygger_gateway import sessions
from brobygger_gateway.domain import Person, SignInRefused
from brobygger_gateway.portal import PREFIX, begin, render, router, see_other, signed_in_person
from brobygger_gateway.settings import GatewaySettings
from brobygger_gateway.signin_flow import NEXT_KEY, local_path, oidc_client, redirect_to_provider, validated_claims
from brobygger_shared.logging import get_logger

log = get_logger(__name__)

PROVIDER = "idporten"
LEVEL = "idporten-loa-substantial"


def idporten_oauth(settings: GatewaySettings):
    return oidc_client(PROVIDER, settings.idporten_issuer, settings.idporten_client_id,
                       settings.idporten_client_secret)


def _local(target: str | None) -> str:
    return local_path(target, PREFIX)


def _page(request: Request, status_code: int = 200, **context) -> Response:
    return render(request, "signin.html", {"next": PREFIX, "configured": request.app.state.idporten is not None,
                                           **context}, status_code=status_code)


@router.get("/logg-inn")
async def portal_sign_in_page(request: Request, neste: str = PREFIX, utlopt: str = "", utlogget: str = "") -> Response:
    if signed_in_person(request) and not utlogget:
        return see_other(_local(neste))
    return _page(request, next=_local(neste), expired=bool(utlopt), signed_out=bool(utlogget))


@router.get("/logg-inn/start")
async def portal_start_sign_in(request: Request, neste: str = PREFIX) -> Response:
    oauth = request.app.state.idporten
    if oauth is None:
        return _page(request, status_code=503)
    redirect = await redirect_to_provider(request, oauth, PROVIDER, "portal_sign_in_callback", _local(neste),
                                          acr_values=LEVEL)
    return redirect or _page(request, status_code=503, failed="ID-porten svarer ikke. Prøv igjen om litt.")


@router.get("/logg-inn/callback", name="portal_sign_in_callback")
async def portal_sign_in_callback(request: Request) -> Response:
    oauth = request.app.state.idporten
    if oauth is None:
        return see_other(f"{PREFIX}/logg-inn")
    claims = await validated_claims(request, oauth, PROVIDER)
    if claims is None:
        return _page(request, status_code=400, failed="Innloggingen ble ikke fullført. Prøv igjen.")
    try:
        person = Person.from_claims(claims)
    except SignInRefused as refused:
        log.info("portal.signin_refused", level=str(claims.get("acr") or "")[:40])
        request.session.clear()
        return _page(request, status_code=403, failed=str(refused))
    target = _local(request.session.get(NEXT_KEY))
    begin(request, person)
    log.info("portal.signed_in")  # no name, no number: personal data stays out of logs
    return see_other(target)


@router.post("/logg-ut")
async def portal_sign_out(request: Request) -> Response:
    sessions.end(request)
    return see_other(f"{PREFIX}/logg-inn?utlogget=1")
