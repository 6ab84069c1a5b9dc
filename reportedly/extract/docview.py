"""Views of a parsed Doc that spaCy recomputes on every access, computed once.

``Doc.text`` joins every token on each call; ``Doc.sents`` and
``Token.sent`` check the whole Doc for sentence annotation on each call. The
extractors ask for these several times per Doc and per candidate, and those
recomputations cost about a tenth of extraction. Each view is kept in
``Doc.user_data`` as plain values, checked against the Doc's length.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from spacy.tokens import Doc, Span, Token

__all__ = ["doc_text", "sentence_of", "sentences", "tokens_overlapping"]

_KEY = "reportedly.sentence_starts"
_TEXT_KEY = "reportedly.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once."""
    cached = doc.user_data.get(_TEXT_KEY)
    if cached is None or cached[1] != len(doc):
        cached = doc.user_data[_TEXT_KEY] = (doc.text, len(doc))
    return cached[0]


def _starts(doc: Doc) -> list[int]:
    cached = doc.user_data.get(_KEY)
    if cached is not None and cached[1] == len(doc):
        return cached[0]
    if not doc.has_annotation("SENT_START"):
        starts = [s.start for s in doc.sents]  # spaCy's own error when there are none
    else:
        starts = [0] + [t.i for t in doc[1:] if t.is_sent_start] if len(doc) else []
    doc.user_data[_KEY] = (starts, len(doc))
    return starts


def sentences(doc: Doc) -> list[Span]:
    """The spans ``doc.sents`` gives, as a list."""
    starts = _starts(doc)
    ends = starts[1:] + [len(doc)]
    return [doc[a:b] for a, b in zip(starts, ends)]


def sentence_of(token: Token) -> Span:
    """The sentence holding ``token``, as ``token.sent`` gives it."""
    doc = token.doc
    starts = _starts(doc)
    k = bisect_right(starts, token.i) - 1
    end = starts[k + 1] if k + 1 < len(starts) else len(doc)
    return doc[starts[k] : end]


_ENDS_KEY = "reportedly.token_ends"


def tokens_overlapping(sent: Span, start: int, end: int) -> list[Token]:
    """Tokens of ``sent`` that overlap the characters ``start:end``.

    A bisection over the Doc's token ends (kept once per Doc), instead of a
    walk over the sentence for every figure in it.
    """
    doc = sent.doc
    cached = doc.user_data.get(_ENDS_KEY)
    if cached is None or len(cached[0]) != len(doc):
        cached = doc.user_data[_ENDS_KEY] = ([t.idx + len(t) for t in doc], [t.idx for t in doc])
    ends, starts = cached
    lo = max(bisect_right(ends, start), sent.start)
    hi = min(bisect_left(starts, end), sent.end)
    return [doc[i] for i in range(lo, hi)]
