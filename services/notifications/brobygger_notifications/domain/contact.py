"""The contact details a person gave for notices, and their identity number for the reservation
register (KRR), kept by notifications alone. Pure."""

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from brobygger_notifications.domain.stored import TOPIC_MODULE
from brobygger_shared.shredding import ERASED, PersonalData


def contact_id(subject_id: UUID) -> UUID:
    """The Contact of a subject: a citizen's case (its id) or a would-be oppdragstaker (the volunteer id)."""
    return uuid5(NAMESPACE_URL, f"brobygger:contact:{subject_id}")


def _given(value: str | None) -> str | None:
    """A contact detail as given; none once the person is erased (a sealed value whose key is gone)."""
    return None if value in (None, "", ERASED) else value


class Contact(Aggregate):
    __module__ = TOPIC_MODULE

    @staticmethod
    def create_id(subject_id: UUID) -> UUID:
        return contact_id(subject_id)

    @event("Registered")
    def __init__(self, subject_id: UUID, email: str | None, mobile: str | None, national_id: str | None = None) -> None:
        """`national_id`: the identity number, for the KRR lookup before an important letter goes digitally
        (none for contacts registered before the events carried it: then nobody can look them up)."""
        self.subject_id = subject_id
        self.email = _given(email)
        self.mobile = _given(mobile)
        self.national_id = _given(national_id)

    @property
    def reachable(self) -> bool:
        return bool(self.email or self.mobile)

    def use_municipal_email(self, email: str) -> None:
        """The oppdragstaker's municipal address (the kommune's IT made it when their first contract was
        signed): messages go there from now on; the mobile stays."""
        if email != self.email:
            self._municipal_email_recorded(email=email, subject_id=self.subject_id)

    @event("MunicipalEmailRecorded")
    def _municipal_email_recorded(self, email: str, subject_id: UUID | None = None) -> None:
        # `subject_id` (events since crypto-shredding): whose key seals the address
        self.email = _given(email)


# Crypto-shredding: contact details and the identity number (kept for the KRR lookup) sealed under the
# subject's key (a case id or a volunteer id); nothing once the person is erased.
Contact.Registered.personal_data = PersonalData(subject="subject_id", fields=("email", "mobile", "national_id"))
Contact.MunicipalEmailRecorded.personal_data = PersonalData(subject="subject_id", fields=("email",))
