"""The filters document templates format figures with, in the forms Norwegian letters use."""

import base64
from datetime import date

from brobygger_shared.calendar import norwegian_date, norwegian_date_in_words
from brobygger_shared.words import kroner, scheme_in_words, scope_in_words


def svg_data_uri(svg: str) -> str:
    """An SVG as a data URI, so a logo travels inside the document's own records."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _date(day: date | None) -> str:
    return norwegian_date(day) if day else ""


FILTERS = {
    "dato": _date,
    "dato_i_ord": norwegian_date_in_words,
    "kroner": kroner,
    "omfang": scope_in_words,
    "ordning": scheme_in_words,
    "svg_data_uri": svg_data_uri,
}


def address_lines(address: str) -> list[str]:
    """An address as one line of text ("Storgata 1, 0001 Eksempelby") as the lines of a letter's window."""
    return [line.strip() for line in address.split(",") if line.strip()]
