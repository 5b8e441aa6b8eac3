"""Figures in words people read: a scope with its unit in the right number. Pure."""

_UNITS = {
    "timer_per_uke": ("time per uke", "timer per uke"),
    "døgn_per_måned": ("døgn per måned", "døgn per måned"),
}


def scope_in_words(scope: float, unit: str) -> str:
    """3 timer per uke, 1 time per uke, 1,5 timer per uke, 2 døgn per måned."""
    one, many = _UNITS.get(unit, (unit.replace("_", " "), unit.replace("_", " ")))
    return f"{scope:g}".replace(".", ",") + " " + (one if scope == 1 else many)


def kroner(ore: int) -> str:
    """Øre as Norwegian kroner: 123456 -> "1 234,56 kr" (non-breaking spaces, a real minus sign)."""
    sign = "−" if ore < 0 else ""
    whole, cents = divmod(abs(ore), 100)
    return f"{sign}{whole:,}".replace(",", "\u00a0") + f",{cents:02d}\u00a0kr"


SCHEME_NAMES = {
    "støttekontakt": "støttekontakt",
    "støttekontakt_barnevern": "støttekontakt i barneverntjenesten",
    "privat_avlastning": "privat avlastning",
    "besøkshjem": "besøkshjem",
}


def scheme_in_words(scheme: str) -> str:
    """A scheme as a letter names it: "privat avlastning"."""
    return SCHEME_NAMES.get(str(scheme), str(scheme).replace("_", " "))
