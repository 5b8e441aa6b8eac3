"""The one-off command that encrypts an event store written before encryption: every declared personal
field (brobygger_shared.shredding.PersonalData) of every stored event still in plaintext is sealed in
place under its person's key. Events stay where they are, with their positions; the relay and the local
read models do not see them again. A person already erased gets the erased value ("slettet", null)
instead: their plaintext goes.

    DATABASE_URL=... KEY_VAULT_URL=... python -m brobygger_shared.encrypt_store

Run it once per service database, with the service's package installed (the stored topics name its
event classes), after the service runs the version that seals new events. It can run again: sealed
values are left as they are. Messages already on the topics before encryption stay in plaintext until
the topic's retention removes them (docs/privacy.md).
"""

import sys
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import orjson
import psycopg
from eventsourcing.utils import resolve_topic

from brobygger_shared.settings import ServiceSettings
from brobygger_shared.shredding import (
    PersonalData,
    PersonKeys,
    is_sealed,
    key_vault,
    open_key_vault,
    personal_data_of,
    seal_state,
)

EVENT_TABLES = """
SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.columns
WHERE column_name = 'state' AND data_type = 'bytea' AND table_name NOT LIKE '%snapshots'
AND table_schema NOT IN ('pg_catalog', 'information_schema')
AND EXISTS (SELECT 1 FROM information_schema.columns other WHERE other.table_schema = columns.table_schema
            AND other.table_name = columns.table_name AND other.column_name = 'topic')
"""


@dataclass
class Encrypted:
    """What a run did: events rewritten, fields sealed, fields of erased persons blanked, per table."""

    events: int = 0
    fields: int = 0
    blanked: int = 0
    tables: dict[str, int] = field(default_factory=dict)


def _subject(declared: PersonalData, state: dict[str, Any], originator_id: UUID) -> UUID:
    if declared.subject == "originator_id":
        return originator_id
    value = state[declared.subject]
    if isinstance(value, dict):  # the library's transcoded UUID: {"_type_": "uuid_hex", "_data_": "..."}
        value = value["_data_"]
    return UUID(str(value))


def seal_stored_state(cls: type, state: dict[str, Any], originator_id: UUID, keys: PersonKeys,
                      counts: Encrypted) -> dict[str, Any] | None:
    """The stored (transcoded) state with its plaintext personal fields sealed, or None if none was.
    Each value is sealed as the JSON text the event store's transcoder wrote, as the mapper does."""
    declared = personal_data_of(cls)
    sealed = seal_state(cls, state, encode=lambda value: orjson.dumps(value).decode(), keys=keys, erased_ok=True,
                        person_id=_subject(declared, state, originator_id))
    changed = [name for name in declared.fields if sealed.get(name) != state.get(name)]
    counts.fields += sum(1 for name in changed if is_sealed(sealed[name]))
    counts.blanked += sum(1 for name in changed if not is_sealed(sealed[name]))
    return sealed if changed else None


def encrypt_store(database_url: str, keys: PersonKeys | None = None) -> Encrypted:
    """Seal every plaintext personal field of the stored events in this database, table by table."""
    keys = keys or key_vault()
    counts = Encrypted()
    with psycopg.connect(database_url) as connection:
        for (table,) in connection.execute(EVENT_TABLES).fetchall():
            declared = {}
            for (topic,) in connection.execute(f"SELECT DISTINCT topic FROM {table}").fetchall():
                try:
                    cls = resolve_topic(topic)
                except Exception:  # noqa: BLE001 - a topic of a class this build no longer has: left as it is
                    continue
                if personal_data_of(cls) is not None:
                    declared[topic] = cls
            rewritten = 0
            rows = connection.execute(f"SELECT originator_id, originator_version, topic, state FROM {table}"
                                      " WHERE topic = ANY(%s) ORDER BY originator_id, originator_version",
                                      (list(declared),)).fetchall()
            for originator_id, version, topic, state in rows:
                sealed = seal_stored_state(declared[topic], orjson.loads(bytes(state)), originator_id, keys, counts)
                if sealed is not None:
                    connection.execute(f"UPDATE {table} SET state = %s WHERE originator_id = %s"
                                       " AND originator_version = %s", (orjson.dumps(sealed), originator_id, version))
                    rewritten += 1
            connection.commit()
            counts.tables[table] = rewritten
            counts.events += rewritten
    return counts


def main() -> None:
    settings = ServiceSettings()
    open_key_vault(settings)
    counts = encrypt_store(settings.database_url)
    for table, events in counts.tables.items():
        print(f"{table}: {events} events rewritten")
    print(f"{counts.fields} fields sealed, {counts.blanked} fields of erased persons blanked", file=sys.stderr)


if __name__ == "__main__":
    main()
