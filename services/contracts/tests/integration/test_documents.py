"""The oppdragsavtale as a document, rendered from the contract alone: everything the parties agree to,
each amendment as a dated appendix, a barnevern child kept off the page, and an archivable, tagged PDF
that renders to the same bytes every time. Pure: a real Contract aggregate and real WeasyPrint."""

import io
import re
from datetime import date
from uuid import UUID

import pikepdf
from pypdf import PdfReader

from brobygger_contracts.documents import ContractParties, render_contract
from brobygger_contracts.domain import Contract, Party, Terms, VolunteerStatus
from brobygger_shared.documents import KommuneSettings, sha256

KOMMUNE = KommuneSettings().kommune()
SIGNED_ON = date(2026, 11, 20)
PARTIES = ContractParties(volunteer_name="Kari Oppdragstaker", volunteer_address="Oppdragsveien 2, 0002 Eksempelby",
                          volunteer_case_number="2026/0143", user_case_number="2026/0142")
ATTEST = VolunteerStatus(certificate_kind="barneomsorgsattest", certificate_issued_on=date(2026, 10, 1),
                         certificate_verified=True, declaration_signed_on=date(2026, 10, 5))
TOKEN = "a" * 64


def signed(scheme: str, terms: Terms) -> Contract:
    contract = Contract(id=UUID(int=1), match_id=UUID(int=2), application_id=UUID(int=3), volunteer_id=UUID(int=4),
                        scheme=scheme, user_birth_date=date(2014, 2, 28), period_from=date(2027, 1, 1),
                        period_to=date(2027, 12, 31), terms={**terms.as_dict(), "valid_from": date(2027, 1, 1)})
    contract.sign(Party.KOMMUNE, "Sara Saksbehandler", SIGNED_ON, ATTEST, 3)
    contract.issue_signing_link(TOKEN)
    contract.sign(Party.VOLUNTEER, "Kari Oppdragstaker", SIGNED_ON, ATTEST, 3, token_sha256=TOKEN)
    return contract


def støttekontakt() -> Contract:
    return signed("støttekontakt", Terms(
        engagement_type="oppdragstaker", scope=3, scope_unit="timer_per_uke", hourly_rate_ore=19500,
        expense_kind="fast_per_måned", expense_flat_monthly_ore=40000, notice_period_days=30,
        contact_persons=["Sara Saksbehandler"]))


def avlastning() -> Contract:
    return signed("privat_avlastning", Terms(
        engagement_type="arbeidstaker", scope=2, scope_unit="døgn_per_måned", hourly_rate_table="sgs1030_hol",
        work_hours_per_dogn=8, expense_kind="døgnsats_etter_alder", expense_rate_table="avlastning_hol_døgn",
        mileage_covered=True, household_members=["Per Oppdragstaker"]))


def text_of(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def rendered(contract: Contract) -> bytes:
    return render_contract(contract, PARTIES, ATTEST, KOMMUNE, SIGNED_ON)


def test_the_contract_names_the_parties_the_assignment_the_pay_and_the_duties():
    text = text_of(rendered(støttekontakt()))

    for element in [
        "Oppdragsavtale – støttekontakt",
        "Oppdragsgiver Eksempel kommune", "Postboks 1, 0001 Eksempelby", "Org.nr. 921000006",  # the kommune
        "Kari Oppdragstaker", "Oppdragsveien 2, 0002 Eksempelby", "Saksnummer 2026/0143",  # the oppdragstaker
        "hjelpe brukeren til en meningsfylt fritid",  # the assignment and its purpose
        "brukeren i sak 2026/0142",
        "Omfang 3 timer per uke", "Periode 01.01.2027 – 31.12.2027",
        "Godtgjøring per time 195,00 kr", "Fast sats i denne avtalen",  # pay with its rate and source
        "Utgiftsdekning 400,00 kr per måned, uten bilag", "Kjøregodtgjørelse Dekkes ikke",
        "Du er oppdragstaker, ikke ansatt", "den gir ikke feriepenger",  # the engagement type and its meaning
        "Taushetsplikt", "helse- og omsorgstjenesteloven § 12-1", "taushetserklæring 05.10.2026",
        "Politiattest", "utstedt 01.10.2026", "helse- og omsorgstjenesteloven § 5-4",
        "Bekymring", "melde fra til barneverntjenesten",  # reporting concerns
        "Timelister", "innen den 5. i måneden",  # the timesheet deadline
        "Forsikring", "ulykkesforsikring",
        "Endring og opphør", "30 dagers varsel",  # amendment and termination with the notice period
        "Sara Saksbehandler", "Kommune, signert 20.11.2026", "Oppdragstaker, signert 20.11.2026",
    ]:
        assert element in text.replace("\xa0", " "), element
    assert "00000000-0000-0000-0000" not in text  # case numbers, never UUIDs


def test_an_employed_avlaster_reads_the_rate_tables_sources_and_what_being_an_employee_means():
    text = text_of(rendered(avlastning())).replace("\xa0", " ")

    assert "Du er arbeidstaker" in text and "feriepenger etter ferieloven" in text and "SGS 1030" in text
    assert "Godtgjøring per time Etter satstabell KS særavtale SGS 1030" in text
    assert "Arbeid per døgn 8 timer per døgn etter timesatsen" in text
    assert "Per døgn, etter brukerens alder KS-satser for utgiftsdekning per døgn i avlastning" in text
    assert "Etter statens sats per kilometer" in text
    assert "Personer i hjemmet Per Oppdragstaker" in text


def test_each_amendment_is_an_appendix_with_its_date_and_the_signed_terms_stay_as_signed():
    contract = støttekontakt()
    contract.amend(Terms(engagement_type="oppdragstaker", scope=5, scope_unit="timer_per_uke", hourly_rate_ore=21000,
                         expense_kind="fast_per_måned", expense_flat_monthly_ore=40000),
                   date(2027, 6, 1), "Nytt vedtak med flere timer.", date(2027, 5, 20))

    text = text_of(rendered(contract)).replace("\xa0", " ")

    assert "Godtgjøring per time 195,00 kr" in text  # the body as signed
    assert "Tillegg 1 til oppdragsavtalen" in text
    assert "Datert 20.05.2027" in text and "Gjelder fra 01.06.2027" in text
    assert "Nytt vedtak med flere timer." in text and "5 timer per uke" in text and "210,00 kr" in text


def test_a_barnevern_contract_keeps_the_child_off_the_page():
    contract = signed("besøkshjem", Terms(
        engagement_type="oppdragstaker", scope=2, scope_unit="døgn_per_måned",
        dogn_rate_table="besøkshjem_arbeidsgodtgjøring", expense_kind="døgnsats_etter_alder",
        expense_rate_table="besøkshjem_utgifter"))

    text = text_of(rendered(contract))

    assert "Barnets navn og andre opplysninger som kan identifisere barnet, står ikke i avtalen" in text
    assert "28.02.2014" not in text and "2014" not in text  # not even the child's birth date
    assert "barnevernsloven § 13-1" in text


def test_the_document_is_pdf_a_2b_tagged_and_renders_to_the_same_bytes():
    first, second = rendered(avlastning()), rendered(avlastning())

    assert sha256(first) == sha256(second)
    with pikepdf.open(io.BytesIO(first)) as pdf:
        metadata = pdf.open_metadata()
        assert (metadata["pdfaid:part"], metadata["pdfaid:conformance"]) == ("2", "B")
        assert pdf.Root.MarkInfo.Marked is True and "/StructTreeRoot" in pdf.Root


def test_a_group_contract_names_every_member_by_case_number_and_the_partner():
    contract = Contract(id=UUID(int=1), match_id=UUID(int=2), application_id=UUID(int=3), volunteer_id=UUID(int=4),
                        scheme="støttekontakt", user_birth_date=date(2014, 2, 28), period_from=date(2027, 1, 1),
                        period_to=date(2027, 12, 31), terms=støttekontakt().terms)
    contract.name_group([UUID(int=3), UUID(int=5)], "Frivilligsentralen")
    contract.sign(Party.KOMMUNE, "Sara Saksbehandler", SIGNED_ON, ATTEST, 3)
    contract.issue_signing_link(TOKEN)
    contract.sign(Party.VOLUNTEER, "Kari Oppdragstaker", SIGNED_ON, ATTEST, 3, token_sha256=TOKEN)
    parties = ContractParties(**{**PARTIES.as_dict(), "member_case_numbers": ("2026/0142", "2026/0150"),
                                 "partner": "Frivilligsentralen"})

    text = text_of(render_contract(contract, parties, ATTEST, KOMMUNE, SIGNED_ON))

    assert "gruppeoppdrag" in text
    assert "brukerne i sakene 2026/0142, 2026/0150" in text
    assert "i samarbeid med Frivilligsentralen" in text
    assert "gruppeoppdrag" not in text_of(rendered(støttekontakt()))
