"""Domain events -> integration events, for the relay. Drafts, signatures and the PDF stay private."""

from functools import singledispatch
from typing import Any

from brobygger_contracts.domain import Contract
from brobygger_shared.events import contracts as published
from brobygger_shared.events.base import IntegrationEvent


@singledispatch
def to_integration_event(domain_event: object) -> IntegrationEvent | None:
    return None


def _contract(e: Any) -> dict[str, Any]:
    return {"aggregate_id": e.originator_id, "occurred_at": e.timestamp, "contract_id": e.originator_id,
            "volunteer_id": e.volunteer_id, "application_id": e.application_id, "scheme": e.scheme}


@to_integration_event.register
def _(e: Contract.Signed) -> IntegrationEvent:
    return published.ContractSigned(
        **_contract(e), user_birth_date=e.user_birth_date, engagement_type=e.terms["engagement_type"],
        period_from=e.period_from, period_to=e.period_to, terms=e.terms, signed_on=e.signed_on,
    )


@to_integration_event.register
def _(e: Contract.Amended) -> IntegrationEvent:
    return published.ContractAmended(**_contract(e), engagement_type=e.terms["engagement_type"], terms=e.terms,
                                     amended_on=e.amended_on)


@to_integration_event.register
def _(e: Contract.Terminated) -> IntegrationEvent:
    return published.ContractTerminated(**_contract(e), ends_on=e.ends_on, terminated_by=e.terminated_by,
                                        reason=e.reason)


PUBLISHES = [published.ContractSigned, published.ContractAmended, published.ContractTerminated]
