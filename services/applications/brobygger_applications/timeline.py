"""The timeline of a case or an oppdragstaker's application in words: each stored event as a caseworker
would say it, oldest first. A read-side concern, read from the aggregate's own history (the API's
`/timeline` routes); one sentence per kind of event, an event without one shows its name."""

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from brobygger_shared.calendar import norwegian_date
from brobygger_shared.words import scope_in_words

Details = dict[str, Any]

NORWAY = ZoneInfo("Europe/Oslo")

LETTERS = {"vedtak": "Vedtaksbrev", "foreløpig_svar": "Brev med foreløpig svar"}
APPEAL_ON_ENDING = {None: "", True: " Klagen er trukket.", False: " Klagen opprettholdes."}


def _received(d: Details) -> str:
    if "scheme" in d:  # a citizen's case
        return f"Søknad om {d['scheme'].replace('_', ' ')} mottatt."
    return f"Søknad om å bli {', '.join(d['roles'])} mottatt."


def _assessment(d: Details) -> str:
    visit = f" Hjemmebesøk {norwegian_date(d['home_visit_on'])}." if d.get("home_visit_on") else ""
    return f"Kartlegging registrert.{visit}"


def _decided(d: Details) -> str:
    if not d["granted"]:
        return f"Vedtak nr. {d['decision_number']}: avslag."
    return (f"Vedtak nr. {d['decision_number']}: innvilget {scope_in_words(d['scope'], d['scope_unit'])} "
            f"fra {norwegian_date(d['period_from'])} til {norwegian_date(d['period_to'])} ({d['legal_basis']}).")


def _norwegian_time(moment: datetime) -> datetime:
    """A stored moment as the clock in Norway showed it (one stored without a zone is taken as it is)."""
    return moment.astimezone(NORWAY) if moment.tzinfo else moment


def _certificate(d: Details) -> str:
    remarks = "med merknader: krever vurdering" if d["has_remarks"] else "uten merknader: godkjent"
    return f"Politiattest ({d['kind']}) utstedt {norwegian_date(d['issued_on'])} registrert, {remarks}."


WORDING: dict[str, Callable[[Details], str]] = {
    # a citizen's case
    "Received": _received,
    "AssessmentNoted": _assessment,
    "InterimReplySent": lambda d: (
        f"Foreløpig svar sendt; vedtak ventes innen {norwegian_date(d['expected_decision_by'])}."),
    "Decided": _decided,
    "Appealed": lambda d: "Klage mottatt" + (" etter fristen." if d["late"] else " innen fristen."),
    "AppealForwarded": lambda d: "Vedtaket opprettholdt; klagen er sendt til Statsforvalteren.",
    "StatsforvalterDecided": lambda d: f"Statsforvalteren har behandlet klagen: vedtaket er {d['outcome']}.",
    "LetterIssued": lambda d: (f"{LETTERS.get(str(d['kind']), 'Brev')} sendt (brev nr. {d['number']}, "
                               f"signert {d['contact_person']})."),
    "Withdrawn": lambda d: "Søknaden er trukket.",
    "LedsagerbevisDecided": lambda d: (
        f"Ledsagerbevis innvilget {norwegian_date(d['valid_from'])}–{norwegian_date(d['valid_to'])}."
        if d["granted"] else "Ledsagerbevis avslått."),
    "ServiceEnded": lambda d: (f"Tjenesten er avsluttet fra {norwegian_date(d['ended_on'])}."
                               f"{APPEAL_ON_ENDING[d.get('appeal_withdrawn')]}"),
    # becoming an oppdragstaker
    "InterviewScheduled": lambda d: f"Intervju avtalt {_norwegian_time(d['at']):%d.%m.%Y kl. %H:%M}.",
    "InterviewCompleted": lambda d: f"Intervju gjennomført; vurdering: {str(d['assessment']).replace('_', ' ')}.",
    "PurposeConfirmationIssued": lambda d: "Formålsbekreftelse for politiattest utstedt.",
    "PoliceCertificateRegistered": _certificate,
    "CertificateRemarksDecided": lambda d: (
        "Merknader på politiattesten vurdert: " + ("godtatt." if d["accepted"] else "ikke godtatt.")),
    "PoliceCertificateRenewalDue": lambda d: f"Politiattesten må fornyes (forfalt {norwegian_date(d['due_on'])}).",
    "ConfidentialityDeclarationSigned": lambda d: "Taushetserklæring signert.",
    "Approved": lambda d: "Godkjent som oppdragstaker.",
    "Rejected": lambda d: "Søknaden om å bli oppdragstaker er avslått.",
}


def describe(event: Any) -> str:
    """One event as a caseworker would say it."""
    name = type(event).__name__
    words = WORDING.get(name)
    return words(vars(event)) if words else name


def timeline(events: list) -> list[dict]:
    return [{"number": event.originator_version, "at": event.timestamp, "event": type(event).__name__,
             "text": describe(event)} for event in events]
