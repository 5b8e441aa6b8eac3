"""The kommune's case numbers: year and a running number (2026/0142), one series a year, given once when a
søknad or an oppdragstaker's application is received, so people can say and search for a case. Pure."""

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from brobygger_applications.domain.stored import TOPIC_MODULE


class CaseNumberSeries(Aggregate):
    """One year's series. Saved in the same transaction as the case that takes a number, so a number is
    never given twice and none is skipped: two receipts racing for the same number make one of them
    retry with the next."""

    __module__ = TOPIC_MODULE

    @staticmethod
    def create_id(year: int) -> UUID:
        return uuid5(NAMESPACE_URL, f"https://brobygger.no/case-numbers/{year}")

    @event("Started")
    def __init__(self, year: int) -> None:
        self.year = year
        self.last = 0

    def take_next(self) -> str:
        self._taken()
        return f"{self.year}/{self.last:04d}"

    @event("Taken")
    def _taken(self) -> None:
        self.last += 1
