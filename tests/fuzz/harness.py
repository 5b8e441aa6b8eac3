"""Fuzzing every service's OpenAPI document with Schemathesis: what is sent, what is checked, what is counted.

One case is one request Schemathesis generated from a service's document (positive and negative data,
its examples and its coverage cases), sent with the token of one of the roles in turn, and held to
three checks:

- `not_a_server_error`: no 5xx;
- `status_code_conformance`: no status code the operation's document does not list;
- `response_schema_conformance`: a body that matches the schema documented for its status code.

The same code serves both tiers: `tests/fuzz/test_openapi.py` (a few cases per operation, in
`make test`, failing on the first finding of an operation) and `tests/fuzz/run.py` (`make fuzz`, at
least 1,000 cases per service, counting every finding and printing the figures per service).
"""

import functools
import hashlib
import json
import math
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import httpx
import requests
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.core import NotSet
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from tests.fuzz import hostile

from brobygger_shared.auth import BARNEVERN, CASEWORKER, OPPDRAGSTAKER, PAYROLL, issue_token
from brobygger_shared.settings import DEV_AUTH_PRIVATE_KEY

SERVICES = ("applications", "matching", "contracts", "payroll", "notifications", "gateway")

# Neither takes input, and neither body is described by the document: Prometheus text, and the
# AsyncAPI document of the events. /healthz and /readyz stay.
EXCLUDED_PATHS = ("/metrics", "/asyncapi.json")

# The three checks, each under the figure it counts towards.
CHECKS = {
    "5xx": not_a_server_error,
    "undocumented status": status_code_conformance,
    "schema mismatch": response_schema_conformance,
}
FIGURES = ("5xx", "undocumented status", "schema mismatch")
NO_ANSWER = "no answer"  # the request timed out or the connection broke: counted beside the 5xx

# The signed-in volunteer of the oppdragstaker token (no such volunteer exists: their own timesheets
# are none, and every other one must be refused).
OPPDRAGSTAKER_USER = "0f0f0f0f-0000-4000-8000-00000000f022"

# Who calls: each case is sent as one of these, picked by what the case sends. None keeps whatever
# Authorization header Schemathesis generated from the document (none, or garbage): the anonymous caller.
ROLE_SETS: tuple[tuple[str, ...] | None, ...] = (
    None,
    (CASEWORKER, BARNEVERN, PAYROLL),  # every staff role: past every role check, into the input handling
    (CASEWORKER, BARNEVERN, PAYROLL),
    (CASEWORKER, BARNEVERN, PAYROLL),
    (CASEWORKER, BARNEVERN),
    (CASEWORKER,),
    (PAYROLL,),
    (OPPDRAGSTAKER,),
)

# Settings from the environment; `make test` needs none of them.
# Fuzzing-phase examples per operation in `make test` (besides the examples and coverage phases, which
# send most of its cases: every boundary of every parameter). Three keep the suite quick; `make fuzz`
# spreads at least 1,000 cases per service over the operations.
TEST_EXAMPLES_PER_OPERATION = int(os.environ.get("BROBYGGER_FUZZ_EXAMPLES", "3"))
# `make fuzz`: at least this many cases per service, every finding counted instead of failing on the
# first one of an operation.
FUZZ_CASES = int(os.environ.get("BROBYGGER_FUZZ_CASES", "0")) or None
COUNTING = FUZZ_CASES is not None
# Fuzz the services a runtime file names (var/runtime.json of `make dev`) instead of the test stack.
RUNTIME_FILE = os.environ.get("BROBYGGER_FUZZ_RUNTIME")
# Append every request sent and its status to this file, one a line.
TRACE_FILE = os.environ.get("BROBYGGER_FUZZ_TRACE")
COVERAGE = os.environ.get("BROBYGGER_FUZZ_COVERAGE", "1") == "1"  # Schemathesis' coverage phase
SEED = 19
REQUEST_TIMEOUT = 15


def user_of(roles: tuple[str, ...]) -> str:
    return OPPDRAGSTAKER_USER if OPPDRAGSTAKER in roles else "fuzz-" + "-".join(roles)


@functools.cache
def token_for(roles: tuple[str, ...]) -> str:
    return issue_token(DEV_AUTH_PRIVATE_KEY, user_of(roles), list(roles))


def role_label(roles: tuple[str, ...] | None) -> str:
    return "anonymous" if roles is None else "+".join(roles)


# -- loading a service's document ------------------------------------------------------------------


def operations_with_input(document: dict) -> int:
    """The fuzzed operations that take parameters or a body: the others have one request to send."""
    return sum(
        1
        for path, item in document.get("paths", {}).items()
        if path not in EXCLUDED_PATHS
        for method, operation in item.items()
        if method in ("get", "put", "post", "delete", "patch") and (
            operation.get("parameters") or operation.get("requestBody") or item.get("parameters"))
    )


def examples_per_operation(operations: int, cases_per_service: int | None) -> int:
    """Fuzzing-phase examples per operation: a few in `make test`; in `make fuzz` the service's cases
    spread over the operations that take input (the examples and coverage phases add more)."""
    if not cases_per_service:
        return TEST_EXAMPLES_PER_OPERATION
    return max(TEST_EXAMPLES_PER_OPERATION, math.ceil(cases_per_service / max(operations, 1)))


def load_schema(base_url: str, cases_per_service: int | None = FUZZ_CASES, shrink: bool = not COUNTING):
    """The service's OpenAPI document as a Schemathesis schema that sends its requests to `base_url`.

    Deterministic (derandomized, no example database), so a run is the same on every machine.
    """
    document = httpx.get(f"{base_url}/openapi.json", timeout=10).raise_for_status().json()
    config = schemathesis.Config.from_dict({
        "seed": SEED,
        "base-url": base_url,
        "suppress-health-check": ["all"],
        "generation": {
            "mode": "all",
            "max-examples": examples_per_operation(operations_with_input(document), cases_per_service),
            "deterministic": True,
            "database": "none",
            "no-shrink": not shrink,
        },
        "phases": {"stateful": {"enabled": False}, "coverage": {"enabled": COVERAGE},
                   "examples": {"fill-missing": True}},
    })
    schema = schemathesis.openapi.from_dict(document, config=config)
    hostile.register(schema, document)
    for path in EXCLUDED_PATHS:
        schema = schema.exclude(path=path)
    return schema


# -- one case --------------------------------------------------------------------------------------


@dataclass
class Finding:
    service: str
    operation: str  # "POST /timesheets"
    figure: str  # one of FIGURES, or NO_ANSWER
    status: int | None
    what: str  # the failure's title and, for a schema mismatch, where the body is wrong
    curl: str
    roles: str
    body: str
    count: int = 1

    @property
    def key(self) -> tuple:
        return (self.service, self.operation, self.figure, self.status, self.what)


@dataclass
class Figures:
    cases: int = 0
    counts: Counter = field(default_factory=Counter)

    def line(self, service: str) -> str:
        line = (f"{service:<14} cases {self.cases:>6}   5xx {self.counts['5xx']:>4}   "
                f"undocumented statuses {self.counts['undocumented status']:>4}   "
                f"schema mismatches {self.counts['schema mismatch']:>4}")
        if self.counts[NO_ANSWER]:
            line += f"   no answer {self.counts[NO_ANSWER]:>4}"
        return line

    @property
    def failed(self) -> bool:
        return any(self.counts[name] for name in (*FIGURES, NO_ANSWER))


class Recorder:
    """Every case run and every finding, per service; findings deduplicated, each kept with the
    shortest request that showed it."""

    def __init__(self) -> None:
        self.figures: dict[str, Figures] = defaultdict(Figures)
        self.findings: dict[tuple, Finding] = {}
        self._sessions: dict[str, requests.Session] = {}

    def session(self, service: str) -> requests.Session:
        if service not in self._sessions:
            self._sessions[service] = requests.Session()
        return self._sessions[service]

    def record(self, finding: Finding) -> None:
        self.figures[finding.service].counts[finding.figure] += 1
        known = self.findings.get(finding.key)
        if known is None:
            self.findings[finding.key] = finding
            return
        known.count += 1
        if len(finding.curl) < len(known.curl):
            finding.count = known.count
            self.findings[finding.key] = finding

    def summary(self) -> str:
        return "\n".join(self.figures[service].line(service) for service in SERVICES if service in self.figures)

    def close(self) -> None:
        for session in self._sessions.values():
            session.close()


RECORDER = Recorder()  # the session's: one per process


def roles_for(case) -> tuple[str, ...] | None:
    """The caller of a case, chosen by what the case sends, so that a case Hypothesis replays is sent
    by the same caller again."""
    if hostile.is_hostile_case(case):
        return (CASEWORKER, BARNEVERN, PAYROLL)
    body = None if isinstance(case.body, NotSet) else case.body
    headers = {name.lower(): value for name, value in (case.headers or {}).items()
               if name.lower() not in TRANSPORT_HEADERS}
    sent = repr((case.method, case.path, case.path_parameters, case.query, headers, case.cookies, case.media_type,
                 body))
    return ROLE_SETS[hashlib.sha256(sent.encode("utf-8", "surrogatepass")).digest()[0] % len(ROLE_SETS)]


def run_case(recorder: Recorder, service: str, base_url: str, case) -> list[Finding]:
    """Send one case with the next caller's token, apply the three checks, record and return what failed."""
    operation = case.operation.label
    roles = roles_for(case)
    headers = {} if roles is None else {"Authorization": f"Bearer {token_for(roles)}"}
    recorder.figures[service].cases += 1
    try:
        response = case.call(base_url=base_url, session=recorder.session(service), headers=headers,
                             timeout=REQUEST_TIMEOUT)
    except requests.RequestException as error:
        finding = Finding(service, operation, NO_ANSWER, None, type(error).__name__,
                          reproduction(case, base_url, service, roles, headers), role_label(roles), str(error)[:300])
        recorder.record(finding)
        return [finding]
    if TRACE_FILE:
        with open(TRACE_FILE, "a") as trace:
            trace.write(f"{response.status_code} {role_label(roles)} "
                        f"{reproduction(case, base_url, service, roles, headers, response.request)}\n")
    findings = []
    for figure, check in CHECKS.items():
        if figure != "5xx" and response.status_code >= 500:
            continue  # a 5xx counts once, as a 5xx
        try:
            case.validate_response(response, checks=[check], headers=headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                finding = Finding(service, operation, figure, response.status_code, describe(failure),
                                  reproduction(case, base_url, service, roles, headers, response.request),
                                  role_label(roles), snippet(response))
                recorder.record(finding)
                findings.append(finding)
        except Failure as failure:
            finding = Finding(service, operation, figure, response.status_code, describe(failure),
                              reproduction(case, base_url, service, roles, headers, response.request),
                              role_label(roles), snippet(response))
            recorder.record(finding)
            findings.append(finding)
    return findings


def describe(failure: Failure) -> str:
    what = failure.title
    schema_path = getattr(failure, "schema_path", None)
    if schema_path is not None:
        what += f" at schema {'/'.join(map(str, schema_path))}"
        instance_path = getattr(failure, "instance_path", None)
        if instance_path:
            what += f" (body /{'/'.join(map(str, instance_path))})"
    elif failure.message and not failure.message.startswith("Received:"):
        what += ": " + failure.message.splitlines()[0][:160]
    return what


def snippet(response, limit: int = 300) -> str:
    content_type = response.headers.get("content-type", [""])[0] if response.headers else ""
    text = response.content[:limit].decode("utf-8", "replace")
    return f"{content_type} {text}".strip()


def reproduction(case, base_url: str, service: str, roles: tuple[str, ...] | None, headers: dict,
                 request=None) -> str:
    """A curl command that repeats the request byte for byte, with the service's URL as $SERVICE and
    the token minted by `brobygger token`."""
    if request is None:
        prepared = case.as_transport_kwargs(base_url=base_url, headers=headers)
        request = requests.Request(method=prepared["method"], url=prepared["url"], headers=prepared["headers"],
                                   params=prepared.get("params"), json=prepared.get("json"),
                                   data=prepared.get("data")).prepare()
    url = request.url
    if url.startswith(base_url):
        url = f'"${service.upper()}"' + shell_quote(url[len(base_url):].encode())
    else:
        url = shell_quote(url.encode())
    parts = ["curl", "-X", request.method, url]
    for name, value in request.headers.items():
        if name.lower() in TRANSPORT_HEADERS:
            continue
        if name.lower() == "authorization" and roles is not None:
            mint = f"$(.venv/bin/brobygger token --roles {','.join(roles)} --user {user_of(roles)})"
            parts += ["-H", f'"Authorization: Bearer {mint}"']
        else:
            raw = value if isinstance(value, bytes) else value.encode("latin-1", "backslashreplace")
            parts += ["-H", shell_quote(name.encode() + b": " + raw)]
    if request.body is not None:
        body = request.body if isinstance(request.body, bytes) else request.body.encode("utf-8", "surrogatepass")
        parts += ["--data-binary", body_argument(body)]
    return " ".join(parts)


# Headers the HTTP client adds by itself; every other one was generated or is the token.
TRANSPORT_HEADERS = {"user-agent", "accept-encoding", "accept", "connection", "content-length",
                     "x-schemathesis-testcaseid"}


def shell_quote(raw: bytes) -> str:
    """Bytes as one bash word: '...' when printable ASCII, else $'...' with escapes; a run of one
    character (a 10,000-character text, a 1 MiB body) as a python3 one-liner that repeats it."""
    words = []
    for run in re.finditer(rb"(.)\1{63,}|(?:(.)(?!\2{63}))+", raw, re.DOTALL):
        part = run.group(0)
        if run.group(1) is not None and 32 < part[0] < 127 and chr(part[0]) not in "'\"\\$`":
            words.append(f"\"$(python3 -c 'print(\"{chr(part[0])}\" * {len(part)}, end=\"\")')\"")
        else:
            words.append(_quote(part))
    return "".join(words) or "''"


def body_argument(raw: bytes) -> str:
    """The argument of --data-binary: bash words cannot hold NUL, so a body with one is printed by
    printf; so is a large one, since no argument of a program may be that long (printf is built in)."""
    if b"\x00" not in raw:
        return shell_quote(raw) if len(raw) < 100_000 else f"@<(printf %s {shell_quote(raw)})"
    escaped = "".join(
        "%%" if byte == ord("%") else chr(byte) if 32 <= byte < 127 and chr(byte) not in "'\\" else f"\\x{byte:02x}"
        for byte in raw
    )
    return f"@<(printf '{escaped}')"


def _quote(raw: bytes) -> str:
    if all(32 <= byte < 127 for byte in raw) and b"'" not in raw:
        return f"'{raw.decode()}'"
    escaped = "".join(
        chr(byte) if 32 <= byte < 127 and chr(byte) not in "'\\" else f"\\x{byte:02x}" for byte in raw
    )
    return f"$'{escaped}'"


def failure_message(findings: list[Finding]) -> str:
    return "\n\n".join(
        f"{f.figure}: {f.operation} answered {f.status} ({f.what}), as {f.roles}\n  {f.curl}\n  -> {f.body}"
        for f in findings
    )


def kind_of(finding: Finding) -> tuple:
    """What a finding has in common with others of the same root cause: the check, the status, what
    failed, and the answer's title and detail (without ids)."""
    body = finding.body.split(" ", 1)[-1]
    try:
        problem = json.loads(body)
        answer = f"{problem.get('title')}: {problem.get('detail')}" if isinstance(problem, dict) else body[:80]
    except ValueError:
        answer = body[:80]
    answer = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>", answer)
    return finding.figure, finding.status or 0, re.sub(r" \(body /[^)]*\)", "", finding.what), answer


def report(recorder: Recorder) -> str:
    """The figures per service, then every distinct finding grouped by its kind, each with the
    shortest request that showed it."""
    lines = [recorder.summary()]
    groups: dict[tuple, list[Finding]] = defaultdict(list)
    for finding in recorder.findings.values():
        groups[kind_of(finding)].append(finding)
    if groups:
        lines += ["", f"{len(recorder.findings)} distinct findings (operation and check), of {len(groups)} kinds:"]
    for (figure, status, what, answer), findings in sorted(groups.items()):
        lines += ["", f"[{figure}] {status} {what}; answer: {answer}"]
        for f in sorted(findings, key=lambda f: (SERVICES.index(f.service), f.operation)):
            lines += [f"  - {f.service} {f.operation} (x{f.count}, as {f.roles})",
                      f"      {f.curl}", f"      -> {f.body}"]
    return "\n".join(lines)
