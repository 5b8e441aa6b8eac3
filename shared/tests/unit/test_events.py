"""The event registry: decoding current and older versions, refusing what it cannot read, schemas."""

from datetime import date
from typing import Any
from uuid import uuid4

import orjson
import pytest

from brobygger_shared.events import EventRegistry, IntegrationEvent, UnknownEventType, UnsupportedEventVersion
from brobygger_shared.events import registry as published
from brobygger_shared.events.applications import VolunteerApplicationReceived


def received_payload(**changes: Any) -> dict[str, Any]:
    payload = {
        "event_id": str(uuid4()),
        "occurred_at": "2026-03-01T12:00:00+00:00",
        "aggregate_id": str(uuid4()),
        "volunteer_id": str(uuid4()),
        "full_name": "Test Testesen",
        "birth_date": "1990-01-01",
        "roles": ["støttekontakt"],
        "area": "Sentrum",
    }
    return {**payload, **changes}


def test_a_current_version_message_decodes_to_the_event_with_its_fields():
    event = VolunteerApplicationReceived(
        aggregate_id=uuid4(), volunteer_id=uuid4(), full_name="Test Testesen", birth_date=date(1990, 1, 1),
        roles=["avlaster"], area="Sentrum", languages=["nb", "ar"], has_car=True,
    )

    decoded = published.decode("VolunteerApplicationReceived", 2, event.to_json())

    assert decoded == event


@pytest.mark.parametrize(("language", "languages"), [("nb", ["nb"]), (None, []), ("", [])])
def test_a_version_1_message_with_a_single_language_is_read_as_a_list_of_languages(language, languages):
    payload = orjson.dumps(received_payload(language=language))

    decoded = published.decode("VolunteerApplicationReceived", 1, payload)

    assert isinstance(decoded, VolunteerApplicationReceived)
    assert decoded.languages == languages
    assert decoded.full_name == "Test Testesen"


def test_a_version_1_message_without_a_language_field_is_read_with_no_languages():
    decoded = published.decode("VolunteerApplicationReceived", 1, received_payload())

    assert decoded.languages == []


def test_decoding_an_old_version_from_a_dict_leaves_the_callers_dict_as_it_was():
    payload = received_payload(language="nb")

    published.decode("VolunteerApplicationReceived", 1, payload)

    assert payload["language"] == "nb"
    assert "languages" not in payload


def test_a_version_newer_than_this_build_knows_is_refused_as_unsupported():
    with pytest.raises(UnsupportedEventVersion, match="v3"):
        published.decode("VolunteerApplicationReceived", 3, received_payload())


def test_a_version_with_no_upcaster_path_is_refused_as_unsupported():
    with pytest.raises(UnsupportedEventVersion):
        published.decode("VolunteerApplicationReceived", 0, received_payload())


def test_an_event_type_this_build_does_not_know_is_refused_as_unknown():
    with pytest.raises(UnknownEventType, match="TimesheetFromTheFuture"):
        published.decode("TimesheetFromTheFuture", 1, b"{}")


def test_registering_a_second_model_under_an_existing_event_type_is_refused():
    registry = EventRegistry()

    class First(IntegrationEvent):
        event_type = "Something"

    class Second(IntegrationEvent):
        event_type = "Something"

    registry.register(First)

    with pytest.raises(ValueError, match="Something"):
        registry.register(Second)
    assert registry.model_for("Something") is First


def test_registering_the_same_model_twice_is_harmless():
    registry = EventRegistry()

    class Something(IntegrationEvent):
        event_type = "Something"

    registry.register(Something)
    registry.register(Something)

    assert registry.models() == [Something]


def test_the_published_schemas_name_the_received_event_at_version_2():
    schemas = published.json_schemas()

    schema = schemas["VolunteerApplicationReceived.v2"]
    assert schema["x-event-version"] == 2
    assert schema["x-event-type"] == "VolunteerApplicationReceived"
    assert "languages" in schema["properties"]
    assert "language" not in schema["properties"]


def test_a_version_1_payroll_run_is_read_with_its_totals_and_no_pay_lines():
    from brobygger_shared.events.payroll import PayrollRunCompleted

    v1 = {"event_id": str(uuid4()), "occurred_at": "2026-03-10T11:00:00+00:00", "aggregate_id": str(uuid4()),
          "period": "2026-02", "lines": 3, "total_ore": 123_450, "corrections": 1}

    decoded = published.decode("PayrollRunCompleted", 1, orjson.dumps(v1))

    assert isinstance(decoded, PayrollRunCompleted)
    assert (decoded.period, decoded.lines, decoded.total_ore, decoded.corrections) == ("2026-02", 3, 123_450, 1)
    assert decoded.pay_lines == []
