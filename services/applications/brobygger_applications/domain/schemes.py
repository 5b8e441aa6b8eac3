"""The three schemes (four, with støttekontakt under barnevern): their legal basis, scope unit and
appeal rules. Pure."""

from dataclasses import dataclass
from enum import StrEnum

from brobygger_shared.events.terms import ScopeUnit


class Scheme(StrEnum):
    STOTTEKONTAKT = "støttekontakt"  # helse og omsorg
    STOTTEKONTAKT_BARNEVERN = "støttekontakt_barnevern"
    PRIVAT_AVLASTNING = "privat_avlastning"
    BESOKSHJEM = "besøkshjem"  # barnevern

    @property
    def is_barnevern(self) -> bool:
        return self in (Scheme.STOTTEKONTAKT_BARNEVERN, Scheme.BESOKSHJEM)

    @property
    def legal_basis(self) -> str:
        return LEGAL_BASIS[self]

    @property
    def scope_unit(self) -> ScopeUnit:
        return ScopeUnit.DOGN_PER_MONTH if self is Scheme.BESOKSHJEM else ScopeUnit.HOURS_PER_WEEK


LEGAL_BASIS = {
    Scheme.STOTTEKONTAKT: "helse- og omsorgstjenesteloven § 3-2 første ledd nr. 6 bokstav b",
    Scheme.STOTTEKONTAKT_BARNEVERN: "barnevernsloven, hjelpetiltak",
    Scheme.PRIVAT_AVLASTNING: "helse- og omsorgstjenesteloven § 3-6 første ledd nr. 2",
    Scheme.BESOKSHJEM: "barnevernsloven, hjelpetiltak",
}


MAX_SCOPE = max(unit.maximum for unit in ScopeUnit)
UNIT_WORDS = {ScopeUnit.HOURS_PER_WEEK: "timer per uke", ScopeUnit.DOGN_PER_MONTH: "døgn per måned"}


@dataclass(frozen=True)
class AppealRule:
    """How long a person has to appeal a vedtak under the scheme, and the law that says so."""

    weeks: int
    weeks_in_words: str
    legal_reference: str


# Health and care services: 4 weeks (pasient- og brukerrettighetsloven § 7-5). Barnevern hjelpetiltak
# follow forvaltningsloven's general rule: 3 weeks (§ 29).
APPEAL_RULES = {
    Scheme.STOTTEKONTAKT: AppealRule(4, "fire", "pasient- og brukerrettighetsloven § 7-5"),
    Scheme.PRIVAT_AVLASTNING: AppealRule(4, "fire", "pasient- og brukerrettighetsloven § 7-5"),
    Scheme.STOTTEKONTAKT_BARNEVERN: AppealRule(3, "tre", "forvaltningsloven § 29"),
    Scheme.BESOKSHJEM: AppealRule(3, "tre", "forvaltningsloven § 29"),
}
