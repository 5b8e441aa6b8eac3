"""Values a kommune never means but a caller can send, added to what Schemathesis generates.

Schemathesis rarely draws a NUL, a control character, a 10,000-character text, an integer past 64 bits
or a date in year 9999 by chance. Each is valid for the document wherever its field is a plain string,
integer or date without bounds: a service may refuse it with a documented 422 (the design asks for a
maximum length, no control characters and a range a kommune could mean), but never with a 5xx.

Two hooks bring them in:

- every operation gets explicit cases (run first, in both tiers): its simplest generated request with
  one query parameter, path parameter or body field at a time (an optional one too) set to each such
  value of its type, with a NUL in a query parameter it does not declare, and with a body that is not
  UTF-8 and one of 1 MiB; each sent as a staff member with every role, so the value reaches the
  handler;
- in the fuzzing phase, about one query, path and body in three has one of its values replaced by one.
"""

import re
from typing import Any

from hypothesis import strategies as st
from schemathesis.core import NotSet

LONG_TEXT = "x" * 10_000
BY_KIND = {
    "text": ["a\x00b", "\x1b[31m\r\n", LONG_TEXT],
    "date": ["0001-01-01", "9999-12-31"],
    "date-time": ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"],
    "month": ["0001-01", "9999-12"],
    "integer": [2**63, -(2**63) - 1],
    "number": [1e308],
}
NOT_UTF8 = b"\x80"  # a body that is not even text
TOO_LARGE = b'{"x": "' + b"x" * (1024 * 1024) + b'"}'  # 1 MiB of JSON: above any body limit a service needs
UNDECLARED_PARAMETER = "fuzz"  # a query parameter no operation declares
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T")
MONTH = re.compile(r"^\d{4}-\d{2}$")
MONTH_PATTERN = "\\d{4}-"  # a pattern of year and month, as in ^\d{4}-(0[1-9]|1[0-2])$


def kind_of_value(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        if DATE.match(value):
            return "date"
        if DATE_TIME.match(value):
            return "date-time"
        return "month" if MONTH.match(value) else "text"
    return None


def hostile_values(value: Any) -> list[Any]:
    """Replacements for `value` of the same kind; none for booleans and nulls."""
    return BY_KIND.get(kind_of_value(value), [])


def leaves(value: Any, path: tuple = ()) -> list[tuple[tuple, Any]]:
    """Every (path, scalar) inside a JSON value that has hostile replacements."""
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in leaves(item, (*path, key))]
    if isinstance(value, list):
        return [leaf for index, item in enumerate(value) for leaf in leaves(item, (*path, index))]
    return [(path, value)] if hostile_values(value) else []


def replaced(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: replaced(value[head], rest, new)}
    copy = list(value)
    copy[head] = replaced(copy[head], rest, new)
    return copy


def with_one_hostile(value: Any) -> st.SearchStrategy:
    """`value` as generated (two draws in three), or with one of its scalars made hostile."""
    candidates = leaves(value)
    if not candidates:
        return st.just(value)

    def mutate(index: int) -> st.SearchStrategy:
        path, scalar = candidates[index]
        return st.sampled_from(hostile_values(scalar)).map(lambda new: replaced(value, path, new))

    hostile = st.integers(0, len(candidates) - 1).flatmap(mutate)
    # The plain value is the simplest draw, so the simplest case (the base of the explicit ones) is
    # plain, and shrinking keeps a hostile value only where the failure needs it.
    return st.integers(0, 2).flatmap(lambda draw: hostile if draw == 2 else st.just(value))


def flatmap_query(context, query):
    return with_one_hostile(query) if isinstance(query, dict) else st.just(query)


def flatmap_path_parameters(context, path_parameters):
    return with_one_hostile(path_parameters) if isinstance(path_parameters, dict) else st.just(path_parameters)


def flatmap_body(context, body):
    return with_one_hostile(body) if isinstance(body, (dict, list)) else st.just(body)


# -- explicit cases, one hostile value each ------------------------------------------------------------

HOSTILE_CASE = "hostile-"  # prefix of the id of an explicit hostile case


def resolve(document: dict, schema: Any) -> Any:
    while isinstance(schema, dict) and "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document.get("components", {}).get("schemas", {}).get(name, {})
    return schema


def kind_of(document: dict, schema: Any) -> str | None:
    """text, date, date-time, month, integer or number; None for what has no hostile values (enums,
    ids, booleans, objects, arrays)."""
    schema = resolve(document, schema)
    if not isinstance(schema, dict) or "enum" in schema or "const" in schema:
        return None
    for option in schema.get("anyOf", []):
        kind = kind_of(document, option)
        if kind:
            return kind
    kind = schema.get("type")
    if kind == "string":
        if schema.get("format") in ("date", "date-time"):
            return schema["format"]
        if schema.get("format") or (schema.get("pattern") and MONTH_PATTERN not in schema["pattern"]):
            return None
        return "month" if schema.get("pattern") else "text"
    return kind if kind in ("integer", "number") else None


def hostile_cases(document: dict, operation, base) -> list:
    """The simplest request with one value at a time made hostile."""
    definition = document["paths"][operation.path][operation.method.lower()]
    variants: list[tuple[str, tuple, Any]] = []  # (container, path, value)
    for parameter in definition.get("parameters", []):
        if parameter["in"] in ("query", "path"):
            kind = kind_of(document, parameter.get("schema"))
            if parameter["in"] == "path" and kind is None and "format" not in resolve(document, parameter["schema"]):
                kind = "text"
            for value in BY_KIND.get(kind, []) if kind else []:
                variants.append((parameter["in"], (parameter["name"],), value))
    body = None if isinstance(base.body, NotSet) else base.body
    present = {path for path, _ in leaves(body)} if isinstance(body, dict) else set()
    if isinstance(body, dict):
        for path, scalar in leaves(body):
            variants += [("body", path, value) for value in hostile_values(scalar)]
        content = definition.get("requestBody", {}).get("content", {}).get("application/json", {})
        for name, schema in resolve(document, content.get("schema", {})).get("properties", {}).items():
            if (name,) not in present:
                kind = kind_of(document, schema)
                variants += [("body", (name,), value) for value in BY_KIND.get(kind, []) if kind]
    variants.append(("query", (UNDECLARED_PARAMETER,), "a\x00b"))
    if "requestBody" in definition:
        variants += [("raw body", (), NOT_UTF8), ("raw body", (), TOO_LARGE)]
    cases = []
    for number, (container, path, value) in enumerate(variants):
        query, path_parameters = dict(base.query or {}), dict(base.path_parameters or {})
        new_body = base.body
        if container == "query":
            query[path[0]] = value
        elif container == "path":
            path_parameters[path[0]] = value
        elif container == "raw body":
            new_body = value
        else:
            new_body = replaced(body, path, value) if path in present else {**body, path[0]: value}
        case = operation.Case(path_parameters=path_parameters, query=query, headers=dict(base.headers or {}),
                              body=new_body, media_type=base.media_type or "application/json")
        case.id = f"{HOSTILE_CASE}{number}"
        cases.append(case)
    return cases


def is_hostile_case(case) -> bool:
    return str(case.id).startswith(HOSTILE_CASE)


def register(schema, document: dict) -> None:
    for hook in (flatmap_query, flatmap_path_parameters, flatmap_body):
        schema.hooks.register_hook_with_name(hook, hook.__name__)

    def before_add_examples(context, examples):
        if examples and context.operation is not None:
            examples.extend(hostile_cases(document, context.operation, examples[0]))

    schema.hooks.register_hook_with_name(before_add_examples, "before_add_examples")
