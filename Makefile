# Brobygger: the two commands a newcomer needs are `make dev` and `make test`.
# Everything else comes from PyPI: uv is installed into .tools/, the locked dependencies into .venv/.

PYTHON ?= python3
UV := .tools/bin/uv
UV_VERSION := 0.13.9

.PHONY: dev test unit faults fuzz bench schemas lint install clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/.synced: $(UV) uv.lock pyproject.toml shared/pyproject.toml devtools/pyproject.toml $(wildcard services/*/pyproject.toml)
	$(UV) sync --frozen --all-packages --quiet --compile-bytecode
	touch $@

install: .venv/.synced

## The browser tests drive Debian's Chromium (Playwright downloads no browser of its own).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

## Start PostgreSQL, the broker and the six services on the embedded default; Ctrl-C stops all.
dev: install
	.venv/bin/brobygger up

## The whole test suite: unit tests, service tests and cross-service flows on the embedded stack
## (STACK=containers: on testcontainers' Kafka and PostgreSQL instead, where Docker is reachable).
STACK ?= embedded
test: lint $(CHROMIUM)
	BROBYGGER_STACK=$(STACK) .venv/bin/python -m pytest -p no:cacheprovider

## The notifications fault test at full size: 500 e-mails, the process killed 20 times while it sends
## (make test runs it with 100 and 5). Prints what the SMTP server received and the duplicates.
faults: install
	FAULT_MESSAGES=500 FAULT_KILLS=20 .venv/bin/python -m pytest -p no:cacheprovider -s \
		services/notifications/tests/integration/test_faults.py

## Ruff over the whole tree, with the rules in pyproject.toml's [tool.ruff] (make test runs it first).
lint: install
	.venv/bin/ruff check .

## The fast tiers, by folder: unit tests of pure logic and the in-memory service tests (each service's
## application on plain-object persistence, its published events fed to the services that read them).
## No PostgreSQL, broker, browser or PDF renderer; about 15 seconds.
UNIT_TIERS := shared/tests/unit $(wildcard services/*/tests/unit services/*/tests/service)
unit: install
	.venv/bin/python -m pytest -p no:cacheprovider $(UNIT_TIERS)

## Schemathesis over every service's OpenAPI document, at least 1,000 cases per service: prints the
## cases, 5xx, undocumented statuses and schema mismatches per service, and every distinct finding.
fuzz: install
	.venv/bin/python -m tests.fuzz.run

## Latency and throughput of the event path, beside the raw limits measured in the same run.
bench: install
	.venv/bin/python -m benchmarks.event_path
	.venv/bin/python -m benchmarks.matching
	.venv/bin/python -m benchmarks.payroll
	.venv/bin/python -m benchmarks.gateway

## The JSON Schema of every integration event, into schemas/.
schemas: install
	.venv/bin/brobygger schemas schemas

clean:
	rm -rf .venv .tools var
