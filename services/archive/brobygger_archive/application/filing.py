"""How the kommune files Brobygger's cases: classes, screening, administrative units and case officers,
per scheme (and one set for oppdragstakere). Settings (ARCHIVE_FILING as JSON, or the defaults), so that
the kommune's archive decides them; the defaults describe a fictional kommune.

Screening: every saksmappe, journalpost and document is screened under taushetsplikt (offentleglova
§ 13), with the scheme's legal reference: helse og omsorg under forvaltningsloven § 13 (personal
matters), barnevern under its own (barnevernsloven § 13-1), oppdragstakere under forvaltningsloven § 13.
"""

from pydantic import BaseModel, ConfigDict, Field

from brobygger_archive.domain import Classification, Screening

VOLUNTEERS = "oppdragstaker"  # the key of the oppdragstakere's rules beside the schemes'

SCHEME_LABELS = {
    "støttekontakt": "støttekontakt",
    "støttekontakt_barnevern": "støttekontakt i barnevernet",
    "privat_avlastning": "privat avlastning",
    "besøkshjem": "besøkshjem",
}
ROLE_LABELS = {"støttekontakt": "støttekontakt", "avlaster": "avlaster", "besøkshjem": "besøkshjem"}

HEALTH_SCREENING = "Offl. § 13, jf. fvl. § 13 første ledd nr. 1"
BARNEVERN_SCREENING = "Offl. § 13, jf. bvl. § 13-1"


class ScreeningRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    access_code: str = Field("13", min_length=1, max_length=20)  # tilgangsrestriksjon
    legal_reference: str = Field(min_length=1, max_length=200)  # skjermingshjemmel
    metadata: list[str] = Field(default=["Tittel mappe", "Tittel registrering"], max_length=10)

    def screening(self) -> Screening:
        return Screening(self.access_code, self.legal_reference, tuple(self.metadata))


class FilingRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    class_system: str = Field("Arkivnøkkel", min_length=1, max_length=100)
    class_id: str = Field(min_length=1, max_length=50)
    class_title: str = Field(min_length=1, max_length=200)
    administrative_unit: str = Field(min_length=1, max_length=200)
    case_officer: str = Field(min_length=1, max_length=200)  # saksansvarlig: a unit's mailbox or a person
    screening: ScreeningRule

    def classification(self) -> Classification:
        return Classification(self.class_system, self.class_id, self.class_title)


def _health(class_title: str) -> FilingRule:
    return FilingRule(class_id="H12", class_title=class_title, administrative_unit="Tildelingskontoret",
                      case_officer="Tildelingskontoret", screening=ScreeningRule(legal_reference=HEALTH_SCREENING))


def _barnevern(class_title: str) -> FilingRule:
    return FilingRule(class_id="F47", class_title=class_title, administrative_unit="Barneverntjenesten",
                      case_officer="Barneverntjenesten", screening=ScreeningRule(legal_reference=BARNEVERN_SCREENING))


DEFAULT_RULES: dict[str, FilingRule] = {
    "støttekontakt": _health("Støttekontakt"),
    "privat_avlastning": _health("Avlastning"),
    "støttekontakt_barnevern": _barnevern("Hjelpetiltak i barnevernet"),
    "besøkshjem": _barnevern("Hjelpetiltak i barnevernet"),
    VOLUNTEERS: FilingRule(
        class_id="400", class_title="Oppdragstakere", administrative_unit="Tildelingskontoret",
        case_officer="Tildelingskontoret",
        screening=ScreeningRule(legal_reference=HEALTH_SCREENING,
                                metadata=["Tittel mappe", "Tittel registrering", "Korrespondansepart navn"])),
}


class Filing(BaseModel):
    """The rules per scheme and for oppdragstakere, and who is named as system and Statsforvalter."""

    model_config = ConfigDict(frozen=True)

    system: str = Field("Brobygger", min_length=1, max_length=100)
    rules: dict[str, FilingRule] = Field(default_factory=lambda: dict(DEFAULT_RULES))
    statsforvalter: str = "Statsforvalteren"  # set from the kommune's settings (KOMMUNE_STATSFORVALTER)

    def rule(self, scheme: str | None) -> FilingRule:
        return self.rules.get(scheme or VOLUNTEERS) or self.rules[VOLUNTEERS]
