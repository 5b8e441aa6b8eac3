"""Crypto-shredding in matching, in memory: what a match says of the case (the user's birth date, the first
meeting's place, the follow-up note) is sealed in the stored events and reads "slettet" once the case's key
is deleted; ids, dates and outcomes stay. (PersonErased on the read models: tests/integration.)"""

from datetime import date
from uuid import uuid4

from brobygger_dev.inmemory import in_memory
from brobygger_matching.application import MatchingApplication
from brobygger_matching.domain import Candidate, Party, WaitingCase
from brobygger_matching.main import MatchingSettings
from brobygger_shared.shredding import erase_keys


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
