"""What the applications service reads from Kafka: contracts' and payroll's topics, into what still
needs a person's data (`projections.obligations`: contracts not ended, timesheets not paid), which
erasing a person checks first (docs/architecture.md). Its case read models follow its own events table
(projections.py), not Kafka.
"""

from brobygger_applications.projections import obligations
from brobygger_shared.tracking import ReadModelTracking, TrackingSink


def sinks(database_url: str) -> list[TrackingSink]:
    return [ReadModelTracking(database_url, obligations)]
