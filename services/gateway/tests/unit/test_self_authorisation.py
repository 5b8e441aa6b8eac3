"""Selvautorisering: a case opened in an emergency travels in the service tokens the gateway signs for
that person, for as long as the grant runs, and the services' one rule (case_access) lets them see that
case by id and no other."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from brobygger_gateway.application import ServiceClient
from brobygger_gateway.domain import StaffUser
from brobygger_shared.auth import CASEWORKER, read_token
from brobygger_shared.case_access import CaseAccess
from brobygger_shared.settings import DEV_AUTH_PRIVATE_KEY, DEV_AUTH_PUBLIC_KEY

NOW = datetime(2026, 11, 26, 22, 0, tzinfo=UTC)


def _as_service_sees(user: StaffUser) -> CaseAccess:
    client = ServiceClient({}, DEV_AUTH_PRIVATE_KEY, 120, 5)
    token = client._headers(user, None)["Authorization"].removeprefix("Bearer ")
    return CaseAccess(read_token(DEV_AUTH_PUBLIC_KEY, token))


def test_a_self_authorised_case_is_open_to_the_person_by_id_until_the_grant_ends():
    case, other = str(uuid4()), str(uuid4())
    sara = StaffUser(user_id="sara", name="Sara", roles=frozenset({CASEWORKER}))
    now = datetime.now(UTC)

    assert not _as_service_sees(sara).may_see_scheme("besøkshjem", case)
    opened = StaffUser.from_dict(sara.with_grant(case, now + timedelta(hours=4), now).to_dict())  # via the session

    seen = _as_service_sees(opened)
    assert seen.may_see_scheme("besøkshjem", case)
    assert not seen.may_see_scheme("besøkshjem", other)
    assert not seen.may_see_scheme("besøkshjem")  # the lists stay as the roles allow
    ended = sara.with_grant(case, now - timedelta(seconds=1), now - timedelta(hours=4))
    assert not _as_service_sees(ended).may_see_scheme("besøkshjem", case)


def test_a_new_grant_replaces_the_old_for_the_same_case_and_ended_ones_are_dropped():
    case, old = str(uuid4()), str(uuid4())
    user = StaffUser(user_id="sara", name="Sara", roles=frozenset({CASEWORKER}))
    user = user.with_grant(old, NOW + timedelta(minutes=1), NOW)
    user = user.with_grant(case, NOW + timedelta(hours=1), NOW)
    user = user.with_grant(case, NOW + timedelta(hours=5), NOW + timedelta(minutes=2))

    assert user.grants == ((case, NOW + timedelta(hours=5)),)
    assert user.granted_cases(NOW + timedelta(hours=4)) == [case]
    assert user.granted_cases(NOW + timedelta(hours=5)) == []
