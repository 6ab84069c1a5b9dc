"""Metadata given beside the articles: a manifest file and ``NAME.meta.json`` sidecars.

A manifest is a JSON object keyed by file name (``{"a.txt": {"published":
"2017-07-20"}}``), a JSON list of objects, or a CSV file, each row naming
its file in a ``file``, ``path`` or ``name`` column. A key is matched against
the file's path relative to the manifest's folder, the path as given, or its
bare file name. ``file.jsonl#3`` keys address one record of a records file.

Precedence (highest first): manifest, sidecar, metadata in the file itself,
``--published`` default. A sidecar ``a.txt.meta.json`` (or ``a.meta.json``)
is a JSON object with the same fields.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportedly.errors import IngestError
from reportedly.ingest.stamps import normalise_date

__all__ = ["META_FIELDS", "SIDECAR_SUFFIX", "Manifest", "clean_meta", "read_sidecar", "sidecar_paths"]

#: Document fields that a manifest or sidecar may set.
META_FIELDS: tuple[str, ...] = ("published", "publisher", "url", "author", "title", "original_publisher")
SIDECAR_SUFFIX = ".meta.json"
_KEY_COLUMNS = ("file", "path", "name", "filename")


def clean_meta(row: Mapping[str, Any]) -> dict[str, Any]:
    """Known fields of ``row`` with empty cells dropped and ``published`` as an ISO date."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        name = str(key).strip().casefold()
        if name not in META_FIELDS or value is None or str(value).strip() == "":
            continue
        out[name] = str(value).strip()
    if "published" in out:
        # An unparseable date is kept as written rather than silently lost.
        out["published"] = normalise_date(out["published"]) or out["published"]
    return out


@dataclass(slots=True)
class Manifest:
    """File-keyed metadata, looked up by :meth:`lookup`."""

    path: Path | None = None
    by_path: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_name: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path) -> "Manifest":
        """Read a JSON or CSV manifest; raises :class:`IngestError` when it cannot be read."""
        path = Path(path)
        try:
            raw = path.read_text(encoding="utf-8-sig")
        except OSError as err:
            raise IngestError(str(path), f"cannot read manifest: {err.strerror or err}") from err
        if path.suffix.casefold() == ".csv":
            rows = list(csv.DictReader(raw.splitlines()))
            return cls.from_rows(rows, base=path.parent, path=path)
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as err:
            raise IngestError(str(path), f"manifest is not valid JSON: {err.msg} at line {err.lineno}") from err
        if isinstance(data, dict):
            return cls.from_mapping(data, base=path.parent, path=path)
        if isinstance(data, list):
            return cls.from_rows(data, base=path.parent, path=path)
        raise IngestError(str(path), "manifest must be a JSON object keyed by file name, or a list")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Mapping[str, Any]], base: Path = Path("."), path: Path | None = None) -> "Manifest":
        manifest = cls(path=path.resolve() if path else None)
        for key, row in data.items():
            if isinstance(row, Mapping):
                manifest.add(str(key), row, base)
        return manifest

    @classmethod
    def from_rows(cls, rows: list[Any], base: Path = Path("."), path: Path | None = None) -> "Manifest":
        manifest = cls(path=path.resolve() if path else None)
        for row in rows:
            if not isinstance(row, Mapping):
                continue
            lowered = {str(k).strip().casefold(): v for k, v in row.items() if k is not None}
            key = next((lowered[c] for c in _KEY_COLUMNS if lowered.get(c)), None)
            if key:
                manifest.add(str(key).strip(), lowered, base)
        return manifest

    def add(self, key: str, row: Mapping[str, Any], base: Path) -> None:
        meta = clean_meta(row)
        file_part, _, record = key.partition("#")
        suffix = f"#{record}" if record else ""
        self.by_path[str((base / file_part).resolve()) + suffix] = meta
        self.by_path.setdefault(str(Path(file_part).resolve()) + suffix, meta)
        self.by_name.setdefault(Path(file_part).name + suffix, []).append(meta)

    def lookup(self, path: str | Path, record: int | None = None) -> dict[str, Any]:
        """Metadata for ``path`` (or one of its records); empty when not listed.

        A bare file name only matches when exactly one entry has that name.
        """
        suffix = f"#{record}" if record is not None else ""
        resolved = str(Path(path).resolve()) + suffix
        if resolved in self.by_path:
            return dict(self.by_path[resolved])
        named = self.by_name.get(Path(path).name + suffix, [])
        return dict(named[0]) if len(named) == 1 else {}

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_name.values())


def sidecar_paths(path: Path) -> tuple[Path, Path]:
    """Where a sidecar for ``path`` may live: ``a.txt.meta.json``, then ``a.meta.json``."""
    return path.with_name(path.name + SIDECAR_SUFFIX), path.with_name(path.stem + SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> tuple[dict[str, Any], str | None]:
    """The sidecar metadata of ``path`` and a note when a sidecar exists but cannot be used."""
    for candidate in sidecar_paths(path):
        if not candidate.is_file():
            continue
        try:
            data = json.loads(candidate.read_text(encoding="utf-8-sig"))
        except (OSError, json.JSONDecodeError) as err:
            return {}, f"sidecar {candidate.name} ignored: {type(err).__name__}"
        if not isinstance(data, dict):
            return {}, f"sidecar {candidate.name} ignored: not a JSON object"
        return clean_meta(data), None
    return {}, None
