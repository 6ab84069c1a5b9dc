"""Publication stamps ("yesterday at 09:51", "Published July 20, 2017") and
datelines ("ERBIL, Kurdistan Region—").

A stamp line holds nothing but date and time words; it is metadata, so it
leaves the text and its wording is kept in ``extra["published_text"]``.
Relative stamps cannot be resolved without knowing when the page was
scraped, so only stamps naming a year become ``published``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import dateparser

__all__ = ["Dateline", "absolute_date", "is_stamp", "normalise_date", "split_dateline"]

_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
_DAYS = "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun".split()
_RELATIVE = (
    "yesterday today now just ago last this earlier second seconds minute minutes min mins "
    "hour hours hr hrs day days week weeks month months"
).split()
_FILLER = "published posted updated last on at date time am pm a.m. p.m. utc gmt est edt et pt pst pdt bst cet cest ist of".split()
_ALLOWED = frozenset(_MONTHS + _DAYS + _RELATIVE + _FILLER)
_NUMERIC = re.compile(r"\d{1,4}(?:st|nd|rd|th)?|\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:am|pm)?|\d{1,4}([/.-])\d{1,2}\1\d{1,4}")
_TOKEN = re.compile(r"[\w.:/-]+")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_RELATIVE_WORDS = frozenset(_RELATIVE) - {"last", "this", "earlier", "now"}

# "ERBIL, Kurdistan Region—", "WASHINGTON (Reuters) -", "BEIRUT, Lebanon (AP) —".
# The place starts with a word of 3+ capitals so "ISIS—" or "US -" sentences stay.
_DATELINE = re.compile(
    r"(?P<place>(?=[A-Z.'’ -]*[A-Z]{3})[A-Z][A-Z.'’ -]{1,40}?(?:,\s*[A-Z][\w.'’ -]{1,40}?)?)\s*"
    r"(?:\((?P<credit>[^)]{1,40})\))?\s*(?:—|–|--|\s-\s)\s*(?=[A-Z\"“‘'0-9])"
)


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline found at the start of a paragraph: place, optional wire credit, and its length."""

    place: str
    credit: str | None
    length: int


def is_stamp(line: str) -> bool:
    """True when a short line is only a date/time stamp."""
    if len(line) > 80:
        return False
    tokens = _TOKEN.findall(line.casefold())
    if not tokens or len(tokens) > 12:
        return False
    has_time = False
    for tok in tokens:
        tok = tok.strip(".:-/")
        if not tok:
            continue
        if _NUMERIC.fullmatch(tok):
            has_time = True
        elif tok in _ALLOWED:
            has_time = has_time or tok in _RELATIVE_WORDS or tok in _MONTHS or tok in _DAYS
        else:
            return False
    # Leftover characters other than punctuation mean the line says more than a date.
    rest = _TOKEN.sub("", line)
    return has_time and re.fullmatch(r"[\s,|·•()–—-]*", rest) is not None


def absolute_date(stamp: str) -> str | None:
    """ISO date of a stamp that names a year ("July 20, 2017"), else None."""
    if _YEAR.search(stamp) is None:
        return None
    cleaned = re.sub(r"(?i)\b(published|posted|updated|last|on|at|date)\b:?", " ", stamp)
    cleaned = re.sub(r"[|·•]", " ", cleaned)
    parsed = dateparser.parse(cleaned, languages=["en"], settings={"REQUIRE_PARTS": ["day", "month", "year"]})
    return parsed.date().isoformat() if parsed else None


def normalise_date(value: object) -> str | None:
    """ISO date (or datetime, when it has a time of day) of a metadata value; None if unparseable."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = dateparser.parse(text, languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"})
        if parsed is None:
            return None
    if len(text) <= 10 or parsed.time() == datetime.min.time():
        return parsed.date().isoformat()
    return parsed.isoformat()


def split_dateline(paragraph: str) -> Dateline | None:
    """The dateline that opens ``paragraph``, if any."""
    match = _DATELINE.match(paragraph)
    if match is None:
        return None
    place = match["place"].strip(" ,")
    if len(place.split()) > 6:
        return None
    credit = match["credit"].strip() if match["credit"] else None
    return Dateline(place=place, credit=credit, length=match.end())
