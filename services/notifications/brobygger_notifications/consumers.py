"""What notifications reads from Kafka:

- applications, matching, contracts (a contract ready for the oppdragstaker's signature) and payroll (a
  returned timesheet), answered with Notification (and Contact) events recorded together with the
  library's tracking record, in one transaction (`application.policy`);
- contracts and payroll, into the read model the scheduler works out timesheet reminders from.
"""

from brobygger_notifications.application import NotificationsApplication
from brobygger_notifications.application.policy import policy
from brobygger_notifications.projections import reminders
from brobygger_shared.topics import events_topic
from brobygger_shared.tracking import AggregateTracking, ReadModelTracking

ASKING = [events_topic(service) for service in ("applications", "matching", "contracts", "payroll")]


def sinks(app: NotificationsApplication, database_url: str) -> list:
    return [AggregateTracking(app, ASKING, policy), ReadModelTracking(database_url, reminders)]
