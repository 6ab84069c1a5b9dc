"""Records files: ``.jsonl``, ``.json`` and ``.csv`` with one article per record.

Each record needs a text field (``text``, ``body``, ``articleBody``,
``content``, ...) and may carry ``title``, ``url``, ``published``,
``publisher`` and ``author`` under common names. ``.jsonl`` and ``.csv`` are
streamed record by record, so they may be of any size; a ``.json`` file is
parsed whole and so obeys the file size limit. Any of them may be
gzip-compressed (``feed.jsonl.gz``).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportedly.errors import IngestError, UnsupportedInput
from reportedly.ingest.sniff import decode_bytes, inner_name, open_binary, read_limited
from reportedly.settings import MAX_FILE_BYTES

__all__ = ["FIELD_ALIASES", "RECORD_SUFFIXES", "Record", "iter_records", "record_fields"]

RECORD_SUFFIXES: tuple[str, ...] = (".jsonl", ".ndjson", ".json", ".csv")
#: Field names accepted for each Document field, first match wins (case-insensitive).
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "articlebody", "article_body", "content", "article", "story", "maintext"),
    "title": ("title", "headline", "name"),
    "url": ("url", "link", "uri", "source_url"),
    "published": ("published", "date", "published_at", "publication_date", "datepublished", "pubdate", "date_publish"),
    "publisher": ("publisher", "source", "site", "sitename", "site_name", "outlet", "source_domain"),
    "author": ("author", "authors", "byline", "creator"),
}
#: JSON keys under which a .json file may hold its list of records.
_LIST_KEYS = ("articles", "records", "items", "data", "documents", "docs", "results")
_SAMPLE_BYTES = 65536


@dataclass(frozen=True, slots=True)
class Record:
    """One record (1-based ``number``), or the error that stopped it from being read."""

    number: int
    data: Mapping[str, Any] | None = None
    error: str | None = None


def record_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """The Document fields of a record, found under any alias; lists of authors are joined."""
    lowered = {str(k).casefold(): v for k, v in data.items()}
    out: dict[str, Any] = {}
    for field, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            value = lowered.get(alias)
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value if v)
            if isinstance(value, Mapping):  # schema.org style {"name": ...}
                value = value.get("name")
            if value is not None and str(value).strip():
                out[field] = str(value).strip() if field != "text" else str(value)
                break
    return out


def _text_stream(path: Path) -> io.TextIOBase:
    """Open ``path`` as text in the encoding its first bytes show (UTF-8 unless they say otherwise)."""
    with open_binary(path) as handle:
        sample = handle.read(_SAMPLE_BYTES)
    encoding = decode_bytes(sample, str(path)).encoding if sample.strip() else "utf-8"
    encoding = "utf-8-sig" if encoding == "utf-8" else encoding
    return io.TextIOWrapper(open_binary(path), encoding=encoding, errors="replace", newline="")


def _iter_jsonl(path: Path) -> Iterator[Record]:
    with _text_stream(path) as handle:
        number = 0
        for line in handle:
            if not line.strip():
                continue
            number += 1
            if len(line) > MAX_FILE_BYTES:
                yield Record(number, error=f"record too large ({len(line)} characters)")
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as err:
                yield Record(number, error=f"invalid JSON: {err.msg} at column {err.colno}")
                continue
            if isinstance(data, Mapping):
                yield Record(number, data)
            else:
                yield Record(number, error=f"record is a JSON {type(data).__name__}, not an object")


def _iter_json(path: Path) -> Iterator[Record]:
    text = decode_bytes(read_limited(path), str(path)).text
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise IngestError(str(path), f"invalid JSON: {err.msg} at line {err.lineno}") from err
    if isinstance(data, Mapping):
        nested = next((data[k] for k in _LIST_KEYS if isinstance(data.get(k), list)), None)
        data = nested if nested is not None else [data]
    if not isinstance(data, list):
        raise IngestError(str(path), "JSON holds neither an object nor a list of records")
    for number, item in enumerate(data, start=1):
        if isinstance(item, Mapping):
            yield Record(number, item)
        else:
            yield Record(number, error=f"record is a JSON {type(item).__name__}, not an object")


def _iter_csv(path: Path) -> Iterator[Record]:
    # Article bodies easily exceed csv's default 128 KiB field limit.
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with _text_stream(path) as handle:
        try:
            reader = csv.DictReader(handle)
            columns = [c.casefold() for c in reader.fieldnames or []]
            if not set(columns) & set(FIELD_ALIASES["text"]):
                # One reason for the whole file, not one per row: most often this
                # is a manifest (file,published,...) found inside an input folder.
                raise UnsupportedInput(
                    str(path),
                    f"CSV has no text column (columns: {', '.join(columns) or 'none'}); "
                    "pass a manifest with --manifest",
                )
            for number, row in enumerate(reader, start=1):
                yield Record(number, {k: v for k, v in row.items() if k is not None})
        except csv.Error as err:
            raise IngestError(str(path), f"broken CSV: {err}") from err


def iter_records(path: Path) -> Iterator[Record]:
    """Records of a records file; raises :class:`IngestError` when the file as a whole is unreadable."""
    if path.stat().st_size == 0:
        raise UnsupportedInput(str(path), "empty file")
    suffix = Path(inner_name(path)).suffix
    if suffix in (".jsonl", ".ndjson"):
        yield from _iter_jsonl(path)
    elif suffix == ".json":
        yield from _iter_json(path)
    elif suffix == ".csv":
        yield from _iter_csv(path)
    else:
        raise UnsupportedInput(str(path), f"not a records file: {suffix}")
