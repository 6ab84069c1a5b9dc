"""Units written next to a figure: "mph", "per cent", "km/h", "$", "US$", "RM".

The tables come from quantulum3 (its English unit surfaces and symbols, a
well-kept list of about two thousand entries), exported once into
``reportedly/data/units_quantulum.json`` by ``python -m reportedly.extract.quant_units_export``
(loading quantulum3's own tables takes seconds: it pluralises every surface
with ``inflect``), plus ``reportedly/data/units_extra.json`` for what news
writes and quantulum3 lacks ("per cent", "bhp", "sen", "year-old", currency
prefixes such as "HK$"). Everything is compiled into a few regular
expressions once at import, so matching a unit after a figure is one
``re.match`` at a known position.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportedly.extract.numbers import DATA_DIR, NUMBER_WORDS

__all__ = [
    "UNITS_EXTRA",
    "UnitMatch",
    "match_currency_prefix",
    "match_currency_suffix",
    "match_unit",
    "normalise_unit_name",
    "with_denominator",
]

UNITS_EXTRA: dict[str, Any] = json.loads((DATA_DIR / "units_extra.json").read_text("utf-8"))
_RENAME: dict[str, str] = UNITS_EXTRA["rename"]
_PREFER: dict[str, str] = UNITS_EXTRA["prefer"]
_BLOCKED: set[str] = set(UNITS_EXTRA["blocked"])
_ATTACHED_ONLY: set[str] = set(UNITS_EXTRA["attached_only"])


@dataclass(slots=True, frozen=True)
class UnitMatch:
    """A unit found in the text: its normalised ``name`` and where it is."""

    name: str
    surface: str
    start: int
    end: int


def normalise_unit_name(name: str) -> str:
    """quantulum3's unit name as reportedly stores it ("degree Celsius" -> "celsius")."""
    return _RENAME.get(name, name)


def _pick(surface: str, names: set[str]) -> str | None:
    if surface in _PREFER:
        return _PREFER[surface]
    if len(names) == 1:
        return normalise_unit_name(next(iter(names)))
    return None  # ambiguous and no preference: leave it to the parse


QUANTULUM_TABLES = DATA_DIR / "units_quantulum.json"


def _build_tables() -> tuple[dict[str, str], dict[str, str]]:
    tables = json.loads(QUANTULUM_TABLES.read_text("utf-8"))
    words: dict[str, str] = {}
    symbols: dict[str, str] = {}
    for surface, names in tables["surfaces"].items():
        if surface in _BLOCKED or len(surface) < 2:
            continue
        name = _pick(surface, set(names))
        if name:
            words[surface.lower()] = name
    for symbol, names in tables["symbols"].items():
        if symbol in _BLOCKED or not symbol.strip():
            continue
        name = _pick(symbol, set(names))
        if name:
            symbols[symbol] = name
    words.update({k.lower(): v for k, v in UNITS_EXTRA["words"].items()})
    symbols.update(UNITS_EXTRA["symbols"])
    return words, symbols


_WORDS, _SYMBOLS = _build_tables()


def _alternation(keys: list[str]) -> str:
    return "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(keys, key=len, reverse=True))


# A unit ends where a word ends; "%" and symbols ending in punctuation need no boundary.
_END = r"(?![A-Za-z0-9])"
_WORD_RE = re.compile(r"(?i:" + _alternation(list(_WORDS)) + r")" + _END)


def _words_by_first_char() -> dict[str, re.Pattern[str]]:
    """``_WORD_RE`` cut into one expression per ASCII character a unit can start on.

    ``re`` tries the alternatives of one long alternation one after another at
    each attempt (1,300 unit words: tens of microseconds per figure). Each
    part keeps the words, in the same order, whose first character matches
    that character ignoring case, plus every word starting outside ASCII, so
    it finds what ``_WORD_RE`` finds at a position holding that character.
    """
    out: dict[str, re.Pattern[str]] = {}
    for code in range(128):
        ch = chr(code).lower()
        if ch in out:
            continue
        keys = [k for k in _WORDS if not k[0].isascii() or k[0].lower() == ch]
        if keys:
            out[ch] = re.compile(r"(?i:" + _alternation(keys) + r")" + _END)
    return out


_WORD_BY_FIRST = _words_by_first_char()


def _match_word(text: str, pos: int) -> re.Match[str] | None:
    """``_WORD_RE.match(text, pos)``, through the part for the character at ``pos``."""
    ch = text[pos : pos + 1]
    if not ch.isascii():
        return _WORD_RE.match(text, pos)  # "K" (kelvin sign) or "ſ" match ASCII letters ignoring case
    part = _WORD_BY_FIRST.get(ch.lower())
    return part.match(text, pos) if part is not None else None
_SYM_RE = re.compile(r"(?:" + _alternation(list(_SYMBOLS)) + r")" + r"(?![A-Za-z])")
#: "per barrel", "a month", "an ounce", "/h" ("an" before "a", whole words: "$1,290 an ounce")
_PER_RE = re.compile(r"\s?(?:(?:per|an|a|each|every)(?![A-Za-z])|/)\s?(?=[A-Za-z])", re.I)
_PER_WORD_RE = re.compile(r"[A-Za-z][A-Za-z\-]*")
_CUR_PREFIXES: dict[str, str] = UNITS_EXTRA["currency_prefixes"]
_CUR_PREFIX_RE = re.compile(
    r"(?<![A-Za-z0-9])(?P<cur>" + _alternation(list(_CUR_PREFIXES)).replace(r"\ ", r"\s?") + r")\s?$"
)
_CUR_SUFFIX: dict[str, str] = UNITS_EXTRA["currency_suffix_codes"]
_CUR_SUFFIX_RE = re.compile(r"\s?(?P<code>" + "|".join(_CUR_SUFFIX) + r")\b")
_SPACE_RE = re.compile(r"\s+")


def _lookup(text: str, pos: int, attached: bool) -> UnitMatch | None:
    best: UnitMatch | None = None
    m = _match_word(text, pos)
    if m:
        key = _SPACE_RE.sub(" ", m.group(0).lower())
        best = UnitMatch(_WORDS[key], m.group(0), m.start(), m.end())
    s = _SYM_RE.match(text, pos)
    if s and (best is None or s.end() > best.end):
        sym = s.group(0)
        if (attached or sym not in _ATTACHED_ONLY) and not (sym == "'" and text[s.end() : s.end() + 1] == "'"):
            name = _SYMBOLS.get(sym) or _SYMBOLS.get(_SPACE_RE.sub(" ", sym))
            if name:
                best = UnitMatch(name, sym, s.start(), s.end())
    return best


def match_unit(text: str, pos: int) -> UnitMatch | None:
    """The unit starting at ``pos`` (right after a figure), with an optional
    space or hyphen before it ("87 mph", "6.1-inch", "5kW"), and a compound
    "per X" / "a X" / "/X" after it ("$58.24 per barrel", "$3500 a month").
    """
    attached = pos < len(text) and not text[pos].isspace() and text[pos] != "-"
    start = pos
    if pos < len(text) and text[pos] in " -\u00a0":
        start = pos + 1
    unit = _lookup(text, start, attached)
    if unit is None:
        return None
    return with_denominator(text, unit)


def with_denominator(text: str, unit: UnitMatch, price: bool = False) -> UnitMatch:
    """``unit`` extended by a "per X" / "a month" / "/h" written right after it;
    for a ``price`` also "a gallon", "a share"."""
    per = _PER_RE.match(text, unit.end)
    if not per:
        return unit
    den = _lookup(text, per.end(), True)
    if den is None:
        word = _PER_WORD_RE.match(text, per.end())
        # "per barrel", "per share": a counted thing; "a X" only for durations
        # ("$3,500 a month"), since "5% a year" reads per year but "$5 a piece"
        # is rare and "10 a day" ambiguous.
        if word is None or per.group(0).strip().lower() in ("a", "an"):
            return unit
        w = word.group(0).lower()
        if per.group(0).strip() == "/" or w in ("cent", "percent") or w in NUMBER_WORDS:
            return unit  # "every three months" is a period, not a rate per "three"
        den = UnitMatch(w[:-1] if w.endswith("s") and not w.endswith("ss") else w, word.group(0), word.start(), word.end())
    elif per.group(0).strip().lower() in ("a", "an") and (
        (den.name not in _DURATIONS and not price) or _AGO_RE.match(text, den.end)
    ):
        return unit  # "$6.78 billion a year earlier" is a time, not a rate
    return UnitMatch(f"{unit.name} per {den.name}", text[unit.start : den.end], unit.start, den.end)


_AGO_RE = re.compile(r"\s+(?:earlier|ago|before|later|previously|prior)\b", re.I)
_DURATIONS = {"second", "minute", "hour", "day", "week", "month", "year", "night", "decade", "century"}


def match_currency_prefix(text: str, end: int) -> UnitMatch | None:
    """A currency written before a figure ending at ``end``: "$", "US$", "HK $", "RM", "£"."""
    m = _CUR_PREFIX_RE.search(text, max(0, end - 8), end)
    if not m:
        return None
    cur = _SPACE_RE.sub("", m.group("cur"))
    name = _CUR_PREFIXES.get(cur) or _CUR_PREFIXES.get(m.group("cur"))
    if name is None:
        return None
    return UnitMatch(name, m.group("cur"), m.start("cur"), m.end())


def match_currency_suffix(text: str, pos: int) -> UnitMatch | None:
    """A currency code written after a figure: "108.79 JPY", "20 USD"."""
    m = _CUR_SUFFIX_RE.match(text, pos)
    if not m:
        return None
    return UnitMatch(_CUR_SUFFIX[m.group("code")], m.group("code"), m.start("code"), m.end("code"))
