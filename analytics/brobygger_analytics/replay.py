"""The replay: the event log into a DuckDB file of raw tables (one per event type) and derived tables.

1. The messages land, undecoded, in a TEMPORARY table (held by the connection, never written to the
   file): the bodies still carry names and birth dates there.
2. `--as-of`: messages whose occurred_at is after the end of that day (Oslo time) are dropped.
3. Old versions are upcast by the kernel's registry, one message at a time (they are few).
4. Each event type's messages are read by DuckDB's json_transform_strict into the columns of its
   JSON Schema; should any message of a type not fit them, every message of that type is decoded by
   the kernel instead, and those it refuses are skipped and counted (`replay_skipped`).
5. The raw tables are written with the privacy rules applied (pseudonyms, birth years, no names),
   then the derived tables from the SQL files in `sql/derived/`, in name order.
6. All of it goes to a file beside the target, renamed over it at the end: a replay that fails or is
   stopped leaves the previous file as it was, and running it again rebuilds the file whole.
"""

import asyncio
import os
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
from brobygger_analytics.source import LogRead, read_log
from brobygger_shared.events import registry
from brobygger_shared.events.base import EventRegistry

OSLO = ZoneInfo("Europe/Oslo")

LANDING = """
CREATE TEMP TABLE landing (
    topic VARCHAR, "partition" INTEGER, "offset" BIGINT, event_type VARCHAR, event_version VARCHAR,
    occurred_at VARCHAR, value VARCHAR
)
"""


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
    connection = duckdb.connect(str(partial))
    try:
        connection.execute(privacy.pseudonym_macro(pseudonym_key))
        connection.execute(LANDING)

        def land(batch: pa.RecordBatch) -> None:
            connection.register("batch", batch)
            connection.execute("INSERT INTO landing SELECT * FROM batch")
            connection.unregister("batch")

        read = asyncio.run(read_log(bootstrap_servers, land, lambda done, total: report("read", done, total)))
        result = ReplayResult(out, as_of, read)
        if as_of is not None:
            connection.execute("DELETE FROM landing WHERE CAST(occurred_at AS TIMESTAMPTZ) >= ?", [end_of_day(as_of)])
        connection.execute("""CREATE TEMP TABLE replay_skipped_rows (topic VARCHAR, "partition" INTEGER,
                              "offset" BIGINT, event_type VARCHAR, event_version VARCHAR, error VARCHAR)""")
        models = schema.models(event_registry)
        present = connection.execute(
            "SELECT event_type, event_version, count(*) FROM landing GROUP BY ALL ORDER BY ALL").fetchall()
        for index, (event_type, version, count) in enumerate(present):
            report("decode", index, len(present))
            model = models.get(event_type)
            number = _version(version)
            if model is None or number is None or number > model.event_version:
                result.unknown[(event_type, version)] += count
                connection.execute("DELETE FROM landing WHERE event_type = ? AND event_version IS NOT DISTINCT FROM ?",
                                   [event_type, version])
            elif number < model.event_version:
                result.upcast += _upcast(connection, event_registry, event_type, version)
        for index, (event_type, model) in enumerate(models.items()):
            report("tables", index, len(models))
            result.events[event_type] = _raw_table(connection, event_registry, model)
        result.skipped = connection.execute("SELECT count(*) FROM replay_skipped_rows").fetchone()[0]
        connection.execute("CREATE TABLE replay_skipped AS SELECT topic, \"partition\", \"offset\", event_type, "
                           "event_version, error FROM replay_skipped_rows")
        connection.execute("DROP TABLE landing")
        _info(connection, result, kommune)
        for name, sql in derived_sql():
            report("derived", 0, 0)
            try:
                connection.execute(sql)
            except duckdb.Error as error:
                raise RuntimeError(f"{name}: {error}") from error
        connection.execute("CHECKPOINT")
        connection.close()
        os.replace(partial, out)
        _remove(out.with_name(out.name + ".wal"))
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


def _version(text: str | None) -> int | None:
    try:
        return int(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _upcast(connection: duckdb.DuckDBPyConnection, event_registry: EventRegistry, event_type: str,
            version: str) -> int:
    """Upcast one old version's messages with the kernel, in place; the ones it refuses are skipped."""
    rows = connection.execute("SELECT rowid, value FROM landing WHERE event_type = ? AND event_version = ?",
                              [event_type, version]).fetchall()
    ids, values, refused = [], [], []
    for rowid, value in rows:
        try:
            event = event_registry.decode(event_type, int(version), (value or "").encode())
        except (ValueError, LookupError) as error:
            refused.append((rowid, _error_line(error)))
            continue
        ids.append(rowid)
        values.append(event.model_dump_json())
    if ids:
        connection.register("upcast", pa.table({"id": pa.array(ids, pa.int64()), "value": pa.array(values, pa.string())}))
        connection.execute("UPDATE landing SET value = upcast.value FROM upcast WHERE landing.rowid = upcast.id")
        connection.unregister("upcast")
    _skip(connection, refused)
    return len(ids)


def _raw_table(connection: duckdb.DuckDBPyConnection, event_registry: EventRegistry, model) -> int:
    fields = schema.fields_of(model)
    structure = schema.json_structure(fields).replace("'", "''")
    columns = ", ".join(expression for f in fields if (expression := privacy.column_sql(f, "l.e")) is not None)
    select = f"""
        SELECT l.topic, l."partition", l."offset", CAST(l.event_version AS INTEGER) AS logged_version, {columns}
        FROM (SELECT *, json_transform_strict(value, '{structure}') AS e FROM landing WHERE event_type = ?) AS l
        ORDER BY l.e.occurred_at, l.topic, l."partition", l."offset"
    """
    table = schema.table_name(model.event_type)
    try:
        connection.execute(f"CREATE TABLE {table} AS {select}", [model.event_type])
    except duckdb.Error:
        _validate_with_kernel(connection, event_registry, model)
        connection.execute(f"CREATE TABLE {table} AS {select}", [model.event_type])
    return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _validate_with_kernel(connection: duckdb.DuckDBPyConnection, event_registry: EventRegistry, model) -> None:
    """Some message of this type does not fit its columns: decode each with the kernel, skip the ones it
    refuses, and write the others back as the kernel reads them (defaults filled in)."""
    rows = connection.execute("SELECT rowid, value FROM landing WHERE event_type = ?", [model.event_type]).fetchall()
    refused, ids, values = [], [], []
    for rowid, value in rows:
        try:
            event = event_registry.decode(model.event_type, model.event_version, (value or "").encode())
        except (ValueError, LookupError) as error:
            refused.append((rowid, _error_line(error)))
            continue
        ids.append(rowid)
        values.append(event.model_dump_json())
    if ids:
        connection.register("checked", pa.table({"id": pa.array(ids, pa.int64()), "value": pa.array(values, pa.string())}))
        connection.execute("UPDATE landing SET value = checked.value FROM checked WHERE landing.rowid = checked.id")
        connection.unregister("checked")
    _skip(connection, refused)


def _skip(connection: duckdb.DuckDBPyConnection, refused: list[tuple[int, str]]) -> None:
    if not refused:
        return
    connection.register("refused", pa.table({"id": pa.array([r for r, _ in refused], pa.int64()),
                                             "error": pa.array([e for _, e in refused], pa.string())}))
    connection.execute("""INSERT INTO replay_skipped_rows SELECT topic, "partition", "offset", event_type,
                          event_version, refused.error FROM landing JOIN refused ON landing.rowid = refused.id""")
    connection.execute("DELETE FROM landing WHERE rowid IN (SELECT id FROM refused)")
    connection.unregister("refused")


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
        [now, result.as_of, reference, kommune, result.read.messages, sum(result.events.values()), result.upcast,
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
