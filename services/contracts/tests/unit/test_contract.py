"""The oppdragsavtale: a draft the caseworker edits, signed by the kommune and by the oppdragstaker
through a single-use link only while the politiattest and taushetserklæring are in order, then fixed
with its document; later changes are amendments from a date, and the contract ends by termination."""

from dataclasses import replace
from datetime import date
from uuid import UUID

import pytest

from brobygger_contracts.domain import (
    Contract,
    ContractStatus,
    Party,
    Terms,
    Vedtak,
    VolunteerStatus,
    signing_gate,
)
from brobygger_shared.attests import AttestRules
from brobygger_shared.rules import InvalidValue, RuleViolation

TODAY = date(2026, 11, 23)
PERIOD_FROM = date(2027, 1, 1)
PERIOD_TO = date(2027, 12, 31)
MAX_AGE = 3  # months, a setting: the politiattest's age on the signing day
TOKEN = "a" * 64  # the sha256 of the oppdragstaker's signing link
WRONG_TOKEN = "b" * 64

IN_ORDER = VolunteerStatus(certificate_kind="ordinær", certificate_issued_on=date(2026, 10, 1),
                           certificate_verified=True, declaration_signed_on=date(2026, 10, 5))


def terms(**changes) -> Terms:
    fields = dict(engagement_type="oppdragstaker", scope=3, scope_unit="timer_per_uke", hourly_rate_ore=19500,
                  expense_kind="fast_per_måned", expense_flat_monthly_ore=40000,
                  contact_persons=["Saksbehandler Testesen"], valid_from=PERIOD_FROM)
    return Terms(**{**fields, **changes})


def drafted(scheme: str = "støttekontakt") -> Contract:
    """A draft as the service makes it of a match: the terms valid from the period's first day."""
    return Contract(id=UUID(int=1), match_id=UUID(int=2), application_id=UUID(int=3), volunteer_id=UUID(int=4),
                    scheme=scheme, user_birth_date=date(2014, 2, 28), period_from=PERIOD_FROM,
                    period_to=PERIOD_TO, terms=terms().as_dict())


def attest(**changes) -> VolunteerStatus:
    return replace(IN_ORDER, **changes)


def sign_as_kommune(contract: Contract, volunteer: VolunteerStatus = IN_ORDER, today: date = TODAY) -> None:
    contract.sign(Party.KOMMUNE, "Saksbehandler Testesen", today, volunteer, MAX_AGE)


def sign_as_volunteer(contract: Contract, volunteer: VolunteerStatus = IN_ORDER, today: date = TODAY,
                      token: str | None = TOKEN) -> None:
    contract.sign(Party.VOLUNTEER, "Ola Oppdragstaker", today, volunteer, MAX_AGE, token_sha256=token)


def partly_signed(scheme: str = "støttekontakt") -> Contract:
    """Signed by the kommune; the oppdragstaker has been sent the link."""
    contract = drafted(scheme)
    sign_as_kommune(contract)
    contract.issue_signing_link(TOKEN)
    return contract


def signed(scheme: str = "støttekontakt") -> Contract:
    contract = partly_signed(scheme)
    sign_as_volunteer(contract)
    return contract


def event_names(contract: Contract) -> list[str]:
    return [type(e).__name__ for e in contract.collect_events()]


def rebuilt(events) -> Contract:
    aggregate = None
    for e in events:
        aggregate = e.mutate(aggregate)
    return aggregate


# -- the signing gate ---------------------------------------------------------------------------------


def test_a_verified_ordinary_attest_issued_within_three_months_and_a_signed_declaration_pass_the_gate():
    assert signing_gate("støttekontakt", IN_ORDER, TODAY, MAX_AGE) == []


def test_an_attest_exactly_three_months_old_on_the_signing_day_passes_the_gate():
    status = attest(certificate_issued_on=date(2026, 8, 23))

    assert signing_gate("støttekontakt", status, date(2026, 11, 23), MAX_AGE) == []


def test_an_attest_one_day_older_than_three_months_is_refused():
    status = attest(certificate_issued_on=date(2026, 8, 22))

    assert signing_gate("støttekontakt", status, date(2026, 11, 23), MAX_AGE) == [
        "politiattesten er eldre enn 3 måneder på signeringsdagen"]


def test_an_attest_three_months_and_three_weeks_old_is_refused_when_signing():
    contract = partly_signed()
    contract.collect_events()

    with pytest.raises(RuleViolation, match="eldre enn 3 måneder"):
        sign_as_volunteer(contract, attest(certificate_issued_on=date(2026, 8, 1)), today=date(2026, 11, 23))


def test_an_attest_four_months_old_is_refused_with_a_message_about_its_age():
    status = attest(certificate_issued_on=date(2026, 7, 23))

    assert signing_gate("støttekontakt", status, TODAY, MAX_AGE) == [
        "politiattesten er eldre enn 3 måneder på signeringsdagen"]


def test_an_attest_issued_on_the_31st_is_valid_until_the_last_day_of_the_month_three_months_on():
    status = attest(certificate_issued_on=date(2026, 8, 31))

    assert signing_gate("støttekontakt", status, date(2026, 11, 30), MAX_AGE) == []
    assert signing_gate("støttekontakt", status, date(2026, 12, 1), MAX_AGE) == [
        "politiattesten er eldre enn 3 måneder på signeringsdagen"]


def test_the_attest_age_limit_is_a_setting():
    status = attest(certificate_issued_on=date(2026, 7, 23))

    assert signing_gate("støttekontakt", status, TODAY, 6) == []


@pytest.mark.parametrize("status", [
    attest(certificate_verified=False),
    attest(certificate_verified=False, certificate_issued_on=None, certificate_kind=None),
], ids=["presented_but_not_verified", "never_presented"])
def test_an_attest_that_is_not_verified_is_refused(status):
    assert signing_gate("støttekontakt", status, TODAY, MAX_AGE) == ["politiattesten er ikke godkjent"]


@pytest.mark.parametrize("scheme", ["støttekontakt_barnevern", "besøkshjem"])
def test_a_barnevern_scheme_refuses_an_ordinary_attest_and_says_a_barneomsorgsattest_is_required(scheme):
    assert signing_gate(scheme, attest(certificate_kind="ordinær"), TODAY, MAX_AGE) == [
        "ordningen krever barneomsorgsattest, ikke ordinær"]


@pytest.mark.parametrize("scheme", ["støttekontakt_barnevern", "besøkshjem"])
def test_a_barnevern_scheme_accepts_a_barneomsorgsattest(scheme):
    assert signing_gate(scheme, attest(certificate_kind="barneomsorgsattest"), TODAY, MAX_AGE) == []


def test_a_missing_taushetserklaering_is_refused():
    assert signing_gate("støttekontakt", attest(declaration_signed_on=None), TODAY, MAX_AGE) == [
        "taushetserklæringen er ikke signert"]


def test_signing_is_refused_while_the_attest_is_not_in_order():
    contract = drafted()

    with pytest.raises(RuleViolation, match="Avtalen kan ikke signeres: politiattesten er ikke godkjent"):
        sign_as_kommune(contract, attest(certificate_verified=False))


def test_signing_a_besokshjem_contract_with_an_ordinary_attest_is_refused_saying_which_kind_is_required():
    contract = drafted("besøkshjem")

    with pytest.raises(RuleViolation, match="ordningen krever barneomsorgsattest"):
        sign_as_kommune(contract, attest(certificate_kind="ordinær"))


def test_every_problem_with_the_attest_and_declaration_is_named_in_one_message():
    contract = drafted("støttekontakt_barnevern")
    status = attest(certificate_kind="ordinær", certificate_issued_on=date(2026, 7, 1), declaration_signed_on=None)

    with pytest.raises(RuleViolation) as refused:
        sign_as_kommune(contract, status)

    message = str(refused.value)
    assert "ordningen krever barneomsorgsattest, ikke ordinær" in message
    assert "politiattesten er eldre enn 3 måneder på signeringsdagen" in message
    assert "taushetserklæringen er ikke signert" in message


def test_the_oppdragstaker_is_held_to_the_gate_even_after_the_kommune_has_signed():
    contract = partly_signed()

    with pytest.raises(RuleViolation, match="taushetserklæringen er ikke signert"):
        sign_as_volunteer(contract, attest(declaration_signed_on=None))
    assert contract.status == ContractStatus.PARTLY_SIGNED
    assert contract.signing_token_sha256 == TOKEN  # the link still works once the declaration is signed


def test_a_refused_signature_records_no_event_and_leaves_the_draft_unsigned():
    contract = drafted()
    contract.collect_events()

    with pytest.raises(RuleViolation):
        sign_as_kommune(contract, attest(certificate_verified=False))

    assert event_names(contract) == []
    assert contract.status == ContractStatus.DRAFT == "utkast"
    assert contract.signatures == {}


# -- both signatures, then ContractSigned and its document --------------------------------------------


def test_a_new_draft_is_utkast_and_has_no_signatures_or_document():
    contract = drafted()

    assert contract.status == ContractStatus.DRAFT == "utkast"
    assert contract.signatures == {}
    assert contract.documents == [] and not contract.document_due
    assert event_names(contract) == ["Drafted"]


def test_the_kommune_signing_first_makes_the_contract_delvis_signert_but_not_signed():
    contract = drafted()

    sign_as_kommune(contract)

    assert contract.status == ContractStatus.PARTLY_SIGNED == "delvis_signert"
    assert contract.signatures == {"kommune": {"signer": "Saksbehandler Testesen", "signed_on": TODAY}}
    assert contract.signed_on is None and not contract.document_due
    assert event_names(contract) == ["Drafted", "SignedBy"]


def test_the_contract_is_signed_and_owes_its_document_only_when_the_oppdragstaker_has_signed_too():
    contract = partly_signed()
    contract.collect_events()

    sign_as_volunteer(contract, today=date(2026, 11, 25))

    assert contract.status == ContractStatus.ACTIVE == "signert"
    assert contract.signed_on == date(2026, 11, 25)
    assert contract.signed_period == (PERIOD_FROM, PERIOD_TO)
    assert contract.document_due
    assert set(contract.signatures) == {"kommune", "oppdragstaker"}
    assert event_names(contract) == ["SignedBy", "Signed"]


def test_contract_signed_happens_exactly_once_over_the_whole_signing():
    contract = signed()

    assert event_names(contract) == ["Drafted", "SignedBy", "SigningLinkIssued", "SignedBy", "Signed"]


def test_the_signed_terms_are_the_first_entry_of_the_terms_history():
    contract = signed()

    assert contract.terms_history == [terms().as_dict()]


def test_the_oppdragstaker_may_sign_first_and_then_the_kommune_completes_the_signing():
    contract = drafted()
    contract.issue_signing_link(TOKEN)
    sign_as_volunteer(contract)

    assert contract.status == ContractStatus.PARTLY_SIGNED
    assert contract.completes_with(Party.KOMMUNE)

    sign_as_kommune(contract)

    assert contract.status == ContractStatus.ACTIVE
    assert contract.document_due


def test_completes_with_tells_which_signature_is_the_last_one_missing():
    contract = drafted()

    assert not contract.completes_with(Party.KOMMUNE)
    assert not contract.completes_with(Party.VOLUNTEER)

    sign_as_kommune(contract)

    assert contract.completes_with(Party.VOLUNTEER)


def test_the_document_is_due_at_signing_and_again_after_each_amendment_and_only_then():
    contract = partly_signed()
    with pytest.raises(RuleViolation, match="uten dokument"):
        contract.record_document(TODAY, {}, {}, {}, "0" * 64)

    sign_as_volunteer(contract)
    contract.record_document(TODAY, {"name": "Eksempel kommune"}, {}, {}, "a" * 64)
    assert not contract.document_due
    assert contract.documents[0]["rendered_from_version"] == contract.version - 1  # the version it was rendered from

    contract.amend(terms(hourly_rate_ore=21000), date(2027, 7, 1), "Ny sats", TODAY)
    assert contract.document_due and contract.amendments[0]["reason"] == "Ny sats"
    contract.record_document(TODAY, {}, {}, {}, "b" * 64)
    assert [document["number"] for document in contract.documents] == [1, 2]


# -- the oppdragstaker's single-use link ------------------------------------------------------------


def test_the_oppdragstaker_cannot_sign_before_a_link_is_issued():
    contract = drafted()

    with pytest.raises(RuleViolation, match="Signeringslenken er ugyldig"):
        sign_as_volunteer(contract, token=TOKEN)


def test_signing_with_a_wrong_token_is_refused_and_records_nothing():
    contract = partly_signed()
    contract.collect_events()

    with pytest.raises(RuleViolation, match="Signeringslenken er ugyldig eller allerede brukt"):
        sign_as_volunteer(contract, token=WRONG_TOKEN)

    assert event_names(contract) == []
    assert contract.status == ContractStatus.PARTLY_SIGNED


def test_signing_without_a_token_is_refused():
    contract = partly_signed()

    with pytest.raises(RuleViolation, match="Signeringslenken er ugyldig"):
        sign_as_volunteer(contract, token=None)


def test_the_link_is_spent_once_the_oppdragstaker_has_signed():
    contract = drafted()
    contract.issue_signing_link(TOKEN)

    sign_as_volunteer(contract)

    assert contract.signing_token_sha256 is None
    with pytest.raises(RuleViolation, match="Oppdragstakeren har allerede signert"):
        contract.issue_signing_link("c" * 64)


def test_a_new_link_replaces_the_old_one_before_the_oppdragstaker_signs():
    contract = partly_signed()
    contract.issue_signing_link("c" * 64)

    with pytest.raises(RuleViolation, match="Signeringslenken er ugyldig"):
        sign_as_volunteer(contract, token=TOKEN)
    sign_as_volunteer(contract, token="c" * 64)
    assert contract.status == ContractStatus.ACTIVE


def test_the_oppdragstaker_cannot_sign_twice_with_the_same_link():
    contract = drafted()
    contract.issue_signing_link(TOKEN)
    sign_as_volunteer(contract)

    with pytest.raises(RuleViolation, match="Oppdragstaker har allerede signert"):
        sign_as_volunteer(contract)
    assert event_names(contract) == ["Drafted", "SigningLinkIssued", "SignedBy"]


def test_the_kommune_cannot_sign_twice():
    contract = drafted()
    sign_as_kommune(contract)

    with pytest.raises(RuleViolation, match="Kommune har allerede signert"):
        sign_as_kommune(contract)


def test_a_signed_contract_takes_no_further_signatures_or_links():
    contract = signed()

    with pytest.raises(RuleViolation, match="Avtalen er allerede signert"):
        sign_as_kommune(contract)
    with pytest.raises(RuleViolation, match="Avtalen er allerede signert"):
        contract.issue_signing_link("c" * 64)


# -- editing the draft ------------------------------------------------------------------------------


def test_the_draft_can_be_edited_and_the_new_terms_are_valid_from_the_new_period_start():
    contract = drafted()

    contract.edit(date(2027, 2, 1), date(2027, 7, 31), terms(hourly_rate_ore=21000, valid_from=None))

    assert (contract.period_from, contract.period_to) == (date(2027, 2, 1), date(2027, 7, 31))
    assert contract.terms["hourly_rate_ore"] == 21000
    assert contract.terms["valid_from"] == date(2027, 2, 1)
    assert event_names(contract) == ["Drafted", "Edited"]


def test_editing_after_one_signature_is_refused_and_points_to_an_amendment():
    contract = partly_signed()

    with pytest.raises(RuleViolation, match="tillegg"):
        contract.edit(PERIOD_FROM, PERIOD_TO, terms(hourly_rate_ore=21000))
    assert contract.terms["hourly_rate_ore"] == 19500


def test_editing_a_signed_contract_is_refused():
    contract = signed()

    with pytest.raises(RuleViolation, match="tillegg"):
        contract.edit(PERIOD_FROM, PERIOD_TO, terms(hourly_rate_ore=21000))


def test_editing_with_the_period_ending_before_it_begins_is_refused():
    contract = drafted()
    contract.collect_events()

    with pytest.raises(RuleViolation, match="Perioden kan ikke slutte før den begynner"):
        contract.edit(date(2027, 6, 1), date(2027, 5, 31), terms())
    assert event_names(contract) == []


def test_editing_with_terms_the_scheme_does_not_allow_is_refused():
    contract = drafted("støttekontakt")

    with pytest.raises(RuleViolation, match="transport"):
        contract.edit(PERIOD_FROM, PERIOD_TO, terms(mileage_covered=True))


# -- amendments -------------------------------------------------------------------------------------


def test_a_draft_cannot_be_amended():
    contract = drafted()

    with pytest.raises(RuleViolation, match="Bare en signert, løpende avtale kan endres"):
        contract.amend(terms(hourly_rate_ore=21000), date(2027, 7, 1), "Ny sats", TODAY)


def test_a_partly_signed_contract_cannot_be_amended():
    contract = partly_signed()

    with pytest.raises(RuleViolation, match="Bare en signert, løpende avtale kan endres"):
        contract.amend(terms(hourly_rate_ore=21000), date(2027, 7, 1), "Ny sats", TODAY)


def test_an_amendment_applies_from_its_date_and_the_earlier_period_keeps_the_old_terms():
    contract = signed()
    contract.collect_events()

    contract.amend(terms(hourly_rate_ore=21000), date(2027, 7, 1), "Ny kommunal sats fra 1. juli", TODAY)

    assert contract.terms_on(date(2027, 1, 1))["hourly_rate_ore"] == 19500
    assert contract.terms_on(date(2027, 6, 30))["hourly_rate_ore"] == 19500
    assert contract.terms_on(date(2027, 7, 1))["hourly_rate_ore"] == 21000
    assert contract.terms_on(date(2027, 12, 31))["hourly_rate_ore"] == 21000
    assert contract.terms["hourly_rate_ore"] == 21000
    assert [t["valid_from"] for t in contract.terms_history] == [PERIOD_FROM, date(2027, 7, 1)]
    assert contract.status == ContractStatus.ACTIVE
    assert event_names(contract) == ["Amended"]


def test_a_second_amendment_leaves_both_earlier_periods_with_their_own_terms():
    contract = signed()
    contract.amend(terms(hourly_rate_ore=21000), date(2027, 4, 1), "Økt omfang", TODAY)
    contract.amend(terms(hourly_rate_ore=23000), date(2027, 9, 1), "Ny sats", TODAY)

    assert contract.terms_on(date(2027, 3, 31))["hourly_rate_ore"] == 19500
    assert contract.terms_on(date(2027, 8, 31))["hourly_rate_ore"] == 21000
    assert contract.terms_on(date(2027, 9, 1))["hourly_rate_ore"] == 23000


def test_an_amendment_may_apply_from_a_date_already_passed():
    contract = signed()

    contract.amend(terms(hourly_rate_ore=21000), date(2027, 3, 1), "Sats avtalt i april, gjelder fra 1. mars",
                   today=date(2027, 4, 15))

    assert contract.terms_on(date(2027, 3, 1))["hourly_rate_ore"] == 21000


@pytest.mark.parametrize("valid_from", [date(2026, 12, 31), date(2028, 1, 1)])
def test_an_amendment_from_a_date_outside_the_period_is_refused(valid_from):
    contract = signed()

    with pytest.raises(RuleViolation, match="Endringen må gjelde fra en dato i avtaleperioden"):
        contract.amend(terms(hourly_rate_ore=21000), valid_from, "Ny sats", TODAY)


def test_an_amendment_from_the_day_the_signed_terms_took_effect_is_refused():
    contract = signed()

    with pytest.raises(RuleViolation, match="Endringen må gjelde fra en dato etter forrige endring"):
        contract.amend(terms(hourly_rate_ore=21000), PERIOD_FROM, "Ny sats", TODAY)


def test_an_amendment_from_before_the_previous_amendment_is_refused():
    contract = signed()
    contract.amend(terms(hourly_rate_ore=21000), date(2027, 7, 1), "Ny sats", TODAY)
    contract.collect_events()

    with pytest.raises(RuleViolation, match="Endringen må gjelde fra en dato etter forrige endring"):
        contract.amend(terms(hourly_rate_ore=23000), date(2027, 6, 1), "Rettelse", TODAY)
    assert event_names(contract) == []
    assert contract.terms_on(date(2027, 6, 1))["hourly_rate_ore"] == 19500


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_amendment_without_a_reason_is_refused(reason):
    contract = signed()

    with pytest.raises(RuleViolation, match="Oppgi hvorfor avtalen endres"):
        contract.amend(terms(hourly_rate_ore=21000), date(2027, 7, 1), reason, TODAY)


def test_amended_terms_are_checked_like_drafted_ones():
    contract = signed()

    with pytest.raises(RuleViolation, match="Timesatsen må være større enn null"):
        contract.amend(terms(hourly_rate_ore=0), date(2027, 7, 1), "Ny sats", TODAY)


# -- termination ------------------------------------------------------------------------------------


def test_a_draft_cannot_be_terminated():
    contract = drafted()

    with pytest.raises(RuleViolation, match="Bare en signert, løpende avtale kan avsluttes"):
        contract.terminate(date(2027, 6, 30), "kommune", "Vedtaket er avsluttet")


@pytest.mark.parametrize("terminated_by", ["oppdragstaker", "kommune", "vedtak_slutt"])
def test_a_signed_contract_terminated_by_a_party_or_the_vedtak_ending_is_avsluttet(terminated_by):
    contract = signed()
    contract.collect_events()

    contract.terminate(date(2027, 6, 30), terminated_by, "Flytter fra kommunen")

    assert contract.status == ContractStatus.TERMINATED == "avsluttet"
    assert contract.termination == {"ends_on": date(2027, 6, 30), "terminated_by": terminated_by,
                                    "reason": "Flytter fra kommunen"}
    assert event_names(contract) == ["Terminated"]


def test_termination_by_anyone_else_is_refused():
    contract = signed()

    with pytest.raises(RuleViolation, match="Ukjent part som avslutter"):
        contract.terminate(date(2027, 6, 30), "bruker", "Ønsker ny støttekontakt")


@pytest.mark.parametrize("reason", ["", "  "])
def test_termination_without_a_reason_is_refused(reason):
    contract = signed()

    with pytest.raises(RuleViolation, match="Oppgi hvorfor avtalen avsluttes"):
        contract.terminate(date(2027, 6, 30), "kommune", reason)
    assert contract.status == ContractStatus.ACTIVE


def test_an_end_date_after_the_period_is_capped_to_the_period_end():
    contract = signed()

    contract.terminate(date(2028, 3, 31), "kommune", "Oppdraget løper ut")

    assert contract.termination["ends_on"] == PERIOD_TO


def test_an_end_date_before_the_period_begins_is_refused():
    contract = signed()

    with pytest.raises(RuleViolation, match="Avtalen kan ikke avsluttes før den begynner"):
        contract.terminate(date(2026, 12, 31), "kommune", "Trukket")


def test_a_terminated_contract_can_neither_be_terminated_again_nor_amended():
    contract = signed()
    contract.terminate(date(2027, 6, 30), "oppdragstaker", "Ny jobb")

    with pytest.raises(RuleViolation, match="Bare en signert, løpende avtale kan avsluttes"):
        contract.terminate(date(2027, 5, 31), "kommune", "Rettelse")
    with pytest.raises(RuleViolation, match="Bare en signert, løpende avtale kan endres"):
        contract.amend(terms(hourly_rate_ore=21000), date(2027, 3, 1), "Ny sats", TODAY)


# -- rebuilding from events -------------------------------------------------------------------------


def test_a_partly_signed_contract_rebuilt_from_its_events_still_waits_for_the_oppdragstaker():
    contract = partly_signed()

    copy = rebuilt(contract.collect_events())

    assert copy.status == ContractStatus.PARTLY_SIGNED
    assert copy.signatures == contract.signatures
    assert copy.signing_token_sha256 == TOKEN
    assert copy.completes_with(Party.VOLUNTEER)


def test_a_signed_and_amended_contract_rebuilt_from_its_events_has_the_same_status_terms_and_signatures():
    contract = drafted()
    contract.edit(PERIOD_FROM, PERIOD_TO, terms(hourly_rate_ore=20000))
    sign_as_kommune(contract)
    contract.issue_signing_link(TOKEN)
    sign_as_volunteer(contract)
    contract.record_document(TODAY, {"name": "Eksempel kommune"}, {"volunteer_name": "Ola"}, {}, "a" * 64)
    contract.amend(terms(hourly_rate_ore=21000), date(2027, 7, 1), "Ny sats", TODAY)

    copy = rebuilt(contract.collect_events())

    assert copy.id == contract.id == UUID(int=1)
    assert copy.version == contract.version
    assert copy.status == contract.status == ContractStatus.ACTIVE
    assert copy.terms_history == contract.terms_history
    assert copy.terms == contract.terms
    assert copy.signatures == contract.signatures
    assert copy.signing_token_sha256 is None
    assert copy.documents == contract.documents and copy.amendments == contract.amendments
    assert copy.signed_on == TODAY
    assert copy.terms_on(date(2027, 6, 30))["hourly_rate_ore"] == 20000
    assert copy.terms_on(date(2027, 7, 1))["hourly_rate_ore"] == 21000


def test_a_terminated_contract_rebuilt_from_its_events_is_still_avsluttet_with_the_same_end():
    contract = signed()
    contract.terminate(date(2028, 6, 30), "vedtak_slutt", "Vedtaket løper ut")

    copy = rebuilt(contract.collect_events())

    assert copy.status == ContractStatus.TERMINATED
    assert copy.termination == contract.termination == {
        "ends_on": PERIOD_TO, "terminated_by": "vedtak_slutt", "reason": "Vedtaket løper ut"}
    assert copy.signatures == contract.signatures


# -- a contract cannot outlast its vedtak --------------------------------------------------------------


VEDTAK = Vedtak(decision_number=1, granted=True, period_from=PERIOD_FROM, period_to=PERIOD_TO)


def test_a_draft_edited_to_run_past_its_vedtak_is_refused_naming_the_field():
    """Fault 9: a draft edited to run to 2030 while the vedtak ends in 2027 was accepted."""
    contract = drafted()
    contract.collect_events()

    with pytest.raises(InvalidValue, match="kan ikke vare lenger enn vedtaket \\(til 31.12.2027\\)") as refused:
        contract.edit(PERIOD_FROM, date(2030, 12, 31), terms(), vedtak=VEDTAK)
    assert refused.value.field == "period_to"
    with pytest.raises(InvalidValue, match="før vedtaksperioden") as early:
        contract.edit(date(2026, 12, 1), PERIOD_TO, terms(), vedtak=VEDTAK)
    assert early.value.field == "period_from"
    assert event_names(contract) == []


def test_a_draft_within_its_vedtak_is_accepted():
    contract = drafted()

    contract.edit(date(2027, 2, 1), PERIOD_TO, terms(), vedtak=VEDTAK)

    assert contract.period_to == PERIOD_TO


def test_a_draft_cannot_run_past_the_day_the_person_ended_the_service():
    contract = drafted()

    with pytest.raises(InvalidValue, match="avsluttet 30.06.2027") as refused:
        contract.edit(PERIOD_FROM, PERIOD_TO, terms(), vedtak=replace(VEDTAK, ended_on=date(2027, 6, 30)))
    assert refused.value.field == "period_to"


def test_a_draft_is_checked_against_the_vedtak_the_match_carried_until_the_service_knows_a_newer_one():
    contract = drafted()

    assert contract.vedtak_at_match.period_to == PERIOD_TO
    with pytest.raises(InvalidValue):
        contract.edit(PERIOD_FROM, date(2030, 12, 31), terms(), vedtak=contract.vedtak_at_match)


def test_a_new_vedtak_extends_a_signed_contract_by_amendment_and_no_further():
    contract = signed()
    new_vedtak = Vedtak(decision_number=2, granted=True, period_from=PERIOD_FROM, period_to=date(2028, 12, 31))

    with pytest.raises(InvalidValue) as beyond:
        contract.amend(terms(), date(2027, 7, 1), "Nytt vedtak", TODAY, period_to=date(2029, 6, 30),
                       vedtak=new_vedtak)
    contract.amend(terms(), date(2027, 7, 1), "Nytt vedtak til 2028", TODAY, period_to=date(2028, 12, 31),
                   vedtak=new_vedtak)

    assert beyond.value.field == "period_to"
    assert contract.period_to == date(2028, 12, 31)
    assert contract.collect_events()[-1].period_to == date(2028, 12, 31)


def test_an_amendment_that_moves_the_end_is_replayed():
    contract = signed()
    contract.amend(terms(), date(2027, 7, 1), "Nytt vedtak", TODAY, period_to=date(2028, 6, 30),
                   vedtak=replace(VEDTAK, period_to=date(2028, 6, 30)))

    assert rebuilt(contract.collect_events()).period_to == date(2028, 6, 30)


def test_signing_is_refused_when_a_newer_vedtak_ends_before_the_draft():
    contract = drafted()

    with pytest.raises(RuleViolation, match="Rett utkastet først"):
        contract.sign(Party.KOMMUNE, "Saksbehandler", TODAY, IN_ORDER, MAX_AGE,
                      vedtak=replace(VEDTAK, decision_number=2, period_to=date(2027, 6, 30)))
    assert contract.signatures == {}


# -- which attest satisfies the scheme: the kommune's setting -------------------------------------------


@pytest.mark.parametrize("scheme", ["støttekontakt", "privat_avlastning"])
def test_a_barneomsorgsattest_lets_an_ordinary_contract_be_signed(scheme):
    assert signing_gate(scheme, attest(certificate_kind="barneomsorgsattest"), TODAY, MAX_AGE) == []


def test_the_signing_gate_follows_the_kommunes_attest_setting():
    strict = AttestRules({"støttekontakt": ["ordinær"], "privat_avlastning": ["ordinær"],
                          "støttekontakt_barnevern": ["barneomsorgsattest"], "besøkshjem": ["barneomsorgsattest"]})

    assert signing_gate("støttekontakt", attest(certificate_kind="barneomsorgsattest"), TODAY, MAX_AGE, strict) == [
        "ordningen krever ordinær politiattest, ikke barneomsorgsattest"]
