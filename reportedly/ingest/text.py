"""Scraped article text: remove page debris, keep what is metadata.

Scraped text (copied from a page, or the output of a main-text extractor)
carries lines that are not the article: widgets ("Font Size:", share bars),
tag lists, comment forms, spam notices, "likes", photo credits and captions,
newsletter and cookie prompts. It also carries metadata written as lines: the
headline, bylines, publication stamps, datelines and repost credits.
:func:`clean_text` works line by line with general rules from
``reportedly/data/ingest_*.txt`` and returns the article body together with
that metadata. The body is what claim offsets point into, so it is final
once returned: nothing may change it after the document id is computed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from reportedly.ingest.credits import (
    Credit,
    is_person_name,
    is_place_name,
    parse_byline,
    parse_repost_line,
    parse_trailer,
)
from reportedly.ingest.stamps import absolute_date, is_stamp, split_dateline
from reportedly.ingest.vocab import CleaningRules, default_rules

__all__ = ["CleanedText", "clean_text", "is_headline_like", "normalise_whitespace"]

# Unicode spaces and invisible characters that scrapers leave behind; they
# confuse tokenisers, and content_id ignores whitespace differences anyway.
_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_MULTISPACE = re.compile(r" {2,}")
_TRAILING_HASHTAGS = re.compile(r"(?:\s+#[\w-]+)+\s*$")
# Captions: a sentence followed by an agency credit ("... defeat. AFP photo")
# or ending in "(Photo: X)". Prose never ends that way.
_CAPTION = re.compile(
    r".{10,400}?[.!?\"”’)]\s+(?:[A-Z][\w&.'’-]*\s+){1,3}(?i:photos?|photograph|file photo|pictures?|images?)"
    r"(?:\s*/\s*[\w .'’-]+)?\.?"
    r"|.{10,400}?\((?i:photos?|images?|pictures?)\s*(?i:by|:|credit:?)\s*[^)]{1,60}\)\.?"
)
_SENTENCE_END = re.compile(r"[.,;:]$")
#: Share of long words capitalised above which a line ending in "." is a headline.
_TITLE_CASE_SHARE = 0.6
#: Longest first line ending in "." that is still taken for a headline (leads run longer).
_MAX_SENTENCE_HEADLINE_WORDS = 14
#: Lines at the start of the body in which a dateline is looked for.
_DATELINE_WINDOW = 2


@dataclass(slots=True)
class CleanedText:
    """The article body and the metadata found in the scraped lines."""

    text: str
    title: str | None = None
    author: str | None = None
    dateline: str | None = None
    published_text: str | None = None
    published: str | None = None
    original_publisher: str | None = None
    repost: bool = False
    removed: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def normalise_whitespace(raw: str) -> list[str]:
    """Lines of ``raw`` with unified line ends, plain spaces and no invisible characters."""
    raw = _INVISIBLE.sub("", raw.replace("\r\n", "\n").replace("\r", "\n"))
    return [_MULTISPACE.sub(" ", _SPACES.sub(" ", line)).strip() for line in raw.split("\n")]


def is_headline_like(line: str, max_words: int = 30) -> bool:
    """A short line that does not end like a sentence fragment ("Leader killed?" is fine)."""
    words = line.split()
    if not words or len(words) > max_words or len(line) > 250:
        return False
    first = line[0]
    return (first.isupper() or first.isdigit() or first in "\"“‘'") and not _SENTENCE_END.search(line)


class _Lines:
    """Lines being cleaned: each is kept, replaced, or removed with a note."""

    def __init__(self, lines: list[str]) -> None:
        self.lines: list[str | None] = list(lines)
        self.removed: list[str] = []

    def drop(self, i: int, note: bool = True) -> None:
        line = self.lines[i]
        if line and note:
            self.removed.append(line)
        self.lines[i] = None

    def live(self) -> list[int]:
        """Indices of lines still kept that hold text."""
        return [i for i, line in enumerate(self.lines) if line]

    def text(self) -> str:
        out: list[str] = []
        for line in self.lines:
            if line is None:
                continue
            if line == "":
                if out and out[-1] != "":
                    out.append("")
            else:
                out.append(line)
        while out and out[-1] == "":
            out.pop()
        return "\n".join(out)


def _apply_credit(result: CleanedText, credit: Credit, as_original: bool) -> None:
    if credit.outlets and result.original_publisher is None:
        result.original_publisher = credit.outlets[0]
    if credit.authors:
        if as_original:
            result.extra.setdefault("original_author", ", ".join(credit.authors))
        elif result.author is None:
            result.author = ", ".join(credit.authors)
    if credit.repost:
        result.repost = True
    if credit.via:
        result.extra.setdefault("via", credit.via)


def _cut_trailing_section(lines: _Lines, rules: CleaningRules) -> None:
    live = lines.live()
    for rank, i in enumerate(live):
        if rank * 2 >= len(live) and rules.is_cut_marker(lines.lines[i] or ""):
            for j in range(i, len(lines.lines)):
                lines.drop(j)
            return


def _is_title_case_sentence(line: str) -> bool:
    """A Title Case line ending in one full stop: a headline some corpora end with "."."""
    if not line.endswith(".") or line.endswith("..") or len(line.split()) > 25:
        return False
    long_words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line)[1:] if len(w) >= 4]
    capitalised = sum(1 for w in long_words if w[0].isupper())
    return len(long_words) >= 2 and capitalised / len(long_words) >= _TITLE_CASE_SHARE


def _is_short_sentence(line: str) -> bool:
    """One short sentence standing alone on the first line: a headline ended with "." or ";"."""
    return (
        line.endswith((".", ";"))
        and not line.endswith("..")
        and len(line.split()) <= _MAX_SENTENCE_HEADLINE_WORDS
        and re.search(r"[.!?]\s+[A-Z]", line) is None
    )


def _same_heading(a: str, b: str) -> bool:
    def key(s: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", s.casefold()).split())

    ka, kb = key(a), key(b)
    return bool(ka) and (ka == kb or kb.startswith(ka) or ka.startswith(kb))


def _take_title(lines: _Lines, rules: CleaningRules, result: CleanedText, known: str | None) -> None:
    live = lines.live()
    if len(live) < 2:
        return
    first = lines.lines[live[0]] or ""
    if known is not None:
        # The title is known already (HTML metadata, a record field); an
        # extractor often repeats it as the first line of the text.
        if is_headline_like(first) and _same_heading(first, known):
            lines.drop(live[0], note=False)
        return
    candidate = _TRAILING_HASHTAGS.sub("", first).strip()
    followed_by_blank = live[0] + 1 < len(lines.lines) and lines.lines[live[0] + 1] == ""
    short = _is_short_sentence(candidate)
    headline = (
        is_headline_like(candidate)
        # a paragraph never ends in ";", a headline with a subtitle may
        or (short and candidate.endswith(";"))
        or (followed_by_blank and _is_title_case_sentence(candidate))
        or (followed_by_blank and short and len(live) >= 3)
    )
    if candidate and headline and not rules.is_debris(candidate):
        result.title = candidate
        lines.drop(live[0], note=False)


def _scan_body(lines: _Lines, rules: CleaningRules, result: CleanedText) -> None:
    body_started = False
    since_start = 0  # body lines since the body (or a reposted article) began
    last_body: int | None = None
    for i, line in enumerate(lines.lines):
        if not line:
            continue
        if rules.is_debris(line) or _CAPTION.fullmatch(line):
            lines.drop(i)
            continue
        if is_stamp(line):
            if result.published_text is None:
                result.published_text = line
                result.published = absolute_date(line)
            lines.drop(i, note=False)
            continue
        byline = parse_byline(line, rules)
        if byline is not None:
            if body_started:
                # A byline after body text opens a re-posted article; the
                # headline-like line just before it is that article's title.
                result.repost = True
                if last_body is not None and is_headline_like(lines.lines[last_body] or ""):
                    result.extra.setdefault("repost_title", lines.lines[last_body])
                    lines.drop(last_body, note=False)
                since_start = 0
            _apply_credit(result, byline, as_original=body_started)
            lines.drop(i, note=False)
            continue
        if result.dateline is None and since_start < _DATELINE_WINDOW:
            dateline = split_dateline(line)
            if dateline is not None:
                result.dateline = dateline.place
                if dateline.credit:
                    # "WASHINGTON (Reuters) -" names the wire, which is usually
                    # the publisher itself under another spelling; calling it
                    # a repost would mislabel most wire copy, so it is kept aside.
                    result.extra["dateline_credit"] = dateline.credit
                line = line[dateline.length :]
                lines.lines[i] = line
        body_started = True
        since_start += 1
        last_body = i


def _take_trailer(lines: _Lines, rules: CleaningRules, result: CleanedText) -> None:
    """Credits after the last paragraph: "via X", "Reporting by X", a lone author name."""
    for i in reversed(lines.live()):
        line = lines.lines[i] or ""
        repost = parse_repost_line(line, rules)
        if repost is not None:
            _apply_credit(result, repost, as_original=False)
        elif (trailer := parse_trailer(line, rules)) is not None:
            _apply_credit(result, trailer, as_original=False)
        elif len(line) <= 60 and is_person_name(name := line.lstrip("—–- ")) and not is_place_name(name):
            if result.author is None:
                result.author = name
        else:
            return
        lines.drop(i, note=False)


def clean_text(
    raw: str,
    *,
    detect_title: bool = True,
    known_title: str | None = None,
    rules: CleaningRules | None = None,
) -> CleanedText:
    """Split scraped text into the cleaned article body and its metadata.

    ``detect_title`` takes a headline-like first line as the title.
    ``known_title`` is a title found elsewhere (HTML metadata, a record
    field): a first line repeating it is dropped from the text and no title
    is detected. ``rules`` defaults to the packaged vocabularies in
    ``reportedly/data/ingest_*.txt``.
    """
    rules = rules or default_rules()
    lines = _Lines(normalise_whitespace(raw))
    result = CleanedText(text="")
    _cut_trailing_section(lines, rules)
    if detect_title or known_title is not None:
        _take_title(lines, rules, result, known_title)
    _scan_body(lines, rules, result)
    _take_trailer(lines, rules, result)
    result.text = lines.text()
    result.removed = lines.removed
    return result
