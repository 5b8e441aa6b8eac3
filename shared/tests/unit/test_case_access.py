"""Roles compose (brobygger_shared.case_access): each adds the cases it allows, none unlocks another."""

import pytest

from brobygger_shared.auth import BARNEVERN, CASEWORKER, PAYROLL, Principal
from brobygger_shared.case_access import CaseAccess, staff_access
from brobygger_shared.problems import Problem


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


def test_a_case_the_roles_do_not_allow_is_refused_with_a_reason_in_words():
    with pytest.raises(Problem, match="barnevernet") as refused:
        access(CASEWORKER).require_scheme("støttekontakt_barnevern")
    assert refused.value.status == 403
    with pytest.raises(Problem, match="saksbehandlere"):
        access(BARNEVERN).require_scheme("støttekontakt")


def test_staff_without_a_case_role_are_refused():
    with pytest.raises(Problem) as refused:
        staff_access(Principal(user_id="lønn", roles=frozenset({PAYROLL})))
    assert refused.value.status == 403
    assert staff_access(Principal(user_id="bv", roles=frozenset({BARNEVERN}))).barnevern
