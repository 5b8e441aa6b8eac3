"""Who is calling: the gateway signs a token with the user and roles; each service checks it.

HS256-signed JWT with a secret shared by the gateway and the services (a setting). Until the gateway
exists, tests and `brobygger token` sign tokens themselves.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

import jwt
from fastapi import Depends, Header, Request
from pydantic import BaseModel, Field, ValidationError

from brobygger_shared.problems import PROBLEM_RESPONSES, Problem

ALGORITHM = "HS256"
ISSUER = "brobygger-gateway"

CASEWORKER = "saksbehandler"  # staff who handle cases and oppdragstakere
BARNEVERN = "barnevern"  # staff who may see barnevern cases
PAYROLL = "lønn"
OPPDRAGSTAKER = "oppdragstaker"  # a signed-in oppdragstaker: the token's subject is their volunteer id


class Principal(BaseModel):
    user_id: str
    name: str = ""
    roles: frozenset[str] = frozenset()

    def has(self, role: str) -> bool:
        return role in self.roles

    def is_oppdragstaker(self, volunteer_id: UUID) -> bool:
        """Signed in as this oppdragstaker (not as staff acting for them)."""
        return self.has(OPPDRAGSTAKER) and self.user_id.lower() == str(volunteer_id)


class InvalidToken(Exception):
    pass


def issue_token(secret: str, user_id: str, roles: list[str], name: str = "",
                valid_for: timedelta = timedelta(hours=8)) -> str:
    now = datetime.now(UTC)
    claims = {"sub": user_id, "name": name, "roles": sorted(roles), "iss": ISSUER, "iat": now, "exp": now + valid_for}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_token(secret: str, token: str) -> Principal:
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], issuer=ISSUER, options={"require": ["exp", "sub"]})
    except jwt.PyJWTError as error:
        raise InvalidToken(str(error)) from error
    try:
        return _Claims.model_validate(claims).principal()
    except ValidationError as error:  # signed, but not what the gateway signs (roles not a list of names)
        raise InvalidToken("malformed claims") from error


class _Claims(BaseModel):
    sub: str = Field(min_length=1, max_length=200)
    name: str = Field(default="", max_length=200)
    roles: list[str] = Field(default=[], max_length=20)

    def principal(self) -> Principal:
        return Principal(user_id=self.sub, name=self.name, roles=frozenset(self.roles))


def current_principal(request: Request, authorization: Annotated[str | None, Header()] = None) -> Principal:
    """A FastAPI dependency: the signed-in staff member, or 401."""
    if not authorization or not authorization.lower().startswith("bearer "):
        raise Problem(401, "Logg inn for å se dette.")
    try:
        return read_token(request.app.state.runtime.settings.auth_secret, authorization[7:])
    except InvalidToken:
        raise Problem(401, "Innloggingen er ugyldig eller utløpt. Logg inn på nytt.") from None


SignedIn = Annotated[Principal, Depends(current_principal)]


def require_role(role: str) -> Callable[[Principal], Principal]:
    def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if not principal.has(role):
            raise Problem(403, "Du har ikke tilgang til dette.")
        return principal

    return check


AUTH_RESPONSES = {
    401: {"description": "Ikke innlogget, eller utløpt innlogging (problem+json)"},
    403: {"description": "Mangler rolle (problem+json)"},
}


def command_responses(not_found: str, not_allowed: str) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI answers of a staff command on one thing: its own 404 and 409 wording."""
    return {
        **AUTH_RESPONSES,
        404: {"description": f"{not_found} (problem+json)"},
        409: {"description": f"{not_allowed}; `detail` sier hvorfor"},
        **PROBLEM_RESPONSES,
    }
