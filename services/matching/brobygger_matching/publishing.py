"""Domain events -> integration events, for the relay. Who accepted first stays private."""

from functools import singledispatch
from typing import Any

from brobygger_matching.domain import Match
from brobygger_shared.events import matching as published
from brobygger_shared.events.base import IntegrationEvent


@singledispatch
def to_integration_event(domain_event: object) -> IntegrationEvent | None:
    return None


def _match(e: Any) -> dict[str, Any]:
    return {"aggregate_id": e.originator_id, "occurred_at": e.timestamp, "application_id": e.application_id,
            "volunteer_id": e.volunteer_id, "scheme": e.scheme}


@to_integration_event.register
def _(e: Match.Proposed) -> IntegrationEvent:
    return published.MatchProposed(**_match(e), proposed_on=e.proposed_on, expires_on=e.expires_on)


@to_integration_event.register
def _(e: Match.Matched) -> IntegrationEvent:
    return published.VolunteerMatched(**_match(e), scope=e.scope, scope_unit=e.scope_unit, period_from=e.period_from,
                                      period_to=e.period_to, matched_on=e.matched_on,
                                      user_birth_date=e.user_birth_date)


@to_integration_event.register
def _(e: Match.Declined) -> IntegrationEvent:
    return published.MatchDeclined(**_match(e), declined_by=e.declined_by, reason=e.reason,
                                   declined_on=e.declined_on)


PUBLISHES = [published.MatchProposed, published.VolunteerMatched, published.MatchDeclined]
