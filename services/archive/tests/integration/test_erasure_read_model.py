"""PersonErased in the archive's records read model, on real PostgreSQL: an erased subject's record titles
and failure reasons go, ids and dates stay; a replay of the erasure changes nothing more. The sealing of the
journalpost is tested in memory in tests/service/test_erasure.py."""

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from brobygger_archive.projections import erasures, records
from brobygger_dev.testing import project, rows
from brobygger_shared.events import applications as a


@pytest.mark.stack
def test_person_erased_blanks_the_records_title_and_reason_and_a_replay_shows_slettet(scratch_database):
    erased, kept = uuid4(), uuid4()
    project(scratch_database, records)
    for subject in (erased, kept):
        rows(scratch_database, "INSERT INTO archive_records (record_id, position, subject_id, kind, is_barnevern,"
             " title, document_date, documents, created_at, status, reason, changed_at) VALUES ($1, 1, $2,"
             " 'søknad', false, 'Oppdragstaker – Kari Nordmann', $3, 1, $4, 'stoppet', '404 Kari Nordmann', $4)"
             " RETURNING 1", uuid4(), subject, date(2026, 1, 5), datetime(2026, 1, 5, tzinfo=UTC))
    erasure = a.PersonErased(aggregate_id=erased, volunteer_ids=[erased], erased_on=date(2026, 11, 27))
    project(scratch_database, erasures, erasure)
    project(scratch_database, erasures, erasure)  # a replay: the same again
    found = {row["subject_id"]: (row["title"], row["reason"], row["document_date"]) for row in rows(
        scratch_database, "SELECT subject_id, title, reason, document_date FROM archive_records")}
    assert found == {erased: ("slettet", "slettet", date(2026, 1, 5)),
                     kept: ("Oppdragstaker – Kari Nordmann", "404 Kari Nordmann", date(2026, 1, 5))}
