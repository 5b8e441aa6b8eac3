"""Matching publishes MatchProposed, VolunteerMatched and MatchDeclined once Match exists."""

PUBLISHES: list = []
