"""Aktivitet: the newest events of every service, in words, each linked to the page that shows its
case, oppdragstaker, proposal, contract, timesheet or run where this person's roles reach it. The
feed holds no names; a barnevern case's events are shown only to the barnevern role."""

from fastapi import Request
from fastapi.responses import Response

from brobygger_gateway import projections
from brobygger_gateway.application import PART_NAMES
from brobygger_gateway.domain import StaffUser
from brobygger_gateway.pages import User, render, router
from brobygger_shared.service import ReadConnection

# What happened, and where its page is: (words, path prefix, who may follow the link).
EVENTS = {
    "ApplicationReceived": ("Søknad mottatt", "/soknader/", "cases"),
    "InterimReplySent": ("Foreløpig svar sendt", "/soknader/", "cases"),
    "ApplicationDecided": ("Vedtak fattet", "/soknader/", "cases"),
    "ApplicationAppealed": ("Klage mottatt", "/soknader/", "cases"),
    "AppealResolved": ("Klage avgjort", "/soknader/", "cases"),
    "ApplicationWithdrawn": ("Søknad trukket", "/soknader/", "cases"),
    "ServiceEnded": ("Tjenesten avsluttet", "/soknader/", "cases"),
    "LedsagerbevisDecided": ("Ledsagerbevis innvilget eller avslått", "/soknader/", "cases"),
    "LetterIssued": ("Brev sendt", "/soknader/", "cases"),
    "PersonErased": ("Personopplysninger slettet", None, ""),
    "VolunteerApplicationReceived": ("Søknad fra oppdragstaker mottatt", "/oppdragstakere/", "cases"),
    "InterviewScheduled": ("Intervju avtalt", "/oppdragstakere/", "cases"),
    "InterviewCompleted": ("Intervju registrert", "/oppdragstakere/", "cases"),
    "PoliceCertificateVerified": ("Politiattest godkjent", "/oppdragstakere/", "cases"),
    "PoliceCertificateRenewalDue": ("Politiattest må fornyes", "/oppdragstakere/", "cases"),
    "ConfidentialityDeclarationSigned": ("Taushetserklæring signert", "/oppdragstakere/", "cases"),
    "VolunteerApproved": ("Oppdragstaker godkjent", "/oppdragstakere/", "cases"),
    "VolunteerRejected": ("Oppdragstaker avslått", "/oppdragstakere/", "cases"),
    "MatchProposed": ("Oppdragstaker foreslått", "/matching/forslag/", "cases"),
    "MatchAcceptedInPrinciple": ("Begge har sagt ja til forslaget; første møte planlegges", "/matching/forslag/",
                                 "cases"),
    "FirstMeetingPlanned": ("Første møte planlagt", "/matching/forslag/", "cases"),
    "VolunteerMatched": ("Matchen er bekreftet av begge etter første møte", "/matching/forslag/", "cases"),
    "GroupAssignmentMatched": ("Gruppeoppdrag dannet: flere brukere med samme støttekontakt", "/matching/forslag/",
                               "cases"),
    "FollowUpPlanned": ("Oppfølgingsplan laget", "/matching/forslag/", "cases"),
    "FollowUpHeld": ("Oppfølging holdt", "/matching/forslag/", "cases"),
    "GuidanceSessionRecorded": ("Opplæring eller veiledning for oppdragstakere registrert", None, ""),
    "MatchDeclined": ("Forslag avslått eller utløpt", "/matching/forslag/", "cases"),
    "ContractReadyForSignature": ("Oppdragsavtale klar til signering for oppdragstakeren", "/kontrakter/", "cases"),
    "ContractSigned": ("Oppdragsavtale signert av begge", "/kontrakter/", "cases"),
    "ContractDocumentIssued": ("Oppdragsavtale utstedt som PDF", "/kontrakter/", "cases"),
    "ContractAmended": ("Oppdragsavtale endret", "/kontrakter/", "cases"),
    "ContractTerminated": ("Oppdragsavtale avsluttet", "/kontrakter/", "cases"),
    "MunicipalAccountRequested": ("Kommunal konto bestilt for oppdragstaker", None, ""),
    "MunicipalEmailRecorded": ("Kommunal e-postadresse registrert for oppdragstaker", None, ""),
    "TimesheetSubmitted": ("Timeliste sendt inn", "/timelister/", "cases"),
    "TimesheetApproved": ("Timeliste godkjent", "/timelister/", "cases"),
    "TimesheetRejected": ("Timeliste sendt tilbake", "/timelister/", "cases"),
    "RateChanged": ("Sats registrert", None, "payroll"),
    "PayrollRunCompleted": ("Lønnskjøring fullført", "/lonn/kjoringer/", "payroll"),
    "NotificationSent": ("Varsel sendt", None, ""),
    "ArchiveRecordCreated": ("Journalpost laget", None, ""),
    "ArchiveDelivered": ("Journalpost arkivert", None, ""),
    "ArchiveDeliveryFailed": ("Arkivering feilet", None, ""),
}
SOURCES = {"applications": "Søknader og oppdragstakere",
           **{k: v for k, v in PART_NAMES.items() if k != "applications"}, "archive": "Arkiv"}


def readable(row: dict, user: StaffUser) -> dict:
    words, prefix, needs = EVENTS.get(row["event_type"], (row["event_type"], None, ""))
    allowed = user.handles_cases if needs == "cases" else user.handles_payroll if needs == "payroll" else False
    return {"text": words, "at": row["occurred_at"], "part": SOURCES.get(row["source"], row["source"]),
            "href": f"{prefix}{row['aggregate_id']}" if prefix and allowed else None, "facts": row["facts"]}


@router.get("/aktivitet")
async def activity(request: Request, user: User, connection: ReadConnection) -> Response:
    part = request.query_params.get("del", "")
    part = part if part in SOURCES else ""
    rows = await projections.feed(connection, 200, user.sees_barnevern, [part] if part else None)
    return render(request, "activity.html", {"title": "Aktivitet", "items": [readable(row, user) for row in rows],
                                             "parts": SOURCES, "part": part})
