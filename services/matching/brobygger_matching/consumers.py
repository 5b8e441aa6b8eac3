"""What matching reads from Kafka: the applications topic (candidates, waiting list) and its own topic
(proposals, and the assignments each candidate holds), into one set of read models."""

from brobygger_matching.projections import matching
from brobygger_shared.tracking import ReadModelTracking


def sinks(database_url: str) -> list[ReadModelTracking]:
    return [ReadModelTracking(database_url, matching)]
