"""Prometheus metrics every service exposes at /metrics."""

from prometheus_client import Counter, Gauge, Histogram

RELAY_BACKLOG = Gauge(
    "brobygger_relay_backlog_events", "Events in the outbox not yet published", ["topic"]
)
RELAY_PUBLISHED = Counter("brobygger_relay_published_total", "Integration events published", ["topic"])
RELAY_REPUBLISHES = Counter(
    "brobygger_relay_republish_total", "Times the relay found the broker had lost data", ["topic"]
)
CONSUMER_LAG = Gauge(
    "brobygger_consumer_lag_messages", "Messages on a partition not yet consumed", ["topic", "partition"]
)
HANDLER_LATENCY = Histogram(
    "brobygger_handler_seconds",
    "Time to apply one partition batch, transaction included",
    ["topic"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
MESSAGES_APPLIED = Counter("brobygger_consumer_applied_total", "Messages applied", ["topic"])
DUPLICATES_SKIPPED = Counter("brobygger_consumer_duplicates_total", "Duplicate messages skipped", ["topic"])
UNKNOWN_SKIPPED = Counter(
    "brobygger_consumer_unknown_total", "Messages of unknown event type or version skipped", ["topic", "event_type"]
)
DLQ_MESSAGES = Counter("brobygger_consumer_dlq_total", "Messages sent to the dead-letter topic", ["topic"])
PARTITION_REWINDS = Counter(
    "brobygger_consumer_rewinds_total", "Partitions re-read from the start after a gap", ["topic"]
)
LOCAL_PROJECTION_SKIPPED = Counter(
    "brobygger_local_projection_skipped_total",
    "Events a local read model could not store, skipped and kept in local_dead_letters",
    ["projection"],
)
