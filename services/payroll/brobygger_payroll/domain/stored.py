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


class _Cache(dict):
    """Text to its parsed value, each distinct text parsed once (on the first look-up that misses)."""

    def __init__(self, parse) -> None:
        super().__init__()
        self.parse = parse

    def __missing__(self, text):
        value = self[text] = self.parse(text)
        return value


class Parsed:
    """Stored text parsed once per distinct value, for reads of the whole history: a municipality-year
    names a few hundred days, a handful of hour counts and rates, a few thousand people a quarter of a
    million times. Values are immutable, so sharing them is safe. Look-ups are a dict's (`parsed.days[
    text]`), None stays None. A value that is not text (stored before values were) is unhashable or not
    a string: it raises TypeError, and the caller decodes that event the slow way."""

    def __init__(self) -> None:
        self.days: dict[str, date] = _Cache(date.fromisoformat)
        self.moments: dict[str | None, datetime | None] = _Cache(datetime.fromisoformat)
        self.decimals: dict[str | None, Decimal | None] = _Cache(Decimal)
        self.uuids: dict[str, UUID] = _Cache(UUID)
        # The lines of a month share their days.
        self.day_lists: dict[tuple[str, ...], tuple[date, ...]] = _Cache(
            lambda texts: tuple(map(self.days.__getitem__, texts)))
        self.days[None] = self.moments[None] = self.decimals[None] = None
