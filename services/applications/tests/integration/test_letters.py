"""The letters a case sends, rendered from the case alone: what forvaltningsloven asks of a vedtak, what a
foreløpig svar must say, and an archivable, tagged PDF that renders to the same bytes every time.
Pure: real aggregates, real WeasyPrint, no I/O beyond reading the templates."""

import io
import re
from datetime import date
from uuid import uuid4

import pikepdf
import pytest
from pypdf import PdfReader

from brobygger_applications.documents import render_letter
from brobygger_applications.domain import LetterKind, ServiceApplication, StatsforvalterOutcome
from brobygger_shared.documents import KommuneSettings, sha256
from brobygger_shared.identity import synthetic_identity_number

KOMMUNE = KommuneSettings().kommune()
ISSUED_ON = date(2026, 3, 3)
CHILD_BORN = date(2014, 2, 28)
ADULT_BORN = date(1990, 11, 17)


def new_case(scheme: str = "støttekontakt", birth_date: date = ADULT_BORN) -> ServiceApplication:
    return ServiceApplication(
        id=uuid4(), person_id=uuid4(), national_id=synthetic_identity_number(birth_date), full_name="Ola Testesen",
        birth_date=birth_date, address="Testveien 1, 0001 Eksempelby", area="Nord", scheme=scheme,
        needs="Trenger noen å gå på fotball med.", interests=["fotball"], wished_activities=[], helper_wishes={},
        carers=[], scope_asked=3, received_on=date(2026, 1, 12), case_number="2026/0142",
    )


def granted(scheme: str = "støttekontakt", birth_date: date = ADULT_BORN) -> ServiceApplication:
    case = new_case(scheme, birth_date)
    case.note_assessment("Samtale med Ola; liker fotball og kino.", date(2026, 2, 2), date(2026, 2, 2))
    case.grant(3, date(2026, 3, 10), date(2026, 12, 31), "Ola har behov for følge til fritidsaktiviteter.\n"
               "Tre timer i uken dekker behovet.", ISSUED_ON, "sara.saksbehandler")
    return case


def text_of(pdf: bytes) -> str:
    """The PDF's text with line breaks as spaces, so phrases read as they do on the page."""
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def letter(case: ServiceApplication, kind: LetterKind = LetterKind.DECISION) -> bytes:
    return render_letter(case, kind, KOMMUNE, "Sara Saksbehandler", ISSUED_ON)


def test_a_granted_vedtak_says_everything_forvaltningsloven_asks_of_an_individual_decision():
    text = text_of(letter(granted()))

    for element in [
        "Vedtak om støttekontakt – innvilget",
        "Saksnummer 2026/0142", "Vår dato 03.03.2026", "Deres dato 12.01.2026",  # references
        "Ola Testesen", "Testveien 1", "0001 Eksempelby",  # the recipient
        "Du får støttekontakt med et omfang på 3 timer per uke i perioden 10.03.2026 til 31.12.2026",
        "Oppstart Fra 10.03.2026",  # the start
        "helse- og omsorgstjenesteloven § 3-2 første ledd nr. 6 bokstav b",  # the legal basis
        "Regler vi har brukt", "pasient- og brukerrettighetsloven § 2-1 a",  # the rules applied
        "Opplysninger vi har lagt til grunn", "Kartlegging 02.02.2026",  # the facts found
        "Tre timer i uken dekker behovet.",  # the main considerations
        "Du har rett til å klage", "Klagefristen er fire uker", "pasient- og brukerrettighetsloven § 7-5",
        "Send klagen skriftlig til Eksempel kommune",  # where and how
        "sender vi klagen til Statsforvalteren i Eksempel, som avgjør den",  # who decides the appeal
        "forvaltningsloven §§ 18 og 19",  # the right to see the documents
        "ta kontakt med Sara Saksbehandler",  # a contact person
    ]:
        assert element in text, element


def test_a_refusal_says_so_with_its_reasons_and_the_right_to_appeal():
    case = new_case()
    case.refuse("Behovet dekkes av aktivitetstilbudet på skolen.", ISSUED_ON, "sara.saksbehandler")

    text = text_of(letter(case))

    assert "Vedtak om støttekontakt – avslag" in text
    assert "Søknaden din om støttekontakt er avslått." in text
    assert "Behovet dekkes av aktivitetstilbudet på skolen." in text
    assert "Du har rett til å klage" in text
    assert "Du får støttekontakt" not in text


def test_a_barnevern_vedtak_goes_to_the_carers_with_the_appeal_deadline_of_forvaltningsloven():
    text = text_of(letter(granted("besøkshjem", CHILD_BORN)))

    assert "Foresatte til Ola Testesen" in text
    assert "Klagefristen er tre uker" in text and "forvaltningsloven § 29" in text
    assert "barnevernsloven" in text


def test_a_new_vedtak_after_a_klage_says_so():
    case = new_case()
    case.refuse("Behovet er ikke dokumentert.", date(2026, 2, 2), "sara.saksbehandler")
    case.register_appeal("Legen bekrefter behovet.", date(2026, 2, 16))
    case.grant(2, date(2026, 3, 10), date(2026, 12, 31), "Legeerklæringen dokumenterer behovet.", ISSUED_ON,
               "sara.saksbehandler")

    text = text_of(letter(case))

    assert "nytt vedtak etter klagen din, mottatt 16.02.2026, på vedtaket av 02.02.2026" in text
    assert "2 timer per uke" in text


def test_a_foreløpig_svar_says_why_the_case_takes_longer_and_when_to_expect_a_decision():
    case = new_case()
    case.send_interim_reply("Vi venter på en uttalelse fra fastlegen.", date(2026, 4, 15), ISSUED_ON)

    text = text_of(letter(case, LetterKind.INTERIM_REPLY))

    for element in ["Foreløpig svar på søknad om støttekontakt", "Saksnummer 2026/0142",
                    "Vi venter på en uttalelse fra fastlegen.", "vedtak innen 15.04.2026",
                    "forvaltningsloven § 11 a", "Sara Saksbehandler"]:
        assert element in text, element


@pytest.mark.parametrize("kind", list(LetterKind))
def test_every_letter_is_pdf_a_2b_tagged_and_renders_to_the_same_bytes(kind):
    case = new_case()
    if kind is LetterKind.INTERIM_REPLY:
        case.send_interim_reply("Mange søknader.", date(2026, 4, 15), ISSUED_ON)
    else:
        case.grant(3, date(2026, 3, 10), date(2026, 12, 31), "Behov.", ISSUED_ON, "sara.saksbehandler")

    first, second = letter(case, kind), letter(case, kind)

    assert sha256(first) == sha256(second)
    with pikepdf.open(io.BytesIO(first)) as pdf:
        metadata = pdf.open_metadata()
        assert (metadata["pdfaid:part"], metadata["pdfaid:conformance"]) == ("2", "B")
        assert pdf.Root.MarkInfo.Marked is True and "/StructTreeRoot" in pdf.Root
        assert metadata["dc:title"].startswith(("Vedtak", "Foreløpig svar"))


def test_a_decision_by_the_statsforvalteren_is_recorded_but_is_not_the_kommunes_letter():
    case = new_case()
    case.refuse("Behovet er ikke dokumentert.", date(2026, 2, 2), "sara.saksbehandler")
    case.register_appeal("Uenig.", date(2026, 2, 16))
    case.uphold_and_forward("Kommunen står ved vedtaket.", date(2026, 2, 20))
    case.register_statsforvalter_result(StatsforvalterOutcome.UPHELD, "", date(2026, 3, 1))

    assert case.decisions[-1]["final"] is True  # stadfestet: final, and no new vedtak of the kommune's


def test_a_year_of_case_numbers_runs_on_across_snapshots_of_the_series():
    """The series is snapshotted every 10 numbers; taking numbers on from a snapshot must neither repeat
    nor skip one. In memory (the library's POPO recorder): the stack tests prove the PostgreSQL path."""
    from brobygger_applications.application import ApplicationsApplication, NewServiceApplication
    from brobygger_applications.domain import CaseNumberSeries
    from brobygger_applications.main import ApplicationsSettings

    app = ApplicationsApplication(ApplicationsSettings(), env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    form = NewServiceApplication(
        national_id=synthetic_identity_number(ADULT_BORN), full_name="Ola Testesen", birth_date=ADULT_BORN,
        address="Testveien 1", area="Nord", scheme="støttekontakt", needs="Fotball.", interests=[],
        wished_activities=[], helper_wishes={}, carers=[], scope_asked=None)

    numbers = [app.receive_service_application(form, date(2026, 5, 1))[0].case_number for _ in range(205)]
    next_year = app.receive_service_application(form, date(2027, 1, 4))[0].case_number

    assert numbers == [f"2026/{n:04d}" for n in range(1, 206)]
    assert next_year == "2027/0001"
    assert len(list(app.snapshots.get(CaseNumberSeries.create_id(2026)))) == 20
