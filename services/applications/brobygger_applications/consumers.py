"""What this service reads from Kafka: its own topic, into the caseworkers' list."""

from brobygger_applications.projections import volunteer_applications
from brobygger_shared.tracking import ReadModelTracking


def sinks(database_url: str) -> list[ReadModelTracking]:
    return [ReadModelTracking(database_url, volunteer_applications)]
