"""`make fuzz`: Schemathesis over every service's OpenAPI document, at least 1,000 cases per service.

Runs the fuzzing tier (tests/fuzz) counting every finding instead of stopping at an operation's
first, then prints per service the cases run, 5xx, undocumented statuses and schema mismatches, and
every distinct finding with a curl command that repeats it. Exits non-zero if any figure but the
cases is above 0.

    python -m tests.fuzz.run                          # on a fresh embedded stack
    python -m tests.fuzz.run --cases 5000             # more cases per service
    python -m tests.fuzz.run --runtime var/runtime.json   # on the services `make dev` runs
"""

import argparse
import os
import sys
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000, help="at least this many cases per service")
    parser.add_argument("--runtime", type=Path, help="fuzz the services this runtime file names")
    parser.add_argument("--trace", type=Path, help="append every request sent and its status to this file")
    parser.add_argument("--report", type=Path, help="also write the report to this file")
    arguments = parser.parse_args()

    # Read by tests/fuzz/harness.py when it is imported, so set before pytest imports it.
    os.environ["BROBYGGER_FUZZ_CASES"] = str(arguments.cases)
    if arguments.runtime:
        os.environ["BROBYGGER_FUZZ_RUNTIME"] = str(arguments.runtime.resolve())
    if arguments.trace:
        os.environ["BROBYGGER_FUZZ_TRACE"] = str(arguments.trace.resolve())

    import pytest

    started = time.monotonic()
    exit_code = pytest.main(["-p", "no:cacheprovider", "-q", "--no-header", "-p", "no:warnings",
                             str(Path(__file__).parent)])
    from tests.fuzz.harness import RECORDER, SERVICES, report

    text = report(RECORDER)
    print(f"\nFuzzing, at least {arguments.cases} cases per service, in {time.monotonic() - started:.0f} s:")
    print(text)
    if arguments.report:
        arguments.report.write_text(text + "\n")
    if exit_code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        return int(exit_code)
    short = [name for name in SERVICES if RECORDER.figures[name].cases < arguments.cases]
    if short:
        print(f"\nFewer than {arguments.cases} cases: {', '.join(short)} (Schemathesis ran out of distinct "
              "requests: the document leaves their operations little or no input to vary)")
    return 1 if any(RECORDER.figures[name].failed for name in SERVICES) or exit_code else 0


if __name__ == "__main__":
    sys.exit(main())
