"""Benchmark of the staff start page (Arbeidsliste), printed as numbers (not a test): the embedded stack
with 1,000 open cases (søknader without a vedtak) and 2,000 would-be oppdragstakere behind it, a staff
member signed in through the dev provider, the page rendered again and again over HTTP. Beside each
render, in the same run, the service calls the page makes, made one after another with the same token
the gateway would sign: their sum is what the page would cost if the gateway called them in sequence
(it calls them in parallel, one summary per service), and beside those the lists the page fetched and
counted itself before the services had summaries. Target: p95 <= 150 ms (issue 11).

    python -m benchmarks.gateway [--cases 1000] [--volunteers 2000] [--renders 200]
"""

import argparse
import asyncio
import contextlib
import os
import random
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import urljoin
from uuid import uuid4

import httpx

from brobygger_shared.auth import CASEWORKER, issue_token
from brobygger_shared.identity import synthetic_identity_number
from brobygger_dev.runtime import backends
from brobygger_dev.runtime.stack import Stack
from brobygger_shared.settings import DEV_AUTH_PRIVATE_KEY

TARGET_P95_MS = 150
USER = "sara.saksbehandler"  # saksbehandler: the tiles of cases, oppdragstakere, matching, contracts, timesheets

# The calls the Arbeidsliste makes for a saksbehandler (pages/worklist.py), as (service, path, params): one
# summary per service, all at once.
CALLS = [
    ("applications", "/summary", {}),
    ("matching", "/summary", {}),
    ("contracts", "/summary", {}),
    ("payroll", "/summary", {}),
]
# The lists it fetched and counted itself before the summaries existed, timed beside them for comparison.
LIST_CALLS = [
    ("applications", "/service-applications", {"status": "mottatt"}),
    ("applications", "/service-applications/overdue-interim-replies", {}),
    ("applications", "/volunteer-applications", {}),
    ("matching", "/waiting-list", {}),
    ("contracts", "/contracts", {}),
    ("contracts", "/contracts", {"renewal_due": "true"}),
    ("payroll", "/timesheets", {"status": "sendt_inn"}),
]

def person(rng: random.Random, born_by: int = 2010) -> dict:
    birth = date(rng.randint(1960, born_by), rng.randint(1, 12), rng.randint(1, 28))
    return {"national_id": synthetic_identity_number(birth, rng.randint(0, 899)),
            "full_name": f"Testperson {uuid4().hex[:8]}", "birth_date": birth.isoformat()}


async def seed(stack: Stack, cases: int, volunteers: int) -> float:
    rng = random.Random(11)
    url = stack.services["applications"].url
    areas = ["Sentrum", "Nord", "Sør", "Vest", "Øst"]
    bodies = [("/service-applications", {**person(rng), "address": "Storgata 1", "area": rng.choice(areas),
                                         "scheme": "støttekontakt",
                                         "needs": "Trenger følge til aktiviteter."})
              for _ in range(cases)]
    bodies += [("/volunteer-applications", {**person(rng, born_by=2000), "roles": ["støttekontakt"],
                                            "area": rng.choice(areas),
                                            "interests": rng.sample(["fotball", "kino", "turer", "musikk"], 2),
                                            "languages": ["norsk"], "has_driving_licence": True,
                                            "commitment_acknowledged": True})
               for _ in range(volunteers)]
    staff = {"Authorization": f"Bearer {issue_token(DEV_AUTH_PRIVATE_KEY, 'bench', [CASEWORKER])}"}
    started = time.perf_counter()
    limit = asyncio.Semaphore(16)
    async with httpx.AsyncClient(timeout=60) as client:
        retried = 0

        async def post(path: str, body: dict) -> None:
            nonlocal retried
            key = str(uuid4())
            async with limit:
                for attempt in range(3):  # a busy machine's 5xx is retried with the same Idempotency-Key
                    response = await client.post(url + path, json=body, headers={"Idempotency-Key": key, **staff})
                    if response.status_code < 500:
                        break
                    retried += 1
                    await asyncio.sleep(0.5 * (attempt + 1))
                response.raise_for_status()

        await asyncio.gather(*(post(path, body) for path, body in bodies))
    if retried:
        print(f"({retried} answers of 5xx retried while seeding)")
    return time.perf_counter() - started


def wait_for_read_models(stack: Stack, cases: int, volunteers: int) -> None:
    headers = {"Authorization": f"Bearer {issue_token(DEV_AUTH_PRIVATE_KEY, 'bench', [CASEWORKER])}"}
    url = stack.services["applications"].url
    deadline = time.monotonic() + 300
    with httpx.Client(timeout=60, headers=headers) as client:
        while time.monotonic() < deadline:
            open_cases = len(client.get(f"{url}/service-applications", params={"status": "mottatt"}).json())
            people = len(client.get(f"{url}/volunteer-applications").json())
            if open_cases >= cases and people >= volunteers:
                return
            time.sleep(0.5)
    raise TimeoutError("the read models did not catch up within 5 minutes")


def signed_in(gateway: str) -> httpx.Client:
    """A browser-like client signed in as USER through the dev OIDC provider (its form takes `sub`)."""
    client = httpx.Client(base_url=gateway, timeout=60)
    response = client.get("/logg-inn/start")
    authorize = response.headers["location"]
    answer = httpx.post(authorize, data={"sub": USER}, timeout=60)
    callback = urljoin(authorize, answer.headers["location"])
    done = client.get(callback)
    assert done.status_code == 303 and done.headers["location"] == "/", done.text
    return client


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(stack: Stack, renders: int) -> tuple[list[float], list[float], list[float], dict[str, list[float]]]:
    gateway = stack.services["gateway"].url
    token = issue_token(DEV_AUTH_PRIVATE_KEY, USER, [CASEWORKER], "Sara Saksbehandler")
    pages, calls, lists = [], [], []
    each: dict[str, list[float]] = {}
    browser = signed_in(gateway)
    direct = httpx.Client(timeout=60, headers={"Authorization": f"Bearer {token}"})
    with contextlib.closing(browser), direct:
        for round_ in range(renders + 5):
            started = time.perf_counter()
            page = browser.get("/")
            page_ms = (time.perf_counter() - started) * 1000
            assert page.status_code == 200 and "Arbeidsliste" in page.text, page.status_code
            totals = []
            for group in (CALLS, LIST_CALLS):
                total = 0.0
                for service, path, params in group:
                    started = time.perf_counter()
                    direct.get(stack.services[service].url + path, params=params).raise_for_status()
                    call_ms = (time.perf_counter() - started) * 1000
                    total += call_ms
                    if round_ >= 5:
                        each.setdefault(f"{service} {path} {params or ''}".strip(), []).append(call_ms)
                totals.append(total)
            if round_ >= 5:  # warm-up left out
                pages.append(page_ms)
                calls.append(totals[0])
                lists.append(totals[1])
    return pages, calls, lists, each


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--volunteers", type=int, default=2000)
    parser.add_argument("--renders", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="brobygger-gateway-bench-") as var, \
            backends.throwaway_stack(Path(var)) as stack:
        seconds = asyncio.run(seed(stack, args.cases, args.volunteers))
        print(f"seeded {args.cases} open cases and {args.volunteers} oppdragstakere in {seconds:.1f} s")
        wait_for_read_models(stack, args.cases, args.volunteers)
        pages, calls, lists, each = measure(stack, args.renders)
    p50, p95 = statistics.median(pages), percentile(pages, 0.95)
    print(f"Arbeidsliste over HTTP, {len(pages)} renders: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
          f"(target p95 <= {TARGET_P95_MS} ms: {'met' if p95 <= TARGET_P95_MS else 'NOT met'})")
    print(f"its {len(CALLS)} service calls one after another, same rounds: p50 {statistics.median(calls):.1f} ms, "
          f"p95 {percentile(calls, 0.95):.1f} ms")
    print(f"the {len(LIST_CALLS)} list calls it made before the summaries, one after another: "
          f"p50 {statistics.median(lists):.1f} ms, p95 {percentile(lists, 0.95):.1f} ms")
    for name, times in each.items():
        print(f"  {name}: p50 {statistics.median(times):.1f} ms")
    load = os.getloadavg()
    print(f"load average while measuring: {load[0]:.1f} (1 min), {load[1]:.1f} (5 min) on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
