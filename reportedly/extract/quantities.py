"""Figures in a sentence: value or range, bound, unit, counted thing, actor,
locations, change and concept.

``find_quantities(sent)`` is called once per parsed sentence by the frames
assembler. It works in two passes:

1. *Where are the figures?* Precompiled regular expressions over the
   sentence text find digit figures with their currency prefix, multiplier
   and unit ("US $58.24 per barrel", "$1.762bn", "6.1-inch"); spaCy's
   ``like_num`` tokens give number words ("three thousand", "a third",
   "thousands"). Figures that are dates, years, times, ordinals, scores,
   phone numbers or parts of names are dropped here, mostly by looking at the
   characters around them and the entity label spaCy gave the token.
2. *What do they say?* The dependency parse around each figure gives the
   counted noun, the change verb ("fell to", "up 19 cents"), the previous
   value ("down from"), the actor (ORG/NORP entity on the noun), the
   locations (GPE/LOC entities attached with "in") and the concept (the
   clause's subject or the noun the figure describes).

No extra spaCy calls are made: everything reads token attributes of the
already parsed Doc.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, overload

from spacy.tokens import Span, Token

from reportedly.extract.numbers import (
    LEXICON,
    MULTIPLIERS,
    NUMBER_WORDS,
    ParsedNumber,
    parse_digits,
    parse_fraction,
    parse_number_words,
    parse_vague,
)
from reportedly.extract.units import (
    UnitMatch,
    match_currency_prefix,
    match_currency_suffix,
    match_unit,
    with_denominator,
)
from reportedly.extract.docview import entities_within, in_subtree, lower_words, span_text, tokens_overlapping
from reportedly.types import Bound, Change, Quantity

__all__ = ["QuantityMention", "Role", "find_quantities"]

#: "figure": a level or count; "change": the amount of a change ("rose 5%");
#: "previous": the earlier value a change is measured from ("down from 30,000").
Role = Literal["figure", "change", "previous"]


@dataclass(slots=True)
class QuantityMention:
    """One figure found in a sentence.

    ``quantity`` start/end are character offsets into ``doc.text`` covering
    the figure with its bound words and unit; ``token_start``/``token_end``
    the doc token range of the same span (end exclusive).
    """

    quantity: Quantity
    token_start: int
    token_end: int
    hedges: list[str] = field(default_factory=list)
    concept: str | None = None
    role: Role = "figure"


# ---------------------------------------------------------------- vocabulary

_BOUNDS: dict[str, str] = LEXICON["bounds"]
_APPROX: set[str] = set(LEXICON["approximate_hedges"])
_UP: set[str] = set(LEXICON["change_up_lemmas"])
_DOWN: set[str] = set(LEXICON["change_down_lemmas"])
_PARTICLE_VERBS: set[str] = set(LEXICON["change_particle_verbs"])
#: "raised $3bn" is money raised, "raised prices by 5%" a change
_NOT_WITH_OBJECT: set[str] = set(LEXICON["change_lemmas_not_with_object"])
_MARKET_PARTICLE_VERBS: set[str] = set(LEXICON["change_particle_verbs_market"])
#: what a price or an index moves in ("opened up 100 points", "started 2% lower")
_MARKET_UNITS = {"point", "%", "percent", "cent", "penny", "pence", "basis"}
_UP_PARTICLES = {"up", "higher"}
_DOWN_PARTICLES = {"down", "lower"}
_MONTHS: set[str] = set(LEXICON["months"])
_DURATIONS: set[str] = set(LEXICON["duration_units"])
_NON_COUNT_DET: set[str] = set(LEXICON["non_count_determiners"])
_NAME_LABELS: set[str] = set(LEXICON["name_entity_labels"])
_ACTOR_LABELS: set[str] = set(LEXICON["actor_entity_labels"])
_LOC_LABELS: set[str] = set(LEXICON["location_entity_labels"])
_FRACTION_WORDS: set[str] = set(LEXICON["fraction_denominators"])
_VAGUE_HEADS = {k.split()[-1] for k in LEXICON["vague_amounts"]}
#: words that "a" may precede inside a figure ("a million", "a third", "a dozen")
_A_BEFORE = {"hundred", "thousand", "million", "billion", "trillion", "dozen"} | set(LEXICON["fraction_denominators"])
_SCALE_WORDS = {"hundred", "thousand", "million", "billion", "trillion", "dozen"}
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
#: every word on which ``_word_figures`` may start a figure ("-fold" words aside)
_WORD_STARTS = set(NUMBER_WORDS) | _VAGUE_HEADS | _FRACTION_WORDS | {"tens", "hundreds", "a", "an", "half"}
#: "a"/"an" start a figure only before another of ``_WORD_STARTS``
_WORD_STARTS_NOT_A = _WORD_STARTS - {"a", "an"}
#: a sentence whose text holds none of these words (not inside a longer run of
#: letters, as a token's text never is; "a"/"an" only start a figure before a word
#: listed here) has no word figure, and its tokens need no walk
_WORD_HINT_RE = re.compile(
    "(?<![a-z])(?:"
    + "|".join(sorted((re.escape(w) for w in _WORD_STARTS - {"a", "an"}), key=len, reverse=True))
    + ")(?![a-z])|fold(?![a-z])"
)
#: prepositions that tie a figure to the noun it describes ("sales of 5,835 units",
#: "an XI with eight changes", "reductions on 50 products", "a stake for 92 million yuan",
#: "investments over 35 GWh", "levels at 1200 ppm")
_NOUN_PREPS = {"of", "with", "on", "for", "at", "over"}
#: what a partitive's noun phrase ends before: clauses, conjuncts, appositions
_PARTITIVE_CUT_DEPS = {"relcl", "acl", "advcl", "ccomp", "xcomp", "conj", "cc", "appos", "punct"}
#: singular denominators that are also ordinals ("a third term")
_ORDINAL_DENOMINATORS = {"third", "fourth", "fifth", "sixth", "eighth", "tenth"}
_TIME_DETERMINERS = {"last", "next", "this", "coming"}
_COMPARED_PREPS = {"from", "to", "than", "with", "versus", "vs", "vs."}
_TIME_PHRASE_STARTS = {"last", "a", "an", "the", "this", "earlier", "previously", "in"}
_PARTICLES = {"off", "up", "out", "down"}
_PERSONAL_PRONOUNS = {"i", "you", "we", "they", "he", "she"}
_NUMBER_NOUNS = {"number", "total", "figure", "count", "tally", "toll", "estimate", "estimates"}
_LOC_PREPS = {"in", "across", "inside", "throughout", "within", "from"}

_NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_MULT_WORDS = r"(?:\s?(?i:thousand|million|billion|trillion|crore|lakh)(?![A-Za-z]))"
_MULT_ABBR = r"(?:(?:bn|bln|mn|mln|tn|trn|k|K|m|M|b|B)(?![A-Za-z]))"
_MULT_SPACED = r"(?:\s(?:bn|bln|mn|mln|trn|M|B|K)(?![A-Za-z]))"
_FIGURE_RE = re.compile(
    r"(?<![\d,:/])(?:(?<=[^.\d])|^)(?P<sign>[-\u2212](?=\d))?(?P<num>" + _NUM + r")"
    r"(?P<mult>" + _MULT_WORDS + "|" + _MULT_ABBR + "|" + _MULT_SPACED + r")?"
)
_CONNECT_RE = re.compile(r"^\s*(?:[-\u2013](?=to-))?(?P<c>-|\u2013|to|and|through|or|up to)\s*(?:[-\u2013]\s*)?$", re.I)
_BOUND_RE = re.compile(
    r"(?i)(?:^|(?<=[^A-Za-z]))(?P<b>"
    + "|".join(re.escape(b).replace(r"\ ", r"\s+") for b in sorted(_BOUNDS, key=len, reverse=True))
    + r")\s*$"
)
_POST_BOUND_RE = re.compile(r"(?i)^(?:\s?(?P<plus>\+|-plus)|\s+or\s+(?P<ormore>more|so|less|fewer))(?![A-Za-z])")
_TIME_AFTER_RE = re.compile(r"^(?:[:.]\d{2})?\s?(?:[ap]\.?m\.?|GMT|BST|EST|EDT|PST|PDT|UTC|CET)(?![A-Za-z])", re.I)
_PHONE_RE = re.compile(r"^\(?\d{3}\)?[-. ]\d{3}[-. ]\d{4}")
_MINUS_RE = re.compile(r"(?i)minus-?\s?$")
_METRE_CUE_RE = re.compile(
    r"(?i)(?:[-\s]?(?:high|tall|long|wide|deep|sprint|race|dash|hurdles|freestyle|relay|pool|away|above|below|range)\b|\s*$|\s*[).,;])"
)
_SCI_RE = re.compile(r"^\s?[x\u00d7]\s?10\s?(?:\^|\*\*)?\s?(?P<exp>[-\u2212]?\d+)")
_RATE_AFTER_RE = re.compile(r"\s+(?:per|a|an|each)\s+(?P<per>second|minute|hour|day|week|month|year)\b(?!\s+(?:earlier|ago|later|before))", re.I)
_LIST_NUMBER_RE = re.compile(r"^\d{1,2}[.)]\s+\S")
#: a word glued to a figure that leaves it a figure: a range's "to" ("200,000
#: to-260,000", "0-to-60-mph"), "now"/"then" before an age ("her now-18 month-old daughter")
_TO_GLUED_RE = re.compile(r"(?i)(?:^|[^a-z])(?:to|now|then)-$")
_SUB_RE = re.compile(r"(?i)(?:^|(?<=[^A-Za-z]))sub-$")


@dataclass(slots=True)
class _Figure:
    """A figure found in pass 1 (sentence-relative char offsets)."""

    start: int  # first char of the figure (currency prefix included)
    num_start: int
    end: int  # end of the figure incl. unit
    number: ParsedNumber
    unit: UnitMatch | None = None
    currency: bool = False
    has_mult: bool = False
    words: bool = False  # written in words ("three", "thousands")
    fraction: bool = False
    bound: str = "="
    bound_start: int | None = None
    bound_text: str | None = None
    dropped: bool = False
    tokens: list[Token] = field(default_factory=list)


# ---------------------------------------------------------------- pass 1: figures


#: the first character of every ``_FIGURE_RE`` match: a sign, a digit or a point
_FIGURE_START_RE = re.compile(r"[-\u2212.\d]")


def _figure_matches(text: str) -> Iterator[re.Match[str]]:
    """``_FIGURE_RE.finditer(text)``, tried only where a figure can start:
    ``re`` tries the pattern's look-behinds at every character otherwise."""
    pos = 0
    while (c := _FIGURE_START_RE.search(text, pos)) is not None:
        m = _FIGURE_RE.match(text, c.start())
        if m is None:
            pos = c.start() + 1
            continue
        yield m
        pos = m.end()


def _digit_figures(text: str) -> list[_Figure]:
    figures: list[_Figure] = []
    skip_until = 0
    for m in _figure_matches(text):
        s, e = m.start(), m.end()
        if s < skip_until:
            continue
        before = text[:s]
        prev = before[-1:] if before else ""
        after = text[e:]
        mult = (m.group("mult") or "").strip()
        # glued to letters or to another number: "V10", "COVID-19", "ID.3", "10:27", "2.15pm"
        negative = False
        if m.group("sign"):
            if prev.isalpha() or prev.isdigit():
                # "COVID-19", "TA-25", "5-10" (a range, the second figure comes next), "sub-7", "minus-1.4"
                if _MINUS_RE.search(text[: s + 1]):
                    negative = True
                elif not _SUB_RE.search(text[: s + 1]) and not _TO_GLUED_RE.search(text[: s + 1]):
                    continue
                s += 1
                before = text[:s]
                prev = "-"
            elif re.search(r"[A-Z]{2,}\s$", before):
                continue  # "COVID -19"
            else:
                negative = True
        cur = match_currency_prefix(text, s)
        if cur is not None and cur.surface == "PS" and not mult and re.fullmatch(r"\d", m.group("num")) and not after[:1].isalnum():
            continue  # "the PS5": a console; "PS2.7m", "PS20" are pounds written without their sign
        if prev.isalpha() and cur is None:
            continue
        if (
            prev == "-"
            and len(before) >= 2
            and before[-2].isalpha()
            and not _MINUS_RE.search(before)
            and not _SUB_RE.search(before)
            and not _TO_GLUED_RE.search(before)
        ):
            continue
        if prev == "." and len(before) >= 2 and before[-2].isalnum():
            continue
        if _TIME_AFTER_RE.match(after) or (after[:1] in ":/" and after[1:2].isdigit()):
            continue  # "10:27", "9/11", "24/7"
        phone = _PHONE_RE.match(text[s:])
        if phone:
            skip_until = s + phone.end()
            continue
        value = parse_digits(m.group("num"))
        if value is None:
            continue
        if mult == "m" and cur is None and _METRE_CUE_RE.match(after):
            mult = ""  # "100m sprint": metres, read as a unit below
            e = m.start("mult")
            after = text[e:]
        if mult:
            value *= MULTIPLIERS.get(mult, MULTIPLIERS.get(mult.lower(), 1.0))
        sci = _SCI_RE.match(after)
        if sci and not mult:  # "1.99 x 10^-30"
            value *= 10.0 ** int(sci.group("exp").replace("\u2212", "-"))
            e += sci.end()
            after = text[e:]
            skip_until = e
        if negative or _MINUS_RE.search(text, max(0, s - 10), s):  # "minus" right before the figure
            value = -value
        fig = _Figure(start=s, num_start=s, end=e, number=ParsedNumber(value, value), has_mult=bool(mult))
        if cur is not None:
            fig.start = cur.start
            fig.currency = True
            fig.unit = with_denominator(text, UnitMatch(cur.name, cur.surface, e, e), price=True)
            fig.end = max(e, fig.unit.end)
        else:
            unit = match_unit(text, e) or match_currency_suffix(text, e)
            if unit is None and after[:1].isalpha():
                continue  # "22nd", "5G", "1990s", "3D": ordinals, names, decades
            if unit is not None:
                if unit.name in ("year of age",) or not (unit.name == "metre" and unit.surface == "m" and mult):
                    fig.unit = unit
                    fig.end = unit.end
        figures.append(fig)
    return figures


def _word_figures(sent: Span, base: int) -> list[_Figure]:
    """Figures written in words: "three", "twenty-five", "a third", "thousands", "sixfold"."""
    figures: list[_Figure] = []
    lowers = lower_words(sent.doc)[sent.start : sent.end]
    # a figure in words starts on one of these tokens (the loop below skips all others)
    if not any(low in _WORD_STARTS_NOT_A or low.endswith("fold") for low in lowers):
        return figures
    if not _WORD_HINT_RE.search(span_text(sent).lower()):
        return figures
    toks = _LazyTokens(sent)
    i = 0
    while i < len(toks):
        low = lowers[i]
        if low not in _WORD_STARTS and not low.endswith("fold"):
            i += 1  # most tokens: nothing below could start a figure on them
            continue
        t = toks[i]
        if any(c.isdigit() for c in t.text) and low not in NUMBER_WORDS:
            i += 1
            continue
        if low in _VAGUE_HEADS or (low in ("tens", "hundreds") and i + 2 < len(toks)):
            words = [low]
            j = i + 1
            if low in ("tens", "hundreds") and i + 2 < len(toks) and lowers[i + 1] == "of" and lowers[i + 2] in _VAGUE_HEADS:
                words = [low, "of", lowers[i + 2]]
                j = i + 3
            elif low == "handful" and i > 0 and lowers[i - 1] == "a":
                words = ["a", "handful"]
            vague = parse_vague(words)
            if vague is not None and (low != "scores" or (j < len(toks) and lowers[j] == "of")):
                start = toks[i - 1].idx if words[0] == "a" else t.idx
                figures.append(_Figure(start - base, start - base, toks[j - 1].idx + len(toks[j - 1]) - base, vague, words=True, tokens=toks[i:j]))
                i = j
                continue
        if low.endswith("fold") and low[:-4] in NUMBER_WORDS:
            v = NUMBER_WORDS[low[:-4]]
            f = _Figure(t.idx - base, t.idx - base, t.idx + len(t) - base, ParsedNumber(v, v), words=True, tokens=[t])
            f.unit = UnitMatch("count", t.text, f.end, f.end)
            figures.append(f)
            i += 1
            continue
        if low not in NUMBER_WORDS and low not in ("a", "an", "half") and low not in _FRACTION_WORDS:
            i += 1
            continue
        # gather a run: number words, "-", "and" between words; "a" only before a scale/fraction
        j = i
        run: list[Token] = []
        while j < len(toks):
            w = lowers[j]
            if w in NUMBER_WORDS or (w in ("a", "an") and j == i) or w in _FRACTION_WORDS or w == "half":
                run.append(toks[j])
                j += 1
                if w in _FRACTION_WORDS or w == "half":
                    break
                continue
            if w in ("-", "and") and run and j + 1 < len(toks) and (lowers[j + 1] in NUMBER_WORDS or lowers[j + 1] in _FRACTION_WORDS) and lowers[j + 1] not in ("a",):
                if w == "and" and run[-1].lower_ not in ("hundred", "thousand", "million", "billion"):
                    break
                run.append(toks[j])
                j += 1
                continue
            break
        while run and run[-1].lower_ in ("-", "and"):
            run.pop()
        if run and run[0].lower_ in ("a", "an") and (len(run) < 2 or run[1].lower_ not in _A_BEFORE):
            run = run[1:]
        words = [r.lower_ for r in run if r.lower_ not in ("-",)]
        if not words or words in (["a"], ["an"]) or words == ["dozen"]:
            i = max(j, i + 1)
            continue
        nxt_tok = toks[j] if j < len(toks) else None
        if nxt_tok is not None and nxt_tok.text[:1].isdigit() and words == ["one"]:
            i = j  # "just one 52,000 barrel-a-day refinery": the digits are the figure
            continue
        if run[0].text[:1].isupper() and run[0].i > sent.start and not toks[run[0].i - sent.start - 1].is_punct:
            i = j  # "Kick Six", "BBC One": part of a name
            continue
        number: ParsedNumber | None = None
        fraction = False
        if words[-1] in _FRACTION_WORDS or words[-1] == "half":
            fr = parse_fraction(words) if (len(words) >= 2 or words == ["half"]) else None
            if nxt_tok is not None and nxt_tok.text in ("-",):
                fr = None  # "a third-round tie", "a quarter-final"
            elif (
                nxt_tok is not None
                and words[-1] in _ORDINAL_DENOMINATORS
                and run[-1].dep_ in ("amod", "nummod", "compound")
                and run[-1].head.i > run[-1].i
                and run[-1].head.pos_ == "NOUN"
                and nxt_tok.lower_ != "of"
            ):
                fr = None  # "seeking a third term", "a fifth straight win": an ordinal
            if fr is not None and not (words == ["half"] and _is_half_adverb(run[-1])):
                number, fraction = ParsedNumber(fr, fr), True
                # "a quarter of a million dollars", "half a billion"
                k = j + (1 if j < len(toks) and lowers[j] == "of" else 0)
                if k + 1 < len(toks) and lowers[k] in ("a", "an") and lowers[k + 1] in _SCALE_WORDS:
                    v = fr * NUMBER_WORDS[lowers[k + 1]]
                    number, fraction = ParsedNumber(v, v), False
                    run = run + toks[j : k + 2]
                    j = k + 2
        else:
            # digits followed by a scale word ("2.5 million") are digit figures already
            v = parse_number_words(words)
            if v is not None:
                number = ParsedNumber(v, v)
        if number is None:
            i = max(j, i + 1)
            continue
        start = run[0].idx - base
        fig = _Figure(start, start, run[-1].idx + len(run[-1]) - base, number, words=True, fraction=fraction, tokens=run)
        if not fraction:
            text = span_text(sent)
            cur = match_currency_prefix(text, fig.start)
            if cur is not None:  # "$ five million" is rare but "£ two" happens in quotes
                fig.start, fig.currency = cur.start, True
                fig.unit = with_denominator(text, UnitMatch(cur.name, cur.surface, fig.end, fig.end))
            else:
                fig.unit = match_unit(text, fig.end)
            if fig.unit is not None:
                fig.end = max(fig.end, fig.unit.end)
        figures.append(fig)
        i = j
    return figures


class _LazyTokens:
    """A sentence's tokens as a list, each made on first use: ``doc[i]`` makes
    a new Python object every time, and most words of a sentence are never
    looked at once their lower-case form has ruled them out."""

    __slots__ = ("_doc", "_start", "_made")

    def __init__(self, sent: Span) -> None:
        self._doc = sent.doc
        self._start = sent.start
        self._made: list[Token | None] = [None] * len(sent)

    def __len__(self) -> int:
        return len(self._made)

    @overload
    def __getitem__(self, k: int) -> Token: ...

    @overload
    def __getitem__(self, k: slice) -> list[Token]: ...

    def __getitem__(self, k: int | slice) -> Token | list[Token]:
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self._made)))]
        if k < 0:
            k += len(self._made)
        tok = self._made[k]  # IndexError past the end, as a list
        if tok is None:
            tok = self._made[k] = self._doc[self._start + k]
        return tok


def _is_half_adverb(t: Token) -> bool:
    # "half as loud", "half-time", "the second half": not a share of something
    nxt = t.nbor(1) if t.i + 1 < len(t.doc) else None
    prev = t.nbor(-1) if t.i > 0 else None
    if prev is not None and prev.lower_ in ("second", "first", "the", "other", "this", "that", "each"):
        return True
    if nxt is not None and nxt.lower_ in ("a", "an") and t.i + 2 < len(t.doc) and t.doc[t.i + 2].lower_ in _SCALE_WORDS:
        return False  # "half a billion"
    return nxt is not None and nxt.lower_ in ("as", "-", "time", "an", "a", "hour", "way", "century", "decade")


# ---------------------------------------------------------------- helpers


def _tokens_in(sent: Span, start: int, end: int) -> list[Token]:
    return tokens_overlapping(sent, start, end)


def _anchor(fig: _Figure, sent: Span, base: int) -> Token | None:
    toks = fig.tokens or _tokens_in(sent, base + fig.num_start, base + fig.end)
    fig.tokens = toks
    nums = [t for t in toks if t.like_num or any(c.isdigit() for c in t.text)]
    return (nums or toks or [None])[-1]


def _is_year(fig: _Figure, anchor: Token) -> bool:
    v = fig.number.low
    num_text = anchor.text
    return (
        fig.unit is None
        and not fig.words
        and not fig.has_mult
        and v.is_integer()
        and (1100 <= v <= 2200 if anchor.ent_type_ in ("DATE", "") else False)
        and (anchor.ent_type_ == "DATE" or 1800 <= v <= 2100)
        and "," not in num_text
        and not (anchor.head.tag_ == "NNS" and anchor.head.i > anchor.i and anchor.dep_ == "nummod")
    )


def _drop_reason(fig: _Figure, anchor: Token, sent: Span, text: str) -> str | None:
    """Why a figure is not a quantity (date, year, time, name...), or None."""
    doc = anchor.doc
    prev = doc[anchor.i - 1] if anchor.i > sent.start else None
    nxt = doc[anchor.i + 1] if anchor.i + 1 < sent.end else None
    unit_name = fig.unit.name if fig.unit else None
    measured = unit_name is not None and unit_name not in _DURATIONS
    duration = unit_name in _DURATIONS or (
        unit_name is not None and unit_name.split(" per ")[0] in _DURATIONS
    )
    if _is_year(fig, anchor):
        return "year"
    if fig.start == 0 and not fig.unit and not fig.currency and _LIST_NUMBER_RE.match(text):
        return "list number"  # "6. John Kasich.", "2) Raise taxes": an item's place in a list
    if anchor.head.lemma_.lower() in _DURATIONS and anchor.head.i > anchor.i:
        duration = True  # "the 50 previous years"
    if not fig.currency and not measured:
        rate = _RATE_AFTER_RE.match(text, fig.end) is not None  # "an average of 20 per week"
        if anchor.ent_type_ in ("DATE", "TIME") and not duration and not fig.words and not rate and _date_like(fig, anchor):
            # "up from 12 last year", "compared with 31 a year earlier": a count the
            # tagger merged with the time phrase after it
            compared = (
                prev is not None
                and prev.lower_ in _COMPARED_PREPS
                and nxt is not None
                and nxt.lower_ in _TIME_PHRASE_STARTS
                and nxt.ent_type_ == "DATE"
            )
            if not compared:
                return "date"
        for nb in (prev, nxt):
            if nb is not None and nb.text.rstrip(".").lower() in _MONTHS and nb.text[:1].isupper():
                return "date"
        if anchor.ent_type_ == "ORDINAL" and not fig.fraction and "." not in anchor.text:  # "96.088" is no ordinal
            return "ordinal"
        if not fig.words and re.search(r"(?:\bNo\.?|\bno\.|#)\s?$", text[: fig.num_start]):
            return "rank"  # "ranked No. 1", "the #3 seed"
        if anchor.ent_type_ in _NAME_LABELS and anchor.ent_iob_ == "I" and not fig.words and not _is_age_apposition(anchor):
            return "name"
        if (
            prev is not None
            and not fig.words
            and prev.whitespace_
            and any(c.isupper() for c in prev.text)
            and any(c.isalpha() for c in prev.text)
            and prev.pos_ in ("PROPN", "NOUN", "X", "ADJ")
            and not prev.is_stop
            and prev.lower_ not in _BOUNDS
            and prev.ent_type_ not in _LOC_LABELS
            and not _is_age_apposition(anchor)
        ):
            return "name"  # "Big 12", "iPhone 14", "S&P 500", "Game 6", "Windows 10"
        first = fig.tokens[0] if fig.tokens else anchor
        before_first = doc[first.i - 1] if first.i > sent.start else None
        if before_first is not None and before_first.lower_ in ("aged", "ages", "age"):
            return "age bracket"  # "men aged 18 to 34" describes who is counted
        if (
            before_first is not None
            and before_first.lower_ in ("to", "and", "-")
            and first.i - 3 >= sent.start
            and doc[first.i - 2].like_num
            and doc[first.i - 3].lower_ in ("aged", "ages", "age")
        ):
            return "age bracket"  # the upper end: "aged 18 to 34" the parser left as two figures
    if fig.words and anchor.lower_ == "one":
        if prev is not None and (prev.lower_ in _NON_COUNT_DET or prev.pos_ == "ADJ"):
            return "pronoun"
        if nxt is not None and nxt.lower_ in ("another", "day", "time", "way", "thing"):
            return "idiom"
    return None


def _date_like(fig: _Figure, anchor: Token) -> bool:
    """spaCy's small model calls many plain counts DATE; only drop day numbers,
    years and figures inside an entity naming a month or weekday."""
    v = fig.number.low
    if v.is_integer() and (1 <= v <= 31 or 1000 <= v <= 2100):
        return True
    ent = _entity_at(anchor)
    return ent is not None and any(t.lower_.rstrip(".") in _MONTHS or t.lower_ in _WEEKDAYS for t in ent)


# ``Doc.ents`` and ``Span.ents`` build a Span for every entity of the whole
# article on each call; these read the IOB tags of the few tokens concerned.


def _entity_at(t: Token) -> Span | None:
    """The named entity ``t`` is part of, or None."""
    if t.ent_iob_ not in ("B", "I"):
        return None
    doc = t.doc
    start = t.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = t.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


#: the last word of each bound phrase: a window that ends (spaces aside) with
#: none of them holds no bound, and ``_BOUND_RE`` need not try each of its
#: positions with each phrase
_BOUND_TAILS = tuple({b.split()[-1].lower() for b in _BOUNDS})
#: letters that match an ASCII letter ignoring case but are not one once lower-cased
_CASE_ODD = ("\u0131", "\u017f", "\u0130")


def _may_end_in_bound(window: str) -> bool:
    if any(c in window for c in _CASE_ODD):
        return True
    return window.rstrip().lower().endswith(_BOUND_TAILS)


def _bound_before(text: str, start: int) -> tuple[str, int, str] | None:
    window = text[max(0, start - 32) : start]
    # "sub-" ends right before ``start`` (or before a last newline): only the last characters can match
    if start >= 4 and _SUB_RE.search(text, max(0, start - 6), start):
        return "<", start - 4, "sub-"
    if not _may_end_in_bound(window):
        return None
    m = _BOUND_RE.search(window)
    if not m:
        return None
    phrase = " ".join(m.group("b").lower().split())
    return _BOUNDS[phrase], start - len(window) + m.start("b"), phrase


# ---------------------------------------------------------------- pass 2: meaning


def _counted_noun(anchor: Token, fig: _Figure, end_tok: int) -> Token | None:
    """The noun a figure counts: "4,000 fighters", "one of the best speakers",
    "thousands of militants", "the number of militants ... to 15,000"."""
    h = anchor
    # climb out of the figure itself ("2.5 million", "tens of thousands")
    ids = {t.i for t in fig.tokens}
    while h.head.i in ids and h.head.i != h.i:
        h = h.head
    # "predet": "half the condos"
    if h.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod", "predet") and h.head.i > h.i and h.head.pos_ in ("NOUN", "PROPN"):
        noun = h.head
        if noun.lower_ in ("of",):
            return None
        if any(c.lower_ in _TIME_DETERMINERS and h.i < c.i < noun.i for c in noun.children):
            return None  # "2.1 last year": a time, not the thing counted
        if noun.i >= end_tok or fig.unit is None:
            return noun
    # "one of the X", "thousands of X", "dozens of people"
    for child in h.children:
        if child.lower_ == "of" and child.i > h.i:
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.pos_ in ("NOUN", "PROPN"):
                    return pobj
    if h.pos_ in ("NOUN", "PROPN") and h.lower_ not in NUMBER_WORDS and h.lower_ not in _VAGUE_HEADS and h.i >= end_tok:
        return h
    return None


def _percent_head(anchor: Token, ids: set[int]) -> Token:
    """The token of a percentage figure that takes its "of" ("20% of ..."):
    the figure's top token inside the figure."""
    h = anchor
    while h.head.i in ids and h.head.i != h.i:
        h = h.head
    return h


def _phrase_tokens(noun: Token, after: int, partitive: bool) -> list[Token]:
    """Modifiers of ``noun`` written after the figure, plus the noun: "new seasons",
    "Kia and Hyundai vehicles", "public housing properties"; for a partitive
    ("one of Airbnb's earliest investments in the world") the whole phrase."""
    if partitive:
        # the noun with what qualifies it and its place ("the proudest moments in his
        # life"), not a clause or a "with" phrase hanging from it ("cars in the world
        # with tuners scrambling left and right")
        cut: set[int] = set()
        for child in noun.children:
            if child.i > noun.i and (child.dep_ in _PARTITIVE_CUT_DEPS or (child.dep_ == "prep" and child.lower_ not in ("in", "of", "on", "at"))):
                cut.update(t.i for t in child.subtree)
        return [t for t in noun.subtree if t.i >= after and t.i not in cut and t.dep_ not in ("det", "punct", "case", "predet")] or [noun]
    out = [
        t
        for t in noun.subtree
        if after <= t.i <= noun.i
        and t.dep_ not in ("det", "punct", "poss", "case", "predet", "nummod", "quantmod")
        # "seven or eight people": the second figure is no part of the thing counted
        and not (t.i < noun.i and (t.like_num or (t.dep_ == "cc" and t.head.like_num)))
    ]
    return out or [noun]


def _kind_of(noun: Token) -> list[Token]:
    """A bare common noun phrase after "of" that says what kind of thing is
    counted: "5,700 categories of products", "65 snaps of man coverage" (not a
    named or determined one: "seasons of Sesame Street", "members of the board")."""
    doc = noun.doc
    if noun.i + 2 >= len(doc) or doc[noun.i + 1].lower_ != "of" or doc[noun.i + 1].head.i != noun.i:
        return []
    pobj = next((c for c in doc[noun.i + 1].children if c.dep_ == "pobj"), None)
    if pobj is None or pobj.pos_ != "NOUN" or pobj.lemma_.lower() in _DURATIONS:
        return []
    words = list(doc[noun.i + 2 : pobj.i + 1])
    if len(words) > 3 or any(t.head.i != pobj.i and t.i != pobj.i for t in words):
        return []
    if any(t.dep_ not in ("compound", "amod", "pobj") or t.pos_ not in ("NOUN", "ADJ") for t in words):
        return []
    return words


def _hyphen_end(tok: Token) -> Token:
    """The last part of a hyphenated word the tokenizer split ("e-mails": "e", "-", "mails")."""
    doc = tok.doc
    while (
        not tok.whitespace_
        and tok.i + 2 < len(doc)
        and doc[tok.i + 1].text == "-"
        and not doc[tok.i + 1].whitespace_
        and doc[tok.i + 2].is_alpha
    ):
        tok = doc[tok.i + 2]
    return tok


def _hyphen_start(tok: Token) -> Token:
    """The first part of a split hyphenated word ending at ``tok`` ("mails" in "e-mails": "e")."""
    doc, first = tok.doc, tok.i
    while first >= 2 and doc[first - 1].text == "-" and not doc[first - 1].whitespace_ and not doc[first - 2].whitespace_ and doc[first - 2].is_alpha:
        first -= 2
    return doc[first]


def _hyphen_lemma(tok: Token) -> str:
    """The lemma of the hyphenated word ending at ``tok`` ("e-mails": "e-mail"), or of ``tok`` alone."""
    start = _hyphen_start(tok)
    parts = [t.lower_ for t in tok.doc[start.i : tok.i] if t.text != "-"]
    return "-".join(parts + [tok.lemma_.lower()])


def _phrase_names(phrase: list[Token]) -> tuple[str, str]:
    """The counted thing as written and as lemmas, a split hyphenated word whole ("e-mails", "e-mail")."""
    start = _hyphen_start(phrase[0])
    if start.i == phrase[0].i:
        return span_text(phrase[0].doc[phrase[0].i : phrase[-1].i + 1]), _lemma_phrase(phrase)
    return span_text(start.doc[start.i : phrase[-1].i + 1]), _hyphen_lemma(phrase[-1])


def _lemma_phrase(tokens: list[Token]) -> str:
    """Content lemmas of a noun phrase; participles that describe rather than
    name ("rushing yards", "recorded songs") are left out."""
    kept = [
        t.lemma_ if t.pos_ != "PROPN" else t.text
        for t in tokens
        if t.pos_ not in ("CCONJ", "DET", "PART", "PUNCT", "ADP", "PRON", "NUM")
        # spaCy's stop list is case-blind: "US" is "us"
        and (not t.is_stop or t.pos_ in ("ADJ", "PROPN"))
        and not (t.tag_ in ("VBG", "VBN") and t.dep_ in ("amod", "compound"))
    ]
    return " ".join(kept) or " ".join(t.lemma_ for t in tokens)


def _is_age_apposition(anchor: Token) -> bool:
    doc = anchor.doc
    i = anchor.i
    if not (2 <= i < len(doc) - 1 and anchor.text.isdigit() and 10 <= int(anchor.text) <= 110):
        return False
    if doc[i - 1].text == "," and doc[i + 1].text == ",":
        return doc[i - 2].ent_type_ == "PERSON" or doc[i - 2].pos_ == "PROPN"
    # commas stripped: "Nick Hague 44 has spent", a number hung on the name before a verb
    return (
        doc[i - 1].ent_type_ == "PERSON"
        and anchor.head.i == i - 1
        and doc[i + 1].pos_ in ("AUX", "VERB")
    )


#: "at the age of 35", "life expectancy for men in Glasgow is around 73": an age
#: named in the words before the figure, whatever the parse made of it
_AGE_BEFORE_RE = re.compile(
    r"(?i)\b(?:age\s+of|life\s+expectancy\b[^.;:,]{0,40}?\b(?:is|was|of|at|to))\s+"
    r"(?:(?:about|around|roughly|nearly|almost|just|only)\s+)?$"
)

_AGE_SUBJECTS = {"he", "she", "i", "you", "we", "they", "age", "expectancy"}


def _is_stated_age(anchor: Token) -> bool:
    """A bare whole number said of a person with "be": "He will be 35 by the end
    of the year", "life expectancy for men is around 73"."""
    if not (anchor.text.isdigit() and 1 <= int(anchor.text) <= 120 and anchor.dep_ in ("attr", "acomp")):
        return False
    verb = anchor.head
    if verb.lemma_ != "be":
        return False
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subj is not None and (subj.lower_ in _AGE_SUBJECTS or subj.ent_type_ == "PERSON")


def _clause_verb(t: Token) -> Token:
    while t.pos_ not in ("VERB", "AUX") and t.head.i != t.i:
        t = t.head
    return t


def _phrase_head(anchor: Token, fig: _Figure, end_tok: int, noun: Token | None) -> Token:
    """The token that carries the figure's syntactic role in the clause: the
    figure's own head, climbing into its unit ("19 cents") or counted noun
    ("4,000 fighters") but not into a noun it merely describes ("a 30 degree
    homer")."""
    ids = {t.i for t in fig.tokens}
    h = anchor
    while h.head.i in ids and h.head.i != h.i:
        h = h.head
    limit = noun.i if noun is not None else end_tok - 1
    while (
        h.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod")
        and h.head.i != h.i
        and h.head.pos_ in ("NOUN", "PROPN", "SYM", "NUM", "X")
        and h.i < h.head.i <= limit
    ):
        h = h.head
    return h


def _direction(word: Token, figure: Token | None = None) -> str | None:
    """"up"/"down" for a change word ("rose", "slumped", "higher"), or for a verb
    of motion given its direction by a particle ("edged up", "ticked down",
    "inched higher"; "opened up 100 points" only for a market move, not
    "opened up 5 new stores"); None otherwise."""
    lemma = word.lemma_.lower()
    for form in (lemma, word.lower_):
        if form in _UP:
            return "up"
        if form in _DOWN:
            return "down"
    market = figure is not None and (figure.lemma_.lower() in _MARKET_UNITS or figure.pos_ in ("NUM", "SYM"))
    if lemma in _PARTICLE_VERBS or (lemma in _MARKET_PARTICLE_VERBS and market):
        for c in word.children:
            if c.dep_ in ("prt", "advmod") and c.i > word.i:
                if c.lower_ in _UP_PARTICLES:
                    return "up"
                if c.lower_ in _DOWN_PARTICLES:
                    return "down"
    return None


def _change_of(h: Token) -> tuple[str | None, Role, Token | None]:
    """(direction, role, verb) read from the parse around the phrase head ``h``."""
    t = h
    # "estimates of up to more than 30,000" -> climb through "of" phrases
    while t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.pos_ in ("NOUN",):
        t = t.head.head
    head = t.head
    if t.dep_ == "pobj" and head.lower_ in ("from", "to", "by"):
        gov = head.head
        direction = _direction(gov)
        if head.lower_ == "from":
            return (direction, "previous", gov) if direction else (None, "figure", None)
        if head.lower_ == "by":
            return (direction, "change", gov) if direction else (None, "figure", None)
        return (direction, "figure", gov) if direction else (None, "figure", None)
    if t.dep_ in ("dobj", "npadvmod", "advmod", "attr", "nsubj", "oprd", "pobj", "appos", "conj"):
        direction = _direction(head, t)
        if direction is None or t.dep_ in ("nsubj",):
            return None, "figure", None
        if head.lemma_.lower() in _NOT_WITH_OBJECT and not any(c.dep_ == "dobj" and c.i != t.i for c in head.children):
            return None, "figure", None  # "raised $40m" (money raised), not "raised prices 5%"
        return direction, "change", head
    return None, "figure", None


def _concept(h: Token, anchor: Token, fig_ids: set[int], unit_noun: Token | None, sent: Span) -> str | None:
    """NewsQuant-style referred concept: what the figure describes, from the
    parse. Up to three comma-separated parts, most specific first: the name a
    bracketed figure follows ("RHP John Gant (0.5 WAR)"), the noun the figure
    modifies or belongs to ("$3,500 a month mortgage", "sales of 5,835
    units"), the subject of its clause ("The September crude contract was up
    19 cents", climbing out of relative and subordinate clauses; the object
    when the subject is a pronoun), and the sentence's own subject; as a last
    resort the sentence's first noun phrase."""
    skip = set(fig_ids) | ({unit_noun.i} if unit_noun is not None else set())

    def content(tokens: list[Token]) -> list[Token]:
        return [
            t
            for t in tokens
            if t.i not in skip
            and t.pos_ in ("NOUN", "PROPN", "ADJ")
            and not t.is_stop
            and t.lower_ not in NUMBER_WORDS
            and not t.like_num
        ]

    parts: list[list[Token]] = []
    # 0. a figure in brackets right after a name describes it: "RHP John Gant (0.5 WAR)"
    first = h.doc[min(fig_ids)] if fig_ids else anchor
    if first.i >= 2 and h.doc[first.i - 1].text == "(" and h.doc[first.i - 2].pos_ in ("NOUN", "PROPN"):
        n = h.doc[first.i - 2]
        parts.append(content([t for t in n.subtree if t.i <= n.i]) or [n])
    # 1. the figure modifies a noun that is not its unit: "$3,500 a month mortgage", "5.2 litre V10 engine"
    if h.head.i != h.i and h.dep_ in ("compound", "nummod", "amod", "nmod") and h.head.i > h.i and h.head.pos_ in ("NOUN", "PROPN"):
        n = h.head
        parts.append(content([c for c in n.subtree if h.i < c.i <= n.i]) or content([n]))
    # 2. "sales of 5835 units", "a speed of 15 to 22 mph", "net worth of 1.356 billion",
    # "an underpowered XI with eight changes", "price reductions on 50 different products"
    elif h.dep_ == "pobj" and h.head.lower_ in _NOUN_PREPS and h.head.head.pos_ in ("NOUN", "PROPN"):
        n = h.head.head
        parts.append(content([c for c in n.subtree if c.i <= n.i]))
    # "unemployed for one to two years": a span of time is how long a state lasted
    if h.dep_ == "pobj" and h.head.lower_ == "for" and h.lemma_.lower() in _DURATIONS:
        pred = h.head.head
        if pred.lemma_ == "be":  # "had been homeless for three years", "for" hung on the verb
            pred = next((c for c in pred.children if c.dep_ == "acomp"), pred)
        if pred.pos_ == "ADJ":
            parts.append([pred])
    # "68400 people who have been unemployed for one to two years": the clause that
    # says which of the counted things are meant
    if unit_noun is not None:
        for child in unit_noun.children:
            if child.dep_ == "relcl" and child.i > unit_noun.i and not in_subtree(h, child):
                parts.append(content([t for t in child.subtree if t.pos_ != "PRON"])[:8])
                break
    # "one per cent for men", "$10 for adults", "32.3% from three-point range": whom
    # or what the figure is for or comes from (not when: "up 5% from last month")
    for child in h.children:
        if child.lower_ in ("for", "from") and child.i > h.i:
            pobj = next((c for c in child.children if c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN")), None)
            if pobj is not None and pobj.lemma_.lower() not in _DURATIONS and pobj.ent_type_ not in ("DATE", "TIME"):
                parts.append(content([t for t in pobj.subtree if t.i <= pobj.i]))
    # the figure (or what it counts) is the clause's subject: "Dozens of people were killed"
    subject = h.dep_ in ("nsubj", "nsubjpass") or (h.head.dep_ in ("nsubj", "nsubjpass") and h.dep_ == "conj")
    # 3. the subject of the clause, or of the clause it hangs from
    personal = False
    verb = _clause_verb(h)
    for level in range(4):
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") or (c.dep_ == "csubj" and c.tag_ == "VBG")), None)
        if subj is None and level == 0 and verb.dep_ == "conj" and not subject:
            # "... while energy, the worst sector, fell 0.94%", "... and the voltage across
            # it was 5 volts": a second clause whose subject the parser hung elsewhere
            subj = _subject_after_coordinator(verb, sent)
        if subj is None and verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN") and not subject:
            # a participle describing a noun: "products priced at under $10", "people earning $48,000"
            n = verb.head
            parts.append(content([t for t in n.subtree if t.i <= n.i]) or content([n]))
            break
        if subj is not None and not in_subtree(h, subj):
            if subj.pos_ == "PRON" and verb.dep_ == "relcl":
                # "a beetle that can go 0 to 80km/h": the noun right before the
                # relative pronoun, which the parser sometimes hangs elsewhere
                before = subj.doc[subj.i - 1] if subj.i > 0 else subj
                subj = before if subj.tag_ in ("WDT", "WP") and before.pos_ in ("NOUN", "PROPN") else verb.head
            if subj.lower_ in _PERSONAL_PRONOUNS and level == 0:
                # "They have two kids", "I ran about 5 km": the figure is the speaker's own
                personal = True
                break
            if subj.pos_ != "PRON":
                words = content([t for t in subj.subtree if t.i <= subj.i or t.dep_ in ("prep", "pobj", "compound")])[:8]
                if subj.tag_ == "VBG" and subj.i not in skip:
                    words = [subj, *words]  # a gerund subject: "sampling ... came back at 4 ppb"
                parts.append(words)
                break
            # "It will boost the driving range by about 35 miles": with a pronoun
            # subject, the object is what the figure is about
            obj = next((c for c in verb.children if c.dep_ == "dobj" and not in_subtree(h, c)), None)
            if obj is not None and obj.pos_ in ("NOUN", "PROPN"):
                parts.append(content([t for t in obj.subtree if t.i <= obj.i])[:8])
                break
        if verb.head.i == verb.i:
            break
        verb = _clause_verb(verb.head)
    # 4. the figure is the subject: "60% of the workers", "78 per cent of the deal";
    # what it does to names the concept: "Seven bedrooms finish off the floor plan"
    for child in h.children:
        if child.lower_ == "of":
            parts.append(content([t for c in child.children for t in c.subtree])[:8])
    if subject:
        # what it does something to, never where or how ("About 1000 come from
        # Asia", "About 70% voted against its pay policy")
        v = _clause_verb(h)
        obj = next((c for c in v.children if c.dep_ in ("dobj", "attr")), None)
        if obj is None:
            # a phrasal verb's object, parsed under its particle: "finish off the floor plan"
            obj = next((c for p in v.children if p.dep_ in ("prep", "prt") and p.lower_ in _PARTICLES for c in p.children if c.dep_ in ("pobj", "dobj")), None)
        if obj is not None and any(t.like_num for t in obj.subtree):
            obj = None  # another figure ("covers 13 percent of the economy") is no concept
        if obj is not None and obj.pos_ in ("NOUN", "PROPN"):
            parts.append(content([t for t in obj.subtree if t.i <= obj.i])[:8])
    # the sentence's own subject, when the figure sits in a clause of its own
    root = sent.root
    root_subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if root_subj is not None and root_subj.pos_ != "PRON" and not in_subtree(h, root_subj):
        parts.append(content([t for t in root_subj.subtree if t.i <= root_subj.i])[:8])
    parts = [p for p in parts if p]
    if not parts and not subject and not personal:
        # last resort: the sentence's first noun phrase before the figure (headlines,
        # fragments), not another figure ("more than 10 km") nor a time ("in the last week")
        for chunk in _noun_chunks(sent):
            if chunk.start > first.i:
                break
            words = content(list(chunk))
            if words and not any(t.i in skip or t.like_num or t.ent_type_ in ("DATE", "TIME") for t in chunk):
                parts.append(words)
                break
    if not parts:
        return None
    seen: set[int] = set()
    out: list[str] = []
    for p in parts[:3]:
        words = [t.text for t in p if t.i not in seen]
        seen.update(t.i for t in p)
        if words:
            out.append(" ".join(words))
    return ", ".join(out) or None


def _subject_after_coordinator(verb: Token, sent: Span) -> Token | None:
    """The first noun between the coordinator ("and", "while", "but") that opens
    ``verb``'s clause and the verb itself."""
    doc = verb.doc
    i = verb.i - 1
    while i > sent.start and not (doc[i].dep_ in ("cc", "mark") and doc[i].lower_ in _COORDINATORS):
        i -= 1
    if i <= sent.start:
        return None
    for t in doc[i + 1 : verb.i]:
        if t.pos_ in ("NOUN", "PROPN") and not t.like_num and t.dep_ not in ("pobj", "npadvmod", "compound"):
            return t
        if t.pos_ in ("NOUN", "PROPN") and t.dep_ == "compound" and t.head.i < verb.i:
            return t.head
    return None


_COORDINATORS = {"and", "but", "while", "whereas", "or"}

_NP_DEPS = {"oprd", "nsubj", "dobj", "nsubjpass", "pcomp", "pobj", "dative", "appos", "attr", "ROOT"}


def _noun_chunks(sent: Span) -> Iterator[Span]:
    """spaCy's English noun chunks of ``sent``, lazily: ``Span.noun_chunks``
    builds every chunk of the sentence before yielding the first."""
    doc = sent.doc
    prev_end = -1
    for word in sent:
        if word.pos_ not in ("NOUN", "PROPN", "PRON"):
            continue
        left = word.left_edge.i
        if left <= prev_end:
            continue  # nested in the previous chunk
        dep = word.dep_
        if dep not in _NP_DEPS:
            if dep != "conj":
                continue
            head = word.head
            while head.dep_ == "conj" and head.head.i < head.i:
                head = head.head
            if head.dep_ not in _NP_DEPS:
                continue
        prev_end = word.i
        yield doc[left : word.i + 1]


def _is_actor_token(t: Token) -> bool:
    # a named organisation or group ("ISIS", "the Taliban"); nationality
    # adjectives ("European countries", "Iraqi officials") describe, not own
    return t.ent_type_ in _ACTOR_LABELS and t.pos_ != "ADJ"


def _multiword_owners(noun: Token) -> list[Token]:
    """Heads of proper-noun compounds before ``noun`` that name an owner, even
    where NER tagged only part of it ("Islamic State fighters": "Islamic" is
    NORP, "State" untagged); the whole compound is the actor, none of it the
    thing counted. Coordinated makers ("Kia and Hyundai vehicles") are kinds."""
    return [
        c
        for c in noun.children
        if c.i < noun.i
        and c.dep_ in ("compound", "nmod")
        and not any(g.dep_ == "conj" for g in c.children)
        and all(t.pos_ == "PROPN" for t in c.subtree)
        and any(_is_actor_token(t) for t in c.subtree)
    ]


def _actor(noun: Token | None) -> str | None:
    """ORG/NORP entity owning the counted noun: "ISIS fighters", "fighters of the
    Islamic State", "ISIS' militants"."""
    if noun is None:
        return None
    owners = _multiword_owners(noun)
    for c in noun.children:
        if c.dep_ in ("compound", "poss", "amod", "nmod") and _is_actor_token(c):
            return _entity_text(c)
        if c in owners:
            return span_text(noun.doc[c.left_edge.i : c.right_edge.i + 1]).removeprefix("the ").removeprefix("The ")
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in c.children:
                if _is_actor_token(p):
                    return _entity_text(p)
                for pc in p.children:
                    if pc.dep_ in ("compound", "poss") and _is_actor_token(pc):
                        return _entity_text(pc)
    return None


def _entity_text(t: Token) -> str:
    ent = _entity_at(t)
    if ent is not None:
        return span_text(ent).removeprefix("the ").removeprefix("The ")
    return t.text


def _locations(tokens: list[Token], sent: Span) -> list[str]:
    """GPE/LOC entities attached with "in"/"across" to one of ``tokens`` (the
    verb, the counted noun, the subject...), their conjuncts, and possessive
    places ("Syria's numbers")."""
    anchors = {t.i for t in tokens}
    found: list[str] = []
    doc = sent.doc
    for start, end, label in entities_within(sent):
        if label not in _LOC_LABELS:
            continue
        ent = Span(doc, start, end)
        root = ent.root
        r = root
        while r.dep_ == "conj" and r.head.i != r.i:
            r = r.head
        ok = False
        if r.dep_ == "pobj" and r.head.lower_ in _LOC_PREPS and r.head.head.i in anchors:
            ok = True
        elif r.dep_ == "poss" and r.head.i in anchors:
            ok = True
        text = span_text(ent)
        if ok and text not in found:
            found.append(text)
    return found


# ---------------------------------------------------------------- entry point


def find_quantities(sent: Span) -> list[QuantityMention]:
    """Every figure of one parsed sentence, in text order."""
    text = span_text(sent)
    base = sent.start_char
    figures = _digit_figures(text)
    taken = [(f.num_start, f.end) for f in figures]
    for wf in _word_figures(sent, base):
        if not any(s < wf.end and wf.num_start < e for s, e in taken):
            figures.append(wf)
    figures.sort(key=lambda f: f.num_start)
    _link_ranges(figures, text, sent, base)
    mentions: list[tuple[_Figure, Token, QuantityMention, Token]] = []
    for fig in figures:
        if fig.dropped:
            continue
        anchor = _anchor(fig, sent, base)
        if anchor is None:
            continue
        if _drop_reason(fig, anchor, sent, text):
            continue
        described = _describe(fig, anchor, sent, text, base)
        if described is not None:
            mentions.append((fig, anchor, *described))
    _share_across(mentions, text, base)
    # the sentence's own text: ``Doc.text`` would join every token of the article once per sentence
    _share_conversions([m for _, _, m, _ in mentions], text, base)
    return [m for _, _, m, _ in mentions]


_CONVERSION_GAP_RE = re.compile(r"^\s*[(\[/]\s*$")


def _share_conversions(mentions: list[QuantityMention], text: str, base: int) -> None:
    """A conversion in brackets right after a figure shares its bound and
    what it describes: "more than 100 kilometers (60 miles)", "just under
    296 hp (224 kW / 300 PS)", "a net worth of 1.356 billion ($1.762bn)".
    ``text`` is the sentence's text, starting at doc character ``base``."""
    for prev, m in zip(mentions, mentions[1:]):
        gap = text[prev.quantity.end - base : m.quantity.start - base]
        units = (prev.quantity.unit, m.quantity.unit)
        if not _CONVERSION_GAP_RE.match(gap) or units[1] is None or "percent" in units:
            continue  # "~1.2mm (~80% of nozzle outlet diameter)": a second figure, not a conversion
        if m.quantity.bound == "=" and prev.quantity.bound != "=":
            m.quantity.bound = prev.quantity.bound
            m.hedges = list(prev.hedges)
        m.quantity.concept = m.concept = prev.quantity.concept


def _link_ranges(figures: list[_Figure], text: str, sent: Span, base: int) -> None:
    """Merge "between X and Y", "from X to Y", "X to Y", "X-Y" into one range figure,
    and let "8 or 9 euros" share the unit; drop scores ("beat Charlton 2-1")."""
    # hyphen ranges first, so that "from 24.2 to 33-35 billion" sees "33-35 billion" as one figure
    for hyphen_pass in (True, False):
        live = [f for f in figures if not f.dropped]
        for a, b in zip(live, live[1:]):
            _link_pair(a, b, text, sent, base, hyphen_pass)
    live = [f for f in figures if not f.dropped]
    for a, b in zip(live, live[1:]):
        _link_proportion(a, b, text)


#: "one in five adults", "3 out of 10 voters", "one of four mission concepts"
_PROPORTION_GAP_RE = re.compile(r"^\s+(?:in|out\s+of|of)\s+$", re.I)


def _link_proportion(a: _Figure, b: _Figure, text: str) -> None:
    """Merge "N in M" into the share N/M: a proportion, not two counts."""
    if a.dropped or b.dropped or a.unit is not None or b.unit is not None or a.fraction or b.fraction:
        return
    if not _PROPORTION_GAP_RE.match(text[a.end : b.start]):
        return
    n, m = a.number.low, b.number.low
    if a.number.vague or b.number.vague or not (n.is_integer() and m.is_integer() and 0 < n < m <= 1000):
        return
    if text[a.end : b.start].strip().lower() == "of" and n != 1:
        return  # "won two of three matches" is a record; "one of four concepts" a share
    a.number = ParsedNumber(n / m, n / m)
    a.fraction = True
    a.words = a.words and b.words
    a.end = b.end
    a.tokens = []
    b.dropped = True


#: "by" before a figure, perhaps with a hedge or bound between: the amount of a change
_BY_BEFORE_RE = re.compile(
    r"(?i)\bby\s+(?:(?:about|around|approximately|roughly|some|nearly|almost|just|only|more\s+than|over|less\s+than|up\s+to)\s+)?"
    r"(?:US\s*)?[$\u00a3\u20ac]?\s*$|\bby\s*[$\u00a3\u20ac]?\s*$"
)

#: what may stand between "from X" and "to Y" of one range: a time or a
#: denominator, no clause break
_FROM_TO_GAP_RE = re.compile(r"^\s+[^,;:()\[\]]{1,40}?\s+to\s+$")


def _link_pair(a: _Figure, b: _Figure, text: str, sent: Span, base: int, hyphen_pass: bool) -> None:
    """Merge ``b`` into ``a`` when the text between them makes a range."""
    if a.dropped or b.dropped:
        return
    gap = text[a.end : b.start]
    m = _CONNECT_RE.match(gap)
    before = text[max(0, a.start - 40) : a.start].lower()
    lead = re.search(r"(between|from)\s+(?:(?:up to|about|around|approximately|some|roughly)\s+)?[$\u00a3\u20ac]?\s*$", before)
    lead_word = lead.group(1) if lead else None
    if m:
        conn = m.group("c").lower()
    elif lead_word == "from" and not hyphen_pass and _FROM_TO_GAP_RE.match(gap):
        # "from $36,040 at 10.45pm last night to $34,935": the words between
        # say when or per what; no other figure stands between the two
        conn = "to"
    else:
        return
    if (conn in ("-", "\u2013")) != hyphen_pass:
        return
    if conn == "or":
        if a.unit is None and b.unit is not None and not b.unit.name.startswith("year of"):
            a.unit = b.unit
        # "seven or eight people" stays two figures, as NewsQuant annotates it
        return
    if (conn == "and" and lead_word != "between") or (conn == "up to" and lead_word != "from"):
        return
    if _BY_BEFORE_RE.search(before):
        return  # "increased by $43.6 billion to $419.2 billion", "grew by around $1.2bn to $14bn": an amount and a level
    same_unit = a.unit is not None and b.unit is not None and a.unit.name == b.unit.name
    if conn in ("to", "through") and lead_word is None:
        to_tok = next((t for t in _tokens_in(sent, base + a.end, base + b.start) if t.lower_ in ("to", "through")), None)
        # "rose 8.15% to 3.65", "rose $1.20 to $15.40": a change and the new level,
        # in the same unit or not ("15 to 22 mph" has no verb of change)
        if to_tok is not None and to_tok.head.pos_ in ("VERB", "AUX") and (not same_unit or _direction(to_tok.head)):
            return  # "rose 8.15% to 3.65": a change and the new level
    if conn in ("-", "\u2013") and a.unit is None and b.unit is None and not a.words:
        lo, hi = a.number.low, b.number.low
        if lo.is_integer() and hi.is_integer() and ((lo <= 30 and hi <= 30) or 1800 <= lo <= 2100):
            a.dropped = b.dropped = True  # a score or a season ("2-1", "2012-13")
            return
    # carry the multiplier and unit across: "from $10 to $15 billion", "15 to 22 mph"
    lo = a.number.low
    hi = b.number.high if b.number.high is not None else b.number.low
    if b.has_mult and not a.has_mult and b.currency == a.currency:
        mult = _mult_of(text[b.num_start : b.end])
        if mult and lo * mult <= hi:
            lo *= mult
    unit = b.unit if b.unit is not None else a.unit
    if a.unit is not None and b.unit is not None and a.unit.name != b.unit.name and not (a.currency and b.currency):
        return
    a.number = ParsedNumber(lo, hi, vague=a.number.vague or b.number.vague)
    a.unit = unit
    a.currency = a.currency or b.currency
    a.end = b.end
    a.tokens = []
    a.has_mult = a.has_mult or b.has_mult
    if lead_word and lead is not None:
        a.bound_start = a.start - (len(before) - lead.start(1))
        a.bound_text = lead_word
    b.dropped = True


def _mult_of(figure_text: str) -> float | None:
    m = re.search(r"(thousand|million|billion|trillion|bln|bn|mln|mn|trn|tn|k|K|m|M|b|B)(?![A-Za-z])", figure_text)
    if not m:
        return None
    return MULTIPLIERS.get(m.group(1), MULTIPLIERS.get(m.group(1).lower()))


def _describe(fig: _Figure, anchor: Token, sent: Span, text: str, base: int) -> tuple[QuantityMention, Token] | None:
    """The mention of one figure, or None when the parse shows it is not one
    (a bare pronoun "one": "get their hands on one")."""
    doc = sent.doc
    hedges: list[str] = []
    bound: str = "="
    start = fig.start
    b = _bound_before(text, fig.bound_start if fig.bound_start is not None else fig.start)
    if b is not None and fig.bound_start is None:
        bound, start, phrase = b
        if phrase in _APPROX:
            hedges.append(phrase)
    elif fig.bound_start is not None:
        start = fig.bound_start
    post = _POST_BOUND_RE.match(text[fig.end :])
    end = fig.end
    if post:
        if post.group("plus") or (post.group("ormore") or "").lower() == "more":
            bound = ">="
        elif (post.group("ormore") or "").lower() == "so":
            bound = "~"
        else:
            bound = "<="
        end = fig.end + post.end()
    number = fig.number
    if number.vague:
        bound = ">=" if bound == "=" else bound
    toks = _tokens_in(sent, base + start, base + end)
    if not fig.tokens:
        fig.tokens = _tokens_in(sent, base + fig.num_start, base + fig.end)
    end_tok = toks[-1].i + 1 if toks else anchor.i + 1
    fig_ids = {t.i for t in toks}

    unit_name = fig.unit.name if fig.unit else None
    noun: Token | None = None
    entity = entity_lemma = None
    if unit_name is None or fig.fraction or number.vague:
        noun = _counted_noun(anchor, fig, end_tok)
        if noun is not None and noun.lower_ == "plus" and noun.head.pos_ == "NOUN" and noun.head.i > noun.i:
            noun = noun.head  # "30-plus points": "plus" is the bound, read above
        if noun is not None:
            noun = _hyphen_end(noun)  # "e-mails" parsed as three nouns: the word ends at "mails"
            # "a three course meal", "the 11 member trade agreement": the compound's head names the thing
            while noun.dep_ == "compound" and noun.head.i > noun.i and noun.head.pos_ == "NOUN" and noun.head.i - noun.i <= 3:
                noun = noun.head
            partitive = noun.i > end_tok and doc[end_tok].lower_ == "of" and fig.words and fig.number.low == 1
            phrase = _phrase_tokens(noun, end_tok if noun.i >= end_tok else noun.i, partitive)
            if not partitive and unit_name is None and not number.vague:
                phrase += _kind_of(noun)
            # the owner is the actor, not part of the thing: "ISIS fighters" -> fighters (actor ISIS)
            # ("Kia and Hyundai vehicles": coordinated makers name a kind of thing, and stay)
            owner = {t.i for c in _multiword_owners(noun) for t in c.subtree}
            phrase = [
                t
                for t in phrase
                if t.i not in owner
                and not (
                    t.i < noun.i
                    and _is_actor_token(t)
                    and t.dep_ in ("compound", "amod", "nmod")
                    and not any(c.dep_ == "conj" for c in t.children)
                )
            ] or [noun]
            entity, entity_lemma = _phrase_names(phrase)
            if noun.lemma_.lower() in _DURATIONS:
                entity_lemma = noun.lemma_.lower()
            if unit_name is None and not fig.fraction:
                # proper nouns keep their spelling ("Model S"), title-case common nouns in headlines do not
                unit_name = noun.text if noun.pos_ == "PROPN" and noun.ent_type_ else _hyphen_lemma(noun)
                per = _RATE_AFTER_RE.match(text, noun.idx + len(noun) - base)
                if per:  # "three thousand tests per day"
                    unit_name += f" per {per.group('per').lower()}"
    if unit_name == "percent" and noun is None:
        # "20% of participants": the share is of something; name it
        of = next((c for c in _percent_head(anchor, fig_ids).children if c.lower_ == "of" and c.i >= end_tok), None)
        pobj = next((p for p in of.children if p.dep_ == "pobj" and p.pos_ in ("NOUN", "PROPN")), None) if of else None
        if pobj is not None:
            phrase = _phrase_tokens(_hyphen_end(pobj), of.i + 1, False)
            entity, entity_lemma = _phrase_names(phrase)
    if unit_name is None and not fig.fraction:
        # "the number of militants ... down to 15,000": the counted thing is the number's "of" noun
        verb = _clause_verb(anchor)
        for c in verb.children:
            if c.dep_ in ("nsubj", "nsubjpass", "dobj") and c.lower_ in _NUMBER_NOUNS:
                for prep in c.children:
                    if prep.lower_ == "of":
                        pobj = next((p for p in prep.children if p.dep_ == "pobj"), None)
                        # "a total of 200 million": the figure itself is no counted thing
                        if pobj is not None and not pobj.like_num and pobj.i not in fig_ids:
                            noun = pobj
                            entity, entity_lemma = pobj.text, pobj.lemma_.lower()
                            unit_name = entity_lemma
    if fig.words and unit_name is None and anchor.lower_ == "one" and fig.number.low == 1 and noun is None:
        return None
    aged = _AGE_BEFORE_RE.search(text, 0, fig.start) is not None and fig.number.low == fig.number.high and 1 <= fig.number.low <= 120
    if unit_name is None and not fig.fraction and (aged or (not fig.words and (_is_age_apposition(anchor) or _is_stated_age(anchor)))):
        unit_name = "year of age"  # "Maddon, 66, has used ...", "He will be 35 by then"
    h = _phrase_head(anchor, fig, end_tok, noun)
    direction, role, _gov = _change_of(h)
    if role == "previous" and fig.bound_text == "from":
        role = "figure"  # "climbed from $3 to $4.50": the range itself, not an earlier value
    if direction is None and bound == "=" and toks:
        direction, role = _change_from_words(toks[0])
    change = Change(direction=direction) if direction and role != "previous" else None

    # where: the clause verb, the counted noun and the subject
    clause = _clause_verb(h)
    attach = [clause, h] + ([noun] if noun is not None else [])
    subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is not None:
        attach.append(subj)
    if noun is not None and noun.head.lower_ == "of":
        attach.append(noun.head.head)
    locations = _locations(attach, sent)
    actor = _actor(noun)
    if actor is None and noun is not None and noun.head.lower_ == "of":
        owner = noun.head.head
        # "the troops of ISIS" owns; "millions of Americans" counts the Americans
        if owner.i not in fig_ids and not owner.like_num and owner.lower_ not in _VAGUE_HEADS:
            actor = _actor(owner)

    lo, hi = number.low, number.high
    value = lo if (hi == lo and not number.vague) else None
    q = Quantity(
        text=text[start:end],
        start=base + start,
        end=base + end,
        value=value,
        low=lo,
        high=hi,
        bound=_as_bound(bound),
        vague=number.vague,
        unit=unit_name,
        entity=entity,
        entity_lemma=entity_lemma,
        actor=actor,
        locations=locations,
        change=change,
    )
    # "one of the best speakers": the counted phrase is all there is to say
    partitive_one = fig.words and fig.number.low == 1 and noun is not None and noun.head.lower_ == "of"
    q.concept = None if partitive_one else _concept(h, anchor, fig_ids, noun, sent)
    mention = QuantityMention(
        quantity=q,
        token_start=toks[0].i if toks else anchor.i,
        token_end=end_tok,
        hedges=hedges,
        concept=q.concept,
        role=role,
    )
    return mention, h


def _change_from_words(first: Token) -> tuple[str | None, Role]:
    """Direction and role of a figure right after a change verb and "to"/"by",
    read from the words where the parse lost them: "dip down to minus-130
    degrees" (a level), "declined by 4.5% year on year" (the amount)."""
    doc = first.doc
    i = first.i - 1
    if i < 1 or doc[i].lower_ not in ("to", "by"):
        return None, "figure"
    role: Role = "change" if doc[i].lower_ == "by" else "figure"
    i -= 1
    if doc[i].lower_ in _UP_PARTICLES | _DOWN_PARTICLES and i > 0 and doc[i - 1].pos_ == "VERB":
        i -= 1  # "dip down to", "inched higher by"
    verb = doc[i]
    if verb.pos_ != "VERB":
        return None, "figure"
    direction = _direction(verb)
    return (direction, role) if direction else (None, "figure")


def _as_bound(b: str) -> Bound:
    if b not in ("=", "~", ">", "<", ">=", "<="):
        raise ValueError(f"bad bound {b!r} in reportedly/data/quant_lexicon.json")
    return b  # type: ignore[return-value]


_COMPARED_RE = re.compile(r"(?i)\b(?:compared\s+(?:with|to)|versus|vs\.?)\s+(?:an?\s+average\s+of\s+)?$")


#: ", Burlington by ": the subject and "by" of a clause whose change verb is gapped
_GAPPED_BY_RE = re.compile(r",\s+[^\d,;:()]{1,40}?\s+by\s+$")

#: A relative clause about persons right after a figure.
_WHO_AFTER_RE = re.compile(r"\s+(?:who|whom)\b", re.IGNORECASE)


def _same_thing(q: Quantity, other: Quantity) -> None:
    q.unit, q.entity, q.entity_lemma = other.unit, other.entity, other.entity_lemma


def _share_across(mentions: list[tuple[_Figure, Token, QuantityMention, Token]], text: str, base: int) -> None:
    """What coordination and change constructions spread over several figures:
    "approximately 4,000 fighters and 3,000 supporters" share the hedge;
    "lost 190 points, or 0.6%" share the direction; "had fallen to X, down from
    Y" gives X its previous value; "rose 8.15% to 3.65" leaves the level 3.65
    without a direction, "fell to 49.55" gives it one."""
    by_head = {h.i: m for _, _, m, h in mentions}
    for _fig, _anchor_tok, m, h in mentions:
        # coordinated counts share the bound and hedge of the first conjunct
        # ("approximately 4,000 fighters and 3,000 supporters"); measurements
        # in different units ("under 296 hp and 450 Nm") do not
        if h.dep_ in ("conj", "appos") and h.head.i in by_head:
            first = by_head[h.head.i]
            counted = m.quantity.entity is not None and first.quantity.entity is not None
            if counted and h.dep_ == "conj" and m.quantity.bound == "=" and first.quantity.bound != "=" and not m.hedges:
                m.quantity.bound = first.quantity.bound
                m.hedges = list(first.hedges)
            if m.quantity.change is None and first.quantity.change is not None and first.role == "change":
                m.quantity.change = Change(direction=first.quantity.change.direction)
                m.role = "change"
            if not m.quantity.locations and first.quantity.locations:
                m.quantity.locations = list(first.quantity.locations)
            bare = m.quantity.unit is None and m.quantity.entity is None
            if bare and h.dep_ == "conj" and first.quantity.entity is not None:
                # "68,400 people who ... and 95,800 who ...": the second count is of the same thing
                _same_thing(m.quantity, first.quantity)
    # "A was down 2.3%, B by 2.6%": a gapped clause keeps the change of the one
    # before it, and the words between name what moved (read from the text, as
    # the parser hangs the gapped "by" anywhere)
    for k, (_fig, _a, m, h) in enumerate(mentions):
        if k == 0 or m.role == "previous":
            continue
        prev = mentions[k - 1][2]
        if prev.role != "change" or prev.quantity.change is None or not (h.dep_ == "pobj" and h.head.lower_ == "by"):
            continue
        if m.quantity.change is not None and m.quantity.change.direction != prev.quantity.change.direction:
            continue
        gap = _GAPPED_BY_RE.match(text, prev.quantity.end - base, m.quantity.start - base)
        doc = h.doc
        between = [t for t in doc[prev.token_end : m.token_start] if t.is_alpha and t.lower_ != "by"]
        if gap is None or not between or any(t.pos_ in ("VERB", "AUX") for t in between):
            continue
        m.quantity.change = Change(direction=prev.quantity.change.direction)
        m.role = "change"
        m.quantity.concept = m.concept = " ".join(t.text for t in between)
    # "460 vehicles ... compared with 63": a bare figure set against another counts the same thing;
    # "a minus-1.4 degree launch angle in 2018 and 2.1 last year": one added with "and" is measured alike
    for k, (fig, _a, m, _h) in enumerate(mentions):
        q = m.quantity
        if q.unit is not None or q.entity is not None or k == 0:
            continue
        before = text[max(0, q.start - base - 24) : q.start - base]
        other = next((o for _, _, o, _ in reversed(mentions[:k]) if o.quantity.unit is not None), None)
        if other is None:
            continue
        measured_alike = (
            not fig.words
            and re.search(r"\band\s+$", before)
            and other.quantity.entity is None
            and other.quantity.unit != "percent"
            # "... for two years and 95,800 who have been ...": a head count
            and not re.match(r"\s+(?:who|whom|that|which)\b", text[q.end - base :])
        )
        if _COMPARED_RE.search(before) or measured_alike:
            _same_thing(q, other.quantity)
            per = _RATE_AFTER_RE.match(text, q.end - base)
            if per and q.unit is not None and " per " not in q.unit:
                q.unit += f" per {per.group('per').lower()}"  # "compared with an average of 20 per week"
    # "68,400 people who ... and 95,800 who have been ...": a bare figure that a
    # "who" clause describes counts people, like the nearest head count before it
    # (the parser rarely coordinates the two figures themselves)
    for k, (fig, _a, m, _h) in enumerate(mentions):
        q = m.quantity
        if q.unit is not None or q.entity is not None or fig.words or not _WHO_AFTER_RE.match(text, q.end - base):
            continue
        other = next((o for _, _, o, _ in reversed(mentions[:k]) if o.quantity.entity is not None), None)
        if other is not None:
            _same_thing(q, other.quantity)
    # "was up 10.4 cents to US $2.24": the parser may hang the level on "up" like
    # the amount; a second figure after "to" is where the change arrived
    amounts: set[int] = set()
    for _, _, m, h in mentions:
        if m.role != "change":
            continue
        gov = _change_of(h)[2]
        if gov is None:
            continue
        doc = h.doc
        if gov.i in amounts and m.token_start > 0 and doc[m.token_start - 1].lower_ == "to":
            m.role, m.quantity.change = "figure", None
        amounts.add(gov.i)
    # a change verb with an amount leaves its "to" level as a plain figure
    deltas: set[int] = set()
    point_moves: set[int] = set()  # clauses whose change is counted in index points
    for _, _, m, h in mentions:
        if m.role == "change":
            gov = _change_of(h)[2]
            keys = {_clause_verb(h).i} | ({gov.i, _clause_verb(gov).i} if gov is not None else set())
            deltas.update(keys)
            if m.quantity.unit == "point":
                point_moves.update(keys)
    previous = [(m, _clause_verb(h)) for _, _, m, h in mentions if m.role == "previous"]
    # "arrested 25 people, up from 12 last year": a bare earlier value counts what the
    # figure before it in the same clause counts
    for prev_m, pverb in previous:
        pq = prev_m.quantity
        if pq.unit is not None or pq.entity is not None:
            continue
        before = [m for _, _, m, h in mentions if m.role != "previous" and m.token_end <= prev_m.token_start and _clause_verb(h).i == pverb.i]
        if before and (before[-1].quantity.unit is not None or before[-1].quantity.entity is not None):
            _same_thing(pq, before[-1].quantity)
    levels: list[QuantityMention] = []  # levels reached by a change with an amount, in text order
    for _fig, _a, m, h in mentions:
        if m.role != "figure":
            continue
        verb = _clause_verb(h)
        if m.quantity.change is None:
            # "ended down 1% at 1,463.78 points", "lost 1.1% to end at 1,334.20": levels too
            outer = {verb.i, _clause_verb(verb.head).i} if verb.dep_ == "xcomp" else {verb.i}
            if outer & deltas:
                if m.quantity.unit is None and m.quantity.entity is None and levels:
                    m.quantity.unit = levels[-1].quantity.unit
                if m.quantity.unit is not None:
                    levels.append(m)
            continue
        gov = _change_of(h)[2]
        keys = {verb.i} | ({gov.i, _clause_verb(gov).i} if gov is not None else set())
        earlier = next((p for p, pverb in previous if pverb.i == verb.i or _clause_verb(pverb).i == verb.i), None)
        if earlier is not None:
            pq = earlier.quantity
            if pq.unit is None and pq.entity is None:
                # "down from more than 30,000": the earlier figure counts the same thing
                pq.unit, pq.entity, pq.entity_lemma = m.quantity.unit, m.quantity.entity, m.quantity.entity_lemma
        if keys & deltas:
            if m.quantity.unit is None and keys & point_moves:
                m.quantity.unit = "point"  # "rose 64.06 points to 4,577.10": the level is in points too
            if m.quantity.unit is None and m.quantity.entity is None and levels:
                # "TA-35 edged down 0.03% to 1,463.87 points, while the TA-125 climbed
                # 0.1% to 1,333.18": parallel levels are counted alike
                m.quantity.unit = levels[-1].quantity.unit
            m.quantity.change = None
            if m.quantity.unit is not None:
                levels.append(m)
            continue
        for prev, pverb in previous:
            if pverb.i == verb.i or _clause_verb(pverb).i == verb.i:
                pq = prev.quantity
                m.quantity.change = Change(
                    direction=m.quantity.change.direction,
                    previous_low=pq.low,
                    previous_high=pq.high,
                    previous_bound=pq.bound,
                    previous_text=pq.text,
                )
                break
    _previous_past_the_report(mentions)


def _previous_past_the_report(mentions: list[tuple[_Figure, Token, QuantityMention, Token]]) -> None:
    """ "Fewer than 1,000 fighters remain, the coalition said on Wednesday, down
    from about 3,000": the parser hangs "down from" on the reporting verb, so
    the earlier value finds no figure in its own clause; it is the previous
    value of the last figure before it in the clause the verb reports."""
    folded = {
        m.quantity.change.previous_text
        for _, _, m, _ in mentions
        if m.quantity.change is not None and m.quantity.change.previous_text
    }
    for _, _, prev_m, h in mentions:
        if prev_m.role != "previous" or prev_m.quantity.text in folded:
            continue
        direction, _role, gov = _change_of(h)
        if direction is None or gov is None or gov.pos_ != "ADV" or gov.head.pos_ not in ("VERB", "AUX"):
            continue  # only a bare "down from" / "up from" hung on a verb
        report = gov.head
        # the verb's own clause ("employs 300 people, up from 200") and the clause it reports
        reported = {report.i} | {c.i for c in report.children if c.dep_ == "ccomp"}
        if report.dep_ in ("parataxis", "ccomp"):
            reported.add(report.head.i)  # "... remain, the coalition said, down from ..."
        target = None
        for _, _, m, mh in mentions:
            if m.role == "figure" and m.quantity.change is None and m.token_end <= prev_m.token_start and _clause_verb(mh).i in reported:
                target = m
        if target is None:
            continue
        pq = prev_m.quantity
        if pq.unit is None and pq.entity is None:
            # the earlier count of the same thing, in the same place
            _same_thing(pq, target.quantity)
            pq.locations = pq.locations or list(target.quantity.locations)
            pq.actor = pq.actor or target.quantity.actor
        target.quantity.change = Change(
            direction=direction, previous_low=pq.low, previous_high=pq.high, previous_bound=pq.bound, previous_text=pq.text
        )
        folded.add(pq.text)
