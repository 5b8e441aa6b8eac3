"""Crypto-shredding's building block: personal fields sealed with a key per person, so deleting the key
erases the person from every stored event and message that carries them, without rewriting any of them.

A field is sealed with AES-GCM (`cryptography`) under the person's own 256-bit key, a fresh 96-bit nonce
each time, and the person's id as associated data: a sealed value copied onto another person does not
open. A sealed value is the text `enc:v1:` + base64(nonce + ciphertext), so it travels in JSON events and
Kafka messages as a string. Opening a value whose key is gone gives `ERASED` ("slettet"); a value that
was never sealed (an event written before encryption) is read as it is: that is the upcaster.

The keys live in the owning service's database (`PostgresPersonKeys`, table `person_keys`); the in-memory
variant is for tests. Not yet wired into the event stores and messages: see docs/privacy.md.
"""

import base64
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID

import orjson
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "enc:v1:"
ERASED = "slettet"  # what a reader shows for a field whose person is erased
NONCE_BYTES = 12

SCHEMA = """
CREATE TABLE IF NOT EXISTS person_keys (
    person_id uuid PRIMARY KEY,
    key bytea,  -- NULL once erased: the row stays so that no new key is ever made for the person
    created_at timestamptz NOT NULL DEFAULT now(),
    erased_at timestamptz
);
"""


class PersonKeys(Protocol):
    def key_for(self, person_id: UUID, create: bool = False) -> bytes | None:
        """The person's key; with `create`, made now if they have none (never again once erased)."""
        ...

    def erase(self, person_id: UUID) -> bool:
        """Deletes the key; True if there was one."""
        ...


@dataclass
class InMemoryPersonKeys:
    keys: dict[UUID, bytes] = field(default_factory=dict)
    erased: set[UUID] = field(default_factory=set)

    def key_for(self, person_id: UUID, create: bool = False) -> bytes | None:
        if person_id not in self.keys and create and person_id not in self.erased:
            self.keys[person_id] = AESGCM.generate_key(bit_length=256)
        return self.keys.get(person_id)

    def erase(self, person_id: UUID) -> bool:
        self.erased.add(person_id)
        return self.keys.pop(person_id, None) is not None


class PostgresPersonKeys:
    """The key table in the owning service's database, read and written with a psycopg connection pool
    (the event store's side is synchronous)."""

    def __init__(self, pool: Any) -> None:
        self.pool = pool

    def setup(self) -> None:
        with self.pool.connection() as connection:
            connection.execute(SCHEMA)

    def key_for(self, person_id: UUID, create: bool = False) -> bytes | None:
        with self.pool.connection() as connection:
            if create:
                connection.execute("INSERT INTO person_keys (person_id, key) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                                   (person_id, AESGCM.generate_key(bit_length=256)))
            row = connection.execute("SELECT key FROM person_keys WHERE person_id = %s", (person_id,)).fetchone()
        return bytes(row[0]) if row and row[0] is not None else None

    def erase(self, person_id: UUID) -> bool:
        with self.pool.connection() as connection:
            erased = connection.execute("UPDATE person_keys SET key = NULL, erased_at = now()"
                                        " WHERE person_id = %s AND key IS NOT NULL", (person_id,)).rowcount > 0
            connection.execute("INSERT INTO person_keys (person_id, key, erased_at) VALUES (%s, NULL, now())"
                               " ON CONFLICT DO NOTHING", (person_id,))
        return erased


class PersonErasedError(LookupError):
    """Sealing for a person whose key was deleted: their data may not be written again."""


def is_sealed(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def seal(keys: PersonKeys, person_id: UUID, value: Any) -> str:
    """The value (anything JSON can hold), sealed under the person's key, made if they have none."""
    key = keys.key_for(person_id, create=True)
    if key is None:
        raise PersonErasedError(str(person_id))
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, orjson.dumps(value), str(person_id).encode())
    return PREFIX + base64.b64encode(nonce + sealed).decode("ascii")


def unseal(keys: PersonKeys, person_id: UUID, value: Any) -> Any:
    """The value as written: opened if sealed (ERASED once the key is gone), as it is if never sealed.
    A value sealed for another person does not open (cryptography's InvalidTag)."""
    if not is_sealed(value):
        return value
    key = keys.key_for(person_id)
    if key is None:
        return ERASED
    raw = base64.b64decode(value[len(PREFIX):])
    return orjson.loads(AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], str(person_id).encode()))


def seal_fields(keys: PersonKeys, person_id: UUID, data: Mapping[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """A copy of `data` with the named personal fields sealed (those absent or None left as they are)."""
    sealed = dict(data)
    for name in fields:
        if sealed.get(name) is not None and not is_sealed(sealed[name]):
            sealed[name] = seal(keys, person_id, sealed[name])
    return sealed


def unseal_fields(keys: PersonKeys, person_id: UUID, data: Mapping[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    opened = dict(data)
    for name in fields:
        if name in opened:
            opened[name] = unseal(keys, person_id, opened[name])
    return opened
