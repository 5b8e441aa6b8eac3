"""A person signed in to the portal: the token's role `innbygger` and `pid`, and what they may see."""

from datetime import date

import pytest

from brobygger_shared.auth import CASEWORKER, INNBYGGER, InvalidToken, issue_token, read_token
from brobygger_shared.identity import synthetic_identity_number
from brobygger_shared.settings import DEV_AUTH_PRIVATE_KEY, DEV_AUTH_PUBLIC_KEY

KARI = synthetic_identity_number(date(1985, 3, 14))
ARNE = synthetic_identity_number(date(1990, 7, 21))


def test_a_citizen_token_names_the_person_by_identity_number():
    principal = read_token(DEV_AUTH_PUBLIC_KEY, issue_token(DEV_AUTH_PRIVATE_KEY, "pseudonym-1", [INNBYGGER],
                                                            name="Kari Forelder", pid=KARI))
    assert principal.is_citizen
    assert principal.pid == KARI
    assert principal.is_person(KARI)
    assert not principal.is_person(ARNE)
    assert not principal.is_person(None)


def test_staff_are_no_citizen_even_with_a_pid():
    principal = read_token(DEV_AUTH_PUBLIC_KEY, issue_token(DEV_AUTH_PRIVATE_KEY, "sara", [CASEWORKER], pid=KARI))
    assert not principal.is_citizen
    assert not principal.is_person(KARI)


def test_a_citizen_without_a_pid_is_no_person():
    principal = read_token(DEV_AUTH_PUBLIC_KEY, issue_token(DEV_AUTH_PRIVATE_KEY, "pseudonym-1", [INNBYGGER]))
    assert not principal.is_citizen
    assert not principal.is_person(KARI)


def test_a_malformed_pid_is_refused():
    with pytest.raises(InvalidToken):
        read_token(DEV_AUTH_PUBLIC_KEY, issue_token(DEV_AUTH_PRIVATE_KEY, "x", [INNBYGGER], pid="1234"))


def test_the_birth_date_is_taken_from_the_identity_number():
    from brobygger_shared.identity import birth_date_of, parse_identity_number
    today = date(2026, 11, 26)
    assert birth_date_of(parse_identity_number(synthetic_identity_number(date(2016, 5, 2))), today) == date(2016, 5, 2)
    assert birth_date_of(parse_identity_number(KARI), today) == date(1985, 3, 14)
    assert birth_date_of(parse_identity_number(synthetic_identity_number(date(1926, 12, 1))), today) == date(1926, 12, 1)
