"""Where the aggregates' events are stored: under topics naming the domain package, as the first
Notification events were stored before the domain became a package, so the stored log still resolves."""

TOPIC_MODULE = "brobygger_notifications.domain"
