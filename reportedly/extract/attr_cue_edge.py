"""Where a verb cue ends: a learned right edge.

PolNeAR's annotators often run a cue on past its verb group, over the words
that say when, where or how something was said: "said Tuesday", "said in a
statement", "wrote on Facebook", "asks rhetorically", "accused Republicans
of". Just as often they stop at the verb ("tweeted Saturday", "told
reporters"). Every end from the rules' cue end over the next few words (no
punctuation, no content, no source) is a candidate; a logistic regression
trained on PolNeAR train (``scripts/train_attr_cue_edge.py``, weights in
``data/attr_model/cue_edge_model.json``) scores them from the words the
cue would take in and what follows, and the argmax wins. Without the
weights the rules' cue stands.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources

import numpy as np
from spacy.tokens import Doc, Token

__all__ = ["CueEdgeModel", "edge_candidates", "edge_features", "load_cue_edge_model", "taken_logits"]

#: How many words past the verb group a cue may take in.
_REACH = 6
#: How many leading words of the content a cue may take in.
_INTO = 5
#: Parts of speech whose word form is a feature: function words decide edges.
_CLOSED = {"DET", "ADP", "SCONJ", "CCONJ", "PRON", "PART", "AUX", "ADV", "PUNCT"}


def _word(tok: Token | None) -> str:
    if tok is None:
        return "<none>"
    return tok.lower_ if tok.pos_ in _CLOSED or tok.is_punct else tok.pos_


def edge_candidates(doc: Doc, last: int, hi: int, blocked: set[int], into: tuple[int, int] | None = None) -> list[int]:
    """Token indices the cue may end on: its own last token ``last``, then each
    following word up to ``hi`` (the end of the sentence unit) that is no
    punctuation and lies in no content or source (``blocked``). Where the
    walk stops at ``into[0]``, the first token of a content that starts right
    after the cue and ends on ``into[1]``, it goes on over the content's
    leading words, leaving the content a word at least."""
    out = [last]
    for tok in doc[last + 1 : min(hi, last + 1 + _REACH)]:
        if tok.is_punct or tok.is_space or tok.i in blocked:
            break
        out.append(tok.i)
    if into is None or out[-1] + 1 != into[0]:
        return out
    for tok in doc[into[0] : min(into[1], into[0] + _INTO)]:
        if tok.is_punct or tok.is_space:
            break
        out.append(tok.i)
    return out


def edge_features(doc: Doc, verb: Token, last: int, end: int, hi: int, pattern: str, into: tuple[int, int] | None = None) -> list[str]:
    """Features of ending the cue (whose rules' last token is ``last``) on token ``end``
    (``into``: the first and last token of a content whose leading words the
    cue may take in, as for :func:`edge_candidates`)."""
    added = doc[last + 1 : end + 1]
    nxt = doc[end + 1] if end + 1 < hi else None
    lemma = verb.lemma_.lower()
    feats = ["bias", "n=" + str(len(added)), "p|n=" + pattern + "|" + str(len(added))]
    nw = _word(nxt) if nxt is not None and not nxt.is_space else "<end>"
    ndep = nxt.dep_ if nxt is not None and not nxt.is_space else "<end>"
    feats += ["nw=" + nw, "ndep=" + ndep, "p|nw=" + pattern + "|" + nw]
    if added:
        first, tail = added[0], added[-1]
        deps = " ".join(t.dep_ for t in added[:4])
        feats += [
            "deps=" + deps,
            "p|deps=" + pattern + "|" + deps,
            "fdep=" + first.dep_,
            "fw=" + _word(first),
            "l|fdep=" + lemma + "|" + first.dep_,
            "l|fw=" + lemma + "|" + first.lower_,
            "tdep=" + tail.dep_,
            "tw=" + _word(tail),
            "tw|nw=" + _word(tail) + "|" + nw,
            "fhead=" + ("verb" if first.head.i == verb.i else "other"),
            # a constituent cut in two is no edge
            "closed" if all(t.right_edge.i <= end for t in added) else "open",
        ]
        if first.ent_type_:
            feats.append("fent=" + first.ent_type_)
        if into is not None and end >= into[0]:
            # what the cue takes from the content: "credit for", "doubt on", "to"
            taken = doc[into[0] : end + 1]
            tw = tail.lower_ if tail.pos_ in _CLOSED else tail.pos_
            feats += [
                "into",
                "into|n=" + str(len(taken)),
                "into|deps=" + " ".join(t.dep_ for t in taken[:4]),
                "into|tw=" + tw,
                "into|l|tw=" + lemma + "|" + tw,
                "into|hw=" + (taken.root.lemma_.lower() if taken.root.pos_ == "NOUN" else taken.root.pos_),
                "into|tw|nw=" + tw + "|" + nw,
            ]
    else:
        feats += ["l|n0=" + lemma, "l|nw=" + lemma + "|" + nw]
    return feats


class CueEdgeModel:
    """Weights of the cue edge model (a plain dict: no sklearn at run time)
    and the weight of the tagger's cue logits summed over the words a
    candidate takes in (0 where it was not weighed)."""

    __slots__ = ("weights", "tagger_cue")

    def __init__(self, weights: Mapping[str, float], tagger_cue: float = 0.0) -> None:
        self.weights = weights
        self.tagger_cue = tagger_cue

    def best_end(
        self,
        doc: Doc,
        verb: Token,
        last: int,
        hi: int,
        blocked: set[int],
        pattern: str,
        into: tuple[int, int] | None = None,
        cue_logits: np.ndarray | None = None,
    ) -> int:
        """The candidate end with the highest score (``last`` where no other
        fits); ``cue_logits``: the tagger's cue logit per token of ``doc``."""
        ends = edge_candidates(doc, last, hi, blocked, into)
        if len(ends) == 1:
            return last
        scores = np.array([sum(self.weights.get(f, 0.0) for f in edge_features(doc, verb, last, e, hi, pattern, into)) for e in ends])
        if cue_logits is not None and self.tagger_cue:
            scores += self.tagger_cue * taken_logits(cue_logits, last, ends)
        return ends[int(np.argmax(scores))]


def taken_logits(cue_logits: np.ndarray, last: int, ends: list[int]) -> np.ndarray:
    """Per candidate end, the sum of ``cue_logits`` over the words it adds after ``last``."""
    run = np.concatenate([[0.0], np.cumsum(cue_logits[last + 1 : ends[-1] + 1], dtype=np.float64)])
    return run[np.array(ends) - last]


def load_cue_edge_model() -> CueEdgeModel | None:
    """The shipped cue edge weights, or None where they are absent."""
    path = resources.files("reportedly.data").joinpath("attr_model/cue_edge_model.json")
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return CueEdgeModel({str(k): float(v) for k, v in data["weights"].items()}, float(data.get("tagger", {}).get("cue", 0.0)))
