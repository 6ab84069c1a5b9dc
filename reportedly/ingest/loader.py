"""Files -> documents: the entry points :func:`load_file` and :func:`iter_documents`.

The loader picks the reader by file name (records, HTML, WARC, else scraped
text; any of them may be gzip-compressed, ``page.html.gz``), applies the metadata layers and never raises for a per-file problem:
such a file becomes a document with status "skipped" or "failed" and a
one-line reason, so one bad file never stops a run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any, Literal, overload

from reportedly.errors import IngestError, UnsupportedInput
from reportedly.ingest.assemble import Layer, assemble, problem_document
from reportedly.ingest.deferred import Deferred
from reportedly.ingest.discover import iter_files
from reportedly.ingest.html import document_from_html
from reportedly.ingest.manifest import Manifest, read_sidecar
from reportedly.ingest.markdown import MARKDOWN_SUFFIXES, strip_markdown
from reportedly.ingest.records import RECORD_SUFFIXES, iter_records, record_fields
from reportedly.ingest.sniff import decode_bytes, file_id, inner_name, read_limited
from reportedly.ingest.stamps import normalise_date
from reportedly.ingest.text import clean_text
from reportedly.types import Document

__all__ = ["HTML_SUFFIXES", "iter_documents", "iter_file", "load_file"]

HTML_SUFFIXES: tuple[str, ...] = (".html", ".htm", ".xhtml")
_HTML_START = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE | re.DOTALL)
#: Given a record's number, the metadata layers that override its own fields.
RecordMeta = Callable[[int], list[Layer]]


def _format_of(path: Path) -> str:
    name = inner_name(path)
    if name.endswith(".warc"):
        return "warc"
    if name.endswith(HTML_SUFFIXES):
        return "html"
    if name.endswith(RECORD_SUFFIXES):
        return Path(name).suffix.lstrip(".").replace("ndjson", "jsonl")
    return "text"


def _read_checked(path: Path) -> bytes:
    """The file's (decompressed) bytes, size-checked first so a huge file is never read whole."""
    return read_limited(path)


def _problem_for_file(path: Path, reason: str, status: str, fmt: str) -> Document:
    try:
        ident = file_id(path)
    except OSError:
        ident = None
    doc = problem_document(str(path), reason, str(path).encode(), "failed" if status == "failed" else "skipped", fmt)
    if ident is not None:
        doc.id = ident
    return doc


def _text_file(path: Path, layers: list[Layer], defaults: Mapping[str, Any]) -> Document:
    decoded = decode_bytes(_read_checked(path), str(path))
    if _HTML_START.match(decoded.text[:1024]):
        # A page saved under a text name (".txt", no extension) is still a page.
        doc = document_from_html(decoded.text, str(path), layers=layers, defaults=defaults)
        if decoded.note:
            doc.reason = f"{doc.reason}; {decoded.note}" if doc.reason else decoded.note
        return doc
    raw = strip_markdown(decoded.text) if inner_name(path).endswith(MARKDOWN_SUFFIXES) else decoded.text
    cleaned = clean_text(raw)
    notes = [decoded.note] if decoded.note else []
    doc = assemble(cleaned, str(path), "text", layers, notes)
    if decoded.note:
        doc.extra["encoding"] = decoded.encoding
    return doc


def _records_file(path: Path, fmt: str, file_layers: list[Layer], record_meta: RecordMeta | None) -> Iterator[Document]:
    for record in iter_records(path):
        where = f"{path}#{record.number}"
        if record.data is None:
            yield problem_document(where, record.error or "unreadable record", where.encode(), "failed", fmt)
            continue
        fields = record_fields(record.data)
        text = fields.pop("text", None)
        if text is None:
            yield problem_document(where, "record has no text field", repr(sorted(record.data)).encode() + where.encode(), "skipped", fmt)
            continue
        if "published" in fields:
            fields["published"] = normalise_date(fields["published"]) or fields["published"]
        # A record's own fields are more specific than metadata given for the
        # whole file, so file-level layers rank below them; "file#N" keys above.
        above = record_meta(record.number) if record_meta else []
        # Record bodies are bodies: a first line is only dropped when it repeats the title.
        cleaned = clean_text(text, detect_title=False, known_title=fields.get("title"))
        layers = [*above, ("record", fields), *file_layers]
        yield assemble(cleaned, where, fmt, layers)


def iter_file(
    path: str | Path,
    meta: Mapping[str, Any] | None = None,
    default_published: str | None = None,
    *,
    layers: list[Layer] | None = None,
    record_meta: RecordMeta | None = None,
    defer: bool = False,
) -> Iterator[Document | Deferred]:
    """Stream the documents of one file (one, or one per record); never raises for file problems.

    With ``defer``, HTML pages (files and WARC records) come as
    :class:`~reportedly.ingest.deferred.Deferred` tasks, read but not parsed.
    """
    path = Path(path)
    fmt = _format_of(path)
    named: list[Layer] = layers if layers is not None else [("meta", dict(meta or {}))]
    default_meta = {"published": normalise_date(default_published)} if default_published else {}
    defaults: list[Layer] = [("default", default_meta)] if default_meta else []
    try:
        if not path.exists():
            yield problem_document(str(path), "no such file or directory", str(path).encode(), "failed", fmt)
            return
        if not path.is_file():
            yield problem_document(str(path), "not a regular file", str(path).encode(), "skipped", fmt)
            return
        if fmt == "warc":
            from reportedly.ingest.warc import iter_warc

            flat: dict[str, Any] = {}
            for _name, layer in reversed(named):
                flat.update(layer)
            yield from iter_warc(path, flat, defer=defer)
        elif fmt == "html":
            page = Deferred(
                str(path), partial(document_from_html, _read_checked(path), str(path), layers=named, defaults=default_meta)
            )
            yield page if defer else page.resolve()
        elif fmt in ("jsonl", "json", "csv"):
            yield from _records_file(path, fmt, [*named, *defaults], record_meta)
        else:
            yield _text_file(path, [*named, *defaults], default_meta)
    except UnsupportedInput as err:
        yield _problem_for_file(path, err.reason, "skipped", fmt)
    except IngestError as err:
        yield _problem_for_file(path, err.reason, "failed", fmt)
    except OSError as err:
        yield _problem_for_file(path, f"cannot read file: {err.strerror or err}", "failed", fmt)
    except Exception as err:  # noqa: BLE001 - the run-level guarantee: one file never stops a run
        # A parser bug or an unexpected library error on one odd file is
        # still that file's problem; it is reported, not raised.
        detail = " ".join(str(err).split())[:200]
        yield _problem_for_file(path, f"failed while reading: {type(err).__name__}: {detail}", "failed", fmt)


def load_file(path: str | Path, meta: Mapping[str, Any] | None = None, default_published: str | None = None) -> list[Document]:
    """All documents of one file; ``meta`` overrides what the file says. Never raises for file problems."""
    return list(iter_file(path, meta, default_published))


@overload
def iter_documents(
    paths: Sequence[str | Path],
    manifest: Manifest | None = None,
    default_published: str | None = None,
    *,
    defer: Literal[False] = False,
) -> Iterator[Document]: ...


@overload
def iter_documents(
    paths: Sequence[str | Path],
    manifest: Manifest | None = None,
    default_published: str | None = None,
    *,
    defer: bool,
) -> Iterator[Document | Deferred]: ...


def iter_documents(
    paths: Sequence[str | Path],
    manifest: Manifest | None = None,
    default_published: str | None = None,
    *,
    defer: bool = False,
) -> Iterator[Document | Deferred]:
    """Stream the documents of files, folders and globs, with manifest and sidecar metadata.

    Precedence: manifest, then sidecar, then the file's own metadata, then
    ``default_published``. The manifest file itself and sidecars are never
    read as articles. ``defer``: HTML pages come unparsed (see :func:`iter_file`).
    """
    exclude = [manifest.path] if manifest is not None and manifest.path is not None else []
    for path in iter_files(paths, exclude=exclude):
        sidecar, note = read_sidecar(path) if path.is_file() else ({}, None)
        layers: list[Layer] = [("manifest", manifest.lookup(path) if manifest else {}), ("sidecar", sidecar)]

        def record_meta(number: int, path: Path = path) -> list[Layer]:
            return [("manifest", manifest.lookup(path, record=number))] if manifest else []

        for doc in iter_file(path, default_published=default_published, layers=layers, record_meta=record_meta, defer=defer):
            if note:
                yield doc.then(partial(_with_note, note)) if isinstance(doc, Deferred) else _with_note(note, doc)
            else:
                yield doc


def _with_note(note: str, doc: Document) -> Document:
    doc.reason = f"{doc.reason}; {note}" if doc.reason else note
    return doc
