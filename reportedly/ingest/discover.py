"""Paths, folders and globs in; the files to read out, in a stable order.

Folders are walked recursively (sorted, so runs are reproducible), skipping
hidden files and folders, ``*.meta.json`` sidecars and the manifest itself.
Every other file is offered to the loader, which reports what it cannot read
(a stray PDF in a folder gets a one-line reason rather than vanishing). A
path or glob that matches nothing is yielded as given, so the loader reports
it too.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from reportedly.ingest.manifest import SIDECAR_SUFFIX

__all__ = ["is_sidecar", "iter_files"]

_GLOB_CHARS = frozenset("*?[")


def is_sidecar(path: Path) -> bool:
    return path.name.casefold().endswith(SIDECAR_SUFFIX)


def _walk(folder: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def iter_files(paths: Sequence[str | Path], exclude: Iterable[str | Path] = ()) -> Iterator[Path]:
    """Files named by ``paths``, each once, minus ``exclude`` (e.g. the manifest) and sidecars."""
    skip = {Path(p).resolve() for p in exclude}
    seen: set[Path] = set()

    def wanted(path: Path) -> bool:
        resolved = path.resolve()
        if resolved in seen or resolved in skip or is_sidecar(path):
            return False
        seen.add(resolved)
        return True

    for given in paths:
        text = str(given)
        if any(c in text for c in _GLOB_CHARS) and not Path(text).exists():
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                yield Path(text)
            for match in matches:
                path = Path(match)
                if path.is_dir():
                    yield from (p for p in _walk(path) if wanted(p))
                elif wanted(path):
                    yield path
            continue
        path = Path(text)
        if path.is_dir():
            yield from (p for p in _walk(path) if wanted(p))
        elif wanted(path) or not path.exists():
            yield path
