"""Helpers for flows across services: submitting applications and reading every projection."""

import random
import threading
from datetime import date
from uuid import uuid4

import httpx

from brobygger_shared.auth import BARNEVERN, CASEWORKER
from brobygger_shared.identity import synthetic_identity_number
from brobygger_shared.testing import staff_headers
from brobygger_shared.runtime.stack import Stack


def url(stack: Stack, service: str, path: str) -> str:
    return f"{stack.services[service].url}{path}"


def volunteer_form(rng: random.Random | None = None) -> dict:
    rng = rng or random.Random()
    birth_date = date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
    return {
        "national_id": synthetic_identity_number(birth_date, rng.randint(0, 899)),
        "full_name": f"Testperson {uuid4().hex[:6]}",
        "birth_date": birth_date.isoformat(),
        "roles": rng.sample(["støttekontakt", "avlaster", "besøkshjem"], k=rng.randint(1, 3)),
        "area": rng.choice(["Sentrum", "Nord", "Sør", "Vest"]),
        "interests": rng.sample(["fotball", "kino", "turer", "musikk", "svømming"], k=2),
        "languages": ["norsk"],
        "has_driving_licence": True,
        "has_car": rng.random() < 0.5,
        "commitment_acknowledged": True,
    }


def submit(http: httpx.Client, stack: Stack, **headers: str) -> dict:
    response = http.post(url(stack, "applications", "/volunteer-applications"), json=volunteer_form(), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


class Writer(threading.Thread):
    """Submits applications one after another in the background, as staff and citizens would."""

    def __init__(self, stack: Stack, count: int) -> None:
        super().__init__(daemon=True)
        self.stack = stack
        self.count = count
        self.submitted: list[dict] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with httpx.Client(timeout=30) as http:
                for _ in range(self.count):
                    self.submitted.append(submit(http, self.stack))
        except BaseException as error:  # noqa: BLE001 - reported by the test
            self.error = error


def get(http: httpx.Client, stack: Stack, service: str, path: str) -> list[dict]:
    response = http.get(url(stack, service, path), headers=staff_headers(CASEWORKER, BARNEVERN))
    response.raise_for_status()
    return response.json()


def projections(http: httpx.Client, stack: Stack) -> dict[str, list]:
    """Every projection of VolunteerApplicationReceived, as sorted volunteer ids."""
    source = get(http, stack, "applications", "/volunteer-applications")
    volunteer_of_application = {row["application_id"]: row["volunteer_id"] for row in source}
    activity = get(http, stack, "gateway", "/activity?limit=1000")
    return {
        "applications": sorted(row["volunteer_id"] for row in source),
        "matching": sorted(row["volunteer_id"] for row in get(http, stack, "matching", "/candidates")),
        "contracts": sorted(row["volunteer_id"] for row in get(http, stack, "contracts", "/volunteers")),
        "payroll": sorted(row["volunteer_id"] for row in get(http, stack, "payroll", "/payees")),
        "notifications": sorted(row["recipient_id"] for row in get(http, stack, "notifications", "/notifications")),
        "gateway": sorted(
            volunteer_of_application.get(row["aggregate_id"], row["aggregate_id"])
            for row in activity if row["event_type"] == "VolunteerApplicationReceived"
        ),
    }


def metric(http: httpx.Client, stack: Stack, service: str, name: str) -> float:
    """The sum of a Prometheus counter or gauge over all its labels."""
    total = 0.0
    for line in http.get(url(stack, service, "/metrics")).text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            total += float(line.rsplit(" ", 1)[1])
    return total
