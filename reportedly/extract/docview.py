"""Views of a parsed Doc that spaCy recomputes on every access, computed once.

``Doc.text`` joins every token on each call; ``Doc.sents`` and
``Token.sent`` check the whole Doc for sentence annotation on each call. The
extractors ask for these several times per Doc and per candidate, and those
recomputations cost about a tenth of extraction. Each view is kept in
``Doc.user_data`` as plain values, checked against the Doc's length.

Token attributes the extractors scan over whole sentences (offsets, entity
tags, space tokens) are read once per Doc with ``Doc.to_array``: every
``doc[i]`` makes a new Python ``Token``, and walking sentences token by token
made hundreds of thousands of them per thousand sentences.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import NamedTuple

from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, IDX, IS_PUNCT, IS_SPACE, LENGTH, LOWER, ORTH, POS, SENT_START, SPACY
from spacy.tokens import Doc, Span, Token

__all__ = [
    "doc_text",
    "entities",
    "entities_within",
    "entity_labels_from",
    "in_subtree",
    "lower_words",
    "ParseView",
    "parse_view",
    "paragraph_breaks",
    "sentence_of",
    "sentences",
    "space_flags",
    "span_text",
    "tokens_overlapping",
    "tree",
]

_KEY = "reportedly.sentence_starts"
_TEXT_KEY = "reportedly.text"
_ARRAYS_KEY = "reportedly.token_arrays"
_ENTS_KEY = "reportedly.entities"
_LOWER_KEY = "reportedly.lower"
_TREE_KEY = "reportedly.tree"
_PARSE_KEY = "reportedly.parse_view"
#: ``Token.ent_iob`` codes, as ``Token.ent_iob_`` names them
_IOB_I, _IOB_B = 1, 3


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once, from the token arrays: each token's text and
    its trailing space, as ``Doc.text`` joins them, without a Token per word."""
    cached = doc.user_data.get(_TEXT_KEY)
    if cached is None or cached[1] != len(doc):
        arrays = _arrays(doc)
        strings = doc.vocab.strings
        text = "".join([strings[orth] + " " if space else strings[orth] for orth, space in zip(arrays[7], arrays[8])])
        cached = doc.user_data[_TEXT_KEY] = (text, len(doc))
    return cached[0]


def span_text(span: Span) -> str:
    """``span.text``, cut from the Doc's text joined once (a Span joins its
    tokens on every access); the same string: a token's trailing whitespace is
    at most one space, which ``Span.text`` leaves off the last token."""
    return doc_text(span.doc)[span.start_char : span.end_char]


def _arrays(doc: Doc) -> tuple[list[int], ...]:
    """Per token: sentence-start flag, char offset, length, entity IOB code,
    entity label hash, is-space flag, lower-case form hash, text hash and
    trailing-space flag; as plain lists."""
    cached = doc.user_data.get(_ARRAYS_KEY)
    if cached is not None and len(cached[0]) == len(doc):
        return cached  # type: ignore[no-any-return]
    if len(doc):
        columns = doc.to_array([SENT_START, IDX, LENGTH, ENT_IOB, ENT_TYPE, IS_SPACE, LOWER, ORTH, SPACY]).T.tolist()
    else:
        columns = [[] for _ in range(9)]
    cached = doc.user_data[_ARRAYS_KEY] = tuple(columns)
    return cached  # type: ignore[return-value]


def _starts(doc: Doc) -> list[int]:
    cached = doc.user_data.get(_KEY)
    if cached is not None and cached[1] == len(doc):
        return cached[0]
    if not doc.has_annotation("SENT_START"):
        starts = [s.start for s in doc.sents]  # spaCy's own error when there are none
    elif len(doc):
        # ``Token.is_sent_start`` is true only for the code 1 (-1: not a start, 0: unknown)
        flags = _arrays(doc)[0]
        starts = [0] + [i for i in range(1, len(doc)) if flags[i] == 1]
    else:
        starts = []
    doc.user_data[_KEY] = (starts, len(doc))
    return starts


def sentences(doc: Doc) -> list[Span]:
    """The spans ``doc.sents`` gives, as a list."""
    starts = _starts(doc)
    ends = starts[1:] + [len(doc)]
    # ``Span(doc, a, b)`` is what ``doc[a:b]`` makes, without its Python-level slice checks
    return [Span(doc, a, b) for a, b in zip(starts, ends)]


def sentence_of(token: Token) -> Span:
    """The sentence holding ``token``, as ``token.sent`` gives it."""
    doc = token.doc
    starts = _starts(doc)
    k = bisect_right(starts, token.i) - 1
    end = starts[k + 1] if k + 1 < len(starts) else len(doc)
    return Span(doc, starts[k], end)


def space_flags(doc: Doc) -> list[int]:
    """``Token.is_space`` of every token, as 0/1."""
    return _arrays(doc)[5]


def lower_words(doc: Doc) -> list[str]:
    """``Token.lower_`` of every token."""
    cached = doc.user_data.get(_LOWER_KEY)
    if cached is None or len(cached) != len(doc):
        strings = doc.vocab.strings
        cached = doc.user_data[_LOWER_KEY] = [strings[h] for h in _arrays(doc)[6]]
    return cached  # type: ignore[no-any-return]


def paragraph_breaks(doc: Doc) -> list[int]:
    """Indices of the whitespace tokens holding a blank line, in order."""
    arrays = _arrays(doc)
    text = doc_text(doc)
    return [
        i
        for i, flag in enumerate(arrays[5])
        if flag and text.count("\n", arrays[1][i], arrays[1][i] + arrays[2][i]) >= 2
    ]


def _entities(doc: Doc) -> tuple[list[int], list[int], list[str]]:
    """Starts, ends and labels of the Doc's entities, read off the IOB codes
    as a walk over the tokens reads them: "B" opens one, anything but "I"
    closes it."""
    cached = doc.user_data.get(_ENTS_KEY)
    if cached is not None and cached[3] == len(doc):
        return cached[0], cached[1], cached[2]
    arrays = _arrays(doc)
    iob, types = arrays[3], arrays[4]
    strings = doc.vocab.strings
    starts: list[int] = []
    ends: list[int] = []
    labels: list[str] = []
    open_at: int | None = None
    for i, code in enumerate(iob):
        if open_at is not None and code != _IOB_I:
            ends.append(i)
            open_at = None
        if code == _IOB_B:
            open_at = i
            starts.append(i)
            labels.append(strings[types[i]] if types[i] else "")
    if open_at is not None:
        ends.append(len(doc))
    doc.user_data[_ENTS_KEY] = (starts, ends, labels, len(doc))
    return starts, ends, labels


def entity_labels_from(doc: Doc, lo: int, hi: int) -> list[str]:
    """Labels of the entities whose first token lies in ``lo..hi`` (inclusive)."""
    starts, _, labels = _entities(doc)
    return labels[bisect_left(starts, lo) : bisect_right(starts, hi)]


def entities_within(span: Span) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` of each entity wholly inside ``span``."""
    starts, ends, labels = _entities(span.doc)
    lo = bisect_left(starts, span.start)
    hi = bisect_left(starts, span.end)
    return [(starts[k], ends[k], labels[k]) for k in range(lo, hi) if ends[k] <= span.end]


def entities(span: Span) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` of each entity that begins inside ``span``, cut
    at the span's end: what a walk over the span's own tokens finds."""
    starts, ends, labels = _entities(span.doc)
    lo = bisect_left(starts, span.start)
    hi = bisect_left(starts, span.end)
    return [(starts[k], min(ends[k], span.end), labels[k]) for k in range(lo, hi)]


def tree(doc: Doc) -> tuple[list[int], list[int], list[list[int]]]:
    """The parse as plain lists: each token's head index, dependency label id
    (``Token.dep``; compare with ``doc.vocab.strings[label]``) and children
    in text order (``Token.children``)."""
    cached = doc.user_data.get(_TREE_KEY)
    if cached is not None and len(cached[0]) == len(doc):
        return cached  # type: ignore[no-any-return]
    heads: list[int] = []
    deps: list[int] = []
    if len(doc):
        array = doc.to_array([HEAD, DEP])
        # HEAD is an offset from the token, negative for a head before it (read back as signed)
        heads = [i + rel for i, rel in enumerate(array[:, 0].astype("int64").tolist())]
        deps = array[:, 1].tolist()
    children: list[list[int]] = [[] for _ in heads]
    for i, h in enumerate(heads):
        if h != i:
            children[h].append(i)
    cached = doc.user_data[_TREE_KEY] = (heads, deps, children)
    return cached


def in_subtree(token: Token, top: Token) -> bool:
    """Whether ``token`` is in ``top``'s subtree: ``top`` is ``token`` or one of
    its ancestors. A climb of a few heads, where ``Token.subtree`` makes a
    Token of every word under ``top``."""
    if not top.left_edge.i <= token.i <= top.right_edge.i:
        return False  # a subtree lies between its edges
    node = token
    while node.i != top.i:
        head = node.head
        if head.i == node.i:
            return False  # the root, and ``top`` not met on the way
        node = head
    return True


def tokens_overlapping(sent: Span, start: int, end: int) -> list[Token]:
    """Tokens of ``sent`` that overlap the characters ``start:end``.

    A bisection over the Doc's token ends (kept once per Doc), instead of a
    walk over the sentence for every figure in it.
    """
    doc = sent.doc
    arrays = _arrays(doc)
    starts = arrays[1]
    ends = doc.user_data.get(_ENDS_KEY)
    if ends is None or len(ends) != len(doc):
        ends = doc.user_data[_ENDS_KEY] = [a + n for a, n in zip(starts, arrays[2])]
    lo = max(bisect_right(ends, start), sent.start)
    hi = min(bisect_left(starts, end), sent.end)
    return [doc[i] for i in range(lo, hi)]


_ENDS_KEY = "reportedly.token_ends"


class ParseView(NamedTuple):
    """A parsed Doc's words, tags and tree as plain lists, indexed by token.

    For code that walks many tokens per candidate (attribution's boundary
    features): ``doc[i]`` makes a new ``Token`` each time, and its ``head``,
    ``left_edge`` and ``right_edge`` one more each.
    """

    lower: list[str]  # Token.lower_
    pos: list[str]  # Token.pos_
    dep: list[str]  # Token.dep_
    punct: list[bool]  # Token.is_punct
    space: list[int]  # Token.is_space, 0/1
    heads: list[int]  # Token.head.i
    left: list[int]  # Token.left_edge.i
    right: list[int]  # Token.right_edge.i


def parse_view(doc: Doc) -> ParseView:
    """The :class:`ParseView` of ``doc``, built once."""
    cached = doc.user_data.get(_PARSE_KEY)
    if cached is not None and len(cached.heads) == len(doc):
        return cached  # type: ignore[no-any-return]
    strings = doc.vocab.strings
    heads, deps, _ = tree(doc)
    if len(doc):
        pos_ids, punct = doc.to_array([POS, IS_PUNCT]).T.tolist()
    else:
        pos_ids, punct = [], []
    # The subtree edges spaCy keeps per token (read, not recomputed, so a
    # non-projective parse gives the same edges as ``Token.left_edge``).
    edges = [(t.left_edge.i, t.right_edge.i) for t in doc]
    view = ParseView(
        lower=lower_words(doc),
        pos=[strings[h] if h else "" for h in pos_ids],
        dep=[strings[h] if h else "" for h in deps],
        punct=[bool(x) for x in punct],
        space=space_flags(doc),
        heads=heads,
        left=[a for a, _ in edges],
        right=[b for _, b in edges],
    )
    doc.user_data[_PARSE_KEY] = view
    return view
