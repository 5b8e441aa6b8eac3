"""What the applications service publishes of each use case, in memory, as a consumer decodes it off the
wire: every mapping of `publishing` (a citizen's case from søknad to ending, an oppdragstaker from
application to approval, renewal or rejection), and what stays private."""

from datetime import UTC, date, datetime

import pytest

from brobygger_applications import application, publishing
from brobygger_applications.application import ApplicationsApplication, NewServiceApplication, NewVolunteerApplication
from brobygger_applications.domain import NewDecision
from brobygger_applications.main import ApplicationsSettings
from brobygger_shared.events import applications as a
from brobygger_shared.identity import synthetic_identity_number
from brobygger_dev.inmemory import in_memory, of_type, published
from brobygger_shared.rules import InvalidValue
from brobygger_shared.wishes import HelperWishes

RECEIVED_ON = date(2026, 2, 2)
CHILD_BORN = date(2014, 6, 9)
KARI_BORN = date(1990, 5, 1)
WISHES = {"gender": "kvinne", "language": "arabisk", "age_from": 20, "age_to": 40}


@pytest.fixture
def app(monkeypatch) -> ApplicationsApplication:
    # The letter's PDF is tested on its own (test_letters.py) and takes seconds to render: here a stand-in
    # of the same case and kind, so the tier stays fast while the letter's publishing is still followed.
    monkeypatch.setattr(application, "render_letter",
                        lambda case, kind, *_: f"{case.id}:{kind}:{len(case.letters)}".encode())
    return in_memory(ApplicationsApplication, ApplicationsSettings())


def received_case(app: ApplicationsApplication, scheme: str = "støttekontakt_barnevern"):
    form = NewServiceApplication(
        national_id=synthetic_identity_number(CHILD_BORN), full_name="Ola Testesen", birth_date=CHILD_BORN,
        address="Testveien 1", area="Nord", scheme=scheme, needs="Fotball og venner.", interests=["fotball"],
        wished_activities=["kino"], helper_wishes=WISHES, carers=[], scope_asked=4, email="ola@example.org",
        mobile="+4791234567")
    case, created = app.receive_service_application(form, RECEIVED_ON)
    assert created
    return case


def test_a_case_from_soknad_to_klage_and_ending_publishes_each_step_with_its_facts(app):
    case = received_case(app)
    app.send_interim_reply(case.id, "Mange saker.", date(2026, 3, 20), date(2026, 2, 20), "Sara", date(2026, 2, 20))
    app.decide(case.id, NewDecision(True, 4, date(2026, 4, 1), date(2026, 12, 31)), "Behov for fritid.", "sara",
               "Sara", date(2026, 3, 10))
    app.register_appeal(case.id, "Vil ha flere timer.", date(2026, 3, 25), date(2026, 3, 25))
    app.forward_appeal(case.id, "Vedtaket står.", date(2026, 4, 2))
    app.register_statsforvalter_result(case.id, "stadfestet", "", date(2026, 6, 1), None, date(2026, 6, 1))
    app.end_service(case.id, date(2026, 9, 30), "Flytter.", None, date(2026, 9, 1))

    events = published(app, publishing.to_integration_event)
    assert [type(e) for e in events] == [
        a.ApplicationReceived, a.InterimReplySent, a.LetterIssued, a.ApplicationDecided, a.LetterIssued,
        a.ApplicationAppealed, a.AppealResolved, a.AppealResolved, a.ServiceEnded]
    assert all(e.aggregate_id == case.id and e.scheme == "støttekontakt_barnevern" and e.is_barnevern
               for e in events)
    received, reply, reply_letter, decided, decision_letter, appealed, forwarded, upheld, ended = events
    assert (received.person_id, received.birth_date, received.area) == (case.person_id, CHILD_BORN, "Nord")
    assert (received.interests, received.wished_activities, received.scope_asked) == (["fotball"], ["kino"], 4)
    assert received.helper_wishes == HelperWishes.read(WISHES).as_dict()  # as matching reads them
    assert (received.received_on, received.case_number) == (RECEIVED_ON, case.case_number)
    assert (received.email, received.mobile) == ("ola@example.org", "+4791234567")
    assert (reply.expected_decision_by, reply.sent_on) == (date(2026, 3, 20), date(2026, 2, 20))
    assert (decided.granted, decided.scope, decided.scope_unit) == (True, 4, "timer_per_uke")
    assert (decided.period_from, decided.period_to, decided.decided_on) == (
        date(2026, 4, 1), date(2026, 12, 31), date(2026, 3, 10))
    assert decided.decision_number == 1 and not decided.resolves_appeal and "barnevernsloven" in decided.legal_basis
    letters = app.case(case.id).letters
    for letter, number, kind in ((reply_letter, 1, "foreløpig_svar"), (decision_letter, 2, "vedtak")):
        assert (letter.letter_number, letter.kind, letter.sha256) == (number, kind, letters[number - 1]["sha256"])
        assert letter.document_path == f"/service-applications/{case.id}/letters/{number}.pdf"
    assert (appealed.received_on, appealed.late) == (date(2026, 3, 25), False)
    assert (forwarded.resolution, forwarded.resolved_on) == ("oversendt_statsforvalteren", date(2026, 4, 2))
    assert (upheld.resolution, upheld.resolved_on) == ("stadfestet", date(2026, 6, 1))
    assert (ended.decision_number, ended.ended_on, ended.appeal_withdrawn) == (1, date(2026, 9, 30), None)


def test_a_klage_after_the_deadline_is_published_as_late_and_a_refusal_as_not_granted(app):
    case = received_case(app, scheme="støttekontakt")
    app.decide(case.id, NewDecision(False), "Ikke behov.", "sara", "Sara", date(2026, 3, 10))
    app.register_appeal(case.id, "Uenig.", date(2026, 5, 20), date(2026, 5, 20))

    decided = of_type(published(app, publishing.to_integration_event), a.ApplicationDecided)
    appealed = of_type(published(app, publishing.to_integration_event), a.ApplicationAppealed)
    assert [(d.granted, d.scope, d.period_from, d.is_barnevern) for d in decided] == [(False, None, None, False)]
    assert [e.late for e in appealed] == [True]


def test_a_soknad_withdrawn_before_a_vedtak_is_published_with_the_day_and_the_kartlegging_stays_private(app):
    case = received_case(app)
    app.note_assessment(case.id, "Hjemmebesøk: trives med fotball.", date(2026, 2, 10), date(2026, 2, 10))
    app.withdraw(case.id, "Trenger det ikke lenger.", date(2026, 2, 15))

    events = published(app, publishing.to_integration_event)
    assert [type(e) for e in events] == [a.ApplicationReceived, a.ApplicationWithdrawn]
    assert events[1].withdrawn_on == date(2026, 2, 15)
    assert "trives" not in " ".join(e.model_dump_json() for e in events)


def volunteer(app: ApplicationsApplication, today: date):
    form = NewVolunteerApplication(
        national_id=synthetic_identity_number(KARI_BORN), full_name="Kari Nordmann", birth_date=KARI_BORN,
        roles=["støttekontakt"], area="Nord", interests=["fotball"], languages=["arabisk"], has_driving_licence=True,
        has_car=False, has_spare_bedroom=False, commitment_acknowledged=True, gender="kvinne",
        address="Testveien 2", email="kari@example.org", mobile="+4798765432")
    person, _ = app.receive_volunteer_application(form, today)
    return person


def test_an_oppdragstaker_from_application_to_approval_and_renewal_publishes_each_step(app):
    person = volunteer(app, date(2026, 1, 5))
    at = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)
    app.schedule_interview(person.id, at, "Rådhuset")
    app.complete_interview(person.id, date(2026, 1, 12), "Godt inntrykk.", "egnet", "sara")
    app.issue_purpose_confirmation(person.id, date(2026, 1, 12))
    app.register_police_certificate(person.id, "ordinær", date(2026, 1, 20), False, date(2026, 1, 22))
    app.sign_declaration(person.id, date(2026, 1, 22))
    app.approve(person.id, date(2026, 1, 23), "sara")
    assert app.flag_renewals([person.id], date(2026, 7, 20)) == [person.id]
    assert app.flag_renewals([person.id], date(2026, 7, 21)) == []  # flagged already

    events = published(app, publishing.to_integration_event)
    assert [type(e) for e in events] == [
        a.VolunteerApplicationReceived, a.InterviewScheduled, a.InterviewCompleted, a.PoliceCertificateVerified,
        a.ConfidentialityDeclarationSigned, a.VolunteerApproved, a.PoliceCertificateRenewalDue]
    assert all(e.aggregate_id == person.id for e in events)
    assert all(e.volunteer_id == person.volunteer_id for e in events)
    received, invited, interviewed, verified, declared, approved, renewal = events
    assert (received.full_name, received.birth_date, received.roles, received.area) == (
        "Kari Nordmann", KARI_BORN, ["støttekontakt"], "Nord")
    assert (received.interests, received.languages, received.gender) == (["fotball"], ["arabisk"], "kvinne")
    assert (received.has_driving_licence, received.has_car, received.has_spare_bedroom) == (True, False, False)
    assert (received.case_number, received.address) == (person.case_number, "Testveien 2")
    assert (received.email, received.mobile) == ("kari@example.org", "+4798765432")
    assert (invited.at, invited.address) == (at, "Rådhuset")
    assert (interviewed.held_on, interviewed.assessment) == (date(2026, 1, 12), "egnet")
    assert (verified.kind, verified.issued_on, verified.verified_on) == ("ordinær", date(2026, 1, 20),
                                                                        date(2026, 1, 22))
    assert declared.signed_on == date(2026, 1, 22)
    assert (approved.roles, approved.approved_on) == (["støttekontakt"], date(2026, 1, 23))
    assert (approved.certificate_kind, approved.certificate_issued_on) == ("ordinær", date(2026, 1, 20))
    assert (renewal.due_on, renewal.certificate_issued_on) == (date(2026, 7, 20), date(2026, 1, 20))
    assert "Godt inntrykk" not in " ".join(e.model_dump_json() for e in events)  # interview notes stay here


def test_an_attest_with_remarks_is_published_only_once_staff_accept_it_and_a_rejection_without_reasons(app):
    person = volunteer(app, date(2026, 1, 5))
    app.register_police_certificate(person.id, "ordinær", date(2026, 1, 20), True, date(2026, 1, 22))
    assert of_type(published(app, publishing.to_integration_event), a.PoliceCertificateVerified) == []

    app.decide_on_remarks(person.id, True, "Gammelt forhold, ikke relevant.", "sara", date(2026, 1, 25))
    app.reject(person.id, "Passer ikke likevel.", date(2026, 2, 1), "sara")

    events = published(app, publishing.to_integration_event)
    [verified] = of_type(events, a.PoliceCertificateVerified)
    assert (verified.issued_on, verified.verified_on) == (date(2026, 1, 20), date(2026, 1, 25))
    [rejected] = of_type(events, a.VolunteerRejected)
    assert rejected.rejected_on == date(2026, 2, 1)
    assert "Passer ikke" not in rejected.model_dump_json()


def test_the_published_events_are_exactly_the_ones_the_service_declares():
    declared = {model.event_type for model in publishing.PUBLISHES}
    assert declared == {
        "ApplicationReceived", "InterimReplySent", "ApplicationDecided", "ApplicationAppealed", "AppealResolved",
        "ApplicationWithdrawn", "ServiceEnded", "LetterIssued", "VolunteerApplicationReceived", "InterviewScheduled",
        "InterviewCompleted", "PoliceCertificateVerified", "PoliceCertificateRenewalDue",
        "ConfidentialityDeclarationSigned", "VolunteerApproved", "VolunteerRejected", "LedsagerbevisDecided",
        "PersonErased"}


def test_a_ledsagerbevis_asked_for_in_the_soknad_is_published_granted_with_its_period_and_the_reason_stays(app):
    form = NewServiceApplication(
        national_id=synthetic_identity_number(CHILD_BORN), full_name="Ola Testesen", birth_date=CHILD_BORN,
        address="Testveien 1", area="Nord", scheme="støttekontakt", needs="Konserter.", interests=[],
        wished_activities=[], helper_wishes={}, carers=[], scope_asked=4, ledsagerbevis_asked=True)
    case, _ = app.receive_service_application(form, RECEIVED_ON)
    app.decide_ledsagerbevis(case.id, False, None, None, "Mangler dokumentasjon.", "sara", RECEIVED_ON)
    app.decide_ledsagerbevis(case.id, True, date(2026, 3, 1), date(2029, 2, 28), "", "sara", RECEIVED_ON)

    decided = of_type(published(app, publishing.to_integration_event), a.LedsagerbevisDecided)
    assert [(e.granted, e.valid_from, e.valid_to) for e in decided] == [
        (False, None, None), (True, date(2026, 3, 1), date(2029, 2, 28))]
    assert "dokumentasjon" not in decided[0].to_json().decode()
    assert app.case(case.id).ledsagerbevis["granted"] is True


def test_a_ledsagerbevis_cannot_be_asked_for_with_another_scheme_than_stottekontakt(app):
    form = NewServiceApplication(
        national_id=synthetic_identity_number(CHILD_BORN), full_name="Ola Testesen", birth_date=CHILD_BORN,
        address="Testveien 1", area="Nord", scheme="privat_avlastning", needs="Avlastning.", interests=[],
        wished_activities=[], helper_wishes={}, carers=[], scope_asked=4, ledsagerbevis_asked=True)

    with pytest.raises(InvalidValue) as refused:
        app.receive_service_application(form, RECEIVED_ON)
    assert refused.value.field == "ledsagerbevis_asked"


def test_an_erasure_publishes_ids_only_and_the_person_s_events_read_slettet_afterwards(app):
    case = received_case(app)
    app.erase(case.id, [case.id], [], date(2026, 9, 1), "leder-1")

    events = published(app, publishing.to_integration_event)
    assert [(e.aggregate_id, e.case_ids, e.volunteer_ids, e.erased_on) for e in of_type(events, a.PersonErased)] == [
        (case.id, [case.id], [], date(2026, 9, 1))]
    received = of_type(events, a.ApplicationReceived)[0]
    assert (received.birth_date, received.email, received.area) == (None, "slettet", "Nord")
    erased = app.case(case.id)
    assert (erased.full_name, erased.national_id, erased.birth_date, erased.needs) == (
        "slettet", "slettet", None, "slettet")
    assert app.erase(case.id, [], [], date(2026, 9, 2), "leder-2").erased_on == date(2026, 9, 1)  # asked again
