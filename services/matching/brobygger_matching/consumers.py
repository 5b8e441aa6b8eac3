"""What matching reads from Kafka: the applications topic (candidates, waiting list), its own topic
(proposals, and the assignments each candidate holds) and the contracts topic (a contract that ends
frees a place), into one set of read models."""

from brobygger_matching.projections import matching
from brobygger_shared.tracking import ReadModelTracking


def sinks(database_url: str) -> list[ReadModelTracking]:
    return [ReadModelTracking(database_url, matching)]
