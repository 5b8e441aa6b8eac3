"""Integration events published by the contracts service (topic brobygger.contracts.events).

They carry everything payroll needs to pay correctly for any date: the parties by id, the user's
birth date (døgnsats depends on the child's age on each døgn), the scheme, and the typed terms
(engagement type, pay, expenses, mileage, scope) with the date they apply from.

Version 2 of ContractSigned and ContractAmended carries the terms as `terms.Terms`; version 1 carried
a free dict (and the engagement type beside it) and is upcast on read. Version 3 of ContractAmended
adds `period_to`: the contract's new last day when the amendment moves it (a new vedtak extends a
contract this way); version 2 never moved it and is read with none.

ContractReadyForSignature says a contract waits for the oppdragstaker's signature; it carries no
signing link (see its docstring).

The user's birth date is sealed on the topic under their case id (`application_id`) and reads null
once they are erased; the municipal e-mail address under the oppdragstaker's volunteer id.
"""

from datetime import date
from typing import Any, ClassVar
from uuid import UUID

from brobygger_shared.events.base import IntegrationEvent, integration_event, registry
from brobygger_shared.events.matching import GroupMember
from brobygger_shared.shredding import PersonalData
from brobygger_shared.events.terms import Scheme, Terms, terms_from_v1


class ContractEvent(IntegrationEvent):
    contract_id: UUID
    volunteer_id: UUID
    application_id: UUID  # the user's case
    scheme: Scheme


@integration_event
class ContractSigned(ContractEvent):
    event_type = "ContractSigned"
    event_version = 2
    # sealed under the citizen's case id; null once they are erased
    personal_data: ClassVar[PersonalData] = PersonalData(subject="application_id", fields=("user_birth_date",))

    user_birth_date: date | None
    period_from: date
    period_to: date
    terms: Terms  # valid_from is the contract's first day
    signed_on: date
    # A group assignment's contract covers every member's case (`application_id` first) and names the partner
    # organisation if any; empty and None for one user. New optional fields: older events read as one user's.
    members: list[GroupMember] = []
    partner: str | None = None


@integration_event
class ContractAmended(ContractEvent):
    """New terms from `terms.valid_from`; earlier periods keep the terms they had. With `period_to`, the
    contract now runs to that day (within the vedtak in force)."""

    event_type = "ContractAmended"
    event_version = 3

    terms: Terms
    amended_on: date
    period_to: date | None = None


@integration_event
class ContractTerminated(ContractEvent):
    event_type = "ContractTerminated"

    ends_on: date
    terminated_by: str  # oppdragstaker | kommune | vedtak_slutt
    reason: str


@integration_event
class ContractReadyForSignature(ContractEvent):
    """The contract waits for the oppdragstaker's signature: staff have issued their personal signing link
    (again, when an earlier one was lost), so notifications tells the oppdragstaker.

    It carries no link and no token, on purpose. The single-use signing link (`/signing/{contract_id}/
    {token}` in contracts, `/signering/...` in the gateway) lets whoever holds it read and sign the
    contract without signing in: it is a bearer secret, and a secret on a Kafka topic (kept forever,
    read by every consuming service, copied to dead-letter topics) is no longer one. Staff hand that
    link over themselves; the message that goes out on this event points the oppdragstaker to the
    portal's page for the contract (by `contract_id`), behind their own sign-in (ID-porten)."""

    event_type = "ContractReadyForSignature"
    event_version = 1


@registry.upcaster("ContractSigned", from_version=1)
@registry.upcaster("ContractAmended", from_version=1)
def _typed_terms(v1: dict[str, Any]) -> dict[str, Any]:
    """The v1 terms dict as typed terms; the engagement type it repeated beside them is in the terms."""
    v2 = {key: value for key, value in v1.items() if key != "engagement_type"}
    v2["terms"] = terms_from_v1(v1["terms"])
    return v2


@registry.upcaster("ContractAmended", from_version=2)
def _no_new_end(v2: dict[str, Any]) -> dict[str, Any]:
    """Version 2 amended the terms only: the contract's end stayed where it was."""
    return {**v2, "period_to": None}


@integration_event
class ContractDocumentIssued(ContractEvent):
    """The oppdragsavtale's document was issued: at signing (number 1), and again with each amendment as an
    appendix. For the archive (the journalpost's document) and for notifying the oppdragstaker. The PDF is
    read from contracts (`document_path`) and checked against `sha256`."""

    event_type = "ContractDocumentIssued"
    event_version = 1

    document_number: int
    issued_on: date
    sha256: str
    document_path: str
    user_case_number: str | None = None
    volunteer_case_number: str | None = None


@integration_event
class MunicipalAccountRequested(IntegrationEvent):
    """An oppdragstaker's first contract was signed: the kommune's IT is asked to create their municipal
    account (timesheets and expenses are digital). The address comes back to contracts
    (POST /volunteers/{volunteer_id}/municipal-email) and goes out as MunicipalEmailRecorded."""

    event_type = "MunicipalAccountRequested"

    volunteer_id: UUID
    contract_id: UUID  # the first contract signed
    requested_on: date


@integration_event
class MunicipalEmailRecorded(IntegrationEvent):
    """The municipal e-mail address the kommune's IT created for an oppdragstaker (or a correction of it):
    notifications use it for them from now on."""

    event_type = "MunicipalEmailRecorded"
    # sealed under the oppdragstaker's volunteer id; "slettet" once they are erased
    personal_data: ClassVar[PersonalData] = PersonalData(subject="volunteer_id", fields=("email",))

    volunteer_id: UUID
    email: str
    recorded_on: date
