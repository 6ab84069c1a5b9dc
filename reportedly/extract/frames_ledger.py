"""Which attributions a claim ledger may show as statements or as a figure's source.

The attribution extractor follows the PolNeAR scheme, which marks every
relation of reporting, including many that assert nothing checkable
("rejected the plan", "voted for", "may have seen", "proclaimed himself
king", "territorial losses indicate ..."). A ledger entry needs a speech,
cognition or evidence cue (``data/frames_ledger_cues.txt``), content that
the cue really reports (a clause or quote, a noun object only for cues
such as "announced") and, for evidence cues, a source that can bear
witness (a person, an organisation, a document or a role, not a thing).

    ledger_cue(att, doc)   # -> True / False
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Protocol

from spacy.tokens import Doc, Token

from reportedly.extract.attr_lexicon import default_lexicon
from reportedly.types import Source

__all__ = ["LedgerCue", "ledger_cue", "ledger_cues"]

#: Frames (see ``attribution.verb_frame``) in which a verb reports a clause or quote.
_CLAUSE_FRAMES = {"ccomp", "paren", "quote"}
#: Source kinds that can speak, think or bear witness whatever their head noun.
_WITNESS_KINDS = {"person", "organisation", "document"}


class _Att(Protocol):
    source: Source | None
    cue: str | None
    cue_start: int | None
    cue_end: int | None


@dataclass(frozen=True, slots=True)
class LedgerCue:
    lemma: str
    kind: str  # "speech" | "cognition" | "evidence"
    takes_object: bool


@lru_cache(maxsize=1)
def ledger_cues() -> dict[str, LedgerCue]:
    """The shipped vocabulary, lemma -> :class:`LedgerCue`."""
    text = resources.files("reportedly.data").joinpath("frames_ledger_cues.txt").read_text(encoding="utf-8")
    out: dict[str, LedgerCue] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        lemma = cols[0].strip().lower()
        out[lemma] = LedgerCue(lemma, cols[1].strip() if len(cols) > 1 else "speech", "object" in cols[2:])
    return out


def _cue_verb(doc: Doc, att: _Att) -> Token | None:
    """The main verb of the cue group ("has not said" -> said, "pointed out" -> pointed)."""
    if att.cue_start is None or att.cue_end is None:
        return None
    span = doc.char_span(att.cue_start, att.cue_end, alignment_mode="expand")
    if span is None:
        return None
    verbs = [t for t in span if t.pos_ in {"VERB", "AUX"} and t.dep_ not in {"aux", "auxpass"}]
    return verbs[-1] if verbs else None


_FIRST_PERSON = {"i", "we", "me", "us"}


def _first_person(source: Source) -> bool:
    return (source.text or "").strip().lower() in _FIRST_PERSON


def _agentless_passive(verb: Token) -> bool:
    """ "It is suspected that ...", "is believed to": reported, by nobody named."""
    return any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children)


def _can_witness(doc: Doc, source: Source) -> bool:
    """A person, organisation or document, or an unnamed role ("officials",
    "researchers"); not a thing ("territorial losses")."""
    if source.kind in _WITNESS_KINDS or source.resolved_from:
        return True
    # the text's length without building ``Doc.text`` (it joins every token)
    text_len = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
    if source.start is None or source.end is None or source.end > text_len:
        return False
    span = doc.char_span(source.start, source.end, alignment_mode="expand")
    if span is None:
        return False
    lex = default_lexicon()
    lemma = span.root.lemma_.lower()
    return lemma in lex.unnamed_nouns or lemma in lex.document_nouns or span.root.ent_type_ in {"PERSON", "ORG", "NORP"}


def ledger_cue(att: _Att, doc: Doc, *, statement: bool = False) -> bool:
    """Whether ``att`` may stand in the ledger: as a statement claim when
    ``statement`` (which also needs a source), else as a figure's source.

    Only verb cues are judged (the tagger's own cues as verb cues, its noun
    cues never stand); "according to", cue nouns ("a report that") and
    speaker lines report by construction. An attribution without the
    ``pattern`` the extractor sets (a hand-built one) is judged by its cue alone.
    """
    if statement and att.source is not None and not att.source.resolved_from and _first_person(att.source):
        return False  # "As I said", "I believe": the writer's own voice, not a report
    pattern = getattr(att, "pattern", "verb")
    verb = _cue_verb(doc, att)
    if statement and att.source is None and not (verb is not None and _agentless_passive(verb)):
        # a ledger statement says who said it, or that nobody is named
        # ("it is suspected that"); a subject lost by the parser is no claim
        return False
    if pattern == "tagger":
        # the tagger's own cues are judged as verb cues; its noun cues are
        # left out: in the ledger, a rule stands behind every report
        if verb is None:
            return False
    elif not pattern.startswith("verb"):
        return True
    if verb is None:
        return not pattern.startswith("verb:")  # a hand-built attribution without a verb
    cue = ledger_cues().get(verb.lemma_.lower())
    if cue is None:
        return False
    if verb.tag_ == "VBN" and not any(c.dep_ in {"aux", "auxpass"} for c in verb.children):
        # a bare participle is a reduced relative: in "Three names mentioned
        # as nominees are ..." the noun is what is said, not who says it
        return False
    frame = pattern.partition(":")[2]
    if frame and frame not in _CLAUSE_FRAMES and not cue.takes_object:
        return False  # "proclaimed himself king", "called for talks"
    if cue.kind == "evidence" and att.source is not None and not _can_witness(doc, att.source):
        return False
    return True
