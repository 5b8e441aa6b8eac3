"""The kommune's rates as shipped: a versioned data file (rates.json) with the source of each figure."""

import json
from datetime import date
from decimal import Decimal
from functools import cache
from importlib.resources import files

from brobygger_payroll.domain.rates import Rate, RateTable


@cache  # the file ships with the code: read once, not on every run, rebuild and rate request
def shipped_rates() -> tuple[Rate, ...]:
    data = json.loads(files("brobygger_payroll").joinpath("rates.json").read_text(encoding="utf-8"))
    return tuple(
        Rate(entry["code"], entry["unit"], Decimal(entry["value"]), date.fromisoformat(entry["valid_from"]),
             entry["source"])
        for entry in data["rates"]
    )


def shipped_rate_table() -> RateTable:
    return RateTable(shipped_rates())
