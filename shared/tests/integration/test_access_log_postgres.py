"""The access log and the idempotency keys in real PostgreSQL: a record is kept and found by any of its
ids, cannot be changed, and goes after its retention; a kept command answer (which may name a person) is
deleted once expired, whatever key the next command carries."""

import asyncio
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import asyncpg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from brobygger_dev.runtime.postgres import EmbeddedPostgres
from brobygger_shared import idempotency
from brobygger_shared.access_log import AccessRecord, PostgresAccessLog

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def postgres_url():
    postgres = EmbeddedPostgres(Path(tempfile.mkdtemp(prefix="brobygger-access-")), durable=False)
    postgres.start()
    try:
        yield postgres.url()
    finally:
        postgres.stop()


def _record(at: datetime, *ids: str) -> AccessRecord:
    return AccessRecord(at=at, service="contracts", user_id="sara", roles=["saksbehandler"], person_ids=list(ids),
                        resource="contract", operation="GET /contracts/{contract_id}", purpose="side /kontrakter",
                        self_authorised=False, correlation_id="c-1")


def test_records_are_found_by_each_id_kept_unchanged_and_forgotten_after_retention(postgres_url):
    async def run():
        pool = await asyncpg.create_pool(postgres_url, min_size=1, max_size=2)
        try:
            log = PostgresAccessLog(pool, "contracts", retention_days=30)
            await log.setup()
            await log.setup()  # a restart: set up again
            now = datetime.now(UTC)
            await log.append(_record(now, "contract-1", "volunteer-1"))
            await log.append(_record(now - timedelta(days=31), "volunteer-1"))
            with pytest.raises(asyncpg.PostgresError, match="append-only"):
                await pool.execute("UPDATE access_log SET user_id = 'someone else'")
            found = await log.about("volunteer-1", 10)
            assert [(r.service, r.user_id, r.person_ids) for r in found] == [
                ("contracts", "sara", ["contract-1", "volunteer-1"])]  # the 31-day-old one is gone
            assert await log.about("contract-2", 10) == []
        finally:
            await pool.close()

    asyncio.run(run())


def test_an_expired_answer_is_deleted_by_the_next_command_whatever_its_key(postgres_url):
    pool_holder = {}
    app = FastAPI()
    idempotency.install_idempotency(app)

    @app.post("/things")
    async def make() -> dict:
        return {"full_name": "Kari Nordmann"}

    async def prepare():
        pool = await asyncpg.create_pool(postgres_url, min_size=1, max_size=2)
        await idempotency.setup(pool)
        await pool.execute("INSERT INTO idempotency_keys (key, fingerprint, status, content_type, body, created_at)"
                           " VALUES ('old', 'f', 200, 'application/json', '\"Kari\"', now() - interval '25 hours')")
        pool_holder["pool"] = pool

    with TestClient(app) as client:
        client.portal.call(prepare)
        pool = pool_holder["pool"]
        app.state.runtime = SimpleNamespace(read_pool=pool, settings=SimpleNamespace(idempotency_key_hours=24))
        assert client.post("/things", headers={"Idempotency-Key": "new"}).status_code == 200
        keys = client.portal.call(pool.fetch, "SELECT key FROM idempotency_keys ORDER BY key")
        assert [row["key"] for row in keys] == ["new"]
        client.portal.call(pool.close)


def test_a_person_s_key_is_kept_in_the_key_table_until_erased(postgres_url):
    from uuid import uuid4

    from psycopg_pool import ConnectionPool

    from brobygger_shared.shredding import ERASED, PostgresPersonKeys, seal, unseal

    with ConnectionPool(postgres_url, min_size=1, max_size=2, open=True) as pool:
        keys = PostgresPersonKeys(pool)
        keys.setup()
        kari = uuid4()
        sealed = seal(keys, kari, "Kari Nordmann")
        assert unseal(keys, kari, sealed) == "Kari Nordmann"
        assert keys.key_for(kari) == keys.key_for(kari, create=True)  # made once
        assert keys.erase(kari) is True
        assert unseal(keys, kari, sealed) == ERASED
        assert keys.key_for(kari, create=True) is None  # never a new key for an erased person
        with pool.connection() as connection:
            assert connection.execute("SELECT key FROM person_keys WHERE person_id = %s", (kari,)).fetchone()[0] is None


def new_database(postgres_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return postgres_url.rsplit("/", 1)[0] + "/" + name


def test_stored_events_hold_no_plaintext_personal_data_and_the_keys_are_in_the_vault_database(postgres_url):
    from datetime import date
    from typing import ClassVar

    import psycopg
    from eventsourcing.domain import Aggregate, event

    from brobygger_shared import shredding
    from brobygger_shared.eventstore import EventSourcedApplication, events_table
    from brobygger_shared.identity import synthetic_identity_number
    from brobygger_shared.settings import ServiceSettings
    from brobygger_shared.shredding import ERASED, PersonalData

    class Applicant(Aggregate):
        class Applied(Aggregate.Created):
            personal_data: ClassVar[PersonalData] = PersonalData(
                subject="originator_id", fields=("full_name", "national_id", "birth_date"))
            full_name: str
            national_id: str
            birth_date: date

        @event(Applied)
        def __init__(self, full_name: str, national_id: str, birth_date: date):
            self.full_name, self.national_id, self.birth_date = full_name, national_id, birth_date

    number = synthetic_identity_number(date(1985, 3, 14))
    vault_url = new_database(postgres_url, "brobygger_keys")
    previous = shredding.key_vault()
    app = EventSourcedApplication(ServiceSettings(database_url=postgres_url, key_vault_url=vault_url))
    try:
        kari = Applicant("Kari Nordmann", number, date(1985, 3, 14))
        app.save(kari)
        with psycopg.connect(postgres_url) as connection:
            rows = connection.execute(f"SELECT state FROM {events_table(app)}").fetchall()
        raw = b"".join(bytes(row[0]) for row in rows)
        assert b"Kari" not in raw and number.encode() not in raw and b"1985" not in raw and b"enc:v1:" in raw
        assert app.repository.get(kari.id).national_id == number
        with psycopg.connect(vault_url) as connection:
            assert connection.execute("SELECT count(*) FROM person_keys WHERE person_id = %s",
                                      (kari.id,)).fetchone()[0] == 1
        shredding.erase_keys([kari.id])
        erased = app.repository.get(kari.id)
        assert (erased.full_name, erased.national_id, erased.birth_date) == (ERASED, ERASED, None)
    finally:
        app.close()
        shredding.key_vault().backend.pool.close()
        shredding.use_key_vault(previous)


def test_the_one_off_command_encrypts_events_written_before_encryption_and_they_read_the_same(postgres_url):
    from datetime import date
    from typing import ClassVar
    from uuid import UUID, uuid4

    import psycopg
    from eventsourcing.domain import Aggregate, event

    from brobygger_shared import shredding
    from brobygger_shared.encrypt_store import encrypt_store
    from brobygger_shared.eventstore import EventSourcedApplication, events_table
    from brobygger_shared.identity import synthetic_identity_number
    from brobygger_shared.settings import ServiceSettings
    from brobygger_shared.shredding import ERASED, PersonalData

    class Volunteer(Aggregate):
        class Applied(Aggregate.Created):
            personal_data: ClassVar[PersonalData] = PersonalData(
                subject="volunteer_id", fields=("full_name", "national_id", "birth_date", "household"))
            volunteer_id: UUID
            full_name: str
            national_id: str
            birth_date: date
            household: list
            area: str

        @event(Applied)
        def __init__(self, volunteer_id: UUID, full_name: str, national_id: str, birth_date: date, household: list,
                     area: str):
            self.volunteer_id, self.full_name, self.national_id = volunteer_id, full_name, national_id
            self.birth_date, self.household, self.area = birth_date, household, area

    number = synthetic_identity_number(date(1979, 11, 2))
    database = new_database(postgres_url, "before_encryption")
    previous = shredding.key_vault()
    app = EventSourcedApplication(ServiceSettings(database_url=database))  # its keys in its own database
    try:
        declaration = Volunteer.Applied.personal_data
        Volunteer.Applied.personal_data = None  # written as before encryption existed
        arne, kari = (Volunteer(uuid4(), name, number, date(1979, 11, 2), [{"full_name": "Nora"}], "Nord")
                      for name in ("Arne Testesen", "Kari Testesen"))
        app.save(arne, kari)
        Volunteer.Applied.personal_data = declaration
        shredding.erase_keys([kari.volunteer_id])  # erased before the store was encrypted

        counts = encrypt_store(database)

        with psycopg.connect(database) as connection:
            raw = b"".join(bytes(row[0]) for row in connection.execute(f"SELECT state FROM {events_table(app)}"))
        assert b"Testesen" not in raw and number.encode() not in raw and b"1979" not in raw and b"Nora" not in raw
        assert (counts.events, counts.fields, counts.blanked) == (2, 4, 4)
        again = app.repository.get(arne.id)
        assert (again.full_name, again.national_id, again.birth_date, again.household, again.area) == (
            "Arne Testesen", number, date(1979, 11, 2), [{"full_name": "Nora"}], "Nord")
        assert app.repository.get(kari.id).full_name == ERASED
        assert encrypt_store(database).events == 0  # a second run finds nothing left to do
    finally:
        Volunteer.Applied.personal_data = declaration
        app.close()
        shredding.key_vault().backend.pool.close()
        shredding.use_key_vault(previous)
