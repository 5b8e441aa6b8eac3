"""pydantic's validation errors in bokmål, naming the field in words a caseworker knows.

`in_norwegian(error)` turns one item of `RequestValidationError.errors()` into the message a person
reads; the field's machine name stays beside it in the problem's `errors[].field`. Our own checks
(PydanticCustomError with a Norwegian text) keep their text; pydantic's built-in types are translated
by type here, once, for every service.
"""

import re
from typing import Any, get_args

from pydantic_core.core_schema import ErrorType

BUILT_IN_TYPES = frozenset(get_args(ErrorType))

_DATE = "Må være en dato på formen ÅÅÅÅ-MM-DD."
_MOMENT = "Må være et tidspunkt på formen ÅÅÅÅ-MM-DDTtt:mm."
_WHOLE = "Må være et helt tall."
_NUMBER = "Må være et tall."
_YES_NO = "Må være true eller false (ja eller nei)."

MESSAGES: dict[str, str] = {
    "missing": "Må fylles ut.",
    "extra_forbidden": "Er ikke et kjent felt.",
    "string_type": "Må være tekst.",
    "string_too_short": "Må ha minst {min_length} tegn.",
    "string_too_long": "Kan ha høyst {max_length} tegn.",
    "string_pattern_mismatch": "Har feil form.",
    "string_unicode": "Må være tekst.",
    "int_type": _WHOLE, "int_parsing": _WHOLE, "int_from_float": _WHOLE, "int_parsing_size": _WHOLE,
    "float_type": _NUMBER, "float_parsing": _NUMBER, "finite_number": "Må være et endelig tall.",
    "decimal_type": _NUMBER, "decimal_parsing": _NUMBER,
    "decimal_max_digits": "Har for mange sifre.", "decimal_max_places": "Har for mange desimaler.",
    "bool_type": _YES_NO, "bool_parsing": _YES_NO,
    "greater_than": "Må være større enn {gt}.",
    "greater_than_equal": "Må være minst {ge}.",
    "less_than": "Må være mindre enn {lt}.",
    "less_than_equal": "Kan være høyst {le}.",
    "multiple_of": "Må gå opp i {multiple_of}.",
    "date_type": _DATE, "date_parsing": _DATE, "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE, "date_past": "Må være en dato før i dag.",
    "date_future": "Må være en dato etter i dag.",
    "datetime_type": _MOMENT, "datetime_parsing": _MOMENT, "datetime_from_date_parsing": _MOMENT,
    "datetime_object_invalid": _MOMENT, "timezone_naive": _MOMENT, "timezone_aware": _MOMENT,
    "time_type": "Må være et klokkeslett (tt:mm).", "time_parsing": "Må være et klokkeslett (tt:mm).",
    "uuid_type": "Må være en id på formen 8-4-4-4-12 heksadesimale tegn.",
    "uuid_parsing": "Må være en id på formen 8-4-4-4-12 heksadesimale tegn.",
    "uuid_version": "Må være en id på formen 8-4-4-4-12 heksadesimale tegn.",
    "enum": "Må være én av: {expected}.",
    "literal_error": "Må være én av: {expected}.",
    "list_type": "Må være en liste.", "tuple_type": "Må være en liste.", "set_type": "Må være en liste.",
    "too_short": "Må ha minst {min_length}.",
    "too_long": "Kan ha høyst {max_length}.",
    "dict_type": "Må være et objekt med felt og verdier.",
    "model_type": "Må være et objekt med felt og verdier.",
    "model_attributes_type": "Må være et objekt med felt og verdier.",
    "dataclass_type": "Må være et objekt med felt og verdier.",
    "json_invalid": "Innholdet kan ikke leses som JSON.",
    "json_type": "Innholdet kan ikke leses som JSON.",
    "none_required": "Skal stå tomt.",
    "frozen_field": "Kan ikke endres.",
    "url_parsing": "Må være en nettadresse.", "url_type": "Må være en nettadresse.",
}

# The fields of applications, matching and contracts as people call them; nested fields by full path
# first, then by their last part.
FIELD_LABELS: dict[str, str] = {
    "national_id": "fødselsnummer", "full_name": "navn", "birth_date": "fødselsdato", "address": "adresse",
    "area": "område", "scheme": "ordning", "needs": "behov", "interests": "interesser",
    "wished_activities": "ønskede aktiviteter", "helper_wishes": "ønsker om hjelperen",
    "helper_wishes.gender": "ønsket kjønn", "helper_wishes.gender_required": "kjønn som krav",
    "helper_wishes.language": "ønsket språk", "helper_wishes.age_from": "ønsket alder fra",
    "helper_wishes.age_to": "ønsket alder til", "helper_wishes.siblings": "antall søsken",
    "carers": "foresatte", "scope_asked": "omfang søkt om", "received_on": "mottatt dato", "notes": "notater",
    "home_visit_on": "dato for hjemmebesøk", "reason": "begrunnelse", "reasons": "begrunnelse",
    "expected_decision_by": "forventet vedtaksdato", "sent_on": "dato sendt", "granted": "innvilget",
    "scope": "omfang", "scope_unit": "enhet for omfang", "period_from": "periode fra", "period_to": "periode til",
    "grounds": "klagegrunner", "outcome": "utfall", "decision": "vedtaket", "roles": "roller",
    "languages": "språk", "gender": "kjønn", "has_driving_licence": "førerkort", "has_car": "bil",
    "has_spare_bedroom": "eget soverom", "availability": "tilgjengelighet", "experience": "erfaring",
    "commitment_acknowledged": "bekreftelse på minst ett års oppdrag", "at": "tidspunkt",
    "held_on": "dato holdt", "assessment": "vurdering", "kind": "type politiattest",
    "issued_on": "utstedt dato", "has_remarks": "merknader", "accepted": "godtatt", "signed_on": "dato signert",
    "application_id": "sak", "case_id": "sak", "volunteer_id": "oppdragstaker", "match_id": "forslag",
    "contract_id": "avtale", "party": "part", "status": "status", "stage": "trinn",
    "ended_on": "sluttdato", "withdraw_appeal": "trekke klagen",
    "engagement_type": "tilknytningsform", "terms": "vilkår", "hourly_rate_ore": "timelønn (øre)",
    "hourly_rate_table": "timelønnstabell", "work_hours_per_dogn": "arbeidstimer per døgn",
    "dogn_rate_ore": "døgnsats (øre)", "dogn_rate_table": "døgnsatstabell", "expense_kind": "utgiftsdekning",
    "expense_flat_monthly_ore": "fast utgiftsdekning per måned (øre)",
    "expense_rate_table": "utgiftssatstabell", "mileage_covered": "kjøregodtgjørelse",
    "notice_period_days": "oppsigelsestid (dager)", "contact_persons": "kontaktpersoner",
    "household_members": "husstandsmedlemmer", "valid_from": "gjelder fra", "ends_on": "sluttdato",
    "terminated_by": "avsluttet av", "token": "signeringslenke", "renewal_due": "fornyelse forfalt",
    "service_ended": "tjenesten er avsluttet",
    "number": "nummer", "as_of": "dato", "q": "søk", "email": "e-post", "mobile": "mobilnummer",
    "body": "innholdet",
    # the first meeting, follow-up and guidance (matching), the ledsagerbevis (applications)
    "meeting_on": "dato for møtet", "place": "sted", "kommune_attendee": "deltaker fra kommunen",
    "held_by": "holdt av", "note": "notat", "session_kind": "type samling", "title": "tema", "led_by": "ledet av",
    "attendance": "oppmøte", "present": "til stede", "valid_to": "gjelder til",
    "ledsagerbevis_asked": "ledsagerbevis",
}


def field_label(field: str) -> str:
    """The field in words: `helper_wishes.age_from` → "ønsket alder fra", `interests.2` → "interesser nr. 3"."""
    if field in FIELD_LABELS:
        return FIELD_LABELS[field]
    parts = field.split(".")
    if parts and parts[-1].isdigit():
        return f"{field_label('.'.join(parts[:-1]))} nr. {int(parts[-1]) + 1}"
    return FIELD_LABELS.get(parts[-1], field.replace("_", " "))


def in_norwegian(error: dict[str, Any]) -> str:
    """The message of one validation error, in bokmål."""
    kind, context = error.get("type", ""), error.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        # Our own validators raise ValueError with a Norwegian text; pydantic prefixes it in English.
        return str(context.get("error") or error.get("msg", "")).removeprefix("Value error, ").strip()
    if kind in MESSAGES:
        values = {key: _readable(value) for key, value in context.items()}
        try:
            return MESSAGES[kind].format(**values)
        except (KeyError, IndexError):
            return MESSAGES[kind].split(":")[0].split("{")[0].strip() or "Verdien kan ikke brukes."
    if kind in BUILT_IN_TYPES:
        return "Verdien kan ikke brukes her."
    return str(error.get("msg", ""))  # our own PydanticCustomError: already Norwegian


def _readable(value: Any) -> str:
    """pydantic's "'a', 'b' or 'c'" as «a», «b» eller «c»."""
    return re.sub(r"'([^']*)'", r"«\1»", str(value)).replace(" or ", " eller ")
