"""Crypto-shredding's building block: personal fields sealed with a key per person, so deleting the key
erases the person from every stored event and message that carries them, without rewriting any of them.

A field is sealed with AES-GCM (`cryptography`) under the person's own 256-bit key, a fresh 96-bit nonce
each time, and the person's id as associated data: a sealed value copied onto another person does not
open. A sealed value is the text `enc:v1:` + base64(nonce + ciphertext), so it travels in JSON events and
Kafka messages as a string. Opening a value whose key is gone gives `ERASED` ("slettet"); a value that
was never sealed (an event written before encryption) is read as it is: that is the upcaster.

How a service declares its personal fields (the one way, for domain events and integration events alike):

    class VolunteerApplied(Aggregate.Event):          # or an IntegrationEvent (pydantic)
        personal_data: ClassVar[PersonalData] = PersonalData(
            subject="volunteer_id",                   # the field holding the data subject's id (a UUID)
            fields=("full_name", "birth_date", "address", "national_id"),
        )

The subject is the id by which the rest of the system names the person: a citizen's case id
(`application_id`; on the applications aggregate's own events `originator_id`) or an oppdragstaker's
`volunteer_id`. Nested values (a list of household members, a dict) are sealed whole. Then:

- stored events: the kernel's mapper (eventstore.TracingMapper) seals the declared fields on write and
  opens them on read (`seal_state` / `open_state`);
- Kafka messages: `messages.Envelope.value` seals (`seal_message`) and `EventRegistry.decode` opens
  (`open_message`) integration events' declared fields;
- after erasure a declared field reads `erased_value(cls, name)`: "slettet" for text, [] for a list,
  None otherwise (a date, a dict). Integration-event fields that can be erased are therefore optional.

The keys live in the key vault: one PostgreSQL database of its own (`KEY_VAULT_URL`; without it, the
service's own database, for dev and service tests), table `person_keys`. `open_key_vault(settings)` installs
it for the process (the service's lifespan and every PostgreSQL-backed EventSourcedApplication call it);
`key_vault()` is the process's vault (in memory until one is opened: unit tests). Lookups are cached for
`KEY_CACHE_SECONDS`; `forget_keys(ids)` drops cached keys (the kernel's decode does it on PersonErased).
The erasure itself (`erase_keys`) is the applications service's alone.
"""

import base64
import os
import threading
import time
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
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
        # Every service starts at once against the one vault: a lock, so concurrent CREATE TABLE IF NOT
        # EXISTS do not collide in the catalogue.
        with self.pool.connection() as connection, connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(hashtext('person_keys'))")
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


# --- Declaring personal fields -------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonalData:
    """Which fields of an event class are personal, and which field holds their data subject's id."""

    subject: str
    fields: tuple[str, ...]


def personal_data_of(cls: type) -> PersonalData | None:
    """The class's declaration, if it has one."""
    declared = getattr(cls, "personal_data", None)
    return declared if isinstance(declared, PersonalData) else None


def _annotation_of(cls: type, name: str) -> Any:
    model_fields = getattr(cls, "model_fields", None)  # pydantic
    if isinstance(model_fields, dict) and name in model_fields:
        return model_fields[name].annotation
    try:
        return typing.get_type_hints(cls).get(name)
    except Exception:  # noqa: BLE001 - unresolvable forward references: fall back to the raw annotation
        for klass in cls.__mro__:
            if name in getattr(klass, "__annotations__", {}):
                return klass.__annotations__[name]
    return None


@cache
def erased_value(cls: type, name: str) -> Any:
    """What an erased field of this class reads: "slettet" for text, [] for a list, None otherwise."""
    annotation = _annotation_of(cls, name)
    if isinstance(annotation, str):
        text = annotation.replace(" ", "")
        return ERASED if text in ("str", "str|None", "None|str") else [] if text.startswith(("list", "tuple")) else None
    union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
    kinds = (set(typing.get_args(annotation)) if union else {annotation}) - {type(None)}
    if kinds and all(kind is str for kind in kinds):
        return ERASED
    if any(kind in (list, tuple) or typing.get_origin(kind) in (list, tuple) for kind in kinds):
        return []
    return None


# --- The key vault --------------------------------------------------------------------------------------

KEY_CACHE_SECONDS = 60.0


class CachedPersonKeys:
    """A vault's keys kept in process for a short time (keys and erasures alike), thread-safe."""

    def __init__(self, backend: PersonKeys, seconds: float = KEY_CACHE_SECONDS) -> None:
        self.backend = backend
        self.seconds = seconds
        self._cache: dict[UUID, tuple[float, bytes | None]] = {}
        self._lock = threading.Lock()

    def key_for(self, person_id: UUID, create: bool = False) -> bytes | None:
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(person_id)
        if cached is not None and cached[0] > now and (cached[1] is not None or not create):
            return cached[1]
        key = self.backend.key_for(person_id, create=create)
        with self._lock:
            self._cache[person_id] = (now + self.seconds, key)
        return key

    def erase(self, person_id: UUID) -> bool:
        erased = self.backend.erase(person_id)
        self.forget([person_id])
        return erased

    def forget(self, person_ids: Iterable[UUID]) -> None:
        with self._lock:
            for person_id in person_ids:
                self._cache.pop(person_id, None)


_vault = CachedPersonKeys(InMemoryPersonKeys())
_vault_url: str | None = None
_vault_lock = threading.Lock()


def key_vault() -> CachedPersonKeys:
    """The process's key vault (in memory until `open_key_vault` installs the PostgreSQL one)."""
    return _vault


def use_key_vault(keys: PersonKeys, url: str | None = None) -> CachedPersonKeys:
    """Install these keys as the process's vault (tests: an InMemoryPersonKeys)."""
    global _vault, _vault_url
    _vault = keys if isinstance(keys, CachedPersonKeys) else CachedPersonKeys(keys)
    _vault_url = url
    return _vault


def open_key_vault(settings: Any) -> CachedPersonKeys:
    """The vault at the settings' KEY_VAULT_URL (or, unset, the service's own database), its table created
    if missing, installed for the process. Opening the same URL again returns the vault already open."""
    if settings.environment == "production" and not settings.key_vault_url:
        raise RuntimeError("KEY_VAULT_URL must be set in production: every service reads the one key vault")
    return open_key_vault_at(settings.key_vault_url or settings.database_url, settings.key_cache_seconds)


def open_key_vault_at(url: str, cache_seconds: float = KEY_CACHE_SECONDS, read_only: bool = False) -> CachedPersonKeys:
    """The vault at this DSN, installed for the process; `read_only` for a reader that never seals
    (analytics): its table is not created and no key is ever made."""
    with _vault_lock:
        if _vault_url == url:
            return _vault
        from psycopg_pool import ConnectionPool

        pool = ConnectionPool(url, min_size=1, max_size=4, kwargs={"autocommit": True}, open=True)
        keys = PostgresPersonKeys(pool)
        if not read_only:
            keys.setup()
        return use_key_vault(CachedPersonKeys(keys, cache_seconds), url)


def forget_keys(person_ids: Iterable[UUID]) -> None:
    """Drop these persons' cached keys, so the next read asks the vault (after PersonErased)."""
    _vault.forget(person_ids)


def erase_keys(person_ids: Iterable[UUID]) -> list[UUID]:
    """Delete these persons' keys in the vault (the applications service's erasure); the ids that had one."""
    return [person_id for person_id in person_ids if _vault.erase(person_id)]


# --- Sealing whole events --------------------------------------------------------------------------------


def _subject_id(cls: type, declared: PersonalData, state: Mapping[str, Any]) -> UUID:
    subject = state.get(declared.subject)
    if subject is None:
        raise ValueError(f"{cls.__name__}: its data subject field {declared.subject!r} is empty")
    return subject if isinstance(subject, UUID) else UUID(str(subject))


def seal_state(cls: type, state: Mapping[str, Any], encode: Any = None, keys: PersonKeys | None = None,
               erased_ok: bool = False, person_id: UUID | None = None) -> dict[str, Any]:
    """A copy of an event's state with its class's declared fields sealed. `encode` turns a value into
    the JSON text sealed (the event store's transcoder); without it, the value must be JSON already.
    For an erased person it raises PersonErasedError (nothing new is written about them), or with
    `erased_ok` (a message republished from their erased events) gives each field its erased value.
    `person_id`: the subject's id when the state does not hold it as a UUID (a stored, transcoded state)."""
    declared = personal_data_of(cls)
    if declared is None:
        return dict(state)
    keys = keys or _vault
    person_id = person_id or _subject_id(cls, declared, state)
    sealed = dict(state)
    for name in declared.fields:
        value = sealed.get(name)
        if value is None or is_sealed(value):
            continue
        try:
            sealed[name] = seal(keys, person_id, encode(value) if encode else value)
        except PersonErasedError:
            if not erased_ok:
                raise
            sealed[name] = erased_value(cls, name)
    return sealed


def open_state(cls: type, state: Mapping[str, Any], decode: Any = None,
               keys: PersonKeys | None = None) -> dict[str, Any]:
    """A copy of an event's state with its declared fields opened: erased ones read `erased_value`,
    never-sealed ones (written before encryption) as they are."""
    declared = personal_data_of(cls)
    if declared is None or not any(is_sealed(state.get(name)) for name in declared.fields):
        return dict(state)
    keys = keys or _vault
    person_id = _subject_id(cls, declared, state)
    opened = dict(state)
    for name in declared.fields:
        value = opened.get(name)
        if not is_sealed(value):
            continue
        key = keys.key_for(person_id)
        if key is None:
            opened[name] = erased_value(cls, name)
        else:
            value = unseal(keys, person_id, value)
            opened[name] = decode(value) if decode else value
    return opened


def seal_message(event: Any) -> bytes:
    """An integration event's JSON body, its declared personal fields sealed (the relay's message value)."""
    declared = personal_data_of(type(event))
    if declared is None:
        return event.to_json()
    return orjson.dumps(seal_state(type(event), event.model_dump(mode="json"), erased_ok=True))


def open_message(cls: type, data: Mapping[str, Any]) -> dict[str, Any]:
    """A decoded message body with its declared personal fields opened (the consumer's side)."""
    return open_state(cls, data)
