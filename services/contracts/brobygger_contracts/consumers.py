"""What the contracts service reads from Kafka: the applications topic, into what it knows of each
oppdragstaker and of the vedtak in force in each case; and matching's topic, where an accepted match becomes a contract draft (recorded with
the library's tracking, in one transaction)."""

from brobygger_contracts.application import ContractsApplication, draft_on_match
from brobygger_contracts.projections import case_numbers, rate_tables, vedtak, volunteers
from brobygger_shared.topics import events_topic
from brobygger_shared.tracking import AggregateTracking, ReadModelTracking, TrackingSink


def sinks(app: ContractsApplication, database_url: str) -> list[TrackingSink]:
    return [
        ReadModelTracking(database_url, volunteers),
        ReadModelTracking(database_url, rate_tables),
        ReadModelTracking(database_url, vedtak),
        ReadModelTracking(database_url, case_numbers),
        AggregateTracking(app, [events_topic("matching")], draft_on_match, name="drafts"),
    ]
