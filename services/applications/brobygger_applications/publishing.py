"""Domain events -> integration events, for the relay. Anything not mapped stays private."""

from functools import singledispatch

from brobygger_applications.domain import VolunteerApplication
from brobygger_shared.events.applications import VolunteerApplicationReceived
from brobygger_shared.events.base import IntegrationEvent


@singledispatch
def to_integration_event(domain_event: object) -> IntegrationEvent | None:
    return None


@to_integration_event.register
def _(domain_event: VolunteerApplication.Received) -> IntegrationEvent:
    return VolunteerApplicationReceived(
        aggregate_id=domain_event.originator_id,
        occurred_at=domain_event.timestamp,
        volunteer_id=domain_event.volunteer_id,
        full_name=domain_event.full_name,
        birth_date=domain_event.birth_date,
        roles=domain_event.roles,
        area=domain_event.area,
        interests=domain_event.interests,
        languages=domain_event.languages,
        has_driving_licence=domain_event.has_driving_licence,
        has_car=domain_event.has_car,
        has_spare_bedroom=domain_event.has_spare_bedroom,
    )


PUBLISHES = [VolunteerApplicationReceived]
