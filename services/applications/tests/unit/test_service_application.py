"""A citizen's case (docs/domain.md, "A citizen's case"): søknad, foreløpig svar, vedtak, klage, withdrawal.

Pure unit tests of the ServiceApplication aggregate: no I/O. Identity numbers are synthetic.
"""

from datetime import date, timedelta
from uuid import uuid4

import pytest

from brobygger_applications.domain import (
    CaseStatus,
    NewDecision,
    ServiceApplication,
    StatsforvalterOutcome,
)
from brobygger_shared.rules import InvalidValue, RuleViolation

RECEIVED_ON = date(2025, 1, 31)
DECIDED_ON = date(2025, 3, 3)
PERIOD_FROM = date(2025, 3, 10)
PERIOD_TO = date(2025, 12, 31)


def new_case(scheme: str = "støttekontakt", received_on: date = RECEIVED_ON) -> ServiceApplication:
    return ServiceApplication(
        id=uuid4(),
        person_id=uuid4(),
        national_id="17912099997",
        full_name="Test Testesen",
        birth_date=date(2010, 5, 17),
        address="Testveien 1",
        area="Sentrum",
        scheme=scheme,
        needs="Trenger en å gå på tur med.",
        interests=["fotball", "kino"],
        wished_activities=["tur"],
        helper_wishes={"gender": "any"},
        carers=[{"name": "Forelder Testesen", "phone": "00000000"}],
        scope_asked=3.0,
        received_on=received_on,
    )


def grant(case: ServiceApplication, scope: float = 3.0, decided_on: date = DECIDED_ON,
          period_from: date = PERIOD_FROM, period_to: date = PERIOD_TO, reasons: str = "Behov dokumentert.") -> None:
    case.grant(scope=scope, period_from=period_from, period_to=period_to, reasons=reasons,
               decided_on=decided_on, decided_by="saksbehandler")


def refuse(case: ServiceApplication, decided_on: date = DECIDED_ON, reasons: str = "Behovet dekkes av andre tiltak.") -> None:
    case.refuse(reasons=reasons, decided_on=decided_on, decided_by="saksbehandler")


def at_statsforvalteren(granted: bool = False) -> ServiceApplication:
    case = new_case()
    if granted:
        grant(case)
    else:
        refuse(case)
    case.register_appeal(grounds="Uenig.", received_on=DECIDED_ON + timedelta(days=10))
    case.uphold_and_forward(reasons="Kommunen står ved vedtaket.", forwarded_on=DECIDED_ON + timedelta(days=20))
    return case


def event_names(case: ServiceApplication) -> list[str]:
    return [type(e).__name__ for e in case.collect_events()]


def replay(events: list) -> ServiceApplication:
    rebuilt = None
    for e in events:
        rebuilt = e.mutate(rebuilt)
    return rebuilt


# -- received -----------------------------------------------------------------------------------------


def test_a_new_case_is_mottatt_and_records_one_received_event():
    case = new_case()

    assert case.status == CaseStatus.RECEIVED == "mottatt"
    assert case.decision is None
    assert event_names(case) == ["Received"]


@pytest.mark.parametrize(
    ("scheme", "basis"),
    [
        ("støttekontakt", "helse- og omsorgstjenesteloven § 3-2"),
        ("privat_avlastning", "helse- og omsorgstjenesteloven § 3-6"),
        ("støttekontakt_barnevern", "barnevernsloven"),
        ("besøkshjem", "barnevernsloven"),
    ],
)
def test_each_scheme_has_its_own_legal_basis(scheme, basis):
    assert new_case(scheme).scheme.legal_basis.startswith(basis)


@pytest.mark.parametrize(
    ("scheme", "barnevern"),
    [("støttekontakt", False), ("privat_avlastning", False), ("støttekontakt_barnevern", True), ("besøkshjem", True)],
)
def test_only_stottekontakt_barnevern_and_besokshjem_are_barnevern_cases(scheme, barnevern):
    assert new_case(scheme).is_barnevern is barnevern


@pytest.mark.parametrize(
    ("scheme", "unit"),
    [
        ("støttekontakt", "timer_per_uke"),
        ("privat_avlastning", "timer_per_uke"),
        ("støttekontakt_barnevern", "timer_per_uke"),
        ("besøkshjem", "døgn_per_måned"),
    ],
)
def test_besokshjem_is_measured_in_dogn_per_month_and_the_rest_in_hours_per_week(scheme, unit):
    assert new_case(scheme).scheme.scope_unit == unit


# -- foreløpig svar -------------------------------------------------------------------------------------


def test_a_case_received_31_january_is_due_an_interim_reply_on_the_last_day_of_february():
    assert new_case(received_on=date(2025, 1, 31)).interim_reply_due_on == date(2025, 2, 28)
    assert new_case(received_on=date(2024, 1, 31)).interim_reply_due_on == date(2024, 2, 29)


def test_the_interim_reply_is_overdue_the_day_after_one_month_without_decision_or_reply():
    case = new_case(received_on=date(2025, 1, 31))

    assert case.interim_reply_due(date(2025, 3, 1)) is True


def test_the_interim_reply_is_due_on_the_due_date_itself_and_within_the_notice_days_before():
    case = new_case(received_on=date(2025, 1, 31))

    assert case.interim_reply_due(date(2025, 2, 28)) is True
    assert case.interim_reply_due(date(2025, 2, 27)) is False
    assert case.interim_reply_due(date(2025, 2, 21), within_days=7) is True
    assert case.interim_reply_due(date(2025, 2, 20), within_days=7) is False


def test_a_paper_interim_reply_carries_its_own_date_but_not_one_before_the_søknad():
    case = new_case(received_on=date(2025, 1, 31))

    with pytest.raises(InvalidValue) as refused:
        case.send_interim_reply(reason="Venter.", expected_decision_by=date(2025, 3, 31), sent_on=date(2025, 1, 30))
    case.send_interim_reply(reason="Venter.", expected_decision_by=date(2025, 3, 31), sent_on=date(2025, 2, 3))

    assert refused.value.field == "sent_on"
    assert case.interim_reply["sent_on"] == date(2025, 2, 3)


def test_a_registered_interim_reply_with_reason_and_expected_date_stops_it_being_overdue():
    case = new_case(received_on=date(2025, 1, 31))

    case.send_interim_reply(reason="Venter på kartlegging.", expected_decision_by=date(2025, 3, 31),
                            sent_on=date(2025, 2, 20))

    assert case.interim_reply == {"reason": "Venter på kartlegging.", "expected_decision_by": date(2025, 3, 31),
                                  "sent_on": date(2025, 2, 20)}
    assert case.interim_reply_due(date(2025, 3, 15)) is False
    assert event_names(case)[-1] == "InterimReplySent"


def test_a_decided_case_is_never_overdue_for_an_interim_reply():
    case = new_case(received_on=date(2025, 1, 31))
    refuse(case, decided_on=date(2025, 3, 20))

    assert case.interim_reply_due(date(2025, 4, 1)) is False


def test_an_interim_reply_after_a_decision_is_refused():
    case = new_case()
    grant(case)

    with pytest.raises(RuleViolation, match="vedtak"):
        case.send_interim_reply(reason="For sent.", expected_decision_by=DECIDED_ON + timedelta(days=30),
                                sent_on=DECIDED_ON + timedelta(days=1))


def test_an_interim_reply_expecting_a_decision_before_it_is_sent_is_refused():
    case = new_case()

    with pytest.raises(RuleViolation, match="Forventet vedtaksdato"):
        case.send_interim_reply(reason="Venter.", expected_decision_by=date(2025, 2, 19), sent_on=date(2025, 2, 20))
    assert case.interim_reply is None


def test_an_assessment_with_a_home_visit_is_noted_on_the_case():
    case = new_case()

    case.note_assessment(notes="Hjemmebesøk gjennomført.", home_visit_on=date(2025, 2, 5), noted_on=date(2025, 2, 6))

    assert case.assessments == [{"notes": "Hjemmebesøk gjennomført.", "home_visit_on": date(2025, 2, 5),
                                 "noted_on": date(2025, 2, 6)}]
    assert event_names(case)[-1] == "AssessmentNoted"


# -- vedtak ---------------------------------------------------------------------------------------------


def test_a_grant_makes_the_case_innvilget_with_scope_period_reasons_legal_basis_and_unit():
    case = new_case("besøkshjem")

    grant(case, scope=2, reasons="Barnet trenger avlastning i helgene.")

    assert case.status == CaseStatus.GRANTED == "innvilget"
    decision = case.decision
    assert decision["number"] == 1
    assert decision["granted"] is True
    assert decision["scope"] == 2
    assert decision["scope_unit"] == "døgn_per_måned"
    assert (decision["period_from"], decision["period_to"]) == (PERIOD_FROM, PERIOD_TO)
    assert decision["legal_basis"] == "barnevernsloven, hjelpetiltak"
    assert decision["reasons"] == "Barnet trenger avlastning i helgene."
    assert decision["decided_on"] == DECIDED_ON
    assert event_names(case)[-1] == "Decided"


def test_a_grant_for_stottekontakt_is_in_hours_per_week_under_hol_3_2():
    case = new_case("støttekontakt")

    grant(case, scope=3)

    assert case.decision["scope_unit"] == "timer_per_uke"
    assert "§ 3-2" in case.decision["legal_basis"]


def test_changing_the_scope_of_a_grant_is_a_new_vedtak_not_an_edit_of_the_old_one():
    case = new_case()
    grant(case, scope=3)

    grant(case, scope=5, decided_on=DECIDED_ON + timedelta(days=40))

    assert [d["number"] for d in case.decisions] == [1, 2]
    assert [d["scope"] for d in case.decisions] == [3, 5]
    assert case.decision["number"] == 2
    assert case.decision["scope"] == 5
    assert case.status == CaseStatus.GRANTED


def test_a_refusal_makes_the_case_avslatt_with_its_reasons_and_legal_basis():
    case = new_case("privat_avlastning")

    refuse(case, reasons="Omsorgsarbeidet er ikke særlig tyngende.")

    assert case.status == CaseStatus.REFUSED == "avslått"
    assert case.decision["granted"] is False
    assert case.decision["reasons"] == "Omsorgsarbeidet er ikke særlig tyngende."
    assert "§ 3-6" in case.decision["legal_basis"]


@pytest.mark.parametrize("reasons", ["", "   "])
def test_a_refusal_without_reasons_is_refused(reasons):
    case = new_case()

    with pytest.raises(RuleViolation, match="begrunnes"):
        refuse(case, reasons=reasons)
    assert case.decisions == []
    assert case.status == CaseStatus.RECEIVED


def test_a_grant_whose_period_ends_before_it_begins_is_refused():
    case = new_case()

    with pytest.raises(RuleViolation, match="Perioden"):
        grant(case, period_from=date(2025, 6, 1), period_to=date(2025, 5, 31))
    assert case.decisions == []


def test_a_grant_for_a_single_day_period_is_accepted():
    case = new_case()

    grant(case, period_from=date(2025, 6, 1), period_to=date(2025, 6, 1))

    assert case.status == CaseStatus.GRANTED


@pytest.mark.parametrize("scope", [0, -1])
def test_a_grant_with_no_scope_is_refused(scope):
    case = new_case()

    with pytest.raises(RuleViolation, match="Omfanget"):
        grant(case, scope=scope)
    assert case.decisions == []


def test_a_withdrawn_case_cannot_be_decided():
    case = new_case()
    case.withdraw(reason="Trenger det ikke lenger.", withdrawn_on=date(2025, 2, 10))

    with pytest.raises(RuleViolation, match="trukket"):
        grant(case)
    with pytest.raises(RuleViolation, match="trukket"):
        refuse(case)


def test_a_refusal_cannot_be_turned_into_a_grant_without_a_klage():
    case = new_case()
    refuse(case)

    with pytest.raises(RuleViolation, match="Et avslag kan bare endres etter klage"):
        grant(case)
    with pytest.raises(RuleViolation, match="Et avslag kan bare endres etter klage"):
        refuse(case)
    assert len(case.decisions) == 1
    assert case.status == CaseStatus.REFUSED


def test_no_decision_can_be_made_while_the_case_is_at_the_statsforvalteren():
    case = at_statsforvalteren()

    with pytest.raises(RuleViolation, match="Statsforvalteren"):
        grant(case)
    with pytest.raises(RuleViolation, match="Statsforvalteren"):
        refuse(case)
    assert len(case.decisions) == 1


# -- klage ----------------------------------------------------------------------------------------------


def test_a_klage_on_a_case_with_no_decision_is_refused():
    case = new_case()

    with pytest.raises(RuleViolation, match="ikke noe vedtak"):
        case.register_appeal(grounds="Uenig.", received_on=date(2025, 2, 10))
    assert case.appeal is None


def test_a_klage_within_four_weeks_is_on_time_and_puts_the_case_under_klagebehandling():
    case = new_case()
    refuse(case)

    case.register_appeal(grounds="Uenig i vurderingen.", received_on=DECIDED_ON + timedelta(days=14))

    assert case.status == CaseStatus.APPEALED == "klage_til_behandling"
    assert case.appeal["late"] is False
    assert case.appeal["grounds"] == "Uenig i vurderingen."
    assert case.appeal["against_decision"] == 1
    assert event_names(case)[-1] == "Appealed"


def test_a_klage_on_day_28_after_the_decision_is_not_late():
    case = new_case()
    refuse(case)

    case.register_appeal(grounds="Uenig.", received_on=DECIDED_ON + timedelta(days=28))

    assert case.appeal["late"] is False
    assert case.appeal["deadline"] == DECIDED_ON + timedelta(days=28)


def test_a_klage_on_day_29_is_late_but_still_registered():
    case = new_case()
    grant(case)

    case.register_appeal(grounds="Uenig i omfanget.", received_on=DECIDED_ON + timedelta(days=29))

    assert case.appeal["late"] is True
    assert case.status == CaseStatus.APPEALED


def test_a_second_klage_while_one_is_pending_is_refused():
    case = new_case()
    refuse(case)
    case.register_appeal(grounds="Uenig.", received_on=DECIDED_ON + timedelta(days=5))

    with pytest.raises(RuleViolation, match="allerede en klage"):
        case.register_appeal(grounds="Uenig igjen.", received_on=DECIDED_ON + timedelta(days=6))
    assert case.appeal["grounds"] == "Uenig."


def test_a_second_klage_while_the_first_is_at_the_statsforvalteren_is_refused():
    case = at_statsforvalteren()

    with pytest.raises(RuleViolation, match="allerede en klage"):
        case.register_appeal(grounds="Uenig igjen.", received_on=DECIDED_ON + timedelta(days=25))


def test_when_the_kommune_grants_after_a_klage_against_a_refusal_the_klage_is_resolved_as_endret():
    case = new_case()
    refuse(case)
    case.register_appeal(grounds="Uenig.", received_on=DECIDED_ON + timedelta(days=5))

    grant(case, decided_on=DECIDED_ON + timedelta(days=15))

    assert case.status == CaseStatus.GRANTED
    assert [d["granted"] for d in case.decisions] == [False, True]
    assert case.decision["number"] == 2
    assert case.appeal["resolution"] == "endret"
    assert case.appeal["resolved_on"] == DECIDED_ON + timedelta(days=15)


def test_when_the_kommune_refuses_after_a_klage_against_a_grant_the_klage_is_resolved_as_endret():
    case = new_case()
    grant(case)
    case.register_appeal(grounds="Omfanget er for lite.", received_on=DECIDED_ON + timedelta(days=5))

    refuse(case, decided_on=DECIDED_ON + timedelta(days=15), reasons="Ny vurdering.")

    assert case.status == CaseStatus.REFUSED
    assert len(case.decisions) == 2
    assert case.appeal["resolution"] == "endret"


def test_keeping_the_decision_sends_the_klage_on_to_the_statsforvalteren():
    case = at_statsforvalteren()

    assert case.status == CaseStatus.AT_STATSFORVALTEREN == "hos_statsforvalteren"
    assert case.appeal["resolution"] == "oversendt_statsforvalteren"
    assert case.appeal["reasons"] == "Kommunen står ved vedtaket."


def test_a_case_without_a_pending_klage_cannot_be_forwarded_to_the_statsforvalteren():
    case = new_case()
    refuse(case)

    with pytest.raises(RuleViolation, match="ingen klage"):
        case.uphold_and_forward(reasons="Står ved vedtaket.", forwarded_on=DECIDED_ON + timedelta(days=3))


@pytest.mark.parametrize(("granted", "status"), [(False, CaseStatus.REFUSED), (True, CaseStatus.GRANTED)])
def test_when_the_statsforvalteren_upholds_the_decision_the_case_returns_to_its_status(granted, status):
    case = at_statsforvalteren(granted=granted)

    case.register_statsforvalter_result(outcome="stadfestet", reasons="Riktig vurdert.",
                                        received_on=DECIDED_ON + timedelta(days=60))

    assert case.status == status
    assert case.statsforvalter_outcome == StatsforvalterOutcome.UPHELD
    assert len(case.decisions) == 1
    assert event_names(case)[-1] == "StatsforvalterDecided"


@pytest.mark.parametrize("outcome", ["opphevet"])
def test_when_the_statsforvalteren_sets_aside_the_case_is_mottatt_for_a_new_decision(outcome):
    case = at_statsforvalteren()

    case.register_statsforvalter_result(outcome=outcome, reasons="Feil vurdering.",
                                        received_on=DECIDED_ON + timedelta(days=60))

    assert case.status == CaseStatus.RECEIVED
    assert case.statsforvalter_outcome == outcome
    grant(case, decided_on=DECIDED_ON + timedelta(days=70))
    assert case.status == CaseStatus.GRANTED
    assert case.decision["number"] == 2


def test_a_statsforvalter_result_for_a_case_not_at_the_statsforvalteren_is_refused():
    case = new_case()
    refuse(case)
    case.register_appeal(grounds="Uenig.", received_on=DECIDED_ON + timedelta(days=5))

    with pytest.raises(RuleViolation, match="ikke hos Statsforvalteren"):
        case.register_statsforvalter_result(outcome="stadfestet", reasons="-", received_on=DECIDED_ON + timedelta(days=9))
    assert case.statsforvalter_outcome is None


# -- withdrawal -----------------------------------------------------------------------------------------


def test_a_case_can_be_withdrawn_before_it_is_decided():
    case = new_case()

    case.withdraw(reason="Trenger det ikke lenger.", withdrawn_on=date(2025, 2, 10))

    assert case.status == CaseStatus.WITHDRAWN == "trukket"
    assert case.withdrawn_on == date(2025, 2, 10)
    assert event_names(case)[-1] == "Withdrawn"


def test_a_granted_service_cannot_be_withdrawn_it_is_ended():
    """Fault 8: a withdrawal after an innvilget vedtak set the case to "trukket"."""
    case = new_case()
    grant(case)

    with pytest.raises(RuleViolation, match="avsluttes"):
        case.withdraw(reason="Flytter.", withdrawn_on=date(2025, 6, 1))
    assert case.status == CaseStatus.GRANTED


def test_a_refused_case_has_nothing_to_withdraw_or_end():
    case = new_case()
    refuse(case)

    with pytest.raises(RuleViolation, match="avslag"):
        case.withdraw(reason="x", withdrawn_on=date(2025, 6, 1))
    with pytest.raises(RuleViolation, match="avslag"):
        case.end(ended_on=date(2025, 6, 1), reason="x", withdraw_appeal=None, recorded_on=date(2025, 6, 1))


def test_a_case_the_statsforvalteren_sent_back_can_be_withdrawn_as_it_has_no_vedtak_in_force():
    case = at_statsforvalteren(granted=True)
    case.register_statsforvalter_result(outcome="opphevet", reasons="Ny vurdering.",
                                        received_on=DECIDED_ON + timedelta(days=40))

    case.withdraw(reason="Trenger det ikke.", withdrawn_on=DECIDED_ON + timedelta(days=41))

    assert case.status == CaseStatus.WITHDRAWN


# -- ending a granted service -----------------------------------------------------------------------------


@pytest.mark.parametrize("ended_on", [DECIDED_ON, date(2025, 6, 1), PERIOD_TO])
def test_after_a_vedtak_the_person_ends_the_service_from_a_date_within_it(ended_on):
    case = new_case()
    grant(case)

    case.end(ended_on=ended_on, reason="Flytter.", withdraw_appeal=None, recorded_on=date(2025, 6, 1))

    assert case.status == CaseStatus.ENDED == "avsluttet"
    assert case.ended["ended_on"] == ended_on and case.ended["appeal_withdrawn"] is None
    assert case.withdrawn_on is None
    assert event_names(case)[-1] == "ServiceEnded"


@pytest.mark.parametrize(("ended_on", "says"), [
    (DECIDED_ON - timedelta(days=1), r"før vedtaket ble fattet \(03.03.2025\)"),
    (PERIOD_TO + timedelta(days=1), "Vedtaksperioden slutter 31.12.2025"),
])
def test_the_end_date_lies_between_the_vedtak_and_the_end_of_its_period(ended_on, says):
    case = new_case()
    grant(case)

    with pytest.raises(InvalidValue, match=says) as refused:
        case.end(ended_on=ended_on, reason="x", withdraw_appeal=None, recorded_on=date(2025, 6, 1))
    assert refused.value.field == "ended_on"
    assert case.status == CaseStatus.GRANTED


def test_a_case_without_a_vedtak_is_withdrawn_not_ended():
    case = new_case()

    with pytest.raises(RuleViolation, match="trekkes i stedet"):
        case.end(ended_on=DECIDED_ON, reason="x", withdraw_appeal=None, recorded_on=DECIDED_ON)


@pytest.mark.parametrize("pending_at", ["kommune", "statsforvalteren"])
def test_a_pending_klage_must_be_said_to_be_withdrawn_or_kept(pending_at):
    case = at_statsforvalteren(granted=True) if pending_at == "statsforvalteren" else new_case()
    if pending_at == "kommune":
        grant(case)
        case.register_appeal(grounds="Ønsker flere timer.", received_on=DECIDED_ON + timedelta(days=5))

    with pytest.raises(InvalidValue) as refused:
        case.end(ended_on=date(2025, 6, 1), reason="Flytter.", withdraw_appeal=None, recorded_on=date(2025, 6, 1))
    assert refused.value.field == "withdraw_appeal"
    assert case.appeal_pending_at == pending_at


def test_a_klage_withdrawn_with_the_service_is_closed_and_nothing_more_can_happen_to_it():
    case = new_case()
    grant(case)
    case.register_appeal(grounds="Ønsker flere timer.", received_on=DECIDED_ON + timedelta(days=5))

    case.end(ended_on=date(2025, 6, 1), reason="Flytter.", withdraw_appeal=True,
             recorded_on=date(2025, 6, 2))

    assert case.status == CaseStatus.ENDED
    assert case.appeal["resolution"] == "trukket" and case.appeal_pending_at is None
    assert case.ended["appeal_withdrawn"] is True
    with pytest.raises(RuleViolation, match="ingen klage"):
        case.uphold_and_forward(reasons="x", forwarded_on=date(2025, 6, 3))


def test_a_klage_kept_when_the_service_ends_goes_on_to_the_statsforvalteren_and_the_case_stays_ended():
    case = new_case()
    grant(case)
    case.register_appeal(grounds="Ønsker flere timer.", received_on=DECIDED_ON + timedelta(days=5))
    case.end(ended_on=date(2025, 6, 1), reason="Flytter.", withdraw_appeal=False, recorded_on=date(2025, 6, 2))

    case.uphold_and_forward(reasons="Står ved vedtaket.", forwarded_on=date(2025, 6, 3))
    assert case.appeal_pending_at == "statsforvalteren"
    case.register_statsforvalter_result(outcome="omgjort", reasons="Flere timer.", received_on=date(2025, 7, 1),
                                        decision=NewDecision(True, 5.0, PERIOD_FROM, date(2025, 6, 1)))

    assert case.status == CaseStatus.ENDED
    assert case.ended["appeal_withdrawn"] is False
    assert case.decision["scope"] == 5.0 and case.decision["final"] is True
    assert replay(case.collect_events()).status == CaseStatus.ENDED


def test_a_kept_klage_sent_back_by_the_statsforvalteren_gets_one_new_decision_on_the_ended_case():
    case = at_statsforvalteren(granted=True)
    case.end(ended_on=date(2025, 6, 1), reason="Flytter.", withdraw_appeal=False, recorded_on=date(2025, 6, 2))
    case.register_statsforvalter_result(outcome="opphevet", reasons="Ny vurdering.", received_on=date(2025, 7, 1))

    grant(case, scope=4, decided_on=date(2025, 7, 2), period_to=date(2025, 6, 1))

    assert case.status == CaseStatus.ENDED
    with pytest.raises(RuleViolation, match="avsluttet"):
        grant(case, scope=5, decided_on=date(2025, 7, 3))


@pytest.mark.parametrize(
    "command",
    [
        lambda c: c.note_assessment(notes="x", home_visit_on=None, noted_on=date(2025, 6, 12)),
        lambda c: grant(c),
        lambda c: c.register_appeal(grounds="x", received_on=date(2025, 6, 12)),
        lambda c: c.withdraw(reason="x", withdrawn_on=date(2025, 6, 12)),
        lambda c: c.end(ended_on=date(2025, 6, 12), reason="x", withdraw_appeal=None, recorded_on=date(2025, 6, 12)),
    ],
    ids=["assessment", "grant", "klage", "withdraw", "end"],
)
def test_an_ended_service_takes_no_other_command(command):
    case = new_case()
    grant(case)
    case.end(ended_on=date(2025, 6, 1), reason="Flytter.", withdraw_appeal=None, recorded_on=date(2025, 6, 1))
    case.collect_events()

    with pytest.raises(RuleViolation, match="avsluttet 01.06.2025"):
        command(case)
    assert case.collect_events() == []


def test_a_case_cannot_be_withdrawn_twice():
    case = new_case()
    case.withdraw(reason="Trenger det ikke.", withdrawn_on=date(2025, 2, 10))

    with pytest.raises(RuleViolation, match="trukket"):
        case.withdraw(reason="Igjen.", withdrawn_on=date(2025, 2, 11))
    assert case.withdrawn_on == date(2025, 2, 10)


@pytest.mark.parametrize(
    "command",
    [
        lambda c: c.note_assessment(notes="x", home_visit_on=None, noted_on=date(2025, 2, 12)),
        lambda c: c.send_interim_reply(reason="x", expected_decision_by=date(2025, 3, 1), sent_on=date(2025, 2, 12)),
        lambda c: grant(c),
        lambda c: refuse(c),
        lambda c: c.register_appeal(grounds="x", received_on=date(2025, 2, 12)),
        lambda c: c.uphold_and_forward(reasons="x", forwarded_on=date(2025, 2, 12)),
        lambda c: c.register_statsforvalter_result(outcome="stadfestet", reasons="x", received_on=date(2025, 2, 12)),
        lambda c: c.withdraw(reason="x", withdrawn_on=date(2025, 2, 12)),
    ],
    ids=["assessment", "interim_reply", "grant", "refuse", "klage", "forward", "statsforvalter", "withdraw"],
)
def test_after_withdrawal_every_other_command_is_refused(command):
    case = new_case()
    case.withdraw(reason="Trenger det ikke.", withdrawn_on=date(2025, 2, 10))
    case.collect_events()

    with pytest.raises(RuleViolation):
        command(case)
    assert case.collect_events() == []
    assert case.status == CaseStatus.WITHDRAWN


def test_a_case_ended_while_granted_cannot_then_be_appealed():
    case = new_case()
    grant(case)
    case.end(ended_on=date(2025, 4, 1), reason="Flytter.", withdraw_appeal=None, recorded_on=date(2025, 4, 1))

    with pytest.raises(RuleViolation, match="avsluttet"):
        case.register_appeal(grounds="x", received_on=date(2025, 4, 2))


# -- replay ---------------------------------------------------------------------------------------------


def test_a_refused_command_records_no_event():
    case = new_case()
    case.collect_events()

    with pytest.raises(RuleViolation):
        refuse(case, reasons="")

    assert case.collect_events() == []


def test_replaying_a_full_case_history_rebuilds_the_same_case():
    case = new_case("besøkshjem")
    case.note_assessment(notes="Hjemmebesøk.", home_visit_on=date(2025, 2, 5), noted_on=date(2025, 2, 6))
    case.send_interim_reply(reason="Venter.", expected_decision_by=date(2025, 3, 31), sent_on=date(2025, 2, 20))
    refuse(case)
    case.register_appeal(grounds="Uenig.", received_on=DECIDED_ON + timedelta(days=30))
    case.uphold_and_forward(reasons="Står ved vedtaket.", forwarded_on=DECIDED_ON + timedelta(days=35))
    case.register_statsforvalter_result(outcome="opphevet", reasons="Mangelfull kartlegging.",
                                        received_on=DECIDED_ON + timedelta(days=80))
    grant(case, scope=2, decided_on=DECIDED_ON + timedelta(days=90))
    case.end(ended_on=date(2025, 7, 1), reason="Flytter.", withdraw_appeal=None, recorded_on=date(2025, 7, 1))
    events = case.collect_events()

    assert [type(e).__name__ for e in events] == [
        "Received", "AssessmentNoted", "InterimReplySent", "Decided", "Appealed", "AppealForwarded",
        "StatsforvalterDecided", "Decided", "ServiceEnded",
    ]
    rebuilt = replay(events)

    assert isinstance(rebuilt, ServiceApplication)
    for name in ("id", "version", "national_id", "scheme", "received_on", "status", "assessments", "interim_reply",
                 "decisions", "appeal", "statsforvalter_outcome", "withdrawn_on", "ended"):
        assert getattr(rebuilt, name) == getattr(case, name), name
    assert rebuilt.appeal["late"] is True
    assert rebuilt.status == CaseStatus.ENDED


def test_replaying_a_klage_resolved_by_the_kommune_rebuilds_the_endret_resolution():
    case = new_case()
    refuse(case)
    case.register_appeal(grounds="Uenig.", received_on=DECIDED_ON + timedelta(days=5))
    grant(case, decided_on=DECIDED_ON + timedelta(days=10))

    rebuilt = replay(case.collect_events())

    assert rebuilt.appeal == case.appeal
    assert rebuilt.appeal["resolution"] == "endret"
    assert rebuilt.decisions == case.decisions
    assert rebuilt.status == CaseStatus.GRANTED


# -- the Statsforvalteren's decision is final ---------------------------------------------------------


@pytest.mark.parametrize("granted", [False, True])
def test_a_decision_upheld_by_the_statsforvalteren_cannot_be_appealed_again(granted):
    case = at_statsforvalteren(granted=granted)
    case.register_statsforvalter_result(outcome="stadfestet", reasons="Riktig.",
                                        received_on=DECIDED_ON + timedelta(days=60))

    with pytest.raises(RuleViolation, match="forvaltningsloven § 28 tredje ledd"):
        case.register_appeal(grounds="Uenig igjen.", received_on=DECIDED_ON + timedelta(days=61))


def test_when_the_statsforvalteren_changes_the_decision_its_decision_is_in_force_and_final():
    case = at_statsforvalteren(granted=False)
    received_on = DECIDED_ON + timedelta(days=60)

    case.register_statsforvalter_result(
        outcome="omgjort", reasons="Vilkårene er oppfylt.", received_on=received_on,
        decision=NewDecision(granted=True, scope=4, period_from=PERIOD_FROM, period_to=PERIOD_TO))

    assert case.status == CaseStatus.GRANTED
    assert case.statsforvalter_outcome == StatsforvalterOutcome.REVERSED
    assert case.decision["number"] == 2
    assert (case.decision["granted"], case.decision["scope"], case.decision["decided_by"]) == \
        (True, 4, "Statsforvalteren")
    assert event_names(case)[-2:] == ["StatsforvalterDecided", "Decided"]
    with pytest.raises(RuleViolation, match="kan ikke påklages"):
        case.register_appeal(grounds="Vil ha mer.", received_on=received_on + timedelta(days=1))


def test_a_change_by_the_statsforvalteren_needs_the_decision_it_made():
    case = at_statsforvalteren()

    with pytest.raises(InvalidValue) as refused:
        case.register_statsforvalter_result(outcome="omgjort", reasons="", received_on=DECIDED_ON + timedelta(60))

    assert refused.value.field == "decision"


def test_a_new_kommune_decision_after_the_statsforvalteren_set_the_old_one_aside_can_be_appealed():
    case = at_statsforvalteren()
    case.register_statsforvalter_result(outcome="opphevet", reasons="", received_on=DECIDED_ON + timedelta(days=60))
    refuse(case, decided_on=DECIDED_ON + timedelta(days=70))

    case.register_appeal(grounds="Uenig.", received_on=DECIDED_ON + timedelta(days=75))

    assert case.status == CaseStatus.APPEALED


# -- dates that depend on others ------------------------------------------------------------------------


def test_a_klage_cannot_be_received_before_the_vedtak():
    case = new_case()
    grant(case)

    with pytest.raises(InvalidValue) as refused:
        case.register_appeal(grounds="Uenig.", received_on=DECIDED_ON - timedelta(days=1))

    assert refused.value.field == "received_on"
    assert "03.03.2025" in refused.value.message


def test_the_statsforvalteren_result_cannot_be_received_before_the_klage_was_sent_on():
    case = at_statsforvalteren()

    with pytest.raises(InvalidValue) as refused:
        case.register_statsforvalter_result(outcome="stadfestet", reasons="",
                                            received_on=DECIDED_ON + timedelta(days=19))

    assert refused.value.field == "received_on"


def test_withdrawing_a_withdrawn_søknad_says_it_is_already_withdrawn():
    case = new_case()
    case.withdraw(reason="Flyttet.", withdrawn_on=DECIDED_ON)

    with pytest.raises(RuleViolation, match="^Søknaden er allerede trukket.$"):
        case.withdraw(reason="Igjen.", withdrawn_on=DECIDED_ON)


# -- ledsagerbevis ---------------------------------------------------------------------------------------


def asking_for_ledsagerbevis(scheme: str = "støttekontakt") -> ServiceApplication:
    case = new_case(scheme)
    case.ledsagerbevis_asked = True  # as the søknad's `ledsagerbevis_asked` sets it at receipt
    return case


def test_a_ledsagerbevis_asked_for_is_granted_for_its_period_and_shown_on_the_case():
    case = asking_for_ledsagerbevis()
    assert case.ledsagerbevis is None

    case.decide_ledsagerbevis(True, date(2025, 3, 1), date(2028, 2, 29), "", DECIDED_ON, "saksbehandler")

    assert case.ledsagerbevis == {"granted": True, "valid_from": date(2025, 3, 1), "valid_to": date(2028, 2, 29),
                                  "reason": "", "decided_on": DECIDED_ON}


def test_a_ledsagerbevis_refused_needs_a_reason_and_has_no_period():
    case = asking_for_ledsagerbevis()

    with pytest.raises(InvalidValue) as refused:
        case.decide_ledsagerbevis(False, None, None, " ", DECIDED_ON, "saksbehandler")
    assert refused.value.field == "reason"
    case.decide_ledsagerbevis(False, date(2025, 3, 1), None, "Deltar ikke på arrangementer.", DECIDED_ON, "sara")

    assert case.ledsagerbevis["granted"] is False and case.ledsagerbevis["valid_from"] is None


@pytest.mark.parametrize(("valid_from", "valid_to", "field"), [
    (None, date(2026, 1, 1), "valid_from"), (date(2026, 1, 1), None, "valid_to"),
    (date(2026, 1, 2), date(2026, 1, 1), "valid_to"),
])
def test_a_ledsagerbevis_granted_needs_a_whole_period(valid_from, valid_to, field):
    with pytest.raises(InvalidValue) as refused:
        asking_for_ledsagerbevis().decide_ledsagerbevis(True, valid_from, valid_to, "", DECIDED_ON, "sara")
    assert refused.value.field == field


def test_a_ledsagerbevis_is_decided_only_when_a_stottekontakt_soknad_asked_for_one():
    with pytest.raises(RuleViolation, match="ba ikke om ledsagerbevis"):
        new_case().decide_ledsagerbevis(True, PERIOD_FROM, PERIOD_TO, "", DECIDED_ON, "sara")
    with pytest.raises(RuleViolation, match="bare søknader om støttekontakt"):
        asking_for_ledsagerbevis("privat_avlastning").decide_ledsagerbevis(True, PERIOD_FROM, PERIOD_TO, "",
                                                                           DECIDED_ON, "sara")
