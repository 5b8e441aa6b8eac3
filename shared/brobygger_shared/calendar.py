"""Calendar arithmetic the domains share. Pure."""

from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), or that month's last day where it has no such day:
    31 January + 1 month is 28 (or 29) February."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in range(day.day, 27, -1):
        try:
            return date(year, month, candidate_day)
        except ValueError:
            continue
    return date(year, month, min(day.day, 28))


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on a day (born 29 February: a year older on 1 March in other years)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def norwegian_date(day: date) -> str:
    """A day as people in Norway write it: 15.12.2026."""
    return day.strftime("%d.%m.%Y")


MONTH_NAMES = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
               "november", "desember")


def norwegian_date_in_words(day: date) -> str:
    """A day as a letter writes it: 15. desember 2026."""
    return f"{day.day}. {MONTH_NAMES[day.month - 1]} {day.year}"
