"""Tokens as the gateway signs them: who is calling, and with which roles."""

import base64
import hashlib
import hmac
import json
from datetime import timedelta
from uuid import UUID

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from brobygger_shared.auth import (
    CASEWORKER,
    ISSUER,
    OPPDRAGSTAKER,
    InvalidToken,
    issue_token,
    principal_from,
    read_token,
)
from brobygger_shared.settings import DEV_AUTH_PUBLIC_KEY, ServiceSettings


def _key_pair() -> tuple[str, str]:
    key = Ed25519PrivateKey.generate()
    return (key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode(),
            key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode())


PRIVATE, PUBLIC = _key_pair()
OTHER_PRIVATE, _ = _key_pair()
VOLUNTEER = UUID("6f1c1b1e-51a4-4c55-8f3e-0c9f1f3b7a10")


def test_a_token_names_the_person_and_their_roles():
    principal = read_token(PUBLIC, issue_token(PRIVATE, "kari", [CASEWORKER], name="Kari Saksbehandler"))

    assert (principal.user_id, principal.name, principal.has(CASEWORKER)) == ("kari", "Kari Saksbehandler", True)


def test_an_oppdragstaker_is_themself_and_nobody_else():
    principal = read_token(PUBLIC, issue_token(PRIVATE, str(VOLUNTEER).upper(), [OPPDRAGSTAKER]))

    assert principal.is_oppdragstaker(VOLUNTEER)
    assert not principal.is_oppdragstaker(UUID(int=1))


def test_staff_acting_for_an_oppdragstaker_are_not_that_oppdragstaker():
    principal = read_token(PUBLIC, issue_token(PRIVATE, str(VOLUNTEER), [CASEWORKER]))

    assert not principal.is_oppdragstaker(VOLUNTEER)


@pytest.mark.parametrize("token", [
    issue_token(OTHER_PRIVATE, "kari", [CASEWORKER]),
    issue_token(PRIVATE, "kari", [CASEWORKER], valid_for=timedelta(seconds=-1)),
    "not-a-token",
])
def test_a_forged_expired_or_garbled_token_is_refused(token):
    with pytest.raises(InvalidToken):
        read_token(PUBLIC, token)


def test_a_token_signed_with_the_public_key_as_an_hmac_secret_is_refused():
    """The classic algorithm confusion: a service holding only the public key must not accept HS256
    tokens keyed with that public key, or anyone could mint tokens."""
    def part(data: bytes) -> bytes:
        return base64.urlsafe_b64encode(data).rstrip(b"=")

    header = part(b'{"alg": "HS256", "typ": "JWT"}')
    claims = part(json.dumps({"sub": "kari", "roles": [CASEWORKER], "iss": ISSUER, "exp": 9999999999}).encode())
    signature = part(hmac.new(PUBLIC.encode(), header + b"." + claims, hashlib.sha256).digest())
    forged = (header + b"." + claims + b"." + signature).decode()

    with pytest.raises(InvalidToken):
        read_token(PUBLIC, forged)


def test_production_refuses_the_dev_key():
    with pytest.raises(ValueError, match="AUTH_PUBLIC_KEY"):
        ServiceSettings(environment="production", auth_public_key=DEV_AUTH_PUBLIC_KEY)
    with pytest.raises(ValueError, match="AUTH_ROLE_KEYS"):
        ServiceSettings(environment="production", auth_public_key=PUBLIC)  # the dev archive key
    _, archive_public = _key_pair()
    settings = ServiceSettings(environment="production", auth_public_key=PUBLIC, auth_role_keys={"arkiv": archive_public})
    assert settings.auth_public_key == PUBLIC


def test_a_service_key_signs_for_its_one_role_only():
    """The archive signs its own tokens (role arkiv): accepted for that role, refused for any other, so a
    leaked archive key cannot act as staff; the gateway's tokens are read as before."""
    archive_private, archive_public = _key_pair()
    settings = ServiceSettings(auth_public_key=PUBLIC, auth_role_keys={"arkiv": archive_public})

    archive = principal_from(settings, issue_token(archive_private, "arkivet", ["arkiv"]))
    staff = principal_from(settings, issue_token(PRIVATE, "kari", [CASEWORKER]))

    assert archive.roles == frozenset({"arkiv"}) and staff.has(CASEWORKER)
    for roles in (["saksbehandler"], ["arkiv", "barnevern"]):
        with pytest.raises(InvalidToken):
            principal_from(settings, issue_token(archive_private, "arkivet", roles))
    with pytest.raises(InvalidToken):
        principal_from(settings, issue_token(OTHER_PRIVATE, "kari", ["arkiv"]))
