"""The timeline in words, from a case's and an oppdragstaker's own history, in memory: what a caseworker
reads on the `/timeline` pages, one sentence per event, oldest first."""

from datetime import UTC, date, datetime

import pytest

from brobygger_applications import application
from brobygger_applications.application import ApplicationsApplication, NewServiceApplication, NewVolunteerApplication
from brobygger_applications.domain import NewDecision
from brobygger_applications.main import ApplicationsSettings
from brobygger_applications.timeline import describe, timeline
from brobygger_shared.identity import synthetic_identity_number
from brobygger_dev.inmemory import in_memory

CHILD_BORN = date(2014, 6, 9)
KARI_BORN = date(1990, 5, 1)


@pytest.fixture
def app(monkeypatch) -> ApplicationsApplication:
    monkeypatch.setattr(application, "render_letter", lambda case, kind, *_: f"{case.id}{kind}".encode())
    return in_memory(ApplicationsApplication, ApplicationsSettings())


def texts(app: ApplicationsApplication, aggregate_id) -> list[str]:
    return [row["text"] for row in timeline(app.history(aggregate_id))]


def a_case(app: ApplicationsApplication):
    case, _ = app.receive_service_application(NewServiceApplication(
        national_id=synthetic_identity_number(CHILD_BORN), full_name="Ola Testesen", birth_date=CHILD_BORN,
        address="Testveien 1", area="Nord", scheme="støttekontakt_barnevern", needs="Fotball.", interests=[],
        wished_activities=[], helper_wishes={}, carers=[], scope_asked=4), date(2026, 1, 5))
    return case


def test_a_case_reads_from_soknad_through_vedtak_and_klage_to_its_ending(app):
    case = a_case(app)
    app.note_assessment(case.id, "Notat.", date(2026, 1, 8), date(2026, 1, 8))
    app.send_interim_reply(case.id, "Mange saker.", date(2026, 3, 1), date(2026, 2, 1), "Sara Saksbehandler",
                           date(2026, 2, 1))
    app.decide(case.id, NewDecision(True, 4, date(2026, 4, 1), date(2026, 12, 31)), "Behov.", "sara",
               "Sara Saksbehandler", date(2026, 2, 10))
    app.register_appeal(case.id, "Mer.", date(2026, 2, 20), date(2026, 2, 20))
    app.forward_appeal(case.id, "Står.", date(2026, 2, 25))
    app.register_statsforvalter_result(case.id, "stadfestet", "", date(2026, 5, 2), None, date(2026, 5, 2))
    app.end_service(case.id, date(2026, 9, 30), "Flytter.", None, date(2026, 9, 1))

    assert texts(app, case.id) == [
        "Søknad om støttekontakt barnevern mottatt.",
        "Kartlegging registrert. Hjemmebesøk 08.01.2026.",
        "Foreløpig svar sendt; vedtak ventes innen 01.03.2026.",
        "Brev med foreløpig svar sendt (brev nr. 1, signert Sara Saksbehandler).",
        "Vedtak nr. 1: innvilget 4 timer per uke fra 01.04.2026 til 31.12.2026 (barnevernsloven, hjelpetiltak).",
        "Vedtaksbrev sendt (brev nr. 2, signert Sara Saksbehandler).",
        "Klage mottatt innen fristen.",
        "Vedtaket opprettholdt; klagen er sendt til Statsforvalteren.",
        "Statsforvalteren har behandlet klagen: vedtaket er stadfestet.",
        "Tjenesten er avsluttet fra 30.09.2026.",
    ]
    first = timeline(app.history(case.id))[0]
    assert (first["number"], first["event"]) == (1, "Received")


def test_a_refusal_a_late_klage_and_a_withdrawal_read_as_such(app):
    refused, withdrawn = a_case(app), a_case(app)
    app.note_assessment(refused.id, "Notat.", None, date(2026, 1, 8))
    app.decide(refused.id, NewDecision(False), "Ikke behov.", "sara", "Sara", date(2026, 2, 10))
    app.register_appeal(refused.id, "Uenig.", date(2026, 6, 20), date(2026, 6, 20))
    app.withdraw(withdrawn.id, "", date(2026, 2, 1))

    assert texts(app, refused.id)[1:] == ["Kartlegging registrert.", "Vedtak nr. 1: avslag.",
                                          "Vedtaksbrev sendt (brev nr. 1, signert Sara).",
                                          "Klage mottatt etter fristen."]
    assert texts(app, withdrawn.id)[1:] == ["Søknaden er trukket."]


def test_an_oppdragstakers_way_in_reads_step_by_step(app):
    def volunteer():
        person, _ = app.receive_volunteer_application(NewVolunteerApplication(
            national_id=synthetic_identity_number(KARI_BORN), full_name="Kari Nordmann", birth_date=KARI_BORN,
            roles=["støttekontakt", "avlaster"], area="Nord", interests=[], languages=[], has_driving_licence=False,
            has_car=False, has_spare_bedroom=False, commitment_acknowledged=True), date(2026, 1, 5))
        return person

    kari, per = volunteer(), volunteer()
    app.schedule_interview(kari.id, datetime(2026, 1, 12, 9, 0, tzinfo=UTC), "Rådhuset")
    app.complete_interview(kari.id, date(2026, 1, 12), "", "egnet", "sara")
    app.issue_purpose_confirmation(kari.id, date(2026, 1, 12))
    app.register_police_certificate(kari.id, "ordinær", date(2026, 1, 20), True, date(2026, 1, 22))
    app.decide_on_remarks(kari.id, True, "Gammelt.", "sara", date(2026, 1, 23))
    app.sign_declaration(kari.id, date(2026, 1, 22))
    app.approve(kari.id, date(2026, 1, 23), "sara")
    app.flag_renewals([kari.id], date(2026, 7, 21))
    app.complete_interview(per.id, date(2026, 1, 12), "", "ikke_egnet", "sara")
    app.register_police_certificate(per.id, "ordinær", date(2026, 1, 20), False, date(2026, 1, 22))
    app.reject(per.id, "Passer ikke.", date(2026, 1, 24), "sara")

    assert texts(app, kari.id) == [
        "Søknad om å bli støttekontakt, avlaster mottatt.",
        "Intervju avtalt 12.01.2026 kl. 10:00.",  # 09:00 UTC, as the clock in Norway shows it
        "Intervju gjennomført; vurdering: egnet.",
        "Formålsbekreftelse for politiattest utstedt.",
        "Politiattest (ordinær) utstedt 20.01.2026 registrert, med merknader: krever vurdering.",
        "Merknader på politiattesten vurdert: godtatt.",
        "Taushetserklæring signert.",
        "Godkjent som oppdragstaker.",
        "Politiattesten må fornyes (forfalt 20.07.2026).",
    ]
    assert texts(app, per.id)[1:] == [
        "Intervju gjennomført; vurdering: ikke egnet.",
        "Politiattest (ordinær) utstedt 20.01.2026 registrert, uten merknader: godkjent.",
        "Søknaden om å bli oppdragstaker er avslått.",
    ]


def test_an_event_without_words_shows_its_name():
    class SomethingNew:
        pass

    assert describe(SomethingNew()) == "SomethingNew"
