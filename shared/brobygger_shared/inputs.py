"""What every request body is held to before a service sees it: text without control characters and
with a maximum length, and dates a kommune could mean.

Every request model derives from `Input`. Its one field check refuses NUL and the other control
characters anywhere in a field (inside lists and dict keys too): PostgreSQL text cannot hold NUL, and
an event that carries one would stop every read model that stores it. Line breaks and tabs pass here;
`Line` (a name, a code, a place) refuses them too, `Paragraphs` (a reason, a note) keeps them. A
string field without its own limit gets `DEFAULT_MAX_LENGTH`.
"""

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

DEFAULT_MAX_LENGTH = 2000  # a string field with no limit of its own
NAME_MAX_LENGTH = 200
LINE_MAX_LENGTH = 300
TEXT_MAX_LENGTH = 4000  # a reason, a note, a need in the applicant's own words
LIST_MAX_ITEMS = 50

# Dates of cases, contracts, timesheets and rates: well before any case Brobygger will hold, and
# well beyond any period a vedtak or a contract could run.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2099, 12, 31)
EARLIEST_BIRTH_DATE = date(1900, 1, 1)

# C0 and C1 control characters and DEL; tab, line feed and carriage return are allowed here.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\r\n\t\u2028\u2029]")


def _refuse_control_characters(value: Any) -> None:
    if isinstance(value, str):
        if _CONTROL_CHARACTERS.search(value):
            raise PydanticCustomError("control_character", "Teksten inneholder kontrolltegn som ikke er tillatt.")
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_control_characters(key)
            _refuse_control_characters(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _refuse_control_characters(item)


class Input(BaseModel):
    """Base of every request body."""

    model_config = ConfigDict(str_max_length=DEFAULT_MAX_LENGTH)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        _refuse_control_characters(value)
        return value


def _one_line(value: str) -> str:
    if _LINE_BREAKS.search(value):
        raise PydanticCustomError("line_break", "Feltet kan ikke inneholde linjeskift eller tabulator.")
    return value


def Line(max_length: int = LINE_MAX_LENGTH, min_length: int = 0, **field: Any) -> Any:  # noqa: N802 - a type
    """One line of text: a name, a place, a code."""
    return Annotated[str, Field(min_length=min_length, max_length=max_length, **field), AfterValidator(_one_line)]


def Paragraphs(max_length: int = TEXT_MAX_LENGTH, min_length: int = 0, **field: Any) -> Any:  # noqa: N802
    """Free text that may have line breaks: a reason, a note."""
    return Annotated[str, Field(min_length=min_length, max_length=max_length, **field)]


def at_most_per_unit(field: str, unit_field: str, maximums: Mapping[str, Any]) -> Any:
    """A field validator: the field's value is at most `maximums[unit]`, where the unit is another
    field of the same model declared before it (a scope per week or per month, a rate per hour or km)."""

    def check(cls, value: Any, info: ValidationInfo) -> Any:
        unit = info.data.get(unit_field)
        maximum = maximums.get(unit)
        if maximum is not None and value is not None and value > maximum:
            raise PydanticCustomError("too_large_for_unit", "Verdien kan være høyst {maximum} ({unit}).",
                                      {"maximum": str(maximum), "unit": unit})
        return value

    return field_validator(field)(classmethod(check))


def _within(earliest: date, latest: date):
    def check(value: date) -> date:
        if not earliest <= value <= latest:
            raise PydanticCustomError(
                "date_out_of_range", "Datoen må være mellom {earliest} og {latest}.",
                {"earliest": earliest.strftime("%d.%m.%Y"), "latest": latest.strftime("%d.%m.%Y")},
            )
        return value

    return check


def _moment_within(value: datetime) -> datetime:
    _within(EARLIEST_DAY, LATEST_DAY)(value.date())
    return value


def _not_in_the_future(value: date) -> date:
    if value > date.today():
        raise PydanticCustomError("date_in_future", "Datoen kan ikke være fram i tid.")
    return value


Day = Annotated[date, AfterValidator(_within(EARLIEST_DAY, LATEST_DAY))]
"""A day of a case, contract, timesheet or rate."""

PastDay = Annotated[date, AfterValidator(_within(EARLIEST_DAY, LATEST_DAY)), AfterValidator(_not_in_the_future)]
"""A day something already happened: a letter received, a document signed."""

Moment = Annotated[datetime, AfterValidator(_moment_within)]
"""A point in time within the same range as `Day`: an appointment, the start of a stay."""

BirthDate = Annotated[date, AfterValidator(_within(EARLIEST_BIRTH_DATE, LATEST_DAY)),
                      AfterValidator(_not_in_the_future)]

PERIOD_PATTERN = r"^20\d{2}-(0[1-9]|1[0-2])$"
Period = Annotated[str, Field(pattern=PERIOD_PATTERN, description="A month, YYYY-MM (2000-01 to 2099-12)")]

Words = Annotated[list[Line(100, min_length=1)], Field(max_length=LIST_MAX_ITEMS)]
"""A short list of words or phrases: interests, activities, languages."""

# -- contact details ---------------------------------------------------------------------------------

EMAIL_MAX_LENGTH = 254  # RFC 5321's limit on a forward path
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
_MOBILE = re.compile(r"^\+[1-9]\d{6,14}$")  # E.164


def _email(value: str) -> str:
    value = value.strip()
    if not _EMAIL.match(value):
        raise PydanticCustomError("email", "Skriv en gyldig e-postadresse, for eksempel navn@eksempel.no.")
    local, domain = value.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def _mobile(value: str) -> str:
    """A Norwegian mobile number (8 digits starting with 4 or 9, with or without +47 or 0047), or any
    number in international form (+ and country code), as E.164: +4791234567."""
    digits = re.sub(r"[\s.\-()]", "", value)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if re.fullmatch(r"[49]\d{7}", digits):
        digits = "+47" + digits
    if not _MOBILE.match(digits) or (digits.startswith("+47") and not re.fullmatch(r"\+47[49]\d{7}", digits)):
        raise PydanticCustomError("mobile", "Skriv et gyldig mobilnummer, for eksempel 912 34 567 eller +47 912 34 567.")
    return digits


Email = Annotated[str, Field(max_length=EMAIL_MAX_LENGTH, description="E-mail address for notices"),
                  AfterValidator(_one_line), AfterValidator(_email)]
"""An e-mail address, its domain in lower case."""

Mobile = Annotated[str, Field(max_length=30, description="Mobile number for SMS notices, e.g. +4791234567"),
                   AfterValidator(_one_line), AfterValidator(_mobile)]
"""A mobile number, as E.164 (+4791234567)."""
