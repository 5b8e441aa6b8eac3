"""How the domain's values are stored in its events: JSON text (events written before that stored dates
and decimals as typed values, and are read either way), and the topic its aggregates are stored under."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

# The module part of every stored topic of payroll's aggregates: the domain was one module when they
# were first stored. Each aggregate declares it as its __module__, so new events keep the same topics
# (queries by topic match old and new alike); the package re-exports them so the topics resolve.
TOPIC_MODULE = "brobygger_payroll.domain"


def as_text(value: date | Decimal | None) -> str | None:
    return None if value is None else value.isoformat() if isinstance(value, date) else str(value)


def as_date(value: str | date | None) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def as_datetime(value: str | datetime | None) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def as_decimal(value: str | Decimal | None) -> Decimal | None:
    return Decimal(value) if isinstance(value, str) else value


class Parsed:
    """Stored text parsed once per distinct value, for reads of the whole history: a municipality-year
    names a few hundred days, a handful of hour counts and rates, a few thousand people a quarter of a
    million times. Values are immutable, so sharing them is safe. A value that is not text (stored
    before values were) is unhashable or not a string: it raises TypeError, and the caller decodes that
    event the slow way."""

    def __init__(self) -> None:
        self.days: dict[str, date] = {}
        self.moments: dict[str, datetime] = {}
        self.decimals: dict[str, Decimal] = {}
        self.uuids: dict[str, UUID] = {}

    def day(self, text: str) -> date:
        found = self.days.get(text)
        if found is None:
            found = self.days[text] = date.fromisoformat(text)
        return found

    def moment(self, text: str | None) -> datetime | None:
        if text is None:
            return None
        found = self.moments.get(text)
        if found is None:
            found = self.moments[text] = datetime.fromisoformat(text)
        return found

    def decimal(self, text: str | None) -> Decimal | None:
        if text is None:
            return None
        found = self.decimals.get(text)
        if found is None:
            found = self.decimals[text] = Decimal(text)
        return found

    def uuid(self, text: str) -> UUID:
        found = self.uuids.get(text)
        if found is None:
            found = self.uuids[text] = UUID(text)
        return found
