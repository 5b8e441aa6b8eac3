"""What blocks erasing a person (docs/privacy.md, "Erasure"): an undecided case, a vedtak in force or in
its klage deadline, a klage being handled, a contract not ended, a timesheet not paid. Pure."""

from datetime import date
from uuid import uuid4

from brobygger_applications.domain import ContractState, ServiceApplication, TimesheetState, erasure_blockers
from brobygger_shared.identity import synthetic_identity_number

TODAY = date(2026, 6, 1)


def case(received_on: date = date(2025, 1, 6)) -> ServiceApplication:
    return ServiceApplication(
        id=uuid4(), person_id=uuid4(), national_id=synthetic_identity_number(date(2010, 5, 17)),
        full_name="Test Testesen", birth_date=date(2010, 5, 17), address="Testveien 1", area="Sentrum",
        scheme="støttekontakt", needs="Tur.", interests=[], wished_activities=[], helper_wishes={}, carers=[],
        scope_asked=3.0, received_on=received_on, case_number="2025/0007")


def granted(period_to: date, decided_on: date = date(2025, 2, 3)) -> ServiceApplication:
    granted_case = case()
    granted_case.grant(3.0, date(2025, 2, 10), period_to, "Behov dokumentert.", decided_on, "saksbehandler")
    return granted_case


def contract(state: str, period_to: date | None = date(2026, 12, 31), ends_on: date | None = None) -> ContractState:
    return ContractState(uuid4(), uuid4(), uuid4(), state, period_to, ends_on)


def test_an_undecided_case_blocks_and_the_reason_names_the_case():
    assert erasure_blockers([case()], [], [], TODAY) == ["Sak 2025/0007: søknaden er ikke avgjort."]


def test_a_vedtak_in_force_blocks_until_its_period_is_over():
    assert erasure_blockers([granted(date(2026, 12, 31))], [], [], TODAY) == [
        "Sak 2025/0007: vedtaket gjelder til 31.12.2026."]
    assert erasure_blockers([granted(date(2025, 12, 31))], [], [], TODAY) == []


def test_a_refusal_blocks_while_its_klage_deadline_runs_and_a_klage_blocks_until_handled():
    refused = case()
    refused.refuse("Ikke behov.", date(2026, 5, 25), "saksbehandler")
    assert erasure_blockers([refused], [], [], TODAY) == ["Sak 2025/0007: klagefristen løper til 22.06.2026."]
    assert erasure_blockers([refused], [], [], date(2026, 6, 23)) == []
    refused.register_appeal("Uenig.", date(2026, 6, 1))
    assert erasure_blockers([refused], [], [], date(2026, 9, 1)) == [
        "Sak 2025/0007: en klage er til behandling hos kommunen."]


def test_a_withdrawn_case_does_not_block():
    withdrawn = case()
    withdrawn.withdraw("Trenger det ikke likevel.", date(2025, 1, 20))
    assert erasure_blockers([withdrawn], [], [], TODAY) == []


def test_a_contract_blocks_until_it_has_ended_and_one_waiting_for_signature_blocks_too():
    active, waiting = contract("signert"), contract("til_signering")
    assert erasure_blockers([], [active, waiting], [], TODAY) == [
        f"Oppdragsavtale {active.contract_id}: er aktiv til 31.12.2026.",
        f"Oppdragsavtale {waiting.contract_id}: venter på signering."]
    assert erasure_blockers([], [contract("signert", date(2026, 5, 31))], [], TODAY) == []
    assert erasure_blockers([], [contract("avsluttet", ends_on=date(2026, 5, 1))], [], TODAY) == []


def test_a_timesheet_blocks_until_paid():
    contract_id = uuid4()
    unpaid = [TimesheetState(contract_id, uuid4(), "2026-05", "godkjent"),
              TimesheetState(contract_id, uuid4(), "2026-04", "innsendt")]
    assert erasure_blockers([], [], unpaid, TODAY) == [
        f"Timeliste for 2026-05 (oppdragsavtale {contract_id}): er ikke utbetalt.",
        f"Timeliste for 2026-04 (oppdragsavtale {contract_id}): er ikke utbetalt."]
    assert erasure_blockers([], [], [TimesheetState(contract_id, None, "2026-05", "utbetalt")], TODAY) == []
