"""Becoming an oppdragstaker (docs/domain.md, "Becoming an oppdragstaker"): interview, politiattest,
taushetserklæring, approval, rejection and the attest's renewal.

Pure unit tests of the VolunteerApplication aggregate: no I/O. Identity numbers are synthetic.
The age limits are covered in test_domain.py.
"""

from datetime import date, datetime
from uuid import uuid4

import pytest

from brobygger_applications.domain import (
    CertificateKind,
    VolunteerApplication,
    VolunteerStage,
)
from brobygger_shared.calendar import add_months
from brobygger_shared.attests import AttestKind, AttestRules
from brobygger_shared.events.terms import Scheme
from brobygger_shared.rules import InvalidValue, RuleViolation

RULES = AttestRules()  # the defaults: a barneomsorgsattest also satisfies the ordinary schemes

REGISTERED_ON = date(2025, 5, 31)
MAX_AGE = 3
RENEWAL = 6


def new_application(roles: list[str] | None = None) -> VolunteerApplication:
    return VolunteerApplication(
        id=uuid4(),
        volunteer_id=uuid4(),
        national_id="17912099997",
        full_name="Test Testesen",
        birth_date=date(1990, 1, 1),
        roles=["støttekontakt"] if roles is None else roles,
        area="Sentrum",
        interests=["friluftsliv"],
        languages=["nb"],
        has_driving_licence=True,
        has_car=True,
        has_spare_bedroom=False,
        commitment_acknowledged=True,
        received_on=date(2025, 5, 1),
    )


def interview(app: VolunteerApplication, assessment: str = "egnet") -> None:
    app.complete_interview(held_on=date(2025, 5, 10), notes="Motivert.", assessment=assessment, interviewer="ansatt")


def attest(app: VolunteerApplication, issued_on: date = date(2025, 5, 20), has_remarks: bool = False,
           kind: str | None = None, registered_on: date = REGISTERED_ON) -> None:
    app.register_police_certificate(kind=kind or app.suggested_certificate_kind(RULES), issued_on=issued_on,
                                    has_remarks=has_remarks, registered_on=registered_on, max_age_months=MAX_AGE)


def sign(app: VolunteerApplication) -> None:
    app.sign_confidentiality_declaration(signed_on=date(2025, 6, 2))


def approve(app: VolunteerApplication) -> None:
    app.approve(approved_on=date(2025, 6, 3), approved_by="leder", rules=RULES)


def ready() -> VolunteerApplication:
    app = new_application()
    interview(app)
    attest(app)
    sign(app)
    return app


def event_names(app: VolunteerApplication) -> list[str]:
    return [type(e).__name__ for e in app.collect_events()]


def replay(events: list) -> VolunteerApplication:
    rebuilt = None
    for e in events:
        rebuilt = e.mutate(rebuilt)
    return rebuilt


# -- which politiattest ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "kind"),
    [
        (["besøkshjem"], "barneomsorgsattest"),
        (["støttekontakt", "besøkshjem"], "barneomsorgsattest"),
        (["støttekontakt"], "ordinær"),
        (["avlaster"], "ordinær"),
        (["støttekontakt", "avlaster"], "ordinær"),
    ],
)
def test_besokshjem_suggests_a_barneomsorgsattest_and_other_roles_an_ordinary_politiattest(roles, kind):
    assert new_application(roles).suggested_certificate_kind(RULES) == kind


def test_the_purpose_confirmation_names_the_attest_kind_the_roles_require():
    app = new_application(["besøkshjem"])
    app.collect_events()

    app.issue_purpose_confirmation(issued_on=date(2025, 5, 11), kind=app.suggested_certificate_kind(RULES))

    (issued,) = app.collect_events()
    assert type(issued).__name__ == "PurposeConfirmationIssued"
    assert issued.kind == CertificateKind.CHILD_CARE
    assert app.purpose_confirmation_issued_on == date(2025, 5, 11)


# -- stages ---------------------------------------------------------------------------------------------


def test_an_application_moves_through_interview_attest_declaration_to_approval():
    app = new_application()
    assert app.stage == VolunteerStage.AWAITING_INTERVIEW == "venter_på_intervju"

    app.schedule_interview(at=datetime(2025, 5, 10, 10, 0))
    assert app.interview_scheduled_at == datetime(2025, 5, 10, 10, 0)
    assert app.stage == "venter_på_intervju"

    interview(app, "egnet")
    assert app.stage == VolunteerStage.AWAITING_CERTIFICATE == "venter_på_politiattest"

    attest(app)
    assert app.stage == VolunteerStage.AWAITING_DECLARATION == "venter_på_taushetserklæring"

    sign(app)
    assert app.stage == VolunteerStage.READY_FOR_APPROVAL == "klar_for_godkjenning"

    approve(app)
    assert app.stage == VolunteerStage.APPROVED == "godkjent"
    assert app.approved_on == date(2025, 6, 3)
    assert event_names(app) == [
        "Received", "InterviewScheduled", "InterviewCompleted", "PoliceCertificateRegistered",
        "ConfidentialityDeclarationSigned", "Approved",
    ]


@pytest.mark.parametrize("assessment", ["usikker", "ikke_egnet"])
def test_an_interview_not_assessed_egnet_keeps_the_application_waiting_for_an_interview(assessment):
    app = new_application()

    interview(app, assessment)

    assert app.interview["assessment"] == assessment
    assert app.stage == VolunteerStage.AWAITING_INTERVIEW


def test_a_second_interview_assessed_egnet_after_usikker_moves_the_application_on():
    app = new_application()
    interview(app, "usikker")

    interview(app, "egnet")

    assert app.stage == VolunteerStage.AWAITING_CERTIFICATE


# -- approval -------------------------------------------------------------------------------------------


def test_the_three_steps_can_be_done_in_any_order_before_approval():
    app = new_application()

    sign(app)
    assert app.stage == VolunteerStage.AWAITING_INTERVIEW
    attest(app)
    assert app.stage == VolunteerStage.AWAITING_INTERVIEW
    interview(app)
    assert app.stage == VolunteerStage.READY_FOR_APPROVAL

    approve(app)
    assert app.stage == VolunteerStage.APPROVED


def test_approval_without_a_politiattest_is_refused_and_says_it_is_missing():
    app = new_application()
    interview(app)
    sign(app)

    with pytest.raises(RuleViolation, match="politiattest") as refused:
        approve(app)
    assert "intervju" not in str(refused.value)
    assert "taushetserklæring" not in str(refused.value)
    assert app.approved_on is None


def test_approval_of_a_fresh_application_lists_everything_that_is_missing():
    app = new_application()

    with pytest.raises(RuleViolation) as refused:
        approve(app)

    message = str(refused.value)
    assert "intervju" in message
    assert "politiattest" in message
    assert "taushetserklæring" in message


def test_approval_after_an_interview_assessed_usikker_is_refused_naming_the_interview():
    app = new_application()
    interview(app, "usikker")
    attest(app)
    sign(app)

    with pytest.raises(RuleViolation, match="intervju"):
        approve(app)


def test_approval_without_a_signed_declaration_is_refused_naming_it():
    app = new_application()
    interview(app)
    attest(app)

    with pytest.raises(RuleViolation, match="taushetserklæring"):
        approve(app)


def test_an_approved_applicant_cannot_be_approved_again():
    app = ready()
    approve(app)
    app.collect_events()

    with pytest.raises(RuleViolation, match="allerede godkjent"):
        approve(app)
    assert app.collect_events() == []


def test_a_declaration_cannot_be_signed_twice():
    app = new_application()
    sign(app)

    with pytest.raises(RuleViolation, match="allerede signert"):
        app.sign_confidentiality_declaration(signed_on=date(2025, 6, 5))
    assert app.declaration_signed_on == date(2025, 6, 2)


# -- politiattest ---------------------------------------------------------------------------------------


def test_a_recent_politiattest_without_remarks_is_verified_at_once():
    app = new_application()

    attest(app, issued_on=date(2025, 4, 1))

    assert app.certificate_verified is True
    assert app.certificate["kind"] == CertificateKind.ORDINARY
    assert app.certificate["issued_on"] == date(2025, 4, 1)
    assert app.certificate["has_remarks"] is False


def test_the_politiattest_keeps_only_kind_dates_and_whether_it_had_remarks():
    app = new_application()

    attest(app)

    assert set(app.certificate) == {"kind", "issued_on", "has_remarks", "registered_on", "verified",
                                    "remarks_decision"}


def test_a_politiattest_exactly_three_months_old_is_accepted():
    app = new_application()
    assert add_months(date(2025, 2, 28), MAX_AGE) == date(2025, 5, 28)

    attest(app, issued_on=date(2025, 2, 28), registered_on=date(2025, 5, 28))

    assert app.certificate_verified is True


def test_an_attest_issued_30_november_is_exactly_three_months_old_on_28_february():
    app = new_application()
    assert add_months(date(2024, 11, 30), MAX_AGE) == date(2025, 2, 28)

    attest(app, issued_on=date(2024, 11, 30), registered_on=date(2025, 2, 28))

    assert app.certificate_verified is True


def test_a_politiattest_older_than_three_months_is_refused():
    app = new_application()

    with pytest.raises(RuleViolation, match="3 måneder"):
        attest(app, issued_on=date(2025, 2, 27), registered_on=date(2025, 5, 28))
    assert app.certificate is None


def test_a_politiattest_three_months_and_a_day_old_is_refused_at_month_end():
    app = new_application()

    with pytest.raises(RuleViolation, match="3 måneder"):
        attest(app, issued_on=date(2024, 11, 30), registered_on=date(2025, 3, 1))


def test_a_politiattest_issued_in_the_future_is_refused():
    app = new_application()

    with pytest.raises(RuleViolation, match="fram i tid"):
        attest(app, issued_on=date(2025, 6, 1), registered_on=date(2025, 5, 31))
    assert app.certificate is None


def test_a_politiattest_issued_on_the_day_it_is_registered_is_accepted():
    app = new_application()

    attest(app, issued_on=REGISTERED_ON, registered_on=REGISTERED_ON)

    assert app.certificate_verified is True


def test_a_besokshjem_applicant_with_only_an_ordinary_politiattest_is_registered_but_not_approved():
    app = new_application(["besøkshjem"])
    interview(app)
    attest(app, kind="ordinær")
    sign(app)

    with pytest.raises(RuleViolation, match="Besøkshjem krever barneomsorgsattest"):
        approve(app)
    assert app.certificate["kind"] == "ordinær" and app.certificate_covers(RULES) == []


def test_a_stottekontakt_can_register_a_barneomsorgsattest_and_is_approved_for_both_stottekontakt_schemes():
    """Fault 5: a støttekontakt who will serve barnevern cases was refused a barneomsorgsattest (409)."""
    app = new_application(["støttekontakt"])
    interview(app)

    attest(app, kind="barneomsorgsattest")
    sign(app)
    approve(app)

    assert app.stage == VolunteerStage.APPROVED
    assert app.certificate_covers(RULES) == ["støttekontakt", "støttekontakt_barnevern"]


def test_an_ordinary_politiattest_approves_a_stottekontakt_for_the_ordinary_scheme_only():
    app = new_application(["støttekontakt"])
    interview(app)
    attest(app, kind="ordinær")
    sign(app)
    approve(app)

    assert app.certificate_covers(RULES) == ["støttekontakt"]


def test_what_an_attest_covers_is_the_kommunes_setting():
    strict = AttestRules({Scheme.STOTTEKONTAKT: [AttestKind.ORDINARY], Scheme.PRIVAT_AVLASTNING: [AttestKind.ORDINARY],
                          Scheme.STOTTEKONTAKT_BARNEVERN: [AttestKind.CHILD_CARE],
                          Scheme.BESOKSHJEM: [AttestKind.CHILD_CARE]})
    app = new_application(["avlaster"])
    interview(app)
    attest(app, kind="barneomsorgsattest")
    sign(app)

    with pytest.raises(RuleViolation, match="Privat avlastning krever ordinær"):
        app.approve(approved_on=date(2025, 6, 3), approved_by="leder", rules=strict)
    approve(app)  # the default setting: a barneomsorgsattest also satisfies privat avlastning
    assert app.stage == VolunteerStage.APPROVED


def test_a_politiattest_with_remarks_is_not_verified_until_staff_accept_the_remarks():
    app = new_application()
    interview(app)
    sign(app)

    attest(app, has_remarks=True)
    assert app.certificate_verified is False
    assert app.stage == VolunteerStage.AWAITING_CERTIFICATE
    with pytest.raises(RuleViolation, match="politiattest"):
        approve(app)

    app.decide_on_remarks(accepted=True, reason="Gammelt og ikke relevant forhold.", decided_by="leder",
                          decided_on=date(2025, 6, 1))

    assert app.certificate_verified is True
    assert app.certificate["remarks_decision"] == {"accepted": True, "reason": "Gammelt og ikke relevant forhold.",
                                                   "decided_by": "leder", "decided_on": date(2025, 6, 1)}
    assert app.stage == VolunteerStage.READY_FOR_APPROVAL
    assert event_names(app)[-1] == "CertificateRemarksDecided"
    approve(app)
    assert app.stage == VolunteerStage.APPROVED


def test_rejected_remarks_leave_the_attest_unverified_and_approval_refused():
    app = new_application()
    interview(app)
    sign(app)
    attest(app, has_remarks=True)

    app.decide_on_remarks(accepted=False, reason="Relevant forhold.", decided_by="leder", decided_on=date(2025, 6, 1))

    assert app.certificate_verified is False
    assert app.certificate["remarks_decision"]["accepted"] is False
    assert app.stage == VolunteerStage.AWAITING_CERTIFICATE
    with pytest.raises(RuleViolation, match="politiattest"):
        approve(app)


def test_remarks_cannot_be_decided_on_for_an_attest_without_remarks():
    app = new_application()
    attest(app, has_remarks=False)

    with pytest.raises(RuleViolation, match="ingen merknader"):
        app.decide_on_remarks(accepted=True, reason="x", decided_by="leder", decided_on=date(2025, 6, 1))
    assert app.certificate["remarks_decision"] is None


def test_remarks_cannot_be_decided_on_before_any_attest_is_registered():
    app = new_application()

    with pytest.raises(RuleViolation, match="ingen merknader"):
        app.decide_on_remarks(accepted=True, reason="x", decided_by="leder", decided_on=date(2025, 6, 1))


@pytest.mark.parametrize("reason", ["", "  "])
def test_a_decision_on_remarks_without_a_reason_is_refused(reason):
    app = new_application()
    attest(app, has_remarks=True)

    with pytest.raises(RuleViolation, match="begrunnes"):
        app.decide_on_remarks(accepted=True, reason=reason, decided_by="leder", decided_on=date(2025, 6, 1))
    assert app.certificate_verified is False


def test_remarks_cannot_be_decided_on_twice():
    app = new_application()
    attest(app, has_remarks=True)
    app.decide_on_remarks(accepted=False, reason="Relevant.", decided_by="leder", decided_on=date(2025, 6, 1))

    with pytest.raises(RuleViolation, match="allerede vurdert"):
        app.decide_on_remarks(accepted=True, reason="Likevel greit.", decided_by="leder", decided_on=date(2025, 6, 2))
    assert app.certificate_verified is False


# -- renewal --------------------------------------------------------------------------------------------


def test_renewal_cannot_be_flagged_before_the_attest_is_six_months_old():
    app = ready()
    app.collect_events()
    due_on = add_months(date(2025, 5, 20), RENEWAL)
    assert app.certificate_renewal_due_on(RENEWAL) == due_on == date(2025, 11, 20)

    with pytest.raises(RuleViolation, match="ikke fornyes før 20.11.2025"):
        app.flag_certificate_renewal(today=date(2025, 11, 19), renewal_months=RENEWAL)
    assert app.collect_events() == []


@pytest.mark.parametrize("today", [date(2025, 11, 20), date(2026, 1, 15)])
def test_renewal_is_flagged_on_or_after_the_due_date(today):
    app = ready()
    app.collect_events()

    app.flag_certificate_renewal(today=today, renewal_months=RENEWAL)

    (flagged,) = app.collect_events()
    assert type(flagged).__name__ == "PoliceCertificateRenewalDue"
    assert flagged.due_on == date(2025, 11, 20)
    assert app.renewal_flagged_for == date(2025, 5, 20)


def test_renewal_is_not_flagged_twice_for_the_same_attest():
    app = ready()
    app.flag_certificate_renewal(today=date(2025, 11, 20), renewal_months=RENEWAL)

    with pytest.raises(RuleViolation, match="allerede varslet"):
        app.flag_certificate_renewal(today=date(2025, 12, 1), renewal_months=RENEWAL)


def test_a_new_attest_can_be_flagged_for_renewal_again_once_it_is_due():
    app = ready()
    app.flag_certificate_renewal(today=date(2025, 11, 20), renewal_months=RENEWAL)

    attest(app, issued_on=date(2025, 11, 25), registered_on=date(2025, 12, 1))
    assert app.renewal_flagged_for is None
    with pytest.raises(RuleViolation, match="ikke fornyes før 25.05.2026"):
        app.flag_certificate_renewal(today=date(2026, 5, 24), renewal_months=RENEWAL)

    app.flag_certificate_renewal(today=date(2026, 5, 25), renewal_months=RENEWAL)
    assert app.renewal_flagged_for == date(2025, 11, 25)


def test_renewal_cannot_be_flagged_without_a_verified_attest():
    app = new_application()
    with pytest.raises(RuleViolation, match="ingen godkjent politiattest"):
        app.flag_certificate_renewal(today=date(2026, 1, 1), renewal_months=RENEWAL)

    attest(app, has_remarks=True)
    with pytest.raises(RuleViolation, match="ingen godkjent politiattest"):
        app.flag_certificate_renewal(today=date(2026, 1, 1), renewal_months=RENEWAL)


# -- rejection ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "setup",
    [lambda a: None, lambda a: interview(a, "ikke_egnet"), lambda a: (interview(a), attest(a), sign(a)),
     lambda a: (interview(a), attest(a), sign(a), approve(a))],
    ids=["fresh", "after_interview", "ready", "approved"],
)
def test_an_application_can_be_rejected_with_reasons_at_any_point(setup):
    app = new_application()
    setup(app)

    app.reject(reasons="Ikke egnet for oppdraget.", rejected_on=date(2025, 6, 10), rejected_by="leder")

    assert app.stage == VolunteerStage.REJECTED == "avslått"
    assert app.rejection == {"reasons": "Ikke egnet for oppdraget.", "rejected_on": date(2025, 6, 10),
                             "rejected_by": "leder"}
    assert event_names(app)[-1] == "Rejected"


@pytest.mark.parametrize("reasons", ["", "   "])
def test_a_rejection_without_reasons_is_refused(reasons):
    app = new_application()

    with pytest.raises(RuleViolation, match="begrunnes"):
        app.reject(reasons=reasons, rejected_on=date(2025, 6, 10), rejected_by="leder")
    assert app.rejection is None
    assert app.stage == VolunteerStage.AWAITING_INTERVIEW


@pytest.mark.parametrize(
    "command",
    [
        lambda a: a.schedule_interview(at=datetime(2025, 6, 12, 10, 0)),
        lambda a: interview(a),
        lambda a: a.issue_purpose_confirmation(issued_on=date(2025, 6, 12), kind=AttestKind.ORDINARY),
        lambda a: attest(a, issued_on=date(2025, 6, 11), registered_on=date(2025, 6, 12)),
        lambda a: a.sign_confidentiality_declaration(signed_on=date(2025, 6, 12)),
        lambda a: approve(a),
        lambda a: a.reject(reasons="Igjen.", rejected_on=date(2025, 6, 12), rejected_by="leder"),
    ],
    ids=["schedule_interview", "complete_interview", "purpose_confirmation", "police_certificate", "declaration",
         "approve", "reject"],
)
def test_after_rejection_other_commands_are_refused(command):
    app = new_application()
    app.reject(reasons="Ikke egnet.", rejected_on=date(2025, 6, 10), rejected_by="leder")
    app.collect_events()

    with pytest.raises(RuleViolation, match="avslått"):
        command(app)
    assert app.collect_events() == []
    assert app.stage == VolunteerStage.REJECTED


def test_after_rejection_remarks_on_the_attest_cannot_be_decided():
    app = new_application()
    attest(app, has_remarks=True)
    app.reject(reasons="Ikke egnet.", rejected_on=date(2025, 6, 10), rejected_by="leder")

    with pytest.raises(RuleViolation, match="avslått"):
        app.decide_on_remarks(accepted=True, reason="x", decided_by="leder", decided_on=date(2025, 6, 11))


def test_after_rejection_renewal_of_the_attest_cannot_be_flagged():
    app = ready()
    approve(app)
    app.reject(reasons="Avsluttet samarbeid.", rejected_on=date(2025, 7, 1), rejected_by="leder")
    app.collect_events()

    with pytest.raises(RuleViolation, match="avslått"):
        app.flag_certificate_renewal(today=date(2025, 12, 1), renewal_months=RENEWAL)
    assert app.collect_events() == []


# -- replay ---------------------------------------------------------------------------------------------


def test_replaying_a_full_history_rebuilds_the_same_application():
    app = new_application(["besøkshjem"])
    app.schedule_interview(at=datetime(2025, 5, 10, 10, 0))
    interview(app)
    app.issue_purpose_confirmation(issued_on=date(2025, 5, 11), kind=AttestKind.CHILD_CARE)
    attest(app, has_remarks=True)
    app.decide_on_remarks(accepted=True, reason="Ikke relevant.", decided_by="leder", decided_on=date(2025, 6, 1))
    sign(app)
    approve(app)
    app.flag_certificate_renewal(today=date(2025, 11, 20), renewal_months=RENEWAL)
    app.reject(reasons="Flyttet.", rejected_on=date(2025, 12, 1), rejected_by="leder")
    events = app.collect_events()

    assert [type(e).__name__ for e in events] == [
        "Received", "InterviewScheduled", "InterviewCompleted", "PurposeConfirmationIssued",
        "PoliceCertificateRegistered", "CertificateRemarksDecided", "ConfidentialityDeclarationSigned", "Approved",
        "PoliceCertificateRenewalDue", "Rejected",
    ]
    rebuilt = replay(events)

    assert isinstance(rebuilt, VolunteerApplication)
    for name in ("id", "version", "national_id", "roles", "interview_scheduled_at", "interview",
                 "purpose_confirmation_issued_on", "certificate", "declaration_signed_on", "approved_on",
                 "rejection", "renewal_flagged_for", "stage", "certificate_verified"):
        assert getattr(rebuilt, name) == getattr(app, name), name
    assert rebuilt.stage == VolunteerStage.REJECTED


# -- dates that depend on others ------------------------------------------------------------------------


def test_an_interview_or_declaration_before_the_application_came_in_is_refused_naming_the_field():
    app = new_application()

    with pytest.raises(InvalidValue) as interview_refused:
        app.complete_interview(held_on=date(2025, 4, 30), notes="", assessment="egnet", interviewer="ansatt")
    with pytest.raises(InvalidValue) as declaration_refused:
        app.sign_confidentiality_declaration(signed_on=date(2025, 4, 30))

    assert interview_refused.value.field == "held_on"
    assert declaration_refused.value.field == "signed_on"
    assert "01.05.2025" in interview_refused.value.message


def test_an_interview_or_declaration_dated_after_the_approval_day_does_not_count_as_done():
    app = new_application()
    interview(app)
    attest(app)
    app.sign_confidentiality_declaration(signed_on=date(2025, 7, 1))

    with pytest.raises(RuleViolation, match="taushetserklæringen er datert fram i tid"):
        approve(app)  # on 2025-06-03
