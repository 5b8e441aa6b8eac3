"""Published events of one citizen's case and one oppdragstaker, as the archive receives them."""

from datetime import UTC, date, datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from brobygger_shared.delivery import Delivered
from brobygger_shared.events import applications as a
from brobygger_shared.events import contracts as c
from brobygger_shared.messages import MessageMeta

CASE = uuid5(NAMESPACE_URL, "test:case")
BARNEVERN_CASE = uuid5(NAMESPACE_URL, "test:barnevern-case")
VOLUNTEER = uuid5(NAMESPACE_URL, "test:volunteer")
CONTRACT = uuid5(NAMESPACE_URL, "test:contract")
AT = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
SHA = "a" * 64

_positions = iter(range(1, 10_000))


def delivered(event, source: str = "applications", position: int | None = None) -> Delivered:
    meta = MessageMeta(event_type=event.event_type, event_version=event.event_version, event_id=event.event_id,
                       source=source, source_position=position or next(_positions), previous_position=0,
                       occurred_at=event.occurred_at, correlation_id="c", causation_id="c")
    return Delivered(event, meta)


def case_events(case_id: UUID = CASE, scheme: str = "støttekontakt") -> dict[str, object]:
    barnevern = scheme in ("støttekontakt_barnevern", "besøkshjem")
    common = {"aggregate_id": case_id, "scheme": scheme, "is_barnevern": barnevern, "occurred_at": AT}
    return {
        "søknad": a.ApplicationReceived(**common, person_id=uuid5(NAMESPACE_URL, "test:person"),
                                        birth_date=date(2014, 2, 28), area="Sentrum", received_on=date(2026, 11, 2),
                                        case_number="2026/0142"),
        "foreløpig_svar": a.LetterIssued(**common, letter_number=1, kind="foreløpig_svar", issued_on=date(2026, 11, 3),
                                         sha256=SHA, document_path=f"/service-applications/{case_id}/letters/1.pdf"),
        "vedtak": a.LetterIssued(**common, letter_number=2, kind="vedtak", issued_on=date(2026, 11, 20), sha256=SHA,
                                 document_path=f"/service-applications/{case_id}/letters/2.pdf"),
        "klage": a.ApplicationAppealed(**common, received_on=date(2026, 12, 1), late=False),
        "oversendelse_statsforvalteren": a.AppealResolved(**common, resolution="oversendt_statsforvalteren",
                                                          resolved_on=date(2026, 12, 10)),
        "klageresultat": a.AppealResolved(**common, resolution="stadfestet", resolved_on=date(2027, 1, 15)),
    }


def volunteer_events() -> dict[str, object]:
    return {
        "oppdragstaker_søknad": a.VolunteerApplicationReceived(
            aggregate_id=uuid5(NAMESPACE_URL, "test:volunteer-application"), occurred_at=AT, volunteer_id=VOLUNTEER,
            full_name="Kari Testesen", birth_date=date(1990, 11, 17), roles=["støttekontakt"], area="Sentrum",
            case_number="2026/0143"),
        "oppdragsavtale": c.ContractDocumentIssued(
            aggregate_id=CONTRACT, occurred_at=AT, contract_id=CONTRACT, volunteer_id=VOLUNTEER, application_id=CASE,
            scheme="støttekontakt", document_number=1, issued_on=date(2026, 11, 25), sha256=SHA,
            document_path=f"/contracts/{CONTRACT}/documents/1.pdf", user_case_number="2026/0142",
            volunteer_case_number="2026/0143"),
    }
