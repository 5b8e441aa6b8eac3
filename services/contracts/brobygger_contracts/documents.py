"""The oppdragsavtale as a document: the contract as it stood when issued, with each amendment as an
appendix. Pure: the same contract, parties and letterhead give the same bytes."""

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from brobygger_contracts.domain import Contract, VolunteerStatus
from brobygger_shared.case_access import is_barnevern
from brobygger_shared.calendar import norwegian_date
from brobygger_shared.documents import Documents, Kommune, address_lines
from brobygger_shared.events.terms import EngagementType, ExpenseKind, Scheme
from brobygger_shared.words import kroner

TEMPLATES = Documents("brobygger_contracts")


@dataclass(frozen=True)
class ContractParties:
    """What the document says of the people involved, as the contracts service learnt it from events.
    The user appears by case number only: the contract is archived and shared with the oppdragstaker."""

    volunteer_name: str
    volunteer_address: str
    volunteer_case_number: str
    user_case_number: str
    member_case_numbers: tuple[str, ...] = ()  # a group assignment's cases, the contract's own first; () for one user
    partner: str | None = None  # a group assignment's partner organisation

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


PURPOSES = {
    Scheme.STOTTEKONTAKT: (
        "Som støttekontakt skal du hjelpe brukeren til en meningsfylt fritid og til å delta i aktiviteter og "
        "sosialt fellesskap, ut fra brukerens interesser og ønsker."
    ),
    Scheme.STOTTEKONTAKT_BARNEVERN: (
        "Som støttekontakt skal du være en trygg voksen for barnet, gi barnet en meningsfylt fritid og hjelpe "
        "barnet til å delta i aktiviteter og sosialt fellesskap."
    ),
    Scheme.PRIVAT_AVLASTNING: (
        "Som avlaster tar du imot brukeren i ditt hjem, slik at de som har et særlig tyngende omsorgsarbeid "
        "får hvile og fritid. Du henter og bringer brukeren."
    ),
    Scheme.BESOKSHJEM: (
        "Som besøkshjem tar dere imot barnet i deres hjem, vanligvis i helger, og gir barnet kontakt med en "
        "annen familie og gode opplevelser."
    ),
}

CONFIDENTIALITY_LAW = {
    False: "helse- og omsorgstjenesteloven § 12-1 og forvaltningsloven §§ 13 til 13 e",
    True: "barnevernsloven § 13-1 og forvaltningsloven §§ 13 til 13 e",
}
CERTIFICATE_LAW = {
    False: "helse- og omsorgstjenesteloven § 5-4",
    True: "barnevernsloven og politiregisterloven § 39",
}

# Where the rates a contract names by table come from; a table payroll staff registered later is the
# kommune's own.
RATE_TABLE_SOURCES = {
    "sgs1030_hol": "KS særavtale SGS 1030, minstesats for avlastere (helse og omsorg), gjeldende sats på datoen",
    "sgs1030_barnevern": "KS særavtale SGS 1030, minstesats for avlastere (barnevern), gjeldende sats på datoen",
    "avlastning_hol_døgn": "KS-satser for utgiftsdekning per døgn i avlastning (helse og omsorg), etter alder",
    "avlastning_barnevern_døgn": "KS-satser for utgiftsdekning per døgn i avlastning (barnevern), etter alder",
    "besøkshjem_utgifter": "KS veiledende satser for besøkshjem, utgiftsdekning per døgn, etter alder",
    "besøkshjem_arbeidsgodtgjøring": "KS veiledende satser for besøkshjem, arbeidsgodtgjøring per døgn",
}


def render_contract(contract: Contract, parties: ContractParties, volunteer: VolunteerStatus, kommune: Kommune,
                    issued_on: date) -> bytes:
    """The signed contract with every amendment so far as an appendix."""
    scheme = Scheme(contract.scheme)
    barnevern = is_barnevern(scheme)
    first_terms = contract.terms_history[0]
    period_from, period_to = contract.signed_period
    return TEMPLATES.pdf(
        "contract.html",
        kommune=kommune,
        issued_on=issued_on,
        recipient=[parties.volunteer_name, *address_lines(parties.volunteer_address)],
        references=[("Saksnummer", parties.user_case_number), ("Dato", norwegian_date(issued_on))],
        scheme=scheme,
        barnevern=barnevern,
        parties=parties,
        purpose=PURPOSES[scheme],
        terms=first_terms,
        period_from=period_from,
        period_to=period_to,
        employee=first_terms["engagement_type"] == EngagementType.EMPLOYEE,
        pay=pay_in_words(first_terms),
        confidentiality_law=CONFIDENTIALITY_LAW[barnevern],
        certificate_law=CERTIFICATE_LAW[barnevern],
        certificate_kind_words=f"politiattest ({volunteer.certificate_kind})",
        certificate_issued_on=volunteer.certificate_issued_on,
        declaration_signed_on=volunteer.declaration_signed_on,
        signatures=[(party.capitalize(), signature) for party, signature in sorted(contract.signatures.items())],
        amendments=[{**amendment, "pay": pay_in_words(amendment["terms"])} for amendment in contract.amendments],
    )


def pay_in_words(terms: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The pay terms as (what, how much, where the figure comes from)."""
    rows = []
    if terms.get("hourly_rate_ore"):
        rows.append(("Godtgjøring per time", kroner(terms["hourly_rate_ore"]), "Fast sats i denne avtalen"))
    elif terms.get("hourly_rate_table"):
        rows.append(("Godtgjøring per time", "Etter satstabell", _source(terms["hourly_rate_table"])))
    if terms.get("work_hours_per_dogn"):
        hours = f"{terms['work_hours_per_dogn']:g}".replace(".", ",")
        rows.append(("Arbeid per døgn", f"{hours} timer per døgn etter timesatsen", ""))
    elif terms.get("dogn_rate_ore"):
        rows.append(("Arbeid per døgn", kroner(terms["dogn_rate_ore"]), "Fast sats i denne avtalen"))
    elif terms.get("dogn_rate_table"):
        rows.append(("Arbeid per døgn", "Etter satstabell", _source(terms["dogn_rate_table"])))
    expense_kind = ExpenseKind(terms.get("expense_kind", ExpenseKind.NONE))
    if expense_kind is ExpenseKind.FLAT_MONTHLY:
        rows.append(("Utgiftsdekning", f"{kroner(terms['expense_flat_monthly_ore'])} per måned, uten bilag",
                     "Fast sats i denne avtalen"))
    elif expense_kind is ExpenseKind.PER_DOGN_BY_AGE:
        rows.append(("Utgiftsdekning", "Per døgn, etter brukerens alder", _source(terms["expense_rate_table"])))
    else:
        rows.append(("Utgiftsdekning", "Dekkes ikke", ""))
    rows.append(("Kjøregodtgjørelse",
                 "Etter statens sats per kilometer for henting og levering" if terms.get("mileage_covered")
                 else "Dekkes ikke", "Statens særavtale for reiser innenlands" if terms.get("mileage_covered") else ""))
    return rows


def _source(table: str) -> str:
    return RATE_TABLE_SOURCES.get(table, f"Kommunens satstabell «{table}», gjeldende sats på datoen")

