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
