"""The notifications service's Application, and its policy for the events it consumes."""

from collections.abc import Iterable
from uuid import NAMESPACE_URL, uuid5

from brobygger_notifications.domain import RECEIPT_TEMPLATE, Notification
from brobygger_shared.delivery import Delivered
from brobygger_shared.events.applications import VolunteerApplicationReceived
from brobygger_shared.eventstore import ProcessingServiceApplication


class NotificationsApplication(ProcessingServiceApplication):
    def requested_notifications(self, limit: int = 1000) -> list[dict]:
        """The notifications requested so far, oldest first, straight from the event log."""
        notifications = self.recorder.select_notifications(start=1, limit=limit, topics=[_REQUESTED_TOPIC])
        result = []
        for notification in notifications:
            requested = self.mapper.to_domain_event(notification)
            result.append({
                "notification_id": requested.originator_id,
                "recipient_id": requested.recipient_id,
                "template": requested.template,
                "caused_by": requested.caused_by,
                "requested_at": requested.timestamp,
            })
        return result


def policy(app: NotificationsApplication, delivered: Delivered) -> Iterable[Notification]:
    """A receipt to everyone whose application to become an oppdragstaker was received."""
    if isinstance(delivered.event, VolunteerApplicationReceived):
        # The id is derived from the event, so a redelivered event cannot notify twice.
        yield Notification(
            id=uuid5(NAMESPACE_URL, f"receipt:{delivered.meta.event_id}"),
            recipient_id=delivered.event.volunteer_id,
            template=RECEIPT_TEMPLATE,
            caused_by=delivered.meta.event_id,
        )


def _topic_of(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


_REQUESTED_TOPIC = _topic_of(Notification.Requested)
