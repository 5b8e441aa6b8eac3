"""Which integration events ask for which messages, and which contact details are kept.

Each notification's id is derived from the event that caused it, so a redelivered event cannot ask for
a message twice. A person's contact details (ApplicationReceived, VolunteerApplicationReceived), and
their identity number for the KRR lookup, are kept in a Contact of their own; a message is addressed
when it is sent. An oppdragstaker's municipal e-mail address (MunicipalEmailRecorded) replaces the
address they gave. A kind that goes by e-mail and SMS both asks for one notification per channel.
"""

from collections.abc import Iterable
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import AggregateNotFoundError

from brobygger_notifications.domain import KINDS, Channel, Contact, Kind, Notification
from brobygger_shared.case_access import is_barnevern
from brobygger_shared.delivery import Delivered
from brobygger_shared.events import applications as a
from brobygger_shared.events import contracts as c
from brobygger_shared.events import matching as m
from brobygger_shared.events import payroll as p

STAFF = uuid5(NAMESPACE_URL, "brobygger:staff")  # the recipient of messages to the kommune's staff mailbox

_LETTERS = {"vedtak": Kind.DECISION, "foreløpig_svar": Kind.INTERIM_REPLY}


def notification_id(kind: str, event_id: UUID, channel: Channel | None = None) -> UUID:
    if kind == Kind.VOLUNTEER_APPLICATION_RECEIVED:
        return uuid5(NAMESPACE_URL, f"receipt:{event_id}")  # as the first receipts were named
    if channel == Channel.SMS:  # the SMS beside an e-mail
        return uuid5(NAMESPACE_URL, f"{kind}:sms:{event_id}")
    return uuid5(NAMESPACE_URL, f"{kind}:{event_id}")


def messages_for(event) -> list[tuple[str, UUID, dict]]:
    """(kind, recipient, details) of each message an event asks for."""
    match event:
        case a.ApplicationReceived():
            return [(Kind.APPLICATION_RECEIVED, event.aggregate_id, {})]
        case a.LetterIssued() if event.kind in _LETTERS:
            return [(_LETTERS[event.kind], event.aggregate_id, {})]
        case a.ApplicationAppealed():
            return [(Kind.APPEAL_RECEIVED, event.aggregate_id, {})]
        case a.VolunteerApplicationReceived():
            return [(Kind.VOLUNTEER_APPLICATION_RECEIVED, event.volunteer_id, {})]
        case a.InterviewScheduled():
            return [(Kind.INTERVIEW_INVITATION, event.volunteer_id,
                     {"at": event.at.isoformat(), "address": event.address})]
        case a.VolunteerApproved():
            return [(Kind.VOLUNTEER_APPROVED, event.volunteer_id, {})]
        case a.VolunteerRejected():
            return [(Kind.VOLUNTEER_REJECTED, event.volunteer_id, {})]
        case a.PoliceCertificateRenewalDue():
            return [(Kind.CERTIFICATE_RENEWAL_DUE, event.volunteer_id, {"due_on": event.due_on.isoformat()})]
        case m.MatchProposed():
            return [(Kind.PROPOSAL, event.volunteer_id, {"expires_on": event.expires_on.isoformat()})]
        case m.VolunteerMatched():
            return [(Kind.PROPOSAL_ANSWERED, STAFF, {"outcome": "matchet"})]
        case m.MatchDeclined():
            return [(Kind.PROPOSAL_ANSWERED, STAFF, {"outcome": "avslått"})]
        case p.TimesheetRejected() if event.volunteer_id is not None:  # v1 named no one to tell
            return [(Kind.TIMESHEET_RETURNED, event.volunteer_id, {"period": event.period, "reason": event.reason})]
        case c.ContractReadyForSignature():  # the link leads to the portal's page for it, behind sign-in
            return [(Kind.CONTRACT_READY, event.volunteer_id, {"contract_id": str(event.contract_id)})]
    return []


def concerns_barnevern(event) -> bool:
    """The event is about a barnevern case: it says so, or names a barnevern scheme."""
    return bool(getattr(event, "is_barnevern", False)) or is_barnevern(str(getattr(event, "scheme", "") or ""))


def policy(app, delivered: Delivered) -> Iterable:
    event = delivered.event
    if isinstance(event, a.ApplicationReceived | a.VolunteerApplicationReceived) and (event.email or event.mobile):
        subject = event.aggregate_id if isinstance(event, a.ApplicationReceived) else event.volunteer_id
        yield Contact(subject_id=subject, email=event.email, mobile=event.mobile, national_id=event.national_id)
    if isinstance(event, c.MunicipalEmailRecorded):
        yield _with_municipal_email(app, event.volunteer_id, event.email)
    for kind, recipient, details in messages_for(event):
        for channel in (Channel.EMAIL, Channel.SMS) if KINDS[kind].sms_too else (None,):
            yield Notification(id=notification_id(kind, delivered.meta.event_id, channel), recipient_id=recipient,
                               template=str(kind), caused_by=delivered.meta.event_id, details=details,
                               requested_at=app.clock.now(), channel=channel,
                               is_barnevern=concerns_barnevern(event))


def _with_municipal_email(app, volunteer_id: UUID, email: str) -> Contact:
    """The oppdragstaker's contact with their municipal address (a new contact if they gave none)."""
    try:
        contact = app.repository.get(Contact.create_id(volunteer_id))
    except AggregateNotFoundError:
        return Contact(subject_id=volunteer_id, email=email, mobile=None)
    contact.use_municipal_email(email)
    return contact
