"""Documents as archivable PDF: a service's Jinja2 templates, on the kernel's letter layout, rendered by
WeasyPrint to tagged PDF/A-2b.

The same template and context give the same bytes: the PDF is dated by the document's own date (never
the clock), and its fonts are the ones shipped here (never the machine's), so a document can be
re-rendered from the events that issued it and checked against the SHA-256 recorded then.
"""

import hashlib
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined, select_autoescape
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from brobygger_shared.documents import formatting
from brobygger_shared.documents.kommune import Kommune

ASSETS = Path(__file__).parent


class _LocalAssetsOnly(URLFetcher):
    """Fonts and stylesheets from this package, images as data URIs; nothing from the network or the
    rest of the file system, whatever a template or a field's text might name."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file", "data"))

    def fetch(self, url: str, headers: dict | None = None):
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if not path.is_relative_to(ASSETS):
                raise ValueError(f"Refused to read {path}: documents read only their own assets")
        return super().fetch(url, headers)


def sha256(document: bytes) -> str:
    return hashlib.sha256(document).hexdigest()


class Documents:
    """The templates of one service (its package's `templates/` folder), rendered on the kernel's
    `letter.html` layout."""

    def __init__(self, package: str) -> None:
        self._templates = Environment(
            loader=ChoiceLoader([PackageLoader(package, "templates"),
                                 PackageLoader("brobygger_shared.documents", "templates")]),
            autoescape=select_autoescape(default=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._templates.filters.update(formatting.FILTERS)

    def html(self, template: str, *, kommune: Kommune, issued_on: date, **context: Any) -> str:
        return self._templates.get_template(template).render(kommune=kommune, issued_on=issued_on, **context)

    def pdf(self, template: str, *, kommune: Kommune, issued_on: date, **context: Any) -> bytes:
        markup = self.html(template, kommune=kommune, issued_on=issued_on, **context)
        document = HTML(string=markup, base_url=str(ASSETS / "templates") + "/", url_fetcher=_LocalAssetsOnly())
        return document.write_pdf(pdf_variant="pdf/a-2b", pdf_tags=True)
