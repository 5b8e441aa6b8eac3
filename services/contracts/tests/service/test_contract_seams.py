"""The contracts service across its seams, in memory: matching's VolunteerMatched (as matching publishes
it, off the wire) drafts a contract through the `draft_on_match` policy, and the signed, amended and
ended contract is published with the facts payroll pays by (the user's birth date, the period, the terms);
a signing link says the contract waits for the oppdragstaker, without the link."""

from dataclasses import replace
from datetime import date, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

import pytest

from brobygger_contracts import application as contracts_application
from brobygger_contracts import publishing
from brobygger_contracts.application import ContractsApplication, MunicipalAccountNotRequested, draft_on_match
from brobygger_contracts.documents import ContractParties
from brobygger_contracts.domain import ContractStatus, Party, Terms, VolunteerStatus
from brobygger_contracts.main import ContractsSettings
from brobygger_matching import publishing as matching_publishing
from brobygger_matching.application import MatchingApplication
from brobygger_matching.domain import Candidate, Party as Side, WaitingCase, contract_id_of
from brobygger_matching.main import MatchingSettings
from brobygger_shared.events.contracts import (
    ContractAmended,
    ContractDocumentIssued,
    ContractReadyForSignature,
    ContractSigned,
    ContractTerminated,
    MunicipalAccountRequested,
    MunicipalEmailRecorded,
)
from brobygger_shared.events.matching import MatchProposed, VolunteerMatched
from brobygger_dev.inmemory import delivered, in_memory, of_type, published
from brobygger_shared.rules import RuleViolation

MATCHED_ON = date(2026, 11, 25)
CHILD_BORN = date(2014, 6, 9)
PERIOD = (date(2027, 1, 1), date(2027, 12, 31))
SIGNED_ON = date(2026, 12, 1)
ATTEST = VolunteerStatus(certificate_kind="ordinær", certificate_issued_on=date(2026, 11, 1),
                         certificate_verified=True, declaration_signed_on=date(2026, 11, 2))
PARTIES = ContractParties(volunteer_name="Kari Nordmann", volunteer_address="Testveien 1, 0001 Oslo",
                          volunteer_case_number="2026/0143", user_case_number="2026/0142")


def volunteer_matched() -> VolunteerMatched:
    """A match made in matching, in memory, and the VolunteerMatched it publishes."""
    matching = in_memory(MatchingApplication, MatchingSettings())
    kari = Candidate(
        volunteer_id=UUID(int=1), full_name="Kari Nordmann", roles=frozenset({"støttekontakt"}),
        interests=frozenset(), languages=frozenset(), gender=None, birth_date=date(1990, 5, 1), area="Nord",
        has_car=False, has_spare_bedroom=False, certificate_kind="ordinær", certificate_valid=True, assignments=0)
    case = WaitingCase(application_id=UUID(int=1001), scheme="støttekontakt", area="Nord", interests=frozenset(),
                       birth_date=CHILD_BORN, waiting_since=date(2026, 9, 1), scope=4.0, scope_unit="timer_per_uke",
                       period_from=PERIOD[0], period_to=PERIOD[1])
    match = matching.propose(case, kari.volunteer_id, [kari], "sara", date(2026, 11, 23))
    matching.accept(match.id, Side.USER, MATCHED_ON)
    matching.accept(match.id, Side.VOLUNTEER, MATCHED_ON)
    matching.plan_first_meeting(match.id, MATCHED_ON, "Biblioteket", "Sara Saksbehandler", MATCHED_ON)
    matching.confirm(match.id, Side.USER, MATCHED_ON)
    matching.confirm(match.id, Side.VOLUNTEER, MATCHED_ON)
    [made] = of_type(published(matching, matching_publishing.to_integration_event), VolunteerMatched)
    return made


@pytest.fixture
def app(monkeypatch) -> ContractsApplication:
    # The oppdragsavtale's PDF is tested on its own (test_documents.py) and takes long to render under load:
    # a stand-in of the same contract and version here, so the tier stays fast.
    monkeypatch.setattr(contracts_application, "render_contract",
                        lambda contract, *_: f"{contract.id}:{contract.version}".encode())
    return in_memory(ContractsApplication, ContractsSettings())


def drafted(app: ContractsApplication, matched: VolunteerMatched):
    [contract] = draft_on_match(app, delivered(matched, source="matching"))
    app.save(contract)
    return contract


def signed(app: ContractsApplication, contract_id: UUID):
    token = app.issue_signing_link(contract_id)
    app.sign(contract_id, Party.VOLUNTEER, "Kari Nordmann", ATTEST, PARTIES, SIGNED_ON, token=token)
    return app.sign(contract_id, Party.KOMMUNE, "Sara Saksbehandler", ATTEST, PARTIES, SIGNED_ON)


def test_a_match_made_in_matching_drafts_a_contract_for_its_case_period_and_scheme_on_the_kommunes_terms(app):
    matched = volunteer_matched()

    contract = drafted(app, matched)

    assert contract.id == contract_id_of(matched.aggregate_id) == uuid5(NAMESPACE_URL,
                                                                        f"contract-for-match:{matched.aggregate_id}")
    assert (contract.application_id, contract.volunteer_id, contract.scheme) == (
        UUID(int=1001), UUID(int=1), "støttekontakt")
    assert (contract.period_from, contract.period_to) == PERIOD  # from, to: not swapped
    assert contract.user_birth_date == CHILD_BORN
    assert contract.terms["scope"] == 4.0 and contract.terms["scope_unit"] == "timer_per_uke"
    assert contract.terms["valid_from"] == PERIOD[0]
    assert contract.status == ContractStatus.DRAFT
    assert published(app, publishing.to_integration_event) == []  # a draft stays private


def test_a_proposal_not_yet_accepted_drafts_nothing(app):
    proposed = MatchProposed(aggregate_id=UUID(int=5), application_id=UUID(int=1001), volunteer_id=UUID(int=1),
                             scheme="støttekontakt", proposed_on=MATCHED_ON, expires_on=MATCHED_ON + timedelta(days=14))

    assert list(draft_on_match(app, delivered(proposed, source="matching"))) == []


def test_a_contract_signed_by_both_publishes_contract_signed_with_the_users_birth_date_period_and_terms(app):
    contract = drafted(app, volunteer_matched())

    signed(app, contract.id)

    events = published(app, publishing.to_integration_event)
    [signature] = of_type(events, ContractSigned)
    assert (signature.contract_id, signature.application_id, signature.volunteer_id, signature.scheme) == (
        contract.id, UUID(int=1001), UUID(int=1), "støttekontakt")
    assert signature.user_birth_date == CHILD_BORN
    assert (signature.period_from, signature.period_to) == PERIOD
    assert signature.signed_on == SIGNED_ON
    assert signature.terms.scope_unit == "timer_per_uke" and float(signature.terms.scope) == 4.0
    assert signature.terms.valid_from == PERIOD[0]
    [document] = of_type(events, ContractDocumentIssued)
    assert (document.document_number, document.issued_on) == (1, SIGNED_ON)
    assert document.document_path == f"/contracts/{contract.id}/documents/1.pdf"
    assert (document.user_case_number, document.volunteer_case_number) == ("2026/0142", "2026/0143")
    assert document.sha256 == app.contract(contract.id).documents[0]["sha256"]


def test_an_amendment_and_an_ending_are_published_with_their_dates_and_who_ended_it(app):
    contract = drafted(app, volunteer_matched())
    signed(app, contract.id)
    new_terms = replace(Terms.from_dict(app.contract(contract.id).terms), scope=6.0)

    app.amend(contract.id, new_terms, date(2027, 3, 1), "Økt behov.", date(2027, 2, 20))
    app.terminate(contract.id, date(2027, 9, 30), "oppdragstaker", "Flytter.")

    events = published(app, publishing.to_integration_event)
    [amended] = of_type(events, ContractAmended)
    assert float(amended.terms.scope) == 6.0 and amended.amended_on == date(2027, 2, 20)
    assert amended.terms.valid_from == date(2027, 3, 1)
    [ended] = of_type(events, ContractTerminated)
    assert (ended.ends_on, ended.terminated_by, ended.reason) == (date(2027, 9, 30), "oppdragstaker", "Flytter.")
    assert (ended.application_id, ended.volunteer_id) == (UUID(int=1001), UUID(int=1))


def test_a_draft_edited_within_the_vedtak_is_signed_and_published_with_the_edited_period_and_terms(app):
    contract = drafted(app, volunteer_matched())
    shorter = (date(2027, 2, 1), date(2027, 6, 30))
    terms = replace(Terms.from_dict(contract.terms), scope=3.0)

    app.edit(contract.id, *shorter, terms)
    signed(app, contract.id)

    [signature] = of_type(published(app, publishing.to_integration_event), ContractSigned)
    assert (signature.period_from, signature.period_to) == shorter
    assert float(signature.terms.scope) == 3.0 and signature.terms.valid_from == shorter[0]
    assert signature.user_birth_date == CHILD_BORN


def test_a_signed_contract_cannot_be_edited_and_the_signing_link_is_single_use(app):
    contract = drafted(app, volunteer_matched())
    token = app.issue_signing_link(contract.id)
    app.sign(contract.id, Party.VOLUNTEER, "Kari Nordmann", ATTEST, PARTIES, SIGNED_ON, token=token)

    with pytest.raises(RuleViolation, match="allerede signert"):
        app.sign(contract.id, Party.VOLUNTEER, "Kari Nordmann", ATTEST, PARTIES, SIGNED_ON, token=token)
    with pytest.raises(RuleViolation, match="bare endres før noen har signert"):
        app.edit(contract.id, *PERIOD, Terms.from_dict(contract.terms))


def test_a_signing_link_publishes_that_the_contract_waits_for_the_oppdragstaker_but_never_the_link(app):
    contract = drafted(app, volunteer_matched())

    token = app.issue_signing_link(contract.id)

    [ready] = published(app, publishing.to_integration_event)
    assert isinstance(ready, ContractReadyForSignature)
    assert (ready.aggregate_id, ready.contract_id, ready.volunteer_id, ready.application_id, ready.scheme) == (
        contract.id, contract.id, UUID(int=1), UUID(int=1001), "støttekontakt")
    wire = ready.to_json().decode()
    assert token not in wire and app.contract(contract.id).signing_token_sha256 not in wire


def test_a_signing_link_issued_before_the_parties_rode_along_publishes_nothing(app):
    contract = drafted(app, volunteer_matched())
    app.issue_signing_link(contract.id)
    stored = list(app.repository.event_store.get(contract.id))[-1]
    for name in ("volunteer_id", "application_id", "scheme"):
        vars(stored).pop(name)  # as a SigningLinkIssued stored before they were recorded

    assert publishing.to_integration_event(stored) is None


def test_the_oppdragstakers_first_contract_signed_asks_for_their_municipal_account_once_and_the_address_comes_back(
        app):
    first = drafted(app, volunteer_matched())
    signed(app, first.id)
    second_match = volunteer_matched().model_copy(update={"aggregate_id": UUID(int=77)})
    second = drafted(app, second_match)
    signed(app, second.id)  # the same oppdragstaker's second contract: no second request

    requested = of_type(published(app, publishing.to_integration_event), MunicipalAccountRequested)
    assert [(e.volunteer_id, e.contract_id, e.requested_on) for e in requested] == [(UUID(int=1), first.id, SIGNED_ON)]

    app.record_municipal_email(UUID(int=1), "Kari.Nordmann@Eksempel.kommune.no", SIGNED_ON + timedelta(days=2))
    app.record_municipal_email(UUID(int=1), "kari.nordmann@eksempel.kommune.no", SIGNED_ON + timedelta(days=3))

    recorded = of_type(published(app, publishing.to_integration_event), MunicipalEmailRecorded)
    assert [(e.volunteer_id, e.email, e.recorded_on) for e in recorded] == [
        (UUID(int=1), "kari.nordmann@eksempel.kommune.no", SIGNED_ON + timedelta(days=2))]  # the same again: no event


def test_a_municipal_address_for_someone_whose_account_was_never_asked_for_is_refused(app):
    with pytest.raises(MunicipalAccountNotRequested):
        app.record_municipal_email(UUID(int=9), "ola@eksempel.kommune.no", SIGNED_ON)
