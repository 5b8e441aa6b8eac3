"""The kommune's one setting of which politiattest kinds satisfy which scheme (brobygger_shared.attests)."""

import pytest
from pydantic import ValidationError

from brobygger_shared.attests import AttestKind, AttestRules, AttestSettings
from brobygger_shared.events.terms import Scheme

ORDINARY, CHILD_CARE = AttestKind.ORDINARY, AttestKind.CHILD_CARE


@pytest.mark.parametrize(("scheme", "kinds"), [
    (Scheme.STOTTEKONTAKT, {ORDINARY, CHILD_CARE}),
    (Scheme.PRIVAT_AVLASTNING, {ORDINARY, CHILD_CARE}),
    (Scheme.STOTTEKONTAKT_BARNEVERN, {CHILD_CARE}),
    (Scheme.BESOKSHJEM, {CHILD_CARE}),
])
def test_by_default_barnevern_needs_a_barneomsorgsattest_and_it_also_satisfies_the_ordinary_schemes(scheme, kinds):
    assert AttestRules().accepted(scheme) == kinds


def test_what_a_kind_covers_follows_the_roles_a_person_applied_for():
    rules = AttestRules()

    assert rules.covered("barneomsorgsattest", ["støttekontakt"]) == [Scheme.STOTTEKONTAKT,
                                                                      Scheme.STOTTEKONTAKT_BARNEVERN]
    assert rules.covered("ordinær", ["støttekontakt", "besøkshjem"]) == [Scheme.STOTTEKONTAKT]
    assert rules.covered(None, ["avlaster"]) == []


def test_the_setting_is_read_once_from_the_environment_and_must_name_every_scheme(monkeypatch):
    monkeypatch.setenv("ATTEST_KINDS_BY_SCHEME", '{"støttekontakt": ["ordinær"], "privat_avlastning": ["ordinær"],'
                       ' "støttekontakt_barnevern": ["barneomsorgsattest"], "besøkshjem": ["barneomsorgsattest"]}')
    assert AttestSettings().attest_rules.accepted("støttekontakt") == {ORDINARY}

    monkeypatch.setenv("ATTEST_KINDS_BY_SCHEME", '{"støttekontakt": ["ordinær"]}')
    with pytest.raises(ValidationError, match="besøkshjem"):
        AttestSettings()


def test_the_accepted_kinds_read_in_words():
    assert AttestRules().accepted_in_words("støttekontakt") == "ordinær politiattest eller barneomsorgsattest"
    assert AttestRules().missing("privat_avlastning") == "mangler gyldig ordinær politiattest eller barneomsorgsattest"
    assert AttestRules().accepted_in_words("besøkshjem") == "barneomsorgsattest"
