"""Integration events published by the applications service (topic brobygger.applications.events).

They carry what other services need (scheme, scope, period, area, interests, roles, attest kind and
date) and no more personal data than that: people are named by internal ids. Two exceptions, each
because a consumer cannot work without it: a volunteer's name (staff must find the person when
matching and in contracts) and a user's birth date (pay rates depend on the child's age on each døgn).
The contact details a person gave for notices (`email`, `mobile`) travel in fields of their own on the
two Received events, for the notifications service alone to keep, so that they can be erased with the
person; no other consumer stores them. So does the person's identity number (`national_id`): the
kommune must look it up in the reservation register (KRR) before it sends an important letter
digitally, and KRR is asked by identity number. It goes only with an e-mail address or a mobile number
(with neither, nothing is sent digitally and there is nothing to look up); notifications alone keeps
it, beside the contact details, and no other consumer may store it.

Those personal fields are sealed on the topic under the person's key (`personal_data`, see
brobygger_shared.shredding): a citizen's under their case id, an oppdragstaker's under their volunteer
id. Once the person is erased they read "slettet" (text) or null (a birth date).
"""

from datetime import date, datetime
from typing import Any, ClassVar
from uuid import UUID

from brobygger_shared.events.base import IntegrationEvent, integration_event, registry
from brobygger_shared.shredding import PersonalData

# -- a citizen's case ---------------------------------------------------------------------------------


class CaseEvent(IntegrationEvent):
    """Every event of a citizen's case names the scheme, so consumers can keep barnevern apart."""

    scheme: str
    is_barnevern: bool


@integration_event
class ApplicationReceived(CaseEvent):
    event_type = "ApplicationReceived"
    personal_data: ClassVar[PersonalData] = PersonalData(
        subject="aggregate_id", fields=("birth_date", "email", "mobile", "national_id"))

    person_id: UUID
    birth_date: date | None  # null once the person is erased
    area: str
    interests: list[str] = []
    wished_activities: list[str] = []
    helper_wishes: dict[str, Any] = {}
    scope_asked: float | None = None
    received_on: date
    case_number: str | None = None  # the kommune's case number (2026/0142); none before they existed
    email: str | None = None  # for notices (notifications alone keeps it); none when not given
    mobile: str | None = None  # E.164, +4791234567
    national_id: str | None = None  # for the KRR lookup (notifications alone keeps it); only with email or mobile


@integration_event
class InterimReplySent(CaseEvent):
    event_type = "InterimReplySent"

    expected_decision_by: date
    sent_on: date


@integration_event
class ApplicationDecided(CaseEvent):
    """A vedtak: granted with scope and period, or refused. A changed scope is a new vedtak."""

    event_type = "ApplicationDecided"

    decision_number: int
    granted: bool
    scope: float | None = None
    scope_unit: str | None = None
    period_from: date | None = None
    period_to: date | None = None
    legal_basis: str
    decided_on: date
    resolves_appeal: bool = False  # the kommune changed its decision after a klage


@integration_event
class ApplicationAppealed(CaseEvent):
    event_type = "ApplicationAppealed"

    received_on: date
    late: bool


@integration_event
class AppealResolved(CaseEvent):
    """The kommune upheld its decision and forwarded the klage, or the Statsforvalteren decided it.
    (A kommune that changes its decision publishes ApplicationDecided with resolves_appeal.)"""

    event_type = "AppealResolved"

    resolution: str  # oversendt_statsforvalteren | stadfestet | omgjort | opphevet
    resolved_on: date


@integration_event
class ApplicationWithdrawn(CaseEvent):
    event_type = "ApplicationWithdrawn"

    withdrawn_on: date


@integration_event
class LedsagerbevisDecided(CaseEvent):
    """The ledsagerbevis asked for in a støttekontakt søknad was granted for a period, or refused (the
    reason stays in applications). A later one replaces it."""

    event_type = "LedsagerbevisDecided"
    event_version = 1

    granted: bool
    valid_from: date | None = None
    valid_to: date | None = None
    decided_on: date


@integration_event
class ServiceEnded(CaseEvent):
    """The person ended a granted service from `ended_on` (after a vedtak; before one, the søknad is
    withdrawn: ApplicationWithdrawn). A klage being handled was either withdrawn with it
    (`appeal_withdrawn` true) or kept (false); null when none was pending. Consumers decide what
    follows for what they own: a contract is not ended by this event alone (its notice period and
    the oppdragstaker's rights are the contract's), staff end it."""

    event_type = "ServiceEnded"
    event_version = 1

    decision_number: int  # the vedtak that was in force
    ended_on: date
    appeal_withdrawn: bool | None = None


@integration_event
class LetterIssued(CaseEvent):
    """A letter the case sent (a vedtak or a foreløpig svar), for the archive and for notifying the
    person. The PDF is read from applications (`document_path`) and checked against `sha256`."""

    event_type = "LetterIssued"
    event_version = 1

    letter_number: int
    kind: str  # vedtak | foreløpig_svar
    issued_on: date
    sha256: str
    case_number: str | None = None
    document_path: str


# -- becoming an oppdragstaker ------------------------------------------------------------------------


@integration_event
class VolunteerApplicationReceived(IntegrationEvent):
    """Someone applied to become støttekontakt, avlaster or besøkshjem.

    v2 replaced the single optional `language` of v1 with the list `languages`.
    """

    event_type = "VolunteerApplicationReceived"
    event_version = 2
    personal_data: ClassVar[PersonalData] = PersonalData(
        subject="volunteer_id", fields=("full_name", "birth_date", "address", "email", "mobile", "national_id"))

    volunteer_id: UUID
    full_name: str
    birth_date: date | None  # null once the person is erased
    roles: list[str]
    area: str
    interests: list[str] = []
    languages: list[str] = []
    gender: str | None = None
    has_driving_licence: bool = False
    has_car: bool = False
    has_spare_bedroom: bool = False
    case_number: str | None = None  # the kommune's case number (2026/0143); none before they existed
    address: str = ""  # the postal address the oppdragsavtale names
    email: str | None = None  # for notices (notifications alone keeps it); none when not given
    mobile: str | None = None  # E.164, +4791234567
    national_id: str | None = None  # for the KRR lookup (notifications alone keeps it); only with email or mobile


@registry.upcaster("VolunteerApplicationReceived", from_version=1)
def _volunteer_application_received_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    language = data.pop("language", None)
    return {**data, "languages": [language] if language else []}


class VolunteerEvent(IntegrationEvent):
    volunteer_id: UUID


@integration_event
class InterviewScheduled(VolunteerEvent):
    """An interview appointment: when, and where (for the invitation the person is sent)."""

    event_type = "InterviewScheduled"

    at: datetime
    address: str = ""  # where it is held


@integration_event
class InterviewCompleted(VolunteerEvent):
    event_type = "InterviewCompleted"

    held_on: date
    assessment: str  # egnet | ikke_egnet | usikker


@integration_event
class PoliceCertificateVerified(VolunteerEvent):
    """Only the kind, the issue date and that it was verified: never the attest's content."""

    event_type = "PoliceCertificateVerified"

    kind: str  # ordinær | barneomsorgsattest
    issued_on: date
    verified_on: date


@integration_event
class PoliceCertificateRenewalDue(VolunteerEvent):
    event_type = "PoliceCertificateRenewalDue"

    due_on: date
    certificate_issued_on: date


@integration_event
class ConfidentialityDeclarationSigned(VolunteerEvent):
    event_type = "ConfidentialityDeclarationSigned"

    signed_on: date


@integration_event
class VolunteerApproved(VolunteerEvent):
    event_type = "VolunteerApproved"

    roles: list[str]
    approved_on: date
    certificate_kind: str
    certificate_issued_on: date


@integration_event
class VolunteerRejected(VolunteerEvent):
    event_type = "VolunteerRejected"

    rejected_on: date


# -- erasure ------------------------------------------------------------------------------------------


@integration_event
class PersonErased(IntegrationEvent):
    """A person's personal data was erased by crypto-shredding: their keys in the key vault are gone,
    so every sealed copy of their fields (stored events, Kafka messages, dead letters) now reads as
    "slettet". Each service that keeps a read model naming any of these ids blanks the person's fields
    in it (names, identity number, birth date, contact details, addresses, household members); ids,
    the case's dates and amounts stay.

    A key's id is the id by which the rest of the system names the person: a citizen's case id
    (`application_id`; the same identity number in two søknader is two cases, two keys) and an
    oppdragstaker's `volunteer_id`. `aggregate_id` is the id the erasure was asked for.
    """

    event_type = "PersonErased"

    case_ids: list[UUID] = []  # the citizen's cases (application_id), each key deleted
    volunteer_ids: list[UUID] = []  # the oppdragstaker's volunteer ids, each key deleted
    erased_on: date
