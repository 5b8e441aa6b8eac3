"""Benchmark of matching, printed as numbers (not a test): ranking one case against 5,000 candidates
(target <= 100 ms) and assigning 1,000 waiting cases to 5,000 candidates at once (target <= 10 s),
on generated synthetic data.

    python -m benchmarks.matching [--candidates 5000] [--cases 1000]
"""

import argparse
import random
import statistics
import time
from datetime import date, timedelta
from uuid import UUID

from brobygger_matching.domain import Candidate, CandidatePool, WaitingCase, Weights, assign, rank

INTERESTS = ["fotball", "kino", "turer", "musikk", "svømming", "gaming", "sjakk", "fiske", "dans", "tegning",
             "matlaging", "ski", "klatring", "teater", "bading", "data", "hester", "sykling", "lesing", "konserter"]
AREAS = ["Sentrum", "Nord", "Sør", "Øst", "Vest", "Fjellet", "Havna", "Skogen"]
LANGUAGES = ["norsk", "engelsk", "polsk", "arabisk", "somali", "tigrinja"]
SCHEMES = ["støttekontakt", "støttekontakt", "støttekontakt", "privat_avlastning", "støttekontakt_barnevern",
           "besøkshjem"]


def synthetic_candidates(count: int, rng: random.Random) -> list[Candidate]:
    candidates = []
    for index in range(count):
        roles = frozenset(rng.sample(["støttekontakt", "avlaster", "besøkshjem"], k=rng.randint(1, 2)))
        candidates.append(Candidate(
            volunteer_id=UUID(int=rng.getrandbits(128)), full_name=f"Kandidat {index}", roles=roles,
            interests=frozenset(rng.sample(INTERESTS, k=rng.randint(1, 5))),
            languages=frozenset(["norsk", *rng.sample(LANGUAGES[1:], k=rng.randint(0, 2))]),
            gender=rng.choice(["kvinne", "mann"]), birth_date=date(rng.randint(1955, 2006), rng.randint(1, 12), 15),
            area=rng.choice(AREAS), has_car=rng.random() < 0.6, has_spare_bedroom=rng.random() < 0.4,
            certificate_kind="barneomsorgsattest" if "besøkshjem" in roles or rng.random() < 0.3 else "ordinær",
            certificate_valid=rng.random() < 0.95, assignments=rng.choice([0, 0, 0, 1, 2]),
        ))
    return candidates


def synthetic_cases(count: int, rng: random.Random, today: date) -> list[WaitingCase]:
    cases = []
    for _ in range(count):
        wishes = {}
        if rng.random() < 0.3:
            wishes["gender"] = rng.choice(["kvinne", "mann"])
            wishes["gender_required"] = "ja" if rng.random() < 0.3 else "nei"
        if rng.random() < 0.2:
            wishes["language"] = rng.choice(LANGUAGES[1:])
        if rng.random() < 0.3:
            wishes["age_from"], wishes["age_to"] = 20, 40
        cases.append(WaitingCase(
            application_id=UUID(int=rng.getrandbits(128)), scheme=rng.choice(SCHEMES), area=rng.choice(AREAS),
            interests=frozenset(rng.sample(INTERESTS, k=rng.randint(1, 4))),
            birth_date=date(rng.randint(2008, 2020), rng.randint(1, 12), 1),
            waiting_since=today - timedelta(days=rng.randint(0, 300)), helper_wishes=wishes,
        ))
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=5000)
    parser.add_argument("--cases", type=int, default=1000)
    args = parser.parse_args()
    rng, today, weights = random.Random(7), date(2026, 11, 23), Weights()
    candidates = synthetic_candidates(args.candidates, rng)
    cases = synthetic_cases(args.cases, rng, today)

    started = time.perf_counter()
    pool = CandidatePool(candidates, today, capacity=2)
    build = time.perf_counter() - started

    timings = []
    for case in cases[:50]:
        started = time.perf_counter()
        ranked = rank(case, pool, weights)
        explained = [entry.explanation() for entry in ranked]
        timings.append(time.perf_counter() - started)
    started = time.perf_counter()
    suggestions = assign(cases, pool, weights, today)
    assignment = time.perf_counter() - started

    print(f"matching on synthetic data: {len(candidates)} candidates, {len(cases)} waiting cases")
    print(f"  candidate pool built:        {build * 1000:8.1f} ms")
    print(f"  rank one case, explained:    p50 {statistics.median(timings) * 1000:6.1f} ms   "
          f"max {max(timings) * 1000:6.1f} ms   ({len(explained)} candidates ranked and explained; target <= 100 ms)")
    print(f"  assign the whole list:       {assignment:8.2f} s   ({len(suggestions)} proposals; target <= 10 s)")


if __name__ == "__main__":
    main()
