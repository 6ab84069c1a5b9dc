"""The time a claim refers to, resolved against the publication date.

``find_time(sent, published)`` looks for time expressions in a sentence
(spaCy DATE/TIME entities plus our own patterns for words the NER does not
tag, such as "now" or bare weekday names), picks the one nearest the claim,
and resolves it to an inclusive ISO date interval.

Relative expressions are resolved by explicit rules because dateparser does
not handle them (seasons, "earlier this month", "the past two weeks") or
resolves them to a single day where news means a period ("last week" is the
previous Monday-Sunday, "three years ago" the whole year 2014). Absolute
dates ("July 10", "August 12, 2016", "July 2016") go to dateparser, whose
``period`` gives the granularity; a date without a year takes the year of
publication.

Conventions (documented because they are choices, not facts):

* Seasons are meteorological, northern hemisphere (``data/time_words.json``).
  "last summer" is the most recent summer that had *ended* by publication;
  "this summer" the summer of the publication year.
* A bare weekday ("on Monday") is the most recent such day on or before
  publication; "last Monday" is strictly before.
* "earlier this month/year/week" runs from the period start to publication;
  "later this ..." from publication to the period end; "early/mid/late X"
  take the first/middle/last third of X.
* "since X" runs from the start of X to publication.
* Without a time expression the claim is taken to hold at publication
  (``anchor="published"``); without a publication date relative expressions
  stay unresolved but their text is kept (``anchor="text"``), while
  expressions carrying a year ("in 2016", "May 3, 2015") still resolve.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import resources
from typing import Any

from spacy.tokens import Span, Token

from reportedly.extract.docview import entities, span_text
from reportedly.types import TimeRef

__all__ = ["TimeExpression", "TimeFinder", "find_time", "find_time_expressions", "parse_published", "resolve_time", "span_ents"]

Interval = tuple[date, date]

_MONTHS = [m.lower() for m in calendar.month_name[1:]] + [m.lower() for m in calendar.month_abbr[1:]] + ["sept"]
_WEEKDAYS = [d.lower() for d in calendar.day_name]
# Any date stands in for "published" when we only want to know whether an
# expression is a time reference at all.
_PROBE_DATE = date(2001, 6, 15)


def _load_vocab() -> dict[str, Any]:
    text = resources.files("reportedly.data").joinpath("time_words.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


# Read-only vocabulary (a constant of the module, never written after import).
_VOCAB: dict[str, Any] = _load_vocab()


def _load_dating_nouns() -> frozenset[str]:
    documents = resources.files("reportedly.data").joinpath("attr_document_nouns.txt").read_text(encoding="utf-8")
    words = [w.strip().lower() for w in documents.splitlines() if w.strip() and not w.startswith("#")]
    return frozenset(words) | frozenset(_VOCAB.get("dating_nouns", []))


#: Nouns whose relative clause dates the figures they hold: "the poll,
#: conducted in early September", "a message posted Friday".
_DATING_NOUNS: frozenset[str] = _load_dating_nouns()


def _vocab() -> dict[str, Any]:
    return _VOCAB


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A time expression found in a sentence, with character offsets into the Doc text."""

    text: str
    start: int
    end: int


def parse_published(published: str | None) -> date | None:
    """The date part of an ISO date/datetime string; None for None or garbage."""
    if not published:
        return None
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


# --- calendar helpers -------------------------------------------------------


def _month_interval(year: int, month: int) -> Interval:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _week_interval(day: date) -> Interval:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _unit_interval(unit: str, day: date) -> Interval:
    """The calendar period of ``unit`` that contains ``day``."""
    if unit == "day":
        return day, day
    if unit == "week":
        return _week_interval(day)
    if unit == "month":
        return _month_interval(day.year, day.month)
    if unit == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    decade = day.year - day.year % 10
    return date(decade, 1, 1), date(decade + 9, 12, 31)


def _shift(unit: str, day: date, n: int) -> date:
    if unit == "day":
        return day + timedelta(days=n)
    if unit == "week":
        return day + timedelta(weeks=n)
    if unit == "month":
        return _add_months(day, n)
    if unit == "year":
        return _add_months(day, 12 * n)
    return _add_months(day, 120 * n)


def _part(interval: Interval, which: str) -> Interval:
    """First, middle or last third of an interval ("early", "mid", "late")."""
    start, end = interval
    span = (end - start).days + 1
    third = max(span // 3, 1)
    if which == "early":
        return start, start + timedelta(days=third - 1)
    if which == "late":
        return end - timedelta(days=third - 1), end
    return start + timedelta(days=third), end - timedelta(days=third)


def _season(name: str, year: int) -> Interval:
    first, months = _vocab()["seasons"][name]
    start = date(year, first, 1)
    last = _add_months(start, months - 1)
    return start, _month_interval(last.year, last.month)[1]


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    value = _vocab()["numbers"].get(word)
    return int(value) if value is not None else None


# --- the rules --------------------------------------------------------------

_NUM = r"(\d+|a few|a couple of|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several)"
_UNIT = r"(days?|weeks?|months?|years?|decades?)"
_RE_AGO = re.compile(rf"^{_NUM} {_UNIT} ago$")
_RE_PAST_N = re.compile(rf"^(?:the )?(?:past|last|previous) {_NUM} {_UNIT}$")
_RE_REL_PERIOD = re.compile(
    r"^(?:(earlier|later|early|mid|late) )?(?:the )?(this|last|past|previous|next|coming) (week|month|year|decade)$"
)
_RE_SEASON = re.compile(r"^(?:(early|mid|late) )?(?:(this|last|past|previous|next) )?(spring|summer|autumn|fall|winter)(?: (?:of )?(\d{4}))?$")
_RE_WEEKDAY = re.compile(rf"^(?:(last|this|next|on|past) )?({'|'.join(_WEEKDAYS)})(?: (?:morning|afternoon|evening|night))?$")
_RE_YEAR = re.compile(r"^(?:(early|mid|late)[- ])?(?:the year )?(\d{4})$")
_RE_PART = re.compile(r"^(early|mid|late)[- ](.+)$")
_RE_DECADE = re.compile(r"^(?:the )?(?:(early|mid|late)[- ])?(\d{3})0s$")
# An absolute date names a month, carries a four-digit year or is written
# d/m/y; a bare "45" (an age the NER took for a date) is not one.
_RE_HAS_ABSOLUTE = re.compile(rf"\b(?:{'|'.join(_MONTHS)})\b|\b\d{{4}}\b|\b\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{1,4}}\b")


def _relative_period(modifier: str | None, which: str, unit: str, pub: date) -> Interval:
    if which in ("this",):
        interval = _unit_interval(unit, pub)
    elif which in ("next", "coming"):
        interval = _unit_interval(unit, _shift(unit, pub, 1))
    elif which == "past" or (which == "last" and unit in ("decade",)):
        # "the past week" is the seven days up to publication, not a calendar week
        return (_shift(unit, pub, -1) + timedelta(days=1), pub) if modifier is None else _part(
            (_shift(unit, pub, -1), pub), modifier if modifier in ("early", "mid", "late") else "mid"
        )
    else:  # last / previous
        interval = _unit_interval(unit, _shift(unit, pub, -1))
    if modifier == "earlier":
        return interval[0], min(interval[1], pub)
    if modifier == "later":
        return max(interval[0], pub), interval[1]
    if modifier in ("early", "mid", "late"):
        return _part(interval, modifier)
    return interval


def _season_interval(modifier: str | None, which: str | None, name: str, year: str | None, pub: date | None) -> Interval | None:
    if year:
        interval = _season(name, int(year))
    elif pub is None:
        return None
    elif which in ("last", "past", "previous"):
        # the most recent such season that had ended by publication
        y = pub.year
        while _season(name, y)[1] >= pub:
            y -= 1
        interval = _season(name, y)
    elif which == "next":
        y = pub.year
        while _season(name, y)[0] <= pub:
            y += 1
        interval = _season(name, y)
    else:  # "this summer" / bare "summer": the one of the publication year
        first, _ = _vocab()["seasons"][name]
        y = pub.year - 1 if first == 12 and pub.month <= 2 else pub.year
        interval = _season(name, y)
    return _part(interval, modifier) if modifier else interval


def _weekday_interval(which: str | None, name: str, pub: date) -> Interval:
    target = _WEEKDAYS.index(name)
    if which == "next":
        delta = (target - pub.weekday()) % 7 or 7
        day = pub + timedelta(days=delta)
    else:
        back = (pub.weekday() - target) % 7
        if which == "last" and back == 0:
            back = 7
        day = pub - timedelta(days=back)
    return day, day


DateParse = Callable[[str, datetime], Any]


@dataclass(frozen=True, slots=True)
class _Reading:
    """What dateparser reads from a plain calendar date (the fields ``_absolute`` uses)."""

    date_obj: datetime
    period: str


#: "march", "mar", "mar." -> 3 (and "sept"): month names as dateparser knows them
_MONTH_NUMBERS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
_MONTH_ABBREVIATIONS = {name.lower(): n for n, name in enumerate(calendar.month_abbr) if name} | {"sept": 9}
_MONTH_NUMBERS.update(_MONTH_ABBREVIATIONS)
_MONTH_NUMBERS.update({f"{name}.": n for name, n in _MONTH_ABBREVIATIONS.items()})
_MONTH_WORD = r"[a-z]+\.?"
_DAY = r"[1-9][0-9]?"  # ASCII digits only: int() reads other scripts' digits too
_RE_MONTH_DAY = re.compile(rf"^(?:(?P<m>{_MONTH_WORD}) (?P<d>{_DAY})|(?P<d2>{_DAY}) (?P<m2>{_MONTH_WORD}))\Z")
_RE_MONTH_YEAR = re.compile(rf"^(?P<m>{_MONTH_WORD}) (?P<y>[0-9]{{4}})\Z")
_RE_FULL_DATE = re.compile(
    rf"^(?:(?P<m>{_MONTH_WORD}) (?P<d>{_DAY}),? (?P<y>[0-9]{{4}})|(?P<d2>{_DAY}) (?P<m2>{_MONTH_WORD}) (?P<y2>[0-9]{{4}}))\Z"
)


def _plain_date(text: str, base: datetime) -> _Reading | None:
    """dateparser's reading of a plain calendar date ("march", "aug. 14", "9 may",
    "november 2019", "july 4, 2016") with the settings of :func:`parse_date`,
    worked out here (checked against dateparser over every month word, day
    and many bases); None for anything else, a day the month lacks or 29
    February without a year (dateparser looks for a leap year then)."""
    month = _MONTH_NUMBERS.get(text)
    if month is not None:  # the month of the base year, on the base's day or the month's last
        day = min(base.day, calendar.monthrange(base.year, month)[1])
        return _Reading(datetime(base.year, month, day), "month")
    if m := _RE_MONTH_YEAR.match(text):
        month, year = _MONTH_NUMBERS.get(m["m"], 0), int(m["y"])
        if month and 1 <= year:
            return _Reading(datetime(year, month, min(base.day, calendar.monthrange(year, month)[1])), "month")
        return None
    if m := _RE_MONTH_DAY.match(text):
        month, day, year = _MONTH_NUMBERS.get(m["m"] or m["m2"], 0), int(m["d"] or m["d2"]), base.year
        if month and not (month == 2 and day == 29) and day <= calendar.monthrange(year, month)[1]:
            return _Reading(datetime(year, month, day), "day")
        return None
    if m := _RE_FULL_DATE.match(text):
        month, day, year = _MONTH_NUMBERS.get(m["m"] or m["m2"], 0), int(m["d"] or m["d2"]), int(m["y"] or m["y2"])
        if month and 1 <= year and day <= calendar.monthrange(year, month)[1]:
            return _Reading(datetime(year, month, day), "day")
    return None


def parse_date(text: str, base: datetime) -> Any:
    """dateparser's reading of ``text`` (a ``DateData``: ``date_obj``, ``period``) relative to ``base``.

    Plain calendar dates are read without dateparser's millisecond of
    parsing (:func:`_plain_date`), exactly as it reads them.
    """
    plain = _plain_date(text, base)
    if plain is not None:
        return plain
    from dateparser.date import DateDataParser  # heavy import, only when needed

    parser = DateDataParser(languages=["en"], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "current_period"})
    return parser.get_date_data(text)


def _absolute(text: str, pub: date | None, parse: DateParse = parse_date) -> Interval | None:
    """Absolute dates via dateparser; None unless it yields a sensible date."""
    if not _RE_HAS_ABSOLUTE.search(text):
        return None
    has_year = re.search(r"\b\d{4}\b", text) is not None
    if pub is None and not has_year:
        return None
    base = datetime.combine(pub or _PROBE_DATE, datetime.min.time())
    try:
        data = parse(text, base)
    except (ValueError, OverflowError):
        return None
    if data.date_obj is None:
        return None
    day = data.date_obj.date()
    # dateparser fills an unparsable remainder with the base date; an
    # expression that names no day must not come back as exactly "today"
    if pub is not None and day == pub and not re.search(r"\b\d{1,2}\b", text) and data.period == "day":
        return None
    if pub is not None and not has_year and day > pub + timedelta(days=183):
        day = _add_months(day, -12)  # "December 20" in a January article is last December
    period = data.period or "day"
    if period == "time":
        period = "day"
    return _unit_interval(period, day) if period in ("day", "week", "month", "year") else (day, day)


def _normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("-", " ").strip(" ,.;:")
    text = re.sub(r"\s+", " ", text)
    return text


def resolve_time(text: str, published: date | None, *, parse: DateParse = parse_date) -> Interval | None:
    """Resolve one time expression against the publication date.

    Returns an inclusive (start, end) interval, or None when the expression
    is not a reference to a time (a duration such as "nine months") or needs
    a publication date that is not known.
    """
    vocab = _vocab()
    norm = _normalise(text)
    since = False
    for lead in sorted(vocab["lead_ins"], key=len, reverse=True):
        if norm.startswith(lead + " "):
            since = lead == "since"
            norm = norm[len(lead) + 1 :]
            break
    # "the last week" is the rolling seven days, "last week" the calendar week
    norm = re.sub(r"^the (?:last|previous) ", "past ", norm)
    interval = _resolve_core(norm, published, parse)
    if interval is None or not since:
        return interval
    if published is None:
        return None  # "since 1950" runs up to a publication date we do not know
    return interval[0], max(interval[1], published)


def _resolve_core(norm: str, pub: date | None, parse: DateParse = parse_date) -> Interval | None:
    vocab = _vocab()
    if norm in vocab["present_words"]:
        return (pub, pub) if pub else None
    if norm in vocab["day_words"]:
        return (pub + timedelta(days=vocab["day_words"][norm]),) * 2 if pub else None  # type: ignore[return-value]
    if m := _RE_YEAR.match(norm):
        interval = _unit_interval("year", date(int(m.group(2)), 1, 1))
        return _part(interval, m.group(1)) if m.group(1) else interval
    if m := _RE_DECADE.match(norm):
        interval = _unit_interval("decade", date(int(m.group(2) + "0"), 1, 1))
        return _part(interval, m.group(1)) if m.group(1) else interval
    if m := _RE_SEASON.match(norm):
        return _season_interval(m.group(1), m.group(2), m.group(3), m.group(4), pub)
    if pub is None:
        return _absolute(norm, None, parse)
    if m := _RE_AGO.match(norm):
        n = _count(m.group(1))
        unit = vocab["units"][m.group(2)]
        return _unit_interval(unit, _shift(unit, pub, -n)) if n is not None else None
    if m := _RE_PAST_N.match(norm):
        n = _count(m.group(1))
        unit = vocab["units"][m.group(2)]
        return (_shift(unit, pub, -n), pub) if n is not None else None
    if m := _RE_REL_PERIOD.match(norm):
        return _relative_period(m.group(1), m.group(2), m.group(3), pub)
    if m := _RE_WEEKDAY.match(norm):
        return _weekday_interval(m.group(1), m.group(2), pub)
    if m := _RE_PART.match(norm):
        # "early November", "late March 2016": the third of what follows
        inner = _resolve_core(m.group(2), pub, parse)
        return _part(inner, m.group(1)) if inner is not None else None
    return _absolute(norm, pub, parse)


# --- finding expressions ------------------------------------------------------

_EXTRA_PATTERNS = re.compile(
    # "so far" as a degree ("went so far as to say", "so far behind") is no time
    r"\b(?:(?:as of |since |until )?(?:now|currently|at present|at the moment|to date"
    r"|so far(?!\s+(?:as|from|away|behind|ahead|beyond|removed|off|apart)\b))"
    rf"|(?:last |this |next |on )?(?:{'|'.join(_WEEKDAYS)})"
    r"|(?:earlier|later|early|late) (?:this|last|next) (?:week|month|year)"
    r"|(?:last|this|next|past) (?:spring|summer|autumn|fall|winter))\b",
    re.IGNORECASE,
)
#: one of these is in every match of ``_EXTRA_PATTERNS`` (each weekday ends in
#: "day"): a sentence holding none has no such expression, and the long
#: case-blind alternation need not be tried at each of its words
_EXTRA_HINTS = ("now", "currently", "present", "moment", "date", "far", "day", "week", "month", "year", "spring", "summer", "autumn", "fall", "winter")
#: letters that match an ASCII letter ignoring case but are not one once lower-cased
_CASE_ODD = ("\u0131", "\u017f", "\u0130")
_DIGIT = re.compile(r"\d")
_LEAD_IN = re.compile(r"\b(as of|since|until|as early as|as late as)\s+$", re.IGNORECASE)


def span_ents(span: Span, labels: Collection[str] | None = None) -> list[Span]:
    """The named entities inside ``span`` (those with one of ``labels``, if given).

    ``Span.ents`` rebuilds every entity of the whole Doc on each call, which
    made per-sentence lookups quadratic on long articles; this reads the
    Doc's entity bounds, found once per Doc (:func:`docview.entities`), and
    makes a Span only for the entities asked for.
    """
    doc = span.doc
    return [
        Span(doc, start, end, label=label)
        for start, end, label in entities(span)
        if labels is None or label in labels
    ]


def _extra_matches(text: str) -> list[re.Match[str]]:
    """``_EXTRA_PATTERNS.finditer(text)``, skipped where no hint word is in the text."""
    if not any(c in text for c in _CASE_ODD):
        low = text.lower()
        if not any(h in low for h in _EXTRA_HINTS):
            return []
    return list(_EXTRA_PATTERNS.finditer(text))


_TIME_LABELS = ("DATE", "TIME")


def find_time_expressions(sent: Span) -> list[TimeExpression]:
    """Time expressions in a sentence, in text order, with lead-ins such as "as of"."""
    base = sent.start_char
    sent_text = span_text(sent)
    found: list[tuple[int, int]] = [
        (ent.start_char, ent.end_char) for ent in span_ents(sent, _TIME_LABELS)
    ]
    for m in _extra_matches(sent_text):
        start, end = base + m.start(), base + m.end()
        if not any(s <= start < e or start <= s < end for s, e in found):
            found.append((start, end))
    out: list[TimeExpression] = []
    for start, end in sorted(found):
        lead = _LEAD_IN.search(sent_text[max(0, start - base - 16) : start - base])
        if lead:
            start -= len(lead.group(0))
        out.append(TimeExpression(sent_text[start - base : end - base], start, end))
    return out


def _clause_at(sent: Span, char: int) -> int | None:
    """Token index of the head of the clause holding ``char``: its nearest verbal ancestor."""
    span = sent.doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    node: Token = span[0]
    while node.head.i != node.i:
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            return node.i
    return node.i


#: Words that set an earlier value against the claim: "down from", "up ... from", "compared with".
_BASELINE = re.compile(
    r"\b(?:from|compared|versus|vs\.?)\b|\bthan\b(?!\s*[$€£\d])|(?<!more )(?<!less )(?<!fewer )\bthan\b", re.I
)
#: A figure in digits or words ("up eight points from March").
_FIGURE = re.compile(
    r"\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|thirty|forty|fifty"
    r"|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|dozen|half|quarter)\b",
    re.I,
)


def _in_other_relative_clause(sent: Span, expr: TimeExpression, near: tuple[int, int]) -> bool:
    """Whether ``expr`` dates a relative clause that describes something
    other than the claim: in "after nine months of warfare to take back the
    city where the jihadists proclaimed its caliphate three years ago",
    three years ago is when the caliphate was proclaimed, not the nine
    months. A clause on the claim's own noun ("300 people who died last
    week") still dates the claim, and so does one on a subject, which is
    most often the source ("Officials who spoke on Monday said 300 had died")."""
    span = sent.doc.char_span(expr.start, expr.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    node: Token = span.root
    while node.head.i != node.i and node.dep_ not in ("relcl", "acl"):
        node = node.head
    if node.dep_ not in ("relcl", "acl"):
        return False
    clause_lo, clause_hi = node.left_edge.idx, node.right_edge.idx + len(node.right_edge.text)
    modified = node.head
    if clause_lo <= near[0] and near[1] <= clause_hi:
        return False  # the claim is inside the clause: the clause's time is its own
    if modified.lemma_.lower() in _DATING_NOUNS or modified.lower_ in _DATING_NOUNS:
        return False  # "a poll conducted in early September" dates what the poll found
    # npadvmod: "..., a senior lawmaker disclosed on Monday" parsed as a
    # lawmaker described by "disclosed", where it is the source and its report
    if modified.dep_ in ("nsubj", "nsubjpass", "npadvmod"):
        return False
    claim = sent.doc.char_span(near[0], near[1], alignment_mode="expand")
    own = {t.i for t in claim} | {t.head.i for t in claim} if claim is not None else set()
    return modified.i not in own


def find_time(sent: Span, published: str | None, *, near: tuple[int, int] | None = None) -> TimeRef:
    """The time reference of a claim in ``sent``.

    ``near`` (character offsets of the claim) picks, among several
    expressions, the nearest one; otherwise the first that resolves.
    """
    return TimeFinder(published).find(sent, near=near)


class TimeFinder:
    """:func:`find_time` for the many claims of one document.

    A sentence holding several figures and reports would otherwise have its
    expressions found, and each sent through dateparser, once per claim;
    here each sentence is scanned once and each expression resolved once.
    Make one per document (it remembers that document's sentences).
    """

    def __init__(self, published: str | None) -> None:
        self.pub = parse_published(published)
        self._expressions: dict[tuple[int, int], list[TimeExpression]] = {}
        self._resolved: dict[tuple[str, date | None], Interval | None] = {}
        # dateparser's readings: without a publication date an expression is
        # resolved against the probe date and then against none, and both
        # ask dateparser the same question (a millisecond each)
        self._parsed: dict[tuple[str, datetime], Any] = {}

    def _resolve(self, text: str, pub: date | None) -> Interval | None:
        key = (text, pub)
        if key not in self._resolved:
            self._resolved[key] = resolve_time(text, pub, parse=self._parse)
        return self._resolved[key]

    def _parse(self, text: str, base: datetime) -> Any:
        key = (text, base)
        if key not in self._parsed:
            self._parsed[key] = parse_date(text, base)
        return self._parsed[key]

    def expressions(self, sent: Span) -> list[TimeExpression]:
        """:func:`find_time_expressions` of ``sent``, found once per sentence."""
        key = (sent.start, sent.end)
        if key not in self._expressions:
            self._expressions[key] = find_time_expressions(sent)
        return self._expressions[key]

    def find(self, sent: Span, *, near: tuple[int, int] | None = None) -> TimeRef:
        """The time reference of a claim in ``sent`` (see :func:`find_time`)."""
        pub = self.pub
        candidates: list[tuple[TimeExpression, Interval | None]] = []
        for expr in self.expressions(sent):
            if near is not None and near[0] <= expr.start and expr.end <= near[1]:
                continue  # the claim itself ("three years") is not its own time
            if self._resolve(expr.text, pub or _PROBE_DATE) is None:
                continue  # a duration or something that is not a point in time
            if near is not None and _in_other_relative_clause(sent, expr, near):
                continue
            candidates.append((expr, self._resolve(expr.text, pub)))
        if near is not None and candidates:
            text, base = span_text(sent), sent.start_char

            def gap(expr: TimeExpression) -> str:
                """The words between the claim and ``expr``."""
                lo, hi = (near[1], expr.start) if expr.start >= near[1] else (expr.end, near[0])
                return text[max(0, lo - base) : max(0, hi - base)]

            def beyond_a_figure(expr: TimeExpression) -> bool:
                return _DIGIT.search(gap(expr)) is not None

            # "12,000 remain, down from 15,000 in August", "25 percent, up eight
            # points from March": past another figure and a word of comparison,
            # the time is the earlier value's, never this claim's.
            candidates = [
                c
                for c in candidates
                if not (c[0].start >= near[1] and _FIGURE.search(gap(c[0])) and _BASELINE.search(gap(c[0])))
            ]
        if near is not None and len(candidates) > 1:
            # an expression in the claim's own clause beats a nearer one outside it
            # ("On Monday officials said 300 had died by last week": "last week"),
            # and one with another figure between belongs to that figure ("said on
            # Tuesday that 12,000 remain, down from 15,000 in August": 12,000 is
            # Tuesday's, 15,000 August's)
            centre = (near[0] + near[1]) / 2
            claim_clause = _clause_at(sent, near[0])

            candidates.sort(
                key=lambda c: (
                    beyond_a_figure(c[0]),
                    _clause_at(sent, c[0].end - 1) != claim_clause,
                    abs((c[0].start + c[0].end) / 2 - centre),
                )
            )
        resolved = [c for c in candidates if c[1] is not None]
        if resolved:
            expr, (start, end) = resolved[0]  # type: ignore[misc]
            return TimeRef(text=expr.text, start=start.isoformat(), end=end.isoformat(), anchor="text")
        if candidates:
            return TimeRef(text=candidates[0][0].text, anchor="text")
        if pub is not None:
            return TimeRef(text=None, start=pub.isoformat(), end=pub.isoformat(), anchor="published")
        return TimeRef()
