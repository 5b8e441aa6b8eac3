"""Case numbers and letters over HTTP on the embedded stack: every receipt takes the next number of its
year, even when many arrive at once; a vedtak and a foreløpig svar send letters that are served as they
were sent, checked against the hash recorded when they were issued, and announced on Kafka."""

import hashlib
import io
import json
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from brobygger_shared.auth import CASEWORKER
from brobygger_dev.testing import events_on_kafka, headers_of, staff_headers
from brobygger_shared.topics import events_topic
from tests.integration.flows import volunteer_form

from .test_service import case_form

pytestmark = pytest.mark.stack

TODAY = date.today()
CASE_NUMBER = re.compile(rf"^{TODAY.year}/(\d{{4,}})$")


def _receive(http, base: str) -> dict:
    response = http.post(f"{base}/service-applications", json=case_form(), headers=staff_headers(CASEWORKER))
    assert response.status_code == 201, response.text
    case_id = response.json()["application_id"]
    return http.get(f"{base}/service-applications/{case_id}", headers=staff_headers(CASEWORKER)).json()


def test_receipts_arriving_together_take_distinct_consecutive_case_numbers(stack, http):
    base = stack.services["applications"].url

    with ThreadPoolExecutor(max_workers=8) as pool:
        cases = list(pool.map(lambda _: _receive(http, base), range(16)))
    volunteer = http.post(f"{base}/volunteer-applications", json=volunteer_form(), headers=staff_headers(CASEWORKER))
    assert volunteer.status_code == 201, volunteer.text
    volunteer = volunteer.json()

    numbers = sorted(int(CASE_NUMBER.match(case["case_number"]).group(1)) for case in cases)
    assert numbers == list(range(numbers[0], numbers[0] + 16))
    assert int(CASE_NUMBER.match(volunteer["case_number"]).group(1)) > numbers[-1]  # one series for both


def test_a_vedtak_and_a_foreløpig_svar_send_letters_served_as_they_were_sent(stack, http):
    base = stack.services["applications"].url
    staff = staff_headers(CASEWORKER, user="sara.saksbehandler")
    case = _receive(http, base)
    case_id = case["application_id"]

    http.post(f"{base}/service-applications/{case_id}/interim-reply", headers=staff, json={
        "reason": "Vi venter på kartlegging.", "expected_decision_by": (TODAY + timedelta(days=20)).isoformat()})
    decided = http.post(f"{base}/service-applications/{case_id}/decisions", headers=staff, json={
        "granted": True, "scope": 3, "period_from": TODAY.isoformat(),
        "period_to": (TODAY + timedelta(days=300)).isoformat(), "reasons": "Behov for følge til fotball.",
    }).json()

    assert [letter["kind"] for letter in decided["letters"]] == ["foreløpig_svar", "vedtak"]
    for letter in decided["letters"]:
        response = http.get(base + letter["url"], headers=staff)
        assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
        assert hashlib.sha256(response.content).hexdigest() == letter["sha256"] == response.headers["x-content-sha256"]
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        assert case["case_number"] in text and "sara.saksbehandler" in text

    missing = http.get(f"{base}/service-applications/{case_id}/letters/3.pdf", headers=staff)
    assert missing.status_code == 404 and missing.json()["title"]

    as_of_today = http.get(f"{base}/service-applications/{case_id}", params={"as_of": TODAY.isoformat()}, headers=staff)
    before = http.get(f"{base}/service-applications/{case_id}",
                      params={"as_of": (TODAY - timedelta(days=1)).isoformat()}, headers=staff)
    assert as_of_today.json()["letters"] == decided["letters"]
    assert before.status_code == 404 and "var ikke mottatt" in before.json()["detail"]

    records = events_on_kafka(stack.kafka_bootstrap_servers, events_topic("applications"), case_id, 5)
    letters = [json.loads(record.value) for record in records if headers_of(record)["event_type"] == "LetterIssued"]
    assert [(letter["kind"], letter["sha256"]) for letter in letters] == [
        (letter["kind"], letter["sha256"]) for letter in decided["letters"]]
    received = next(json.loads(record.value) for record in records
                    if headers_of(record)["event_type"] == "ApplicationReceived")
    assert received["case_number"] == case["case_number"]
