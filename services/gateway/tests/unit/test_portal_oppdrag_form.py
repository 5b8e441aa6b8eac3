"""The portal's month form for an oppdragstaker: rows read into payroll's entries (empty rows left out, the
rest numbered as sent so payroll's errors land at the row typed), and payroll's field names, from its
rules or its parsing, put at the same form field."""

from brobygger_gateway.pages.forms import FormState
from brobygger_gateway.portal.oppdrag import entries_of, errors_at_rows


def test_rows_become_entries_numbered_as_sent_with_decimal_commas():
    form = FormState(values={
        "entries[1].day": "2026-11-02", "entries[1].stay_start": "2026-11-02T16:00",
        "entries[1].stay_end": "2026-11-03T16:00", "entries[1].km": "12,5", "entries[1].activity": "Overnatting",
        "entries[3].day": "2026-11-09", "entries[3].hours": "2,5",
    })

    entries = entries_of(form, 6)

    assert entries == [
        {"day": "2026-11-02", "activity": "Overnatting", "note": "", "hours": None, "km": "12.5",
         "stay_start": "2026-11-02T16:00", "stay_end": "2026-11-03T16:00"},
        {"day": "2026-11-09", "activity": "", "note": "", "hours": "2.5", "km": "0", "stay_start": None,
         "stay_end": None},
    ]
    # What was typed moves with its entry, so an error for entries[1] is shown at the row that holds it.
    assert form.value("entries[1].hours") == "2,5" and form.value("entries[0].km") == "12,5"
    assert not form.errors


def test_a_row_without_a_day_or_with_a_word_for_hours_is_refused_at_its_field():
    form = FormState(values={"entries[0].hours": "to", "entries[0].activity": "Kino"})

    entries_of(form, 6)

    assert form.errors == {"entries[0].hours": "Skriv et tall, for eksempel 2,5.", "entries[0].day": "Skriv datoen."}


def test_payrolls_field_names_from_its_rules_and_its_parsing_meet_at_one_field():
    assert errors_at_rows({"entries.2.stay_start": "ugyldig tidspunkt", "entries[0].day": "fram i tid",
                           "period": "ugyldig"}) == {
        "entries[2].stay_start": "ugyldig tidspunkt", "entries[0].day": "fram i tid", "period": "ugyldig"}


def test_a_group_contracts_rows_name_who_was_there_and_keep_it_with_the_row_as_sent():
    lead, member = "5b0a4a56-0000-4000-8000-000000000001", "5b0a4a56-0000-4000-8000-000000000002"
    form = FormState(values={
        "entries[1].day": "2026-11-02", "entries[1].hours": "2", "entries[1].present.0": "ja",
        "entries[1].present.1": "ja",
        "entries[2].day": "2026-11-09", "entries[2].hours": "1,5", "entries[2].present.1": "ja",
    })

    entries = entries_of(form, 6, [lead, member])

    assert [(entry["day"], entry["present"]) for entry in entries] == [
        ("2026-11-02", [lead, member]), ("2026-11-09", [member])]
    # Renumbered with its row, so payroll's "entries[1].present" is shown at the row that was ticked.
    assert form.value("entries[1].present.1") == "ja" and form.value("entries[1].present.0") == ""


def test_a_one_user_contracts_rows_name_nobody():
    form = FormState(values={"entries[0].day": "2026-11-02", "entries[0].hours": "2"})

    assert "present" not in entries_of(form, 6)[0]
