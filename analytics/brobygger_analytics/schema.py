"""The raw tables' columns, typed from the published language's JSON Schemas.

Each integration event model (the newest version of its type) has a JSON Schema; each top-level
property becomes a DuckDB column: uuid, date, date-time, integer, number, boolean and string map to
their types, a list of strings to VARCHAR[], a list of objects of such fields (a payroll run's pay lines)
to a list of structs (`records`, its fields in `items`), anything else nested (the contract terms, a
dict) stays JSON. The privacy rules (`privacy.py`) then say what each column becomes in the analytics
store, field by field inside the records too.
"""

import re
from dataclasses import dataclass
from typing import Any

from brobygger_shared.events.base import EventRegistry, IntegrationEvent


@dataclass(frozen=True)
class Field:
    name: str
    json_type: str  # the DuckDB type json_transform reads the field as
    kind: str  # uuid | date | datetime | integer | number | boolean | string | strings | json | records
    items: tuple["Field", ...] = ()  # records: the fields of each

    def structure(self) -> Any:
        """The field's part of json_transform's structure argument."""
        if self.kind == "records":
            return [{item.name: item.structure() for item in self.items}]
        return self.json_type


_KINDS = {
    "uuid": "UUID", "date": "DATE", "datetime": "TIMESTAMPTZ", "integer": "BIGINT", "number": "DOUBLE",
    "boolean": "BOOLEAN", "string": "VARCHAR", "strings": "VARCHAR[]", "json": "JSON", "records": "JSON",
}


def table_name(event_type: str) -> str:
    """raw_<event type in snake case>: ApplicationReceived -> raw_application_received."""
    return "raw_" + re.sub(r"(?<!^)(?=[A-Z])", "_", event_type).lower()


def fields_of(model: type[IntegrationEvent]) -> list[Field]:
    schema = model.model_json_schema()
    return _fields(schema["properties"], schema.get("$defs", {}))


def _fields(properties: dict[str, Any], definitions: dict[str, Any], nested: bool = False) -> list[Field]:
    fields = []
    for name, prop in properties.items():
        kind = _kind(prop, definitions)
        if kind == "records" and not nested:
            target = definitions[prop["items"]["$ref"].rsplit("/", 1)[-1]]
            items = _fields(target["properties"], definitions, nested=True)
            if all(item.kind not in ("records", "json") for item in items):
                fields.append(Field(name, _KINDS[kind], kind, tuple(items)))
                continue
            kind = "json"
        fields.append(Field(name, _KINDS["json" if kind == "records" else kind], "json" if kind == "records" else kind))
    return fields


def _kind(prop: dict[str, Any], definitions: dict[str, Any]) -> str:
    if "$ref" in prop:
        target = definitions[prop["$ref"].rsplit("/", 1)[-1]]
        return "string" if target.get("type") == "string" else "json"
    if "anyOf" in prop:
        choices = [choice for choice in prop["anyOf"] if choice.get("type") != "null"]
        return _kind(choices[0], definitions) if len(choices) == 1 else "json"
    kind = prop.get("type")
    fmt = prop.get("format")
    if kind == "string":
        return {"uuid": "uuid", "date": "date", "date-time": "datetime"}.get(fmt, "string")
    if kind in ("integer", "number", "boolean"):
        return kind
    if kind == "array" and prop.get("items", {}).get("type") == "string":
        return "strings"
    if kind == "array" and "$ref" in prop.get("items", {}):
        target = definitions[prop["items"]["$ref"].rsplit("/", 1)[-1]]
        return "records" if target.get("type") == "object" and "properties" in target else "json"
    return "json"


def json_structure(fields: list[Field]) -> str:
    """The structure argument of DuckDB's json_transform for these fields."""
    import json

    return json.dumps({field.name: field.structure() for field in fields})


def models(registry: EventRegistry) -> dict[str, type[IntegrationEvent]]:
    return {model.event_type: model for model in registry.models()}
