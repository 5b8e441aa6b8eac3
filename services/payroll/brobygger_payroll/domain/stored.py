"""How the domain's values are stored in its events: JSON text (events written before that stored dates
and decimals as typed values, and are read either way), and the topic its aggregates are stored under."""

from datetime import date, datetime
from decimal import Decimal

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
