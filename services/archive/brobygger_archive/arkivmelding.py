"""The arkivmelding of one journalpost, built with lxml element by element (no text templating), in
either format, and validated against the official XSD of that format before it may leave.

- `eformidling` (the default): Noark 5 arkivmelding as Digdir's integrasjonspunkt carries it: one
  saksmappe with the journalpost nested in it, the documents as dokumentbeskrivelse/dokumentobjekt.
- `fiks_arkiv_v1`: KS FIKS Arkiv V1 `arkivmelding.opprett`: the saksmappe and the journalpost side by
  side, the journalpost pointing at the saksmappe by the fagsystem's external key. Code values (I/U,
  H, EA/EM, ...) are Noark's; the receiving archive's kodelister decide the real ones.

The message depends only on the journalpost as it was recorded (ids, times, titles), so building it
again gives the same bytes. The schemas are the unchanged official files under `schemas/`.
"""

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from uuid import UUID

from lxml import etree

from brobygger_archive.domain import KINDS, Document, Journalpost, Screening

SCHEMAS = Path(__file__).parent / "schemas"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
EFORMIDLING = "http://www.arkivverket.no/standarder/noark5/arkivmelding"
FIKS = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/v1"
FIKS_MDK = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/metadatakatalog/v1"

FINISHED = "Dokumentet er ferdigstilt"
MAIN_DOCUMENT = "Hoveddokument"
ARCHIVE_FORMAT = "Arkivformat"
JOURNALLED = "Journalført"


class MessageFormat(StrEnum):
    EFORMIDLING = "eformidling"
    FIKS_ARKIV_V1 = "fiks_arkiv_v1"


SCHEMA_FILES = {
    MessageFormat.EFORMIDLING: SCHEMAS / "eformidling" / "arkivmelding.xsd",
    MessageFormat.FIKS_ARKIV_V1: SCHEMAS / "fiks-arkiv-v1" / "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.xsd",
}

# Noark codes for FIKS Arkiv's kode elements (the description is the Noark value).
FIKS_CODES = {
    "Inngående dokument": "I", "Utgående dokument": "U", "Journalført": "J", "Dokumentet er ferdigstilt": "F",
    "Hoveddokument": "H", "Arkivformat": "A", "Avsender": "EA", "Mottaker": "EM", "Under behandling": "B",
    "Avsluttet": "A",
}


@dataclass(frozen=True)
class Message:
    """An arkivmelding and the files that go with it (by the name the message refers to them by)."""

    message_id: UUID
    xml: bytes
    files: dict[str, bytes]


class InvalidMessage(ValueError):
    """The message does not validate against its XSD; the text is the validator's message."""


@lru_cache(maxsize=4)
def schema(message_format: MessageFormat) -> etree.XMLSchema:
    # Resolves metadatakatalog.xsd beside the main schema.
    return etree.XMLSchema(etree.parse(str(SCHEMA_FILES[MessageFormat(message_format)])))


def validate(xml: bytes, message_format: MessageFormat) -> None:
    """Raises InvalidMessage with the validator's message (every error, one a line) unless valid."""
    xsd = schema(MessageFormat(message_format))
    try:
        document = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        raise InvalidMessage(f"Ikke velformet XML: {error}") from None
    if not xsd.validate(document):
        raise InvalidMessage("\n".join(
            f"linje {error.line}: {error.message}" for error in xsd.error_log)[:4000])


def build(journalpost: Journalpost, message_format: MessageFormat) -> bytes:
    """The arkivmelding as UTF-8 bytes with an XML declaration."""
    if MessageFormat(message_format) is MessageFormat.FIKS_ARKIV_V1:
        root = _fiks(journalpost)
    else:
        root = _eformidling(journalpost)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def build_valid(journalpost: Journalpost, message_format: MessageFormat, files: dict[str, bytes]) -> Message:
    xml = build(journalpost, message_format)
    validate(xml, message_format)
    return Message(journalpost.system_id, xml, files)


# -- values ----------------------------------------------------------------------------------------


def _moment(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def _day(value: date) -> str:
    return value.isoformat()


class _Builder:
    """Appends elements in one namespace: `add(parent, "tittel", "...")`."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace

    def q(self, name: str) -> str:
        return f"{{{self.namespace}}}{name}"

    def add(self, parent: etree._Element, name: str, text: str | None = None, xsi_type: str | None = None):
        element = etree.SubElement(parent, self.q(name))
        if xsi_type:
            element.set(f"{{{XSI}}}type", xsi_type)
        if text is not None:
            element.text = text
        return element


# -- eFormidling arkivmelding ---------------------------------------------------------------------


def _eformidling(journalpost: Journalpost) -> etree._Element:
    b = _Builder(EFORMIDLING)
    folder = journalpost.folder
    spec = KINDS[journalpost.kind]
    system = journalpost.system
    root = etree.Element(b.q("arkivmelding"), nsmap={None: EFORMIDLING, "xsi": XSI})
    b.add(root, "system", system)
    b.add(root, "meldingId", str(journalpost.system_id))
    b.add(root, "tidspunkt", _moment(journalpost.created_at))
    b.add(root, "antallFiler", str(len(journalpost.documents)))

    mappe = b.add(root, "mappe", xsi_type="saksmappe")
    b.add(mappe, "systemID", str(folder.system_id))
    b.add(mappe, "tittel", folder.title)
    b.add(mappe, "offentligTittel", folder.public_title)
    b.add(mappe, "opprettetDato", _moment(folder.created_at))
    b.add(mappe, "opprettetAv", system)
    _eformidling_screening(b, mappe, folder.screening, document=False)
    klassifikasjon = b.add(mappe, "klassifikasjon")
    b.add(klassifikasjon, "referanseKlassifikasjonssystem", folder.classification.system)
    b.add(klassifikasjon, "klasseID", folder.classification.class_id)
    b.add(klassifikasjon, "tittel", folder.classification.title)

    post = b.add(mappe, "basisregistrering", xsi_type="journalpost")
    b.add(post, "systemID", str(journalpost.system_id))
    b.add(post, "opprettetDato", _moment(journalpost.created_at))
    b.add(post, "opprettetAv", system)
    b.add(post, "referanseForelderMappe", str(folder.system_id))
    _eformidling_screening(b, post, journalpost.screening, document=False)
    for document in journalpost.documents:
        _eformidling_document(b, post, journalpost, document)
    b.add(post, "tittel", journalpost.title)
    b.add(post, "offentligTittel", journalpost.public_title)
    if journalpost.note:
        merknad = b.add(post, "merknad")
        b.add(merknad, "merknadstekst", journalpost.note)
        b.add(merknad, "merknadsdato", _moment(journalpost.created_at))
        b.add(merknad, "merknadRegistrertAv", system)
    if journalpost.cross_reference:
        kryssreferanse = b.add(post, "kryssreferanse")
        b.add(kryssreferanse, "referanseTilMappe", str(journalpost.cross_reference))
    b.add(post, "journalposttype", spec.journalposttype)
    b.add(post, "journalstatus", JOURNALLED)
    b.add(post, "journaldato", _day(journalpost.created_at.date()))
    b.add(post, "dokumentetsDato", _day(journalpost.document_date))
    if journalpost.correspondent:
        part = b.add(post, "korrespondansepart")
        b.add(part, "korrespondanseparttype", journalpost.correspondent.role)
        b.add(part, "korrespondansepartNavn", journalpost.correspondent.name)

    b.add(mappe, "saksdato", _day(folder.opened_on))
    b.add(mappe, "administrativEnhet", folder.administrative_unit)
    b.add(mappe, "saksansvarlig", folder.case_officer)
    b.add(mappe, "saksstatus", folder.status)
    return root


def _eformidling_screening(b: _Builder, parent, screening: Screening, document: bool) -> None:
    skjerming = b.add(parent, "skjerming")
    b.add(skjerming, "tilgangsrestriksjon", screening.access_code)
    b.add(skjerming, "skjermingshjemmel", screening.legal_reference)
    for metadata in screening.metadata or ("Ingen",):
        b.add(skjerming, "skjermingMetadata", metadata)
    if document and screening.whole_document:
        b.add(skjerming, "skjermingDokument", "Skjerming av hele dokumentet")


def _eformidling_document(b: _Builder, post, journalpost: Journalpost, document: Document) -> None:
    system = journalpost.system
    beskrivelse = b.add(post, "dokumentbeskrivelse")
    b.add(beskrivelse, "systemID", str(document.system_id))
    b.add(beskrivelse, "dokumenttype", KINDS[journalpost.kind].document_type)
    b.add(beskrivelse, "dokumentstatus", FINISHED)
    b.add(beskrivelse, "tittel", document.title)
    b.add(beskrivelse, "opprettetDato", _moment(journalpost.created_at))
    b.add(beskrivelse, "opprettetAv", system)
    b.add(beskrivelse, "tilknyttetRegistreringSom", MAIN_DOCUMENT if document.number == 1 else "Vedlegg")
    b.add(beskrivelse, "dokumentnummer", str(document.number))
    b.add(beskrivelse, "tilknyttetDato", _moment(journalpost.created_at))
    b.add(beskrivelse, "tilknyttetAv", system)
    _eformidling_screening(b, beskrivelse, journalpost.screening, document=True)
    objekt = b.add(beskrivelse, "dokumentobjekt")
    b.add(objekt, "versjonsnummer", "1")
    b.add(objekt, "variantformat", ARCHIVE_FORMAT)
    b.add(objekt, "opprettetDato", _moment(journalpost.created_at))
    b.add(objekt, "opprettetAv", system)
    b.add(objekt, "referanseDokumentfil", document.filename)


# -- FIKS Arkiv V1 arkivmelding.opprett ----------------------------------------------------------------


def _fiks(journalpost: Journalpost) -> etree._Element:
    b = _Builder(FIKS)
    m = _Builder(FIKS_MDK)
    folder = journalpost.folder
    spec = KINDS[journalpost.kind]
    system = journalpost.system
    root = etree.Element(b.q("arkivmelding"), nsmap={None: FIKS, "xsi": XSI, "mdk": FIKS_MDK})
    b.add(root, "system", system)
    b.add(root, "antallFiler", str(len(journalpost.documents)))

    def code(parent, name: str, description: str, builder: _Builder = b) -> None:
        element = builder.add(parent, name)
        m.add(element, "kode", FIKS_CODES.get(description, description))
        m.add(element, "beskrivelse", description)

    def external_key(parent, name: str, key: UUID, builder: _Builder = b) -> None:
        element = builder.add(parent, name)
        m.add(element, "fagsystem", system)
        m.add(element, "noekkel", str(key))

    def screening(parent, value: Screening) -> None:
        skjerming = b.add(parent, "skjerming")
        code(skjerming, "tilgangsrestriksjon", value.access_code)
        b.add(skjerming, "skjermingshjemmel", value.legal_reference)

    mappe = b.add(root, "mappe", xsi_type="saksmappe")
    b.add(mappe, "systemID", str(folder.system_id))
    b.add(mappe, "tittel", folder.title)
    b.add(mappe, "offentligTittel", folder.public_title)
    b.add(mappe, "opprettetDato", _moment(folder.created_at))
    b.add(mappe, "opprettetAv", system)
    screening(mappe, folder.screening)
    klassifikasjon = b.add(mappe, "klassifikasjon")
    b.add(klassifikasjon, "klassifikasjonssystemID", folder.classification.system)
    b.add(klassifikasjon, "klasseID", folder.classification.class_id)
    b.add(klassifikasjon, "tittel", folder.classification.title)
    external_key(mappe, "referanseEksternNoekkel", folder.system_id)
    b.add(mappe, "saksdato", _day(folder.opened_on))
    m.add(b.add(mappe, "administrativEnhet"), "navn", folder.administrative_unit)
    m.add(b.add(mappe, "saksansvarlig"), "navn", folder.case_officer)
    code(mappe, "saksstatus", folder.status)

    post = b.add(root, "registrering", xsi_type="journalpost")
    b.add(post, "systemID", str(journalpost.system_id))
    b.add(post, "opprettetDato", _moment(journalpost.created_at))
    b.add(post, "opprettetAv", system)
    parent = b.add(post, "referanseForelderMappe")
    external_key(parent, "referanseEksternNoekkel", folder.system_id, builder=m)
    screening(post, journalpost.screening)
    for document in journalpost.documents:
        beskrivelse = b.add(post, "dokumentbeskrivelse")
        b.add(beskrivelse, "systemID", str(document.system_id))
        code(beskrivelse, "dokumenttype", spec.document_type)
        code(beskrivelse, "dokumentstatus", FINISHED)
        b.add(beskrivelse, "tittel", document.title)
        b.add(beskrivelse, "opprettetDato", _moment(journalpost.created_at))
        b.add(beskrivelse, "opprettetAv", system)
        code(beskrivelse, "tilknyttetRegistreringSom", MAIN_DOCUMENT if document.number == 1 else "Vedlegg")
        b.add(beskrivelse, "dokumentnummer", str(document.number))
        b.add(beskrivelse, "tilknyttetDato", _moment(journalpost.created_at))
        b.add(beskrivelse, "tilknyttetAv", system)
        screening(beskrivelse, journalpost.screening)
        objekt = b.add(beskrivelse, "dokumentobjekt")
        b.add(objekt, "versjonsnummer", "1")
        code(objekt, "variantformat", ARCHIVE_FORMAT)
        b.add(objekt, "mimeType", "application/pdf")
        b.add(objekt, "opprettetDato", _moment(journalpost.created_at))
        b.add(objekt, "opprettetAv", system)
        b.add(objekt, "filnavn", document.filename)
        b.add(objekt, "referanseDokumentfil", document.filename)
        b.add(objekt, "sjekksum", document.sha256)
        b.add(objekt, "sjekksumAlgoritme", "SHA256")
    b.add(post, "tittel", journalpost.title)
    b.add(post, "offentligTittel", journalpost.public_title)
    if journalpost.note:
        merknad = b.add(post, "merknad")
        b.add(merknad, "merknadstekst", journalpost.note)
        b.add(merknad, "merknadsdato", _moment(journalpost.created_at))
        b.add(merknad, "merknadRegistrertAv", system)
    if journalpost.cross_reference:
        kryssreferanse = b.add(post, "kryssreferanse")
        target = b.add(kryssreferanse, "referanseTilMappe")
        external_key(target, "referanseEksternNoekkel", journalpost.cross_reference, builder=m)
    if journalpost.correspondent:
        part = b.add(post, "korrespondansepart")
        code(part, "korrespondanseparttype", journalpost.correspondent.role)
        b.add(part, "korrespondansepartNavn", journalpost.correspondent.name)
    external_key(post, "referanseEksternNoekkel", journalpost.system_id)
    code(post, "journalposttype", spec.journalposttype)
    code(post, "journalstatus", JOURNALLED)
    b.add(post, "journaldato", _day(journalpost.created_at.date()))
    b.add(post, "dokumentetsDato", _day(journalpost.document_date))
    return root
