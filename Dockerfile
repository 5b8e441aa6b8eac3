# syntax=docker/dockerfile:1
#
# One image for all seven Brobygger services. Pick the service with SERVICE_NAME (the default CMD runs
# `brobygger_${SERVICE_NAME}.main:app`) or override the command, as docker-compose.yml does:
#   uvicorn brobygger_<name>.main:app --host 0.0.0.0 --port 8000
#
# Only the services and the kernel are installed: the developer tools (devtools/, with the embedded
# PostgreSQL, broker and SMTP server) and the analysts' replay are left out; in a container the services
# talk to the real PostgreSQL and Apache Kafka instead.

ARG PYTHON_IMAGE=python:3.11-slim

# --- build: resolve the locked dependencies into /app/.venv ------------------------------------------
FROM ${PYTHON_IMAGE} AS build

ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN pip install uv==0.13.9

WORKDIR /src

# Third-party dependencies first, from the lock and the members' pyproject files only, so that this
# layer is reused while only the project's own code changes.
COPY pyproject.toml uv.lock ./
COPY shared/pyproject.toml shared/pyproject.toml
COPY devtools/pyproject.toml devtools/pyproject.toml
COPY analytics/pyproject.toml analytics/pyproject.toml
COPY services/applications/pyproject.toml services/applications/pyproject.toml
COPY services/matching/pyproject.toml services/matching/pyproject.toml
COPY services/contracts/pyproject.toml services/contracts/pyproject.toml
COPY services/payroll/pyproject.toml services/payroll/pyproject.toml
COPY services/notifications/pyproject.toml services/notifications/pyproject.toml
COPY services/archive/pyproject.toml services/archive/pyproject.toml
COPY services/gateway/pyproject.toml services/gateway/pyproject.toml
ARG SERVICES="--package brobygger-applications --package brobygger-matching --package brobygger-contracts \
    --package brobygger-payroll --package brobygger-notifications --package brobygger-archive \
    --package brobygger-gateway"
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev $SERVICES --no-install-workspace

# Then the workspace members themselves, installed as ordinary (non-editable) packages so the
# runtime stage needs the virtual environment only.
COPY shared/ shared/
COPY services/ services/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev $SERVICES --no-editable

# --- runtime -----------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

ENV PATH=/app/.venv/bin:$PATH \
    VIRTUAL_ENV=/app/.venv \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    ENVIRONMENT=production \
    TZ=Europe/Oslo \
    LOG_FORMAT=json \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8000 \
    SERVICE_NAME=gateway

RUN groupadd --system --gid 10001 brobygger \
    && useradd --system --uid 10001 --gid brobygger --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin brobygger

COPY --from=build --chown=root:root /app/.venv /app/.venv

WORKDIR /app
USER brobygger:brobygger

EXPOSE 8000

HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=6 \
    CMD ["python", "-c", "import urllib.request;urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4)"]

CMD ["sh", "-c", "exec uvicorn \"brobygger_${SERVICE_NAME}.main:app\" --host 0.0.0.0 --port 8000"]
