"""Integration events published by the contracts service (topic brobygger.contracts.events).

They carry everything payroll needs to pay correctly for any date: the parties by id, the user's
birth date (døgnsats depends on the child's age on each døgn), the scheme, the engagement type, and
the pay and expense terms with the date they apply from.
"""

from datetime import date
from typing import Any
from uuid import UUID

from brobygger_shared.events.base import IntegrationEvent, integration_event


class ContractEvent(IntegrationEvent):
    contract_id: UUID
    volunteer_id: UUID
    application_id: UUID  # the user's case
    scheme: str


@integration_event
class ContractSigned(ContractEvent):
    event_type = "ContractSigned"

    user_birth_date: date
    engagement_type: str  # arbeidstaker | oppdragstaker
    period_from: date
    period_to: date
    terms: dict[str, Any]  # pay, expenses, mileage, scope, valid_from
    signed_on: date


@integration_event
class ContractAmended(ContractEvent):
    """New terms from `terms.valid_from`; earlier periods keep the terms they had."""

    event_type = "ContractAmended"

    engagement_type: str
    terms: dict[str, Any]
    amended_on: date


@integration_event
class ContractTerminated(ContractEvent):
    event_type = "ContractTerminated"

    ends_on: date
    terminated_by: str  # oppdragstaker | kommune | vedtak_slutt
    reason: str
