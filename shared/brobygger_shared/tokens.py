"""Signing a token: the half of `auth` the gateway and `brobygger token` need, without FastAPI or
pydantic, so the CLI prints a token in a fraction of a second. Checking tokens stays in `auth`."""

from datetime import UTC, datetime, timedelta
from functools import lru_cache

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key

ALGORITHM = "EdDSA"
ISSUER = "brobygger-gateway"


@lru_cache(maxsize=4)
def signing_key(pem: str) -> Ed25519PrivateKey:
    key = load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("AUTH_PRIVATE_KEY must be an Ed25519 private key (PEM)")
    return key


def issue_token(private_key: str, user_id: str, roles: list[str], name: str = "",
                valid_for: timedelta = timedelta(hours=8), pid: str | None = None,
                cases: list[str] | None = None, own_cases: list[str] | None = None) -> str:
    """A token for `user_id` with `roles`, signed with the PEM private key. `pid`: the identity number
    of a person signed in to the portal (role `innbygger`), for the services to limit them to their own.
    `cases`: the case ids a staff member opened by self-authorisation, still running (`case_access`).
    `own_cases`: for a person in the portal, the case ids the gateway has just checked are their own (the
    applications service's /citizen route answered), so a service may show them who read those cases."""
    now = datetime.now(UTC)
    claims = {"sub": user_id, "name": name, "roles": sorted(roles), "iss": ISSUER, "iat": now, "exp": now + valid_for}
    if pid is not None:
        claims["pid"] = pid
    if cases:
        claims["cases"] = sorted(cases)
    if own_cases:
        claims["own_cases"] = sorted(own_cases)
    return jwt.encode(claims, signing_key(private_key), algorithm=ALGORITHM)
