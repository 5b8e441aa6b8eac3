"""Integration events published by the applications service (topic brobygger.applications.events)."""

from datetime import date
from typing import Any
from uuid import UUID

from brobygger_shared.events.base import IntegrationEvent, integration_event, registry


@integration_event
class VolunteerApplicationReceived(IntegrationEvent):
    """Someone applied to become støttekontakt, avlaster or besøkshjem.

    Carries what matching and contracts need to know about the would-be oppdragstaker; the name is
    here because staff must find the person, the identity number is not (it stays in applications).

    v2 replaced the single optional `language` of v1 with the list `languages`.
    """

    event_type = "VolunteerApplicationReceived"
    event_version = 2

    volunteer_id: UUID
    full_name: str
    birth_date: date
    roles: list[str]
    area: str
    interests: list[str] = []
    languages: list[str] = []
    has_driving_licence: bool = False
    has_car: bool = False
    has_spare_bedroom: bool = False


@registry.upcaster("VolunteerApplicationReceived", from_version=1)
def _volunteer_application_received_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    language = data.pop("language", None)
    return {**data, "languages": [language] if language else []}
