"""PersonErased in matching's read models, on real PostgreSQL: the oppdragstaker's name, birth date and
gender and the citizen's birth date are blanked, the oppdragstaker is no longer a candidate, and a replay
of the whole log (PersonErased included, twice) shows "slettet" again. And in memory: what a match says of
the case (the user's birth date, the first meeting's place, the follow-up note) is sealed in the stored
events and reads "slettet" once the case's key is deleted."""

from datetime import date
from uuid import uuid4

import pytest

from brobygger_dev.inmemory import in_memory
from brobygger_dev.testing import project, rows
from brobygger_matching.application import MatchingApplication
from brobygger_matching.domain import Candidate, Party, WaitingCase
from brobygger_matching.main import MatchingSettings
from brobygger_matching.projections import matching
from brobygger_shared.events import applications as a
from brobygger_shared.identity import synthetic_identity_number
from brobygger_shared.shredding import erase_keys


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


def test_what_a_match_says_of_the_case_is_sealed_and_reads_slettet_once_the_cases_key_is_gone(keys_in_memory):
    app = in_memory(MatchingApplication, MatchingSettings())
    kari = Candidate(volunteer_id=uuid4(), full_name="Kari Nordmann", roles=frozenset({"støttekontakt"}),
                     interests=frozenset(), languages=frozenset(), gender=None, birth_date=date(1990, 5, 1),
                     area="Nord", has_car=False, has_spare_bedroom=False, certificate_kind="ordinær",
                     certificate_valid=True, assignments=0)
    case = WaitingCase(application_id=uuid4(), scheme="støttekontakt", area="Nord", interests=frozenset(),
                       birth_date=date(2014, 6, 9), waiting_since=date(2026, 9, 1), scope=4.0,
                       scope_unit="timer_per_uke", period_from=date(2027, 1, 1), period_to=date(2027, 12, 31))
    day = date(2026, 11, 25)
    match = app.propose(case, kari.volunteer_id, [kari], "sara", day)
    app.accept(match.id, Party.USER, day)
    app.accept(match.id, Party.VOLUNTEER, day)
    app.plan_first_meeting(match.id, day, "Hjemme hos Ola Nordmann, Storgata 1", "Sara", day)
    app.confirm(match.id, Party.USER, day)
    app.confirm(match.id, Party.VOLUNTEER, day)
    app.record_follow_up(match.id, day, "Sara", "Ola Nordmann trives godt", "fortsetter", day)

    stored = b"".join(n.state for n in app.recorder.select_notifications(start=1, limit=1000))
    assert b"Nordmann" not in stored and b"2014-06-09" not in stored
    assert app.match(match.id).follow_ups[0]["note"] == "Ola Nordmann trives godt"

    erase_keys([case.application_id])
    erased = app.match(match.id)
    assert (erased.follow_ups[0]["note"], erased.meeting_place) == ("slettet", "slettet")
    assert (erased.follow_ups[0]["outcome"], erased.meeting_on) == ("fortsetter", day)  # not personal: stays
