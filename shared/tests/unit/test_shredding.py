"""Crypto-shredding's building block: personal fields sealed per person, opened only for that person,
"slettet" once the key is deleted, and old unsealed values read as they are."""

from datetime import date
from uuid import uuid4

import orjson
import pytest
from cryptography.exceptions import InvalidTag

from brobygger_shared.identity import synthetic_identity_number
from brobygger_shared.shredding import (
    ERASED,
    InMemoryPersonKeys,
    PersonErasedError,
    is_sealed,
    seal,
    seal_fields,
    unseal,
    unseal_fields,
)

KARI_NUMBER = synthetic_identity_number(date(1985, 3, 14))
PERSONAL = ("national_id", "full_name", "birth_date", "household")
EVENT = {"application_id": "a-1", "national_id": KARI_NUMBER, "full_name": "Kari Nordmann",
         "birth_date": "1985-03-14", "household": [{"full_name": "Nora Nordmann"}], "scheme": "støttekontakt"}


def test_sealed_fields_show_nothing_of_the_person_and_open_for_them():
    keys, kari = InMemoryPersonKeys(), uuid4()
    stored = seal_fields(keys, kari, EVENT, PERSONAL)
    text = orjson.dumps(stored).decode()
    assert "Kari" not in text and "Nora" not in text and KARI_NUMBER not in text and "1985" not in text
    assert stored["scheme"] == "støttekontakt" and stored["application_id"] == "a-1"  # the rest as it was
    assert all(is_sealed(stored[name]) for name in PERSONAL)
    assert unseal_fields(keys, kari, stored, PERSONAL) == EVENT
    assert seal(keys, kari, "Kari") != seal(keys, kari, "Kari")  # a fresh nonce each time


def test_a_value_sealed_for_one_person_does_not_open_as_another_s():
    keys, kari, arne = InMemoryPersonKeys(), uuid4(), uuid4()
    sealed = seal(keys, kari, "Kari Nordmann")
    keys.keys[arne] = keys.keys[kari]  # even under the same key, the person's id is bound in
    with pytest.raises(InvalidTag):
        unseal(keys, arne, sealed)


def test_after_erasure_every_sealed_field_reads_slettet_and_nothing_new_is_sealed():
    keys, kari, arne = InMemoryPersonKeys(), uuid4(), uuid4()
    stored = seal_fields(keys, kari, EVENT, PERSONAL)
    other = seal_fields(keys, arne, {"full_name": "Arne"}, ["full_name"])
    assert keys.erase(kari) is True
    assert unseal_fields(keys, kari, stored, PERSONAL) == {**EVENT, **dict.fromkeys(PERSONAL, ERASED)}
    assert unseal_fields(keys, arne, other, ["full_name"]) == {"full_name": "Arne"}  # others untouched
    with pytest.raises(PersonErasedError):
        seal(keys, kari, "Kari again")
    assert keys.erase(kari) is False


def test_values_written_before_encryption_are_read_as_they_are():
    keys = InMemoryPersonKeys()
    assert unseal_fields(keys, uuid4(), EVENT, PERSONAL) == EVENT


# --- The declaration, the event store's mapper and Kafka messages -----------------------------------------

from datetime import date as _date  # noqa: E402
from typing import ClassVar  # noqa: E402
from uuid import UUID  # noqa: E402

from eventsourcing.domain import Aggregate, event  # noqa: E402

from brobygger_shared import shredding  # noqa: E402
from brobygger_shared.events.base import EventRegistry, IntegrationEvent  # noqa: E402
from brobygger_shared.eventstore import EventSourcedApplication  # noqa: E402
from brobygger_shared.messages import Envelope  # noqa: E402
from brobygger_shared.settings import ServiceSettings  # noqa: E402
from brobygger_shared.shredding import PersonalData, erased_value, use_key_vault  # noqa: E402


class Person(Aggregate):
    class Registered(Aggregate.Created):
        personal_data: ClassVar[PersonalData] = PersonalData(
            subject="originator_id", fields=("full_name", "national_id", "birth_date", "household"))
        full_name: str
        national_id: str
        birth_date: _date
        household: list
        scheme: str

    @event(Registered)
    def __init__(self, full_name: str, national_id: str, birth_date: _date, household: list, scheme: str):
        self.full_name, self.national_id, self.birth_date = full_name, national_id, birth_date
        self.household, self.scheme = household, scheme


class PersonApplied(IntegrationEvent):
    event_type = "TestPersonApplied"
    personal_data: ClassVar[PersonalData] = PersonalData(subject="aggregate_id", fields=("full_name", "birth_date"))
    full_name: str
    birth_date: _date | None
    scheme: str
    note: str | None = None


@pytest.fixture
def vault():
    keys = InMemoryPersonKeys()
    previous = shredding.key_vault()
    use_key_vault(keys)
    yield keys
    use_key_vault(previous)


def _app() -> EventSourcedApplication:
    return EventSourcedApplication(ServiceSettings(), env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def test_the_event_store_holds_declared_fields_sealed_and_the_aggregate_reads_them_as_written(vault):
    app = _app()
    kari = Person("Kari Nordmann", KARI_NUMBER, _date(1985, 3, 14), [{"full_name": "Nora"}], "støttekontakt")
    app.save(kari)
    stored = app.recorder.select_events(kari.id)[0].state.decode()
    assert "Kari" not in stored and KARI_NUMBER not in stored and "1985" not in stored and "Nora" not in stored
    assert "støttekontakt" in orjson.loads(stored)["scheme"]  # undeclared fields as they were
    again = app.repository.get(kari.id)
    assert (again.full_name, again.national_id, again.birth_date, again.household) == (
        "Kari Nordmann", KARI_NUMBER, _date(1985, 3, 14), [{"full_name": "Nora"}])


def test_after_erasure_the_aggregate_reads_slettet_for_text_and_nothing_for_the_rest(vault):
    app = _app()
    kari = Person("Kari Nordmann", KARI_NUMBER, _date(1985, 3, 14), [{"full_name": "Nora"}], "støttekontakt")
    app.save(kari)
    assert shredding.erase_keys([kari.id, uuid4()]) == [kari.id]
    again = app.repository.get(kari.id)
    assert (again.full_name, again.national_id, again.birth_date, again.household, again.scheme) == (
        ERASED, ERASED, None, [], "støttekontakt")


def test_the_erased_value_follows_the_field_s_type():
    assert erased_value(PersonApplied, "full_name") == ERASED
    assert erased_value(PersonApplied, "birth_date") is None
    assert erased_value(Person.Registered, "household") == []
    assert erased_value(PersonApplied, "note") == ERASED  # optional text too


def test_a_message_carries_sealed_personal_fields_and_the_consumer_reads_them_opened(vault):
    registry = EventRegistry()
    registry.register(PersonApplied)
    event = PersonApplied(aggregate_id=uuid4(), full_name="Kari Nordmann", birth_date=_date(1985, 3, 14),
                          scheme="støttekontakt")
    value = Envelope(event, "applications", 1, 0, "c", "c").value
    assert b"Kari" not in value and b"1985" not in value and b"st\xc3\xb8ttekontakt" in value
    assert registry.decode("TestPersonApplied", 1, value) == event
    shredding.erase_keys([event.aggregate_id])
    erased = registry.decode("TestPersonApplied", 1, value)
    assert (erased.full_name, erased.birth_date, erased.scheme) == (ERASED, None, "støttekontakt")
    plain = event.to_json()  # a message published before encryption reads as it is
    assert registry.decode("TestPersonApplied", 1, plain) == event


def test_a_cached_key_is_forgotten_when_the_person_is_erased_elsewhere():
    backend = InMemoryPersonKeys()
    here, elsewhere = shredding.CachedPersonKeys(backend), shredding.CachedPersonKeys(backend)
    kari = uuid4()
    sealed = seal(here, kari, "Kari")
    assert unseal(elsewhere, kari, sealed) == "Kari"
    here.erase(kari)
    assert unseal(elsewhere, kari, sealed) == "Kari"  # cached for a short while...
    elsewhere.forget([kari])
    assert unseal(elsewhere, kari, sealed) == ERASED  # ...until PersonErased names the person
    assert isinstance(kari, UUID)


def test_a_service_reading_person_erased_off_the_topic_forgets_the_cached_keys(vault):
    from brobygger_shared.events.applications import PersonErased
    from brobygger_shared.events.base import registry as published

    kari, elsewhere = uuid4(), shredding.CachedPersonKeys(vault)
    use_key_vault(elsewhere)
    sealed = seal(elsewhere, kari, "Kari")
    vault.erase(kari)  # the applications service deletes the key in the vault
    assert unseal(elsewhere, kari, sealed) == "Kari"  # this service still holds it in its cache
    message = Envelope(PersonErased(aggregate_id=kari, volunteer_ids=[kari], erased_on=_date(2026, 11, 27)),
                       "applications", 1, 0, "c", "c").value
    published.decode("PersonErased", 1, message)
    assert unseal(elsewhere, kari, sealed) == ERASED
