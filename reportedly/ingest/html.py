"""HTML pages -> documents: trafilatura for the main text and metadata,
htmldate for the date when trafilatura finds none.

Runs offline (trafilatura never fetches here) and is shared with the WARC
reader, which passes each crawled page through :func:`document_from_html`.
Broken markup is recovered by lxml where possible; when no main text can be
found the visible page text is used, and when there is none either the
document fails with a reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import htmldate
import lxml.html
import trafilatura
from lxml.etree import ParserError

from reportedly.errors import UnsupportedInput
from reportedly.ingest.assemble import Layer, assemble, problem_document
from reportedly.ingest.sniff import decode_bytes
from reportedly.ingest.stamps import normalise_date
from reportedly.ingest.text import clean_text
from reportedly.settings import MIN_TEXT_CHARS
from reportedly.types import Document

__all__ = ["document_from_html", "extract_main_text"]

_FORMAT = "html"
#: No "extensive" date search: it guesses a year from copyright footers
#: ("© 2016" -> 2016-01-01), which is worse than no date, since a manifest
#: or --published default then applies.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def extract_main_text(html: str, url: str | None = None) -> tuple[str | None, dict[str, Any]]:
    """trafilatura's main text (None if it finds none) and page metadata as Document fields."""
    result = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params=_DATE_PARAMS,
    )
    if result is None:
        return None, {}
    found = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    meta = {
        "title": found.get("title"),
        "author": found.get("author"),
        "publisher": found.get("sitename"),
        "published": normalise_date(found.get("date")),
        "url": found.get("url"),
        "language": found.get("language"),
    }
    return found.get("text") or None, {k: v for k, v in meta.items() if v}


def _visible_text(html: str) -> str:
    """All visible text of a page lxml can parse, paragraphs on their own lines."""
    try:
        tree = lxml.html.fromstring(html)
    except (ParserError, ValueError):
        return ""
    for bad in tree.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    lines = (" ".join(t.split()) for t in tree.itertext())
    return "\n".join(line for line in lines if line)


def document_from_html(
    html: str | bytes,
    path: str,
    meta: Mapping[str, Any] | None = None,
    defaults: Mapping[str, Any] | None = None,
    layers: list[Layer] | None = None,
) -> Document:
    """One HTML page as a document.

    ``meta`` overrides what the page says (a manifest row, a WARC record's
    URL); ``defaults`` fills what neither says (``{"published": ...}``).
    ``layers`` replaces ``meta`` with named layers (used by the file loader
    to tell manifest from sidecar in ``extra["metadata_from"]``).
    """
    notes: list[str] = []
    raw = html if isinstance(html, bytes) else html.encode("utf-8", "surrogatepass")
    if isinstance(html, bytes):
        try:
            decoded = decode_bytes(html, path)
        except UnsupportedInput as err:
            return problem_document(path, err.reason, raw, fmt=_FORMAT)
        html = decoded.text
        if decoded.note:
            notes.append(decoded.note)
    if not html.strip():
        return problem_document(path, "empty file", raw, fmt=_FORMAT)
    given = dict(meta or {})
    text, page_meta = extract_main_text(html, url=given.get("url"))
    if text is None:
        text = _visible_text(html)
        if len(text.strip()) < MIN_TEXT_CHARS:
            return problem_document(path, "broken HTML: no article text could be recovered", raw, "failed", _FORMAT)
        notes.append("no main text found; kept all visible page text")
    if "published" not in page_meta:
        found = htmldate.find_date(html, **_DATE_PARAMS)
        if found:
            page_meta["published"] = found
    cleaned = clean_text(text, known_title=given.get("title") or page_meta.get("title"))
    named: list[Layer] = layers if layers is not None else [("meta", given)]
    doc = assemble(cleaned, path, _FORMAT, [*named, ("file", page_meta), ("default", dict(defaults or {}))], notes)
    if doc.language is None and page_meta.get("language"):
        doc.language = page_meta["language"]
    return doc

