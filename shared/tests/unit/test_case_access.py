"""Roles compose (brobygger_shared.case_access): each adds the cases it allows, none unlocks another."""

from uuid import uuid4

import pytest

from brobygger_shared.auth import BARNEVERN, CASEWORKER, PAYROLL, Principal, issue_token, read_token
from brobygger_shared.case_access import CaseAccess, staff_access
from brobygger_shared.problems import Problem
from brobygger_shared.settings import DEV_AUTH_PRIVATE_KEY, DEV_AUTH_PUBLIC_KEY


def access(*roles: str) -> CaseAccess:
    return CaseAccess(Principal(user_id="ansatt", roles=frozenset(roles)))


@pytest.mark.parametrize(("roles", "ordinary", "barnevern"), [
    ((CASEWORKER,), True, False),
    ((BARNEVERN,), False, True),
    ((CASEWORKER, BARNEVERN), True, True),
])
def test_each_role_adds_the_cases_it_allows(roles, ordinary, barnevern):
    staff = access(*roles)

    assert staff.may_see(barnevern=False) is ordinary
    assert staff.may_see(barnevern=True) is barnevern
    assert staff.may_see_scheme("besøkshjem") is barnevern
    assert staff.may_see_scheme("privat_avlastning") is ordinary


def test_a_case_the_roles_do_not_allow_does_not_exist_for_them_404_not_403():
    with pytest.raises(Problem, match="Fant ikke saken") as refused:
        access(CASEWORKER).require_scheme("støttekontakt_barnevern")
    assert refused.value.status == 404  # a 403 would tell that the id is a barnevern case
    with pytest.raises(Problem) as refused:
        access(BARNEVERN).require_scheme("støttekontakt", uuid4(), "Fant ikke forslaget.")
    assert (refused.value.status, refused.value.detail) == (404, "Fant ikke forslaget.")


def test_a_self_authorised_case_is_seen_by_id_while_the_grant_is_in_the_token_and_no_other():
    case, other = uuid4(), uuid4()
    token = issue_token(DEV_AUTH_PRIVATE_KEY, "ansatt", [CASEWORKER], cases=[str(case)])
    staff = CaseAccess(read_token(DEV_AUTH_PUBLIC_KEY, token))

    staff.require_scheme("besøkshjem", case)  # the case opened in an emergency
    assert staff.may_see_scheme("besøkshjem", case)
    assert not staff.may_see_scheme("besøkshjem", other)
    assert not staff.may_see_scheme("besøkshjem")  # lists: still only what the roles allow
    with pytest.raises(Problem):
        staff.require_scheme("besøkshjem", other)
    without = CaseAccess(read_token(DEV_AUTH_PUBLIC_KEY, issue_token(DEV_AUTH_PRIVATE_KEY, "ansatt", [CASEWORKER])))
    assert not without.may_see_scheme("besøkshjem", case)  # the grant lives in the token the gateway mints


def test_staff_without_a_case_role_are_refused():
    with pytest.raises(Problem) as refused:
        staff_access(Principal(user_id="lønn", roles=frozenset({PAYROLL})))
    assert refused.value.status == 403
    assert staff_access(Principal(user_id="bv", roles=frozenset({BARNEVERN}))).barnevern
