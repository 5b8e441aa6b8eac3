"""The oppdragsavtale (Contract): from draft through both signatures to amendment and termination.
Pure: no I/O, no frameworks.

The signing gate ("krav om gyldig politiattest før avtale inngås"): no signature is taken unless the
oppdragstaker's politiattest is verified, of a kind the kommune's setting accepts for the scheme
(`brobygger_shared.attests`), and no older than the set limit on the signing date, and the
taushetserklæring is signed.

A contract cannot outlast its vedtak: a draft's period, a signature and an amendment that moves the
end all lie within the period of the vedtak in force (`Vedtak`, learnt from applications' events), and
not past the day the person ended the service. A new vedtak extends a signed contract by amendment. Once both have signed, the terms and
the rendered PDF are fixed; later changes are amendments from a date, and earlier periods keep their
terms.

Money is in øre (int). Where a rate is set by a rate table that payroll applies by date (SGS 1030
minimums, KS døgnsatser), the terms name the table instead of an amount.
"""

from collections.abc import Collection
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from brobygger_shared.attests import AttestRules
from brobygger_shared.calendar import add_months, norwegian_date
from brobygger_shared.events.terms import EngagementType, ExpenseKind, Scheme, ScopeUnit
from brobygger_shared.shredding import PersonalData
from brobygger_shared.rules import InvalidValue, RuleViolation, require, require_value



class Party(StrEnum):
    VOLUNTEER = "oppdragstaker"
    KOMMUNE = "kommune"


class ContractStatus(StrEnum):
    DRAFT = "utkast"
    PARTLY_SIGNED = "delvis_signert"
    ACTIVE = "signert"
    TERMINATED = "avsluttet"


TRANSPORT_COVERED_SCHEMES = {Scheme.PRIVAT_AVLASTNING}  # fetching and returning the user
HOUSEHOLD_SCHEMES = {Scheme.PRIVAT_AVLASTNING, Scheme.BESOKSHJEM}


# What terms a kommune could mean: a week has 168 hours and a month at most 31 døgn; pay and expenses
# far above any kommune's rates, and notice up to a year.
MAX_SCOPE = {unit.value: unit.maximum for unit in ScopeUnit}
MAX_HOURLY_RATE_ORE = 5_000_00
MAX_DOGN_RATE_ORE = 20_000_00
MAX_MONTHLY_EXPENSES_ORE = 50_000_00
MAX_NOTICE_PERIOD_DAYS = 365


@dataclass(frozen=True)
class Terms:
    engagement_type: str
    scope: float
    scope_unit: str
    hourly_rate_ore: int | None = None
    hourly_rate_table: str | None = None
    # How a døgn of a stay is paid for work: hours per døgn at the hourly rate, or a rate per døgn.
    work_hours_per_dogn: float | None = None
    dogn_rate_ore: int | None = None
    dogn_rate_table: str | None = None
    expense_kind: str = ExpenseKind.NONE.value
    expense_flat_monthly_ore: int | None = None
    expense_rate_table: str | None = None
    mileage_covered: bool = False
    notice_period_days: int = 14
    contact_persons: list[str] = field(default_factory=list)
    household_members: list[str] = field(default_factory=list)
    valid_from: date | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Terms":
        return cls(**data)

    def check(self, scheme: str) -> None:
        """The terms' own rules, for the scheme they are for."""
        require(self.engagement_type in set(EngagementType), "Ukjent tilknytningsform.")
        require(self.scope > 0, "Omfanget må være større enn null.")
        require(self.expense_kind in set(ExpenseKind), "Ukjent type utgiftsdekning.")
        require(self.hourly_rate_ore is None or not self.hourly_rate_table,
                "Oppgi enten en timesats eller en satstabell, ikke begge.")
        dogn_ways = sum(1 for way in (self.work_hours_per_dogn, self.dogn_rate_ore, self.dogn_rate_table) if way)
        require(dogn_ways <= 1, "Et døgn betales enten som et antall timer, med en døgnsats eller etter en satstabell.")
        hourly = self.hourly_rate_ore is not None or bool(self.hourly_rate_table)
        require(hourly or (dogn_ways and not self.work_hours_per_dogn),
                "Oppgi enten en timesats eller en satstabell (timer per døgn betales etter timesatsen).")
        require(self.hourly_rate_ore is None or self.hourly_rate_ore > 0, "Timesatsen må være større enn null.")
        if self.expense_kind == ExpenseKind.FLAT_MONTHLY:
            require(bool(self.expense_flat_monthly_ore and self.expense_flat_monthly_ore > 0),
                    "Fast utgiftsdekning per måned må ha et beløp.")
        if self.expense_kind == ExpenseKind.PER_DOGN_BY_AGE:
            require(bool(self.expense_rate_table), "Døgnsats etter alder må vise til en satstabell.")
        require(not self.mileage_covered or scheme in TRANSPORT_COVERED_SCHEMES,
                "Kjøregodtgjørelse dekkes bare der ordningen dekker transport (henting og levering i avlastning).")
        require(not self.household_members or scheme in HOUSEHOLD_SCHEMES,
                "Personer i hjemmet registreres bare for avlastning og besøkshjem.")
        require(self.notice_period_days >= 0, "Oppsigelsestiden kan ikke være negativ.")


def check_rate_tables(terms: dict[str, Any], known: Collection[str]) -> None:
    """A rate table the terms name must be one payroll has rates in (`known`: table names, a døgnsats
    table without its :under_10 / :fra_10 suffix); else payroll could never pay the contract."""
    for name in ("hourly_rate_table", "dogn_rate_table", "expense_rate_table"):
        table = terms.get(name)
        require_value(not table or table in known, f"terms.{name}",
                      f"Lønn kjenner ingen satstabell {table}. Kjente tabeller: {', '.join(sorted(known))}.")


@dataclass(frozen=True)
class VolunteerStatus:
    """What the contracts service knows of the oppdragstaker, from events: never the attest's content."""

    certificate_kind: str | None
    certificate_issued_on: date | None
    certificate_verified: bool
    declaration_signed_on: date | None


def signing_gate(scheme: str, status: VolunteerStatus, signing_on: date, max_age_months: int,
                 attests: AttestRules | None = None) -> list[str]:
    """Why a contract cannot be signed on this day: empty when it can. `attests`: the kommune's setting of
    which attest kinds satisfy which scheme (its defaults when not given)."""
    attests = attests or AttestRules()
    problems = []
    if not status.certificate_verified or status.certificate_issued_on is None:
        problems.append("politiattesten er ikke godkjent")
    else:
        if not attests.satisfies(status.certificate_kind, scheme):
            problems.append(f"ordningen krever {attests.accepted_in_words(scheme)}, ikke {status.certificate_kind}")
        if add_months(status.certificate_issued_on, max_age_months) < signing_on:
            problems.append(f"politiattesten er eldre enn {max_age_months} måneder på signeringsdagen")
    if status.declaration_signed_on is None:
        problems.append("taushetserklæringen er ikke signert")
    return problems


@dataclass(frozen=True)
class Vedtak:
    """The vedtak in force in the contract's case, as contracts learnt it from applications' events."""

    decision_number: int
    granted: bool
    period_from: date | None
    period_to: date | None
    ended_on: date | None = None  # the person ended the service on this day

    @property
    def last_day(self) -> date | None:
        """The last day a contract may run: the vedtak's end, or the day the service was ended."""
        if self.ended_on is not None and self.period_to is not None:
            return min(self.period_to, self.ended_on)
        return self.period_to


def check_within_vedtak(vedtak: Vedtak, period_from: date | None, period_to: date,
                        from_field: str = "period_from", to_field: str = "period_to") -> None:
    """A contract's period lies within the vedtak's (422 naming the field that does not)."""
    require(vedtak.granted and vedtak.period_from is not None,
            "Vedtaket i saken er et avslag; det kan ikke inngås avtale.")
    if period_from is not None:
        require_value(period_from >= vedtak.period_from, from_field,
                      f"Avtalen kan ikke begynne før vedtaksperioden ({norwegian_date(vedtak.period_from)}).")
    if vedtak.ended_on is not None and vedtak.ended_on < vedtak.period_to:
        require_value(period_to <= vedtak.last_day, to_field,
                      f"Tjenesten ble avsluttet {norwegian_date(vedtak.ended_on)}; avtalen kan ikke vare lenger.")
    require_value(period_to <= vedtak.last_day, to_field,
                  f"Avtalen kan ikke vare lenger enn vedtaket (til {norwegian_date(vedtak.period_to)}); "
                  "et nytt vedtak forlenger den med et tillegg.")


PEOPLE = ("contact_persons", "household_members")  # the terms' named people: personal data, sealed


def without_people(terms: dict) -> dict:
    """The terms as a Contract event stores them since crypto-shredding: the named people ride beside
    them, sealed under the case's key (`people`)."""
    return {name: value for name, value in terms.items() if name not in PEOPLE}


def people(terms: dict) -> dict:
    """The named people of the terms, as the event's own arguments."""
    return {name: list(terms.get(name) or []) for name in PEOPLE}


def _with_people(terms: dict, contact_persons: list | None, household_members: list | None) -> dict:
    """The terms whole again: an event written before crypto-shredding holds the people in the terms
    (the arguments are None); a later one beside them (an empty list once the person is erased)."""
    merged = dict(terms)
    for name, value in zip(PEOPLE, (contact_persons, household_members), strict=True):
        if value is not None:
            merged[name] = list(value)
    return merged


class Contract(Aggregate):
    id: UUID  # derived from the match it came from, so a redelivered VolunteerMatched drafts only one

    @event("Drafted")
    def __init__(self, match_id: UUID, application_id: UUID, volunteer_id: UUID, scheme: str,
                 user_birth_date: date | None, period_from: date, period_to: date, terms: dict,
                 contact_persons: list | None = None, household_members: list | None = None) -> None:
        terms = _with_people(terms, contact_persons, household_members)
        self.match_id = match_id
        self.application_id = application_id
        self.volunteer_id = volunteer_id
        self.scheme = scheme
        self.user_birth_date = user_birth_date  # None once the user is erased
        self.period_from = period_from
        self.period_to = period_to
        # The vedtak's period as the match carried it: what the contract is checked against until
        # contracts has learnt the vedtak from applications' events (always, for drafts before that).
        self.vedtak_at_match = Vedtak(decision_number=0, granted=True, period_from=period_from, period_to=period_to)
        self.terms = terms
        self.terms_history: list[dict] = []
        self.signatures: dict[str, dict] = {}
        self.signing_token_sha256: str | None = None
        self.pdf: bytes | None = None  # contracts signed before documents were recorded by their hash
        self.documents: list[dict] = []
        self.amendments: list[dict] = []
        self.signed_on: date | None = None
        self.termination: dict | None = None
        self.group_members: list[UUID] = []  # a group assignment's cases (this contract's own first); empty for one
        self.group_partner: str | None = None

    @property
    def status(self) -> ContractStatus:
        if self.termination:
            return ContractStatus.TERMINATED
        if self.signed_on:
            return ContractStatus.ACTIVE
        return ContractStatus.PARTLY_SIGNED if self.signatures else ContractStatus.DRAFT

    def terms_on(self, day: date) -> dict:
        """The terms in force on a day: the newest whose valid_from is on or before it."""
        applicable = [t for t in self.terms_history if t["valid_from"] <= day]
        return applicable[-1] if applicable else self.terms

    # -- the draft --

    def edit(self, period_from: date, period_to: date, terms: Terms, rate_tables: Collection[str] | None = None,
             vedtak: Vedtak | None = None) -> None:
        """A new period and terms for the draft; the period within `vedtak` (the service passes the one in
        force, always)."""
        require(self.status == ContractStatus.DRAFT,
                "Avtalen kan bare endres før noen har signert; etterpå brukes tillegg (endring fra en dato).")
        require(period_to >= period_from, "Perioden kan ikke slutte før den begynner.")
        if vedtak is not None:
            check_within_vedtak(vedtak, period_from, period_to)
        terms.check(self.scheme)
        if rate_tables is not None:
            check_rate_tables(terms.as_dict(), rate_tables)
        edited = replace(terms, valid_from=period_from).as_dict()
        self._edited(period_from=period_from, period_to=period_to, terms=without_people(edited),
                     application_id=self.application_id, **people(edited))

    @event("Edited")
    def _edited(self, period_from: date, period_to: date, terms: dict, application_id: UUID | None = None,
                contact_persons: list | None = None, household_members: list | None = None) -> None:
        terms = _with_people(terms, contact_persons, household_members)
        self.period_from, self.period_to, self.terms = period_from, period_to, terms

    def issue_signing_link(self, token_sha256: str) -> None:
        require(self.status in (ContractStatus.DRAFT, ContractStatus.PARTLY_SIGNED), "Avtalen er allerede signert.")
        require(Party.VOLUNTEER not in self.signatures, "Oppdragstakeren har allerede signert.")
        self._link_issued(token_sha256=token_sha256, volunteer_id=self.volunteer_id,
                          application_id=self.application_id, scheme=self.scheme)

    @event("SigningLinkIssued")
    def _link_issued(self, token_sha256: str, volunteer_id: UUID | None = None, application_id: UUID | None = None,
                     scheme: str | None = None) -> None:
        """The parties and scheme ride along so that the relay can say the contract waits for the
        oppdragstaker (ContractReadyForSignature, without the token); links issued before that name none."""
        self.signing_token_sha256 = token_sha256

    # -- a group assignment --

    def name_group(self, members: list[UUID], partner: str | None) -> None:
        """The match became a group assignment: the contract covers every member's case (its own first), with
        the partner organisation if any. Only before anyone has signed: what is signed is fixed."""
        require(self.status == ContractStatus.DRAFT, "Avtalen er allerede signert av noen; gruppen kan ikke endres.")
        require(members[:1] == [self.application_id], "Gruppen må begynne med avtalens egen sak.")
        self._group_named(members=list(members), partner=partner)

    @event("GroupNamed")
    def _group_named(self, members: list[UUID], partner: str | None) -> None:
        self.group_members = list(members)
        self.group_partner = partner

    # -- signing --

    def completes_with(self, party: Party) -> bool:
        """Whether this party's signature is the last one missing (then the contract is signed)."""
        return set(self.signatures) | {str(party)} == {Party.VOLUNTEER.value, Party.KOMMUNE.value}

    def sign(self, party: Party, signer: str, today: date, volunteer: VolunteerStatus, max_age_months: int,
             token_sha256: str | None = None,
             rate_tables: Collection[str] | None = None, attests: AttestRules | None = None,
             vedtak: Vedtak | None = None, signed_in: bool = False) -> None:
        """`signed_in`: the oppdragstaker signs signed in to the portal (ID-porten) instead of through the
        personal link: still only once staff have made the contract ready for signature (issued a link)."""
        party = Party(party)
        if rate_tables is not None:  # a draft made on the kommune's defaults before a table was renamed
            check_rate_tables(self.terms, rate_tables)
        require(self.status in (ContractStatus.DRAFT, ContractStatus.PARTLY_SIGNED), "Avtalen er allerede signert.")
        require(party not in self.signatures, f"{party.value.capitalize()} har allerede signert.")
        if party == Party.VOLUNTEER and signed_in:
            require(self.signing_token_sha256 is not None, "Avtalen er ikke klar til signering ennå.")
        elif party == Party.VOLUNTEER:
            require(self.signing_token_sha256 is not None and token_sha256 == self.signing_token_sha256,
                    "Signeringslenken er ugyldig eller allerede brukt.")
        problems = signing_gate(self.scheme, volunteer, today, max_age_months, attests)
        require(not problems, "Avtalen kan ikke signeres: " + "; ".join(problems) + ".")
        if vedtak is not None:  # a newer vedtak, or the end of the service, may have shortened it since the draft
            try:
                check_within_vedtak(vedtak, self.period_from, self.period_to)
            except InvalidValue as outside:
                raise RuleViolation(f"Avtalen kan ikke signeres: {outside.message} Rett utkastet først.") from None
        self._signed_by(party=party.value, signer=signer, signed_on=today, volunteer_id=self.volunteer_id)
        if self.completes_with(party) and len(self.signatures) == 2:
            self._signed(signed_on=today, terms=without_people(self.terms), application_id=self.application_id,
                         volunteer_id=self.volunteer_id, scheme=self.scheme, user_birth_date=self.user_birth_date,
                         period_from=self.period_from, period_to=self.period_to, **people(self.terms),
                         members=list(getattr(self, "group_members", [])), partner=getattr(self, "group_partner", None))

    @event("SignedBy")
    def _signed_by(self, party: str, signer: str, signed_on: date, volunteer_id: UUID | None = None) -> None:
        # `volunteer_id` (events since crypto-shredding): the signer's name is sealed under it
        self.signatures = {**self.signatures, party: {"signer": signer, "signed_on": signed_on}}
        if party == Party.VOLUNTEER:
            self.signing_token_sha256 = None  # single use

    @event("Signed")
    def _signed(self, signed_on: date, terms: dict, application_id: UUID, volunteer_id: UUID,
                scheme: str, user_birth_date: date | None, period_from: date, period_to: date,
                pdf: bytes | None = None, contact_persons: list | None = None,
                household_members: list | None = None, members: list[UUID] | None = None,
                partner: str | None = None) -> None:
        terms = _with_people(terms, contact_persons, household_members)
        self.signed_on = signed_on
        self.signed_period = (period_from, period_to)  # as signed; an amendment may move the end
        self.pdf = pdf
        self.terms_history = [terms]

    # -- after signing --

    def amend(self, terms: Terms, valid_from: date, reason: str, today: date,
              rate_tables: Collection[str] | None = None, period_to: date | None = None,
              vedtak: Vedtak | None = None) -> None:
        """New terms from `valid_from`; with `period_to`, a new end within the vedtak in force (a new
        vedtak extends the contract this way, or a shorter one shortens it)."""
        require(self.status == ContractStatus.ACTIVE, "Bare en signert, løpende avtale kan endres.")
        require(self.period_from <= valid_from <= self.period_to, "Endringen må gjelde fra en dato i avtaleperioden.")
        if period_to is not None:
            require(vedtak is not None, "Kontraktstjenesten kjenner ikke vedtaket i saken ennå; prøv igjen om litt.")
            require_value(period_to >= valid_from, "period_to", "Ny sluttdato kan ikke være før endringen gjelder fra.")
            check_within_vedtak(vedtak, None, period_to)
        require(valid_from > self.terms_history[-1]["valid_from"],
                "Endringen må gjelde fra en dato etter forrige endring.")
        require(bool(reason.strip()), "Oppgi hvorfor avtalen endres.")
        terms.check(self.scheme)
        if rate_tables is not None:
            check_rate_tables(terms.as_dict(), rate_tables)
        amended = replace(terms, valid_from=valid_from).as_dict()
        self._amended(terms=without_people(amended), reason=reason, amended_on=today,
                      application_id=self.application_id, volunteer_id=self.volunteer_id, scheme=self.scheme,
                      period_to=period_to, **people(amended))

    @event("Amended")
    def _amended(self, terms: dict, reason: str, amended_on: date, application_id: UUID, volunteer_id: UUID,
                 scheme: str, period_to: date | None = None, contact_persons: list | None = None,
                 household_members: list | None = None) -> None:
        terms = _with_people(terms, contact_persons, household_members)
        self.terms_history = [*self.terms_history, terms]
        self.terms = terms
        if period_to is not None:
            self.period_to = period_to
        self.amendments = [*self.amendments, {"amended_on": amended_on, "valid_from": terms["valid_from"],
                                              "reason": reason, "terms": terms, "period_to": period_to}]

    # -- the document --

    @property
    def document_due(self) -> bool:
        """Signed or amended since its document was last issued: the document must be issued again."""
        return self.signed_on is not None and len(self.documents) < 1 + len(self.amendments)

    def record_document(self, issued_on: date, kommune: dict, parties: dict, volunteer: dict, sha256: str) -> None:
        """The oppdragsavtale (with its amendments as appendices) was rendered from the contract as it
        stands now (this version), with these parties, attest facts and letterhead: re-rendering from
        this version with them gives the same bytes, whose SHA-256 this records."""
        require(self.document_due, "Avtalen har ingen signering eller endring uten dokument.")
        self._document_issued(number=len(self.documents) + 1, rendered_from_version=self.version,
                              issued_on=issued_on, kommune=kommune, parties=parties, volunteer=volunteer,
                              sha256=sha256, application_id=self.application_id, volunteer_id=self.volunteer_id,
                              scheme=self.scheme)

    @event("DocumentIssued")
    def _document_issued(self, number: int, rendered_from_version: int, issued_on: date, kommune: dict,
                         parties: dict, volunteer: dict, sha256: str, application_id: UUID, volunteer_id: UUID,
                         scheme: str) -> None:
        self.documents = [*self.documents, {
            "number": number, "rendered_from_version": rendered_from_version, "issued_on": issued_on,
            "kommune": kommune, "parties": parties, "volunteer": volunteer, "sha256": sha256}]

    def terminate(self, ends_on: date, terminated_by: str, reason: str) -> None:
        require(self.status == ContractStatus.ACTIVE, "Bare en signert, løpende avtale kan avsluttes.")
        require(terminated_by in ("oppdragstaker", "kommune", "vedtak_slutt"), "Ukjent part som avslutter.")
        require(ends_on >= self.period_from, "Avtalen kan ikke avsluttes før den begynner.")
        require(bool(reason.strip()), "Oppgi hvorfor avtalen avsluttes.")
        self._terminated(ends_on=min(ends_on, self.period_to), terminated_by=terminated_by, reason=reason,
                         application_id=self.application_id, volunteer_id=self.volunteer_id, scheme=self.scheme)

    @event("Terminated")
    def _terminated(self, ends_on: date, terminated_by: str, reason: str, application_id: UUID, volunteer_id: UUID,
                    scheme: str) -> None:
        self.termination = {"ends_on": ends_on, "terminated_by": terminated_by, "reason": reason}


# Crypto-shredding (docs/privacy.md): what the contract says of the user's case (the user's birth date,
# the named contact persons and household members, why it was amended or ended) is sealed under the case's
# key (application_id); what it says of the oppdragstaker (the name that signed, the parties and attest facts
# the document was rendered with) under theirs (volunteer_id). Erased: "slettet", an empty list or None.
Contract.Drafted.personal_data = PersonalData(subject="application_id", fields=("user_birth_date", *PEOPLE))
Contract.Edited.personal_data = PersonalData(subject="application_id", fields=PEOPLE)
Contract.Signed.personal_data = PersonalData(subject="application_id", fields=("user_birth_date", "pdf", *PEOPLE))
Contract.Amended.personal_data = PersonalData(subject="application_id", fields=("reason", *PEOPLE))
Contract.Terminated.personal_data = PersonalData(subject="application_id", fields=("reason",))
Contract.SignedBy.personal_data = PersonalData(subject="volunteer_id", fields=("signer",))
Contract.DocumentIssued.personal_data = PersonalData(subject="volunteer_id", fields=("parties", "volunteer"))


def municipal_account_id(volunteer_id: UUID) -> UUID:
    return uuid5(NAMESPACE_URL, f"brobygger:municipal-account:{volunteer_id}")


class MunicipalAccount(Aggregate):
    """An oppdragstaker's municipal account (timesheets and expenses are digital): asked of the kommune's IT
    when their first contract is signed, once; the e-mail address IT created is recorded when it comes
    back (and may be corrected)."""

    @staticmethod
    def create_id(volunteer_id: UUID) -> UUID:
        return municipal_account_id(volunteer_id)

    @event("Requested")
    def __init__(self, volunteer_id: UUID, contract_id: UUID, requested_on: date) -> None:
        self.volunteer_id = volunteer_id
        self.contract_id = contract_id
        self.requested_on = requested_on
        self.email: str | None = None
        self.recorded_on: date | None = None

    def record_email(self, email: str, today: date) -> None:
        email = email.strip().lower()
        if email == self.email:
            return  # the same address again: nothing changes
        self._email_recorded(volunteer_id=self.volunteer_id, email=email, recorded_on=today)

    @event("EmailRecorded")
    def _email_recorded(self, volunteer_id: UUID, email: str, recorded_on: date) -> None:
        self.email = email
        self.recorded_on = recorded_on


MunicipalAccount.EmailRecorded.personal_data = PersonalData(subject="volunteer_id", fields=("email",))
