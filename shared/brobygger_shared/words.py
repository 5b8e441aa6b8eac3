"""Figures in words people read: a scope with its unit in the right number. Pure."""

_UNITS = {
    "timer_per_uke": ("time per uke", "timer per uke"),
    "døgn_per_måned": ("døgn per måned", "døgn per måned"),
}


def scope_in_words(scope: float, unit: str) -> str:
    """3 timer per uke, 1 time per uke, 1,5 timer per uke, 2 døgn per måned."""
    one, many = _UNITS.get(unit, (unit.replace("_", " "), unit.replace("_", " ")))
    return f"{scope:g}".replace(".", ",") + " " + (one if scope == 1 else many)
