"""Composition root of the gateway: the activity feed (JSON), the staff web UI and the self-service
portal (pages, sign-in, server-side sessions, CSRF, security headers, static files)."""

from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from brobygger_gateway import api, consumers, pages, portal, self_authorisations
from brobygger_gateway.application import ServiceClient
from brobygger_gateway.pages import (  # noqa: F401 - they add their routes
    access_log, activity, cases, contracts, matching, payroll, report, self_authorisation, signin, timesheets,
    volunteers, worklist,
)
from brobygger_gateway.portal import signin as portal_signin
from brobygger_gateway.portal.limits import FormLimits
from brobygger_gateway.purpose import SendPurpose
from brobygger_gateway.security import Csrf, MutatingPaths, SecurityHeaders
from brobygger_gateway.sessions import PORTAL, ServerSessions, SessionStore
from brobygger_gateway.settings import GatewaySettings
from brobygger_shared.limits import RequestLimits
from brobygger_shared.service import Components, create_service


def build(settings: GatewaySettings) -> Components:
    return Components(sinks=consumers.sinks(settings.database_url))


def create_app(settings: GatewaySettings) -> FastAPI:
    app = create_service(settings, build, api.router)
    app.include_router(pages.router)
    for router in portal.ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=pages.WEB / "static"), name="static")
    pages.install(app)
    portal.install(app)
    app.state.oauth = signin.staff_oauth(settings)
    app.state.idporten = portal_signin.idporten_oauth(settings)
    app.state.portal_limits = FormLimits(settings.portal_form_limit_per_minute,
                                         settings.portal_address_limit_per_minute)
    app.state.report_file = settings.report_file
    app.state.self_authorisation_minutes = settings.self_authorisation_minutes

    service_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        async with service_lifespan(app):
            app.state.sessions = SessionStore(app.state.runtime.read_pool,
                                              idle=timedelta(minutes=settings.session_idle_minutes),
                                              absolute=timedelta(hours=settings.session_absolute_hours))
            await app.state.sessions.setup()
            await self_authorisations.setup(app.state.runtime.read_pool)
            # The portal's sessions: the same table, their own cookie and salt (sessions.PORTAL).
            app.state.portal_sessions = SessionStore(app.state.runtime.read_pool,
                                                     idle=timedelta(minutes=settings.session_idle_minutes),
                                                     absolute=timedelta(hours=settings.session_absolute_hours),
                                                     realm=PORTAL.name)
            app.state.services = ServiceClient(settings.service_urls, settings.auth_private_key,
                                               settings.service_token_seconds, settings.service_timeout_seconds,
                                               settings.document_timeout_seconds)
            try:
                yield
            finally:
                await app.state.services.close()

    app.router.lifespan_context = lifespan

    # Outermost last: body limit, then security headers, then the session, then CSRF (which reads forms).
    page_routes = [*pages.router.routes, *(route for router in portal.ROUTERS for route in router.routes)]
    app.add_middleware(Csrf, secret=settings.web_secret, always_protect=MutatingPaths(page_routes),
                       secure=settings.secure_cookies)
    app.add_middleware(ServerSessions, secure=settings.secure_cookies)
    app.add_middleware(ServerSessions, secure=settings.secure_cookies, realm=PORTAL)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(SendPurpose)
    app.add_middleware(RequestLimits, max_body_bytes=settings.max_request_bytes)
    return app


app = create_app(GatewaySettings())
