"""The contracts service's Application: drafts from matches, edits, signatures, amendments, ends."""

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from brobygger_contracts.document import render_contract
from brobygger_contracts.domain import Contract, Party, Terms, Vedtak, VolunteerStatus
from brobygger_shared.delivery import Delivered
from brobygger_shared.events.matching import VolunteerMatched
from brobygger_shared.eventstore import ProcessingServiceApplication


class ContractNotFound(LookupError):
    pass


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ContractsApplication(ProcessingServiceApplication):
    def default_terms(self, scheme: str, scope: float, scope_unit: str) -> Terms:
        """The kommune's terms for a scheme (settings), for a new draft."""
        return replace(Terms(**self.settings.contract_defaults[scheme]), scope=scope, scope_unit=scope_unit)

    def rate_tables(self, registered: Iterable[str] = ()) -> set[str]:
        """The rate tables a contract may name: the kommune's shipped ones and those payroll registered."""
        return {*self.settings.rate_tables, *registered}

    def contract(self, contract_id: UUID) -> Contract:
        return self.get_aggregate(contract_id, Contract, ContractNotFound)

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

    def sign(self, contract_id: UUID, party: Party, signer: str, volunteer: VolunteerStatus, volunteer_name: str,
             today: date, token: str | None = None, registered_tables: Iterable[str] = (),
             vedtak: Vedtak | None = None) -> Contract:
        contract = self.contract(contract_id)
        pdf = None
        if contract.completes_with(party):
            signatures = {**contract.signatures, str(party): {"signer": signer, "signed_on": today}}
            pdf = render_contract(contract, volunteer_name, self.settings.kommune_name, signatures)
        contract.sign(party, signer, today, volunteer, self.settings.police_certificate_max_age_months,
                      token_hash(token) if token else None, pdf, self.rate_tables(registered_tables),
                      self.settings.attest_rules, vedtak or contract.vedtak_at_match)
        self.save(contract)
        return contract

    def amend(self, contract_id: UUID, terms: Terms, valid_from: date, reason: str, today: date,
              registered_tables: Iterable[str] = (), period_to: date | None = None,
              vedtak: Vedtak | None = None) -> Contract:
        contract = self.contract(contract_id)
        contract.amend(terms, valid_from, reason, today, self.rate_tables(registered_tables), period_to,
                       vedtak or contract.vedtak_at_match)
        self.save(contract)
        return contract

    def terminate(self, contract_id: UUID, ends_on: date, terminated_by: str, reason: str) -> Contract:
        contract = self.contract(contract_id)
        contract.terminate(ends_on, terminated_by, reason)
        self.save(contract)
        return contract


def draft_on_match(app: ContractsApplication, delivered: Delivered) -> Iterable[Contract]:
    """Policy: a match accepted by both sides becomes a contract draft on the kommune's terms."""
    matched = delivered.event
    if isinstance(matched, VolunteerMatched):
        terms = app.default_terms(matched.scheme, matched.scope, matched.scope_unit)
        yield Contract(
            id=uuid5(NAMESPACE_URL, f"contract-for-match:{matched.aggregate_id}"),
            match_id=matched.aggregate_id, application_id=matched.application_id, volunteer_id=matched.volunteer_id,
            scheme=matched.scheme, user_birth_date=matched.user_birth_date, period_from=matched.period_from,
            period_to=matched.period_to, terms=replace(terms, valid_from=matched.period_from).as_dict(),
        )
