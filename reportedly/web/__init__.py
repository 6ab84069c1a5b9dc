"""The read-only web app over a reportedly store: ``create_app(db_path)``.

Pages: overview, search (with facets), series (timeline chart), claim
(evidence in the article), document, sources; each with a JSON twin.
"""

from __future__ import annotations

from reportedly.web.app import create_app

__all__ = ["create_app"]
