"""Who is calling: the gateway signs a token with the user and roles; each service checks it.

An EdDSA (Ed25519) JWT: the gateway holds the private key (AUTH_PRIVATE_KEY), each service only the
public key (AUTH_PUBLIC_KEY), so a compromised service can read tokens but never mint one. In dev, tests
and `brobygger token` sign with the dev key pair, which production refuses.
"""

from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

from functools import lru_cache

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from fastapi import Depends, Header, Request
from pydantic import BaseModel, Field, ValidationError

from brobygger_shared.problems import PROBLEM_RESPONSES, Problem
from brobygger_shared.tokens import ALGORITHM, ISSUER
from brobygger_shared.tokens import issue_token as issue_token  # signing lives in tokens.py; re-exported
from brobygger_shared.tokens import signing_key as signing_key

CASEWORKER = "saksbehandler"  # staff who handle cases and oppdragstakere
BARNEVERN = "barnevern"  # staff who may see barnevern cases
PAYROLL = "lønn"
OPPDRAGSTAKER = "oppdragstaker"  # a signed-in oppdragstaker: the token's subject is their volunteer id
# A person signed in to the portal through ID-porten: the token's `pid` claim is their identity number
# (`Principal.pid`), its subject ID-porten's pseudonym. A service answers them only about their own
# (`Principal.is_person`), and 404 for anything else.
INNBYGGER = "innbygger"
ARCHIVE = "arkiv"  # the archive service reading a letter or contract it archives: documents only


class Principal(BaseModel):
    user_id: str
    name: str = ""
    roles: frozenset[str] = frozenset()
    pid: str | None = None  # the identity number of a person signed in to the portal (role innbygger)
    # Cases this staff member opened by self-authorisation ("selvautorisering", an emergency), each
    # for a limited time: the gateway puts the ids of the grants still running in the token it mints
    # (claim `cases`), and `case_access` lets them see these cases whatever their roles.
    granted_cases: frozenset[str] = frozenset()
    # A person in the portal: the case ids the gateway checked are theirs before this call (claim
    # `own_cases`); only the access log's route reads it (who has looked at the person's own case).
    own_cases: frozenset[str] = frozenset()

    def has(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_citizen(self) -> bool:
        """Signed in to the portal as a person (innbygger), with their identity number."""
        return self.has(INNBYGGER) and bool(self.pid)

    def is_person(self, identity_number: str | None) -> bool:
        """Signed in to the portal as the person with this identity number."""
        return self.is_citizen and bool(identity_number) and self.pid == identity_number

    def is_oppdragstaker(self, volunteer_id: UUID) -> bool:
        """Signed in as this oppdragstaker (not as staff acting for them)."""
        return self.has(OPPDRAGSTAKER) and self.user_id.lower() == str(volunteer_id)


class InvalidToken(Exception):
    pass


@lru_cache(maxsize=4)
def verifying_key(pem: str) -> Ed25519PublicKey:
    key = load_pem_public_key(pem.encode())
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("AUTH_PUBLIC_KEY must be an Ed25519 public key (PEM)")
    return key


def read_token(public_key: str, token: str) -> Principal:
    """The caller a token names, if the PEM public key's private half signed it and it has not expired."""
    try:
        claims = jwt.decode(token, verifying_key(public_key), algorithms=[ALGORITHM], issuer=ISSUER,
                            options={"require": ["exp", "sub"]})
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
    pid: str | None = Field(default=None, pattern=r"^[0-9]{11}$")
    cases: list[UUID] = Field(default=[], max_length=50)
    own_cases: list[UUID] = Field(default=[], max_length=50)

    def principal(self) -> Principal:
        return Principal(user_id=self.sub, name=self.name, roles=frozenset(self.roles), pid=self.pid,
                         granted_cases=frozenset(str(case) for case in self.cases),
                         own_cases=frozenset(str(case) for case in self.own_cases))


def current_principal(request: Request, authorization: Annotated[str | None, Header()] = None) -> Principal:
    """A FastAPI dependency: the signed-in staff member, or 401."""
    if not authorization or not authorization.lower().startswith("bearer "):
        raise Problem(401, "Logg inn for å se dette.")
    try:
        return principal_from(request.app.state.runtime.settings, authorization[7:])
    except InvalidToken:
        raise Problem(401, "Innloggingen er ugyldig eller utløpt. Logg inn på nytt.") from None


def principal_from(settings: Any, token: str) -> Principal:
    """Who a token names: signed by the gateway's key (`auth_public_key`), or by a service's own key
    (`auth_role_keys`), then holding only the one role that key may grant."""
    try:
        return read_token(settings.auth_public_key, token)
    except InvalidToken:
        for role, public_key in settings.auth_role_keys.items():
            try:
                principal = read_token(public_key, token)
            except InvalidToken:
                continue
            if principal.roles <= {role}:
                return principal
        raise


SignedIn = Annotated[Principal, Depends(current_principal)]


def require_role(role: str) -> Callable[[Principal], Principal]:
    def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if not principal.has(role):
            raise Problem(403, "Du har ikke tilgang til dette.")
        return principal

    return check


def own_volunteer_id(person: Annotated[Principal, Depends(require_role(OPPDRAGSTAKER))]) -> UUID:
    """The signed-in oppdragstaker's volunteer id (the token's subject), for routes that show a person only
    their own: the portal's gateway finds it by their identity number in applications."""
    try:
        return UUID(person.user_id)
    except ValueError:
        raise Problem(403, "Bare for innloggede oppdragstakere.") from None


OwnVolunteerId = Annotated[UUID, Depends(own_volunteer_id)]


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
