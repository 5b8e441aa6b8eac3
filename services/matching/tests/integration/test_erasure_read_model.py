"""PersonErased in matching's read models, on real PostgreSQL: the oppdragstaker's name, birth date and
gender and the citizen's birth date are blanked, the oppdragstaker is no longer a candidate, and a replay
of the whole log (PersonErased included, twice) shows "slettet" again."""

from datetime import date
from uuid import uuid4

import pytest

from brobygger_dev.testing import project, rows
from brobygger_matching.projections import matching
from brobygger_shared.events import applications as a
from brobygger_shared.identity import synthetic_identity_number


@pytest.mark.stack
def test_erasure_blanks_the_candidate_and_the_case_and_a_replay_shows_slettet(scratch_database):
    volunteer, case = uuid4(), uuid4()
    log = [
        a.VolunteerApplicationReceived(aggregate_id=uuid4(), volunteer_id=volunteer, full_name="Kari Nordmann",
                                       birth_date=date(1990, 5, 1), roles=["støttekontakt"], area="Nord",
                                       gender="kvinne", interests=["fotball"]),
        a.ApplicationReceived(aggregate_id=case, scheme="støttekontakt", is_barnevern=False, person_id=uuid4(),
                              birth_date=date(2014, 6, 9), area="Nord", received_on=date(2026, 10, 1),
                              national_id=synthetic_identity_number(date(2014, 6, 9))),
        a.PersonErased(aggregate_id=volunteer, case_ids=[case], volunteer_ids=[volunteer],
                       erased_on=date(2026, 11, 27)),
    ]
    project(scratch_database, matching, *log)
    project(scratch_database, matching, log[-1])  # the same erasure again: nothing more changes

    def what_is_left() -> tuple:
        candidate = rows(scratch_database, "SELECT full_name, birth_date, gender, stage, area, interests"
                                          " FROM candidates")
        case_row = rows(scratch_database, "SELECT application_id, birth_date, area FROM waiting_list")
        return candidate, case_row

    expected = ([{"full_name": "slettet", "birth_date": None, "gender": None, "stage": "slettet", "area": "Nord",
                  "interests": ["fotball"]}], [{"application_id": case, "birth_date": None, "area": "Nord"}])
    assert what_is_left() == expected

    # A replay: the read model rebuilt from the start of the log.
    for table in ("candidates", "waiting_list"):
        rows(scratch_database, f"DELETE FROM {table} RETURNING 1")
    project(scratch_database, matching, *log)
    assert what_is_left() == expected
