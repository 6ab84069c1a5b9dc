"""Hedges: the words that weaken a claim ("estimated", "reportedly", "could").

The vocabulary lives in ``data/hedge_words.txt``; some words only hedge in a
given construction, marked there with a condition:

* ``@num``: approximators count only before a number ("about 45,000", not
  "talked about ISIS");
* ``@modal``: only as a modal verb ("may" hedges, the month May does not);
* ``@passive``: only in a passive report ("is said to be", "are believed
  to have"), where the active verb would be an attribution cue instead.

:func:`find_hedges` returns the hedges of a span as written, lower-cased, in
text order, each once.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from spacy.tokens import Span, Token

from reportedly.extract.docview import lower_words

__all__ = ["HedgeEntry", "HedgeHit", "find_hedges", "hedge_hits", "hedge_tokens", "load_hedges"]


@dataclass(frozen=True, slots=True)
class HedgeEntry:
    """One vocabulary entry: the words (lower case) and an optional condition."""

    words: tuple[str, ...]
    condition: str | None = None


def load_hedges() -> tuple[HedgeEntry, ...]:
    """Read ``data/hedge_words.txt`` (comments start with ``#``)."""
    text = resources.files("reportedly.data").joinpath("hedge_words.txt").read_text(encoding="utf-8")
    entries: list[HedgeEntry] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        condition = parts[-1][1:] if parts[-1].startswith("@") else None
        words = tuple(p.lower() for p in (parts[:-1] if condition else parts))
        entries.append(HedgeEntry(words, condition))
    # longest first so that "up to" wins over a one-word entry at the same token
    return tuple(sorted(entries, key=lambda e: -len(e.words)))


# Read-only vocabulary, a constant of the module.
_HEDGES: tuple[HedgeEntry, ...] = load_hedges()
_BY_FIRST: dict[str, tuple[HedgeEntry, ...]] = {
    first: tuple(e for e in _HEDGES if e.words[0] == first) for first in {e.words[0] for e in _HEDGES}
}


def _is_number(token: Token) -> bool:
    return token.like_num or token.pos_ == "NUM" or token.ent_type_ in ("CARDINAL", "MONEY", "PERCENT", "QUANTITY")


def _holds(entry: HedgeEntry, first: Token, last: Token) -> bool:
    if entry.condition is None:
        return True
    if entry.condition == "num":
        nxt = last.nbor(1) if last.i + 1 < len(last.doc) else None
        return nxt is not None and _is_number(nxt)
    if entry.condition == "modal":
        return first.tag_ == "MD"
    if entry.condition == "passive":
        return any(child.dep_ == "auxpass" for child in first.children)
    return False


def hedge_tokens(span: Span) -> list[tuple[str, Token]]:
    """Hedges in ``span`` with the first token of each, in text order."""
    return [(hit.word, hit.first) for hit in hedge_hits(span)]


@dataclass(frozen=True, slots=True)
class HedgeHit:
    """One hedge found: the entry's words, its first and last token, its condition."""

    word: str
    first: Token
    last: Token
    condition: str | None


def hedge_hits(span: Span) -> list[HedgeHit]:
    """Hedges in ``span``, in text order, with the tokens they cover."""
    found: list[HedgeHit] = []
    # the Doc's lower-case forms, read once: not a Token made per word
    words = lower_words(span.doc)[span.start : span.end]
    i = 0
    while i < len(words):
        matched = 0
        for entry in _BY_FIRST.get(words[i], ()):
            n = len(entry.words)
            if tuple(words[i : i + n]) == entry.words:
                first, last = span[i], span[i + n - 1]
                if _holds(entry, first, last):
                    found.append(HedgeHit(" ".join(entry.words), first, last, entry.condition))
                    matched = n
                    break
        i += matched or 1
    return found


def find_hedges(span: Span) -> list[str]:
    """The hedges of ``span``, lower-cased, in text order, each once."""
    out: list[str] = []
    for word, _ in hedge_tokens(span):
        if word not in out:
            out.append(word)
    return out
