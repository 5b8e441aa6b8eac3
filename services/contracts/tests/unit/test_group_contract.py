"""A group assignment's contract: one contract naming every member's case and the partner, signed as any
other (the politiattest gate stays), publishing the members on ContractSigned."""

from uuid import UUID

import pytest

from brobygger_contracts.publishing import to_integration_event
from brobygger_shared.rules import RuleViolation

from .test_contract import attest, drafted, sign_as_kommune, sign_as_volunteer

OWN, SECOND, THIRD = UUID(int=3), UUID(int=13), UUID(int=14)


def test_a_group_contract_is_signed_behind_the_same_gate_and_publishes_its_members_and_partner():
    contract = drafted()
    contract.name_group([OWN, SECOND, THIRD], "Frivilligsentralen")
    contract.issue_signing_link("a" * 64)
    with pytest.raises(RuleViolation, match="politiattest"):
        sign_as_kommune(contract, attest(certificate_verified=False))
    sign_as_kommune(contract)
    sign_as_volunteer(contract)
    signed = [e for e in contract.collect_events() if type(e).__name__ == "Signed"][0]

    published = to_integration_event(signed)

    assert [m.application_id for m in published.members] == [OWN, SECOND, THIRD]
    assert published.partner == "Frivilligsentralen"
    assert published.application_id == OWN


def test_the_group_is_named_on_a_draft_only_and_begins_with_the_contracts_own_case():
    contract = drafted()
    with pytest.raises(RuleViolation, match="egen sak"):
        contract.name_group([SECOND, OWN], None)
    sign_as_kommune(contract)
    with pytest.raises(RuleViolation, match="allerede signert"):
        contract.name_group([OWN, SECOND], None)


def test_a_one_user_contract_publishes_no_members():
    contract = drafted()
    contract.issue_signing_link("a" * 64)
    sign_as_kommune(contract)
    sign_as_volunteer(contract)
    signed = [e for e in contract.collect_events() if type(e).__name__ == "Signed"][0]
    assert to_integration_event(signed).members == []
