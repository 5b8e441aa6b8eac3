"""Each journalpost kind, from its published event to an arkivmelding that validates against the
official XSD, in both formats; the same message when built twice; an invalid one refused with the
validator's message."""

from dataclasses import replace
from datetime import date

import pytest
from lxml import etree

from brobygger_archive.application.filing import BARNEVERN_SCREENING, HEALTH_SCREENING, Filing
from brobygger_archive.application.policy import Unit, policy
from brobygger_archive.arkivmelding import EFORMIDLING, FIKS, InvalidMessage, MessageFormat, build, validate
from brobygger_archive.domain import ArchiveRecord, Journalpost, JournalpostKind, Saksmappe, folder_id
from brobygger_shared.events import applications as a
from services.archive.tests.unit.events import BARNEVERN_CASE, CASE, case_events, delivered, volunteer_events

FORMATS = list(MessageFormat)


class Memory:
    """A unit of work over a dict: what the policy made is there for the next event."""

    def __init__(self) -> None:
        self.saved: dict = {}
        self.apply = policy(Filing(statsforvalter="Statsforvalteren i Eksempel"))

    def take(self, item, source: str = "applications", position: int | None = None) -> list:
        made = self.apply(Unit(self.saved.get), delivered(item, source, position))
        for aggregate in made:
            aggregate.collect_events()
            self.saved[aggregate.id] = aggregate
        return made


def journalposts(events: dict, source_of=lambda kind: "applications") -> dict[str, Journalpost]:
    memory = Memory()
    found = {}
    for position, (kind, item) in enumerate(events.items(), start=1):
        records = [made for made in memory.take(item, source_of(kind), position) if isinstance(made, ArchiveRecord)]
        assert len(records) == 1, kind
        found[kind] = records[0].entry
    return found


CASE_POSTS = journalposts(case_events())
VOLUNTEER_POSTS = journalposts(volunteer_events(), lambda kind: "contracts" if kind == "oppdragsavtale" else "applications")
ALL = {**CASE_POSTS, **VOLUNTEER_POSTS}


def test_every_kind_is_covered() -> None:
    assert set(ALL) == {str(kind) for kind in JournalpostKind}


@pytest.mark.parametrize("message_format", FORMATS)
@pytest.mark.parametrize("kind", [str(kind) for kind in JournalpostKind])
def test_each_kind_validates_against_the_xsd(kind: str, message_format: MessageFormat) -> None:
    xml = build(ALL[kind], message_format)
    validate(xml, message_format)  # raises with the validator's message
    root = etree.fromstring(xml)
    namespace = EFORMIDLING if message_format is MessageFormat.EFORMIDLING else FIKS
    assert root.tag == f"{{{namespace}}}arkivmelding"
    journalposttype = root.find(f".//{{{namespace}}}journalposttype")
    text = "".join(journalposttype.itertext())
    incoming = kind in ("søknad", "klage", "klageresultat", "oppdragstaker_søknad")
    assert ("Inngående dokument" if incoming else "Utgående dokument") in text


@pytest.mark.parametrize("message_format", FORMATS)
def test_a_letter_and_the_contract_carry_their_pdf_by_name(message_format: MessageFormat) -> None:
    for kind, filename in (("vedtak", "vedtak-2.pdf"), ("foreløpig_svar", "forelopig-svar-1.pdf"),
                           ("oppdragsavtale", "oppdragsavtale-1.pdf")):
        root = etree.fromstring(build(ALL[kind], message_format))
        references = [element.text for element in root.iter() if etree.QName(element).localname == "referanseDokumentfil"]
        assert references == [filename]
        assert root.findtext(f"{{{EFORMIDLING}}}antallFiler") in ("1", None)
    for kind in ("søknad", "klage", "oversendelse_statsforvalteren", "klageresultat", "oppdragstaker_søknad"):
        root = etree.fromstring(build(ALL[kind], message_format))
        assert not [e for e in root.iter() if etree.QName(e).localname == "dokumentbeskrivelse"]


@pytest.mark.parametrize("message_format", FORMATS)
def test_a_message_built_twice_is_the_same_message(message_format: MessageFormat) -> None:
    again = journalposts(case_events())
    for kind, journalpost in CASE_POSTS.items():
        assert build(journalpost, message_format) == build(again[kind], message_format)
        assert Journalpost.from_dict(journalpost.to_dict()) == journalpost


def test_system_ids_come_from_the_source_event_and_the_case() -> None:
    vedtak = CASE_POSTS["vedtak"]
    assert vedtak.folder.system_id == folder_id(CASE) == CASE_POSTS["søknad"].folder.system_id
    assert VOLUNTEER_POSTS["oppdragsavtale"].cross_reference == folder_id(CASE)
    assert len({post.system_id for post in ALL.values()}) == len(ALL)


def test_a_redelivered_event_makes_no_second_record() -> None:
    memory = Memory()
    event = case_events()["søknad"]
    first = delivered(event, position=77)
    assert len(memory.apply(Unit(memory.saved.get), first)) == 2  # saksmappe and journalpost
    for aggregate in memory.apply(Unit(memory.saved.get), first):
        memory.saved[aggregate.id] = aggregate
    assert memory.apply(Unit(memory.saved.get), delivered(event, position=77)) == []


def test_ordinary_and_barnevern_cases_are_screened_each_under_its_own_legal_reference() -> None:
    ordinary = CASE_POSTS["vedtak"]
    barnevern = journalposts(case_events(BARNEVERN_CASE, "besøkshjem"))["vedtak"]
    assert ordinary.screening.legal_reference == ordinary.folder.screening.legal_reference == HEALTH_SCREENING
    assert barnevern.screening.legal_reference == barnevern.folder.screening.legal_reference == BARNEVERN_SCREENING
    assert "besøkshjem" in barnevern.title and "besøkshjem" not in barnevern.public_title
    root = etree.fromstring(build(barnevern, MessageFormat.EFORMIDLING))
    assert {e.text for e in root.iter(f"{{{EFORMIDLING}}}skjermingshjemmel")} == {BARNEVERN_SCREENING}


def test_the_oppdragstakers_name_is_in_the_title_and_screened_in_the_public_one() -> None:
    post = VOLUNTEER_POSTS["oppdragstaker_søknad"]
    assert "Kari Testesen" in post.folder.title and "Kari Testesen" not in post.folder.public_title
    assert post.correspondent.name == "Kari Testesen"
    assert "Korrespondansepart navn" in post.screening.metadata


def test_no_event_about_the_politiattest_becomes_a_journalpost() -> None:
    memory = Memory()
    memory.take(volunteer_events()["oppdragstaker_søknad"])
    verified = a.PoliceCertificateVerified(aggregate_id=CASE, volunteer_id=CASE, kind="ordinær",
                                           issued_on=date(2026, 10, 1), verified_on=date(2026, 10, 2))
    renewal = a.PoliceCertificateRenewalDue(aggregate_id=CASE, volunteer_id=CASE, due_on=date(2029, 10, 1),
                                            certificate_issued_on=date(2026, 10, 1))
    assert memory.take(verified) == [] and memory.take(renewal) == []


def test_a_case_event_before_its_saksmappe_is_not_archived_loose() -> None:
    assert Memory().take(case_events()["vedtak"]) == []


def test_a_contract_before_the_oppdragstakers_application_gets_a_saksmappe_from_what_it_says() -> None:
    made = Memory().take(volunteer_events()["oppdragsavtale"], "contracts")
    assert [type(aggregate) for aggregate in made] == [Saksmappe, ArchiveRecord]
    entry = made[1].entry
    assert entry.folder.title == "Oppdragstaker – sak 2026/0143"
    validate(build(entry, MessageFormat.EFORMIDLING), MessageFormat.EFORMIDLING)


@pytest.mark.parametrize("message_format", FORMATS)
def test_an_invalid_message_is_refused_with_the_validators_message(message_format: MessageFormat) -> None:
    broken = replace(CASE_POSTS["søknad"], system_id="not-a-uuid")  # the schema wants a GUID
    with pytest.raises(InvalidMessage) as refused:
        validate(build(broken, message_format), message_format)
    assert "not-a-uuid" in str(refused.value) or "systemID" in str(refused.value)
