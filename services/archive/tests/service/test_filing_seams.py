"""The archive across its seams, in memory: what applications and contracts publish of their own use cases
(made by their Applications, read off the wire) becomes, through the policy, a saksmappe per case and per
oppdragstaker and a journalpost per document, each once; the archive publishes what it made and delivered."""

from datetime import UTC, date, datetime
from uuid import UUID

import pytest
from eventsourcing.application import AggregateNotFoundError

from brobygger_applications import application as applications_application
from brobygger_applications import publishing as applications_publishing
from brobygger_applications.application import ApplicationsApplication, NewServiceApplication, NewVolunteerApplication
from brobygger_applications.domain import NewDecision
from brobygger_applications.main import ApplicationsSettings
from brobygger_archive import publishing
from brobygger_archive.application import ArchiveApplication
from brobygger_archive.application.filing import Filing
from brobygger_archive.application.policy import Unit, policy
from brobygger_archive.domain import ArchiveRecord, Backoff, Saksmappe, folder_id
from brobygger_archive.main import ArchiveSettings
from brobygger_contracts import application as contracts_application
from brobygger_contracts import publishing as contracts_publishing
from brobygger_contracts.application import ContractsApplication, draft_on_match
from brobygger_contracts.documents import ContractParties
from brobygger_contracts.domain import Party, VolunteerStatus
from brobygger_contracts.main import ContractsSettings
from brobygger_shared.events import applications as a
from brobygger_shared.events.archive import ArchiveDelivered, ArchiveDeliveryFailed, ArchiveRecordCreated
from brobygger_shared.events.matching import VolunteerMatched
from brobygger_shared.identity import synthetic_identity_number
from brobygger_dev.inmemory import delivered, in_memory, of_type, published

CHILD_BORN = date(2014, 6, 9)
KARI_BORN = date(1990, 5, 1)


@pytest.fixture
def archive() -> ArchiveApplication:
    return in_memory(ArchiveApplication, ArchiveSettings())


@pytest.fixture(autouse=True)
def quick_documents(monkeypatch):
    """The PDFs are tested on their own and take seconds to render: stand-ins, so the tier stays fast."""
    monkeypatch.setattr(applications_application, "render_letter", lambda case, kind, *_: f"{case.id}{kind}".encode())
    monkeypatch.setattr(contracts_application, "render_contract", lambda contract, *_: f"{contract.id}".encode())


def applications_flow():
    app = in_memory(ApplicationsApplication, ApplicationsSettings())
    case, _ = app.receive_service_application(NewServiceApplication(
        national_id=synthetic_identity_number(CHILD_BORN), full_name="Ola Testesen", birth_date=CHILD_BORN,
        address="Testveien 1", area="Nord", scheme="støttekontakt_barnevern", needs="Fotball.", interests=[],
        wished_activities=[], helper_wishes={}, carers=[], scope_asked=4), date(2026, 1, 5))
    app.send_interim_reply(case.id, "Mange saker.", date(2026, 3, 1), date(2026, 2, 1), "Sara", date(2026, 2, 1))
    app.decide(case.id, NewDecision(True, 4, date(2026, 4, 1), date(2026, 12, 31)), "Behov.", "sara", "Sara",
               date(2026, 2, 10))
    app.register_appeal(case.id, "Vil ha mer.", date(2026, 2, 20), date(2026, 2, 20))
    app.forward_appeal(case.id, "Står ved vedtaket.", date(2026, 2, 25))
    app.register_statsforvalter_result(case.id, "stadfestet", "", date(2026, 5, 2), None, date(2026, 5, 2))
    kari, _ = app.receive_volunteer_application(NewVolunteerApplication(
        national_id=synthetic_identity_number(KARI_BORN), full_name="Kari Nordmann", birth_date=KARI_BORN,
        roles=["støttekontakt"], area="Nord", interests=[], languages=[], has_driving_licence=False, has_car=False,
        has_spare_bedroom=False, commitment_acknowledged=True), date(2026, 1, 5))
    app.register_police_certificate(kari.id, "barneomsorgsattest", date(2026, 1, 20), False, date(2026, 1, 22))
    return app, case, kari, published(app, applications_publishing.to_integration_event)


def contract_documents(case_id: UUID, volunteer_id: UUID):
    """The oppdragsavtale for the case, signed by both, as contracts publishes it."""
    app = in_memory(ContractsApplication, ContractsSettings())
    matched = VolunteerMatched(
        aggregate_id=UUID(int=77), application_id=case_id, volunteer_id=volunteer_id,
        scheme="støttekontakt_barnevern", user_birth_date=CHILD_BORN, scope=4.0, scope_unit="timer_per_uke",
        period_from=date(2026, 4, 1), period_to=date(2026, 12, 31), matched_on=date(2026, 3, 1))
    [contract] = draft_on_match(app, delivered(matched, source="matching"))
    app.save(contract)
    attest = VolunteerStatus("barneomsorgsattest", date(2026, 1, 20), True, date(2026, 1, 22))
    parties = ContractParties("Kari Nordmann", "Testveien 2", "2026/0002", "2026/0001")
    token = app.issue_signing_link(contract.id)
    app.sign(contract.id, Party.VOLUNTEER, "Kari Nordmann", attest, parties, date(2026, 3, 5), token=token)
    app.sign(contract.id, Party.KOMMUNE, "Sara", attest, parties, date(2026, 3, 5))
    return contract, published(app, contracts_publishing.to_integration_event)


def messages(events, source: str) -> list:
    """The events as the consumer receives them, each at its position in the source's log."""
    return [delivered(event, source=source) for event in events]


def filed(archive: ArchiveApplication, received: list) -> list:
    """Deliver each message to the policy as the consumer does (one batch, one unit) and save what it makes."""
    made: dict = {}

    def get(aggregate_id):
        if aggregate_id in made:
            return made[aggregate_id]
        try:
            return archive.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    unit, apply = Unit(get), policy(Filing())
    out = []
    for message in received:
        for aggregate in apply(unit, message):
            made[aggregate.id] = aggregate
            out.append(aggregate)
    if out:
        archive.save(*out)
    return out


def journalposter(made: list) -> list[dict]:
    return [record.journalpost for record in made if isinstance(record, ArchiveRecord)]


def test_a_case_and_an_oppdragstaker_get_their_saksmapper_and_a_journalpost_per_document(archive):
    applications, case, kari, events = applications_flow()

    made = filed(archive, messages(events, "applications"))

    folders = [m for m in made if isinstance(m, Saksmappe)]
    assert [(f.subject_id, f.case_number) for f in folders] == [(case.id, case.case_number),
                                                                 (kari.volunteer_id, kari.case_number)]
    posts = journalposter(made)
    assert [(p["kind"], p["subject_id"]) for p in posts] == [
        ("søknad", case.id), ("foreløpig_svar", case.id), ("vedtak", case.id), ("klage", case.id),
        ("oversendelse_statsforvalteren", case.id), ("klageresultat", case.id),
        ("oppdragstaker_søknad", kari.volunteer_id)]
    letters = applications.case(case.id).letters
    for post, letter in zip(posts[1:3], letters):
        [document] = post["documents"]
        assert document["path"] == f"/service-applications/{case.id}/letters/{letter['number']}.pdf"
        assert document["sha256"] == letter["sha256"]
    assert all(p["is_barnevern"] for p in posts[:6])
    assert "barnevern" not in " ".join(p["public_title"] for p in posts[:6]).lower()
    # The politiattest is never archived: its verification made nothing.
    assert len(of_type(events, a.PoliceCertificateVerified)) == 1 and len(posts) == 7


def test_an_event_delivered_again_files_nothing_new(archive):
    _, _, _, events = applications_flow()
    received = messages(events, "applications")
    first = filed(archive, received)

    assert len(first) == 9 and filed(archive, received) == []


def test_the_signed_oppdragsavtale_is_filed_with_the_oppdragstaker_and_cross_referenced_to_the_users_case(archive):
    _, case, kari, events = applications_flow()
    filed(archive, messages(events, "applications"))
    contract, contract_events = contract_documents(case.id, kari.volunteer_id)

    [post] = journalposter(filed(archive, messages(contract_events, "contracts")))

    assert (post["kind"], post["subject_id"]) == ("oppdragsavtale", kari.volunteer_id)
    assert post["cross_reference"] == folder_id(case.id)
    assert post["document_date"] == date(2026, 3, 5)
    [document] = post["documents"]
    assert document["path"] == f"/contracts/{contract.id}/documents/1.pdf"
    assert "sak 2026/0001" in post["title"]


def test_the_archive_publishes_a_journalpost_made_delivered_and_failed_without_titles_or_names(archive):
    _, case, _, events = applications_flow()
    made = filed(archive, messages(events, "applications"))
    record = next(r for r in made if isinstance(r, ArchiveRecord))
    at = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    record.record_failure("Tidsavbrudd", at, Backoff())
    record.record_delivered("noark5", "mappe", "2026/77-1", at)
    archive.save(record)

    out = published(archive, publishing.to_integration_event)
    created = [e for e in of_type(out, ArchiveRecordCreated) if e.aggregate_id == record.id]
    assert [(e.subject_id, e.kind, e.is_barnevern, e.scheme) for e in created] == [
        (case.id, "søknad", True, "støttekontakt_barnevern")]
    [failed] = of_type(out, ArchiveDeliveryFailed)
    assert (failed.reason, failed.attempt, failed.final) == ("Tidsavbrudd", 1, False)
    [done] = of_type(out, ArchiveDelivered)
    assert (done.aggregate_id, done.archive_reference, done.delivered_at) == (record.id, "2026/77-1", at)
    assert "Ola" not in " ".join(e.model_dump_json() for e in out)
