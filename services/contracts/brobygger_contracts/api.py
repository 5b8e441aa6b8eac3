"""HTTP routes of the contracts service. Staff work on contracts by roles that compose
(`brobygger_shared.case_access`): saksbehandlere on ordinary cases' contracts, barnevern staff on
barnevern cases' contracts, staff with both on both; the oppdragstaker signs through a personal,
single-use link that needs no login. A contract's period is checked against the vedtak in force
(learnt from applications' events)."""

import asyncio
from datetime import date
from typing import Annotated
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, Field

from brobygger_contracts import projections
from brobygger_contracts.application import (
    ContractNotFound,
    ContractsApplication,
    DocumentErased,
    MunicipalAccountNotRequested,
    token_hash,
)
from brobygger_contracts.domain import (
    MAX_DOGN_RATE_ORE,
    MAX_HOURLY_RATE_ORE,
    MAX_MONTHLY_EXPENSES_ORE,
    MAX_NOTICE_PERIOD_DAYS,
    MAX_SCOPE,
    Contract,
    ContractStatus,
    EngagementType,
    ExpenseKind,
    Party,
    Terms,
    Vedtak,
)
from brobygger_shared.access_log import ids_in, reading_of
from brobygger_shared.auth import AUTH_RESPONSES, OwnVolunteerId, command_responses
from brobygger_shared.case_access import CaseAccess, DocumentReader, Staff
from brobygger_shared.inputs import NAME_MAX_LENGTH, Day, Email, Input, Line, Paragraphs, at_most_per_unit
from brobygger_shared.problems import Problem
from brobygger_shared.service import ReadConnection

router = APIRouter(tags=["oppdragsavtaler"])

Caseworker = Staff  # saksbehandler or barnevern; which contracts each may see is checked by the case's scheme
RESPONSES = command_responses("Fant ikke avtalen", "Ikke tillatt nå (for eksempel politiattesten)")


def application(request: Request) -> ContractsApplication:
    return request.app.state.application


App = Annotated[ContractsApplication, Depends(application)]


async def _run(function, *args):
    try:
        return await asyncio.to_thread(function, *args)
    except ContractNotFound:
        raise Problem(404, "Fant ikke avtalen.") from None
    except DocumentErased:
        raise Problem(410, "Avtalen er slettet: personopplysningene i dokumentet er slettet.") from None


class TermsIn(Input):
    engagement_type: EngagementType
    scope_unit: str = Field(pattern="^(timer_per_uke|døgn_per_måned)$")
    scope: float = Field(gt=0, description="At most 168 hours per week, or 31 døgn per month")
    hourly_rate_ore: int | None = Field(default=None, gt=0, le=MAX_HOURLY_RATE_ORE,
                                        description="Fixed pay per hour, in øre")
    hourly_rate_table: Line(40) | None = Field(default=None, description="Or a rate table payroll applies by date")
    work_hours_per_dogn: float | None = Field(default=None, gt=0, le=24,
                                              description="A stay's døgn paid as this many hours at the hourly rate")
    dogn_rate_ore: int | None = Field(default=None, gt=0, le=MAX_DOGN_RATE_ORE, description="Or work pay per døgn, in øre")
    dogn_rate_table: Line(40) | None = Field(default=None, description="Or a table of work pay per døgn")
    expense_kind: ExpenseKind = ExpenseKind.NONE
    expense_flat_monthly_ore: int | None = Field(default=None, gt=0, le=MAX_MONTHLY_EXPENSES_ORE)
    expense_rate_table: Line(40) | None = None
    mileage_covered: bool = False
    notice_period_days: int = Field(default=14, ge=0, le=MAX_NOTICE_PERIOD_DAYS)
    contact_persons: Annotated[list[Line(NAME_MAX_LENGTH, min_length=1)], Field(max_length=10)] = []
    household_members: Annotated[list[Line(NAME_MAX_LENGTH, min_length=1)], Field(max_length=20)] = []

    _scope_within_its_unit = at_most_per_unit("scope", "scope_unit", MAX_SCOPE)

    def terms(self) -> Terms:
        return Terms(**{**self.model_dump(), "engagement_type": self.engagement_type.value,
                        "expense_kind": self.expense_kind.value})


class ContractOut(BaseModel):
    contract_id: UUID
    match_id: UUID
    application_id: UUID
    volunteer_id: UUID
    scheme: str
    status: str
    period_from: date
    period_to: date
    terms: dict
    terms_history: list[dict]
    signatures: dict
    signed_on: date | None
    termination: dict | None
    pdf_url: str | None = Field(description="The signed contract with its amendments as appendices, as PDF")
    documents: list[dict] = Field(default=[], description="Each issue of the document (at signing, after each "
                                                          "amendment): number, issued_on, sha256, url")
    vedtak: dict | None = Field(default=None, description="The vedtak in force in the case: its period and, if the "
                                                          "person ended the service, the day (service_ended_on)")
    ready_for_signature: bool = Field(default=False, description="Staff have made it ready for the oppdragstaker "
                                                                 "to sign (a signing link issued, not yet used)")
    group_members: list[UUID] = Field(default=[], description="A group assignment's cases, this contract's own "
                                                              "first; empty for one user")
    group_partner: str | None = Field(default=None, description="A group assignment's partner organisation")

    @classmethod
    def of(cls, contract: Contract, vedtak: Vedtak | None = None) -> "ContractOut":
        return cls(contract_id=contract.id, match_id=contract.match_id, application_id=contract.application_id,
                   volunteer_id=contract.volunteer_id, scheme=contract.scheme, status=contract.status,
                   period_from=contract.period_from, period_to=contract.period_to, terms=contract.terms,
                   terms_history=contract.terms_history, signatures=contract.signatures, signed_on=contract.signed_on,
                   termination=contract.termination,
                   pdf_url=f"/contracts/{contract.id}/document.pdf" if contract.documents or contract.pdf else None,
                   documents=[{"number": document["number"], "issued_on": document["issued_on"],
                               "sha256": document["sha256"],
                               "url": f"/contracts/{contract.id}/documents/{document['number']}.pdf"}
                              for document in contract.documents],
                   ready_for_signature=contract.signing_token_sha256 is not None,
                   group_members=getattr(contract, "group_members", []),
                   group_partner=getattr(contract, "group_partner", None),
                   vedtak=None if vedtak is None else {
                       "decision_number": vedtak.decision_number, "period_from": vedtak.period_from,
                       "period_to": vedtak.period_to, "service_ended_on": vedtak.ended_on})


async def _visible(app: ContractsApplication, contract_id: UUID, staff: CaseAccess) -> Contract:
    """The contract, if the caller's roles allow its case; else it does not exist for them (404)."""
    contract = await _run(app.contract, contract_id)
    if not staff.may_see_scheme(contract.scheme, contract.application_id):
        raise Problem(404, "Fant ikke avtalen.")
    return contract


async def _shown(connection, contract: Contract) -> ContractOut:
    return ContractOut.of(contract, await projections.vedtak_in_force(connection, contract.application_id))


@router.get("/volunteers", responses=AUTH_RESPONSES, summary="Known oppdragstakere, with attest and declaration")
async def get_volunteers(staff: Caseworker, connection: ReadConnection, read: reading_of("volunteers")) -> list[dict]:
    rows = await projections.list_volunteers(connection)
    await read.record(ids_in(rows, "volunteer_id"))
    return rows


@router.get("/contracts", responses=AUTH_RESPONSES,
            summary="Contracts by status; renewal_due=true: active contracts whose politiattest must be renewed; "
                    "service_ended=true: contracts not ended whose user has ended the service")
async def get_contracts(staff: Caseworker, connection: ReadConnection, read: reading_of("contracts"),
                        status: ContractStatus | None = None, renewal_due: bool = False,
                        service_ended: bool = False) -> list[dict]:
    rows = await projections.list_contracts(connection, status, renewal_due, staff.barnevern, staff.ordinary,
                                            service_ended)
    await read.record(ids_in(rows, "contract_id", "volunteer_id", "application_id"))
    return rows


@router.get("/summary", responses=AUTH_RESPONSES,
            summary="The counts the work queue shows (drafts, signed by one party, politiattest to renew), of the "
                    "contracts the caller's roles allow")
async def get_summary(staff: Caseworker, connection: ReadConnection) -> dict:
    return await projections.summary(connection, staff.barnevern, staff.ordinary)


@router.get("/contracts/{contract_id}", response_model=ContractOut, responses=RESPONSES)
async def get_contract(contract_id: UUID, staff: Caseworker, app: App, connection: ReadConnection,
                       _: reading_of("contract", "contract_id")) -> ContractOut:
    return await _shown(connection, await _visible(app, contract_id, staff))


PDF_RESPONSES = {**RESPONSES, 200: {"content": {"application/pdf": {}}, "description": "PDF/A-2b"},
                 410: {"description": "slettet: a party the document names was erased"}}


@router.get("/contracts/{contract_id}/document.pdf", responses=PDF_RESPONSES, response_class=Response,
            summary="The signed contract as PDF, with every amendment so far as an appendix")
async def get_document(contract_id: UUID, staff: Caseworker, app: App,
                       _: reading_of("contract document", "contract_id")) -> Response:
    contract = await _visible(app, contract_id, staff)
    if contract.pdf is not None and not contract.documents:  # signed before documents were kept by hash
        return _pdf(contract.pdf, f"oppdragsavtale-{contract.id}.pdf")
    return await _document(app, contract, None)


@router.get("/contracts/{contract_id}/documents/{number}.pdf", responses=PDF_RESPONSES, response_class=Response,
            summary="One issue of the contract's document (1 at signing, then one per amendment), as issued")
async def get_document_issue(contract_id: UUID, number: Annotated[int, Path(ge=1, le=1000)],
                             staff: DocumentReader, app: App,
                             _: reading_of("contract document", "contract_id")) -> Response:
    return await _document(app, await _visible(app, contract_id, staff), number)


async def _document(app: ContractsApplication, contract: Contract, number: int | None) -> Response:
    if not contract.documents:
        raise Problem(409, "Avtalen er ikke signert av begge parter ennå.")
    if number is not None and number > len(contract.documents):
        raise Problem(404, "Avtalen har ikke noe dokument med dette nummeret.")
    document, pdf = await _run(app.document, contract.id, number)
    name = f"oppdragsavtale-{document['parties']['user_case_number'].replace('/', '-')}-{document['number']}.pdf"
    return _pdf(pdf, name, document["sha256"])


def _pdf(pdf: bytes, filename: str, sha256: str | None = None) -> Response:
    headers = {"content-disposition": f"inline; filename*=UTF-8''{quote(filename)}"}
    if sha256:
        headers["x-content-sha256"] = sha256
    return Response(pdf, media_type="application/pdf", headers=headers)


@router.get("/rate-tables", responses=AUTH_RESPONSES,
            summary="The rate tables a contract's terms may name: the kommune's and those payroll registered")
async def get_rate_tables(staff: Caseworker, connection: ReadConnection, app: App) -> list[str]:
    return sorted(app.rate_tables(await projections.registered_rate_tables(connection)))


class DraftIn(Input):
    period_from: Day
    period_to: Day
    terms: TermsIn


@router.put("/contracts/{contract_id}/draft", response_model=ContractOut, responses=RESPONSES,
            summary="Edit the draft: period and terms (only before anyone has signed)")
async def edit_draft(contract_id: UUID, body: DraftIn, staff: Caseworker, app: App,
                     connection: ReadConnection) -> ContractOut:
    contract = await _visible(app, contract_id, staff)
    tables = await projections.registered_rate_tables(connection)
    vedtak = await projections.vedtak_in_force(connection, contract.application_id)
    return ContractOut.of(await _run(app.edit, contract_id, body.period_from, body.period_to, body.terms.terms(),
                                     tables, vedtak), vedtak)


@router.post("/contracts/{contract_id}/signing-link", responses=RESPONSES,
             summary="A personal, single-use signing link for the oppdragstaker")
async def signing_link(contract_id: UUID, staff: Caseworker, app: App) -> dict:
    """The link signs without sign-in, so staff hand it over; ContractReadyForSignature (published with no
    link or token) has notifications tell the oppdragstaker to sign in and sign."""
    await _visible(app, contract_id, staff)
    token = await _run(app.issue_signing_link, contract_id)
    return {"path": f"/signing/{contract_id}/{token}"}


async def _sign(request: Request, contract_id: UUID, party: Party, signer: str, app: ContractsApplication,
                token: str | None = None, signed_in: bool = False) -> ContractOut:
    contract = await _run(app.contract, contract_id)
    async with request.app.state.runtime.read_pool.acquire() as connection:
        known = await projections.volunteer_status(connection, contract.volunteer_id)
        tables = await projections.registered_rate_tables(connection)
        vedtak = await projections.vedtak_in_force(connection, contract.application_id)
        if known is None:
            raise Problem(409, "Kontraktstjenesten kjenner ikke oppdragstakeren ennå; prøv igjen om litt.")
        parties = await projections.volunteer_party(connection, contract.volunteer_id, contract.application_id,
                                                    getattr(contract, "group_members", []),
                                                    getattr(contract, "group_partner", None))
    status, name = known
    signed_name = name if party == Party.VOLUNTEER else signer
    return ContractOut.of(await _run(app.sign, contract_id, party, signed_name, status, parties, date.today(), token,
                                     tables, vedtak, signed_in), vedtak)


@router.post("/contracts/{contract_id}/kommune-signature", response_model=ContractOut, responses=RESPONSES,
             summary="The kommune signs (refused unless the politiattest and taushetserklæring are in order)")
async def sign_as_kommune(contract_id: UUID, request: Request, staff: Caseworker, app: App) -> ContractOut:
    await _visible(app, contract_id, staff)
    return await _sign(request, contract_id, Party.KOMMUNE, staff.name or staff.user_id, app)


@router.get("/signing/{contract_id}/{token}", response_model=ContractOut, tags=["signering"],
            responses={404: RESPONSES[404]}, summary="The oppdragstaker reads the contract before signing")
async def read_for_signing(contract_id: UUID, token: str, app: App) -> ContractOut:
    contract = await _run(app.contract, contract_id)
    if contract.signing_token_sha256 != token_hash(token):
        raise Problem(404, "Signeringslenken er ugyldig eller allerede brukt.")
    return ContractOut.of(contract)


@router.post("/signing/{contract_id}/{token}", response_model=ContractOut, tags=["signering"],
             responses={404: RESPONSES[404], 409: RESPONSES[409]},
             summary="The oppdragstaker signs through the personal link (single use)")
async def sign_as_volunteer(contract_id: UUID, token: str, request: Request, app: App) -> ContractOut:
    return await _sign(request, contract_id, Party.VOLUNTEER, "", app, token)


class AmendmentIn(Input):
    valid_from: Day
    reason: Paragraphs(min_length=1)
    terms: TermsIn
    period_to: Day | None = Field(default=None, description="A new last day for the contract, within the vedtak in "
                                                            "force (a new vedtak extends a contract this way)")


@router.post("/contracts/{contract_id}/amendments", response_model=ContractOut, responses=RESPONSES,
             summary="New terms from a date, and a new end within the vedtak; earlier periods keep their terms")
async def amend(contract_id: UUID, body: AmendmentIn, staff: Caseworker, app: App,
                connection: ReadConnection) -> ContractOut:
    contract = await _visible(app, contract_id, staff)
    tables = await projections.registered_rate_tables(connection)
    vedtak = await projections.vedtak_in_force(connection, contract.application_id)
    return ContractOut.of(await _run(app.amend, contract_id, body.terms.terms(), body.valid_from, body.reason,
                                     date.today(), tables, body.period_to, vedtak), vedtak)


class TerminationIn(Input):
    ends_on: Day
    terminated_by: str = Field(pattern="^(oppdragstaker|kommune|vedtak_slutt)$")
    reason: Paragraphs(min_length=1)


@router.post("/contracts/{contract_id}/termination", response_model=ContractOut, responses=RESPONSES,
             summary="End the contract on a date, by either party or by the end of the vedtak")
async def terminate(contract_id: UUID, body: TerminationIn, staff: Caseworker, app: App) -> ContractOut:
    await _visible(app, contract_id, staff)
    return ContractOut.of(await _run(app.terminate, contract_id, body.ends_on, body.terminated_by, body.reason))


class MunicipalEmailIn(Input):
    email: Email


@router.post("/volunteers/{volunteer_id}/municipal-email", responses=RESPONSES,
             summary="The municipal e-mail address the kommune's IT created for an oppdragstaker (asked for by "
                     "MunicipalAccountRequested when their first contract was signed); notifications use it")
async def record_municipal_email(volunteer_id: UUID, body: MunicipalEmailIn, staff: Caseworker, app: App) -> dict:
    try:
        account = await asyncio.to_thread(app.record_municipal_email, volunteer_id, body.email, date.today())
    except MunicipalAccountNotRequested:
        raise Problem(404, "Ingen kommunal konto er bestilt for denne oppdragstakeren.") from None
    return {"volunteer_id": account.volunteer_id, "email": account.email, "requested_on": account.requested_on,
            "recorded_on": account.recorded_on}


# -- the oppdragstaker's own contracts (the portal) --------------------------------------------------
# The portal's gateway calls these as the signed-in oppdragstaker (role oppdragstaker, the token's subject
# their volunteer id, found by their identity number in applications). Another's contract, like one that
# does not exist, is 404.

@router.get("/my/contracts", responses=AUTH_RESPONSES, tags=["selvbetjening"],
            summary="The signed-in oppdragstaker's own contracts, newest period first")
async def my_contracts(volunteer_id: OwnVolunteerId, connection: ReadConnection, read: reading_of("own contracts")) -> list[dict]:
    rows = await projections.contracts_of_volunteer(connection, volunteer_id)
    await read.record(ids_in(rows, "contract_id"))
    return rows


@router.get("/my/contracts/{contract_id}", response_model=ContractOut, responses=RESPONSES, tags=["selvbetjening"],
            summary="One of the signed-in oppdragstaker's own contracts")
async def my_contract(contract_id: UUID, volunteer_id: OwnVolunteerId, app: App, connection: ReadConnection,
                      _: reading_of("own contract", "contract_id")) -> ContractOut:
    return await _shown(connection, await _run(app.own_contract, contract_id, volunteer_id))


@router.get("/my/contracts/{contract_id}/document.pdf", responses=PDF_RESPONSES, response_class=Response,
            tags=["selvbetjening"], summary="One's own signed contract as PDF, with its amendments")
async def my_document(contract_id: UUID, volunteer_id: OwnVolunteerId, app: App,
                      _: reading_of("own contract document", "contract_id")) -> Response:
    contract = await _run(app.own_contract, contract_id, volunteer_id)
    if contract.pdf is not None and not contract.documents:
        return _pdf(contract.pdf, f"oppdragsavtale-{contract.id}.pdf")
    return await _document(app, contract, None)


@router.post("/my/contracts/{contract_id}/signature", response_model=ContractOut, responses=RESPONSES,
             tags=["selvbetjening"], summary="The signed-in oppdragstaker signs their own contract, once staff have "
                                             "made it ready (refused unless the politiattest and "
                                             "taushetserklæring are in order)")
async def sign_my_contract(contract_id: UUID, volunteer_id: OwnVolunteerId, request: Request, app: App) -> ContractOut:
    await _run(app.own_contract, contract_id, volunteer_id)
    return await _sign(request, contract_id, Party.VOLUNTEER, "", app, signed_in=True)
