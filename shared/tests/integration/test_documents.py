"""The kernel's document layout: archivable, tagged, deterministic, and blind to the outside world."""

import io
from datetime import date

import pikepdf
import pytest
from pydantic import ValidationError
from pypdf import PdfReader

from brobygger_shared.documents import Documents, KommuneSettings, sha256
from brobygger_shared.documents.kommune import organisation_number_is_valid

KOMMUNE = KommuneSettings().kommune()
LAYOUT = Documents("brobygger_shared.documents")


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _letter(**context) -> bytes:
    return LAYOUT.pdf("letter.html", kommune=KOMMUNE, issued_on=date(2026, 11, 26),
                      recipient=context.get("recipient", ["Ola Nordmann", "Storgata 1", "0001 Eksempelby"]),
                      references=[("Saksnummer", "2026/0142")])


def test_the_layout_carries_the_kommune_and_the_references():
    text = _text(_letter())
    for expected in ("Eksempel kommune", "Tildelingskontoret", "Org.nr. 921000006", "Saksnummer", "2026/0142",
                     "Ola Nordmann", "Storgata 1", "Side 1 av 1", "offentleglova § 13"):
        assert expected in text


def test_a_document_declares_pdf_a_2b_and_is_tagged():
    with pikepdf.open(io.BytesIO(_letter())) as pdf:
        metadata = pdf.open_metadata()
        assert metadata["pdfaid:part"] == "2"
        assert metadata["pdfaid:conformance"] == "B"
        assert metadata["xmp:CreateDate"].startswith("2026-11-26")
        assert pdf.Root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in pdf.Root
        assert all(str(font.get("/BaseFont")).endswith(("+Inter", "+Inter-Bold"))
                   for page in pdf.pages for font in page.Resources.Font.values())


def test_the_same_input_gives_the_same_bytes():
    assert sha256(_letter()) == sha256(_letter())


def test_text_is_escaped_and_cannot_reach_files_or_the_network():
    hostile = ['<img src="file:///etc/passwd">', '<link rel="stylesheet" href="http://example.org/x.css">']
    text = _text(_letter(recipient=hostile))
    assert '<img src="file:///etc/passwd">' in text  # shown as text, never fetched


def test_the_organisation_number_must_carry_its_check_digit():
    assert organisation_number_is_valid("921000006")
    assert not organisation_number_is_valid("921000007")
    with pytest.raises(ValidationError, match="ORGANISATION_NUMBER"):
        KommuneSettings(organisation_number="921000007").kommune()
