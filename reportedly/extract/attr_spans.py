"""What attribution's rule finders and learned steps share: the relation
record (:class:`Attribution`), the record of a report found in a sentence,
quotation regions, and character and sentence-unit spans of a parsed Doc.

Offsets are character offsets into ``doc.text``, end exclusive.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from reportedly.extract.docview import sentences
from reportedly.types import Source

__all__ = ["Attribution", "quote_regions", "unit_of"]


_OPEN_QUOTES = "“\""
#: What closes a quote each opening mark starts: scraped text often closes a
#: curly quote with a straight one ("“I heard parts of it," Trump said).
_QUOTE_PAIRS = {"“": "”\"", '"': '"'}
_QUOTE_MARK = re.compile("''|[“”\"]")


@dataclass(slots=True)
class Attribution:
    """One attribution relation.

    ``source`` is resolved (a pronoun's antecedent, with ``resolved_from``
    set); ``source_span`` keeps the source exactly as written in this
    sentence ("They", "who"), which is what annotated corpora mark.
    ``content`` lists the reported fragments, usually one; a quote that
    continues in the next sentences adds fragments.
    """

    source: Source | None
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    content: list[tuple[int, int]]
    sentence_start: int
    sentence_end: int
    source_span: tuple[int, int] | None = None
    #: How the relation was found: "verb:<frame>", "according", "finding", "noun", "speaker",
    #: or "tagger" (the transformer tagger's own cue, where no rule found one).
    pattern: str = "verb"


# --------------------------------------------------------------------------- quotes


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Character ranges of quotations, quote marks included.

    Curly quotes pair “ with ” (or with a straight quote, as scraped text
    mixes them); straight double quotes alternate. A quote is
    never allowed to run across a blank line (a paragraph break), which is how
    an unbalanced mark in scraped text is contained.
    """
    regions: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", text):
        start = None
        closer = ""
        base = para.start()
        # Only the quote marks matter: jump from one to the next. Some outlets
        # (the NYT's archive among them) write a double quote as two
        # apostrophes: '' counts as a straight double quote.
        for mark in _QUOTE_MARK.finditer(para.group()):
            ch = '"' if mark.group() == "''" else mark.group()
            if start is None and ch in _OPEN_QUOTES:
                start, closer = base + mark.start(), _QUOTE_PAIRS[ch]
            elif start is not None and ch in closer:
                regions.append((start, base + mark.end()))
                start = None
    return regions


def _region_at(regions: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The quote region that contains the character range ``[start, end)``."""
    for a, b in regions:
        if a <= start and end <= b:
            return (a, b)
    return None


def _inside_quote(pos: int, regions: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` lies inside a quotation. Attributions nested in quoted
    speech ("“I think we will win,” she said") belong to the quote, not to
    the article, and are not reported separately."""
    return any(a < pos < b for a, b in regions)


# --------------------------------------------------------------------------- spans


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Strip whitespace and separators (commas, colons, dashes) off a character range."""
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-"):
        end -= 1
    return (start, end) if end > start else None


def _chars(tokens: list[Token]) -> tuple[int, int]:
    first = min(tokens, key=lambda t: t.i)
    last = max(tokens, key=lambda t: t.i)
    return first.idx, last.idx + len(last.text)


def _fragments(text: str, keep: list[Token]) -> list[tuple[int, int]]:
    """Contiguous runs of ``keep`` (sorted tokens) as trimmed character ranges."""
    runs: list[list[Token]] = []
    for tok in sorted(keep, key=lambda t: t.i):
        if runs and tok.i == runs[-1][-1].i + 1:
            runs[-1].append(tok)
        else:
            runs.append([tok])
    out = []
    for run in runs:
        # Sentence-final and separating punctuation is not content; quote marks are.
        while run and ((run[-1].is_punct and not run[-1].is_quote) or run[-1].dep_ == "cc" or run[-1].is_space):
            run.pop()
        if not run:
            continue
        trimmed = _trim(text, *_chars(run))
        if trimmed and any(not t.is_punct for t in run):
            out.append(trimmed)
    return out


def _paragraph(token: Token, text: str) -> tuple[int, int]:
    """Character range of the paragraph (text between blank lines) holding ``token``."""
    start = text.rfind("\n\n", 0, token.idx)
    end = text.find("\n\n", token.idx)
    return (0 if start < 0 else start + 2, len(text) if end < 0 else end)


def _clip(span: tuple[int, int], para: tuple[int, int]) -> tuple[int, int] | None:
    """A content span cut to the cue's paragraph: reported content never
    crosses a paragraph break (a scraped title or caption is not what was said)."""
    start, end = max(span[0], para[0]), min(span[1], para[1])
    return (start, end) if end > start else None


#: Where a Doc keeps its sentence bounds and paragraph breaks once computed:
#: every candidate cue asks for its unit several times, and walking the
#: sentence on each call cost more than the rest of attribution together.
_UNITS_KEY = "reportedly.attr_units"


def _sentences_and_breaks(doc: Doc) -> tuple[list[tuple[int, int]], list[int]]:
    """Each token's sentence range, and the paragraph-break tokens in order."""
    cached = doc.user_data.get(_UNITS_KEY)
    if cached is None or len(cached[0]) != len(doc):
        bounds: list[tuple[int, int]] = []
        for sent in sentences(doc):
            bounds.extend([(sent.start, sent.end)] * len(sent))
        breaks = [t.i for t in doc if t.is_space and "\n\n" in t.text]
        cached = doc.user_data[_UNITS_KEY] = (bounds, breaks)
    return cached


def _unit(token: Token) -> tuple[int, int]:
    """Token range of the sentence holding ``token``, cut at paragraph breaks.

    The small English parser often runs a sentence on across a blank line
    (a headline into the first paragraph, "... he said.\n\nThe next ..."),
    and what a cue reports never crosses a paragraph.
    """
    bounds, breaks = _sentences_and_breaks(token.doc)
    start, end = bounds[token.i]
    before = bisect_left(breaks, token.i)
    if before and breaks[before - 1] >= start:
        start = breaks[before - 1] + 1
    after = bisect_right(breaks, token.i)
    if after < len(breaks) and breaks[after] < end:
        end = breaks[after]
    return start, end


def unit_of(token: Token) -> tuple[int, int]:
    """The sentence unit (token range) of ``token``, as attribution reads it:
    the tagger's logits are read unit by unit, so training scripts that weigh
    them read the same units."""
    return _unit(token)


def _strip_punct(tokens: list[Token]) -> list[Token]:
    """``tokens`` without the punctuation and space at either end."""
    lo, hi = 0, len(tokens)
    while lo < hi and (tokens[lo].is_punct or tokens[lo].is_space):
        lo += 1
    while hi > lo and (tokens[hi - 1].is_punct or tokens[hi - 1].is_space):
        hi -= 1
    return tokens[lo:hi]


@dataclass(slots=True)
class _Found:
    cue: list[Token]
    subject: Token | None
    source: list[Token] | None
    content: list[tuple[int, int]]
    via: list[str]
    pattern: str
    #: The cue classifier's probability (1.0 where it was not asked).
    score: float = 1.0
