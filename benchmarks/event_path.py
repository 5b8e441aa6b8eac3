"""Benchmark of the event path, printed as numbers (not a test).

1. Commit-to-projection latency at a steady 50 commands/s: POST /volunteer-applications to the
   applications service; latency = the candidate row's projected_at in matching minus the event's
   timestamp (taken just before the commit), both from this machine's clock.
2. Sustained rate relay -> Kafka -> projection: N events are written to the applications events
   table while the service is stopped; it starts, and the rate is N over the time between the first
   and the last candidate row projected in matching.
3. In the same run, the raw limits for the same messages and rows: aiokafka producing and consuming
   them concurrently (acks=all), and asyncpg inserting the rows in batches (executemany), alone.

All of it twice, on a fresh stack each time: with PostgreSQL durable (its default fsync and
synchronous commit, as `make dev` runs) and not durable (fsync=off, synchronous_commit=off, as the
test stack runs), each beside the raw limits measured on that same server.

    python -m benchmarks.event_path [--commands 500] [--events 20000] [--durability both|on|off]
"""

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from uuid import uuid4

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from brobygger_applications.application import ApplicationsApplication
from brobygger_applications.domain import VolunteerApplication
from brobygger_applications.main import ApplicationsSettings
from brobygger_applications.publishing import to_integration_event
from brobygger_shared.auth import CASEWORKER
from brobygger_shared.identity import synthetic_identity_number
from brobygger_dev.testing import staff_headers
from brobygger_shared.messages import Envelope
from brobygger_dev.runtime.stack import Stack, database_name, with_database
from brobygger_shared.topics import ensure_topics
from tests.integration.flows import volunteer_form


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def steady_commands(stack: Stack, count: int, per_second: float) -> list[str]:
    """POST `count` applications at a steady rate; returns the volunteer ids."""
    url = f"{stack.services['applications'].url}/volunteer-applications"
    ids = []
    rng = random.Random(1)
    with httpx.Client(timeout=10) as http:
        start = time.perf_counter()
        for index in range(count):
            delay = start + index / per_second - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            response = http.post(url, json=volunteer_form(rng), headers=staff_headers(CASEWORKER))
            response.raise_for_status()
            ids.append(response.json()["volunteer_id"])
    return ids


async def projected(matching_url: str, volunteer_ids: list[str], timeout: float = 120) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(matching_url)
    try:
        deadline = time.monotonic() + timeout
        while True:
            rows = await connection.fetch(
                "SELECT since, projected_at FROM candidates WHERE volunteer_id = ANY($1::uuid[])", volunteer_ids
            )
            if len(rows) == len(volunteer_ids) or time.monotonic() > deadline:
                return rows
            await asyncio.sleep(0.2)
    finally:
        await connection.close()


def make_aggregates(count: int) -> list[VolunteerApplication]:
    rng = random.Random(2)
    aggregates = []
    for _ in range(count):
        birth_date = date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
        aggregates.append(VolunteerApplication(
            id=uuid4(), volunteer_id=uuid4(), national_id=synthetic_identity_number(birth_date, rng.randint(0, 899)),
            full_name="Testperson Benchmark", birth_date=birth_date, roles=["støttekontakt"], area="Sentrum",
            interests=["kino", "turer"], languages=["norsk"], has_driving_licence=True, has_car=False,
            has_spare_bedroom=False, commitment_acknowledged=True,
        ))
    return aggregates


def write_events(stack: Stack, aggregates: list[VolunteerApplication]) -> list:
    settings = ApplicationsSettings(database_url=with_database(stack.postgres_url, database_name("applications")))
    app = ApplicationsApplication(settings)
    domain_events = []
    try:
        for start in range(0, len(aggregates), 500):
            batch = aggregates[start:start + 500]
            pending = [event for aggregate in batch for event in aggregate.pending_events]
            domain_events += pending
            app.save(*batch)
    finally:
        app.close()
    return domain_events


async def raw_kafka(bootstrap: str, envelopes: list[Envelope]) -> float:
    topic = f"bench.raw.{uuid4().hex[:8]}"
    await ensure_topics(bootstrap, [topic], 4)
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                                group_id=f"bench-{uuid4()}", fetch_max_wait_ms=20, max_poll_records=1000)
    await consumer.start()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=1, max_batch_size=256 * 1024)
    await producer.start()
    await asyncio.sleep(6)  # let the group join settle before the clock starts

    async def produce():
        futures = [await producer.send(topic, e.value, key=e.key, headers=e.headers) for e in envelopes]
        await asyncio.gather(*futures)

    async def consume():
        received = 0
        while received < len(envelopes):
            batches = await consumer.getmany(timeout_ms=100, max_records=1000)
            received += sum(len(records) for records in batches.values())

    started = time.perf_counter()
    await asyncio.gather(produce(), consume())
    elapsed = time.perf_counter() - started
    await producer.stop()
    await consumer.stop()
    return len(envelopes) / elapsed


async def raw_postgres(database_url: str, events: list) -> float:
    connection = await asyncpg.connect(database_url)
    table = f"bench_raw_{uuid4().hex[:8]}"
    await connection.execute(
        f"CREATE TABLE {table} (volunteer_id uuid PRIMARY KEY, application_id uuid, full_name text, birth_date date,"
        " roles text[], area text, interests text[], languages text[], has_car boolean, has_spare_bedroom boolean,"
        " stage text, since timestamptz, projected_at timestamptz DEFAULT clock_timestamp())"
    )
    rows = [(e.volunteer_id, e.aggregate_id, e.full_name, e.birth_date, e.roles, e.area, e.interests, e.languages,
             e.has_car, e.has_spare_bedroom, "søkt", e.occurred_at) for e in events]
    started = time.perf_counter()
    for start in range(0, len(rows), 1000):
        async with connection.transaction():
            await connection.executemany(
                f"INSERT INTO {table} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                rows[start:start + 1000],
            )
    elapsed = time.perf_counter() - started
    await connection.execute(f"DROP TABLE {table}")
    await connection.close()
    return len(rows) / elapsed


def measure(args: argparse.Namespace, durable: bool) -> dict:
    """One whole run on a fresh embedded stack: the event path, then the raw limits on the same server."""
    with tempfile.TemporaryDirectory(prefix="brobygger-bench-") as var:
        stack = Stack.from_environment(Path(var), services=("applications", "matching"), durable=durable)
        print(f"starting the embedded stack (applications, matching), {_mode(durable)} ...", flush=True)
        stack.start()
        matching_db = with_database(stack.postgres_url, database_name("matching"))
        try:
            print(f"latency: {args.commands} commands at 50/s ...", flush=True)
            ids = steady_commands(stack, args.commands, per_second=50)
            rows = asyncio.run(projected(matching_db, ids))
            latencies = [(row["projected_at"] - row["since"]).total_seconds() * 1000 for row in rows]

            print(f"sustained: {args.events} events written while applications is stopped ...", flush=True)
            stack.stop_service("applications")
            aggregates = make_aggregates(args.events)
            domain_events = write_events(stack, aggregates)
            stack.start_service("applications")
            volunteer_ids = [str(aggregate.volunteer_id) for aggregate in aggregates]
            rows = asyncio.run(projected(matching_db, volunteer_ids, timeout=600))
            times = sorted(row["projected_at"] for row in rows)
            sustained = len(rows) / max((times[-1] - times[0]).total_seconds(), 1e-9)
            for fraction in (0.01, 0.1, 0.5, 0.9, 0.99):
                print(f"    {fraction:4.0%} projected after {(times[int(fraction * len(times))] - times[0]).total_seconds():6.2f} s")

            integration_events = [to_integration_event(event) for event in domain_events]
            envelopes = [Envelope(e, "applications", i, i - 1, "bench", "bench")
                         for i, e in enumerate(integration_events, start=1)]
            print("raw limits on the same messages and rows ...", flush=True)
            kafka_rate = asyncio.run(raw_kafka(stack.kafka_bootstrap_servers, envelopes))
            postgres_rate = asyncio.run(raw_postgres(matching_db, integration_events))
        finally:
            stack.stop()
    return {"durable": durable, "commands": len(ids), "latencies": latencies, "sustained": sustained,
            "events": len(rows), "kafka_rate": kafka_rate, "postgres_rate": postgres_rate}


def _mode(durable: bool) -> str:
    return ("durable (PostgreSQL defaults: fsync, synchronous commit), as make dev runs" if durable
            else "NOT durable (fsync=off, synchronous_commit=off), as the test stack runs")


def report(result: dict) -> None:
    latencies, sustained = result["latencies"], result["sustained"]
    kafka_rate, postgres_rate = result["kafka_rate"], result["postgres_rate"]
    raw_limit = min(kafka_rate, postgres_rate)
    print()
    print(f"event path, {_mode(result['durable'])}:")
    print("  HTTP -> applications -> relay -> Kafka -> matching projection")
    print(f"  commit-to-projection latency at 50 commands/s ({len(latencies)} of {result['commands']} projected):")
    print(f"    p50 {statistics.median(latencies):7.1f} ms   p99 {percentile(latencies, 0.99):7.1f} ms   "
          f"max {max(latencies):7.1f} ms   (target p99 <= 100 ms)")
    print(f"  sustained relay -> Kafka -> projection: {sustained:9.0f} events/s ({result['events']} events)")
    print(f"  raw aiokafka produce+consume (same messages): {kafka_rate:9.0f} msgs/s   "
          f"ratio {sustained / kafka_rate:6.1%}")
    print(f"  raw asyncpg insert (same rows, batches of 1000, same server): {postgres_rate:9.0f} rows/s   "
          f"ratio {sustained / postgres_rate:6.1%}")
    print(f"  sustained / raw limit (the slower of the two): {sustained / raw_limit:6.1%}   (target >= 50 %)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=500, help="commands at 50/s for the latency run")
    parser.add_argument("--events", type=int, default=20000, help="events for the sustained-rate run")
    parser.add_argument("--durability", choices=("both", "on", "off"), default="both",
                        help="PostgreSQL durable (make dev), not durable (the test stack), or both, one after the other")
    args = parser.parse_args()

    modes = {"both": (True, False), "on": (True,), "off": (False,)}[args.durability]
    results = [measure(args, durable) for durable in modes]
    for result in results:
        report(result)


if __name__ == "__main__":
    main()
