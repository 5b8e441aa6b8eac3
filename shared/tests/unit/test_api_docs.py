"""Every service's /docs works without internet: the page names no other host, and the script, the
stylesheet, the icon and the OpenAPI document it loads are served by the service itself."""

import importlib
import re
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

SERVICES = ["applications", "matching", "contracts", "payroll", "notifications", "archive", "gateway"]


def service_app(name: str):
    return importlib.import_module(f"brobygger_{name}.main").app


@pytest.mark.parametrize("name", SERVICES)
async def test_the_docs_page_loads_everything_from_the_service_itself(name):
    transport = httpx.ASGITransport(app=service_app(name))  # no lifespan: the page needs no database
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        page = await client.get("/docs")
        assert page.status_code == 200
        assert "swagger-ui-bundle.js" in page.text
        urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", page.text)
        urls += re.findall(r"""\burl\s*:\s*['"]([^'"]+)['"]""", page.text)  # the OpenAPI document
        assert len(urls) >= 4, urls
        assert not re.search(r"https?://", page.text), "the page names another host"
        for url in urls:
            assert urlsplit(url).netloc == "", url
            asset = await client.get(urljoin("http://service/docs", url))
            assert asset.status_code == 200, url
            assert asset.content
        policy = page.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "http" not in policy


async def test_the_licence_and_version_of_swagger_ui_are_served_beside_it():
    transport = httpx.ASGITransport(app=service_app("payroll"))
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        assert "Apache License" in (await client.get("/docs/assets/LICENSE")).text
        assert "swagger-ui-dist@" in (await client.get("/docs/assets/SOURCE")).text
