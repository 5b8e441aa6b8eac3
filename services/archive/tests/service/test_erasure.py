"""Erasure in the archive: Brobygger's own copies of what it files are sealed under the subject's key (the
journalpost, whose titles and correspondents name the person, and an oppdragstaker's name on the saksmappe),
so the stored events never hold the name, and once the key is deleted the journalpost is gone from
Brobygger (nothing left to send; its arkivmelding answers 410), while ids, kinds and dates stay. What was
delivered to the kommune's archive stays there. (PersonErased on the records read model:
tests/integration.)"""

from brobygger_archive.domain import ArchiveRecord, Saksmappe, folder_id
from brobygger_shared.shredding import erase_keys

from .test_filing_seams import applications_flow, archive, filed, messages, quick_documents  # noqa: F401


def test_the_journalpost_and_the_name_are_sealed_and_gone_from_brobygger_once_the_key_is(keys_in_memory, archive):  # noqa: F811
    _, _, kari, events = applications_flow()
    made = filed(archive, messages(events, "applications"))
    own = [r for r in made if isinstance(r, ArchiveRecord) and r.summary["subject_id"] == kari.volunteer_id]
    assert own and "Kari Nordmann" in str(own[0].journalpost)  # opened while the key is there

    stored = b"".join(n.state for n in archive.recorder.select_notifications(start=1, limit=1000))
    assert b"Kari Nordmann" not in stored

    erase_keys([kari.volunteer_id])
    record = archive.record(own[0].id)
    assert record.erased and not record.open and record.journalpost is None
    assert (record.summary["subject_id"], record.summary["kind"]) == (kari.volunteer_id, own[0].summary["kind"])
    assert archive.repository.get(folder_id(kari.volunteer_id)).name is None
    assert isinstance(archive.repository.get(folder_id(kari.volunteer_id)), Saksmappe)
