"""Benchmark of the analyst replay, printed as numbers (not a test).

Generates N synthetic integration events (the kernel's models, framed as a relay frames them) on an
embedded Tansu of its own, then, in the same run and each in a fresh process:
1. a raw aiokafka consume of the same topics (assign, seek to the beginning, read to the end offsets,
   touch each record's headers and value): the limit of reading the log from Python;
2. the replay (`brobygger_analytics.replay`) into a DuckDB file.
Both are run --rounds times, alternated, and the median round of each is printed: events/s of both,
their ratio (target: replay >= 100,000 events/s and >= 50 % of raw), the same per CPU-second (the
fairer figure on a machine other work keeps busy), the peak memory (max RSS) of each process, and the
broker's memory (Tansu keeps every message in memory, about 1 byte per payload byte).

    python -m benchmarks.analytics [--events 1000000] [--rounds 3]
"""

import argparse
import asyncio
import multiprocessing
import os
import random
import resource
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import UUID

import psutil
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from brobygger_shared.events.applications import (
    ApplicationDecided, ApplicationReceived, InterviewCompleted, PoliceCertificateVerified,
    VolunteerApplicationReceived, VolunteerApproved,
)
from brobygger_shared.events.contracts import ContractSigned
from brobygger_shared.events.matching import MatchDeclined, MatchProposed, VolunteerMatched
from brobygger_shared.events.payroll import TimesheetApproved, TimesheetSubmitted
from brobygger_shared.events.terms import Terms
from brobygger_shared.messages import Envelope
from brobygger_dev.runtime.tansu import Tansu
from brobygger_shared.topics import all_topics, ensure_topics, events_topic, partition_for

PARTITIONS = 4
SCHEMES = ["støttekontakt", "støttekontakt", "privat_avlastning", "besøkshjem"]
TERMS = Terms.model_validate({
    "engagement_type": "oppdragstaker", "scope": 4, "scope_unit": "timer_per_uke",
    "hourly_pay": {"kind": "fast_timesats", "ore": 21_500}, "dogn_pay": None,
    "expenses": {"kind": "fast_per_måned", "ore": 50_000}, "mileage_covered": True, "notice_period_days": 14,
    "valid_from": date(2025, 1, 1)})


def synthetic_events(count: int, seed: int = 11):
    """(service, event) pairs: for each case a søknad, a vedtak, a volunteer's way to approval, a declined
    and an accepted proposal, a contract and a year of monthly timesheets (about 36 events a case)."""
    rng = random.Random(seed)
    produced = 0
    start = datetime(2025, 1, 1, 12, tzinfo=UTC)
    while produced < count:
        case, person, volunteer, application = (UUID(int=rng.getrandbits(128)) for _ in range(4))
        scheme = rng.choice(SCHEMES)
        day = start + timedelta(days=rng.randint(0, 300))
        on = day.date()
        common = {"aggregate_id": case, "scheme": scheme, "is_barnevern": scheme == "besøkshjem"}
        vol = {"aggregate_id": application, "volunteer_id": volunteer}
        born = date(rng.randint(2008, 2020), rng.randint(1, 12), rng.randint(1, 28))
        batch = [
            ("applications", ApplicationReceived(occurred_at=day, **common, person_id=person, birth_date=born,
                                                 area="Sentrum", interests=["fotball", "kino"], received_on=on)),
            ("applications", ApplicationDecided(occurred_at=day + timedelta(days=14), **common, decision_number=1,
                                                granted=True, scope=4, scope_unit="timer_per_uke", period_from=on,
                                                period_to=on + timedelta(days=365), legal_basis="hol § 3-2",
                                                decided_on=on + timedelta(days=14))),
            ("applications", VolunteerApplicationReceived(occurred_at=day, **vol, full_name="Syntetisk Person",
                                                          birth_date=date(1980, 1, 1), roles=["støttekontakt"],
                                                          area="Nord", languages=["norsk"])),
            ("applications", InterviewCompleted(occurred_at=day, **vol, held_on=on, assessment="egnet")),
            ("applications", PoliceCertificateVerified(occurred_at=day, **vol, kind="ordinær", issued_on=on,
                                                       verified_on=on)),
            ("applications", VolunteerApproved(occurred_at=day, **vol, roles=["støttekontakt"], approved_on=on,
                                               certificate_kind="ordinær", certificate_issued_on=on)),
        ]
        match = {"application_id": case, "volunteer_id": volunteer, "scheme": scheme}
        declined, accepted = UUID(int=rng.getrandbits(128)), UUID(int=rng.getrandbits(128))
        matched_on = on + timedelta(days=rng.randint(20, 90))
        batch += [
            ("matching", MatchProposed(occurred_at=day, aggregate_id=declined, **match, proposed_on=on,
                                       expires_on=on + timedelta(days=14))),
            ("matching", MatchDeclined(occurred_at=day, aggregate_id=declined, **match, declined_by="bruker",
                                       reason="Ønsker en annen", declined_on=on)),
            ("matching", MatchProposed(occurred_at=day, aggregate_id=accepted, **match, proposed_on=matched_on,
                                       expires_on=matched_on + timedelta(days=14))),
            ("matching", VolunteerMatched(occurred_at=day, aggregate_id=accepted, **match, user_birth_date=born,
                                          scope=4, scope_unit="timer_per_uke", period_from=matched_on,
                                          period_to=on + timedelta(days=365), matched_on=matched_on)),
        ]
        contract = UUID(int=rng.getrandbits(128))
        batch.append(("contracts", ContractSigned(
            occurred_at=day, aggregate_id=contract, contract_id=contract, volunteer_id=volunteer, application_id=case,
            scheme=scheme, user_birth_date=born, period_from=matched_on, period_to=on + timedelta(days=365),
            terms=TERMS, signed_on=matched_on)))
        for month in range(12):
            period = f"{2025 + (month + 1) // 12}-{(month + 1) % 12 + 1:02d}"
            sheet = UUID(int=rng.getrandbits(128))
            sheet_fields = {"aggregate_id": sheet, "contract_id": contract, "volunteer_id": volunteer,
                            "period": period}
            batch += [
                ("payroll", TimesheetSubmitted(occurred_at=day, **sheet_fields, entries=4,
                                               hours=round(rng.uniform(8, 20), 1), dogn=0)),
                ("payroll", TimesheetApproved(occurred_at=day, **sheet_fields, approved_on=on)),
            ]
        yield from batch[: count - produced]
        produced += len(batch)


async def publish(bootstrap: str, count: int) -> tuple[int, int]:
    """Publish `count` events; returns (messages, payload bytes)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=False, linger_ms=20,
                                max_batch_size=512 * 1024, max_request_size=8 * 1024 * 1024)
    await producer.start()
    positions: dict[str, int] = {}
    payload = 0
    pending = []
    try:
        for service, event in synthetic_events(count):
            position = positions.get(service, 0) + 1
            positions[service] = position
            envelope = Envelope(event, service, position, position - 1, "bench", "")
            value = envelope.value
            payload += len(value)
            key = envelope.key
            pending.append(await producer.send(events_topic(service), value, key=key, headers=envelope.headers,
                                               partition=partition_for(key, PARTITIONS)))
            if len(pending) >= 20_000:
                await asyncio.gather(*pending)
                pending.clear()
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return sum(positions.values()), payload


async def raw_consume(bootstrap: str) -> tuple[int, float]:
    """Read every events topic to its end offsets, touching each record's headers and value."""
    started = time.perf_counter()
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                                fetch_max_wait_ms=20, fetch_max_bytes=64 * 1024 * 1024,
                                max_partition_fetch_bytes=16 * 1024 * 1024)
    await consumer.start()
    count = 0
    try:
        topics = [topic for topic in await consumer.topics() if topic.endswith(".events")]
        partitions = [TopicPartition(t, p) for t in topics for p in consumer.partitions_for_topic(t) or ()]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        waiting = {tp for tp in partitions if ends[tp] > 0}
        while True:  # to the end offsets, then until a fetch brings nothing (as the replay reads)
            fetched = await consumer.getmany(timeout_ms=200 if waiting else 500, max_records=20_000)
            if not fetched and not waiting:
                break
            for tp, records in fetched.items():
                for record in records:
                    headers, value = dict(record.headers), record.value  # noqa: F841 - touched, as a reader would
                    count += 1
                if records[-1].offset + 1 >= ends[tp]:
                    waiting.discard(tp)
    finally:
        await consumer.stop()
    return count, time.perf_counter() - started


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _raw_process(bootstrap: str, results) -> None:
    started = _cpu_seconds()
    count, seconds = asyncio.run(raw_consume(bootstrap))
    results.put(("raw", count, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                 _cpu_seconds() - started))


def _replay_process(bootstrap: str, out: str, results) -> None:
    from brobygger_analytics.replay import replay

    started = _cpu_seconds()
    result = replay(bootstrap, Path(out), b"benchmark-pseudonym-key")
    results.put(("replay", result.total, result.seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                 _cpu_seconds() - started, result.read.seconds, result.loading_seconds, result.read.waiting_seconds))


def in_process(target, *args) -> tuple:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=target, args=(*args, results))
    process.start()
    outcome = results.get()
    process.join()
    return outcome


def mib(value: float) -> str:
    return f"{value / 2**20:,.0f} MiB".replace(",", " ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3, help="raw consume and replay, alternated")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        broker = Tansu(Path(folder) / "tansu.log")
        broker.start()
        try:
            bootstrap = broker.bootstrap_servers
            asyncio.run(ensure_topics(bootstrap, all_topics(), PARTITIONS))
            print(f"publishing {args.events:,} synthetic events ...", flush=True)
            started = time.perf_counter()
            messages, payload = asyncio.run(publish(bootstrap, args.events))
            published = time.perf_counter() - started
            print(f"  {messages:,} messages, {mib(payload)} of payload in {published:.1f} s "
                  f"({messages / published:,.0f} msgs/s); broker RSS {mib(psutil.Process(broker._process.pid).memory_info().rss)}",
                  flush=True)
            raws, replays = [], []
            for round_number in range(1, args.rounds + 1):  # alternated: a busy machine slows both alike
                raws.append(in_process(_raw_process, bootstrap))
                replays.append(in_process(_replay_process, bootstrap, str(Path(folder) / "a.duckdb")))
                print(f"  round {round_number}: raw {raws[-1][1] / raws[-1][2]:,.0f} events/s, "
                      f"replay {replays[-1][1] / replays[-1][2]:,.0f} events/s", flush=True)
            broker_rss = psutil.Process(broker._process.pid).memory_info().rss
            size = (Path(folder) / "a.duckdb").stat().st_size
        finally:
            broker.stop()
    raw = sorted(raws, key=lambda r: r[1] / r[2])[len(raws) // 2]  # the median round of each
    rep = sorted(replays, key=lambda r: r[1] / r[2])[len(replays) // 2]
    _, raw_count, raw_seconds, raw_rss, raw_cpu = raw
    _, events, seconds, rss, cpu, read_seconds, loading_seconds, waiting_seconds = rep
    raw_rate, rate = raw_count / raw_seconds, events / seconds
    print()
    print(f"analyst replay, {events:,} events on {PARTITIONS} partitions of each events topic "
          f"(median of {args.rounds} rounds; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):")
    print(f"  raw aiokafka consume: {raw_rate:10,.0f} events/s  ({raw_count:,} in {raw_seconds:.1f} s; "
          f"CPU {raw_cpu:.1f} s, {raw_count / raw_cpu:,.0f} events per CPU-second; peak RSS {mib(raw_rss)})")
    print(f"  replay into DuckDB:   {rate:10,.0f} events/s  ({events:,} in {seconds:.1f} s, reading done after "
          f"{read_seconds:.1f} s; CPU {cpu:.1f} s, {events / cpu:,.0f} events per CPU-second; peak RSS {mib(rss)}; "
          f"file {mib(size)})")
    print(f"    the loader thread was busy {loading_seconds:.1f} s; reading waited {waiting_seconds:.1f} s to hand "
          f"over batches (building them included)")
    print(f"  replay / raw: {rate / raw_rate:6.1%} of the wall-clock rate, {(events / cpu) / (raw_count / raw_cpu):6.1%} "
          f"per CPU-second   (targets: >= 100,000 events/s and >= 50 %)")
    print(f"  broker (Tansu, all in memory) RSS after the run: {mib(broker_rss)}")


if __name__ == "__main__":
    main()
