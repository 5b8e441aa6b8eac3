"""What is sent: each kind of message, its audience, whether it is an important letter, its template.

Messages to citizens name nothing of the case (no scheme, no health detail, no decision): they say there
is a new message from the kommune and where to log in to read it. Messages to would-be oppdragstakere
may say what they are about (an interview's time and place, an approval) but nothing about any user.
"""

from dataclasses import dataclass
from enum import StrEnum


class Audience(StrEnum):
    CITIZEN = "innbygger"
    VOLUNTEER = "oppdragstaker"
    STAFF = "ansatte"


class Kind(StrEnum):
    APPLICATION_RECEIVED = "soknad_mottatt"
    INTERIM_REPLY = "forelopig_svar"
    DECISION = "vedtak"
    APPEAL_RECEIVED = "klage_mottatt"
    VOLUNTEER_APPLICATION_RECEIVED = "soknad_mottatt_oppdragstaker"
    INTERVIEW_INVITATION = "intervju_oppdragstaker"
    VOLUNTEER_APPROVED = "godkjent_oppdragstaker"
    VOLUNTEER_REJECTED = "avslag_oppdragstaker"
    PROPOSAL = "forslag_oppdragstaker"
    PROPOSAL_LAPSING = "forslag_utloper"
    PROPOSAL_ANSWERED = "forslag_besvart"
    STAFF_DIGEST = "daglig_oversikt"
    CERTIFICATE_RENEWAL_DUE = "politiattest_fornyes"
    TIMESHEET_REMINDER = "timeliste_paminnelse"
    TIMESHEET_RETURNED = "timeliste_returnert"
    CONTRACT_READY = "avtale_til_signering"


@dataclass(frozen=True)
class MessageKind:
    audience: Audience
    template: str  # a folder under templates/: subject.txt, body.txt, body.html, sms.txt
    important: bool = False  # a letter (vedtak and the like): KRR reservation is respected, else it goes by post
    sms_too: bool = False  # by e-mail and, to a mobile number given too, by SMS (else e-mail, or SMS without one)


_NEW_MESSAGE = "ny_melding"  # to citizens: only that there is a message, and where to read it

KINDS: dict[str, MessageKind] = {
    Kind.APPLICATION_RECEIVED: MessageKind(Audience.CITIZEN, _NEW_MESSAGE),
    Kind.INTERIM_REPLY: MessageKind(Audience.CITIZEN, _NEW_MESSAGE, important=True),
    Kind.DECISION: MessageKind(Audience.CITIZEN, _NEW_MESSAGE, important=True),
    Kind.APPEAL_RECEIVED: MessageKind(Audience.CITIZEN, _NEW_MESSAGE),
    Kind.VOLUNTEER_APPLICATION_RECEIVED: MessageKind(Audience.VOLUNTEER, "soknad_mottatt_oppdragstaker"),
    Kind.INTERVIEW_INVITATION: MessageKind(Audience.VOLUNTEER, "intervju_oppdragstaker"),
    Kind.VOLUNTEER_APPROVED: MessageKind(Audience.VOLUNTEER, "godkjent_oppdragstaker"),
    Kind.VOLUNTEER_REJECTED: MessageKind(Audience.VOLUNTEER, _NEW_MESSAGE, important=True),
    Kind.PROPOSAL: MessageKind(Audience.VOLUNTEER, "forslag_oppdragstaker"),
    Kind.PROPOSAL_LAPSING: MessageKind(Audience.VOLUNTEER, "forslag_utloper"),
    Kind.PROPOSAL_ANSWERED: MessageKind(Audience.STAFF, "forslag_besvart"),
    Kind.STAFF_DIGEST: MessageKind(Audience.STAFF, "daglig_oversikt"),
    Kind.CERTIFICATE_RENEWAL_DUE: MessageKind(Audience.VOLUNTEER, "politiattest_fornyes"),
    Kind.TIMESHEET_REMINDER: MessageKind(Audience.VOLUNTEER, "timeliste_paminnelse"),
    Kind.TIMESHEET_RETURNED: MessageKind(Audience.VOLUNTEER, "timeliste_returnert"),
    Kind.CONTRACT_READY: MessageKind(Audience.VOLUNTEER, "avtale_til_signering", sms_too=True),
}

RECEIPT_TEMPLATE = Kind.VOLUNTEER_APPLICATION_RECEIVED.value
