"""The gateway's settings: where the services answer, the staff sign-in, and the web sessions."""

from pathlib import Path

from pydantic import Field, model_validator

from brobygger_shared.settings import DEV_AUTH_PRIVATE_KEY, ServiceSettings

DEV_WEB_SECRET = "dev-only-web-secret-never-in-production"

# The longest a token the gateway signs for one service call may live.
MAX_SERVICE_TOKEN_SECONDS = 300


class GatewaySettings(ServiceSettings):
    service_name: str = "gateway"

    # Where each service answers, as JSON: {"applications": "http://...", ...} (the runtime sets it).
    service_urls: dict[str, str] = {}
    # How long the gateway waits for a service before it says that part is unavailable.
    service_timeout_seconds: float = 10
    # The same for a document (a letter, a contract's PDF, an export), rendered and checked on each read.
    document_timeout_seconds: float = 30
    # The gateway's token-signing key (Ed25519, PEM); services hold only its public half (AUTH_PUBLIC_KEY).
    auth_private_key: str = DEV_AUTH_PRIVATE_KEY
    # Lifetime of the token the gateway signs for each call to a service.
    service_token_seconds: int = Field(default=120, ge=10, le=MAX_SERVICE_TOKEN_SECONDS)
    # Self-authorisation: how long a case opened in an emergency stays open to the person who opened it.
    self_authorisation_minutes: int = Field(default=240, ge=5, le=24 * 60)

    # Staff sign-in: the kommune's OpenID Connect provider (make dev starts a synthetic one).
    staff_oidc_issuer: str = ""
    staff_oidc_client_id: str = "brobygger-gateway"
    staff_oidc_client_secret: str = "dev-client-secret"
    # The ID-token claim that lists a person's roles (Entra ID and Keycloak can both be set to "roles").
    staff_oidc_roles_claim: str = "roles"

    # The portal's sign-in: ID-porten (make dev starts a synthetic stand-in). The portal asks for the level
    # idporten-loa-substantial and refuses anything below it.
    idporten_issuer: str = ""
    idporten_client_id: str = "brobygger-portal"
    idporten_client_secret: str = "dev-client-secret"
    # Public portal forms: at most this many submissions per session, and per client address, a minute. The
    # address is the one the gateway sees: behind a proxy, run uvicorn with --forwarded-allow-ips so that
    # it is the person's, not the proxy's. Many people may share one address (a school, a NAT): keep it high.
    portal_form_limit_per_minute: int = Field(default=20, ge=1)
    portal_address_limit_per_minute: int = Field(default=120, ge=1)

    # Server-side sessions: the cookie holds only an opaque id.
    session_idle_minutes: float = 30
    session_absolute_hours: float = 10
    # Signs the CSRF cookie; required (at least 32 characters) in production.
    web_secret: str = DEV_WEB_SECRET

    # The latest analytics report (`brobygger-analytics report --out ...`), shown to leaders at /rapport.
    report_file: Path = Path("var/report.html")

    @property
    def secure_cookies(self) -> bool:
        return self.environment != "dev"

    @model_validator(mode="after")
    def _no_dev_web_secret_in_production(self) -> "GatewaySettings":
        if self.environment == "production" and (self.web_secret == DEV_WEB_SECRET or len(self.web_secret) < 32):
            raise ValueError("WEB_SECRET must be set in production, at least 32 characters")
        if self.environment == "production" and self.auth_private_key.strip() == DEV_AUTH_PRIVATE_KEY.strip():
            raise ValueError("AUTH_PRIVATE_KEY must be set in production: the dev key is public")
        return self
