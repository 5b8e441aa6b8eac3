"""A small synthetic history of one kommune in 2026, published straight to the topics with the
kernel's models. Every figure the golden tests expect is worked out by hand here, beside the events.

Citizens (case: scheme, born, vedtak decided, period, scope, first contract signed):
    C1 støttekontakt     born 2012  decided 20.01  01.02–30.04  7 t/uke   contract 10.02 (21 days)
    C2 støttekontakt     born 1990  decided 16.02  01.03–31.12  4 t/uke   contract 30.03 (42 days)
    C3 privat_avlastning born 2018  decided 26.01  01.02–31.07  4 døgn/mnd contract 02.03 (35 days)
    C4 støttekontakt     born 2010  decided 10.03  01.04–30.09  3 t/uke   no contract
    C5 privat_avlastning born 2016  refused 20.02
    C6 besøkshjem        born 2015  decided 05.02  01.03–31.12  2 døgn/mnd contract 25.02 (20 days)
    C7 støttekontakt     born 2000  decided 22.01  01.02–31.12  2 t/uke   contract 29.01 (7 days)
    C8 støttekontakt     born 1950  decided 28.01  15.03–30.06  5 t/uke   contract 09.03 (40 days)

Oppdragstakere: V1–V4 received, interviewed, attest verified, approved and matched; V5 interviewed
(ikke egnet) and stopped; V6 only applied (published as version 1 of its event, upcast on read);
V7 applied 05.03, interviewed and got the attest verified in March, not approved.

Every event occurs at 12:00 Oslo time on its business date. The final figures are taken as of
30.04.2026 (the reference date: the day granted hours are counted up to), the earlier ones as of
28.02.2026.
"""

from datetime import UTC, date, datetime, time
from uuid import UUID, uuid5, NAMESPACE_URL
from zoneinfo import ZoneInfo

from brobygger_shared.events.applications import (
    ApplicationDecided, ApplicationReceived, InterviewCompleted, PoliceCertificateVerified,
    VolunteerApplicationReceived, VolunteerApproved,
)
from brobygger_shared.events.base import IntegrationEvent
from brobygger_shared.events.contracts import ContractSigned
from brobygger_shared.events.matching import GroupAssignmentMatched, MatchDeclined, MatchProposed, VolunteerMatched
from brobygger_shared.events.payroll import (
    PayrollRunCompleted, PublishedPayLine, TimesheetApproved, TimesheetRejected, TimesheetSubmitted,
)
from brobygger_shared.events.terms import Terms
from brobygger_shared.identity import synthetic_identity_number

OSLO = ZoneInfo("Europe/Oslo")
KOMMUNE = "Eksempel kommune"
PSEUDONYM_KEY = b"analytics-test-pseudonym-key-0001"
FINAL = date(2026, 4, 30)
EARLIER = date(2026, 2, 28)


def uid(name: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"analytics-test:{name}")


def at(day: date) -> datetime:
    return datetime.combine(day, time(12), OSLO).astimezone(UTC)


def d(month: int, day: int) -> date:
    return date(2026, month, day)


CITIZENS = {  # case: (scheme, birth date, received, decided, granted, period, scope, unit)
    "C1": ("støttekontakt", date(2012, 5, 3), d(1, 5), d(1, 20), True, (d(2, 1), d(4, 30)), 7, "timer_per_uke"),
    "C2": ("støttekontakt", date(1990, 11, 17), d(2, 2), d(2, 16), True, (d(3, 1), d(12, 31)), 4, "timer_per_uke"),
    "C3": ("privat_avlastning", date(2018, 7, 1), d(1, 10), d(1, 26), True, (d(2, 1), d(7, 31)), 4, "døgn_per_måned"),
    "C4": ("støttekontakt", date(2010, 1, 15), d(3, 1), d(3, 10), True, (d(4, 1), d(9, 30)), 3, "timer_per_uke"),
    "C5": ("privat_avlastning", date(2016, 9, 9), d(2, 10), d(2, 20), False, (None, None), None, None),
    "C6": ("besøkshjem", date(2015, 4, 4), d(1, 15), d(2, 5), True, (d(3, 1), d(12, 31)), 2, "døgn_per_måned"),
    "C7": ("støttekontakt", date(2000, 6, 6), d(1, 8), d(1, 22), True, (d(2, 1), d(12, 31)), 2, "timer_per_uke"),
    "C8": ("støttekontakt", date(1950, 3, 3), d(1, 12), d(1, 28), True, (d(3, 15), d(6, 30)), 5, "timer_per_uke"),
}

# Names and identity numbers the analytics store must never hold.
VOLUNTEER_NAMES = {
    "V1": "Åse Testmo Kvalheim", "V2": "Bjørn Prøvesen", "V3": "Cecilie Eksempeldatter", "V4": "Dag Syntetisk",
    "V5": "Eirin Fiktiv", "V6": "Frode Oppdiktet", "V7": "Gunn Tenkt",
}
VOLUNTEER_BIRTH_DATES = {"V1": date(1985, 2, 14), "V2": date(1979, 8, 30), "V3": date(1992, 12, 1),
                         "V4": date(1968, 6, 21), "V5": date(2001, 3, 9), "V6": date(1990, 11, 17),
                         "V7": date(1997, 10, 5)}
IDENTITY_NUMBERS = [synthetic_identity_number(born) for born in
                    [*VOLUNTEER_BIRTH_DATES.values(), *(c[1] for c in CITIZENS.values())]]

# Contact details and case numbers, which the analytics store must not hold either.
CONTACT = {
    person: {"case_number": f"2026/{index:04d}", "email": f"{person.lower()}.test@eksempel.no",
             "mobile": f"+479{index:07d}",
             **({"address": f"Prøvegata {index}, 0001 Eksempelby"} if person.startswith("V") else {})}
    for index, person in enumerate([*CITIZENS, *VOLUNTEER_NAMES], start=101)
}
CONTACT_TEXTS = [text for details in CONTACT.values() for text in details.values()]

MATCHES = [  # match, case, volunteer, proposed, outcome, outcome date, declined by, reason
    ("M1", "C7", "V1", d(1, 24), "matched", d(1, 27), None, None),
    ("M2", "C1", "V3", d(2, 1), "declined", d(2, 3), "bruker", "Ønsker en yngre støttekontakt"),
    ("M3", "C1", "V2", d(2, 4), "matched", d(2, 5), None, None),
    ("M4", "C6", "V4", d(2, 18), "matched", d(2, 20), None, None),
    ("M5", "C3", "V4", d(2, 25), "matched", d(2, 27), None, None),
    ("M6", "C8", "V1", d(2, 26), "declined", d(2, 27), "oppdragstaker", "Har ikke kapasitet"),
    ("M7", "C8", "V3", d(3, 2), "matched", d(3, 5), None, None),
    ("M8", "C2", "V1", d(3, 10), "declined", d(3, 20), "utløpt", "Forslaget ble ikke besvart i tide."),
    ("M9", "C2", "V3", d(3, 22), "matched", d(3, 25), None, None),
    ("M10", "C4", "V2", d(3, 15), "declined", d(3, 18), "bruker", "Ønsker en yngre støttekontakt"),
]
# M9's støttekontakt became a group assignment: C2's contract covers C4 too (C4's own proposal, M10, was
# declined), with a partner organisation.
GROUPS = {"M9": (["C2", "C4"], "Frivilligsentralen", d(3, 26))}
CONTRACTS = {"C1": ("V2", d(2, 10)), "C2": ("V3", d(3, 30)), "C3": ("V4", d(3, 2)), "C6": ("V4", d(2, 25)),
             "C7": ("V1", d(1, 29)), "C8": ("V3", d(3, 9))}


# The payroll runs and their lines (case, month earned in, component, kind, quantity, rate in øre, amount in
# øre): støttekontakt at 215 kr an hour and 500 kr a month in expenses; C3's avlastning at 950 kr a døgn
# and 210 kr a døgn in expenses.
PAY_RUNS = [
    ("2026-02", d(3, 10), [
        ("C1", "2026-02", "timelønn", "ordinær", "20", 21_500, 430_000),  # 20 h × 215 kr
        ("C1", "2026-02", "utgiftsdekning_måned", "ordinær", "1", 50_000, 50_000),
        ("C7", "2026-02", "timelønn", "ordinær", "6.5", 21_500, 139_750),  # 6,5 h × 215 kr
        ("C7", "2026-02", "utgiftsdekning_måned", "ordinær", "1", 50_000, 50_000),
    ]),  # 669 750 øre
    ("2026-03", d(4, 10), [
        ("C1", "2026-03", "timelønn", "ordinær", "26", 21_500, 559_000),  # 26 h × 215 kr
        ("C1", "2026-03", "utgiftsdekning_måned", "ordinær", "1", 50_000, 50_000),
        ("C3", "2026-03", "arbeidsgodtgjøring_døgn", "ordinær", "4", 95_000, 380_000),  # 4 døgn × 950 kr
        ("C3", "2026-03", "utgiftsdekning_døgn", "ordinær", "4", 21_000, 84_000),  # 4 døgn × 210 kr
        ("C7", "2026-02", "timelønn", "etterbetaling", "6.5", 1_000, 6_500),  # February's rate raised by 10 kr
        ("C1", "2026-02", "timelønn", "trekk", "-2", 21_500, -43_000),  # two of February's hours taken back
    ]),  # 1 036 500 øre
]
UNITS = {"timelønn": "øre_per_time", "utgiftsdekning_måned": "øre_per_måned",
         "arbeidsgodtgjøring_døgn": "øre_per_døgn", "utgiftsdekning_døgn": "øre_per_døgn"}


def pay_line(case: str, earned_in: str, component: str, kind: str, quantity: str, rate: int,
             amount: int) -> PublishedPayLine:
    volunteer, signed = CONTRACTS[case]
    return PublishedPayLine(contract_id=uid(f"contract-{case}"), application_id=uid(case), volunteer_id=uid(volunteer),
                            scheme=CITIZENS[case][0], earned_in=earned_in, component=component, kind=kind,
                            quantity=quantity, unit=UNITS[component], rate_code=f"avtale:{component}",
                            rate_value=str(rate), rate_valid_from=signed, amount_ore=amount)


def _terms(unit: str, scope: int, valid_from: date) -> Terms:
    if unit == "timer_per_uke":
        return Terms.model_validate({
            "engagement_type": "oppdragstaker", "scope": scope, "scope_unit": unit,
            "hourly_pay": {"kind": "fast_timesats", "ore": 21_500}, "dogn_pay": None,
            "expenses": {"kind": "fast_per_måned", "ore": 50_000}, "mileage_covered": True,
            "notice_period_days": 14, "valid_from": valid_from})
    return Terms.model_validate({
        "engagement_type": "oppdragstaker", "scope": scope, "scope_unit": unit, "hourly_pay": None,
        "dogn_pay": {"kind": "døgnsats_etter_tabell", "table": "avlastning"},
        "expenses": {"kind": "døgnsats_etter_alder", "table": "utgifter"}, "mileage_covered": False,
        "notice_period_days": 14, "valid_from": valid_from})


def history() -> list[tuple[str, IntegrationEvent]]:
    """The (service, event) pairs, in the order they happened."""
    events: list[tuple[date, str, IntegrationEvent]] = []

    def add(service: str, day: date, model: type[IntegrationEvent], **fields) -> None:
        events.append((day, service, model(occurred_at=at(day), **fields)))

    for case, (scheme, born, received, decided, granted, (start, end), scope, unit) in CITIZENS.items():
        barnevern = scheme in ("besøkshjem", "støttekontakt_barnevern")
        common = {"aggregate_id": uid(case), "scheme": scheme, "is_barnevern": barnevern}
        # A citizen typed their identity number into a free wish: it must not reach the store.
        wishes = {"note": synthetic_identity_number(born)} if case == "C2" else {}
        add("applications", received, ApplicationReceived, **common, person_id=uid(f"person-{case}"),
            birth_date=born, area="Sentrum", interests=["fotball"], helper_wishes=wishes, received_on=received,
            **CONTACT[case])
        add("applications", decided, ApplicationDecided, **common, decision_number=1, granted=granted, scope=scope,
            scope_unit=unit, period_from=start, period_to=end, legal_basis="hol § 3-2 første ledd nr. 6",
            decided_on=decided)

    volunteer_days = {  # received, interviewed (assessment), attest verified, approved
        "V1": (d(1, 2), (d(1, 10), "egnet"), d(1, 20), d(1, 22)),
        "V2": (d(1, 3), (d(1, 11), "egnet"), d(1, 21), d(1, 30)),
        "V3": (d(1, 4), (d(1, 12), "egnet"), d(1, 22), d(1, 31)),
        "V4": (d(1, 5), (d(1, 13), "egnet"), d(1, 23), d(2, 10)),
        "V5": (d(1, 6), (d(1, 14), "ikke_egnet"), None, None),
        "V6": (d(1, 7), None, None, None),
        "V7": (d(3, 5), (d(3, 12), "egnet"), d(3, 20), None),
    }
    for volunteer, (received, interview, verified, approved) in volunteer_days.items():
        common = {"aggregate_id": uid(f"application-{volunteer}"), "volunteer_id": uid(volunteer)}
        if volunteer != "V6":  # V6 is published as version 1 (see old_versions)
            add("applications", received, VolunteerApplicationReceived, **common, full_name=VOLUNTEER_NAMES[volunteer],
                birth_date=VOLUNTEER_BIRTH_DATES[volunteer], roles=["støttekontakt", "avlaster", "besøkshjem"],
                area="Nord", gender="kvinne", **CONTACT[volunteer])
        if interview:
            add("applications", interview[0], InterviewCompleted, **common, held_on=interview[0],
                assessment=interview[1])
        if verified:
            add("applications", verified, PoliceCertificateVerified, **common, kind="barneomsorgsattest",
                issued_on=verified, verified_on=verified)
        if approved:
            add("applications", approved, VolunteerApproved, **common, roles=["støttekontakt"], approved_on=approved,
                certificate_kind="barneomsorgsattest", certificate_issued_on=verified)

    for match, case, volunteer, proposed, outcome, outcome_on, declined_by, reason in MATCHES:
        scheme, born, *_ , (start, end), scope, unit = CITIZENS[case]
        common = {"aggregate_id": uid(match), "application_id": uid(case), "volunteer_id": uid(volunteer),
                  "scheme": scheme}
        add("matching", proposed, MatchProposed, **common, proposed_on=proposed, expires_on=d(12, 31))
        if outcome == "matched":
            add("matching", outcome_on, VolunteerMatched, **common, user_birth_date=born, scope=scope,
                scope_unit=unit, period_from=start, period_to=end, matched_on=outcome_on)
        else:
            add("matching", outcome_on, MatchDeclined, **common, declined_by=declined_by, reason=reason,
                declined_on=outcome_on)
        if match in GROUPS:
            members, partner, formed_on = GROUPS[match]
            add("matching", formed_on, GroupAssignmentMatched, **common, formed_on=formed_on, partner=partner,
                members=[{"application_id": uid(member)} for member in members])

    for case, (volunteer, signed) in CONTRACTS.items():
        scheme, born, *_, (start, end), scope, unit = CITIZENS[case]
        add("contracts", signed, ContractSigned, aggregate_id=uid(f"contract-{case}"), contract_id=uid(f"contract-{case}"),
            volunteer_id=uid(volunteer), application_id=uid(case), scheme=scheme, user_birth_date=born,
            period_from=max(start, signed), period_to=end, terms=_terms(unit, scope, max(start, signed)),
            signed_on=signed, partner=next((g[1] for g in GROUPS.values() if g[0][0] == case), None),
            members=[{"application_id": uid(m)} for g in GROUPS.values() if g[0][0] == case for m in g[0]])

    def timesheet(case: str, period: str, submitted: date, hours: float = 0, dogn: int = 0,
                  correction: bool = False, hours_by_case: dict[str, float] | None = None) -> None:
        volunteer = CONTRACTS[case][0]
        add("payroll", submitted, TimesheetSubmitted, aggregate_id=uid(f"timesheet-{case}-{period}"),
            contract_id=uid(f"contract-{case}"), volunteer_id=uid(volunteer), period=period, entries=4,
            hours=hours, dogn=dogn, correction=correction,
            hours_by_case=[{"application_id": uid(c), "hours": h} for c, h in (hours_by_case or {}).items()])

    def approve(case: str, period: str, day: date) -> None:
        add("payroll", day, TimesheetApproved, aggregate_id=uid(f"timesheet-{case}-{period}"),
            contract_id=uid(f"contract-{case}"), volunteer_id=uid(CONTRACTS[case][0]), period=period, approved_on=day)

    timesheet("C1", "2026-02", d(3, 2), hours=20)
    approve("C1", "2026-02", d(3, 3))
    timesheet("C1", "2026-03", d(4, 2), hours=25)
    add("payroll", d(4, 3), TimesheetRejected, aggregate_id=uid("timesheet-C1-2026-03"),
        contract_id=uid("contract-C1"), volunteer_id=uid(CONTRACTS["C1"][0]), period="2026-03",
        reason="Mangler dato for ett av møtene")
    timesheet("C1", "2026-03", d(4, 4), hours=26, correction=True)
    approve("C1", "2026-03", d(4, 5))
    timesheet("C1", "2026-04", d(4, 29), hours=30)  # not approved by 30.04
    timesheet("C7", "2026-02", d(2, 26), hours=6.5)
    approve("C7", "2026-02", d(3, 1))
    # The group's April: a 4-hour session with C2 and C4 present and a 2-hour one with C2 alone: the
    # oppdragstaker worked 6 hours; C2 is counted 6 and C4 4.
    timesheet("C2", "2026-04", d(4, 28), hours=6, hours_by_case={"C2": 6, "C4": 4})
    approve("C2", "2026-04", d(4, 29))
    timesheet("C3", "2026-03", d(4, 1), dogn=4)
    approve("C3", "2026-03", d(4, 2))

    for run, completed, lines in PAY_RUNS:
        add("payroll", completed, PayrollRunCompleted, aggregate_id=uid(f"run-{run}"), period=run, lines=len(lines),
            total_ore=sum(line[-1] for line in lines), corrections=sum(1 for line in lines if line[3] != "ordinær"),
            pay_lines=[pay_line(*line) for line in lines])

    events.sort(key=lambda entry: entry[0])  # stable: same-day events keep the order they were added
    return [(service, event) for _, service, event in events]


def old_versions() -> list[tuple[str, bytes, list[tuple[str, bytes]]]]:
    """V6's application as version 1 of VolunteerApplicationReceived (one `language`, not a list)."""
    body = {"event_id": str(uid("event-V6")), "occurred_at": at(d(1, 7)).isoformat(),
            "aggregate_id": str(uid("application-V6")), "volunteer_id": str(uid("V6")),
            "full_name": VOLUNTEER_NAMES["V6"], "birth_date": VOLUNTEER_BIRTH_DATES["V6"].isoformat(),
            "roles": ["støttekontakt"], "area": "Nord", "language": "polsk"}
    import json

    headers = [("event_type", b"VolunteerApplicationReceived"), ("event_version", b"1"),
               ("event_id", str(uid("event-V6")).encode()), ("source", b"applications"),
               ("source_position", b"1000"), ("previous_position", b"0"),
               ("occurred_at", at(d(1, 7)).isoformat().encode()), ("correlation_id", b""), ("causation_id", b"")]
    undecodable = [("event_type", b"ApplicationDecided"), ("event_version", b"1"),
                   ("event_id", str(uid("event-bad")).encode()), ("source", b"applications"),
                   ("source_position", b"1001"), ("previous_position", b"1000"),
                   ("occurred_at", at(d(1, 9)).isoformat().encode()), ("correlation_id", b""), ("causation_id", b"")]
    unknown = [("event_type", b"AnalyticsTestFromTheFuture"), ("event_version", b"1"),
               ("event_id", str(uid("event-unknown")).encode()), ("source", b"notifications"),
               ("source_position", b"1"), ("previous_position", b"0"),
               ("occurred_at", at(d(1, 9)).isoformat().encode()), ("correlation_id", b""), ("causation_id", b"")]
    return [
        ("applications", json.dumps(body).encode(), headers),
        ("applications", b'{"aggregate_id": "not a uuid", "granted": "perhaps"}', undecodable),
        ("notifications", b'{"aggregate_id": "' + str(uid("n1")).encode() + b'"}', unknown),
    ]
