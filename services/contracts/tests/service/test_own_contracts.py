"""The oppdragstaker's own contracts, as the portal reads and signs them, in memory: only their own (another's
contract, like an unknown id, is not found), and signing signed in, without the personal link, once staff
have made the contract ready, behind the same politiattest and taushetserklæring gate."""

from datetime import date
from uuid import UUID, uuid4

import pytest

from brobygger_contracts.application import ContractNotFound
from brobygger_contracts.domain import ContractStatus, Party, VolunteerStatus
from brobygger_shared.rules import RuleViolation

from .test_contract_seams import ATTEST, PARTIES, SIGNED_ON, app, drafted, volunteer_matched  # noqa: F401

KARI = UUID(int=1)  # the oppdragstaker volunteer_matched() matches


def test_an_oppdragstaker_reads_their_own_contract_and_no_one_elses(app):  # noqa: F811
    contract = drafted(app, volunteer_matched())

    assert app.own_contract(contract.id, KARI).id == contract.id
    with pytest.raises(ContractNotFound):
        app.own_contract(contract.id, UUID(int=2))  # another oppdragstaker
    with pytest.raises(ContractNotFound):
        app.own_contract(uuid4(), KARI)  # no such contract: the same answer


def test_signed_in_the_oppdragstaker_signs_without_the_link_once_staff_made_it_ready(app):  # noqa: F811
    contract = drafted(app, volunteer_matched())

    with pytest.raises(RuleViolation, match="ikke klar til signering"):
        app.sign(contract.id, Party.VOLUNTEER, "Kari Nordmann", ATTEST, PARTIES, SIGNED_ON, signed_in=True)

    app.issue_signing_link(contract.id)
    signed = app.sign(contract.id, Party.VOLUNTEER, "Kari Nordmann", ATTEST, PARTIES, SIGNED_ON, signed_in=True)

    assert signed.signatures["oppdragstaker"]["signer"] == "Kari Nordmann"
    assert signed.signing_token_sha256 is None  # the link is spent too
    with pytest.raises(RuleViolation, match="allerede signert"):
        app.sign(contract.id, Party.VOLUNTEER, "Kari Nordmann", ATTEST, PARTIES, SIGNED_ON, signed_in=True)
    done = app.sign(contract.id, Party.KOMMUNE, "Sara Saksbehandler", ATTEST, PARTIES, SIGNED_ON)
    assert done.status == ContractStatus.ACTIVE


def test_signed_in_signing_keeps_the_attest_gate_with_its_reasons_in_norwegian(app):  # noqa: F811
    contract = drafted(app, volunteer_matched())
    app.issue_signing_link(contract.id)
    without = VolunteerStatus(certificate_kind=None, certificate_issued_on=None, certificate_verified=False,
                              declaration_signed_on=None)

    with pytest.raises(RuleViolation) as refused:
        app.sign(contract.id, Party.VOLUNTEER, "Kari Nordmann", without, PARTIES, date(2026, 12, 1), signed_in=True)

    assert str(refused.value) == ("Avtalen kan ikke signeres: politiattesten er ikke godkjent; "
                                  "taushetserklæringen er ikke signert.")
    assert app.contract(contract.id).signatures == {}
