"""Whether a written source is worth keeping: a learned confidence model.

The rules give a source to every relation whose cue has a subject or an
agent, and some of those are wrong in ways the span's edges cannot fix: an
expletive or a dangling pronoun ("It seems", "That said"), a noun phrase the
parser took for the subject of a cue that is not one ("their brains trying
to figure out"), the subject of a relation the annotators did not mark at
all. A logistic regression trained on the PolNeAR train articles the
transformer tagger never saw (``scripts/train_attr_source_keep.py``,
weights in ``data/attr_model/source_keep_model.json``) scores each source
from what extraction knows of it: how the relation was found and how sure
the cue classifier was, the source's kind, head and length, where it stands
from the cue, and the tagger's source logits over it where the tagger is
loaded. Where the rules give a relation no source (a passive with no agent,
a subject the parse missed), the run of words the tagger marks as a source
nearest the cue is a candidate too, judged the same way with its origin as a
feature. A source scored under the model's threshold is dropped; the cue and
content stay.

The model reads the tagger's logits and was fit where the tagger runs: it is
used only with the tagger. Without the weights every source is kept.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType

import numpy as np
from spacy.tokens import Span, Token

from reportedly.extract.attr_tagger import LABELS, NO_SCORE
from reportedly.extract.docview import sentence_of
from reportedly.types import Source

__all__ = ["SourceKeepModel", "load_source_keep_model", "source_keep_features"]

#: Heads read word by word: closed classes whose word matters ("it" is
#: rarely a source, "they" often is); open classes only by part of speech.
_CLOSED = {"PRON", "DET", "NUM", "ADV", "SCONJ", "ADP"}
_SOURCE, _CUE, _CONTENT = LABELS.index("source"), LABELS.index("cue"), LABELS.index("content")
_START, _END = LABELS.index("source_start"), LABELS.index("source_end")
#: The columns read over a source's words, in this order.
_COLUMNS = [_SOURCE, _CONTENT, _START, _END]


def _bucket(n: int) -> str:
    return str(n) if n < 4 else "4-6" if n < 7 else "7-12" if n < 13 else "13+"


def _clip(x: float) -> float:
    return float(min(8.0, max(-8.0, x)))


def source_keep_features(
    span: Span,
    source: Source,
    cue: list[Token],
    pattern: str,
    cue_score: float,
    logits: np.ndarray | None = None,
    from_tagger: bool = False,
) -> dict[str, float]:
    """Features of one written source ``span`` for :class:`SourceKeepModel`.

    ``cue_score`` is the cue classifier's probability (1.0 where it was not
    asked); ``logits`` the tagger's token logits (tokens x
    :data:`~reportedly.extract.attr_tagger.LABELS`) where it is loaded;
    ``from_tagger``: the span is the tagger's, where the rules gave none.
    Shared by extraction and ``scripts/train_attr_source_keep.py``.
    """
    head = span.root
    frame = pattern.split(":")[0]
    resolved = "resolved" if source.resolved_from else ("pron" if head.pos_ == "PRON" else "-")
    word = head.lower_ if head.pos_ in _CLOSED else head.pos_
    side = "before" if span.end <= cue[0].i else "after"
    gap = cue[0].i - span.end if side == "before" else span.start - cue[-1].i - 1
    cue_head = min(cue, key=lambda t: (t.pos_ not in {"VERB", "AUX", "NOUN"}, t.i))
    names = [
        "pattern=" + pattern,
        "frame=" + frame,
        "kind=" + source.kind,
        "pk=" + frame + "|" + source.kind,
        "res=" + resolved,
        "head=" + word,
        "hd=" + word + "|" + head.dep_,
        "dep=" + head.dep_,
        "ent=" + (head.ent_type_ or "-"),
        "len=" + _bucket(len(span)),
        "side=" + side,
        "gap=" + _bucket(max(gap, 0)),
        "cue=" + cue_head.lemma_.lower(),
        "anon=" + str(source.anonymous),
        "via=" + str(bool(source.via)),
        "kr=" + source.kind + "|" + resolved,
        "pl=" + frame + "|" + _bucket(len(span)),
        "origin=" + ("tagger" if from_tagger else "rules"),
    ]
    if from_tagger:
        names += ["origin|pattern=tagger|" + pattern, "origin|kind=tagger|" + source.kind]
    out = {n: 1.0 for n in names}
    p = min(max(cue_score, 1e-4), 1 - 1e-4)
    out["cue_logit"] = _clip(math.log(p / (1 - p)))
    out["cl=" + str(math.floor(out["cue_logit"] / 2))] = 1.0
    if logits is not None:
        # plain lists: a source is a few words, where numpy's per-call cost
        # outweighs the arithmetic
        rows = [r for r in logits[span.start : span.end, _COLUMNS].tolist() if r[0] > NO_SCORE]
        if rows:
            in_source = [r[0] for r in rows]
            mean = sum(in_source) / len(in_source)
            out["tagger_source_mean"] = _clip(mean)
            out["tagger_source_min"] = _clip(min(in_source))
            out["tagger_source_max"] = _clip(max(in_source))
            out["tagger_content_max"] = _clip(max(r[1] for r in rows))
            out["tagger_start"] = _clip(rows[0][2])
            out["tagger_end"] = _clip(rows[-1][3])
            out["tagger_source_share"] = sum(1 for x in in_source if x > 0) / len(in_source)
            # the logits are far from linear in the odds: their bins as well
            out["tsm=" + str(math.floor(out["tagger_source_mean"] / 2))] = 1.0
        # another run the tagger takes for a source, in the cue's sentence:
        # then this span is likely the wrong one
        sent = sentence_of(cue[0])
        column = logits[:, _SOURCE]
        around = column[sent.start : min(span.start, sent.end)].tolist() + column[max(span.end, sent.start) : sent.end].tolist()
        around = [x for x in around if x > NO_SCORE]
        if around:
            out["tagger_other_source_max"] = _clip(max(around))
        cue_values = [x for x in logits[[t.i for t in cue], _CUE].tolist() if x > NO_SCORE]
        if cue_values:
            out["tagger_cue_max"] = _clip(max(cue_values))
    return out


@dataclass(frozen=True, slots=True)
class SourceKeepModel:
    """Feature weights, a bias and the threshold under which a source is dropped."""

    weights: Mapping[str, float]
    bias: float
    threshold: float

    def score(self, features: Mapping[str, float]) -> float:
        """The probability that the source is the one annotators mark."""
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def keeps(self, features: Mapping[str, float]) -> bool:
        return self.score(features) >= self.threshold


def load_source_keep_model(path: Path | None = None, tagger: bool = False) -> SourceKeepModel | None:
    """The source confidence model in ``path`` (default: the shipped
    ``data/attr_model/source_keep_model.json``) for a pipeline with or without
    the tagger, or None where the file or that pipeline's model is absent
    (the shipped file holds the tagger's only)."""
    file = path if path is not None else resources.files("reportedly.data").joinpath("attr_model/source_keep_model.json")
    if not file.is_file():
        return None
    data = json.loads(file.read_text(encoding="utf-8")).get("tagger" if tagger else "plain")
    if data is None:
        return None
    return SourceKeepModel(MappingProxyType(dict(data["weights"])), float(data["bias"]), float(data["threshold"]))
