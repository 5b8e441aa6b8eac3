"""The activity feed has words in bokmål for every event type of the published language: a type without
them would show its English name to staff."""

from brobygger_gateway.pages.activity import EVENTS
from brobygger_shared.events import registry


def test_every_published_event_type_has_words_in_the_activity_feed():
    assert [model.event_type for model in registry.models() if model.event_type not in EVENTS] == []
