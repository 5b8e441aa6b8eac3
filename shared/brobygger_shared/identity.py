"""Norwegian identity numbers: fødselsnummer, D-number, H-number and synthetic test numbers.

11 digits: DDMMYY, a 3-digit individual number, two control digits. D-numbers add 4 to the first
digit, H-numbers 40 to the month, Skatteetaten's synthetic test population 80 to the month. Numbers
issued from 1 January 2032 may have a first control digit with remainder 0, 1, 2 or 3 (mod 11);
both rules are accepted. Pure: no I/O.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


class IdentityKind(StrEnum):
    FODSELSNUMMER = "fødselsnummer"
    D_NUMBER = "d-nummer"
    H_NUMBER = "h-nummer"
    SYNTHETIC = "syntetisk"


class InvalidIdentityNumber(ValueError):
    """The message says what is wrong, in Norwegian, for the person who typed it."""


@dataclass(frozen=True)
class IdentityNumber:
    value: str
    kind: IdentityKind
    day: int
    month: int
    year_of_century: int

    def agrees_with(self, birth_date: date) -> bool:
        """Whether a birth date fits the number's date part: day, month and the two-digit year. The
        century cannot always be told from the number (numbers issued from 2032 carry none)."""
        return (birth_date.day, birth_date.month, birth_date.year % 100) == (
            self.day, self.month, self.year_of_century)


def parse_identity_number(text: str) -> IdentityNumber:
    value = text.replace(" ", "")
    if len(value) != 11 or not (value.isascii() and value.isdigit()):
        raise InvalidIdentityNumber("Fødselsnummeret må ha nøyaktig 11 sifre.")
    digits = [int(character) for character in value]

    k1_remainder = (sum(weight * digit for weight, digit in zip(K1_WEIGHTS, digits[:9])) + digits[9]) % 11
    if k1_remainder not in (0, 1, 2, 3):
        raise InvalidIdentityNumber("Fødselsnummeret har feil første kontrollsiffer.")
    if (sum(weight * digit for weight, digit in zip(K2_WEIGHTS, digits[:10])) + digits[10]) % 11 != 0:
        raise InvalidIdentityNumber("Fødselsnummeret har feil andre kontrollsiffer.")

    day, month, year = int(value[0:2]), int(value[2:4]), int(value[4:6])
    kind = IdentityKind.FODSELSNUMMER
    if day > 40:
        kind, day = IdentityKind.D_NUMBER, day - 40
    if month > 80:
        kind, month = IdentityKind.SYNTHETIC, month - 80
    elif month > 40:
        kind, month = IdentityKind.H_NUMBER, month - 40
    if not any(_is_date(century + year, month, day) for century in (1900, 2000)):
        raise InvalidIdentityNumber("Fødselsnummeret inneholder ikke en gyldig fødselsdato.")
    return IdentityNumber(value=value, kind=kind, day=day, month=month, year_of_century=year)


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def synthetic_identity_number(birth_date: date, individual: int = 0) -> str:
    """A valid synthetic (month + 80) number for tests and demo data: never a real person's.

    Tries individual numbers from `individual` upwards until both control digits are single digits.
    """
    for candidate in range(individual, individual + 1000):
        base = f"{birth_date.day:02d}{birth_date.month + 80:02d}{birth_date.year % 100:02d}{candidate % 1000:03d}"
        digits = [int(character) for character in base]
        k1 = (11 - sum(w * d for w, d in zip(K1_WEIGHTS, digits)) % 11) % 11
        k2 = (11 - sum(w * d for w, d in zip(K2_WEIGHTS, [*digits, k1])) % 11) % 11
        if k1 < 10 and k2 < 10:
            return f"{base}{k1}{k2}"
    raise ValueError("no valid synthetic number for that date")  # pragma: no cover - cannot happen


def birth_date_of(number: IdentityNumber, today: date) -> date:
    """The birth date an identity number gives: its day and month, in the latest century that does not
    put it after `today` (synthetic numbers do not follow the individual-number century rule, and
    numbers issued from 2032 carry none). For a self-service form, where the date is never typed."""
    for century in (2000, 1900, 1800):
        year = century + number.year_of_century
        if _is_date(year, number.month, number.day) and date(year, number.month, number.day) <= today:
            return date(year, number.month, number.day)
    raise InvalidIdentityNumber("Fødselsnummeret inneholder ikke en gyldig fødselsdato.")
