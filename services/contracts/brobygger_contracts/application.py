"""The contracts service's Application: drafts from matches, edits, signatures, amendments, ends."""

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import asdict, replace
from datetime import date
from functools import cached_property
from uuid import NAMESPACE_URL, UUID, uuid5

from brobygger_contracts.documents import ContractParties, render_contract
from brobygger_contracts.domain import (
    Contract,
    ContractStatus,
    MunicipalAccount,
    Party,
    Terms,
    Vedtak,
    VolunteerStatus,
    people,
    without_people,
)
from brobygger_shared.delivery import Delivered
from brobygger_shared.documents import Kommune, sha256
from brobygger_shared.events.matching import GroupAssignmentMatched, VolunteerMatched
from brobygger_shared.eventstore import ProcessingApplication
from brobygger_shared.logging import get_logger


log = get_logger(__name__)


class ContractNotFound(LookupError):
    pass


class MunicipalAccountNotRequested(LookupError):
    """No signed contract has asked for this oppdragstaker's municipal account."""


class DocumentChanged(RuntimeError):
    """Rendering a contract's document from the events that issued it no longer gives the bytes that were
    signed: the templates or the renderer changed under it. An operator must look; it is not served."""


class DocumentErased(LookupError):
    """A party the document names was erased (crypto-shredding): the facts it was rendered from are gone,
    so it cannot be rendered again, by design. What was sent to the archive stays there."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ContractsApplication(ProcessingApplication):
    def default_terms(self, scheme: str, scope: float, scope_unit: str) -> Terms:
        """The kommune's terms for a scheme (settings), for a new draft."""
        return replace(Terms(**self.settings.contract_defaults[scheme]), scope=scope, scope_unit=scope_unit)

    def rate_tables(self, registered: Iterable[str] = ()) -> set[str]:
        """The rate tables a contract may name: the kommune's shipped ones and those payroll registered."""
        return {*self.settings.rate_tables, *registered}

    def contract(self, contract_id: UUID) -> Contract:
        return self.get_aggregate(contract_id, Contract, ContractNotFound)

    def own_contract(self, contract_id: UUID, volunteer_id: UUID) -> Contract:
        """The contract if it is this oppdragstaker's; another's does not exist for them (ContractNotFound)."""
        contract = self.contract(contract_id)
        if contract.volunteer_id != volunteer_id:
            raise ContractNotFound(contract_id)
        return contract

    def edit(self, contract_id: UUID, period_from: date, period_to: date, terms: Terms,
             registered_tables: Iterable[str] = (), vedtak: Vedtak | None = None) -> Contract:
        """`vedtak`: the one in force as learnt from applications (None while not yet learnt: the period
        the match carried)."""
        contract = self.contract(contract_id)
        contract.edit(period_from, period_to, terms, self.rate_tables(registered_tables),
                      vedtak or contract.vedtak_at_match)
        self.save(contract)
        return contract

    def issue_signing_link(self, contract_id: UUID) -> str:
        """A single-use token for the oppdragstaker's personal signing link; only its hash is kept."""
        contract = self.contract(contract_id)
        token = secrets.token_urlsafe(32)
        contract.issue_signing_link(token_hash(token))
        self.save(contract)
        return token

    def sign(self, contract_id: UUID, party: Party, signer: str, volunteer: VolunteerStatus,
             parties: ContractParties, today: date, token: str | None = None, registered_tables: Iterable[str] = (),
             vedtak: Vedtak | None = None, signed_in: bool = False) -> Contract:
        """A party signs (`signed_in`: the oppdragstaker, signed in to the portal, without the link); the last signature issues the oppdragsavtale's document in the same save, and, for
        the oppdragstaker's first contract, asks the kommune's IT for their municipal account."""
        contract = self.contract(contract_id)
        was_signed = contract.status == ContractStatus.ACTIVE
        contract.sign(party, signer, today, volunteer, self.settings.police_certificate_max_age_months,
                      token_hash(token) if token else None, self.rate_tables(registered_tables),
                      self.settings.attest_rules, vedtak or contract.vedtak_at_match, signed_in)
        if contract.document_due:
            self._issue_document(contract, parties, volunteer, today)
        account = None
        if not was_signed and contract.status == ContractStatus.ACTIVE and self._account(contract.volunteer_id) is None:
            account = MunicipalAccount(volunteer_id=contract.volunteer_id, contract_id=contract.id, requested_on=today)
        self.save(contract, *([account] if account else []))
        return contract

    def _account(self, volunteer_id: UUID) -> MunicipalAccount | None:
        try:
            return self.get_aggregate(MunicipalAccount.create_id(volunteer_id), MunicipalAccount, LookupError)
        except LookupError:
            return None

    def record_municipal_email(self, volunteer_id: UUID, email: str, today: date) -> MunicipalAccount:
        """The address the kommune's IT created comes back: recorded (and published) for the oppdragstaker.
        Refused (MunicipalAccountNotRequested) for someone whose account was never asked for."""
        account = self._account(volunteer_id)
        if account is None:
            raise MunicipalAccountNotRequested(volunteer_id)
        account.record_email(email, today)
        self.save(account)
        return account

    def _issue_document(self, contract: Contract, parties: ContractParties, volunteer: VolunteerStatus,
                        today: date) -> None:
        pdf = render_contract(contract, parties, volunteer, self.kommune, today)
        contract.record_document(today, self.kommune.model_dump(), parties.as_dict(), asdict(volunteer), sha256(pdf))

    @cached_property
    def kommune(self) -> Kommune:
        """The letterhead new documents are issued under (read once: its logo is a file)."""
        return self.settings.kommune.kommune()

    def document(self, contract_id: UUID, number: int | None = None) -> tuple[dict, bytes]:
        """Document `number` of a contract (the latest by default) and its PDF, rendered again from the
        version it was issued from, with the parties, attest facts and letterhead recorded then."""
        contract = self.contract(contract_id)
        if not contract.documents:
            raise ContractNotFound(contract_id)
        number = number or len(contract.documents)
        if not 1 <= number <= len(contract.documents):
            raise ContractNotFound(contract_id)
        document = contract.documents[number - 1]
        if document["parties"] is None or document["volunteer"] is None or contract.user_birth_date is None:
            raise DocumentErased(contract_id)
        as_issued = self.repository.get(contract_id, version=document["rendered_from_version"])
        pdf = render_contract(as_issued, ContractParties(**document["parties"]), VolunteerStatus(**document["volunteer"]),
                              Kommune(**document["kommune"]), document["issued_on"])
        if sha256(pdf) != document["sha256"]:
            raise DocumentChanged(f"document {number} of contract {contract_id} renders to other bytes than were signed")
        return document, pdf

    def amend(self, contract_id: UUID, terms: Terms, valid_from: date, reason: str, today: date,
              registered_tables: Iterable[str] = (), period_to: date | None = None,
              vedtak: Vedtak | None = None) -> Contract:
        contract = self.contract(contract_id)
        contract.amend(terms, valid_from, reason, today, self.rate_tables(registered_tables), period_to,
                       vedtak or contract.vedtak_at_match)
        if contract.documents and contract.document_due:  # the document again, the amendment as an appendix
            signed = contract.documents[-1]
            self._issue_document(contract, ContractParties(**signed["parties"]), VolunteerStatus(**signed["volunteer"]),
                                 today)
        self.save(contract)
        return contract

    def terminate(self, contract_id: UUID, ends_on: date, terminated_by: str, reason: str) -> Contract:
        contract = self.contract(contract_id)
        contract.terminate(ends_on, terminated_by, reason)
        self.save(contract)
        return contract


def contract_id_for_match(match_id: UUID) -> UUID:
    return uuid5(NAMESPACE_URL, f"contract-for-match:{match_id}")


def draft_on_match(app: ContractsApplication, delivered: Delivered) -> Iterable[Contract]:
    """Policy: a match accepted by both sides becomes a contract draft on the kommune's terms; a group
    assignment formed on it names its members on the draft (not on a contract someone has signed: logged,
    without ids, and left for staff to redo as a new contract)."""
    matched = delivered.event
    if isinstance(matched, GroupAssignmentMatched):
        contract = app.contract(contract_id_for_match(matched.aggregate_id))
        if contract.status != ContractStatus.DRAFT:
            log.warning("contracts.group_after_signing")
            return
        contract.name_group([member.application_id for member in matched.members], matched.partner)
        yield contract
        return
    if isinstance(matched, VolunteerMatched):
        terms = app.default_terms(matched.scheme, matched.scope, matched.scope_unit)
        yield Contract(
            id=contract_id_for_match(matched.aggregate_id),
            match_id=matched.aggregate_id, application_id=matched.application_id, volunteer_id=matched.volunteer_id,
            scheme=matched.scheme, user_birth_date=matched.user_birth_date, period_from=matched.period_from,
            period_to=matched.period_to, terms=without_people(drafted := replace(terms, valid_from=matched.period_from).as_dict()),
            **people(drafted),
        )
