"""Days: counting a stay's døgn, and the period (month) a day belongs to.

Counting døgn (a stay in avlastning or besøkshjem): a stay is cut into 24-hour døgn from its start;
each døgn is dated by the day it starts, and the child's age on that day picks the age bracket. A last,
shorter part counts as a døgn when it is at least `min_hours_for_part_dogn` long (a setting, 6 h).
Friday 16:00 to Sunday 16:00 is 48 hours: two døgn, dated Friday and Saturday.
"""

from datetime import date, datetime, timedelta
from functools import lru_cache


@lru_cache(maxsize=4096)  # many stays are alike (Friday 16:00 to Sunday 16:00): a rebuild counts each once
def dogn_in_stay(start: datetime, end: datetime, min_hours_for_part_dogn: int = 6) -> tuple[date, ...]:
    """The døgn of a stay, each dated by the day it starts (see the module's rule)."""
    if end <= start:
        return ()
    days, cursor = [], start
    while cursor + timedelta(hours=24) <= end:
        days.append(cursor.date())
        cursor += timedelta(hours=24)
    if end - cursor >= timedelta(hours=min_hours_for_part_dogn):
        days.append(cursor.date())
    return tuple(days)


def period_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"
