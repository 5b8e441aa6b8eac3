"""Tokens as the gateway signs them: who is calling, and with which roles."""

from datetime import timedelta
from uuid import UUID

import pytest

from brobygger_shared.auth import CASEWORKER, OPPDRAGSTAKER, InvalidToken, issue_token, read_token

SECRET = "a-test-secret-that-is-long-enough-for-hs256"
VOLUNTEER = UUID("6f1c1b1e-51a4-4c55-8f3e-0c9f1f3b7a10")


def test_a_token_names_the_person_and_their_roles():
    principal = read_token(SECRET, issue_token(SECRET, "kari", [CASEWORKER], name="Kari Saksbehandler"))

    assert (principal.user_id, principal.name, principal.has(CASEWORKER)) == ("kari", "Kari Saksbehandler", True)


def test_an_oppdragstaker_is_themself_and_nobody_else():
    principal = read_token(SECRET, issue_token(SECRET, str(VOLUNTEER).upper(), [OPPDRAGSTAKER]))

    assert principal.is_oppdragstaker(VOLUNTEER)
    assert not principal.is_oppdragstaker(UUID(int=1))


def test_staff_acting_for_an_oppdragstaker_are_not_that_oppdragstaker():
    principal = read_token(SECRET, issue_token(SECRET, str(VOLUNTEER), [CASEWORKER]))

    assert not principal.is_oppdragstaker(VOLUNTEER)


@pytest.mark.parametrize("token", [
    issue_token("another-secret-that-is-also-long-enough!!", "kari", [CASEWORKER]),
    issue_token(SECRET, "kari", [CASEWORKER], valid_for=timedelta(seconds=-1)),
    "not-a-token",
])
def test_a_forged_expired_or_garbled_token_is_refused(token):
    with pytest.raises(InvalidToken):
        read_token(SECRET, token)
