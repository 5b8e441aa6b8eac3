"""The rebuild's quick reading of stored text (through caches) gives the same values as the ordinary
reading, and refuses (TypeError) a value stored before values were text, so that the rebuild decodes
that event the ordinary way, through the application's mapper."""

from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from uuid import UUID

import orjson
import pytest

from brobygger_payroll.application import replay
from brobygger_payroll.domain.pay import Component, PayLine, WorkEntry
from brobygger_payroll.domain.runs import line_as_dict, line_from_dict, lines_from_stored
from brobygger_payroll.domain.stored import Parsed
from brobygger_payroll.domain.timesheets import TimesheetEntry

LINES = [
    PayLine(UUID(int=1), UUID(int=2), "2025-03", Component.HOURLY_PAY, Decimal("2.5"), "sgs1030_hol", Decimal(9100),
            date(2022, 5, 1), 22750, (date(2025, 3, 4), date(2025, 3, 11)), ("TimesheetApproved@7",),
            unit="øre_per_time"),
    PayLine(UUID(int=1), UUID(int=2), "2025-04", Component.HOURLY_PAY, Decimal(-1), "sgs1030_hol", Decimal(400),
            date(2025, 3, 10), -400, (date(2025, 3, 11),), ("TimesheetApproved@9",), original_period="2025-03",
            unit="øre_per_time", replaces_rate=Decimal(9100), replaces_valid_from=date(2022, 5, 1)),
]
ENTRIES = [
    TimesheetEntry(date(2025, 3, 7), "avlastning", stay_start=datetime(2025, 3, 7, 16),
                   stay_end=datetime(2025, 3, 9, 16), km=Decimal(40)),
    TimesheetEntry(date(2025, 3, 12), "kino", hours=Decimal("1.5")),
]


def test_lines_and_entries_read_through_the_caches_equal_those_read_the_ordinary_way():
    parsed = Parsed()
    stored_lines = [line_as_dict(line) for line in LINES]
    stored_entries = [entry.as_dict() for entry in ENTRIES]

    assert lines_from_stored(stored_lines, parsed) == LINES == [line_from_dict(line) for line in stored_lines]
    assert WorkEntry.all_from_stored(stored_entries, "s", parsed) == [
        WorkEntry.from_stored(entry, "s") for entry in stored_entries]
    assert lines_from_stored(stored_lines, parsed) == LINES  # again, from the caches
    assert all(type(line) is PayLine for line in lines_from_stored(stored_lines, parsed))


def test_a_value_stored_typed_is_refused_by_the_quick_reading():
    typed_day = {**ENTRIES[1].as_dict(), "day": {"_type_": "date_iso", "_data_": "2025-03-12"}}
    typed_dates = {**line_as_dict(LINES[0]), "dates": [{"_type_": "date_iso", "_data_": "2025-03-04"}]}

    with pytest.raises(TypeError):
        WorkEntry.all_from_stored([typed_day], "s", Parsed())
    with pytest.raises(TypeError):
        lines_from_stored([typed_dates], Parsed())


def test_the_rebuild_decodes_an_event_stored_with_typed_values_through_the_applications_mapper():
    typed = {"_type_": "date_iso", "_data_": "2025-03-12"}
    state = orjson.dumps({"contract_id": {"_type_": "uuid_hex", "_data_": UUID(int=1).hex}, "period": "2025-03",
                          "entries": [{**ENTRIES[1].as_dict(), "day": typed}]})
    decoded = SimpleNamespace(contract_id=UUID(int=1), period="2025-03",
                              entries=[{**ENTRIES[1].as_dict(), "day": date(2025, 3, 12)}])
    asked = []
    app = SimpleNamespace(mapper=SimpleNamespace(to_domain_event=lambda n: asked.append(n) or decoded))
    row = (7, UUID(int=9), 2, replay._APPROVED, state)

    contract_id, period, entries = replay._approved(app, row, Parsed())

    assert (contract_id, period) == (UUID(int=1), "2025-03") and len(asked) == 1
    source = f"TimesheetApproved@7 (timeliste {UUID(int=9)})"
    assert entries == [WorkEntry(date(2025, 3, 12), Decimal("1.5"), source=source)]


def test_a_line_stored_before_it_had_every_field_is_refused_by_the_quick_reading():
    older = {key: value for key, value in line_as_dict(LINES[0]).items() if not key.startswith("replaces")}

    with pytest.raises(KeyError):
        lines_from_stored([older], Parsed())
    assert line_from_dict(older) == LINES[0]
