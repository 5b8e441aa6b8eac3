"""The volunteer slice end to end: HTTP -> applications -> relay -> Kafka -> every service's projection."""

import asyncio
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaConsumer

from brobygger_dev.testing import eventually, staff_headers
from brobygger_shared.auth import CASEWORKER
from brobygger_shared.topics import SERVICES, events_topic
from tests.integration.flows import get, submit, url, volunteer_form

STAFF = staff_headers(CASEWORKER)  # who registers an application (or a citizen in the portal)

pytestmark = pytest.mark.stack


def test_a_volunteer_application_shows_up_as_a_candidate_in_matching(stack, http):
    received = submit(http, stack)

    candidate = eventually(
        lambda: [c for c in get(http, stack, "matching", "/candidates") if c["volunteer_id"] == received["volunteer_id"]]
    )[0]

    assert candidate["application_id"] == received["application_id"]
    assert candidate["full_name"] == received["full_name"]
    assert candidate["roles"] == received["roles"]
    assert candidate["stage"] == "søkt"


def test_the_receipt_notification_and_the_activity_feed_follow_the_same_event(stack, http):
    received = submit(http, stack)

    notification = eventually(
        lambda: get(http, stack, "notifications", f"/notifications?recipient_id={received['volunteer_id']}")
    )[0]
    activity = eventually(
        lambda: [a for a in get(http, stack, "gateway", "/activity?event_type=VolunteerApplicationReceived")
                 if a["aggregate_id"] == received["application_id"]]
    )[0]

    assert notification["template"] == "soknad_mottatt_oppdragstaker"
    assert notification["caused_by"] == activity["event_id"]
    assert activity["source"] == "applications"


def test_the_integration_event_carries_the_headers_of_the_published_language(stack, http):
    correlation_id = str(uuid4())
    received = submit(http, stack, **{"X-Correlation-ID": correlation_id})

    record = asyncio.run(_find_record(stack.kafka_bootstrap_servers, received["application_id"]))
    headers = {name: value.decode() for name, value in record.headers}

    assert record.key.decode() == received["application_id"]
    assert headers["event_type"] == "VolunteerApplicationReceived"
    assert headers["event_version"] == "2"
    assert headers["source"] == "applications"
    assert int(headers["source_position"]) > int(headers["previous_position"]) >= 0
    assert headers["correlation_id"] == correlation_id
    assert headers["causation_id"] and headers["event_id"] and headers["occurred_at"]


async def _find_record(bootstrap_servers: str, key: str):
    consumer = AIOKafkaConsumer(events_topic("applications"), bootstrap_servers=bootstrap_servers,
                                auto_offset_reset="earliest", group_id=f"test-{uuid4()}")
    await consumer.start()
    try:
        for _ in range(100):
            for records in (await consumer.getmany(timeout_ms=200)).values():
                for record in records:
                    if record.key and record.key.decode() == key:
                        return record
        raise AssertionError("the event never reached the topic")
    finally:
        await consumer.stop()


def test_the_same_idempotency_key_gives_the_first_application_back(stack, http):
    form = volunteer_form()
    first = http.post(url(stack, "applications", "/volunteer-applications"), json=form, headers={"Idempotency-Key": "k-1"} | STAFF)
    again = http.post(url(stack, "applications", "/volunteer-applications"), json=form, headers={"Idempotency-Key": "k-1"} | STAFF)

    assert first.status_code == 201
    assert again.status_code == 201
    assert again.headers["idempotent-replay"] == "true"
    assert again.json() == first.json()
    ids = [row["application_id"] for row in get(http, stack, "applications", "/volunteer-applications")]
    assert ids.count(first.json()["application_id"]) <= 1


def test_an_invalid_application_is_refused_naming_each_wrong_field(stack, http):
    form = volunteer_form() | {"national_id": "17912099996", "roles": [], "commitment_acknowledged": False}

    response = http.post(url(stack, "applications", "/volunteer-applications"), json=form, headers=STAFF)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["title"] == "Ugyldige opplysninger"
    assert {error["field"] for error in problem["errors"]} == {"national_id", "roles", "commitment_acknowledged"}
    assert "kontrollsiffer" in next(e["message"] for e in problem["errors"] if e["field"] == "national_id")


def test_an_applicant_outside_the_age_limits_is_refused_naming_the_birth_date(stack, http):
    form = volunteer_form() | {"national_id": "01814000008", "birth_date": "1940-01-01"}  # a synthetic 1940 number

    response = http.post(url(stack, "applications", "/volunteer-applications"), json=form, headers=STAFF)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "birth_date"


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_is_alive_ready_measured_and_documented(stack, http, service):
    assert http.get(url(stack, service, "/healthz")).json() == {"status": "ok"}
    ready = http.get(url(stack, service, "/readyz"))
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"]["database"] and ready.json()["checks"]["broker"]
    assert "brobygger_handler_seconds" in http.get(url(stack, service, "/metrics")).text
    asyncapi = http.get(url(stack, service, "/asyncapi.json")).json()
    assert asyncapi["asyncapi"].startswith("3.")
    assert any("brobygger." in name for name in asyncapi["channels"])
