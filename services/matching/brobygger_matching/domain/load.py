"""The places one oppdragstaker holds (VolunteerLoad): open proposals, and matches whose contract has
not ended."""

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from brobygger_matching.domain.stored import TOPIC_MODULE
from brobygger_shared.rules import RuleViolation


def contract_id_of(match_id: UUID) -> UUID:
    """The id the contracts service gives the contract it drafts from a match (draft_on_match)."""
    return uuid5(NAMESPACE_URL, f"contract-for-match:{match_id}")


class VolunteerLoad(Aggregate):
    """The places one oppdragstaker holds: open proposals, and matches whose contract has not ended.

    Saved in the same transaction as the Match it changes; its version is the lock, so two proposals
    made at the same moment cannot both take the last place (the loser reloads and is checked again).
    """

    __module__ = TOPIC_MODULE  # the topic its events were first stored under (see `stored`)

    @staticmethod
    def create_id(volunteer_id: UUID) -> UUID:
        return uuid5(NAMESPACE_URL, f"volunteer-load:{volunteer_id}")

    @event("Opened")
    def __init__(self, volunteer_id: UUID) -> None:
        self.volunteer_id = volunteer_id
        self.places: list[str] = []  # match ids

    def hold(self, match_id: UUID, capacity: int, ended_contracts: set[UUID]) -> None:
        """Take a place for a new proposal, after giving back those whose contract has ended."""
        for held in list(self.places):
            if contract_id_of(UUID(held)) in ended_contracts:
                self._released(match_id=UUID(held))
        if len(self.places) >= capacity:
            raise RuleViolation(f"Personen har ikke ledig kapasitet: {len(self.places)} av {capacity} plasser er "
                                "tatt av forslag som venter på svar og avtaler som løper.")
        self._held(match_id=match_id)

    def release(self, match_id: UUID) -> None:
        """A proposal declined or lapsed gives its place back."""
        if str(match_id) in self.places:
            self._released(match_id=match_id)

    @event("PlaceHeld")
    def _held(self, match_id: UUID) -> None:
        self.places = [*self.places, str(match_id)]

    @event("PlaceReleased")
    def _released(self, match_id: UUID) -> None:
        self.places = [held for held in self.places if held != str(match_id)]
