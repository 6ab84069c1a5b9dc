"""Reading numbers as news writes them: "4,000", "2.5 million", "$5bn",
"three", "twenty-five", "a third", "two-thirds", "thousands".

These are pure string functions (no spaCy), so they are cheap to call per
token and easy to test. The word lists live in
``reportedly/data/quant_lexicon.json`` so users can extend them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "DATA_DIR",
    "LEXICON",
    "MULTIPLIERS",
    "NUMBER_WORDS",
    "ParsedNumber",
    "load_lexicon",
    "parse_digits",
    "parse_fraction",
    "parse_number_words",
    "parse_vague",
]


#: reportedly/data/, where the vocabularies live.
DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def load_lexicon() -> dict[str, Any]:
    """The quantity vocabulary (bounds, change verbs, number words...)."""
    text = (DATA_DIR / "quant_lexicon.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


#: Loaded once at import: an immutable vocabulary, not a cache of results.
LEXICON: dict[str, Any] = load_lexicon()
#: "three" -> 3, "twenty" -> 20, "hundred" -> 100, "million" -> 1e6 ...
NUMBER_WORDS: dict[str, float] = {k: float(v) for k, v in LEXICON["number_words"].items()}
#: Scale words and their abbreviations after a figure ("2.5 million", "5bn", "35m").
MULTIPLIERS: dict[str, float] = {k: float(v) for k, v in LEXICON["multipliers"].items()}
_SCALES = {w for w, v in NUMBER_WORDS.items() if v >= 1000}
_DIGITS_RE = re.compile(r"^[-\u2212\u2013]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$")


@dataclass(slots=True, frozen=True)
class ParsedNumber:
    """A parsed amount: ``low``/``high`` bracket it; ``vague`` for "thousands"."""

    low: float
    high: float | None
    vague: bool = False

    @property
    def value(self) -> float | None:
        return self.low if self.high == self.low and not self.vague else None


def parse_digits(text: str, multiplier: str | None = None) -> float | None:
    """``"4,000"`` -> 4000.0; ``"-1.4"`` -> -1.4; ``("2.5", "million")`` -> 2.5e6.

    Returns None when ``text`` is not a plain decimal number. European
    thousands separators are not guessed: "1.300" stays 1.3.
    """
    t = text.strip().replace("\u2212", "-").replace("\u2013", "-")
    if not t or not _DIGITS_RE.match(t) or not any(c.isdigit() for c in t):
        return None
    value = float(t.replace(",", ""))
    if multiplier:
        scale = MULTIPLIERS.get(multiplier) or MULTIPLIERS.get(multiplier.lower())
        if scale is None:
            return None
        value *= scale
    return value


def parse_number_words(words: list[str]) -> float | None:
    """``["twenty", "five"]`` -> 25; ``["three", "thousand"]`` -> 3000;
    ``["a", "million"]`` -> 1e6; ``["2.5", "million"]`` -> 2.5e6.

    Words may mix digits and number words; "and" and hyphens between them are
    ignored ("one hundred and five", "twenty-five"). Returns None if any word
    is not part of a number.
    """
    parts: list[str] = []
    for w in words:
        parts.extend(p for p in w.lower().replace(",", "").split("-") if p)
    if not parts or all(p in ("a", "an", "and") for p in parts):
        return None
    total = 0.0
    current: float | None = None
    for i, p in enumerate(parts):
        if p in ("a", "an") and i == 0:
            current = 1.0
            continue
        if p == "and" and 0 < i < len(parts) - 1:
            continue
        digits = parse_digits(p)
        if digits is not None:
            current = (current or 0.0) + digits
            continue
        if p not in NUMBER_WORDS:
            return None
        v = NUMBER_WORDS[p]
        if p in ("hundred", "dozen"):
            current = (current or 1.0) * v
        elif p in _SCALES:
            total += (current if current is not None else 1.0) * v
            current = None
        else:
            current = (current or 0.0) + v
    return total + (current or 0.0)


def parse_fraction(words: list[str]) -> float | None:
    """``["a", "third"]`` -> 1/3; ``["two-thirds"]`` -> 2/3; ``["half"]`` -> 0.5;
    ``["one", "fourth"]`` -> 0.25; ``["a", "quarter"]`` -> 0.25."""
    parts: list[str] = []
    for w in words:
        parts.extend(p for p in w.lower().split("-") if p)
    if not parts:
        return None
    denominators: dict[str, float] = LEXICON["fraction_denominators"]
    last = parts[-1]
    if len(parts) == 1 and last in ("half",):
        return 0.5
    if last not in denominators:
        return None
    numerator = 1.0 if parts[:-1] in (["a"], ["an"], []) else parse_number_words(parts[:-1])
    if numerator is None:
        return None
    return numerator / float(denominators[last])


def parse_vague(words: list[str]) -> ParsedNumber | None:
    """``["thousands"]`` -> low 1000, open; ``["tens", "of", "thousands"]`` -> 10,000;
    ``["dozens"]`` -> 12; ``["a", "handful"]`` -> 3. None if not a vague amount."""
    key = " ".join(w.lower() for w in words)
    vague: dict[str, float] = LEXICON["vague_amounts"]
    if key in vague:
        return ParsedNumber(low=float(vague[key]), high=None, vague=True)
    return None
