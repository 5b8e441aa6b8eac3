"""The notifications service's aggregates and rules. Pure: no I/O, no frameworks.

- `notification`: one message to one person (Notification): requested, then sent, failed and tried
  again with backoff, handed to staff (a reserved person's important letter goes by post; a message
  that failed its last try), or skipped (no contact details for a message that is not a letter).
- `contact`: the contact details a person gave for notices (Contact), kept here alone, so that erasing
  them is erasing one aggregate.
- `kinds`: what is sent: each kind of message, to whom, whether it is an important letter (the kommune
  must respect reservation against digital contact), and its template.
- `reminders`: which reminders are due on a day (pure), each under the key that makes it decided once.

The aggregates' events are stored under topics naming this package (`brobygger_notifications.domain:
Notification.Requested`, from before the domain was a package).
"""

from brobygger_notifications.domain.contact import Contact, contact_id
from brobygger_notifications.domain.kinds import KINDS, RECEIPT_TEMPLATE, Audience, Kind, MessageKind
from brobygger_notifications.domain.notification import (
    Backoff,
    Channel,
    Notification,
    NotificationStatus,
    StaffTask,
)
from brobygger_notifications.domain.reminders import (
    ActiveContract,
    OpenProposal,
    Overdue,
    Reminder,
    daily_digest,
    lapsing_proposals,
    timesheet_reminders,
)

__all__ = [
    "KINDS", "RECEIPT_TEMPLATE", "ActiveContract", "Audience", "Backoff", "Channel", "Contact", "Kind",
    "MessageKind", "Notification", "NotificationStatus", "OpenProposal", "Overdue", "Reminder", "StaffTask",
    "contact_id", "daily_digest", "lapsing_proposals", "timesheet_reminders",
]
