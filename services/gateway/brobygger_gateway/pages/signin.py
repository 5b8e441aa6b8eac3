"""Staff sign-in with OpenID Connect: authorization code with PKCE (S256) and a nonce, through
authlib's Starlette client. The provider's validated ID-token claims name the person and their roles;
the session (server-side) keeps only that. Sign-out ends the session."""

import httpx
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.starlette_client import OAuth
from fastapi import Request
from fastapi.responses import Response

from brobygger_gateway import sessions
from brobygger_gateway.domain import StaffUser
from brobygger_gateway.pages import render, router, see_other
from brobygger_gateway.settings import GatewaySettings
from brobygger_shared.logging import get_logger

log = get_logger(__name__)

PROVIDER = "staff"
NEXT_KEY = "neste"


def staff_oauth(settings: GatewaySettings) -> OAuth | None:
    """The staff provider's client, or None where no provider is set (the sign-in page says so)."""
    if not settings.staff_oidc_issuer:
        return None
    oauth = OAuth()
    oauth.register(
        PROVIDER,
        client_id=settings.staff_oidc_client_id,
        client_secret=settings.staff_oidc_client_secret,
        server_metadata_url=settings.staff_oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid profile", "code_challenge_method": "S256"},
    )
    return oauth


def _local(target: str | None) -> str:
    """Only a path on this site, so sign-in can never send a person elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target[:500]


@router.get("/logg-inn")
async def sign_in_page(request: Request, neste: str = "/", utlopt: str = "", utlogget: str = "") -> Response:
    if sessions.signed_in_user(request) and not utlogget:
        return see_other(_local(neste))
    return render(request, "signin.html", {
        "next": _local(neste), "expired": bool(utlopt), "signed_out": bool(utlogget),
        "configured": request.app.state.oauth is not None,
    })


@router.get("/logg-inn/start")
async def start_sign_in(request: Request, neste: str = "/") -> Response:
    oauth: OAuth | None = request.app.state.oauth
    if oauth is None:
        return render(request, "signin.html", {"next": "/", "configured": False}, status_code=503)
    request.session[NEXT_KEY] = _local(neste)
    try:
        return await oauth.create_client(PROVIDER).authorize_redirect(
            request, str(request.url_for("sign_in_callback")))
    except httpx.HTTPError as error:
        log.warning("gateway.signin_provider_unreachable", error_type=type(error).__name__)
        return render(request, "signin.html", {"next": _local(neste), "configured": True,
                                               "failed": "Innloggingstjenesten svarer ikke. Prøv igjen om litt."},
                      status_code=503)


@router.get("/logg-inn/callback", name="sign_in_callback")
async def sign_in_callback(request: Request) -> Response:
    oauth: OAuth | None = request.app.state.oauth
    if oauth is None:
        return see_other("/logg-inn")
    settings: GatewaySettings = request.app.state.runtime.settings
    try:
        token = await oauth.create_client(PROVIDER).authorize_access_token(request)
    except (OAuthError, httpx.HTTPError, ValueError, KeyError) as error:
        log.warning("gateway.signin_failed", error_type=type(error).__name__)
        return render(request, "signin.html", {"next": "/", "configured": True,
                                               "failed": "Innloggingen ble ikke fullført. Prøv igjen."},
                      status_code=400)
    claims = dict(token.get("userinfo") or {})
    if not claims.get("sub"):
        return render(request, "signin.html", {"next": "/", "configured": True,
                                               "failed": "Innloggingen ble ikke fullført. Prøv igjen."},
                      status_code=400)
    target = _local(request.session.get(NEXT_KEY))
    user = StaffUser.from_claims(claims, settings.staff_oidc_roles_claim)
    sessions.begin(request, user)
    log.info("gateway.signed_in", roles=sorted(user.roles))  # no name, no id: personal data stays out of logs
    return see_other(target)


@router.post("/logg-ut")
async def sign_out(request: Request) -> Response:
    sessions.end(request)
    return see_other("/logg-inn?utlogget=1")
