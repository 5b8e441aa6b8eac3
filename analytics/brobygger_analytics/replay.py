"""The replay: the event log into a DuckDB file of raw tables (one per event type) and derived tables.

The log is read (`source.py`) in Arrow batches of undecoded messages; a second thread loads each
batch into the raw tables while the next is read (DuckDB works outside the GIL, so reading and loading
share the two cores):
1. `--as-of`: messages whose occurred_at is after the end of that day (Oslo time) are left out.
2. Types this build does not know, or versions newer than its models, are counted and left out.
3. Old versions are upcast by the kernel's registry, one message at a time (they are few).
4. Each event type's messages are read by DuckDB's json_transform_strict into the columns of its JSON
   Schema, with the privacy rules applied on the way (birth years, no names): the bodies themselves
   never reach the file. Should a message not fit the columns, the batch's messages of that type are
   decoded by the kernel instead, and those it refuses are skipped and counted (`replay_skipped`).
   The rows go to temporary loading tables with their ids as they are; then, still per batch, each
   distinct id of the batch is looked up among those seen before or given its pseudonym (two SHA-256
   in SQL, the dearest part of loading: an id names many events, so it is computed once per id and
   remembered in a temporary table), and the rows are written to the raw tables with pseudonyms in
   place of the ids (ids inside a run's pay lines are pseudonymised as they are loaded). Writing per
   batch keeps that work beside the reading instead of after it.
Then the derived tables are built from the SQL files in `sql/derived/`, in name order. All of it goes
to a file beside the target, renamed over it at the end: a replay that fails or is stopped leaves the
previous file as it was, and running it again rebuilds the file whole.
"""

import asyncio
import os
import queue
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time as clock, timedelta
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa

from brobygger_analytics import privacy, schema
from brobygger_analytics.source import LANDING_SCHEMA, LogRead, read_log
from brobygger_shared.events import registry
from brobygger_shared.events.base import EventRegistry

OSLO = ZoneInfo("Europe/Oslo")

@dataclass
class ReplayResult:
    path: Path
    as_of: date | None
    read: LogRead
    events: Counter = field(default_factory=Counter)  # per event type, in the raw tables
    upcast: int = 0
    unknown: Counter = field(default_factory=Counter)  # (event type, version) with no model here
    skipped: int = 0  # messages the kernel could not decode
    seconds: float = 0.0
    loading_seconds: float = 0.0  # the loader thread's busy time (it runs beside the reading)

    @property
    def total(self) -> int:
        return sum(self.events.values())


def end_of_day(day: date) -> datetime:
    """The first instant after `day` in Oslo, in UTC."""
    return datetime.combine(day + timedelta(days=1), clock(0), OSLO).astimezone(UTC)


def replay(
    bootstrap_servers: str,
    out: Path,
    pseudonym_key: bytes,
    as_of: date | None = None,
    kommune: str = "",
    progress=None,
    event_registry: EventRegistry = registry,
) -> ReplayResult:
    """Rebuild `out` from the log. `progress(stage, done, total)` is told how far it has come."""
    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
    _remove(partial)
    # One DuckDB thread while loading: the reading needs the other core, and a batch's statements are
    # too small to gain from more; the derived tables are built with all of them.
    connection = duckdb.connect(str(partial), config={"threads": 1})
    try:
        connection.execute(privacy.pseudonym_macro(pseudonym_key))
        loader = Loader(connection, event_registry, as_of)
        batches: queue.Queue = queue.Queue(maxsize=4)
        failure: list[BaseException] = []

        def load_batches() -> None:
            while (batch := batches.get()) is not None:
                if not failure:
                    try:
                        loader.load(batch)
                    except BaseException as error:  # noqa: BLE001 - raised again by the reading thread
                        failure.append(error)

        worker = threading.Thread(target=load_batches, name="replay-loader", daemon=True)
        worker.start()
        try:
            read = asyncio.run(read_log(bootstrap_servers, batches.put,
                                        lambda done, total: report("read", done, total)))
        finally:
            batches.put(None)
            worker.join()
        if failure:
            raise failure[0]
        loader.close()
        result = ReplayResult(out, as_of, read, events=loader.events, upcast=loader.upcast, unknown=loader.unknown,
                              skipped=loader.skipped, loading_seconds=loader.busy_seconds)
        _info(connection, result, kommune)
        connection.execute("RESET threads")
        for index, (name, sql) in enumerate(derived := derived_sql()):
            report("derived", index, len(derived))
            try:
                connection.execute(sql)
            except duckdb.Error as error:
                raise RuntimeError(f"{name}: {error}") from error
        report("derived", len(derived), len(derived))
        connection.execute("CHECKPOINT")
        connection.close()
        os.replace(partial, out)
    except BaseException:
        connection.close()
        _remove(partial)
        raise
    finally:
        _remove(partial.with_name(partial.name + ".wal"))
    result.seconds = time.perf_counter() - started
    return result


def derived_sql() -> list[tuple[str, str]]:
    folder = resources.files("brobygger_analytics") / "sql" / "derived"
    files = sorted((entry for entry in folder.iterdir() if entry.name.endswith(".sql")), key=lambda e: e.name)
    return [(entry.name, entry.read_text(encoding="utf-8")) for entry in files]


class Loader:
    """Loads batches of undecoded messages into the raw tables, one table per event type."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, event_registry: EventRegistry,
                 as_of: date | None) -> None:
        self.connection = connection
        self.registry = event_registry
        self.models = schema.models(event_registry)
        self.before = end_of_day(as_of) if as_of else None
        self.events: Counter = Counter()
        self.unknown: Counter = Counter()
        self.upcast = 0
        self.skipped = 0
        self.busy_seconds = 0.0
        self._insert: dict[str, str] = {}
        self._ids: dict[str, list[str]] = {}  # event type -> its id columns, pseudonymised per batch
        self._write: dict[str, str] = {}  # event type -> the SELECT of its loaded rows with pseudonyms for ids
        self._loaded: set[str] = set()  # event types with rows in their loading table, not yet written
        # Every id seen so far with its pseudonym: an id names many events, and its pseudonym (two SHA-256
        # in SQL) is the dearest part of loading, so it is computed once per distinct id.
        connection.execute("CREATE TEMP TABLE pseudonyms (id UUID, p VARCHAR)")
        connection.execute("CREATE TEMP TABLE batch_pseudonyms (id UUID, p VARCHAR, new BOOLEAN)")
        connection.register("empty_batch", pa.Table.from_batches([], schema=LANDING_SCHEMA))
        for event_type, model in self.models.items():
            fields = schema.fields_of(model)
            structure = schema.json_structure(fields).replace("'", "''")
            columns = ", ".join(e for f in fields if (e := privacy.column_sql(f, "l.e", ids_later=True)) is not None)
            select = (f"SELECT l.topic, l.\"partition\", l.\"offset\", CAST(l.event_version AS INTEGER) AS logged_version, "
                      f"{columns} FROM (SELECT *, json_transform_strict(value, '{structure}') AS e FROM SOURCE_TABLE "
                      f"WHERE event_type = $type AND event_version = $version) AS l")
            loading = _loading(event_type)
            connection.execute(f"CREATE TEMP TABLE {loading} AS {select.replace('SOURCE_TABLE', 'empty_batch')} LIMIT 0",
                               {"type": event_type, "version": "0"})
            self._insert[event_type] = f"INSERT INTO {loading} {select}"
            self._ids[event_type] = [f.name for f in fields if privacy.pseudonymised(f)]
            self._write[event_type] = self._write_sql(event_type)
            connection.execute(f"CREATE TABLE {schema.table_name(event_type)} AS {self._write[event_type]} LIMIT 0")
        connection.unregister("empty_batch")
        connection.execute("""CREATE TABLE replay_skipped (topic VARCHAR, "partition" INTEGER, "offset" BIGINT,
                              event_type VARCHAR, event_version VARCHAR, error VARCHAR)""")

    def _write_sql(self, event_type: str) -> str:
        """The loading table's rows with each id replaced by its pseudonym (from `batch_pseudonyms`)."""
        loading = _loading(event_type)
        ids = self._ids[event_type]
        columns = [row[0] for row in self.connection.execute(f"DESCRIBE {loading}").fetchall()]
        joined = {column: f"j{number}" for number, column in enumerate(ids)}
        select = ", ".join(f'{joined[c]}.p AS "{c}"' if c in joined else f't."{c}"' for c in columns)
        joins = " ".join(f'LEFT JOIN batch_pseudonyms {alias} ON {alias}.id = t."{column}"'
                         for column, alias in joined.items())
        return f"SELECT {select} FROM {loading} t {joins}"

    def _write_loaded(self) -> None:
        """The rows loaded from one batch into the raw tables, ids as pseudonyms: the batch's distinct ids
        are looked up among those seen before, the new ones computed and remembered."""
        connection = self.connection
        sources = [f'SELECT "{column}" AS id FROM {_loading(event_type)}'
                   for event_type in self._loaded for column in self._ids[event_type]]
        if sources:
            connection.execute("DELETE FROM batch_pseudonyms")
            connection.execute(
                "INSERT INTO batch_pseudonyms SELECT b.id, CASE WHEN known.id IS NULL THEN pseudonym(b.id) "
                "ELSE known.p END, known.id IS NULL FROM (SELECT DISTINCT id FROM "
                f"({' UNION ALL '.join(sources)}) WHERE id IS NOT NULL) b LEFT JOIN pseudonyms known ON known.id = b.id")
            connection.execute("INSERT INTO pseudonyms SELECT id, p FROM batch_pseudonyms WHERE new")
        for event_type in self._loaded:
            connection.execute(f"INSERT INTO {schema.table_name(event_type)} {self._write[event_type]}")
            connection.execute(f"DELETE FROM {_loading(event_type)}")
        self._loaded.clear()

    def close(self) -> None:
        """Drop the loading tables and the pseudonyms: nothing of them is left in the file."""
        for event_type in self._ids:
            self.connection.execute(f"DROP TABLE {_loading(event_type)}")
        self.connection.execute("DROP TABLE pseudonyms")
        self.connection.execute("DROP TABLE batch_pseudonyms")

    def load(self, batch: pa.RecordBatch) -> None:
        started = time.perf_counter()
        try:
            self._load(batch)
            self._write_loaded()
        finally:
            self.busy_seconds += time.perf_counter() - started

    def _load(self, batch: pa.RecordBatch) -> None:
        connection = self.connection
        if self.before is not None:
            connection.register("unfiltered", batch)
            batch = connection.sql("SELECT * FROM unfiltered WHERE CAST(occurred_at AS TIMESTAMPTZ) < ?",
                                   params=[self.before]).to_arrow_table()
            connection.unregister("unfiltered")
        connection.register("batch", batch)
        try:
            present = connection.execute(
                "SELECT event_type, event_version, count(*) FROM batch GROUP BY ALL").fetchall()
            for event_type, version, count in present:
                model = self.models.get(event_type)
                number = _version(version)
                if model is None or number is None or number > model.event_version:
                    self.unknown[(event_type, version)] += count
                elif number < model.event_version:
                    self._decoded_by_kernel(event_type, version, upcasting=True)
                else:
                    try:
                        self._insert_from("batch", event_type, version)
                    except duckdb.Error:
                        self._decoded_by_kernel(event_type, version, upcasting=False)
        finally:
            connection.unregister("batch")

    def _insert_from(self, source: str, event_type: str, version: str) -> None:
        inserted = self.connection.execute(self._insert[event_type].replace("SOURCE_TABLE", source),
                                           {"type": event_type, "version": version}).fetchone()[0]
        self.events[event_type] += inserted
        self._loaded.add(event_type)

    def _decoded_by_kernel(self, event_type: str, version: str, upcasting: bool) -> None:
        """This type's messages in the batch, decoded (and upcast) by the kernel one by one; the ones it
        refuses are skipped and counted, the others loaded as the kernel reads them."""
        rows = self.connection.sql("SELECT * FROM batch WHERE event_type = ? AND event_version = ?",
                                   params=[event_type, version]).to_arrow_table()
        keep, values, refused = [], [], []
        for index, value in enumerate(rows.column("value").to_pylist()):
            try:
                event = self.registry.decode(event_type, int(version), (value or "").encode())
            except (ValueError, LookupError) as error:
                refused.append((index, _error_line(error)))
                continue
            keep.append(index)
            values.append(event.model_dump_json())
        if keep:
            decoded = rows.take(keep)
            decoded = decoded.set_column(decoded.schema.get_field_index("value"), "value", pa.array(values, pa.string()))
            self.connection.register("decoded", decoded)
            try:
                self._insert_from("decoded", event_type, version)
            finally:
                self.connection.unregister("decoded")
            if upcasting:
                self.upcast += len(keep)
        if refused:
            skipped = rows.take([index for index, _ in refused]).select(
                ["topic", "partition", "offset", "event_type", "event_version"]).append_column(
                "error", pa.array([error for _, error in refused], pa.string()))
            self.connection.register("refused", skipped)
            try:
                self.connection.execute("INSERT INTO replay_skipped SELECT * FROM refused")
            finally:
                self.connection.unregister("refused")
            self.skipped += len(refused)


def _loading(event_type: str) -> str:
    """The temporary table an event type's rows are loaded into, ids as they are."""
    return "temp.main.loading_" + schema.table_name(event_type).removeprefix("raw_")


def _version(text: str | None) -> int | None:
    try:
        return int(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _error_line(error: Exception) -> str:
    """What went wrong, without the message's values (a pydantic error quotes its input)."""
    errors = getattr(error, "errors", None)
    if callable(errors):
        try:
            return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['type']}" for e in errors())[:500]
        except Exception:  # noqa: BLE001 - fall back to the type alone
            pass
    return type(error).__name__


def _info(connection: duckdb.DuckDBPyConnection, result: ReplayResult, kommune: str) -> None:
    """One row describing the replay; `reference_date` is the day figures are counted up to."""
    now = datetime.now(UTC)
    reference = result.as_of or now.astimezone(OSLO).date()
    connection.execute(
        """CREATE TABLE replay_info AS SELECT CAST(? AS TIMESTAMPTZ) AS replayed_at, CAST(? AS DATE) AS as_of,
           CAST(? AS DATE) AS reference_date, ? AS kommune, ? AS messages_read, ? AS events, ? AS upcast,
           ? AS skipped, ? AS unknown_types, ? AS topics""",
        [now, result.as_of, reference, kommune, result.read.messages, result.total, result.upcast,
         result.skipped, sum(result.unknown.values()), ", ".join(result.read.topics)],
    )
    connection.execute("CREATE TABLE replay_unknown (event_type VARCHAR, event_version VARCHAR, messages BIGINT)")
    for (event_type, version), count in sorted(result.unknown.items()):
        connection.execute("INSERT INTO replay_unknown VALUES (?, ?, ?)", [event_type, version, count])


def _remove(path: Path) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
