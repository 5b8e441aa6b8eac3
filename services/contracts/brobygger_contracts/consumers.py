"""What the contracts service reads from Kafka: the applications topic, into volunteers."""

from brobygger_contracts.projections import volunteers
from brobygger_shared.tracking import ReadModelTracking


def sinks(database_url: str) -> list[ReadModelTracking]:
    return [ReadModelTracking(database_url, volunteers)]
