"""The portal's sign-in through ID-porten (OpenID Connect: authorization code with PKCE and a nonce,
authlib's Starlette client, as for staff but a client and session of its own). The level of assurance
(`acr`) must be substantial or high; the person is the `pid` claim (their identity number), never
`sub`. Nothing about the person is logged."""

import httpx
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.starlette_client import OAuth
from fastapi import Request
from fastapi.responses import Response

from brobygger_gateway import sessions
from brobygger_gateway.domain import Person, SignInRefused
from brobygger_gateway.portal import PREFIX, begin, render, router, see_other, signed_in_person
from brobygger_gateway.settings import GatewaySettings
from brobygger_shared.logging import get_logger

log = get_logger(__name__)

PROVIDER = "idporten"
NEXT_KEY = "neste"
LEVEL = "idporten-loa-substantial"


def idporten_oauth(settings: GatewaySettings) -> OAuth | None:
    """ID-porten's client, or None where no provider is set (the sign-in page says so)."""
    if not settings.idporten_issuer:
        return None
    oauth = OAuth()
    oauth.register(
        PROVIDER,
        client_id=settings.idporten_client_id,
        client_secret=settings.idporten_client_secret,
        server_metadata_url=settings.idporten_issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid profile", "code_challenge_method": "S256"},
    )
    return oauth


def _local(target: str | None) -> str:
    """Only a portal path on this site, so sign-in never sends a person elsewhere (nor to a staff page)."""
    if (not target or not target.startswith(PREFIX) or target.startswith("//") or "\\" in target
            or not (target == PREFIX or target[len(PREFIX)] in "/?")):
        return PREFIX
    return target[:500]


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
    oauth: OAuth | None = request.app.state.idporten
    if oauth is None:
        return _page(request, status_code=503)
    request.session[NEXT_KEY] = _local(neste)
    try:
        return await oauth.create_client(PROVIDER).authorize_redirect(
            request, str(request.url_for("portal_sign_in_callback")), acr_values=LEVEL)
    except httpx.HTTPError as error:
        log.warning("portal.signin_provider_unreachable", error_type=type(error).__name__)
        return _page(request, status_code=503, failed="ID-porten svarer ikke. Prøv igjen om litt.")


@router.get("/logg-inn/callback", name="portal_sign_in_callback")
async def portal_sign_in_callback(request: Request) -> Response:
    oauth: OAuth | None = request.app.state.idporten
    if oauth is None:
        return see_other(f"{PREFIX}/logg-inn")
    try:
        token = await oauth.create_client(PROVIDER).authorize_access_token(request)
    except (OAuthError, httpx.HTTPError, ValueError, KeyError) as error:
        log.warning("portal.signin_failed", error_type=type(error).__name__)
        return _page(request, status_code=400, failed="Innloggingen ble ikke fullført. Prøv igjen.")
    try:
        person = Person.from_claims(dict(token.get("userinfo") or {}))
    except SignInRefused as refused:
        log.info("portal.signin_refused", level=str((token.get("userinfo") or {}).get("acr") or "")[:40])
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
