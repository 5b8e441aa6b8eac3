"""What an attacker or a clumsy user can send, against the running services: every answer is a clear
problem+json naming the field, and nothing they send can wedge a service or poison a read model."""

import time
from datetime import date, datetime, timedelta
from uuid import uuid4

import jwt
import psycopg
import pytest

from brobygger_applications.application import ApplicationsApplication, NewServiceApplication
from brobygger_applications.domain import Scheme
from brobygger_applications.main import ApplicationsSettings
from brobygger_shared.auth import CASEWORKER, ISSUER, PAYROLL
from brobygger_shared.eventstore import events_table
from brobygger_dev.runtime.stack import database_name, with_database
from brobygger_shared.auth import signing_key
from brobygger_shared.settings import DEV_AUTH_PRIVATE_KEY
from brobygger_dev.testing import eventually, staff_headers
from tests.integration.flows import granted_case, signed_contract, staff_post, url, volunteer_form

pytestmark = pytest.mark.stack

TODAY = date.today()
PAYROLL_STAFF = staff_headers(CASEWORKER, PAYROLL)
STAFF = staff_headers(CASEWORKER)


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()


def fields(response, status: int = 422) -> list[str]:
    return [error["field"] for error in problem(response, status)["errors"]]


def database_url(stack, service: str) -> str:
    return with_database(stack.postgres_url, database_name(service))


# -- 1. size ------------------------------------------------------------------------------------------


def test_a_10_mb_body_is_refused_with_413_and_the_next_application_goes_through(stack, http):
    form = volunteer_form() | {"area": "x" * 10_000_000}

    refused = http.post(url(stack, "applications", "/volunteer-applications"), json=form, timeout=30, headers=STAFF)

    assert "256 kB" in problem(refused, 413)["detail"]
    started = time.monotonic()
    accepted = http.post(url(stack, "applications", "/volunteer-applications"), json=volunteer_form(), headers=STAFF)
    assert accepted.status_code == 201, accepted.text
    assert time.monotonic() - started < 5
    assert http.get(url(stack, "applications", "/readyz")).status_code == 200


def test_a_free_text_field_over_its_length_is_refused_naming_it(stack, http):
    response = http.post(url(stack, "applications", "/volunteer-applications"), headers=STAFF,
                         json=volunteer_form() | {"experience": "x" * 4001})

    assert fields(response) == ["experience"]


def test_readyz_fails_while_writes_are_stuck_behind_the_events_table_lock(stack, http):
    application = ApplicationsApplication(ApplicationsSettings(database_url=database_url(stack, "applications"),
                                                                 key_vault_url=stack.key_vault_url))
    try:
        table = events_table(application)
    finally:
        application.close()
    with psycopg.connect(database_url(stack, "applications")) as holder:
        holder.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")  # as a stuck insert would hold it

        stuck = http.get(url(stack, "applications", "/readyz"))

        assert stuck.status_code == 503
        assert stuck.json()["checks"]["writes"] is False
        holder.rollback()
    assert http.get(url(stack, "applications", "/readyz")).json()["checks"]["writes"] is True


# -- 2. control characters ----------------------------------------------------------------------------


@pytest.mark.parametrize("changes, field", [
    ({"full_name": "Kari\u0000Nul"}, "full_name"),
    ({"interests": ["fotball", "ki\u0007no"]}, "interests"),
    ({"full_name": "Kari\nNy linje"}, "full_name"),
])
def test_control_characters_are_refused_at_the_edge_naming_the_field(stack, http, changes, field):
    response = http.post(url(stack, "applications", "/volunteer-applications"), json=volunteer_form() | changes, headers=STAFF)

    assert fields(response)[0].startswith(field)


def test_line_breaks_are_kept_where_text_has_paragraphs(stack, http):
    form = volunteer_form() | {"experience": "Trener i fotball.\nLeder i speideren."}

    assert http.post(url(stack, "applications", "/volunteer-applications"), json=form, headers=STAFF).status_code == 201


def test_an_event_a_read_model_cannot_store_is_skipped_and_kept_aside_and_the_next_one_is_listed(stack, http):
    # The edge refuses NUL now; an event written before (or by a path without the check) must still
    # never stop the read models (a NUL in a field that is not sealed: a sealed name reaches no table as
    # text). A citizen's case, so that the other services' projections of
    # oppdragstakere, which other tests compare, stay alike.
    application = ApplicationsApplication(ApplicationsSettings(database_url=database_url(stack, "applications"),
                                                                 key_vault_url=stack.key_vault_url))
    try:
        poisoned, _ = application.receive_service_application(NewServiceApplication(
            national_id="28821400092", full_name="Ola Nul", birth_date=date(2014, 2, 28),
            address="Testveien 1", area="Sen\u0000trum", scheme=Scheme.STOTTEKONTAKT, needs="Aktivitet.",
            interests=[], wished_activities=[], helper_wishes={}, carers=[], scope_asked=None), TODAY)
    finally:
        application.close()

    after = granted_case(http, stack)

    def listed() -> list[str]:
        response = http.get(url(stack, "applications", "/service-applications"), headers=staff_headers(CASEWORKER))
        return [row["application_id"] for row in response.json()]

    eventually(lambda: after["application_id"] in listed())
    assert str(poisoned.id) not in listed()
    with psycopg.connect(database_url(stack, "applications")) as connection:
        kept = connection.execute("SELECT consumer FROM local_dead_letters").fetchall()
    assert ("applications.cases",) in kept


# -- 4 and 5. every error is problem+json, and alike --------------------------------------------------


@pytest.mark.parametrize("service, path", [
    ("applications", "/service-applications?status=a%00b"),
    ("matching", "/candidates?stage=a%00b"),
    ("contracts", "/contracts?status=a%00b"),
    ("payroll", "/timesheets?status=a%00b"),
])
def test_a_nul_in_a_query_parameter_is_a_422_naming_it(stack, http, service, path):
    response = http.get(url(stack, service, path), headers=staff_headers(CASEWORKER, PAYROLL))

    assert fields(response) == [path.split("?")[1].split("=")[0]]


def test_a_signed_token_with_roles_that_are_not_a_list_is_a_401(stack, http):
    token = jwt.encode({"sub": "someone", "roles": 5, "iss": ISSUER, "exp": datetime.now() + timedelta(hours=1)},
                       signing_key(DEV_AUTH_PRIVATE_KEY), algorithm="EdDSA")

    response = http.get(url(stack, "applications", "/service-applications"),
                        headers={"Authorization": f"Bearer {token}"})

    problem(response, 401)


def test_an_undecodable_body_is_a_documented_422_like_a_malformed_one(stack, http):
    endpoint = url(stack, "applications", "/volunteer-applications")
    not_utf8 = http.post(endpoint, content=b'{"full_name": "\xff"}', headers={"content-type": "application/json"})
    malformed = http.post(endpoint, content=b'{"full_name": ', headers={"content-type": "application/json"})

    assert fields(not_utf8) == ["body"]
    problem(malformed, 422)
    documented = http.get(url(stack, "applications", "/openapi.json")).json()
    answers = documented["paths"]["/volunteer-applications"]["post"]["responses"]
    assert {"413", "422"} <= set(answers)
    assert "400" not in answers


# -- 6. birth date ------------------------------------------------------------------------------------


def test_a_birth_date_that_does_not_agree_with_the_identity_number_is_refused(stack, http):
    # The old README example: a 2020 number with a 1990 birth date, which got round the age limit.
    form = volunteer_form() | {"national_id": "17912099997", "birth_date": "1990-11-17"}

    response = http.post(url(stack, "applications", "/volunteer-applications"), json=form, headers=STAFF)

    assert fields(response) == ["birth_date"]


def test_a_birth_date_in_the_future_is_refused(stack, http):
    form = volunteer_form() | {"birth_date": (TODAY + timedelta(days=1)).isoformat()}

    assert "birth_date" in fields(http.post(url(stack, "applications", "/volunteer-applications"), json=form, headers=STAFF))


# -- 7. ranges ----------------------------------------------------------------------------------------


def test_a_vedtak_scope_and_period_outside_what_a_kommune_could_mean_are_refused(stack, http):
    form = {"national_id": "28821400092", "full_name": "Ola Testesen", "birth_date": "2014-02-28",
            "address": "Testveien 1", "area": "Sentrum", "scheme": "støttekontakt", "needs": "Aktivitet."}
    case = staff_post(http, stack, "applications", "/service-applications", form, expect=201)
    decide = url(stack, "applications", f"/service-applications/{case['application_id']}/decisions")
    vedtak = {"granted": True, "scope": 1e308, "period_from": "0001-01-01", "period_to": "9999-12-31",
              "reasons": "Behov."}

    huge = http.post(decide, json=vedtak, headers=staff_headers(CASEWORKER))
    a_week_and_an_hour = http.post(decide, headers=staff_headers(CASEWORKER), json=vedtak | {
        "scope": 169, "period_from": TODAY.isoformat(), "period_to": TODAY.isoformat()})

    assert set(fields(huge)) == {"scope", "period_from", "period_to"}
    assert fields(a_week_and_an_hour) == ["scope"]


def test_timesheet_quantities_and_payroll_periods_outside_their_ranges_are_refused(stack, http):
    contract_id = signed_contract(http, stack)["contract_id"]
    period = TODAY.strftime("%Y-%m")
    entry = {"day": TODAY.isoformat(), "hours": "2", "activity": "kino"}

    def submit(entries: list[dict]):
        return http.post(url(stack, "payroll", "/timesheets"), headers=PAYROLL_STAFF,
                         json={"contract_id": contract_id, "period": period, "entries": entries})

    assert fields(submit([entry | {"km": "1e30"}])) == ["entries.0.km"]
    assert fields(submit([entry] * 5000)) == ["entries"]
    problem(submit([entry | {"activity": "x" * 1_000_000}]), 413)
    rate = {"code": "test", "unit": "øre_per_time", "value": "1e32", "valid_from": TODAY.isoformat(),
            "source": "test"}
    assert fields(http.post(url(stack, "payroll", "/rates"), headers=PAYROLL_STAFF, json=rate)) == ["value"]
    preview = http.get(url(stack, "payroll", "/payroll-runs/preview?period=0000-01"), headers=PAYROLL_STAFF)
    assert fields(preview) == ["period"]


def test_an_employee_number_for_a_payee_nobody_knows_is_a_404(stack, http):
    response = http.put(url(stack, "payroll", f"/payees/{uuid4()}/employee-number"), headers=PAYROLL_STAFF,
                        json={"employee_number": "12345"})

    problem(response, 404)


# -- 8. idempotency keys ------------------------------------------------------------------------------


def test_a_refused_command_does_not_use_up_its_idempotency_key(stack, http):
    endpoint = url(stack, "applications", "/volunteer-applications")
    key = {"Idempotency-Key": str(uuid4())} | STAFF
    form = volunteer_form()

    mistaken = http.post(endpoint, json=form | {"birth_date": "1800-01-01"}, headers=key)
    corrected = http.post(endpoint, json=form, headers=key)
    repeated = http.post(endpoint, json=form, headers=key)

    assert mistaken.status_code == 422
    assert corrected.status_code == 201, corrected.text
    assert repeated.status_code == 201 and repeated.headers["idempotent-replay"] == "true"
    assert repeated.json() == corrected.json()


def test_a_command_refused_for_its_token_can_be_retried_with_a_fresh_one_under_the_same_key(stack, http):
    case = granted_case(http, stack)
    endpoint = url(stack, "applications", f"/service-applications/{case['application_id']}/appeal")
    key = {"Idempotency-Key": str(uuid4())}

    expired = http.post(endpoint, json={"grounds": "Ønsker flere timer."},
                        headers=key | {"Authorization": "Bearer expired"})
    fresh = http.post(endpoint, json={"grounds": "Ønsker flere timer."}, headers=key | staff_headers(CASEWORKER))

    assert expired.status_code == 401
    assert fresh.status_code == 200, fresh.text


def test_an_idempotency_key_is_forgotten_after_24_hours(stack, http):
    case = granted_case(http, stack)
    endpoint = url(stack, "applications", f"/service-applications/{case['application_id']}/assessments")
    key = {"Idempotency-Key": str(uuid4())} | staff_headers(CASEWORKER)
    first = http.post(endpoint, json={"notes": "Første samtale."}, headers=key)
    reused = http.post(endpoint, json={"notes": "Andre samtale."}, headers=key)
    with psycopg.connect(database_url(stack, "applications")) as connection:
        connection.execute("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = %s",
                           (key["Idempotency-Key"],))

    a_day_later = http.post(endpoint, json={"notes": "Andre samtale."}, headers=key)

    assert first.status_code == 200
    assert fields(reused) == ["Idempotency-Key"]
    assert a_day_later.status_code == 200, a_day_later.text
    assert "idempotent-replay" not in a_day_later.headers


# -- 9. startup -----------------------------------------------------------------------------------------


def test_no_service_crashed_a_task_while_starting(stack):
    for service in stack.services:
        log = (stack.logs_dir / f"{service}.log").read_text()
        assert "consumer_tracking" not in log or "UniqueViolation" not in log, service
