"""What the gateway reads from Kafka: every service's topic, into the activity feed."""

from brobygger_gateway.projections import activity
from brobygger_shared.tracking import ReadModelTracking


def sinks(database_url: str) -> list[ReadModelTracking]:
    return [ReadModelTracking(database_url, activity)]
