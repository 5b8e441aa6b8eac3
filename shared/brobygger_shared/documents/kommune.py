"""The kommune as its letters and contracts present it: name, office, address, organisation number,
contact, logo, the Statsforvalter that decides appeals, and the standing texts a kommune writes once.

A kommune fills these in as settings (environment variables named KOMMUNE_*). Each document records
the `Kommune` it was issued under, so re-rendering an old letter after the kommune moved office gives
the letter it sent, byte for byte.
"""

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_LOGO = Path(__file__).parent / "templates" / "logo.svg"
MAX_LOGO_BYTES = 64 * 1024
_ORGANISATION_NUMBER_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def organisation_number_is_valid(number: str) -> bool:
    """Nine digits whose last is the modulus-11 check digit of the first eight (Brønnøysundregistrene)."""
    if len(number) != 9 or not number.isdigit():
        return False
    remainder = sum(int(digit) * weight for digit, weight in zip(number, _ORGANISATION_NUMBER_WEIGHTS)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return check != 10 and check == int(number[8])


class Kommune(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1, max_length=200)
    office: str = Field(max_length=200)
    postal_address: list[str] = Field(max_length=4)
    organisation_number: str
    phone: str = Field(max_length=50)
    email: str = Field(max_length=200)
    web: str = Field(max_length=200)
    statsforvalter: str = Field(min_length=1, max_length=200)
    insurance: str = Field(max_length=2000)
    timesheet_deadline: str = Field(max_length=500)
    logo_svg: str = Field(max_length=MAX_LOGO_BYTES)

    @field_validator("organisation_number")
    @classmethod
    def _valid_organisation_number(cls, number: str) -> str:
        if not organisation_number_is_valid(number):
            raise ValueError("KOMMUNE_ORGANISATION_NUMBER must be nine digits with a valid check digit")
        return number

    @field_validator("logo_svg")
    @classmethod
    def _an_svg(cls, logo: str) -> str:
        if "<svg" not in logo[:500]:
            raise ValueError("KOMMUNE_LOGO must be an SVG file")
        return logo


class KommuneSettings(BaseSettings):
    """The settings a kommune fills in once. The defaults describe a fictional kommune for dev and tests."""

    model_config = SettingsConfigDict(env_prefix="KOMMUNE_", env_file=None, extra="ignore")

    name: str = "Eksempel kommune"
    office: str = "Tildelingskontoret for helse og omsorg"
    # Lines of the postal address, separated by "|" in the environment variable.
    postal_address: str = "Postboks 1|0001 Eksempelby"
    organisation_number: str = "921000006"
    phone: str = "12 34 56 78"
    email: str = "postmottak@eksempel.kommune.no"
    web: str = "www.eksempel.kommune.no"
    statsforvalter: str = "Statsforvalteren i Eksempel"
    insurance: str = (
        "Oppdragstakeren og brukeren er dekket av kommunens ulykkesforsikring mens oppdraget utføres. "
        "Kommunen gir nærmere opplysninger om hva forsikringen dekker."
    )
    timesheet_deadline: str = (
        "Timelisten leveres digitalt i Brobygger innen den 5. i måneden etter at oppdraget ble utført, og "
        "kommunen godkjenner den før utbetaling."
    )
    logo: Path = DEFAULT_LOGO

    def kommune(self) -> Kommune:
        logo = self.logo.read_text(encoding="utf-8")
        return Kommune(
            name=self.name,
            office=self.office,
            postal_address=[line.strip() for line in self.postal_address.split("|") if line.strip()],
            organisation_number=self.organisation_number,
            phone=self.phone,
            email=self.email,
            web=self.web,
            statsforvalter=self.statsforvalter,
            insurance=self.insurance,
            timesheet_deadline=self.timesheet_deadline,
            logo_svg=logo,
        )
