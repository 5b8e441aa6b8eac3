"""What the analytics store may hold of a person: counts, not identities.

- Every id that leads to a person (the person, the oppdragstaker, their case, contract, match or
  timesheet) becomes a keyed pseudonym: HMAC-SHA256 of the id with the pseudonym key (a setting),
  as 32 hex digits. The same id gives the same pseudonym in every table, so analysts can join and
  count; without the key nobody can go from a pseudonym back to an id. Only `event_id` stays, to
  find an event on the log again.
- A birth date becomes a birth year.
- Names and free-form fields a person filled in are left out, and so are the contact details and the
  identity number (`national_id`) the two Received events carry for notifications alone.

`TEXT_FIELDS` lists every other text field of the published language: codes and categories, and the
reasons staff give (needed for the declined-proposals report). A new text field in the published
language fails the test suite until it is placed in one of these lists.
"""

import hashlib
import hmac

from brobygger_analytics.schema import Field

KEPT_IDS = frozenset({"event_id"})
BIRTH_DATES = {"birth_date": "birth_year", "user_birth_date": "user_birth_year"}
LEFT_OUT = frozenset({
    "full_name", "first_name", "last_name", "name", "identity_number", "fodselsnummer", "national_id",
    "address", "postal_address", "phone", "mobile", "email", "helper_wishes",
    # the kommune's case numbers lead to the person through the archive; a document's file and hash
    # are of no use to an analyst
    "case_number", "user_case_number", "volunteer_case_number", "document_path", "sha256",
    "archive_reference",  # the archive's id for a journalpost: leads to the documents
    "present", "absent",  # oppdragstakere's ids in a list, which the pseudonyms do not reach: left out whole
    "case_ids", "volunteer_ids",  # PersonErased's ids, in lists too: an erasure is counted, not traced
    "partner",  # a group assignment's partner organisation, by name: of no use for counting
})
TEXT_FIELDS = frozenset({
    "scheme", "area", "interests", "wished_activities", "scope_unit", "legal_basis", "resolution", "roles",
    "languages", "gender", "assessment", "kind", "certificate_kind", "terminated_by", "reason", "declined_by",
    "period", "flags", "code", "unit", "value", "source", "channel", "format",
    "terms",  # a contract's terms: scope, pay in øre, expenses; no names (see brobygger_shared.events.terms)
    # a payroll run's pay lines: what each pays for, the quantity, the rate and the month it belongs to
    "earned_in", "component", "quantity", "rate_code", "rate_value",
    "outcome",  # a follow-up's outcome: fortsetter | endres | bør_avsluttes (its note is never published)
    "after_days",  # a follow-up plan: days after the match (numbers)
})


def left_out(name: str) -> bool:
    return name in LEFT_OUT or name.endswith("case_number")


def pseudonym(key: bytes, value: str) -> str:
    """The pseudonym of an id, as the SQL macro computes it (for tests and for looking one up)."""
    return hmac.new(key, str(value).encode(), hashlib.sha256).hexdigest()[:32]


def pseudonym_macro(key: bytes) -> str:
    """A temporary DuckDB macro `pseudonym(x)` computing HMAC-SHA256 (RFC 2104) in SQL, vectorised.

    The key's pads are literals of a TEMP macro: they live in the connection, never in the file.
    """
    block = 64
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    inner = bytes(byte ^ 0x36 for byte in key).hex()
    outer = bytes(byte ^ 0x5C for byte in key).hex()
    return (
        "CREATE OR REPLACE TEMP MACRO pseudonym(x) AS "
        f"left(sha256(unhex('{outer}') || unhex(sha256(unhex('{inner}') || encode(CAST(x AS VARCHAR))))), 32)"
    )


def pseudonymised(field: Field) -> bool:
    """An id that becomes a pseudonym."""
    return field.kind == "uuid" and field.name not in KEPT_IDS and not left_out(field.name)


def column_sql(field: Field, source: str, ids_later: bool = False) -> str | None:
    """The SELECT expression for one field of a raw table (from the transformed struct `source`),
    or None when the field is left out. `ids_later`: a top-level id is selected as it is, for the
    caller to replace by its pseudonym before anything is written (the replay does it once per
    distinct id); ids inside records are pseudonymised here either way."""
    named = _expression(field, source, ids_later)
    return None if named is None else f"{named[1]} AS {_quoted(named[0])}"


def _expression(field: Field, source: str, ids_later: bool = False) -> tuple[str, str] | None:
    """The column's name and expression, by the rules above; records (a list of structs) field by field."""
    name = field.name
    if left_out(name):
        return None
    expression = f"{source}.{_quoted(name)}"
    if pseudonymised(field):
        return name, expression if ids_later else f"pseudonym({expression})"
    if name in BIRTH_DATES:
        return BIRTH_DATES[name], f"CAST(year({expression}) AS SMALLINT)"
    if field.kind == "records":
        parts = [part for item in field.items if (part := _expression(item, "r")) is not None]
        packed = ", ".join(f"{_quoted(item_name)} := {item_expression}" for item_name, item_expression in parts)
        return name, f"list_transform({expression}, lambda r: struct_pack({packed}))"
    return name, expression


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
