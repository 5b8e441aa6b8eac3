"""Helpers for flows across services: submitting applications and reading every projection."""

import random
import threading
from datetime import date
from uuid import uuid4

import httpx

from brobygger_shared.auth import BARNEVERN, CASEWORKER, PAYROLL
from brobygger_shared.identity import synthetic_identity_number
from brobygger_dev.testing import eventually, staff_headers
from brobygger_dev.runtime.stack import Stack


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
        "address": f"Oppdragsveien {rng.randint(1, 99)}, 0002 Eksempelby",
        "interests": rng.sample(["fotball", "kino", "turer", "musikk", "svømming"], k=2),
        "languages": ["norsk"],
        "has_driving_licence": True,
        "has_car": rng.random() < 0.5,
        "commitment_acknowledged": True,
    }


def submit(http: httpx.Client, stack: Stack, **headers: str) -> dict:
    response = http.post(url(stack, "applications", "/volunteer-applications"), json=volunteer_form(),
                         headers=staff_headers(CASEWORKER) | headers)
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
    response = http.get(url(stack, service, path), headers=staff_headers(CASEWORKER, BARNEVERN, PAYROLL))
    response.raise_for_status()
    return response.json()


def projections(http: httpx.Client, stack: Stack) -> dict[str, list]:
    """Every projection of VolunteerApplicationReceived, as sorted volunteer ids."""
    source = get(http, stack, "applications", "/volunteer-applications")
    volunteer_of_application = {row["application_id"]: row["volunteer_id"] for row in source}
    activity = get(http, stack, "gateway", "/activity?limit=1000&event_type=VolunteerApplicationReceived")
    return {
        "applications": sorted(row["volunteer_id"] for row in source),
        "matching": sorted(row["volunteer_id"] for row in get(http, stack, "matching", "/candidates")),
        "contracts": sorted(row["volunteer_id"] for row in get(http, stack, "contracts", "/volunteers")),
        "payroll": sorted(row["volunteer_id"] for row in get(http, stack, "payroll", "/payees")),
        "notifications": sorted(row["recipient_id"]
                                for row in get(http, stack, "notifications", "/notifications?limit=10000")
                                if row["template"] == "soknad_mottatt_oppdragstaker"),
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


def staff_post(http: httpx.Client, stack: Stack, service: str, path: str, json: dict | None = None,
               expect: int = 200) -> dict:
    response = http.post(url(stack, service, path), json=json, headers=staff_headers(CASEWORKER, BARNEVERN, PAYROLL))
    assert response.status_code == expect, response.text
    return response.json()


def approved_volunteer(http: httpx.Client, stack: Stack, **changes) -> dict:
    """An oppdragstaker through interview, politiattest and taushetserklæring, approved."""
    today = date.today()
    form = volunteer_form() | changes
    application = staff_post(http, stack, "applications", "/volunteer-applications", form, expect=201)
    base = f"/volunteer-applications/{application['application_id']}"
    staff_post(http, stack, "applications", f"{base}/interview", {"assessment": "egnet"})
    staff_post(http, stack, "applications", f"{base}/police-certificate", {
        "kind": application["required_certificate_kind"], "issued_on": today.isoformat(), "has_remarks": False})
    staff_post(http, stack, "applications", f"{base}/confidentiality-declaration", {})
    return staff_post(http, stack, "applications", f"{base}/approval")


def granted_case(http: httpx.Client, stack: Stack, scope: float = 3, **changes) -> dict:
    """A citizen's søknad with an innvilget vedtak."""
    today = date.today()
    form = {
        "national_id": "28821400092", "full_name": "Ola Testesen", "birth_date": "2014-02-28",
        "address": "Testveien 1", "area": "Sentrum", "scheme": "støttekontakt", "needs": "Aktivitet.",
        "interests": ["fotball", "kino"],
    } | changes
    case = staff_post(http, stack, "applications", "/service-applications", form, expect=201)
    return staff_post(http, stack, "applications", f"/service-applications/{case['application_id']}/decisions", {
        "granted": True, "scope": scope, "period_from": today.isoformat(),
        "period_to": date(today.year + 1, today.month, 1).isoformat(), "reasons": "Behov for aktivitet.",
    })


def match_made(http: httpx.Client, stack: Stack, match_id: str) -> dict:
    """A proposal taken to a made match as staff do it: both sides say yes in principle, the first meeting
    is planned for today (date, place, who from the kommune attends), then both confirm after it; the
    match is made then (VolunteerMatched)."""
    for party in ("bruker", "oppdragstaker"):
        staff_post(http, stack, "matching", f"/matches/{match_id}/acceptance", {"party": party})
    meeting = http.put(url(stack, "matching", f"/matches/{match_id}/first-meeting"),
                       headers=staff_headers(CASEWORKER, BARNEVERN, PAYROLL), json={
                           "meeting_on": date.today().isoformat(), "place": "Biblioteket",
                           "kommune_attendee": "Sara Saksbehandler"})
    assert meeting.status_code == 200, meeting.text
    staff_post(http, stack, "matching", f"/matches/{match_id}/confirmation", {"party": "bruker"})
    return staff_post(http, stack, "matching", f"/matches/{match_id}/confirmation", {"party": "oppdragstaker"})


def proposed_match(http: httpx.Client, stack: Stack, volunteer: dict, case: dict) -> dict:
    """An approved oppdragstaker proposed for a granted case by staff, once matching knows both."""
    eventually(lambda: any(c["volunteer_id"] == volunteer["volunteer_id"] and c["stage"] == "godkjent"
                           for c in get(http, stack, "matching", "/candidates")))
    eventually(lambda: any(w["application_id"] == case["application_id"]
                           for w in get(http, stack, "matching", "/waiting-list")))
    return staff_post(http, stack, "matching", "/matches", {
        "application_id": case["application_id"], "volunteer_id": volunteer["volunteer_id"]}, expect=201)


def drafted_contract(http: httpx.Client, stack: Stack, volunteer: dict, case: dict) -> dict:
    """An approved oppdragstaker and a granted case matched as staff do it (`proposed_match`, then
    `match_made`); returns the contract draft the contracts service makes of the match."""
    match_made(http, stack, proposed_match(http, stack, volunteer, case)["match_id"])
    return eventually(lambda: [c for c in get(http, stack, "contracts", "/contracts")
                               if c["volunteer_id"] == volunteer["volunteer_id"]])[0]


def signed_contract(http: httpx.Client, stack: Stack, scheme: str = "støttekontakt", terms: dict | None = None) -> dict:
    """An approved oppdragstaker matched with a case granted in the scheme (støttekontakt or privat
    avlastning), the contract signed by both on the kommune's default terms (or the draft edited to
    `terms` first)."""
    if scheme == "privat_avlastning":  # an avlaster fetches the child and has a room for the night
        volunteer = approved_volunteer(http, stack, roles=["avlaster"], area="Sentrum", interests=["fotball"],
                                       has_car=True, has_spare_bedroom=True)
    else:
        volunteer = approved_volunteer(http, stack, roles=["støttekontakt"], area="Sentrum", interests=["fotball"])
    case = granted_case(http, stack, scheme=scheme)
    contract = drafted_contract(http, stack, volunteer, case)
    if terms is not None:
        edited = http.put(url(stack, "contracts", f"/contracts/{contract['contract_id']}/draft"),
                          headers=staff_headers(CASEWORKER), json={"period_from": contract["period_from"],
                                                                   "period_to": contract["period_to"], "terms": terms})
        assert edited.status_code == 200, edited.text
    link = staff_post(http, stack, "contracts", f"/contracts/{contract['contract_id']}/signing-link")["path"]
    staff_post(http, stack, "contracts", f"/contracts/{contract['contract_id']}/kommune-signature")
    signed = http.post(url(stack, "contracts", link))
    assert signed.status_code == 200, signed.text
    return signed.json()
