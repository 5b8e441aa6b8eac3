"""The OpenID Connect steps staff and citizens sign in by, written once: authorization code with PKCE
(S256) and a nonce, through authlib's Starlette client. The staff pages (pages/signin.py) and the portal
(portal/signin.py) each have a provider, a client, a session and words of their own; what they do with
the claims differs, the protocol does not."""

from typing import Any

import httpx
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.starlette_client import OAuth
from fastapi import Request
from fastapi.responses import Response

from brobygger_shared.logging import get_logger

log = get_logger(__name__)

NEXT_KEY = "neste"  # the session key for where to go after sign-in


def oidc_client(provider: str, issuer: str, client_id: str, client_secret: str) -> OAuth | None:
    """The provider's client, or None where no provider is set (the sign-in page says so)."""
    if not issuer:
        return None
    oauth = OAuth()
    oauth.register(
        provider,
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid profile", "code_challenge_method": "S256"},
    )
    return oauth


def local_path(target: str | None, root: str = "/") -> str:
    """Only a path on this site under `root`, so sign-in never sends a person elsewhere (nor from the
    portal to a staff page)."""
    if (not target or not target.startswith(root) or target.startswith("//") or "\\" in target
            or not (root == "/" or target == root or target[len(root)] in "/?")):
        return root
    return target[:500]


async def redirect_to_provider(request: Request, oauth: OAuth, provider: str, callback: str, target: str,
                               **params: Any) -> Response | None:
    """The redirect to the provider, remembering `target`; None when the provider does not answer."""
    request.session[NEXT_KEY] = target
    try:
        return await oauth.create_client(provider).authorize_redirect(request, str(request.url_for(callback)),
                                                                      **params)
    except httpx.HTTPError as error:
        log.warning("gateway.signin_provider_unreachable", provider=provider, error_type=type(error).__name__)
        return None


async def validated_claims(request: Request, oauth: OAuth, provider: str) -> dict[str, Any] | None:
    """The provider's validated ID-token claims for the code in this callback; None when the exchange
    failed (nothing about the person is logged, only the kind of error)."""
    try:
        token = await oauth.create_client(provider).authorize_access_token(request)
    except (OAuthError, httpx.HTTPError, ValueError, KeyError) as error:
        log.warning("gateway.signin_failed", provider=provider, error_type=type(error).__name__)
        return None
    return dict(token.get("userinfo") or {})
