"""Domain events -> integration events, for the relay. Anything not mapped stays private
(kartlegging notes, interview notes, reasons, who decided: they stay in this service)."""

from functools import singledispatch
from typing import Any

from brobygger_applications.domain import PersonErasure, Scheme, ServiceApplication, VolunteerApplication
from brobygger_shared.events import applications as published
from brobygger_shared.events.base import IntegrationEvent


@singledispatch
def to_integration_event(domain_event: object) -> IntegrationEvent | None:
    return None


def _case(domain_event: Any) -> dict[str, Any]:
    scheme = Scheme(domain_event.scheme)
    return {
        "aggregate_id": domain_event.originator_id,
        "occurred_at": domain_event.timestamp,
        "scheme": scheme.value,
        "is_barnevern": scheme.is_barnevern,
    }


def _volunteer(domain_event: Any) -> dict[str, Any]:
    return {
        "aggregate_id": domain_event.originator_id,
        "occurred_at": domain_event.timestamp,
        "volunteer_id": domain_event.volunteer_id,
    }


def _contact(e: Any) -> dict[str, Any]:
    """The contact details for notices, and with them the identity number notifications looks up in
    KRR before an important letter goes digitally (none when there is nowhere to send it digitally)."""
    email, mobile = getattr(e, "email", None), getattr(e, "mobile", None)
    return {"email": email, "mobile": mobile, "national_id": e.national_id if email or mobile else None}


@to_integration_event.register
def _(e: ServiceApplication.Received) -> IntegrationEvent:
    return published.ApplicationReceived(
        **_case(e), person_id=e.person_id, birth_date=e.birth_date, area=e.area, interests=e.interests,
        wished_activities=e.wished_activities, helper_wishes=e.helper_wishes, scope_asked=e.scope_asked,
        received_on=e.received_on, case_number=getattr(e, "case_number", None),
        **_contact(e),
    )


@to_integration_event.register
def _(e: ServiceApplication.InterimReplySent) -> IntegrationEvent:
    return published.InterimReplySent(**_case(e), expected_decision_by=e.expected_decision_by, sent_on=e.sent_on)


@to_integration_event.register
def _(e: ServiceApplication.Decided) -> IntegrationEvent:
    return published.ApplicationDecided(
        **_case(e), decision_number=e.decision_number, granted=e.granted, scope=e.scope,
        scope_unit=e.scope_unit, period_from=e.period_from, period_to=e.period_to, legal_basis=e.legal_basis,
        decided_on=e.decided_on, resolves_appeal=e.resolves_appeal,
    )


@to_integration_event.register
def _(e: ServiceApplication.Appealed) -> IntegrationEvent:
    return published.ApplicationAppealed(**_case(e), received_on=e.received_on, late=e.late)


@to_integration_event.register
def _(e: ServiceApplication.AppealForwarded) -> IntegrationEvent:
    return published.AppealResolved(**_case(e), resolution="oversendt_statsforvalteren", resolved_on=e.forwarded_on)


@to_integration_event.register
def _(e: ServiceApplication.StatsforvalterDecided) -> IntegrationEvent:
    return published.AppealResolved(**_case(e), resolution=str(e.outcome), resolved_on=e.received_on)


@to_integration_event.register
def _(e: ServiceApplication.Withdrawn) -> IntegrationEvent:
    return published.ApplicationWithdrawn(**_case(e), withdrawn_on=e.withdrawn_on)


@to_integration_event.register
def _(e: ServiceApplication.LedsagerbevisDecided) -> IntegrationEvent:
    return published.LedsagerbevisDecided(**_case(e), granted=e.granted, valid_from=e.valid_from,
                                          valid_to=e.valid_to, decided_on=e.decided_on)


@to_integration_event.register
def _(e: ServiceApplication.ServiceEnded) -> IntegrationEvent:
    return published.ServiceEnded(**_case(e), decision_number=e.decision_number, ended_on=e.ended_on,
                                  appeal_withdrawn=e.appeal_withdrawn)


@to_integration_event.register
def _(e: VolunteerApplication.Received) -> IntegrationEvent:
    return published.VolunteerApplicationReceived(
        aggregate_id=e.originator_id, occurred_at=e.timestamp, volunteer_id=e.volunteer_id, full_name=e.full_name,
        birth_date=e.birth_date, roles=e.roles, area=e.area, interests=e.interests, languages=e.languages,
        gender=getattr(e, "gender", None), has_driving_licence=e.has_driving_licence, has_car=e.has_car,
        has_spare_bedroom=e.has_spare_bedroom, case_number=getattr(e, "case_number", None),
        address=getattr(e, "address", ""), **_contact(e),
    )


@to_integration_event.register
def _(e: ServiceApplication.LetterIssued) -> IntegrationEvent:
    return published.LetterIssued(
        **_case(e), letter_number=e.number, kind=e.kind, issued_on=e.issued_on, sha256=e.sha256,
        document_path=f"/service-applications/{e.originator_id}/letters/{e.number}.pdf",
    )


@to_integration_event.register
def _(e: VolunteerApplication.InterviewScheduled) -> IntegrationEvent | None:
    if getattr(e, "volunteer_id", None) is None:
        return None  # an appointment stored before invitations were published
    return published.InterviewScheduled(**_volunteer(e), at=e.at, address=getattr(e, "address", ""))


@to_integration_event.register
def _(e: VolunteerApplication.InterviewCompleted) -> IntegrationEvent:
    return published.InterviewCompleted(**_volunteer(e), held_on=e.held_on, assessment=str(e.assessment))


@to_integration_event.register
def _(e: VolunteerApplication.PoliceCertificateRegistered) -> IntegrationEvent | None:
    if not e.verified:
        return None  # remarks: a staff decision comes first
    return published.PoliceCertificateVerified(
        **_volunteer(e), kind=str(e.kind), issued_on=e.issued_on, verified_on=e.registered_on
    )


@to_integration_event.register
def _(e: VolunteerApplication.CertificateRemarksDecided) -> IntegrationEvent | None:
    if not e.accepted:
        return None
    return published.PoliceCertificateVerified(
        **_volunteer(e), kind=str(e.kind), issued_on=e.issued_on, verified_on=e.decided_on
    )


@to_integration_event.register
def _(e: VolunteerApplication.PoliceCertificateRenewalDue) -> IntegrationEvent:
    return published.PoliceCertificateRenewalDue(
        **_volunteer(e), due_on=e.due_on, certificate_issued_on=e.certificate_issued_on
    )


@to_integration_event.register
def _(e: VolunteerApplication.ConfidentialityDeclarationSigned) -> IntegrationEvent:
    return published.ConfidentialityDeclarationSigned(**_volunteer(e), signed_on=e.signed_on)


@to_integration_event.register
def _(e: VolunteerApplication.Approved) -> IntegrationEvent:
    return published.VolunteerApproved(
        **_volunteer(e), roles=e.roles, approved_on=e.approved_on, certificate_kind=str(e.certificate_kind),
        certificate_issued_on=e.certificate_issued_on,
    )


@to_integration_event.register
def _(e: VolunteerApplication.Rejected) -> IntegrationEvent:
    return published.VolunteerRejected(**_volunteer(e), rejected_on=e.rejected_on)


@to_integration_event.register
def _(e: PersonErasure.Recorded) -> IntegrationEvent:
    return published.PersonErased(aggregate_id=e.asked_for, occurred_at=e.timestamp, case_ids=e.case_ids,
                                  volunteer_ids=e.volunteer_ids, erased_on=e.erased_on)


PUBLISHES = [
    published.ApplicationReceived, published.InterimReplySent, published.ApplicationDecided,
    published.ApplicationAppealed, published.AppealResolved, published.ApplicationWithdrawn, published.ServiceEnded,
    published.LetterIssued, published.LedsagerbevisDecided,
    published.VolunteerApplicationReceived, published.InterviewScheduled, published.InterviewCompleted, published.PoliceCertificateVerified,
    published.PoliceCertificateRenewalDue, published.ConfidentialityDeclarationSigned, published.VolunteerApproved,
    published.VolunteerRejected, published.PersonErased,
]
