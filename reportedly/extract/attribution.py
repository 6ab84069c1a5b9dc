"""Attribution: who says so (source), how (cue) and what (content).

    doc = nlp("Three Iraqi officials told The AP that 4,000 fighters remain.")
    [a] = find_attributions(doc)
    a.source.name, a.cue, a.source.via        # "Iraqi officials", "told", ["The Associated Press"]

The extractor reads the dependency parse of an already parsed spaCy ``Doc``:

* speech, thought and evidence verbs from ``data/attr_cue_verbs.txt`` with a
  clausal complement, a quote beside them or (for some) a noun object;
* "according to X";
* cue nouns with a "that" clause ("a New York Times report that ...");
* passives ("it is suspected that ..." has no source; "... by X" has one);
* speaker lines ("WALLACE: ...", "John McCain: ...").

Which verbs count as cues is decided by a logistic-regression classifier
trained on PolNeAR train (``scripts/train_attribution.py``, weights in
``data/attr_model/``) over the candidate's lemma, frame, subject and the words around it, or,
where the weights are absent, by the hand-written verb lists.

The rules' content edges are then redrawn, for single-fragment content
that is not a whole quotation, by a boundary model trained on PolNeAR train
(:mod:`reportedly.extract.attr_bounds`, ``scripts/train_attr_bounds.py``),
and verb cues run on over the words annotators take in ("said Tuesday",
"said sarcastically") where a cue edge model trained there says so
(:mod:`reportedly.extract.attr_cue_edge`, ``scripts/train_attr_cue_edge.py``).

Where the transformer tagger is loaded, a source confidence model trained
on the PolNeAR articles it never saw (:mod:`reportedly.extract.attr_source_keep`,
``scripts/train_attr_source_keep.py``) judges every written source, and,
where the rules give none, the run of words the tagger marks as a source
nearest the cue; a source it doubts is dropped, the cue and content stay.

Sources are then resolved inside the article: pronouns ("They claim",
"he said", "who said") point at the nearest plausible antecedent, whose
intermediaries ("told The AP") carry over; anonymity stated anywhere in the
article ("the officials ... remain anonymous") marks the matching sources.
Multi-sentence quotes that continue after an attributed quote become extra
content fragments of the same attribution.

Offsets are character offsets into ``doc.text``, end exclusive.

This module holds the rules and :func:`find_attributions`, which runs every
step in order; the learned steps are in :mod:`reportedly.extract.attr_learned`,
and the records and span helpers both share in :mod:`reportedly.extract.attr_spans`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from reportedly.extract.attr_learned import (
    _CUE,
    _extend_cues,
    _refine_bounds,
    _refine_source,
    _tagger_attributions,
    _tagger_source,
    all_units,
)
from reportedly.extract.attr_lexicon import AttrLexicon, default_lexicon
from reportedly.extract.attr_source_keep import source_keep_features
from reportedly.extract.attr_sources import PRONOUNS, build_source, is_plural, number_value, span_of
from reportedly.extract.attr_spans import (
    Attribution,
    _chars,
    _clip,
    _Found,
    _fragments,
    _inside_quote,
    _paragraph,
    _region_at,
    _strip_punct,
    _trim,
    _unit,
    quote_regions,
)
from reportedly.extract.attr_tagger import DocScores
from reportedly.extract.docview import doc_text, sentence_of, sentences
from reportedly.types import Source

__all__ = [
    "Attribution",
    "cue_features",
    "find_attributions",
    "quote_regions",
    "verb_frame",
    "verb_subject",
]

_SUBJ = {"nsubj", "nsubjpass", "csubj"}
#: Dependents through which a cue verb borrows the subject of its head:
#: "X said ... and added that", "X spoke, saying that", "X wants to argue that",
#: "X is quick to point out that" (acomp), "X began by saying that" (prep, pcomp).
_SUBJ_INHERIT = {"conj", "advcl", "xcomp", "acl", "acomp", "pcomp", "prep"}
#: Prepositions whose object, when an outlet, is an intermediary: "told The
#: AP", "said to the BBC", "in an interview with CNN".
_VIA_PREPS = {"to", "with"}
_VIA_NOUNS = {"interview", "statement", "conversation", "call", "email", "appearance", "op-ed", "broadcast"}




def _subtree_in_sent(token: Token, exclude: set[int] | None = None) -> list[Token]:
    start, end = _unit(token)
    exclude = exclude or set()
    return [t for t in token.subtree if start <= t.i < end and t.i not in exclude]


# --------------------------------------------------------------------------- sources


#: Punctuation that sets a phrase off from the clause around it.
_CLAUSE_BREAKS = frozenset({",", ";", "—", "–", "--"})


def _separates(tok: Token) -> bool:
    """Whether ``tok`` sets a subject off from its verb: a clause break, a
    quotation mark, a colon or a line break."""
    return tok.is_quote or tok.text == ":" or tok.text in _CLAUSE_BREAKS or (tok.is_space and "\n" in tok.text)


def _asked_participle(verb: Token) -> bool:
    """ "Asked if ..., X said": a participle opening its sentence (or after "When")."""
    if verb.lemma_ != "ask" or verb.tag_ != "VBN" or verb.dep_ != "advcl" or verb.head.i < verb.i:
        return False
    before = [t for t in verb.doc[verb.left_edge.i : verb.i] if not t.is_space and not t.is_punct]
    return all(t.lower_ == "when" for t in before)


def verb_subject(verb: Token) -> tuple[Token | None, bool]:
    """The subject of a cue verb and whether the clause is passive without an agent."""
    if _asked_participle(verb):
        return None, True  # "Asked if ..., Clinton said": Clinton was asked; who asked is unsaid
    passive = any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children)
    for child in verb.children:
        if child.dep_ == "agent":
            objs = [g for g in child.children if g.dep_ == "pobj"]
            if objs:
                return objs[0], False
    subjects = [c for c in verb.children if c.dep_ in _SUBJ]
    if len(subjects) > 1:
        # '“My reaction, that was outrageous,” the strategist said', 'People
        # like Scott, he said', a live blog's '12:15 p.m. ⏎ Donald Trump says',
        # 'The Latest: Trump urges': the parser gives the verb two subjects;
        # the speaker is the one no quotation mark, comma, colon or line
        # break separates from the verb.
        outside = [c for c in subjects if not any(_separates(t) for t in verb.doc[min(c.i, verb.i) + 1 : max(c.i, verb.i)])]
        if outside:
            subjects = outside[:1]
    if passive:
        # "X is expected to say": the subject is not who says it.
        return None, True
    if subjects:
        return subjects[0], False
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in {"NOUN", "PROPN"}:
        # "an article claiming that ...": the noun the participle describes speaks
        return verb.head, False
    head = verb
    hops = 0
    while head.dep_ in _SUBJ_INHERIT and head.head is not head and hops < 4:
        head = head.head
        hops += 1
        if verb.tag_ == "VBG" and head.dep_ == "ccomp" and head.head.pos_ in {"VERB", "AUX"} and head.i < verb.i:
            # "X said the plan will cost $2bn, adding that ...": the parser
            # hangs "adding" on the reported clause, but X does the adding
            head = head.head
        for child in head.children:
            if child.dep_ in {"nsubj"}:
                return child, False
    return None, False


#: Leading words that qualify the clause, not the source ("Even those", "But Mr. X").
_SOURCE_LEAD = {"even", "but", "and", "also", "yet", "so"}
#: Trailing modifiers that say how, not who ("X, through a spokeswoman", "progressives in particular").
_SOURCE_TAIL_PREPS = {"through", "via", "like", "unlike"}
#: Dashes that end a dateline ("BRUSSELS - European leaders", "WASHINGTON (AP) —").
_DATELINE_DASHES = {"-", "--", "—", "–", "―"}


def _source_tokens(subject: Token) -> list[Token]:
    """The source as written: the subject's subtree inside its sentence
    (relative clauses and appositions included, as annotators mostly do),
    less what PolNeAR's annotators leave out: a leading "even" or "but", a
    dateline, "through a spokeswoman", ", like Obama", ", speaking at a
    rally", "in particular". (An age stays: "Jim Bennett, 57,".)"""
    toks = _subtree_in_sent(subject)
    dash = next((k for k, t in enumerate(toks) if t.text in _DATELINE_DASHES and t.i < subject.i), None)
    if dash is not None and all(t.is_punct or t.is_space or (t.is_upper and t.is_alpha) for t in toks[:dash]):
        toks = toks[dash + 1 :]  # a dateline opens the sentence, not the source
    while len(toks) > 1 and toks[0].lower_ in _SOURCE_LEAD and toks[0].i != subject.i:
        toks = toks[1:]
    for k, tok in enumerate(toks):
        if k == 0 or tok.i <= subject.i:
            continue
        prev = toks[k - 1]
        if prev.text != ",":
            continue
        if tok.head.i == subject.i and tok.dep_ == "prep" and tok.lower_ in _SOURCE_TAIL_PREPS:
            toks = toks[: k - 1]
            break
        if tok.head.i == subject.i and tok.dep_ == "acl" and tok.tag_ == "VBG" and tok.left_edge.i == tok.i:
            # "Marco Rubio, speaking at a rally in Miami,": what the source
            # was doing, not who it is
            toks = toks[: k - 1]
            break
    if len(toks) > 2 and toks[-2].lower_ == "in" and toks[-1].lower_ == "particular":
        toks = toks[:-2]
    return toks or [subject]


def _via(verb: Token, lex: AttrLexicon) -> list[str]:
    """Intermediaries: outlets the source spoke to ("told The AP", "in an interview with the BBC")."""
    found: list[Token] = []
    for child in verb.children:
        if child.dep_ in {"dobj", "dative", "iobj"} and verb.lemma_.lower() in {"tell", "write", "say"}:
            found.append(child)
        elif child.dep_ == "prep" and child.lower_ in _VIA_PREPS | {"in", "on"}:
            for pobj in child.children:
                if pobj.dep_ != "pobj":
                    continue
                if child.lower_ in _VIA_PREPS:
                    found.append(pobj)
                elif pobj.lemma_.lower() in _VIA_NOUNS:
                    # "in an interview with Y", "in a statement to Y", "on Fox News"
                    for prep in pobj.children:
                        if prep.dep_ == "prep" and prep.lower_ in _VIA_PREPS:
                            found.extend(g for g in prep.children if g.dep_ == "pobj")
                elif child.lower_ == "on":
                    found.append(pobj)
    out: list[str] = []
    for tok in found:
        span = span_of(tok.doc, [t for t in tok.subtree if t.dep_ not in {"relcl", "acl"}])
        text = span.text.strip(" ,")
        is_outlet = lex.is_known_org(text) or tok.ent_type_ in {"ORG", "WORK_OF_ART"} or lex.canonical(text) != text
        if is_outlet:
            name = lex.canonical(text)
            if name not in out:
                out.append(name)
    return out


# --------------------------------------------------------------------------- patterns




def _adjacent_quote(
    verb: Token, subject: Token | None, regions: list[tuple[int, int]], text: str
) -> tuple[int, int] | None:
    """A quote right before the source and cue ('“...,” he said') or right after ('he said: “...”')."""
    sent = sentence_of(verb)
    left_tokens = [verb] + ([t for t in subject.subtree] if subject is not None else [])
    left = min(t.idx for t in left_tokens)
    right = verb.idx + len(verb.text)
    for a, b in regions:
        if b <= left and b >= sent.start_char - 1 and not text[b:left].strip(" ,—–-\n"):
            return (a, b)
        if a >= right and re.fullmatch(r"\s*:\s*", text[right:a]):
            # 'He said:' and the quote, even in the next paragraph.
            return (a, b)
        if a >= right and a <= sent.end_char:
            gap = text[right:a]
            if len(gap) < 40 and gap.strip(" ,:—–-\n") == "" or re.fullmatch(r"[\s,]*(?:in|on|at|to)\b[^“\"]{0,40}[:,]\s*", gap):
                return (a, b)
    return None


#: Dependents that hold what a verb reports when it takes no clause:
#: "called Trump a fascist" (dobj + oprd), "urged him to resign" (dobj + xcomp).
_COMPLEMENTS = {"dobj", "oprd", "xcomp", "ccomp", "dative"}
#: Prepositions that join a cue verb and its content: "called for X", "pointed to X".
_CUE_PREPS = {"for", "to", "on", "of", "about", "against", "at"}
#: Prepositions that complete an object: "described him as ...", "compared X to Y".
_OBJECT_PREPS = {"as", "to", "for", "with", "about", "of", "on", "into", "from", "against"}


def _clause_after_setting(verb: Token, hi: int) -> list[Token]:
    """ "said in a statement that ...", "said during a news conference that
    ...": the parser hangs the reported clause on the statement or the
    conference; a clause opened by the conjunction "that" is the verb's."""
    for prep in verb.children:
        if prep.dep_ != "prep" or not verb.i < prep.i < hi:
            continue
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            for clause in obj.children:
                if (
                    clause.dep_ in {"acl", "relcl", "ccomp"}
                    and clause.i < hi
                    and clause.left_edge.lower_ == "that"
                    and clause.left_edge.dep_ == "mark"
                ):
                    return [clause]
    return []


def _without_opening_link(toks: list[Token], verb: Token) -> list[Token]:
    """ "And perhaps, he said, it could help", "If, he suggested, he and
    others benefit": a conjunction opening the sentence joins it to the last
    one (and a lone "If" before the cue to what follows it); neither is what
    the speaker is reported to say."""

    def link(k: int) -> bool:
        tok = toks[k]
        if tok.pos_ == "CCONJ" or tok.lower_ in {"yet", "so"} or tok.is_punct or tok.is_space:
            return True
        return tok.dep_ == "mark" and all(t.is_punct or t.is_space for t in toks[k + 1 :] if t.i < verb.i)

    k = 0
    while k < len(toks) and link(k):
        k += 1
    return toks[k:]


def verb_frame(
    verb: Token, subject: Token | None, regions: list[tuple[int, int]], text: str
) -> tuple[str, list[tuple[int, int]], list[Token]]:
    """How ``verb`` would report content: the frame name, the content fragments
    and extra cue tokens ("for" in "called for").

    Frames: "ccomp" (a clause: "said that ..."), "paren" (the verb is a
    parenthetical or follows a quote: '“...,” she said'), "quote" (a quote
    beside it), "object" (noun/infinitive complements), "prep" (a
    preposition's object), or "" when the verb governs nothing reportable.
    The same function serves extraction and ``scripts/train_attribution.py``,
    so the learned frame table and the extractor agree on what a frame is.
    """
    lo, hi = _unit(verb)
    if _asked_participle(verb):
        # "Asked if she believed Putin wanted Trump to win, Clinton said ...":
        # the question is what "Asked" reports, whatever the parser hangs it by.
        question = [c for c in verb.children if verb.i < c.i < hi and (c.dep_ in {"ccomp", "advcl", "xcomp"} or (c.dep_ == "prep" and c.lower_ == "about"))]
        if question:
            content = _fragments(text, _subtree_in_sent(question[0]))
            if content:
                return "ccomp", content, []
    clauses = [c for c in verb.children if c.dep_ == "ccomp" and lo <= c.i < hi] or _clause_after_setting(verb, hi)
    if clauses:
        clause = clauses[-1] if clauses[-1].i > verb.i else clauses[0]
        toks = _subtree_in_sent(clause)
        after = [c for c in clauses if c.i > verb.i]
        if len(after) > 1:
            # "says it started marking down her wealth ... as one of its
            # reporters started picking up problems": the small parser hangs
            # a clause of the report on the cue as a second ccomp; what the
            # verb reports runs from the first clause to the end of the last.
            reach = [t.i for c in after for t in _subtree_in_sent(c)]
            toks = list(verb.doc[min(reach) : max(reach) + 1])
        start, end = _chars(toks)
        # A quoted clause is the whole quote, even where the parser hangs
        # words from outside the quote onto it.
        region = _region_at(regions, start, end)
        opening = _region_at(regions, clause.idx, clause.idx + 1)
        if region is None and opening is not None and start - 2 <= opening[0] <= start:
            region = opening  # the clause opens the quote: take the quote
        if region is None:
            # 'that “some of the things ...”': a clause that runs into a quote
            # ends where the quote ends, whatever the parser attached.
            closing = _region_at(regions, end - 1, end)
            if closing is not None and closing[0] > start:
                end = closing[1]
                toks = [t for t in toks if t.idx < end] + [
                    t for t in verb.doc[toks[-1].i + 1 : hi] if t.idx + len(t.text) <= end
                ]
        return "ccomp", ([region] if region else _fragments(text, toks)), []
    # "referring to X", "talked about X": a preposition right after the verb
    # with an object of its own is what the verb reports, as much as a noun object
    own = any(c.dep_ in {"dobj", "xcomp", "oprd", "attr", "acomp", "dative"} for c in verb.children) or any(
        c.dep_ == "prep" and c.lower_ in _CUE_PREPS and verb.i < c.i <= verb.i + 2 and any(g.dep_ in {"pobj", "pcomp"} for g in c.children)
        for c in verb.children
    )
    if (
        verb.dep_ in {"parataxis", "ccomp", "advcl"}
        and subject is not None
        and not own  # a parenthetical cue governs nothing of its own
        and verb.head.pos_ in {"VERB", "AUX"}
    ):
        # '“We will win,” she said.' parsed with the quote's verb as the root,
        # and the parenthetical 'To prevent problems, he said, officials ...'.
        mine = {t.i for t in verb.subtree}
        toks = [t for t in _subtree_in_sent(verb.head) if t.i not in mine and lo <= t.i < hi]
        toks = _without_opening_link(toks, verb)
        if toks:
            start, end = _chars(toks)
            region = _region_at(regions, start, end)
            content = [region] if region else _fragments(text, toks)
            if content:
                return "paren", content, []
    quote = _adjacent_quote(verb, subject, regions, text)
    # "praised the president's actions" beside a quote: the object is what
    # is reported, the quote someone else's words
    has_object = any(c.dep_ == "dobj" and c.i > verb.i and not _region_at(regions, c.idx, c.idx + 1) for c in verb.children)
    if quote is not None and not has_object:
        return "quote", [quote], []
    right = [c for c in verb.children if verb.i < c.i < hi and c.dep_ != "prt"]
    items: list[Token] = []
    extra: list[Token] = []
    for k, child in enumerate(right):
        if k == 0 and child.dep_ == "prep" and child.lower_ in _CUE_PREPS and child.i <= verb.i + 2:
            # "called for X", "called on Trump to stop": the preposition joins the cue.
            objs = [c for c in child.children if c.dep_ in {"pobj", "pcomp"}]
            if not objs:
                break
            extra = [child]
            items.extend(objs)
        elif child.dep_ in _COMPLEMENTS:
            # The complements and the prepositions that complete them ("criticized
            # the law as a crazy system", "compares his struggles to those of ...").
            items.append(child)
        elif items and child.dep_ == "prep" and child.lower_ in _OBJECT_PREPS:
            items.append(child)
        elif items:
            break
    if items:
        toks = [t for c in items for t in _subtree_in_sent(c)]
        first, last = min(t.i for t in toks), max(t.i for t in toks)
        content = _fragments(text, [verb.doc[i] for i in range(first, last + 1)])
        if content:
            return ("prep" if extra else "object"), content, extra
    if not items:
        # "is calling for the United States to take a stronger role": the
        # parser makes "for ... to take" a clause of the verb, "for" its mark.
        for child in right:
            marks = [g for g in child.children if g.dep_ == "mark" and g.lower_ == "for"]
            if child.dep_ == "advcl" and marks and marks[0].i - verb.i <= 3:
                content = _fragments(text, [t for t in _subtree_in_sent(child) if t.i != marks[0].i])
                if content:
                    return "prep", content, list(verb.doc[verb.i + 1 : marks[0].i + 1])
    if not items and not any(c.dep_ == "dobj" for c in verb.children):
        # "spoke out Tuesday about the death of ...", "spoke emotionally of
        # his flights": the preposition comes after adjuncts; the words
        # between join the cue, as annotators mark it.
        for child in right:
            if child.dep_ != "prep":
                continue
            if child.lower_ in _TOPIC_PREPS and child.i - verb.i <= 6:
                between = list(verb.doc[verb.i + 1 : child.i + 1])
                objs = [c for c in child.children if c.dep_ in {"pobj", "pcomp"}]
                if objs and not any(t.is_punct or t.is_space for t in between):
                    content = _fragments(text, [t for o in objs for t in _subtree_in_sent(o)])
                    if content:
                        return "prep", content, between
            break
    return "", [], []


#: Prepositions that name what someone talks about.
_TOPIC_PREPS = frozenset({"about", "of", "on"})


def _by_position(verb: Token, lemma: str, subject: Token | None, text: str) -> tuple[str, list[tuple[int, int]]]:
    """A speech verb the parser hangs nothing reportable on: what it reports
    found by position, as the frame it stands for ("quote" for a block after
    a colon, "paren" for a clause before it). Extraction only: the learned
    cue table is trained on :func:`verb_frame`'s candidates."""
    if lemma not in _SPEECH_VERBS:
        return "", []
    lo, hi = _unit(verb)
    block = _colon_block(verb, hi, text)
    if block is not None:
        return "quote", [block]
    tail = _tail_content(verb, subject, lo)
    return ("paren", _fragments(text, tail)) if tail else ("", [])


#: Verbs that report speech whatever the parse: when the small parser hangs
#: nothing reportable on them, what they report is found by position.
_SPEECH_VERBS = {
    "say", "tell", "add", "write", "argue", "note", "explain", "insist", "claim", "warn",
    "state", "declare", "contend", "assert", "acknowledge", "admit", "recall", "tweet",
    "continue", "conclude", "counter", "respond", "reply", "quip", "joke", "complain",
}


def _colon_block(verb: Token, hi: int, text: str) -> tuple[int, int] | None:
    """'Limbaugh added:' closing its paragraph: what he said is the next paragraph."""
    doc = verb.doc
    after = [t for t in doc[verb.i + 1 : hi] if not t.is_space]
    if len(after) != 1 or after[0].text != ":":
        return None
    start = after[0].idx + 1
    while start < len(text) and text[start].isspace():
        start += 1
    if text.find("\n\n", after[0].idx, start) < 0:
        return None  # 'said: the plan ...' in the same paragraph is parsed as a clause
    end = text.find("\n\n", start)
    end = len(text) if end < 0 else end
    return (start, end) if end > start else None


def _tail_content(verb: Token, subject: Token | None, lo: int) -> list[Token]:
    """'Not a chance, experts say.' (parsed with no clause under "say"):
    a speech verb that ends its sentence reports what stands before it,
    up to the comma, dash or closing quote that sets the source off."""
    doc = verb.doc
    if verb.dep_ != "ROOT" or any(c.i > verb.i and c.dep_ in {"intj", "dobj", "advmod", "acomp"} for c in verb.children):
        return []  # 'said yes', 'would say so': what was said follows the verb
    left = verb.i
    if subject is not None and subject.i < verb.i:
        left = min(left, subject.left_edge.i)
    while left > lo and doc[left - 1].head.i == verb.i and doc[left - 1].dep_ in {"aux", "neg", "advmod"}:
        left -= 1
    before = [t for t in doc[lo:left] if not t.is_space]
    if len(before) < 3 or before[-1].text not in {",", "”", "\"", "—", "--", "–"}:
        return []
    while before and before[-1].is_punct:
        before.pop()
    while before and before[0].is_punct:
        before.pop(0)
    return before if len(before) >= 2 else []


def _verb_group(verb: Token, lex: AttrLexicon) -> list[Token]:
    """The verb with the auxiliaries, negation and cue adverbs right before it
    ("has not said", "is expected", "also claimed"): annotators mark the
    whole verb group as the cue."""
    group = [verb]
    i = verb.i - 1
    while i >= 0:
        tok = verb.doc[i]
        if tok.head.i != verb.i:
            break
        # Any adverb inside the verb group belongs to the cue ("has consistently
        # pushed", "pointedly rejected"), as PolNeAR marks it.
        if tok.dep_ in {"aux", "auxpass", "neg"} or (
            tok.dep_ == "advmod" and (tok.lower_ in lex.cue_adverbs or tok.tag_ == "RB")
        ):
            group.insert(0, tok)
            i -= 1
        else:
            break
    head = verb.head
    if (
        verb.dep_ == "xcomp"
        and head.pos_ in {"VERB", "AUX", "ADJ"}
        and head.i < group[0].i
        and group[0].lower_ == "to"
        and all(t.head.i == head.i and t.dep_ in {"prt", "advmod"} for t in verb.doc[head.i + 1 : group[0].i])
    ):
        # "is poised to argue", "went on to say": the governing verb opens the cue.
        return _verb_group(head, lex) + list(verb.doc[head.i + 1 : group[0].i]) + group
    between = verb.doc[head.i + 1 : group[0].i]
    if (
        verb.dep_ == "xcomp"
        and head.pos_ == "VERB"
        and head.i < group[0].i
        and len(between) <= 8
        and not any(t.is_punct or t.is_space or t.dep_ in {"nsubj", "ccomp"} for t in between)
    ):
        # "decided on the spur of the moment to address", "took to Twitter to say"
        return _verb_group(head, lex) + list(between) + group
    if (
        verb.dep_ == "acomp"
        and head.pos_ in {"VERB", "AUX"}
        and head.i < group[0].i
        and all(
            verb.left_edge.i <= t.i or (t.head.i == head.i and t.dep_ in {"neg", "advmod"})
            for t in verb.doc[head.i + 1 : group[0].i]
        )
    ):
        # "are slightly more likely to say", "are specifically focused on":
        # the copula and the adjective's own modifiers open the cue.
        return _verb_group(head, lex) + list(verb.doc[head.i + 1 : group[0].i]) + group
    return group


#: Dependencies under which the governing verb's lemma tells a cue apart ("want to say", "decline to comment").
_HEAD_DEPS = {"xcomp", "ccomp", "advcl", "conj", "acl", "relcl", "pcomp"}
#: Complements whose lemma tells a cue apart ("raised questions", "took a shot").
_WORD_COMPLEMENTS = {"dobj", "xcomp", "attr", "oprd", "dative", "acomp"}


def cue_features(verb: Token, subject: Token | None, passive: bool, frame: str) -> list[str]:
    """Features of a candidate cue verb for the learned cue classifier.

    Shared by extraction and ``scripts/train_attribution.py``. They describe
    the verb (lemma, tag, dependency), its frame and its subject (part of
    speech, entity type, pronoun or not, lemma), singly and combined with the
    lemma, and the words around it: the verb it depends on, its prepositions,
    particles, auxiliaries and complements, the mark of its clause.
    """
    lemma = verb.lemma_.lower()
    if subject is None:
        subj = "passive" if passive else "none"
    elif subject.pos_ == "PRON":
        subj = "pron"
    elif subject.ent_type_:
        subj = "ent:" + subject.ent_type_
    else:
        subj = subject.pos_.lower()
    kids = sorted({c.dep_ for c in verb.children if c.dep_ in {"dobj", "xcomp", "ccomp", "prep", "dative", "oprd", "advcl"}})
    # Words, not just labels, around the verb: "called for" and "called him",
    # "made the case" and "made a mistake", "want to lose" and "want to say",
    # "support" under "say" differ only in the words.
    words: list[str] = []
    if verb.dep_ in _HEAD_DEPS:
        words.append("hd=" + verb.dep_ + "|" + verb.head.lemma_.lower())
    for child in verb.children:
        dep = child.dep_
        if dep in {"prep", "prt", "agent"}:
            words += ["c=" + dep + ":" + child.lower_, "lc=" + lemma + "|" + child.lower_]
        elif dep in _WORD_COMPLEMENTS:
            word = dep + ":" + child.lemma_.lower()
            words += ["c=" + word, "lc=" + lemma + "|" + word]
        elif dep in {"aux", "auxpass", "neg"}:
            words.append("aux=" + child.lower_)
        elif dep == "ccomp":
            mark = next((g.lower_ for g in child.children if g.dep_ == "mark"), "-")
            words += ["ccm=" + mark, "lccm=" + lemma + "|" + mark]
    if subject is not None:
        words.append("sl=" + subject.lemma_.lower())
    words.append("lfs=" + lemma + "|" + frame + "|" + subj)
    return words + [
        "lemma=" + lemma,
        "frame=" + frame,
        "lf=" + lemma + "|" + frame,
        "subj=" + subj,
        "ls=" + lemma + "|" + subj,
        "fs=" + frame + "|" + subj,
        "tag=" + verb.tag_,
        "dep=" + verb.dep_,
        "lt=" + lemma + "|" + verb.tag_,
        "ld=" + lemma + "|" + verb.dep_,
        "kids=" + ",".join(kids),
        "lk=" + lemma + "|" + ",".join(kids),
    ]


#: Verbs whose subject belongs to the content: "X seems to be Y".
_RAISING = {"seem", "appear"}
#: What a raising verb says of its subject: "seemed to be", "seemed lost", "appears a near certainty".
_RAISED = {"xcomp", "acomp", "attr", "oprd"}


def _may_be_cue_verb(verb: Token, lex: AttrLexicon) -> bool:
    """Whether a verb's lemma is one the lists, the frame table or the classifier know as a cue."""
    lemma = verb.lemma_.lower()
    return lemma in lex.cue_verbs or lex.learned_lemma(lemma) or "lemma=" + lemma in lex.cue_weights


@dataclass(slots=True)
class _VerbCandidate:
    """A verb that may be a cue: its subject, and what it governs and how."""

    subject: Token | None
    passive: bool
    frame: str
    content: list[tuple[int, int]]
    extra_cue: list[Token]


def _verb_candidate(verb: Token, lex: AttrLexicon, regions: list[tuple[int, int]], text: str) -> _VerbCandidate | None:
    """The verb as a cue candidate, or None where it governs nothing reportable."""
    if verb.pos_ not in {"VERB", "AUX"}:
        return None
    if verb.lower_ == "according" and verb.i + 1 < len(verb.doc) and verb.nbor(1).lower_ == "to":
        return None  # "According to X, ..." is _according_attribution's, whatever its parse
    if not _may_be_cue_verb(verb, lex):
        return None
    subject, passive = verb_subject(verb)
    frame, content, extra_cue = verb_frame(verb, subject, regions, text)
    if not frame:
        frame, content = _by_position(verb, verb.lemma_.lower(), subject, text)
    if not frame:
        return None
    return _VerbCandidate(subject, passive, frame, content, extra_cue)


def _verb_attribution(
    verb: Token,
    lex: AttrLexicon,
    regions: list[tuple[int, int]],
    text: str,
    scores: DocScores | None = None,
    candidates: dict[int, _VerbCandidate] | None = None,
) -> _Found | None:
    """``candidates``: the doc's verb candidates where already found (by index)."""
    cand = candidates.get(verb.i) if candidates is not None else _verb_candidate(verb, lex, regions, text)
    if cand is None:
        return None
    lemma = verb.lemma_.lower()
    subject, passive, frame, content, extra_cue = cand.subject, cand.passive, cand.frame, cand.content, cand.extra_cue
    score = 1.0
    if lex.cue_weights:
        hand = lex.accepts_by_hand(lemma, frame)
        vote = 0.0
        if scores is not None and lex.cue_tagger_weight:
            vote = float(scores.ensure([_unit(verb)])[verb.i, _CUE])
        score = lex.cue_score(cue_features(verb, subject, passive, frame), vote)
        if not (hand and lex.keep_hand_cues) and score < lex.cue_threshold:
            return None
    elif not lex.accepts(lemma, frame):
        return None
    if not content:
        return None
    if subject is None and not passive and verb.tag_ == "VB" and verb.dep_ == "ROOT":
        return None  # an imperative ("Learn how ...") reports nothing
    if frame != "quote":  # 'He said:' may introduce a quote in the next paragraph
        para = _paragraph(verb, text)
        content = [c for c in (_clip(c, para) for c in content) if c is not None]
    if not content:
        return None
    between: list[Token] | None = None
    if subject is None and not passive and content[0][1] <= verb.idx:
        # '“...”, intelligence chief of Misrata, Ismail Shukri, told the BBC':
        # the parser often hangs the source off the quote; take what stands
        # between the quote and the cue.
        between = _strip_punct([t for t in sentence_of(verb) if content[0][1] <= t.idx < verb.idx])
        if between and any(t.pos_ in {"NOUN", "PROPN", "PRON"} for t in between):
            subject = between[-1]
        else:
            between = None
    if subject is None and not passive and between is None and content[0][1] <= verb.idx:
        # '“...,” added another New Hampshire Republican': the small parser
        # reads the speaker after the verb as its object.
        after = [c for c in verb.children if c.i > verb.i and c.dep_ in {"dobj", "attr", "npadvmod"} and c.pos_ in {"NOUN", "PROPN"}]
        if after:
            subject = after[0]
    cue = _verb_group(verb, lex) + [t for t in verb.children if t.dep_ == "prt" and t.i == verb.i + 1] + extra_cue
    source = between or (_source_tokens(subject) if subject is not None else None)
    if source is not None and verb.i in {t.i for t in source}:
        source = [subject]
    if lemma in _RAISING and subject is not None and source and any(c.dep_ in _RAISED for c in verb.children) and (
        any(c.dep_ == "xcomp" for c in verb.children) or subject.lower_ not in {"it", "this", "that", "there"}
    ):
        # "The two seemed to be well known": the subject is part of what
        # seems, not who says so; the relation has no source.
        first = _fragments(text, source)
        if first and first[-1][1] <= content[0][0]:
            return _Found(cue, None, None, first + content, [], "verb:raising", score)
    if passive and subject is None and frame in {"object", "prep"} and verb.idx < content[0][0]:
        # "Clinton was declared the winner", "Many are expected to fan out",
        # "Mr. Quiros was accused of using ...":
        # with no agent, what is declared or expected is said of the passive
        # subject, and annotators make it the content's first fragment.
        raised = [c for c in verb.children if c.dep_ == "nsubjpass" and c.lower_ not in {"it", "this", "there"}]
        first = _fragments(text, _source_tokens(raised[0])) if raised else []
        if first and first[-1][1] <= verb.idx:
            return _Found(cue, None, None, first + content, [], "verb:passive", score)
    return _Found(cue, subject, source, content, _via(verb, lex), "verb:" + frame, score)


def _according_attribution(tok: Token, text: str) -> _Found | None:
    """ "according to X, Y" / "Y, according to X" """
    if tok.lower_ != "according" or tok.i + 1 >= len(tok.doc) or tok.nbor(1).lower_ != "to":
        return None
    to = tok.nbor(1)
    objs = [c for c in to.children if c.dep_ in {"pobj", "pcomp"}] or [c for c in tok.children if c.dep_ == "pobj"]
    if not objs:
        return None
    lo, hi = _unit(tok)
    if tok.i == lo and tok.dep_ == "ROOT":
        # "According to radio host Rush Limbaugh, the move reeks of fear":
        # parsed as a root whose object takes the clause as an apposition;
        # the comma after the source's own words ends it.
        comma = next((t for t in tok.doc[to.i + 1 : hi] if t.text == ","), None)
        rest = [t for t in tok.doc[comma.i + 1 : hi]] if comma is not None else []
        if comma is not None and sum(not t.is_punct and not t.is_space for t in rest) >= 3:
            source = list(tok.doc[to.i + 1 : comma.i])
            heads = [t for t in source if t.head.i not in {u.i for u in source}]
            content = _fragments(text, rest)
            if heads and content:
                return _Found([tok, to], heads[0], source, content, [], "according")
    # Only the phrase itself: where the parser makes "According" the root,
    # its subtree is the whole sentence, and the rest of it is the content.
    phrase = {tok.i} | {t.i for t in to.subtree} | {t.i for o in objs for t in o.subtree}
    keep = [t for t in tok.doc[lo:hi] if t.i not in phrase]
    content = _fragments(text, keep)
    if not content:
        return None
    source = _subtree_in_sent(objs[0])
    return _Found([tok, to], objs[0], source, content, [], "according")


#: What a poll or study finds: "In a CNN/ORC poll released Monday, 31% said ...".
_FINDING_NOUNS = frozenset(
    {"poll", "polls", "survey", "surveys", "study", "studies", "analysis", "census", "audit", "tally", "estimate", "estimates"}
)


def _finding_attribution(tok: Token, text: str) -> _Found | None:
    """ "In a Washington Post-ABC News poll, 67 percent ...", "Kasich was at
    25 percent in the latest Fox poll": the poll is the source, "in" the cue
    and the clause around the phrase what the poll found."""
    if tok.lower_ != "in" or tok.dep_ != "prep":
        return None
    objs = [c for c in tok.children if c.dep_ == "pobj" and c.lower_ in _FINDING_NOUNS]
    if not objs or tok.head.pos_ not in {"VERB", "AUX", "ADJ"}:
        return None
    lo, hi = _unit(tok)
    named = any(c.dep_ in {"compound", "amod", "nmod", "poss", "nummod"} for c in objs[0].children)
    if not named and tok.i != lo:
        return None  # "leads in the polls": a standing, not a finding someone reports
    head = tok.head
    phrase = {t.i for t in tok.subtree}
    # What the poll found is the clause's core: not a date beside the phrase
    # ("in a poll last month"), nor what a comma sets off around it ("In his
    # best result yet, ...", "..., up eight points from March").
    for child in head.children:
        if child.i in phrase:
            continue
        if child.dep_ == "npadvmod" and child.ent_type_ in {"DATE", "TIME"}:
            phrase |= {t.i for t in child.subtree}
        elif child.dep_ == "mark" or (child.dep_ == "advmod" and child.tag_ == "WRB" and child.i < head.i):
            phrase.add(child.i)  # "although Rubio moved ...", "where the mogul led"
        elif child.i < head.i and child.dep_ in {"advcl", "npadvmod", "prep", "advmod"} and _comma_between(head, child):
            phrase |= {t.i for t in child.subtree}
        elif child.i > head.i and child.dep_ in {"npadvmod", "advmod", "appos"} and _comma_between(head, child):
            phrase |= {t.i for t in child.subtree}
    keep = [t for t in _subtree_in_sent(head) if t.i not in phrase and lo <= t.i < hi]
    # One stretch: the words around the verb that no removed phrase interrupts.
    run = [t for t in keep if not any(i in phrase for i in range(min(t.i, head.i), max(t.i, head.i)))]
    content = _fragments(text, run)
    if not content:
        return None
    return _Found([tok], objs[0], _subtree_in_sent(objs[0]), content, [], "finding")


def _comma_between(head: Token, child: Token) -> bool:
    """Whether a comma separates ``child``'s phrase from ``head``."""
    lo, hi = (child.right_edge.i, head.i) if child.i < head.i else (head.i, child.left_edge.i)
    return any(t.text in _CLAUSE_BREAKS for t in head.doc[lo : hi + 1])


def _noun_attribution(noun: Token, lex: AttrLexicon, text: str) -> _Found | None:
    """ "a New York Times report that ...", "his claim that ..." """
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in lex.cue_nouns:
        return None
    clause = None
    for child in noun.children:
        if child.dep_ in {"acl", "ccomp", "appos", "relcl"} and any(
            g.dep_ == "mark" and g.lower_ == "that" for g in child.children
        ):
            clause = child
            break
    if clause is None:
        return None
    content = _fragments(text, _subtree_in_sent(clause))
    subject: Token | None = None
    source: list[Token] | None = None
    for child in noun.children:
        if child.dep_ == "poss":
            subject, source = child, [t for t in child.subtree]
        elif child.dep_ == "prep" and child.lower_ in {"by", "from"} and child.i < clause.i:
            objs = [g for g in child.children if g.dep_ == "pobj"]
            if objs:
                subject, source = objs[0], _subtree_in_sent(objs[0])
    if source is None:
        mods = [c for c in noun.children if c.i < noun.i and c.dep_ == "compound" and c.pos_ == "PROPN"]
        if mods:
            left = [t for m in mods for t in m.subtree]
            dets = [c for c in noun.children if c.dep_ == "det" and c.i < min(t.i for t in left)]
            subject, source = mods[-1], dets + left
    if source is None and (noun.dep_ == "dobj" or (noun.dep_ == "pobj" and noun.head.head.pos_ in {"VERB", "AUX"})):
        # "repeated accusations that", "said in a statement that": with no
        # source of its own the noun is what the governing verb reports.
        return None
    return _Found([noun], subject, source, content, [], "noun")


def _speaker_attribution(colon: Token, text: str) -> _Found | None:
    """A line that opens with a speaker and a colon: transcripts ("WALLACE: Let's
    start ...") and headlines ("John McCain: ...")."""
    if colon.text != ":" or colon.i == 0:
        return None
    doc = colon.doc
    start = colon.i
    while start > 0 and not (doc[start - 1].is_space and "\n" in doc[start - 1].text) and colon.i - start < 7:
        start -= 1
    if start > 0 and not (doc[start - 1].is_space and "\n" in doc[start - 1].text):
        return None
    name = [t for t in doc[start : colon.i] if not t.is_quote]
    if not name or not all(t.pos_ == "PROPN" or t.is_upper or t.ent_type_ or t.text in {"-", "."} for t in name):
        return None
    if not any(t.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"} or (t.is_upper and len(t.text) > 1) for t in name):
        return None
    para_end = text.find("\n", colon.idx)
    end = len(text) if para_end < 0 else para_end
    rest = [t for t in doc[colon.i + 1 :] if t.idx < end]
    content = _fragments(text, rest) if rest else []
    if not content:
        return None
    return _Found([colon], name[-1], name, content, [], "speaker")


# --------------------------------------------------------------------------- resolution


@dataclass(slots=True)
class _Resolver:
    """Keeps the article's antecedents, in reading order, for pronoun sources."""

    lex: AttrLexicon
    persons: list[Span] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    plural: list[bool] = field(default_factory=list)

    def remember(self, source: Source, plural: bool) -> None:
        self.sources.append(source)
        self.plural.append(plural)

    def resolve(self, pronoun: Token, found: _Found, doc: Doc) -> Source | None:
        word = pronoun.lower_
        before = pronoun.idx
        if word in {"who", "which", "that"}:
            # The relative clause's head noun: "Rasmussen, who said ..."
            verb = pronoun.head
            noun = verb.head if verb.dep_ in {"relcl", "acl"} else None
            if noun is None:
                return None
            toks = [t for t in _subtree_in_sent(noun) if t.i < verb.left_edge.i and not t.is_punct]
            return build_source(span_of(doc, toks), self.lex) if toks else None
        if word in {"he", "she", "him", "her", "his"}:
            subject = _sentence_subject(pronoun, found.content)
            if subject is not None:
                out = build_source(span_of(doc, _source_tokens(subject)), self.lex)
                out.kind = "person"
                return out
            person = None
            for src, in_plural in zip(reversed(self.sources), reversed(self.plural)):
                if src.kind == "person" and not in_plural and (src.start or 0) < before:
                    person = src
                    break
            ent = None
            male = word in {"he", "him", "his"}
            for e in self.persons:
                if e.end_char <= before and not _other_sex(e.root, male):
                    ent = e
            if ent is not None and (person is None or (person.start or 0) < ent.start_char):
                # A named person mentioned after the last person source is the
                # nearer antecedent ("he said" -> last named person).
                if person is None or before - ent.start_char < 400:
                    return build_source(ent, self.lex)
            return replace(person, via=list(person.via)) if person else None
        if word in {"they", "them", "their"}:
            group = _sentence_subject(pronoun, found.content, plural=True)
            if group is not None:
                return build_source(span_of(doc, _source_tokens(group)), self.lex)
        if word in {"they", "them", "we", "their"} or (pronoun.pos_ == "NUM" and len(found.source or []) == 1):
            for src, in_plural in zip(reversed(self.sources), reversed(self.plural)):
                if in_plural and (src.start or 0) < before:
                    out = replace(src, via=list(src.via))
                    if pronoun.pos_ == "NUM":
                        out.count = number_value(pronoun.text)
                    return out
        return None


_MALE_TITLES = frozenset({"mr", "mr."})
_FEMALE_TITLES = frozenset({"mrs", "mrs.", "ms", "ms.", "miss"})


def _sentence_subject(pronoun: Token, content: list[tuple[int, int]], plural: bool = False) -> Token | None:
    """A named subject earlier in the pronoun's own sentence whose clause holds
    the pronoun: "Trump cited the policies, which he said had failed".

    That subject is the antecedent far more often than a name further back,
    and the small model often labels such a name an organisation ("Trump"),
    so the named-person list alone would skip it. A title of the other sex
    ("Mrs. Clinton ... he") rules a subject out, and so does lying in what
    the pronoun reports ("AT&T just finished the work, she said").
    """
    sent_start = sentence_of(pronoun).start
    ancestors = {t.i for t in pronoun.ancestors}
    male = pronoun.lower_ in {"he", "him", "his"}
    for tok in reversed(pronoun.doc[sent_start : pronoun.i]):
        if tok.dep_ not in {"nsubj", "nsubjpass"} or tok.head.i not in ancestors:
            continue
        if any(a <= tok.idx < b for a, b in content):
            continue
        if plural:
            # "The senators met on Monday, and they said ...": a plural noun or "X and Y"
            group = tok.tag_ in {"NNS", "NNPS"} or any(c.dep_ == "conj" for c in tok.children)
            return tok if group and tok.pos_ in {"NOUN", "PROPN"} else None
        if tok.pos_ != "PROPN" or tok.tag_ == "NNPS" or tok.ent_type_ in {"GPE", "NORP", "LOC", "FAC"}:
            return None  # the nearest such subject is not a person's name: no guess
        return None if _other_sex(tok, male) else tok
    return None


def _other_sex(name: Token, male: bool) -> bool:
    """Whether the title of a name ("Mrs. Clinton") rules out a pronoun of one sex."""
    titles = {c.lower_ for c in name.children if c.dep_ == "compound"} | {name.lower_}
    return bool(titles & (_FEMALE_TITLES if male else _MALE_TITLES))


def _in_subject_role(ent: Span) -> bool:
    """Whether a named person is a clause's subject ("Mrs. Clinton ... might
    nominate Mr. Obama", "Ivanka Trump, 34, said"): "he"/"she" continue a
    subject far more often than a name mentioned as an object, a possessor
    or a modifier ("an established Boko Haram tactic")."""
    root = ent.root
    if root.dep_ == "appos":
        root = root.head
    return root.dep_ in {"nsubj", "nsubjpass"}


def _anonymous_lemmas(doc: Doc, lex: AttrLexicon) -> set[str]:
    """Head lemmas of the people an article says are anonymous ("The officials ... remain anonymous")."""
    out: set[str] = set()
    for sent in sentences(doc):
        low = sent.text.lower()
        if not any(p in low for p in lex.anonymity_phrases):
            continue
        for tok in sent:
            if tok.pos_ == "NOUN" and tok.lemma_.lower() in lex.unnamed_nouns:
                out.add(tok.lemma_.lower())
    return out


# --------------------------------------------------------------------------- main


def find_attributions(doc: Doc, lexicon: AttrLexicon | None = None) -> list[Attribution]:
    """Every attribution in a parsed ``doc``, in reading order of the cue.

    ``lexicon`` defaults to the shipped vocabularies and learned cue table
    (:func:`reportedly.extract.attr_lexicon.default_lexicon`); pass
    ``load_lexicon(learned=False)`` for the hand-written rules alone.
    """
    lex = lexicon or default_lexicon()
    # Doc.text is rebuilt from the tokens on every access: read it once.
    text = doc_text(doc)
    regions = quote_regions(text)
    scores = None
    if lex.tagger is not None:
        # The tagger reads only the sentences where a cue is scored or content
        # redrawn, and those that hold candidate verbs all in one batch.
        edge = getattr(lex.tagger, "edge", None) if lex.bounds is not None and lex.bounds.reads_edges else None
        scores = DocScores(lex.tagger, doc, edge.from_layer if edge is not None else None)
    # the tagger's own cues need every unit, read in the same pass as the
    # candidates' (one read batches best)
    units = all_units(doc) if scores is not None and lex.tagger_cue_threshold > 0 else None
    candidates = None
    if scores is not None and lex.cue_tagger_weight:
        candidates = {t.i: c for t in doc if (c := _verb_candidate(t, lex, regions, text)) is not None}
        scores.ensure(units if units is not None else (_unit(doc[i]) for i in candidates))
    found: list[_Found] = []
    for tok in doc:
        hit = (
            _according_attribution(tok, text)
            or _finding_attribution(tok, text)
            or _verb_attribution(tok, lex, regions, text, scores, candidates)
            or _noun_attribution(tok, lex, text)
            or _speaker_attribution(tok, text)
        )
        if hit is not None and not _inside_quote(hit.cue[0].idx, regions):
            found.append(hit)
    found.sort(key=lambda f: f.cue[0].i)
    # "are continuing to insist that": the governing verb is part of the
    # inner cue, not a report of its own.
    cue_sets = [{t.i for t in f.cue} for f in found]
    found = [f for f, mine in zip(found, cue_sets) if not any(mine < other for other in cue_sets)]
    if lex.nested_cue_threshold > 0:
        # A report inside another's content ("He said he doubted any court
        # would enforce it") needs more confidence than one that stands alone.
        # A report that follows what it reports ("..., the Times reported")
        # is the outer report's intermediary, not a report inside it.
        found = [
            f
            for f in found
            if f.score >= lex.nested_cue_threshold or f.content[0][0] < f.cue[0].idx or not _nested(f, found)
        ]
    if scores is not None and units is not None:
        values = scores.ensure(units)
        found.extend(_tagger_attributions(doc, text, regions, values, units, found, lex.tagger_cue_threshold))
        found.sort(key=lambda f: f.cue[0].i)

    anon = _anonymous_lemmas(doc, lex)
    resolver = _Resolver(lex, persons=[e for e in doc.ents if e.label_ == "PERSON" and _in_subject_role(e)])
    out: list[Attribution] = []
    # sources the confidence model doubts: dropped once the cue ends are
    # drawn, which stop at a source whether kept or not ("said Trump")
    doubted: list[Attribution] = []
    for f in found:
        source: Source | None = None
        written: tuple[int, int] | None = None
        keep = True
        given = f.source
        from_tagger = False
        if not given and lex.source_keep is not None and scores is not None:
            # where the rules give none, the words the tagger marks as a
            # source nearest the cue are a candidate the model judges
            given = _tagger_source(doc, f, scores)
            from_tagger = given is not None
        if given:
            span = span_of(doc, given)
            if lex.source_bounds is not None and not from_tagger:
                span = _refine_source(doc, span, f.cue, f.content, f.pattern, lex.source_bounds, scores)
            written = (span.start_char, span.end_char)
            head = span.root
            if len(span) == 1 and (head.lower_ in PRONOUNS or head.pos_ in {"PRON", "NUM"}) or (
                head.dep_ == "poss" and head.pos_ == "PRON"
            ):
                source = resolver.resolve(head, f, doc)
                if source is not None:
                    source.resolved_from = span.text
                    for v in f.via:
                        if v not in source.via:
                            source.via.append(v)
                else:
                    source = build_source(span, lex, f.via)
                    # "I think": the writer or a speaker quoted earlier; unresolved.
                    source.kind = "person" if head.lower_ in {"he", "she", "i"} else "unknown"
                    source.name = None
            else:
                source = build_source(span, lex, f.via)
                resolver.remember(source, is_plural(head))
            if source.kind == "unnamed" and head.lemma_.lower() in anon:
                source.anonymous = True
            if lex.source_keep is not None:
                logits = scores.values if scores is not None else None
                features = source_keep_features(span, source, f.cue, f.pattern, f.score, logits, from_tagger)
                keep = lex.source_keep.keeps(features)
        cue_start, cue_end = _chars(f.cue)
        sent = sentence_of(f.cue[0])
        lo = min([sent.start_char] + [a for a, _ in f.content])
        hi = max([sent.end_char] + [b for _, b in f.content])
        out.append(
            Attribution(
                source=source,
                cue=text[cue_start:cue_end],
                cue_start=cue_start,
                cue_end=cue_end,
                content=list(f.content),
                sentence_start=lo,
                sentence_end=hi,
                source_span=written,
                pattern=f.pattern,
            )
        )
        if not keep:
            doubted.append(out[-1])
    if lex.bounds is not None:
        _refine_bounds(doc, text, out, regions, lex.bounds, scores)
    if lex.cue_edge is not None:
        _extend_cues(doc, text, out, lex.cue_edge, scores)
    for att in doubted:
        att.source = att.source_span = None
    _lead_quotes(text, out, regions)
    _continue_quotes(text, out, regions)
    _nest_reports(text, out)
    return out


def _nested(f: _Found, found: list[_Found]) -> bool:
    """Whether ``f``'s cue lies inside another found attribution's content
    while that one's cue does not lie inside ``f``'s: two reports that each
    hold the other's cue are parts of one report, neither nested in the other."""

    def inside(x: _Found, y: _Found) -> bool:
        start, end = x.cue[0].idx, x.cue[-1].idx + len(x.cue[-1].text)
        return any(a <= start and end <= b for a, b in y.content)

    return any(o is not f and inside(f, o) and not inside(o, f) for o in found)



def _nest_reports(text: str, atts: list[Attribution]) -> None:
    """ "Trump said the wall will be built, the Times reported": the parser
    hangs the trailing report inside Trump's content. Trump's claim reaches
    the reader via the Times. (His content keeps ", the Times reported", as
    PolNeAR marks it; the claim ledger cuts it, see ``frames``.)"""
    for inner in atts:
        if inner.source is None or inner.cue_end is None:
            continue
        for outer in atts:
            if outer is inner or outer.source is None or outer.cue_start is None or outer.source_span is None:
                continue
            if outer.source_span[0] <= inner.cue_end or not outer.source.name:
                continue
            for a, b in inner.content:
                if not (a <= outer.source_span[0] and outer.cue_start < b):
                    continue
                # the outer report trails what it reports ("..., the Times reported")
                if not outer.content or not all(a <= c and d <= outer.source_span[0] for c, d in outer.content):
                    continue
                if _trim(text, a, outer.source_span[0]) is None:
                    continue
                if outer.source.name not in inner.source.via and outer.source.name != inner.source.name:
                    inner.source.via.append(outer.source.name)


def _ends_a_quote(text: str, span: tuple[int, int], regions: list[tuple[int, int]]) -> bool:
    """Whether a content span ends where a quotation ends: the whole quote, a
    quoted clause trimmed of its marks ('“We will win,”' as 'We will win'), or
    a clause whose quote opens inside it ('Biden “has a lot of roles to play,”')."""
    for a, b in regions:
        if a < span[1] <= b and not text[span[1] : b].strip(" ,.!?;:—–-'\"”’"):
            return True
    return False


def _lead_quotes(text: str, atts: list[Attribution], regions: list[tuple[int, int]]) -> None:
    """ '“That, unfortunately,” he said, “is part of the reality.”': the parse
    gives the cue the quote after it; the quote right before the source and
    cue, with nothing but a comma between, is the same speaker's and opens
    the content."""
    claimed = {span for a in atts for span in a.content}
    for att in atts:
        if not att.content or att.cue_start is None or att.cue_end is None:
            continue
        first = att.content[0]
        after = _region_at(regions, first[0], first[1])
        if after is None or first[0] < att.cue_end or text[att.cue_end : after[0]].strip(" ,:—–-"):
            continue
        left = min(att.cue_start, att.source_span[0] if att.source_span else att.cue_start)
        before = [(a, b) for a, b in regions if b <= left]
        if not before:
            continue
        lead = before[-1]
        gap = text[lead[1] : left]
        if lead in claimed or gap.strip(" ,—–-") or "\n" in gap:
            continue
        att.content.insert(0, lead)
        claimed.add(lead)
        att.sentence_start = min(att.sentence_start, lead[0])


def _continue_quotes(text: str, atts: list[Attribution], regions: list[tuple[int, int]]) -> None:
    """A quote that follows an attributed quote, with no cue of its own,
    continues it: '“...,” Shukri told the BBC. “They view ...”', and a
    paragraph that is nothing but a quote continues the quote before it."""
    claimed = {span for a in atts for span in a.content}
    cue_reach = [
        (a.cue_start, max(b for _, b in a.content)) for a in atts if a.cue_start is not None and a.content
    ]
    for att in atts:
        if not att.content or att.cue_end is None or not _ends_a_quote(text, att.content[-1], regions):
            continue
        anchor = max(att.content[-1][1], att.cue_end)
        for a, b in regions:
            if a < anchor or (a, b) in claimed:
                continue
            gap = text[anchor:a]
            # Only the rest of the attributing sentence may stand between:
            # no other quote, no other cue, and the sentence must have ended.
            if any(q in gap for q in "“”\"") or "''" in gap or len(gap) > 200:
                break
            # '“X,” Bond said, “Y.”': the quote goes on in the same sentence.
            if gap.strip() and not re.search(r"[.!?),:]\s*$", gap):
                break
            # Another cue in between speaks for itself, unless all it reports
            # lies in the gap ('said X, who endorsed Mr. Rubio on Tuesday.').
            if any(anchor <= c < b and reach > a for c, reach in cue_reach):
                break
            if "\n\n" in gap:
                if gap.split("\n\n")[-1].strip():
                    break
                # A paragraph that is nothing but a quote continues the speaker.
                para_end = text.find("\n\n", b)
                if text[b : len(text) if para_end < 0 else para_end].strip():
                    break
            att.content.append((a, b))
            claimed.add((a, b))
            att.sentence_end = max(att.sentence_end, b)
            anchor = b
