"""Letters and contracts as archivable PDF/A-2b, rendered from a service's templates on one layout."""

from brobygger_shared.documents.formatting import address_lines
from brobygger_shared.documents.kommune import Kommune, KommuneSettings
from brobygger_shared.documents.rendering import Documents, sha256

__all__ = ["Documents", "Kommune", "KommuneSettings", "address_lines", "sha256"]
