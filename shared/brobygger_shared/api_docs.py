"""Every service's /docs: FastAPI's Swagger UI page with its script, stylesheet and icon served by the
service itself from the vendored swagger-ui-dist (swagger_ui/, refreshed by scripts/vendor-swagger-ui.sh),
so the page works on a kommune network without internet. No /redoc: it exists only on a CDN.
"""

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

SWAGGER_UI = Path(__file__).parent / "swagger_ui"
ASSETS = "/docs/assets"

# The page may load nothing from elsewhere. FastAPI's page starts Swagger UI with an inline script and
# Swagger UI sets inline styles, hence 'unsafe-inline' on this page only (it shows no user content).
CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
])


def install_docs(app: FastAPI) -> None:
    """Serve /docs and its assets; the app is created with docs_url=None and redoc_url=None."""
    app.mount(ASSETS, StaticFiles(directory=SWAGGER_UI), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - API",
            swagger_js_url=f"{root}{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS}/favicon-32x32.png",
            swagger_ui_parameters={"validatorUrl": None},  # no badge fetched from validator.swagger.io
        )
        page.headers["content-security-policy"] = CSP
        return page
