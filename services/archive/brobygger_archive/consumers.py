"""What the archive reads from Kafka: the applications and contracts topics, answered with Saksmappe and
ArchiveRecord events recorded together with the library's tracking record, in one transaction per
partition batch (`application.policy`).

A batch is one unit of work: a saksmappe opened by the first event of a batch is there for the next event
of the same batch (a søknad and its letter often arrive together), and nothing of a batch is kept if its
transaction fails, so the batch is planned again from the stored mark.
"""

import asyncio
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, ProcessingEvent
from eventsourcing.persistence import Tracking

from brobygger_archive.application import ArchiveApplication
from brobygger_archive.application.filing import Filing
from brobygger_archive.application.policy import Unit, policy
from brobygger_shared.eventstore import stamp_trace
from brobygger_shared.topics import events_topic
from brobygger_shared.tracing import Trace
from brobygger_archive.projections import erasures
from brobygger_shared.tracking import AggregateTracking, Planner, ReadModelTracking
from brobygger_shared.delivery import Plan


class BatchTracking(AggregateTracking):
    """AggregateTracking whose policy sees, through a `Unit`, what earlier events of the batch made."""

    async def apply(self, topic: str, partition: int, planner: Planner) -> Plan:
        return await asyncio.to_thread(self._apply_batch, topic, partition, planner)

    def _apply_batch(self, topic: str, partition: int, planner: Planner) -> Plan:
        tracking_name = f"{topic}:{partition}"
        mark = self.app.recorder.max_tracking_id(tracking_name) or 0
        plan = planner(mark)
        if plan.mark > mark:
            made: dict[UUID, object] = {}

            def get(aggregate_id: UUID):
                if aggregate_id in made:
                    return made[aggregate_id]
                try:
                    return self.app.repository.get(aggregate_id)
                except AggregateNotFoundError:
                    return None

            unit = Unit(get)
            processing = ProcessingEvent(tracking=Tracking(tracking_name, plan.mark))
            for delivered in plan.apply:
                trace = Trace(delivered.meta.correlation_id, str(delivered.meta.event_id))
                for aggregate in self.policy(unit, delivered):
                    made[aggregate.id] = aggregate
                    events = aggregate.collect_events()
                    for event in events:
                        stamp_trace(event, trace)
                    processing.collect_events(*events)
            self.app.events.put(processing.events, tracking=processing.tracking)
        return plan


def sinks(app: ArchiveApplication, filing: Filing, database_url: str) -> list:
    return [BatchTracking(app, [events_topic("applications"), events_topic("contracts")], policy(filing)),
            ReadModelTracking(database_url, erasures)]
