"""A group assignment: a made støttekontakt match covers several users, each with their own granted vedtak."""

from datetime import date
from uuid import UUID

import pytest

from brobygger_matching.domain import GroupCase, MatchStatus, RuleViolation
from brobygger_matching.publishing import to_integration_event

from .test_match import APPLICATION_ID, TODAY, VOLUNTEER_ID, made, proposal

SECOND = UUID(int=102)
THIRD = UUID(int=103)


def granted(application_id: UUID, scheme: str = "støttekontakt", **changes) -> GroupCase:
    return GroupCase(application_id, scheme, **{"granted": True, **changes})


def test_a_made_match_becomes_a_group_of_its_own_case_and_the_members_with_a_partner():
    match = made(proposal())
    match.collect_events()

    match.form_group([granted(SECOND), granted(THIRD)], " Røde Kors ", TODAY)

    assert match.group_members == [APPLICATION_ID, SECOND, THIRD]
    assert match.group_partner == "Røde Kors"
    [event] = match.collect_events()
    published = to_integration_event(event)
    assert published.event_type == "GroupAssignmentMatched"
    assert [m.application_id for m in published.members] == [APPLICATION_ID, SECOND, THIRD]
    assert (published.volunteer_id, published.partner, published.formed_on) == (VOLUNTEER_ID, "Røde Kors", TODAY)


def test_every_member_needs_a_granted_stottekontakt_vedtak():
    match = made(proposal())
    with pytest.raises(RuleViolation, match="innvilget vedtak"):
        match.form_group([granted(SECOND), granted(THIRD, granted=False)], None, TODAY)
    with pytest.raises(RuleViolation, match="ikke støttekontakt"):
        match.form_group([granted(SECOND, "privat_avlastning")], None, TODAY)
    with pytest.raises(RuleViolation, match="avsluttet"):
        match.form_group([granted(SECOND, closed=True)], None, TODAY)
    assert match.group_members == []


def test_only_a_made_stottekontakt_match_with_at_least_one_other_user_forms_a_group_once():
    with pytest.raises(RuleViolation, match="inngått"):
        proposal().form_group([granted(SECOND)], None, TODAY)
    with pytest.raises(RuleViolation, match="Bare støttekontakt"):
        made(proposal(scheme="privat_avlastning")).form_group([granted(SECOND)], None, TODAY)
    match = made(proposal())
    with pytest.raises(RuleViolation, match="minst én bruker til"):
        match.form_group([granted(APPLICATION_ID)], None, TODAY)
    with pytest.raises(RuleViolation, match="minst én bruker til"):
        match.form_group([granted(SECOND), granted(SECOND)], None, TODAY)
    match.form_group([granted(SECOND)], None, TODAY)
    assert match.status == MatchStatus.MATCHED
    with pytest.raises(RuleViolation, match="allerede"):
        match.form_group([granted(THIRD)], None, TODAY)


def test_barnevern_cases_are_mixed_with_ordinary_ones_only_by_someone_with_the_barnevern_role():
    match = made(proposal())
    with pytest.raises(RuleViolation, match="barnevernsrollen"):
        match.form_group([granted(SECOND, "støttekontakt_barnevern")], None, TODAY)

    match.form_group([granted(SECOND, "støttekontakt_barnevern")], None, date(2026, 11, 24), may_mix_barnevern=True)

    assert match.group_members == [APPLICATION_ID, SECOND]
