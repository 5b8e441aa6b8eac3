"""The applications service reads no other service's events (docs/architecture.md): it is where cases begin.
Its own read models follow its own events table (projections.py), not Kafka."""

from brobygger_shared.tracking import TrackingSink


def sinks() -> list[TrackingSink]:
    return []
