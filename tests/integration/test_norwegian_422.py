"""Every 422 of the applications, matching and contracts APIs is in bokmål: walked from each service's
OpenAPI document, a request per field that breaks that field's constraint, and no English in `detail`
or in any `errors[].message` (the field's machine name stays in `errors[].field`)."""

import re
from uuid import uuid4

import pytest

from brobygger_shared.auth import BARNEVERN, CASEWORKER, PAYROLL
from brobygger_dev.testing import staff_headers

pytestmark = pytest.mark.stack

ENGLISH = re.compile(r"\b(should|input|value error|valid|invalid|field required|at least|at most|must|"
                     r"characters?|string|integer|number|list|dictionary|object|or)\b", re.IGNORECASE)
SERVICES = ["applications", "matching", "contracts"]


def _resolve(schema: dict, document: dict) -> dict:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return _resolve(document["components"]["schemas"][name], document)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [_resolve(option, document) for option in schema[key] if option.get("type") != "null"]
            return options[0] if options else {}
    return schema


def _violations(schema: dict) -> list[object]:
    """Values that break what the schema asks."""
    kind = schema.get("type")
    values: list[object] = []
    if "enum" in schema or "const" in schema:
        values.append("tull")
    if kind == "string":
        values.append(12345 if schema.get("format") not in ("date", "date-time", "uuid") else "tull")
        if "maxLength" in schema:
            values.append("x" * (schema["maxLength"] + 1))
        if schema.get("minLength", 0) > 0:
            values.append("")
        if "pattern" in schema:
            values.append("passer-ikke-mønsteret")
    elif kind in ("integer", "number"):
        values += ["tull", 1.5] if kind == "integer" else ["tull"]
        for bound, step in (("maximum", 1), ("exclusiveMaximum", 0), ("minimum", -1), ("exclusiveMinimum", 0)):
            if bound in schema:
                values.append(schema[bound] + step)
    elif kind == "boolean":
        values.append("kanskje")
    elif kind == "array":
        values += ["tull", [None]]
        if "maxItems" in schema:
            values.append(["x"] * (schema["maxItems"] + 1))
    elif kind == "object" or "properties" in schema:
        values += ["tull", {"ukjent_felt": 1}]
    return values or [None]


def _bodies(schema: dict, document: dict) -> list[object]:
    schema = _resolve(schema, document)
    bodies: list[object] = [{}, [], "tull"]
    for name, field in schema.get("properties", {}).items():
        field = _resolve(field, document)
        bodies += [{name: value} for value in _violations(field)]
        for inner, inner_field in field.get("properties", {}).items():  # one level down: helper_wishes, terms
            bodies += [{name: {inner: value}} for value in _violations(_resolve(inner_field, document))]
    return bodies


def _requests(document: dict):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            parameters = operation.get("parameters", [])
            in_path = {p["name"] for p in parameters if p["in"] == "path"}
            good = path.format(**{name: uuid4() for name in in_path})
            if in_path:
                yield method, path.format(**{name: "tull" for name in in_path}), None, {}
            for parameter in parameters:
                if parameter["in"] == "query":
                    for value in _violations(_resolve(parameter.get("schema", {}), document)):
                        if value is not None:
                            yield method, good, None, {parameter["name"]: str(value)}
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body:
                for value in _bodies(body, document):
                    yield method, good, value, {}


@pytest.mark.parametrize("service", SERVICES)
def test_every_422_is_in_norwegian_and_names_the_field_in_words(stack, http, service):
    base = stack.services[service].url
    document = http.get(f"{base}/openapi.json").json()
    headers = staff_headers(CASEWORKER, BARNEVERN, PAYROLL)
    english, seen = [], 0

    for method, path, body, query in _requests(document):
        response = http.request(method, base + path, json=body, params=query, headers=headers)
        if response.status_code != 422:
            continue
        seen += 1
        problem = response.json()
        for text in [problem["detail"], *(error["message"] for error in problem.get("errors", []))]:
            if ENGLISH.search(text):
                english.append((method, path, body, query, text))

    assert seen > 20
    assert english == [], english[:10]
