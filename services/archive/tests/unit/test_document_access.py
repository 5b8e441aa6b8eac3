"""The archive's role reads documents of every case and nothing else: the document routes take it,
every other staff route refuses it."""

import pytest

from brobygger_shared.auth import ARCHIVE, BARNEVERN, CASEWORKER, Principal
from brobygger_shared.case_access import document_access, staff_access
from brobygger_shared.problems import Problem

ARCHIVE_SERVICE = Principal(user_id="brobygger-arkiv", roles=frozenset({ARCHIVE}))


def test_the_archive_may_read_documents_of_ordinary_and_barnevern_cases() -> None:
    access = document_access(ARCHIVE_SERVICE)
    assert access.may_see(True) and access.may_see(False)
    access.require_scheme("besøkshjem")


def test_the_archive_role_opens_no_other_staff_route() -> None:
    with pytest.raises(Problem):
        staff_access(ARCHIVE_SERVICE)


def test_staff_read_documents_as_their_roles_allow_even_with_the_archive_role() -> None:
    caseworker = document_access(Principal(user_id="s", roles=frozenset({CASEWORKER, ARCHIVE})))
    assert caseworker.may_see(False) and not caseworker.may_see(True)
    assert document_access(Principal(user_id="b", roles=frozenset({BARNEVERN}))).may_see(True)
    with pytest.raises(Problem):
        document_access(Principal(user_id="x", roles=frozenset()))
