"""What every service's composition root uses: a FastAPI app whose lifespan builds the write side,
starts the relay and the consumers, and stops them cleanly.

A service's `main.py` gives its settings, a `build` function (application, publishing map, sinks)
and its API router; everything else is the same in every service.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any
from uuid import uuid4

import asyncpg
from fastapi import APIRouter, Depends, FastAPI, Request
from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI

from brobygger_shared import access_log, api_docs, health, idempotency, shredding
from brobygger_shared.consumer import EventConsumer, make_broker
from brobygger_shared.events import IntegrationEvent, registry
from brobygger_shared.eventstore import EventSourcedApplication
from brobygger_shared.limits import RequestLimits
from brobygger_shared.local_projection import LocalProjection, LocalProjectionRunner
from brobygger_shared.logging import configure_logging, get_logger
from brobygger_shared.problems import COMMON_RESPONSES, document_every_problem, install_problem_handlers
from brobygger_shared.relay import Relay, ToIntegrationEvent
from brobygger_shared.settings import ServiceSettings
from brobygger_shared.topics import events_topic
from brobygger_shared.tracing import Trace, traced
from brobygger_shared.tracking import TrackingSink

log = get_logger(__name__)


@dataclass
class Components:
    """What a service is made of, built once its settings are known."""

    application: EventSourcedApplication | None = None
    to_integration_event: ToIntegrationEvent | None = None
    sinks: Sequence[TrackingSink] = ()
    local_projections: Sequence[LocalProjection] = ()
    state: dict[str, Any] = field(default_factory=dict)  # anything else the API needs
    # Work of the service's own that runs for its lifetime (a sender, a scheduler): name and coroutine
    # function, started once the broker is up, restarted after a second if it fails, cancelled at stop.
    background: Sequence[tuple[str, Callable[[], Awaitable[None]]]] = ()


@dataclass
class Runtime:
    settings: ServiceSettings
    components: Components
    broker: KafkaBroker
    consumers: list[EventConsumer]
    relay: Relay | None
    local_runners: list[LocalProjectionRunner] = field(default_factory=list)
    read_pool: asyncpg.Pool | None = None
    tasks: list[asyncio.Task] = field(default_factory=list)
    access_log: Any = None  # brobygger_shared.access_log: every read of a person's data, set by the lifespan


async def read_connection(request: Request) -> AsyncIterator[asyncpg.Connection]:
    """A FastAPI dependency: a connection to the service's own database, for read-model queries."""
    async with request.app.state.runtime.read_pool.acquire() as connection:
        yield connection


ReadConnection = Annotated[asyncpg.Connection, Depends(read_connection)]


def create_service(
    settings: ServiceSettings,
    build: Callable[[ServiceSettings], Components],
    router: APIRouter,
    publishes: Sequence[type[IntegrationEvent]] = (),
    title: str = "",
) -> FastAPI:
    configure_logging(settings.service_name, settings.log_format, settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await asyncio.to_thread(shredding.open_key_vault, settings)
        components = await asyncio.to_thread(build, settings)
        runtime = _wire(settings, components, publishes)
        app.state.runtime = runtime
        app.state.application = components.application
        for key, value in components.state.items():
            setattr(app.state, key, value)
        for sink in components.sinks:
            await sink.setup()
        runtime.read_pool = await asyncpg.create_pool(settings.database_url, min_size=1, max_size=5)
        await idempotency.setup(runtime.read_pool)
        await access_log.setup(runtime, runtime.read_pool)
        async with runtime.read_pool.acquire() as connection:
            for runner in runtime.local_runners:  # one after another: shared tables are created once
                await runner.setup(connection)
        await _start_broker(runtime)
        if runtime.relay is not None:
            runtime.tasks.append(asyncio.create_task(_keep_running("relay", runtime.relay.run)))
        for runner in runtime.local_runners:
            runtime.tasks.append(asyncio.create_task(_keep_running(runner.projection.name, runner.run)))
        for name, run in components.background:
            runtime.tasks.append(asyncio.create_task(_keep_running(name, run)))
        log.info("service.started", port=settings.http_port)
        try:
            yield
        finally:
            await _stop(runtime)

    app = FastAPI(title=title or f"Brobygger {settings.service_name}", lifespan=lifespan,
                  responses=COMMON_RESPONSES, docs_url=None, redoc_url=None)
    api_docs.install_docs(app)
    install_problem_handlers(app)
    document_every_problem(app)
    idempotency.install_idempotency(app)
    app.include_router(health.router)
    app.include_router(access_log.router)
    app.include_router(router)

    @app.middleware("http")
    async def bind_correlation_id(request: Request, call_next):
        correlation_id = request.headers.get("x-correlation-id") or str(uuid4())
        with traced(Trace(correlation_id=correlation_id, causation_id=str(uuid4()))):
            response = await call_next(request)
        response.headers["x-correlation-id"] = correlation_id
        return response

    # Added last, so outermost: limits apply before anything reads the body.
    app.state.commands_in_flight = health.CommandsInFlight()
    app.add_middleware(health.WatchCommands, in_flight=app.state.commands_in_flight)
    app.add_middleware(RequestLimits, max_body_bytes=settings.max_request_bytes)

    @app.get("/asyncapi.json", tags=["drift"], summary="AsyncAPI document of the events this service reads and writes")
    async def asyncapi(request: Request) -> dict:
        broker = request.app.state.runtime.broker
        return AsyncAPI(broker, title=app.title, schema_version="3.0.0").to_specification().to_jsonable()

    return app


def _wire(settings: ServiceSettings, components: Components, publishes: Sequence[type[IntegrationEvent]]) -> Runtime:
    broker = make_broker(settings)
    group = settings.consumer_group or settings.service_name
    # One consumer group per sink where a service has several: each keeps its own offsets.
    consumers = [
        EventConsumer(broker, sink, registry, settings, group if len(components.sinks) == 1 else f"{group}.{sink.name}")
        for sink in components.sinks
    ]
    topic = events_topic(settings.service_name)
    for event_type in publishes:
        # Documents the published language in the AsyncAPI document; the relay does the publishing.
        broker.publisher(topic, title=f"{topic}:{event_type.event_type}", schema=event_type)
    relay = None
    if components.application is not None and components.to_integration_event is not None:
        relay = Relay(components.application, components.to_integration_event, settings)
    local_runners = [
        LocalProjectionRunner(components.application, projection, settings.database_url)
        for projection in components.local_projections
    ]
    return Runtime(settings, components, broker, consumers, relay, local_runners)


async def _start_broker(runtime: Runtime) -> None:
    while True:
        try:
            await runtime.broker.start()
            return
        except Exception as error:  # noqa: BLE001 - the broker may not be up yet
            log.warning("service.broker_unavailable", error=repr(error))
            await _quietly(runtime.broker.stop())
            await asyncio.sleep(1)


async def _keep_running(name: str, run: Callable[[], Awaitable[None]]) -> None:
    while True:
        try:
            await run()
            return
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001
            log.exception("service.task_crashed", task=name)
            await asyncio.sleep(1)


async def _stop(runtime: Runtime) -> None:
    for task in runtime.tasks:
        task.cancel()
    await asyncio.gather(*runtime.tasks, return_exceptions=True)
    await _quietly(runtime.broker.stop())
    for sink in runtime.components.sinks:
        await sink.close()
    if runtime.read_pool is not None:
        await runtime.read_pool.close()
    if runtime.components.application is not None:
        runtime.components.application.close()


async def _quietly(awaitable: Awaitable[Any], timeout: float = 5) -> None:
    """Stop a client without letting a hung broker connection hang shutdown."""
    try:
        await asyncio.wait_for(awaitable, timeout)
    except Exception:  # noqa: BLE001
        pass
