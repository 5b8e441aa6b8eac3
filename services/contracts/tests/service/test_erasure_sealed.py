"""Crypto-shredding in contracts, in memory with real tokens: what a contract says of the user's case (birth
date, named contact persons, why it was ended) and of the oppdragstaker (the name that signed, the parties
its document was rendered with) is sealed in the stored events; while the keys are there the contract reads
as before, and once they are deleted it reads "slettet" and its PDF is gone (410)."""

from datetime import date
from uuid import UUID

import pytest

from brobygger_contracts.application import DocumentErased
from brobygger_contracts.domain import Terms
from brobygger_shared.auth import CASEWORKER
from brobygger_shared.shredding import erase_keys

from .test_barnevern_need_to_know import as_staff, client  # noqa: F401
from .test_contract_seams import PERIOD, app, drafted, signed, volunteer_matched  # noqa: F401

KARI, CASE = UUID(int=1), UUID(int=1001)  # the oppdragstaker and the case volunteer_matched() names


def test_a_contracts_personal_data_is_sealed_and_after_erasure_reads_slettet_and_its_pdf_is_410(keys_in_memory, app, client):  # noqa: F811
    contract = drafted(app, volunteer_matched())
    terms = Terms.from_dict({**contract.terms, "contact_persons": ["Ola Nordmann (far)"]})
    app.edit(contract.id, PERIOD[0], PERIOD[1], terms)
    signed(app, contract.id)
    app.terminate(contract.id, date(2027, 6, 30), "kommune", "Ola Nordmann flytter")
    pdf = client.get(f"/contracts/{contract.id}/document.pdf", headers=as_staff(CASEWORKER))
    assert pdf.status_code == 200
    assert app.contract(contract.id).terms["contact_persons"] == ["Ola Nordmann (far)"]

    stored = b"".join(n.state for n in app.recorder.select_notifications(start=1, limit=1000))
    assert b"Nordmann" not in stored and b"2014-06-09" not in stored and b"Testveien" not in stored

    erase_keys([KARI, CASE])
    erased = app.contract(contract.id)
    assert erased.user_birth_date is None and erased.terms["contact_persons"] == []
    assert erased.termination["reason"] == "slettet"
    assert erased.signatures["oppdragstaker"]["signer"] == "slettet"
    assert (erased.period_from, erased.period_to) == PERIOD  # dates and ids stay
    with pytest.raises(DocumentErased):
        app.document(contract.id)
    shown = client.get(f"/contracts/{contract.id}", headers=as_staff(CASEWORKER))
    assert shown.status_code == 200 and "Nordmann" not in shown.text
    gone = client.get(f"/contracts/{contract.id}/document.pdf", headers=as_staff(CASEWORKER))
    assert gone.status_code == 410 and "slettet" in gone.json()["detail"]
