"""Matching over HTTP and Kafka on the embedded stack: rank, propose, both accept -> VolunteerMatched;
decline -> back on the waiting list with the original waiting time; an excluded person refused."""

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from brobygger_shared.auth import BARNEVERN, CASEWORKER
from brobygger_dev.testing import events_on_kafka, eventually, headers_of, staff_headers
from brobygger_shared.topics import events_topic
from tests.integration.flows import approved_volunteer, get, granted_case, match_made, staff_post, url

pytestmark = pytest.mark.stack


@pytest.fixture
def pair(stack, http):
    """An approved støttekontakt who shares interests and area with a granted case, both seen by matching."""
    volunteer = approved_volunteer(http, stack, roles=["støttekontakt"], area="Sentrum",
                                   interests=["fotball", "kino", "turer"])
    case = granted_case(http, stack)
    eventually(lambda: any(c["volunteer_id"] == volunteer["volunteer_id"] and c["stage"] == "godkjent"
                           for c in get(http, stack, "matching", "/candidates")))
    eventually(lambda: any(w["application_id"] == case["application_id"]
                           for w in get(http, stack, "matching", "/waiting-list")))
    return volunteer, case


def _waiting(http, stack, application_id):
    return [w for w in get(http, stack, "matching", "/waiting-list") if w["application_id"] == application_id]


def test_candidates_are_ranked_for_a_case_with_every_point_explained(stack, http, pair):
    volunteer, case = pair

    ranked = get(http, stack, "matching", f"/waiting-list/{case['application_id']}/candidates")
    mine = next(r for r in ranked if r["volunteer_id"] == volunteer["volunteer_id"])

    assert mine["eligible"] is True
    assert mine["contributions"]["felles interesser"] == 20  # fotball and kino, 10 each
    assert mine["contributions"]["samme område"] == 15
    assert mine["score"] == 35
    assert "felles interesser (+20)" in mine["explanation"]
    scores = [r["score"] for r in ranked if r["eligible"]]
    assert scores == sorted(scores, reverse=True)


def test_a_proposal_accepted_by_both_sides_and_confirmed_after_the_first_meeting_becomes_volunteer_matched(stack, http, pair):
    volunteer, case = pair
    suggestions = staff_post(http, stack, "matching", "/waiting-list/suggestions")["suggestions"]
    assert any(s["application_id"] == case["application_id"] for s in suggestions)

    match = staff_post(http, stack, "matching", "/matches", {
        "application_id": case["application_id"], "volunteer_id": volunteer["volunteer_id"]}, expect=201)
    matched = match_made(http, stack, match["match_id"])

    assert matched["status"] == "matchet"
    assert matched["first_meeting"]["place"] == "Biblioteket"
    records = events_on_kafka(stack.kafka_bootstrap_servers, events_topic("matching"), match["match_id"], 5)
    assert [headers_of(r)["event_type"] for r in records] == [
        "MatchProposed", "MatchAcceptedInPrinciple", "FirstMeetingPlanned", "VolunteerMatched", "FollowUpPlanned"]
    assert b"Biblioteket" not in records[2].value  # the meeting's place stays in matching
    body = records[3].value.decode()
    decision = case["decisions"][-1]
    assert case["application_id"] in body and volunteer["volunteer_id"] in body
    assert f'"period_from":"{decision["period_from"]}"' in body and '"scope":3.0' in body
    eventually(lambda: not _waiting(http, stack, case["application_id"]))
    eventually(lambda: next(c for c in get(http, stack, "matching", "/candidates")
                            if c["volunteer_id"] == volunteer["volunteer_id"])["assignments"] == 1)


def test_a_declined_proposal_puts_the_case_back_with_its_original_waiting_time(stack, http, pair):
    volunteer, case = pair
    before = _waiting(http, stack, case["application_id"])[0]

    match = staff_post(http, stack, "matching", "/matches", {
        "application_id": case["application_id"], "volunteer_id": volunteer["volunteer_id"]}, expect=201)
    eventually(lambda: not _waiting(http, stack, case["application_id"]))
    declined = staff_post(http, stack, "matching", f"/matches/{match['match_id']}/decline",
                          {"party": "oppdragstaker", "reason": "Har ikke tid likevel."})
    back = eventually(lambda: _waiting(http, stack, case["application_id"]))[0]

    assert declined["status"] == "avslått"
    assert back["waiting_since"] == before["waiting_since"]
    records = events_on_kafka(stack.kafka_bootstrap_servers, events_topic("matching"), match["match_id"], 2)
    assert headers_of(records[1])["event_type"] == "MatchDeclined"


def test_a_person_a_hard_constraint_excludes_cannot_be_proposed(stack, http, pair):
    _, case = pair
    avlaster = approved_volunteer(http, stack, roles=["avlaster"])
    eventually(lambda: any(c["volunteer_id"] == avlaster["volunteer_id"] and c["stage"] == "godkjent"
                           for c in get(http, stack, "matching", "/candidates")))

    refused = staff_post(http, stack, "matching", "/matches", {
        "application_id": case["application_id"], "volunteer_id": avlaster["volunteer_id"]}, expect=409)

    assert refused["excluded_because"] == ["kan ikke være støttekontakt"]
    assert "er utelukket" in refused["detail"]


def test_parallel_proposals_of_one_person_never_exceed_their_capacity(stack, http):
    """Three proposals of one person to three cases at the same moment: open proposals take places, so
    with a capacity of 2 one is refused, however the requests interleave."""
    volunteer = approved_volunteer(http, stack, roles=["støttekontakt"], area="Sentrum", interests=["fotball"])
    cases = [granted_case(http, stack) for _ in range(3)]
    eventually(lambda: any(c["volunteer_id"] == volunteer["volunteer_id"] and c["stage"] == "godkjent"
                           for c in get(http, stack, "matching", "/candidates")))
    for case in cases:
        eventually(lambda case=case: _waiting(http, stack, case["application_id"]))
    barrier = threading.Barrier(len(cases))

    def propose(case: dict) -> httpx.Response:
        with httpx.Client(timeout=30) as client:
            barrier.wait()
            return client.post(url(stack, "matching", "/matches"), headers=staff_headers(CASEWORKER, BARNEVERN),
                               json={"application_id": case["application_id"],
                                     "volunteer_id": volunteer["volunteer_id"]})

    with ThreadPoolExecutor(len(cases)) as pool:
        answers = list(pool.map(propose, cases))

    assert sorted(answer.status_code for answer in answers) == [201, 201, 409], [a.text for a in answers]
    refused = next(answer.json() for answer in answers if answer.status_code == 409)
    assert "ikke ledig kapasitet" in refused["detail"]
    for answer in answers:
        if answer.status_code == 201:
            match_made(http, stack, answer.json()["match_id"])
    assert eventually(lambda: next(c for c in get(http, stack, "matching", "/candidates")
                                   if c["volunteer_id"] == volunteer["volunteer_id"])["assignments"] == 2)


def _staff_get(http, stack, path, *roles) -> httpx.Response:
    return http.get(url(stack, "matching", path), headers=staff_headers(*roles))


def test_roles_compose_barnevern_staff_alone_work_on_barnevern_cases_and_saksbehandlere_on_ordinary_ones(
        stack, http):
    """Fault 5 and the roles over HTTP: a plain støttekontakt holding a barneomsorgsattest is a candidate for
    both an ordinary and a barnevern støttekontakt case; each case is for the staff its role allows."""
    volunteer = approved_volunteer(http, stack, roles=["støttekontakt"], area="Sentrum", interests=["fotball"])
    staff_post(http, stack, "applications", f"/volunteer-applications/{volunteer['application_id']}/police-certificate",
               {"kind": "barneomsorgsattest", "issued_on": volunteer["certificate"]["issued_on"],
                "has_remarks": False})
    ordinary = granted_case(http, stack)
    barnevern = granted_case(http, stack, scheme="støttekontakt_barnevern")
    eventually(lambda: next(c for c in get(http, stack, "matching", "/candidates")
                            if c["volunteer_id"] == volunteer["volunteer_id"])["certificate_kind"] == "barneomsorgsattest")
    for case in (ordinary, barnevern):
        eventually(lambda case=case: _waiting(http, stack, case["application_id"]))

    def waiting(*roles) -> set[str]:
        answer = _staff_get(http, stack, "/waiting-list", *roles)
        assert answer.status_code == 200, answer.text
        return {w["application_id"] for w in answer.json()}

    def ranked_for(case, *roles) -> httpx.Response:
        return _staff_get(http, stack, f"/waiting-list/{case['application_id']}/candidates", *roles)

    assert barnevern["application_id"] in waiting(BARNEVERN) and ordinary["application_id"] not in waiting(BARNEVERN)
    assert ordinary["application_id"] in waiting(CASEWORKER) and barnevern["application_id"] not in waiting(CASEWORKER)
    assert ranked_for(barnevern, CASEWORKER).status_code == 404
    assert ranked_for(ordinary, BARNEVERN).status_code == 404
    for case, role in ((ordinary, CASEWORKER), (barnevern, BARNEVERN)):
        answer = ranked_for(case, role)
        assert answer.status_code == 200, answer.text
        mine = next(r for r in answer.json() if r["volunteer_id"] == volunteer["volunteer_id"])
        assert mine["eligible"] is True, mine["explanation"]
    proposed = http.post(url(stack, "matching", "/matches"), headers=staff_headers(BARNEVERN), json={
        "application_id": barnevern["application_id"], "volunteer_id": volunteer["volunteer_id"]})
    assert proposed.status_code == 201, proposed.text
    assert _staff_get(http, stack, f"/matches/{proposed.json()['match_id']}", CASEWORKER).status_code == 404


def test_a_case_whose_service_ended_leaves_the_waiting_list_and_its_open_proposal_cannot_be_accepted(
        stack, http, pair):
    volunteer, case = pair
    match = staff_post(http, stack, "matching", "/matches", {
        "application_id": case["application_id"], "volunteer_id": volunteer["volunteer_id"]}, expect=201)

    staff_post(http, stack, "applications", f"/service-applications/{case['application_id']}/ending",
               {"ended_on": case["decisions"][-1]["decided_on"], "reason": "Flyttet."})

    def refused():
        answer = http.post(url(stack, "matching", f"/matches/{match['match_id']}/acceptance"),
                           headers=staff_headers(CASEWORKER), json={"party": "bruker"})
        assert answer.status_code == 409, answer.text
        return answer.json()

    assert "avsluttet" in eventually(refused)["detail"]


def test_proposals_waiting_for_an_answer_are_listed_and_counted_only_for_the_roles_that_see_their_case(
        stack, http):
    volunteer = approved_volunteer(http, stack, roles=["støttekontakt"], area="Sentrum", interests=["fotball"])
    staff_post(http, stack, "applications", f"/volunteer-applications/{volunteer['application_id']}/police-certificate",
               {"kind": "barneomsorgsattest", "issued_on": volunteer["certificate"]["issued_on"],
                "has_remarks": False})
    ordinary = granted_case(http, stack)
    barnevern = granted_case(http, stack, scheme="støttekontakt_barnevern")
    eventually(lambda: next(c for c in get(http, stack, "matching", "/candidates")
                            if c["volunteer_id"] == volunteer["volunteer_id"])["certificate_kind"] == "barneomsorgsattest")
    for case in (ordinary, barnevern):
        eventually(lambda case=case: _waiting(http, stack, case["application_id"]))

    def counts(*roles) -> dict:
        answer = _staff_get(http, stack, "/summary", *roles)
        assert answer.status_code == 200, answer.text
        return answer.json()

    before = {role: counts(role) for role in (CASEWORKER, BARNEVERN)}
    assert before[CASEWORKER]["waiting"] >= 1 and before[BARNEVERN]["waiting"] >= 1
    matches = {}
    for case, role in ((ordinary, CASEWORKER), (barnevern, BARNEVERN)):
        proposed = http.post(url(stack, "matching", "/matches"), headers=staff_headers(role), json={
            "application_id": case["application_id"], "volunteer_id": volunteer["volunteer_id"]})
        assert proposed.status_code == 201, proposed.text
        matches[role] = proposed.json()["match_id"]

    def listed(role) -> dict:
        answer = _staff_get(http, stack, "/matches?status=foreslått", role)
        assert answer.status_code == 200, answer.text
        return {row["match_id"]: row for row in answer.json()}

    seen = eventually(lambda: (lambda rows: rows if matches[CASEWORKER] in rows else None)(listed(CASEWORKER)))
    mine = seen[matches[CASEWORKER]]
    assert mine["volunteer_name"] == volunteer["full_name"] and mine["application_id"] == ordinary["application_id"]
    assert mine["status"] == "foreslått" and mine["proposed_on"] and mine["expires_on"]
    assert matches[BARNEVERN] not in seen  # a barnevern case's proposal: not there without the role
    barnevern_rows = eventually(lambda: (lambda rows: rows if matches[BARNEVERN] in rows else None)(listed(BARNEVERN)))
    assert matches[CASEWORKER] not in barnevern_rows
    for role in (CASEWORKER, BARNEVERN):  # each count moved by its own proposal alone: one less waiting, one more
        after = eventually(lambda role=role: (lambda now: now if now["waiting"] == before[role]["waiting"] - 1 else None)(
            counts(role)))
        assert after["proposals_waiting"] == before[role]["proposals_waiting"] + 1
    assert _staff_get(http, stack, "/summary").status_code == 403  # no case role: nothing
