"""Turning a source span into a :class:`reportedly.types.Source`.

Given the tokens of a source as written ("Three Iraq intelligence and defense
officials", "the Director of the National Counterterrorism Center, Nick
Rasmussen", "a New York Times"), work out its normalised name, its kind
(person / organisation / document / unnamed / unknown), whether it is
anonymous and how many people it counts. Pronoun resolution happens in
:mod:`reportedly.extract.attribution`, which sees the whole article.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from reportedly.extract.attr_lexicon import AttrLexicon
from reportedly.extract.docview import entities, sentence_of
from reportedly.types import Source, SourceKind

__all__ = [
    "PRONOUNS",
    "build_source",
    "head_of",
    "is_plural",
    "number_value",
    "source_kind",
    "span_of",
]

#: Pronouns (and relative pronouns) that stand for a source named elsewhere.
PRONOUNS = frozenset(
    "he she they it we i you who which that him her them one this these those".split()
)
_PERSON_PRONOUNS = frozenset("he she i who him her".split())
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "twenty": 20, "dozen": 12, "a dozen": 12,
    "both": 2, "several": None, "few": None,
}
_ORG_LABELS = frozenset({"ORG", "NORP", "GPE", "FAC"})
#: Heads that make a source a share of people rather than a named group.
_SHARE_WORDS = frozenset({"percent", "per", "cent", "%", "percentage", "majority", "minority", "share", "proportion"})
#: Entity types of numbers that never count people.
_NOT_COUNTS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "ORDINAL"})


def number_value(text: str) -> int | None:
    """The integer a count word or numeral stands for ("Three" -> 3, "1,200" -> 1200)."""
    key = text.strip().lower()
    if key in _NUMBER_WORDS:
        return _NUMBER_WORDS[key]
    digits = key.replace(",", "")
    return int(digits) if re.fullmatch(r"\d{1,7}", digits) else None


_PARTITIVES = frozenset("some many most several all few both each one any".split())  # not "none": "None of the networks said" is no report of theirs


def head_of(span: Span) -> Token:
    """The syntactic head of a span: its token whose head lies outside it, or
    for a part of a group ("Some of the officials", "Three of its members")
    the group's noun, which says what kind of source it is."""
    root = span.root
    if root.lower_ in _PARTITIVES or root.pos_ == "NUM":
        for child in root.children:
            if child.lower_ == "of" and child.i > root.i:
                group = next((g for g in child.children if g.dep_ == "pobj" and g.pos_ in {"NOUN", "PROPN"}), None)
                if group is not None and group.i < span.end:
                    return group
    return root


def is_plural(token: Token) -> bool:
    if token.lower_ in {"they", "them", "we", "these", "those"}:
        return True
    return token.tag_ in {"NNS", "NNPS"} or "Plur" in token.morph.get("Number")


def _ent_of(span: Span, labels: frozenset[str]) -> Span | None:
    """The last entity with one of ``labels`` inside ``span`` (appositions come last)."""
    # Read the IOB tags of the span's own tokens: Doc.ents builds every
    # entity of the document on each access.
    found = None
    start = None
    doc = span.doc
    for tok in span:
        if tok.ent_iob_ == "B" or (tok.ent_iob_ == "I" and start is None):
            if start is not None and doc[start].ent_type_ in labels:
                found = doc[start : tok.i]
            start = tok.i if tok.ent_type_ else None
        elif tok.ent_iob_ == "O" and start is not None:
            if doc[start].ent_type_ in labels:
                found = doc[start : tok.i]
            start = None
    if start is not None and doc[start].ent_type_ in labels:
        end = span.end
        found = doc[start:end]
    return found


def source_kind(span: Span, lex: AttrLexicon) -> SourceKind:
    """Person, organisation, document, unnamed or unknown, from entities and the head noun."""
    head = head_of(span)
    lemma = head.lemma_.lower()
    if head.lower_ in _PERSON_PRONOUNS:
        return "person"
    if lemma in lex.document_nouns or head.lower_ in lex.document_nouns:
        return "document"
    # The head decides before entities do: "Iraqi officials" holds a NORP
    # but is a group of people, "Trump's campaign" holds a PERSON but is an
    # organisation.
    if head.ent_type_ == "PERSON":
        return "person"
    if (
        head.pos_ == "PROPN"
        and head.text in _person_surnames(span.doc)
        and span[0].pos_ != "DET"  # "the SVP": a name with an article is no person's
        and not lex.is_known_org(span.text)
    ):
        # "Centinello said", "Trump said" read as an organisation, where the
        # article names "Mike Centinello" or "Donald Trump" as a person
        return "person"
    if head.ent_type_ in _ORG_LABELS or lex.is_known_org(span.text):
        return "organisation"
    if head.pos_ in {"NOUN", "PROPN"} and _ent_of(span, frozenset({"PERSON"})) is not None:
        # "the Director of the National Counterterrorism Center, Nick Rasmussen"
        return "person"
    if lemma in lex.unnamed_nouns:
        return "unnamed"
    if head.pos_ == "PROPN":
        return "person" if _ent_of(span, frozenset({"PERSON"})) is not None else "organisation"
    if head.pos_ == "NOUN":
        return "unnamed"
    return "unknown"


_SURNAMES_KEY = "reportedly.person_surnames"


def _person_surnames(doc: Doc) -> frozenset[str]:
    """The last word of every person the article names, read once per Doc."""
    cached = doc.user_data.get(_SURNAMES_KEY)
    if cached is None:
        cached = frozenset(doc[end - 1].text for _, end, label in entities(doc[:]) if label == "PERSON")
        doc.user_data[_SURNAMES_KEY] = cached
    return cached  # type: ignore[no-any-return]


def _is_share(head: Token) -> bool:
    """ "Sixty-six percent said", "a majority of voters said": the figure is a
    share of people polled, neither a head count nor a name to drop."""
    return head.lower_ in _SHARE_WORDS or head.ent_type_ == "PERCENT"


def _person_at(span: Span, tok: Token) -> Span | None:
    """The PERSON entity holding ``tok``, cut to ``span``."""
    if tok.ent_type_ != "PERSON":
        return None
    start = tok.i
    while start > span.start and span.doc[start].ent_iob_ == "I":
        start -= 1
    end = tok.i + 1
    while end < span.end and span.doc[end].ent_iob_ == "I":
        end += 1
    return span.doc[start:end]


def _strip_tokens(tokens: list[Token], lex: AttrLexicon, keep_counts: bool = False) -> list[Token]:
    """Drop determiners, counts, possessive pronouns and titles from the left,
    relative clauses and punctuation from the right."""
    out = list(tokens)
    while out and (
        out[0].dep_ in {"det", "predet"}
        or out[0].tag_ in {"DT", "PRP$"}
        or (not keep_counts and (out[0].dep_ == "nummod" or out[0].tag_ == "CD"))
        # A title goes only in front of a name ("Senator John Smith"), never
        # when it is the noun itself ("the mayor").
        or (out[0].lower_ in lex.titles and len(out) > 1 and (out[1].pos_ == "PROPN" or out[1].lower_ in lex.titles))
        or out[0].is_punct
    ):
        out.pop(0)
    while out and (out[-1].is_punct or out[-1].dep_ in {"cc"}):
        out.pop()
    return out


def _name(span: Span, lex: AttrLexicon) -> str:
    """The normalised name: the person named in an apposition, or the span
    without determiners, counts, titles and relative clauses."""
    head = head_of(span)
    # The person the source is, not one named in a modifier: the head itself
    # ("Charlie Winter, a researcher at London-based Quilliam") before an
    # apposition ("The manager of Cleveland West, Stacey McVey").
    person = _person_at(span, head) if head.ent_type_ == "PERSON" else None
    if person is None:
        person = next((p for c in head.children if c.dep_ == "appos" and (p := _person_at(span, c)) is not None), None)
    if person is None:
        person = _ent_of(span, frozenset({"PERSON"}))
    if person is not None and (person.root == head or person.root.dep_ == "appos" or head.ent_type_ == "PERSON"):
        toks = _strip_tokens(list(person), lex)
        if not toks:
            return person.text
        return _MARKUP_DEBRIS.sub("", span.doc[toks[0].i : toks[-1].i + 1].text).strip() or person.text
    # Cut clauses hanging off the head ("officials who spoke on condition of
    # anonymity", "The FBI, which gathers statistics"): a name is the noun phrase,
    # of the group where the source is part of one ("Some of the officials").
    # A date beside the head is when, not who ("a Des Moines Register poll last month").
    cut = {
        t.i
        for child in head.children
        if child.dep_ in {"relcl", "acl", "appos"} or (child.dep_ == "npadvmod" and child.ent_type_ in {"DATE", "TIME"})
        for t in child.subtree
    }
    group = {t.i for t in head.subtree} if head.i != span.root.i else None
    toks = [t for t in span if t.i not in cut and (group is None or t.i in group)]
    # A comma left dangling before a removed clause ends the name.
    toks = _strip_tokens(toks, lex, keep_counts=_is_share(head))
    if not toks:
        return span.text.strip()
    text = span.doc[toks[0].i : toks[-1].i + 1].text
    text = re.sub(r"\s+", " ", text).strip(" ,;:")
    text = _MARKUP_DEBRIS.sub("", text).strip(" ,;:")
    text = re.sub(r"[’']s$", "", text) if head.dep_ == "poss" else text
    return lex.canonical(text)


#: Leftovers of HTML or XML glued to a word by the tokenizer ('">Sanders',
#: "Bernie <b>Sanders</b>"): whole tags, anything up to a closing '>' at the
#: start, anything from an opening '<' at the end.
_MARKUP_DEBRIS = re.compile(r"<[^<>]*>|^[^<>]*>|<[^<>]*$")


def _anonymous(span: Span, kind: SourceKind, lex: AttrLexicon) -> bool:
    """Anonymous: an anonymity phrase on the source's sentence, or an unnamed
    official-like role ("a senior official", "sources")."""
    if kind in {"person", "organisation", "document"}:
        return False
    doc = span.doc
    sent_text = doc[sentence_of(span[0]).start : sentence_of(span[-1]).end].text.lower()
    if any(p in sent_text for p in lex.anonymity_phrases):
        return True
    return head_of(span).lemma_.lower() in lex.anonymous_nouns


def _count(span: Span) -> int | None:
    """How many people a source counts ("Three officials" -> 3). A share
    ("Sixty-six percent"), a year or a number in a name ("The 2019 Rich
    List") is no head count."""
    head = head_of(span)
    if head.i != span.root.i and span.root.pos_ == "NUM":
        return number_value(span.root.text)  # "Three of the officials"
    if _is_share(head) or head.pos_ == "PROPN":
        return None
    for child in head.children:
        if child.dep_ == "nummod" and child.i < head.i and child.ent_type_ not in _NOT_COUNTS:
            value = number_value(child.text)
            if value is not None:
                return value
    if len(span) == 1 and head.pos_ == "NUM":
        return number_value(head.text)
    return None


def build_source(span: Span, lex: AttrLexicon, via: list[str] | None = None) -> Source:
    """A :class:`Source` for the tokens ``span`` as written in ``span.doc``."""
    kind = source_kind(span, lex)
    return Source(
        text=span.text,
        name=_name(span, lex),
        kind=kind,
        anonymous=_anonymous(span, kind, lex),
        count=_count(span),
        via=list(via or []),
        start=span.start_char,
        end=span.end_char,
    )


def span_of(doc: Doc, tokens: list[Token]) -> Span:
    """The contiguous span from the first to the last of ``tokens``."""
    return doc[min(t.i for t in tokens) : max(t.i for t in tokens) + 1]
