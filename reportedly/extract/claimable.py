"""Which quantity mentions are claims of their own.

The quantity finder reads every figure a sentence holds, as NewsQuant counts
them; the ledger keeps only those that state an amount someone can confirm
or contradict. Left out: a figure that only says when ("three years ago",
which is the claim's time), digits that count nothing (a web address, a
model number, a list marker), and the earlier value of a change unless it
has a time of its own ("down from 15,000 in August" is August's figure).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from spacy.tokens import Span

from reportedly.extract.timeref import TimeExpression
from reportedly.types import Quantity

__all__ = ["Mention", "dated", "not_a_figure", "points_to_a_time"]


class Mention(Protocol):
    """What these checks read of a quantity mention."""

    quantity: Quantity
    token_start: int
    token_end: int


_TIME_LEAD = re.compile(r"\s*(?:(?:in|on|at|during|as of|by)\s+)?$", re.I)


def dated(text: str, q: Quantity, expressions: Iterable[TimeExpression]) -> bool:
    """Whether one of the sentence's time ``expressions`` follows the figure at
    once ("15,000 in August", "12 last year")."""
    return any(
        e.start >= q.end and e.start - q.end < 12 and _TIME_LEAD.match(text[q.end : e.start]) is not None
        for e in expressions
    )


_AGO = re.compile(r"\s*ago\b", re.I)
_DURATION_UNITS = frozenset({"second", "minute", "hour", "day", "week", "month", "year", "decade", "century"})


def points_to_a_time(text: str, q: Quantity) -> bool:
    """Whether a figure only says when ("three years ago", "two weeks ago").

    Such a span is a time reference, read into the claims' ``time``; as a
    figure it would enter the ledger as "3 year" with nothing counted. An
    interval between two events ("nine days later") stays a figure.
    """
    return q.unit in _DURATION_UNITS and _AGO.match(text, q.end) is not None


_URLISH = re.compile(r"://|www\.|\.(?:pdf|html?|php|aspx?|jpe?g|png)\b|[\w.-]+/[\w.-]+/", re.I)
_NAME_ENTS = frozenset({"PERSON", "GPE", "NORP", "LOC"})
_PHONE = re.compile(r"(?:\b0\d{2,4}|\(\d{3}\))[ -]\d{3}[ -]?\d{3,4}\b")


def not_a_figure(text: str, sent: Span, mention: Mention) -> bool:
    """Digits that count nothing: part of a web address or file name, a
    version or model number ("iOS 8", "iPhone 6", "8.0.2"), a phone number
    ("0800 555 111"), a bracketed citation or list marker ("(52)", "1.").

    Only figures with neither a unit nor a counted thing are judged: "Obama
    52, Romney 47" stays (a person's name before a share of the vote).
    """
    q = mention.quantity
    if q.unit is not None or q.entity is not None:
        return False
    doc = sent.doc
    if text[sent.start_char : sent.end_char].strip(" \t\n.)(") == q.text:
        return True  # a line that is only a number: a list marker or a page's counter
    lo = text.rfind(" ", 0, q.start) + 1
    hi = text.find(" ", q.end)
    word = text[lo : hi if hi >= 0 else len(text)]
    if _URLISH.search(word):
        return True
    if re.match(r"\.\d", text[q.end : q.end + 2]) or (q.text[:1] == "0" and q.text[1:2].isdigit()):
        return True  # "8.0.2", "0800"
    if _PHONE.search(text, max(0, q.start - 12), min(len(text), q.end + 12)):
        return True  # "0800 555 111", "(202) 555-0142"
    before = text[max(0, q.start - 1) : q.start]
    after = text[q.end : q.end + 1]
    if before == "(" and after == ")":
        return True  # "(52)": a citation or list marker
    if mention.token_start > 0:
        prev = doc[mention.token_start - 1]
        # "iPhone 6", "iOS 8", "Windows 10": a number that names, after a product name
        named = prev.pos_ == "PROPN" or any(c.isupper() for c in prev.text[1:])  # "iOS", "iPhone"
        small = q.value is not None and q.value == int(q.value) and q.value < 100
        if named and small and prev.is_alpha and prev.ent_type_ not in _NAME_ENTS and prev.whitespace_:
            return True
    if mention.token_end < len(doc):
        nxt = doc[mention.token_end]
        if nxt.pos_ == "PROPN" and nxt.is_title and nxt.ent_type_ not in _NAME_ENTS and q.value is not None and q.value < 100:
            return True  # "6 Plus", "4 Runner": a number inside a name, counting nothing
    marker = text[q.start : q.end + 2].strip()
    return re.fullmatch(r"\d{1,2}[.)]", marker) is not None and (q.start == 0 or text[q.start - 1] == "\n")
