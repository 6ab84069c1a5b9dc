"""Cleaned text + metadata layers -> one :class:`~reportedly.types.Document`.

Every input format ends here, so the rules that make a document are in one
place: metadata precedence, the repost decision, the minimum length and the
language check, and the id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reportedly.ingest.manifest import META_FIELDS
from reportedly.ingest.sniff import detect_language, raw_id
from reportedly.ingest.text import CleanedText
from reportedly.settings import MIN_TEXT_CHARS
from reportedly.types import DocStatus, Document, content_id

__all__ = ["Layer", "assemble", "problem_document", "same_outlet"]

#: A named metadata source, highest precedence first when passed as a list:
#: ("manifest", {...}), ("sidecar", {...}), ("file", {...}), ("default", {...}).
Layer = tuple[str, Mapping[str, Any]]
#: Most removed debris lines kept in ``extra["debris"]`` for inspection.
_MAX_DEBRIS_KEPT = 40


def same_outlet(a: str | None, b: str | None) -> bool:
    """"The Associated Press" and "associated press" name the same outlet."""
    if not a or not b:
        return False

    def key(name: str) -> str:
        name = " ".join(name.casefold().replace(".", " ").split())
        return name[4:] if name.startswith("the ") else name

    return key(a) == key(b)


def problem_document(path: str, reason: str, raw: bytes, status: DocStatus = "skipped", fmt: str = "text") -> Document:
    """A document for input that could not be read: id from the raw bytes, one-line reason."""
    return Document(id=raw_id(raw), path=path, format=fmt, status=status, reason=" ".join(reason.split()))


def _cleaned_meta(cleaned: CleanedText) -> dict[str, Any]:
    found = {
        "title": cleaned.title,
        "author": cleaned.author,
        "published": cleaned.published,
        "original_publisher": cleaned.original_publisher,
    }
    return {k: v for k, v in found.items() if v}


def assemble(
    cleaned: CleanedText,
    path: str,
    fmt: str,
    layers: Sequence[Layer],
    notes: Sequence[str] = (),
    check_english: bool = True,
) -> Document:
    """Build the document; status "skipped" when the text is too short or not English.

    ``layers`` are the metadata sources, highest precedence first; the text's
    own metadata (headline, byline, stamps) is appended as a last "text"
    layer, below whatever the format itself reported (e.g. HTML meta tags).
    """
    all_layers = [*layers, ("text", _cleaned_meta(cleaned))]
    values: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for field in META_FIELDS:
        for name, layer in all_layers:
            value = layer.get(field)
            if value:
                values[field], origin[field] = value, name
                break
    original = values.get("original_publisher")
    publisher = values.get("publisher")
    # Crediting another outlet makes a repost, unless the credit names the
    # publisher itself ("By Reuters" on reuters.com).
    repost = cleaned.repost or (original is not None and not same_outlet(original, publisher))
    if repost and same_outlet(original, publisher) and not cleaned.extra.get("via"):
        repost = False
    extra: dict[str, Any] = dict(cleaned.extra)
    if cleaned.published_text:
        extra["published_text"] = cleaned.published_text
    if cleaned.removed:
        extra["debris"] = cleaned.removed[:_MAX_DEBRIS_KEPT]
    extra["metadata_from"] = origin
    doc = Document(
        id=content_id(cleaned.text),
        path=path,
        text=cleaned.text,
        title=values.get("title"),
        author=values.get("author"),
        publisher=publisher,
        published=values.get("published"),
        url=values.get("url"),
        dateline=cleaned.dateline,
        original_publisher=original,
        repost=repost,
        format=fmt,
        extra=extra,
    )
    reasons = list(notes)
    chars = len(cleaned.text.strip())
    if chars < MIN_TEXT_CHARS:
        doc.status = "skipped"
        reasons.insert(0, f"text too short ({chars} characters < {MIN_TEXT_CHARS})")
    elif check_english:
        doc.language = detect_language(cleaned.text)
        if doc.language != "en":
            doc.status = "skipped"
            reasons.insert(0, f"language {doc.language}, not English")
    doc.reason = "; ".join(reasons) or None
    return doc
