"""Reading inputs into :class:`~reportedly.types.Document` objects.

Scraped text (``.txt``/``.md``), HTML pages, records files (``.jsonl``,
``.json``, ``.csv``) and WARC crawls, with metadata from a manifest,
``NAME.meta.json`` sidecars or a default publication date. See
``DEVELOPERS.md`` for how this fits the pipeline.
"""

from __future__ import annotations

from reportedly.ingest.html import document_from_html
from reportedly.ingest.loader import iter_documents, iter_file, load_file
from reportedly.ingest.manifest import Manifest
from reportedly.ingest.text import CleanedText, clean_text

__all__ = [
    "CleanedText",
    "Manifest",
    "clean_text",
    "document_from_html",
    "iter_documents",
    "iter_file",
    "load_file",
]
