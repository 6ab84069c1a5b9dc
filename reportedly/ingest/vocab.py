"""The cleaning vocabularies, read from ``reportedly/data/ingest_*.txt``.

Rules live in data files so users can extend them without touching code.
:class:`CleaningRules` holds them compiled; :func:`default_rules` reads the
packaged files once (they are immutable, so sharing one copy is safe).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

__all__ = ["CleaningRules", "default_rules", "read_lines"]

#: Scraped lines longer than this are prose, never debris.
MAX_DEBRIS_CHARS = 200


def read_lines(name: str, folder: Path | None = None) -> list[str]:
    """Non-blank, non-comment lines of a data file (packaged unless ``folder`` is given)."""
    if folder is not None:
        raw = (folder / name).read_text(encoding="utf-8")
    else:
        raw = resources.files("reportedly.data").joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in raw.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _compile(patterns: list[str]) -> re.Pattern[str]:
    # One alternation, each rule wrapped so its own "|" stays local.
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class CleaningRules:
    """Compiled debris rules and the outlet names that tell publishers from people."""

    debris: re.Pattern[str]
    cut_markers: re.Pattern[str]
    outlets: frozenset[str]

    @classmethod
    def load(cls, folder: Path | None = None) -> "CleaningRules":
        """Read ``ingest_debris.txt``, ``ingest_cut_markers.txt`` and ``ingest_outlets.txt``."""
        outlets = frozenset(_outlet_key(n) for n in read_lines("ingest_outlets.txt", folder))
        return cls(
            debris=_compile(read_lines("ingest_debris.txt", folder)),
            cut_markers=_compile(read_lines("ingest_cut_markers.txt", folder)),
            outlets=outlets,
        )

    def is_debris(self, line: str) -> bool:
        return len(line) <= MAX_DEBRIS_CHARS and self.debris.fullmatch(line) is not None

    def is_cut_marker(self, line: str) -> bool:
        return len(line) <= MAX_DEBRIS_CHARS and self.cut_markers.fullmatch(line) is not None

    def is_listed_outlet(self, name: str) -> bool:
        return _outlet_key(name) in self.outlets


def _outlet_key(name: str) -> str:
    key = " ".join(name.casefold().split())
    return key[4:] if key.startswith("the ") else key


@cache
def default_rules() -> CleaningRules:
    """The packaged rules, read once per process."""
    return CleaningRules.load()
