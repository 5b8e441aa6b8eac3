"""What notifications reads from Kafka: the applications topic, answered with Notification events
recorded together with the library's tracking record (one transaction)."""

from brobygger_notifications.application import NotificationsApplication, policy
from brobygger_shared.topics import events_topic
from brobygger_shared.tracking import AggregateTracking


def sinks(app: NotificationsApplication) -> list[AggregateTracking]:
    return [AggregateTracking(app, [events_topic("applications")], policy)]
