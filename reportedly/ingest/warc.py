"""Reading WARC / WARC.gz crawl files (Common Crawl, CC-NEWS, wget, ...).

A WARC file holds many HTTP exchanges. Each HTML ``response`` (or
``resource``) record becomes a :class:`~reportedly.types.Document` through the
very same HTML path as a saved page (:func:`reportedly.ingest.document_from_html`),
so an article reads the same whether it was saved to disk or crawled.
The record's target URL and crawl date (``WARC-Date``) are kept: the URL as
``Document.url`` when the page names none, the crawl date in
``extra["crawl_date"]`` and as the publication date when neither the page nor
its text gives one (``extra["metadata_from"]["published"] == "crawl_date"``
then says so).

Records are streamed one at a time (warcio reads gzip member by member), so a
crawl file of any size is read in constant memory. Per-record problems never
abort the file: a response that is not HTML, not a success, too large or
undecodable becomes a Document with ``status="skipped"`` and a one-line
``reason``. A file whose framing is corrupt (truncated gzip, bad headers)
yields one ``status="failed"`` Document for the rest of the file, since WARC
has no resync marker to continue from.

``request``, ``metadata``, ``warcinfo``, ``revisit`` and similar records carry
no article and are passed over silently.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from reportedly.errors import UnsupportedInput
from reportedly.ingest.deferred import Deferred, resolve
from reportedly.ingest.sniff import decode_bytes, looks_binary, raw_id
from reportedly.settings import MAX_FILE_BYTES
from reportedly.types import Document

__all__ = ["HTML_TYPES", "WARC_SUFFIXES", "WarcPage", "is_warc", "iter_warc", "write_warc"]

#: File name endings routed to :func:`iter_warc` by ingest discovery.
WARC_SUFFIXES: tuple[str, ...] = (".warc", ".warc.gz")
#: Payload media types read as HTML articles; anything else is skipped.
HTML_TYPES: frozenset[str] = frozenset({"text/html", "application/xhtml+xml"})
#: Record types that can hold an article page.
_PAYLOAD_RECORDS = frozenset({"response", "resource"})
_FORMAT = "warc"


def is_warc(path: str | Path) -> bool:
    """True for ``*.warc`` and ``*.warc.gz`` files (case-insensitive)."""
    return str(path).lower().endswith(WARC_SUFFIXES)


@dataclass(frozen=True, slots=True)
class _Record:
    """What we keep of one WARC record header, for metadata and reasons."""

    record_id: str
    url: str | None
    crawl_date: str | None

    def locator(self, warc_path: str) -> str:
        # ``file.warc.gz#<urn:uuid:...>`` names one record unambiguously and
        # lets a user find it again with ``warcio index``.
        return f"{warc_path}#{self.record_id}"


def iter_warc(path: str | Path, meta: Mapping[str, Any] | None = None, *, defer: bool = False) -> Iterator[Document | Deferred]:
    """Yield one Document per response/resource record of the WARC file at ``path``.

    ``meta`` (e.g. a manifest row for the WARC file: publisher, ...) is
    passed on to :func:`reportedly.ingest.document_from_html` for every
    record, with ``url`` set to the record's own target URL. Streaming: one
    record in memory at a time. With ``defer``, HTML records come as
    :class:`~reportedly.ingest.deferred.Deferred` tasks, read but not parsed.
    """
    warc_path = str(path)
    try:
        stream: BinaryIO = open(path, "rb")  # noqa: SIM115 - closed in finally
    except OSError as err:
        yield _problem(warc_path, f"cannot open WARC file: {err.strerror or err}", "failed", warc_path.encode())
        return
    seen = 0
    try:
        records = _CheckedIterator(stream)
        while True:
            try:
                record = next(records)
            except StopIteration:
                break
            except Exception as err:  # ArchiveLoadFailed, zlib.error, EOFError...
                # A corrupt member or header leaves no safe point to resume at.
                yield _broken(warc_path, seen, _one_line(err))
                return
            if record.format != "warc":
                # warcio reads almost any text as ARC records; a .warc file that
                # does not start with WARC headers is not a crawl file.
                yield _broken(warc_path, seen, "no WARC record header here (not a WARC file?)")
                return
            seen += 1
            if record.rec_type not in _PAYLOAD_RECORDS:
                continue
            page = _document(record, seen, warc_path, meta)
            yield page if defer else resolve(page)
        if records.truncated:
            yield _broken(warc_path, seen, "the last gzip member is cut short (truncated download?)")
    finally:
        stream.close()


class _CheckedIterator(ArchiveIterator):  # type: ignore[misc]
    """ArchiveIterator that notices a truncated final gzip member.

    warcio treats the end of a cut-off member as the end of the file, which
    would silently drop the records in it; a decompressor that never reached
    its end-of-stream marker gives the truncation away.
    """

    truncated: bool = False

    def close(self) -> None:
        reader = self.reader
        decompressor = getattr(reader, "decompressor", None) if reader is not None else None
        if decompressor is not None and not getattr(decompressor, "eof", True):
            self.truncated = True
        super().close()


def _document(record: ArcWarcRecord, number: int, warc_path: str, meta: Mapping[str, Any] | None) -> Document | Deferred:
    head = _Record(
        # The ordinal stands in for a missing (mandatory) record id, so ids
        # stay the same from run to run and from `run` to the Spark job.
        record_id=record.rec_headers.get_header("WARC-Record-ID") or f"record-{number}",
        url=record.rec_headers.get_header("WARC-Target-URI"),
        crawl_date=record.rec_headers.get_header("WARC-Date"),
    )
    where = head.locator(warc_path)
    media_type, charset = _media_type(record)
    if record.http_headers is not None:
        status = record.http_headers.get_statuscode()
        if status and status != "200":
            return _skip(head, where, f"HTTP status {status}, not a page", _head_bytes(head))
    if media_type not in HTML_TYPES:
        shown = media_type or "no content type"
        return _skip(head, where, f"not HTML ({shown})", _head_bytes(head))
    try:
        # content_stream() undoes chunked transfer and gzip/br content encoding.
        payload = record.content_stream().read(MAX_FILE_BYTES + 1)
    except Exception as err:  # decoders raise zlib.error, brotli.error, ValueError...
        return _skip(head, where, f"payload cannot be read: {_one_line(err)}", _head_bytes(head))
    if len(payload) > MAX_FILE_BYTES:
        return _skip(head, where, f"payload larger than {MAX_FILE_BYTES} bytes", payload[:65536])
    if not payload.strip():
        return _skip(head, where, "empty payload", _head_bytes(head))
    binary = looks_binary(payload)
    if binary is not None:
        # warcio hands back the raw bytes when a Content-Encoding does not
        # decode, so mislabelled or corrupt payloads end up here too.
        return _skip(head, where, f"payload is not text: {binary}", payload[:65536])
    try:
        html = _decode(payload, charset, where)
    except UnsupportedInput as err:
        return _skip(head, where, err.reason, payload[:65536])
    doc_meta: dict[str, Any] = dict(meta or {})
    if head.url:
        # ``meta`` describes the WARC file (a manifest row); the URL is the record's.
        doc_meta["url"] = head.url
    # Imported here: the HTML path lives in the ingest package, which itself
    # routes .warc files to this module.
    from reportedly.ingest import document_from_html

    return Deferred(where, partial(document_from_html, html, where, doc_meta), (partial(_with_crawl_metadata, head),))


def _with_crawl_metadata(head: _Record, doc: Document) -> Document:
    doc.format = _FORMAT
    if head.url and not doc.url:
        doc.url = head.url
    if head.crawl_date:
        doc.extra["crawl_date"] = head.crawl_date
        if doc.ok and not doc.published:
            # The crawl date is the best bound we have: the page existed then.
            doc.published = head.crawl_date[:10]
            origin = doc.extra.setdefault("metadata_from", {})
            origin["published"] = "crawl_date"
    doc.extra.setdefault("warc_record_id", head.record_id)
    return doc


def _media_type(record: ArcWarcRecord) -> tuple[str | None, str | None]:
    """The payload's media type and declared charset, lower-cased."""
    if record.http_headers is not None:
        value = record.http_headers.get_header("Content-Type")
    else:
        value = record.rec_headers.get_header("Content-Type")
    if not value:
        return None, None
    parts = [p.strip() for p in value.split(";")]
    media_type = parts[0].lower() or None
    charset = None
    for param in parts[1:]:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val:
            charset = val.strip().strip("\"'").lower()
    return media_type, charset


def _decode(payload: bytes, charset: str | None, where: str) -> str:
    """Bytes to text: the declared charset if it decodes, else ingest's detection.

    Raises :class:`UnsupportedInput` (from :func:`decode_bytes`) when no
    encoding fits.
    """
    if charset:
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass  # mislabelled pages are common in crawls; fall back to detection
    return decode_bytes(payload, where).text


def _head_bytes(head: _Record) -> bytes:
    return f"{head.record_id} {head.url}".encode()


def _skip(head: _Record, where: str, reason: str, raw: bytes) -> Document:
    doc = _problem(where, reason, "skipped", raw)
    doc.url = head.url
    if head.crawl_date:
        doc.extra["crawl_date"] = head.crawl_date
    doc.extra["warc_record_id"] = head.record_id
    return doc


def _problem(where: str, reason: str, status: str, raw: bytes) -> Document:
    return Document(
        id=raw_id(raw),
        path=where,
        format=_FORMAT,
        status="failed" if status == "failed" else "skipped",
        reason=reason,
    )


def _broken(warc_path: str, seen: int, why: str) -> Document:
    reason = f"WARC framing broken after {seen} records, rest of file not read: {why}"
    return _problem(f"{warc_path}#after-{seen}", reason, "failed", f"{warc_path}:{seen}".encode())


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    return f"{type(err).__name__}: {text}"[:200]


@dataclass(frozen=True, slots=True)
class WarcPage:
    """One HTTP response to write into a WARC (see :func:`write_warc`)."""

    url: str
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: str = "200 OK"
    #: ISO 8601 UTC, e.g. "2026-11-23T12:00:00Z"; None means now.
    crawl_date: str | None = None
    extra_headers: tuple[tuple[str, str], ...] = ()


def write_warc(path: str | Path, pages: Iterable[WarcPage], gzip: bool | None = None) -> int:
    """Write ``pages`` as WARC response records (each with its request record).

    For packing saved pages into a crawl-shaped input (tests, benchmarks, or
    feeding a folder of articles to the Spark job as a few large files).
    ``gzip`` defaults to the ``.gz`` suffix of ``path``. Returns pages written.
    """
    compress = str(path).lower().endswith(".gz") if gzip is None else gzip
    written = 0
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=compress)
        for page in pages:
            headers = [("Content-Type", page.content_type), *page.extra_headers]
            http = StatusAndHeaders(page.status, headers, protocol="HTTP/1.1")
            warc_headers = {"WARC-Date": page.crawl_date} if page.crawl_date else None
            response = writer.create_warc_record(
                page.url,
                "response",
                payload=io.BytesIO(page.body),
                http_headers=http,
                warc_headers_dict=warc_headers,
            )
            request = writer.create_warc_record(
                page.url,
                "request",
                payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders(f"GET {page.url} HTTP/1.1", [], is_http_request=True),
            )
            writer.write_request_response_pair(request, response)
            written += 1
    return written

