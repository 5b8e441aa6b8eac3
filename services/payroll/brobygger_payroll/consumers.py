"""What payroll reads from Kafka: the applications topic (the people pay lines name) and the contracts
topic (terms by date, engagement type, the user's birth date)."""

from brobygger_payroll.projections import contracts
from brobygger_shared.tracking import ReadModelTracking


def sinks(database_url: str) -> list[ReadModelTracking]:
    return [ReadModelTracking(database_url, contracts)]
