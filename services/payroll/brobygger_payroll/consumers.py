"""What the payroll service reads from Kafka: the applications topic, into payees."""

from brobygger_payroll.projections import payees
from brobygger_shared.tracking import ReadModelTracking


def sinks(database_url: str) -> list[ReadModelTracking]:
    return [ReadModelTracking(database_url, payees)]
