"""Erasing a person in the applications service on the embedded stack (real PostgreSQL and broker):
refused while a case needs the data, then every case and oppdragstaker application with the person's
identity number erased at once; the stored events and the messages carry only ciphertext of them, the
keys are gone from the vault, the read models and the case read "slettet", and PersonErased is published.
(The erasure across every service is tests/integration/test_erasure.py.)"""

from datetime import date
from uuid import uuid4

import psycopg
import pytest

from brobygger_dev.runtime.stack import KEY_VAULT_DATABASE, database_name, with_database
from brobygger_dev.testing import events_on_kafka, headers_of, staff_headers
from brobygger_shared.identity import synthetic_identity_number
from brobygger_shared.topics import events_topic
from tests.integration.flows import volunteer_form

pytestmark = pytest.mark.stack

BORN = date(1991, 4, 17)


def test_a_person_is_erased_once_nothing_needs_their_data_and_only_ciphertext_of_them_remains(stack, http,
                                                                                               caseworker):
    base = stack.services["applications"].url
    national_id, name = synthetic_identity_number(BORN, 417), f"Erna Slettesen {uuid4().hex[:6]}"
    leader = staff_headers("leder", user="test-leder")

    def post(path: str, json=None, headers=caseworker, expect: int = 200) -> dict:
        response = http.post(base + path, json=json, headers=headers)
        assert response.status_code == expect, response.text
        return response.json()

    person = {"national_id": national_id, "full_name": name, "birth_date": BORN.isoformat(),
              "email": "erna@example.org"}
    case_id = post("/service-applications", {**person, "address": "Slettveien 1", "area": "Nord",
                                              "scheme": "støttekontakt", "needs": "Turer i skogen.",
                                              "carers": []}, expect=201)["application_id"]
    other_case = post("/service-applications", {**person, "address": "Slettveien 1", "area": "Nord",
                                                "scheme": "støttekontakt", "needs": "Konserter.",
                                                "carers": []}, expect=201)["application_id"]
    volunteer = post("/volunteer-applications", volunteer_form() | person | {"roles": ["støttekontakt"]},
                     expect=201)
    post(f"/service-applications/{other_case}/withdrawal", {"reason": "Trenger det ikke."})

    assert http.post(f"{base}/persons/{case_id}/erasure", headers=caseworker).status_code == 403
    refused = post(f"/persons/{volunteer['volunteer_id']}/erasure", headers=leader, expect=409)
    assert refused["reasons"] == [f"Sak {post_case_number(http, base, case_id, caseworker)}: "
                                  "søknaden er ikke avgjort."]

    post(f"/service-applications/{case_id}/withdrawal", {"reason": "Flytter."})
    erased = post(f"/persons/{volunteer['volunteer_id']}/erasure", headers=leader)

    assert sorted(erased["case_ids"]) == sorted([case_id, other_case])
    assert erased["volunteer_ids"] == [volunteer["volunteer_id"]]
    assert any("bokføringsloven § 13" in line for line in erased["kept"])
    assert any("Noark 5" in line for line in erased["kept"])
    case = http.get(f"{base}/service-applications/{case_id}", headers=caseworker).json()
    assert case["full_name"] == "slettet"
    listed = http.get(f"{base}/service-applications", params={"q": name[:12]}, headers=caseworker).json()
    assert listed == []

    with psycopg.connect(with_database(stack.postgres_url, database_name("applications"))) as connection:
        stored = "".join(bytes(row[0]).decode() for table in _events_tables(connection)
                         for row in connection.execute(f"SELECT state FROM {table}"))
        read_models = str(connection.execute("SELECT * FROM cases").fetchall()
                          + connection.execute("SELECT * FROM volunteer_applications").fetchall()
                          + connection.execute("SELECT * FROM case_people").fetchall())
    for text in (stored, read_models):
        assert national_id not in text and "Slettesen" not in text and "erna@example.org" not in text
    with psycopg.connect(with_database(stack.postgres_url, KEY_VAULT_DATABASE)) as connection:
        keys = connection.execute("SELECT key FROM person_keys WHERE person_id = ANY(%s)",
                                  ([case_id, other_case, volunteer["volunteer_id"]],)).fetchall()
    assert keys == [(None,)] * 3

    topic = events_topic("applications")
    published = events_on_kafka(stack.kafka_bootstrap_servers, topic, volunteer["volunteer_id"], 1)
    assert headers_of(published[0])["event_type"] == "PersonErased"
    received = events_on_kafka(stack.kafka_bootstrap_servers, topic, case_id, 1)[0].value.decode()
    assert national_id not in received and "erna@example.org" not in received and "enc:v1:" in received


def post_case_number(http, base: str, case_id: str, headers: dict) -> str:
    return http.get(f"{base}/service-applications/{case_id}", headers=headers).json()["case_number"]


def _events_tables(connection) -> list[str]:
    """Every table of stored events (the eventsourcing library's, whatever its name)."""
    return [row[0] for row in connection.execute(
        "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.columns"
        " WHERE column_name = 'state' AND data_type = 'bytea'")]
