"""What matching reads from Kafka: the applications topic, into its candidates."""

from brobygger_matching.projections import candidates
from brobygger_shared.tracking import ReadModelTracking


def sinks(database_url: str) -> list[ReadModelTracking]:
    return [ReadModelTracking(database_url, candidates)]
