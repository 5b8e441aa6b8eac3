"""The kommune's rates as shipped: a versioned data file (rates.json) with the source of each figure."""

import json
from datetime import date
from decimal import Decimal
from importlib.resources import files

from brobygger_payroll.domain import Rate, RateTable


def shipped_rates() -> list[Rate]:
    data = json.loads(files("brobygger_payroll").joinpath("rates.json").read_text(encoding="utf-8"))
    return [
        Rate(entry["code"], entry["unit"], Decimal(entry["value"]), date.fromisoformat(entry["valid_from"]),
             entry["source"])
        for entry in data["rates"]
    ]


def shipped_rate_table() -> RateTable:
    return RateTable(shipped_rates())
