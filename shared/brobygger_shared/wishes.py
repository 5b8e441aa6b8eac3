"""One vocabulary for a person's gender and for a case's wishes about the helper, shared by the
service that receives them (applications) and the one that reads them (matching). Pure: no I/O.

`HelperWishes.read` checks wishes when a søknad is received, and reads them again where they are
used; wishes stored before they were checked (free text such as "25 år") raise `InvalidValue`
naming the wish, so a reader can leave that one case aside instead of failing for everyone.
"""

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from brobygger_shared.rules import InvalidValue


class Gender(StrEnum):
    WOMAN = "kvinne"
    MAN = "mann"

    @classmethod
    def read(cls, text: object) -> "Gender | None":
        """A stated gender in any case or spacing ("Kvinne ", "MANN"); anything else is not stated."""
        if isinstance(text, str):
            try:
                return cls(text.strip().lower())
            except ValueError:
                return None
        return None


HELPER_AGE_MIN, HELPER_AGE_MAX = 18, 100  # an oppdragstaker is an adult
MAX_SIBLINGS = 10
_YES, _NO = {"ja", "true", "1"}, {"nei", "false", "0", ""}

WISH_WORDS = {
    "gender": "ønsket kjønn",
    "gender_required": "kjønn som krav",
    "language": "ønsket språk",
    "age_from": "ønsket alder fra",
    "age_to": "ønsket alder til",
    "siblings": "antall søsken",
}


@dataclass(frozen=True)
class HelperWishes:
    gender: Gender | None = None
    gender_required: bool = False  # the gender is a hard constraint, not only a wish
    language: str | None = None
    age_from: int | None = None
    age_to: int | None = None
    siblings: int | None = None  # besøkshjem: siblings placed together

    @classmethod
    def read(cls, data: dict[str, Any] | None, ignore_unknown: bool = False) -> "HelperWishes":
        """Checked wishes; `ignore_unknown` for wishes stored when any key was taken."""
        data = data or {}
        for key in data:
            if key not in WISH_WORDS and not ignore_unknown:
                raise InvalidValue(f"helper_wishes.{key}", f"«{key}» er ikke et kjent ønske om hjelperen.")
        gender = data.get("gender")
        wished_gender = Gender.read(gender)
        if gender not in (None, "") and wished_gender is None:
            raise InvalidValue("helper_wishes.gender", "Ønsket kjønn må være «kvinne» eller «mann».")
        language = data.get("language")
        wishes = cls(
            gender=wished_gender,
            gender_required=_yes_or_no(data.get("gender_required")),
            language=language.strip() if isinstance(language, str) and language.strip() else None,
            age_from=_whole_number(data, "age_from", HELPER_AGE_MIN, HELPER_AGE_MAX),
            age_to=_whole_number(data, "age_to", HELPER_AGE_MIN, HELPER_AGE_MAX),
            siblings=_whole_number(data, "siblings", 1, MAX_SIBLINGS),
        )
        if wishes.age_from is not None and wishes.age_to is not None and wishes.age_from > wishes.age_to:
            raise InvalidValue("helper_wishes.age_to", "Ønsket alder til kan ikke være lavere enn alder fra.")
        if wishes.gender_required and wishes.gender is None:
            raise InvalidValue("helper_wishes.gender", "Kjønn som krav trenger et ønsket kjønn.")
        return wishes

    def as_dict(self) -> dict[str, Any]:
        """Only the wishes given, as plain values (what the events carry)."""
        return {key: (str(value) if isinstance(value, Gender) else value)
                for key, value in asdict(self).items() if value not in (None, False)}


def _yes_or_no(value: object) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    if str(value).strip().lower() in _YES:
        return True
    if str(value).strip().lower() in _NO:
        return False
    raise InvalidValue("helper_wishes.gender_required", "Kjønn som krav må være ja eller nei.")


def _whole_number(data: dict[str, Any], key: str, low: int, high: int) -> int | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit())):
        raise InvalidValue(f"helper_wishes.{key}", f"{WISH_WORDS[key].capitalize()} må være et helt tall.")
    number = int(value)
    if not low <= number <= high:
        raise InvalidValue(f"helper_wishes.{key}", f"{WISH_WORDS[key].capitalize()} må være mellom {low} og {high}.")
    return number
