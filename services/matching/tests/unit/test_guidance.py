"""Training and guidance for oppdragstakere: a session recorded once held, with each invited person's
attendance."""

from datetime import date, timedelta
from uuid import UUID

import pytest

from brobygger_matching.domain import GuidanceKind, GuidanceSession, RuleViolation

TODAY = date(2026, 11, 23)
KARI, PER, LISE = UUID(int=1), UUID(int=2), UUID(int=3)


def test_a_group_guidance_evening_records_who_attended_and_who_was_invited_but_did_not():
    session = GuidanceSession.record(GuidanceKind.GROUP_GUIDANCE, "Veiledningskveld", TODAY, "Sara",
                                     {KARI: True, PER: False, LISE: True}, TODAY)

    assert (session.attended(KARI), session.attended(PER), session.attended(UUID(int=9))) == (True, False, None)
    assert session.present == [KARI, LISE] and session.absent == [PER]


def test_a_session_is_recorded_only_once_held_with_a_title_and_someone_invited():
    with pytest.raises(RuleViolation, match="når den er holdt"):
        GuidanceSession.record(GuidanceKind.COURSE, "Kurs", TODAY + timedelta(days=1), "Sara", {KARI: True}, TODAY)
    with pytest.raises(RuleViolation, match="handlet om"):
        GuidanceSession.record(GuidanceKind.COURSE, " ", TODAY, "Sara", {KARI: True}, TODAY)
    with pytest.raises(RuleViolation, match="minst én"):
        GuidanceSession.record(GuidanceKind.COURSE, "Kurs", TODAY, "Sara", {}, TODAY)
