"""The archive on the whole embedded stack: a søknad goes to vedtak and a contract is signed; the drop
folder then holds one package per journalpost (each valid against the XSD, the letters' and the
contract's PDFs inside and equal to what the services issued), and none twice after the archive service
was killed mid-way and started again reading every topic from the start (a new consumer group: every
message delivered to it again)."""

import hashlib
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from lxml import etree

from brobygger_archive.arkivmelding import EFORMIDLING, MessageFormat, validate
from brobygger_archive.domain import folder_id
from brobygger_shared.auth import BARNEVERN, CASEWORKER
from brobygger_dev.testing import eventually, events_on_kafka, headers_of, staff_headers
from tests.integration.flows import get, granted_case, signed_contract, url

pytestmark = pytest.mark.stack

N = {"n": EFORMIDLING}


def packages(drop: Path) -> list[dict]:
    """Every whole package in the drop folder: its folder (saksmappe) id, journalpost kind, files."""
    found = []
    for package in sorted(drop.iterdir()) if drop.exists() else []:
        if package.name.startswith(".") or not (package / "arkivmelding.xml").exists():
            continue
        xml = (package / "arkivmelding.xml").read_bytes()
        root = etree.fromstring(xml)
        found.append({
            "name": package.name, "xml": xml, "folder": root.findtext("n:mappe/n:systemID", namespaces=N),
            "journalpost": root.findtext("n:mappe/n:basisregistrering/n:systemID", namespaces=N),
            "title": root.findtext("n:mappe/n:basisregistrering/n:tittel", namespaces=N),
            "type": root.findtext("n:mappe/n:basisregistrering/n:journalposttype", namespaces=N),
            "files": {path.name: path.read_bytes() for path in package.iterdir() if path.name != "arkivmelding.xml"},
        })
    return found


def ours(drop: Path, folders: set[str]) -> list[dict]:
    return [package for package in packages(drop) if package["folder"] in folders]


def test_a_case_to_vedtak_and_a_signed_contract_reach_the_drop_folder_once_each_across_a_kill(stack):
    with httpx.Client(timeout=60) as http:  # a vedtak renders its letter: slow on a loaded machine
        _flow(stack, http)


def _flow(stack, http) -> None:
    drop = stack.var_dir / "archive"
    case = granted_case(http, stack)
    contract = signed_contract(http, stack)
    stack.kill_service("archive")  # mid-way: the contract's events are on their way
    folders = {str(folder_id(case["application_id"])), str(folder_id(contract["application_id"])),
               str(folder_id(contract["volunteer_id"]))}
    at_kill = len(ours(drop, folders))

    # Started again under a new consumer group: every message on the topics is delivered to it again.
    stack.start_service("archive", env={"CONSUMER_GROUP": f"archive-again-{int(time.time())}"})
    expected = 6  # two cases (søknad, vedtak) and the oppdragstaker (application, oppdragsavtale)
    found = eventually(lambda: (lambda seen: seen if len(seen) >= expected else None)(ours(drop, folders)),
                       timeout=120)
    time.sleep(3)  # anything delivered twice would show up now
    found = ours(drop, folders)

    kinds = Counter((package["folder"], package["title"]) for package in found)
    print(f"\narchive packages for the flow: {len(found)} (at the kill: {at_kill}); "
          f"per journalpost: {sorted(Counter(kinds.values()).items())}; "
          f"journalpost ids distinct: {len({p['journalpost'] for p in found})}")
    assert len(found) == expected and all(count == 1 for count in kinds.values()), kinds
    assert len({package["journalpost"] for package in found}) == expected
    for package in found:
        validate(package["xml"], MessageFormat.EFORMIDLING)

    volunteer = [p for p in found if p["folder"] == str(folder_id(contract["volunteer_id"]))]
    agreement = next(p for p in volunteer if p["title"].startswith("Oppdragsavtale"))
    assert set(agreement["files"]) == {"oppdragsavtale-1.pdf"}
    pdf = agreement["files"]["oppdragsavtale-1.pdf"]
    issued = http.get(url(stack, "contracts", f"/contracts/{contract['contract_id']}"),
                      headers=staff_headers(CASEWORKER, BARNEVERN)).json()["documents"][0]
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == issued["sha256"]

    decisions = [p for p in found if p["folder"] == str(folder_id(case["application_id"]))
                 and p["type"] == "Utgående dokument"]
    assert len(decisions) == 1 and list(decisions[0]["files"]) == ["vedtak-1.pdf"]
    assert decisions[0]["files"]["vedtak-1.pdf"].startswith(b"%PDF")

    status = get(http, stack, "archive", f"/archive/subjects/{case['application_id']}")
    assert status["status"] == "levert" and len(status["records"]) == 2
    records = [row for subject in (case["application_id"], contract["application_id"], contract["volunteer_id"])
               for row in get(http, stack, "archive", f"/archive/records?subject_id={subject}")]
    print(f"archive records for the flow: {len(records)}, delivered: {sum(r['status'] == 'levert' for r in records)}")
    assert len(records) == expected and all(row["status"] == "levert" for row in records)
    assert get(http, stack, "archive", "/archive/staff-tasks") == []

    # Built again on request, the message is the one in the package, byte for byte.
    rebuilt = http.get(url(stack, "archive", f"/archive/records/{agreement['journalpost']}/arkivmelding.xml"),
                       headers=staff_headers(CASEWORKER))
    assert rebuilt.status_code == 200 and rebuilt.content == agreement["xml"]
    # Barnevern staff alone do not see an ordinary case's journalposter.
    only_barnevern = http.get(url(stack, "archive", f"/archive/subjects/{case['application_id']}"),
                              headers=staff_headers(BARNEVERN)).json()
    assert only_barnevern["records"] == []
    # Published: the record made, then delivered, under the record's id.
    records = events_on_kafka(stack.kafka_bootstrap_servers, "brobygger.archive.events", agreement["journalpost"], 2)
    published = {headers_of(r)["source_position"]: headers_of(r)["event_type"] for r in records}  # at least once
    assert list(published.values())[:2] == ["ArchiveRecordCreated", "ArchiveDelivered"]


def test_after_the_broker_lost_its_data_nothing_is_archived_twice_and_new_work_still_arrives(stack):
    if stack.tansu is None:
        pytest.skip("restarts the embedded memory-only broker")
    drop = stack.var_dir / "archive"
    with httpx.Client(timeout=60) as http:
        before = granted_case(http, stack)
        folder = str(folder_id(before["application_id"]))
        eventually(lambda: len(ours(drop, {folder})) == 2, timeout=120)
        packages_before = {package["name"] for package in packages(drop)}
        records_before = {row["record_id"] for row in get(http, stack, "archive", "/archive/records")}

        stack.kill_broker()
        stack.start_broker()  # empty: the relays publish everything again, from position 0

        # The case's events are on the applications topic again (the archive reads them once more) ...
        eventually(lambda: len(events_on_kafka(stack.kafka_bootstrap_servers, "brobygger.applications.events",
                                               before["application_id"], 2, timeout=5)) >= 2, timeout=120)
        after = granted_case(http, stack)  # ... and new work comes after them on the same topic
        new_folder = str(folder_id(after["application_id"]))
        eventually(lambda: len(ours(drop, {new_folder})) == 2, timeout=180)
        time.sleep(3)
        added = {package["name"] for package in packages(drop)} - packages_before
        records_after = get(http, stack, "archive", "/archive/records")
        new_records = [row for row in records_after if row["record_id"] not in records_before]
        print(f"\nafter the broker lost its data: {len(packages_before)} packages and {len(records_before)} records "
              f"before, {len(added)} packages and {len(new_records)} records added (the new case's two)")
        assert {package["name"] for package in ours(drop, {new_folder})} == added
        assert sorted(row["subject_id"] for row in new_records) == [after["application_id"]] * 2
        assert all(row["status"] == "levert" for row in records_after)
