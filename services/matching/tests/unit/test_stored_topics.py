"""Matching's events stay readable after the domain became a package: each is still stored under the
topic it was first stored under (`brobygger_matching.domain:Match.Proposed`), and those topics resolve."""

import pytest
from eventsourcing.utils import get_topic, resolve_topic

from brobygger_matching.domain import Match, VolunteerLoad

STORED = {
    "brobygger_matching.domain:Match": Match,
    "brobygger_matching.domain:Match.Proposed": Match.Proposed,
    "brobygger_matching.domain:Match.Accepted": Match.Accepted,
    "brobygger_matching.domain:Match.Matched": Match.Matched,
    "brobygger_matching.domain:Match.Declined": Match.Declined,
    "brobygger_matching.domain:VolunteerLoad": VolunteerLoad,
    "brobygger_matching.domain:VolunteerLoad.Opened": VolunteerLoad.Opened,
    "brobygger_matching.domain:VolunteerLoad.PlaceHeld": VolunteerLoad.PlaceHeld,
    "brobygger_matching.domain:VolunteerLoad.PlaceReleased": VolunteerLoad.PlaceReleased,
}


@pytest.mark.parametrize("topic", STORED)
def test_each_event_is_stored_and_found_under_the_topic_it_was_first_stored_under(topic):
    assert get_topic(STORED[topic]) == topic
    assert resolve_topic(topic) is STORED[topic]
