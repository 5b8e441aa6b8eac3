"""Staff sign-in with OpenID Connect (signin_flow.py). The provider's validated ID-token claims name the
person and their roles; the session (server-side) keeps only that. Sign-out ends the session."""

from fastapi import Request
from fastapi.responses import Response

from brobygger_gateway import sessions
from brobygger_gateway.domain import StaffUser
from brobygger_gateway.pages import render, router, see_other
from brobygger_gateway.settings import GatewaySettings
from brobygger_gateway.signin_flow import NEXT_KEY, local_path, oidc_client, redirect_to_provider, validated_claims
from brobygger_shared.logging import get_logger

log = get_logger(__name__)

PROVIDER = "staff"
NOT_COMPLETED = "Innloggingen ble ikke fullført. Prøv igjen."


def staff_oauth(settings: GatewaySettings):
    return oidc_client(PROVIDER, settings.staff_oidc_issuer, settings.staff_oidc_client_id,
                       settings.staff_oidc_client_secret)


def _page(request: Request, status_code: int = 200, **context) -> Response:
    return render(request, "signin.html", {"next": "/", "configured": request.app.state.oauth is not None,
                                           **context}, status_code=status_code)


@router.get("/logg-inn")
async def sign_in_page(request: Request, neste: str = "/", utlopt: str = "", utlogget: str = "") -> Response:
    if sessions.signed_in_user(request) and not utlogget:
        return see_other(local_path(neste))
    return _page(request, next=local_path(neste), expired=bool(utlopt), signed_out=bool(utlogget))


@router.get("/logg-inn/start")
async def start_sign_in(request: Request, neste: str = "/") -> Response:
    oauth = request.app.state.oauth
    if oauth is None:
        return _page(request, status_code=503)
    redirect = await redirect_to_provider(request, oauth, PROVIDER, "sign_in_callback", local_path(neste))
    return redirect or _page(request, status_code=503, next=local_path(neste),
                             failed="Innloggingstjenesten svarer ikke. Prøv igjen om litt.")


@router.get("/logg-inn/callback", name="sign_in_callback")
async def sign_in_callback(request: Request) -> Response:
    oauth = request.app.state.oauth
    if oauth is None:
        return see_other("/logg-inn")
    claims = await validated_claims(request, oauth, PROVIDER)
    if not claims or not claims.get("sub"):
        return _page(request, status_code=400, failed=NOT_COMPLETED)
    settings: GatewaySettings = request.app.state.runtime.settings
    target = local_path(request.session.get(NEXT_KEY))
    user = StaffUser.from_claims(claims, settings.staff_oidc_roles_claim)
    sessions.begin(request, user)
    log.info("gateway.signed_in", roles=sorted(user.roles))  # no name, no id: personal data stays out of logs
    return see_other(target)


@router.post("/logg-ut")
async def sign_out(request: Request) -> Response:
    sessions.end(request)
    return see_other("/logg-inn?utlogget=1")
