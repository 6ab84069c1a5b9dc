"""What a figure's sentence says about what it counts, beyond the frame.

Three readings of the words around a figure refine its series key:

* :func:`counts_sources`: the figure counts the sources of a report ("a
  report from one doctor", "three officials said") and measures nothing;
* :func:`postmodifier`: the counted noun is qualified after it ("two cases
  of Ebola", "26 cases with HIV"), which makes it a different quantity from
  the same noun qualified otherwise;
* :func:`event`: the figure counts the victims of an event ("killing 100
  fighters", "a dozen doctors were executed"), not a standing number.

They read the evidence sentence and the figure's offsets only, so they
work on any stored frame. Their word lists are data
(``reportedly/data/link_source_cues.json``, ``link_events.json``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from reportedly.link.places import Gazetteer
from reportedly.link.vocab import Vocabulary
from reportedly.types import Claim

__all__ = ["Around", "SourceCues", "around", "counts_sources", "event", "postmodifier"]

_WORD = re.compile(r"[A-Za-z][\w/'’-]*|[.,;:!?()\"“”]")
_CLAUSE_END = set(".,;:!?()\"“”")
#: Words after "of" / "with" that qualify nothing ("cases of which", "fighters with their families").
_NOT_QUALIFIERS = {
    "the", "a", "an", "which", "whom", "whose", "them", "those", "these", "this", "that", "it", "its", "their",
    "his", "her", "our", "your", "my", "us", "him", "each", "all", "some", "any", "both", "one", "two", "three",
    "several", "many", "more", "other", "others", "such", "up", "between", "about", "around", "over", "under",
    "what", "who", "at", "least", "and", "or", "but", "no", "not",
}
_ARTICLES = {"the", "a", "an"}
_REACH = 60  # characters read each side of a figure
#: Auxiliaries before a participle that reports what happened to the noun ("were executed").
_AUX = {"is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "get", "got", "reportedly", "all"}


@dataclass(frozen=True, slots=True)
class SourceCues:
    """Word sequences before a source-count figure and speech verbs after its noun."""

    before: tuple[tuple[str, ...], ...]
    after: frozenset[str]

    @classmethod
    def load(cls) -> "SourceCues":
        data = json.loads(resources.files("reportedly.data").joinpath("link_source_cues.json").read_text("utf-8"))
        return cls(tuple(tuple(p.lower().split()) for p in data["before"]), frozenset(w.lower() for w in data["after"]))


Around = tuple[list[str], list[str]]


def around(claim: Claim) -> Around | None:
    """Lower-cased words just before the figure and just after its counted noun, in the sentence.

    Compute it once and pass it to the readings below as ``words``.
    """
    q = claim.quantity
    if q is None:
        return None
    s = claim.sentence
    fig_start, fig_end = q.start - claim.sentence_start, q.end - claim.sentence_start
    if not (0 <= fig_start <= fig_end <= len(s)):
        return None
    after_at = fig_end
    if q.entity:
        found = s.find(q.entity, fig_end, fig_end + len(q.entity) + 40)
        if found >= 0:
            after_at = found + len(q.entity)
    # The few words each side are all any reading looks at.
    before = [w.lower() for w in _WORD.findall(s[max(0, fig_start - _REACH) : fig_start])]
    after = [w.lower() for w in _WORD.findall(s[after_at : after_at + _REACH])]
    return before, after


def counts_sources(claim: Claim, cues: SourceCues, source_spans: Sequence[tuple[int, int]] = (),
                   words: Around | None = None) -> bool:
    """Whether the figure counts who reported something rather than a measured thing.

    True when it lies inside a source span of its document (``source_spans``:
    the (start, end) of every claim's source), follows "according to" / "a
    report from", or its counted noun is followed by a speech verb ("three
    officials said").
    """
    q = claim.quantity
    if q is None:
        return False
    if any(a <= q.start < b for a, b in source_spans):
        return True
    found = words if words is not None else around(claim)
    if found is None:
        return False
    before, after = found
    tail = tuple(w for w in before[-4:] if w not in _ARTICLES)
    if any(len(tail) >= len(p) and tail[-len(p) :] == p for p in cues.before):
        return True
    return bool(after) and after[0] in cues.after


def postmodifier(claim: Claim, vocab: Vocabulary, gazetteer: Gazetteer, words: Around | None = None) -> str | None:
    """The word qualifying the counted noun after it: "Ebola" in "two cases of Ebola".

    Places ("residents of Mosul") and actors ("fighters of the Islamic
    State") are left to their own parts of a series key; pronouns and
    determiners qualify nothing.
    """
    found = words if words is not None else around(claim)
    if found is None:
        return None
    _, after = found
    if len(after) < 2 or after[0] not in ("of", "with"):
        return None
    rest = [w for w in after[1:4] if w not in _ARTICLES]
    if not rest or rest[0] in _CLAUSE_END or rest[0] in _NOT_QUALIFIERS or not rest[0][0].isalpha():
        return None
    word = rest[0].strip("'’")
    phrase = " ".join(w for w in rest[:3] if w not in _CLAUSE_END)
    if vocab.actor_in(phrase) or vocab.actor(word) != word or word.upper() in vocab.actors_exact:
        return None
    if gazetteer.is_demonym(word) or not gazetteer.resolve(word).id.startswith("x:"):
        return None
    return word


def event(claim: Claim, vocab: Vocabulary, words: Around | None = None, window_before: int = 3,
          window_after: int = 4) -> str | None:
    """The event whose victims the figure counts ("killed"), or None for a standing number.

    The nearest event word among the few words before the figure ("killing
    100 fighters") wins, else the first within the few words after its
    counted noun, up to a clause break ("a dozen doctors were executed").
    """
    found = words if words is not None else around(claim)
    if found is None or not vocab.events:
        return None
    before, after = found
    for w in reversed(before[-window_before:]):
        if w in _CLAUSE_END:
            continue
        if w in vocab.events:
            return vocab.events[w]
    for i, w in enumerate(after[:window_after]):
        if w in _CLAUSE_END:
            break
        if i > 0 and after[i - 1] not in _AUX:
            continue  # only a participle right after the noun or its auxiliary: "40 women kidnapped", "were executed"
        pair = " ".join(after[i : i + 2])
        if pair in vocab.events:
            return vocab.events[pair]
        if w in vocab.events:
            return vocab.events[w]
    return None
