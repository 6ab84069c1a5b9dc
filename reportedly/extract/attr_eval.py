"""Reading, writing and scoring attribution annotations in PolNeAR's brat format.

Scoring, as used by ``benchmarks/polnear.py`` and the regression test:

* Every span is compared **fragment by fragment**: a discontinuous span
  ("“Judge,” ... “I have never had ...”") is several fragments.
* A fragment is **trimmed** of whitespace and surrounding punctuation (quote
  marks, commas, full stops, dashes, brackets) before comparison, so
  ``“We will win,”`` and ``We will win`` are the same fragment.
* Per article and role (source, cue, content) the fragments of all relations
  form a **set**; a fragment shared by two relations ("he said X and added Y")
  counts once. The ``Content2`` role counts as content.
* **Exact** F1: a predicted fragment is correct when a gold fragment has the
  same trimmed offsets. Precision, recall and F1 are micro-averaged over all
  articles.
* **Token-overlap** F1: the word tokens (``\\w+`` runs) covered by predicted
  fragments against those covered by gold fragments, micro-averaged; it gives
  credit for near misses ("the Pentagon" against "Pentagon").
* Where an article has several annotation files (agreement articles), the
  file whose annotator id sorts first is gold.
"""

from __future__ import annotations

import argparse
import bisect
import re
import sys
import time
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from reportedly.extract.attribution import Attribution

if TYPE_CHECKING:
    import numpy as np
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "annotation_files",
    "fit_weights",
    "held_out_logits",
    "load_training_set",
    "parse_annotated",
    "training_arguments",
    "ROLES",
    "Relation",
    "RoleScore",
    "Scorer",
    "gold_files",
    "read_ann",
    "role_spans",
    "to_relations",
    "trim_span",
    "write_ann",
]

ROLES = ("source", "cue", "content")
_ID_LINE = re.compile(r"^[TER#]\d+\t")
_WORD = re.compile(r"\w+")


@dataclass(slots=True)
class Relation:
    """One attribution relation as character fragments per role."""

    source: list[tuple[int, int]] = field(default_factory=list)
    cue: list[tuple[int, int]] = field(default_factory=list)
    content: list[tuple[int, int]] = field(default_factory=list)


def _is_trimmable(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch).startswith("P") or ch in "`´"


def trim_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``[start, end)`` without surrounding whitespace and punctuation; None if nothing is left."""
    while start < end and _is_trimmable(text[start]):
        start += 1
    while end > start and _is_trimmable(text[end - 1]):
        end -= 1
    return (start, end) if end > start else None


def _parse_offsets(field_text: str) -> tuple[str, list[tuple[int, int]]]:
    label, _, rest = field_text.partition(" ")
    frags = []
    for part in rest.split(";"):
        a, b = part.split()
        frags.append((int(a), int(b)))
    return label, frags


def read_ann(path: Path) -> list[Relation]:
    """The attribution relations (``E`` lines) of one brat ``.ann`` file."""
    records: list[str] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        # A span's covered text may hold a line break: such a line continues
        # the previous record.
        if _ID_LINE.match(line) or not records:
            records.append(line)
        else:
            records[-1] += "\n" + line
    spans: dict[str, list[tuple[int, int]]] = {}
    events: list[str] = []
    for rec in records:
        if rec.startswith("T"):
            tid, fields_text, *_ = rec.split("\t")
            _, frags = _parse_offsets(fields_text)
            spans[tid] = frags
        elif rec.startswith("E"):
            events.append(rec.split("\t")[1])
    out = []
    for ev in events:
        rel = Relation()
        for arg in ev.split():
            role, _, tid = arg.partition(":")
            role = role.rstrip("0123456789").lower()
            if role in ROLES and tid in spans:
                getattr(rel, role).extend(spans[tid])
        out.append(rel)
    return out


def annotation_files(attr_dir: Path) -> dict[str, list[Path]]:
    """Map each text stem to its ``.ann`` files (``<stem>_<annotator>.ann``), by annotator id."""
    out: dict[str, list[Path]] = {}
    for path in sorted(attr_dir.glob("*.ann")):
        stem, _, _annotator = path.stem.rpartition("_")
        out.setdefault(stem, []).append(path)
    return out


def gold_files(attr_dir: Path) -> dict[str, Path]:
    """Map each text stem to its gold ``.ann``: the annotator id that sorts first."""
    return {stem: paths[0] for stem, paths in annotation_files(attr_dir).items()}



def parse_annotated(
    data: Path, nlp: Language, cache: Path | None = None
) -> tuple[list[Path], dict[str, Path], list[Doc]]:
    """The annotated articles of a PolNeAR part (``data/text``, ``data/attributions``), parsed.

    Returns the text paths, the gold file of each stem and the parsed Docs in
    the same order. ``cache`` is a DocBin of those Docs: read when it exists
    (parsing the train part takes minutes), written when it does not. Raises
    FileNotFoundError when no annotated text is found and ValueError when
    the cache holds another number of Docs.
    """
    from spacy.tokens import DocBin

    gold = gold_files(data / "attributions")
    paths = [p for p in sorted((data / "text").glob("*.txt")) if p.stem in gold]
    if not paths:
        raise FileNotFoundError(f"no annotated texts under {data}")
    if cache is not None and cache.is_file():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if len(docs) != len(paths):
            raise ValueError(f"cache {cache} holds {len(docs)} docs, expected {len(paths)}")
        return paths, gold, docs
    docs = list(nlp.pipe((p.read_text(encoding="utf-8") for p in paths), batch_size=16))
    if cache is not None:
        bin_ = DocBin(store_user_data=False)
        for doc in docs:
            bin_.add(doc)
        bin_.to_disk(cache)
    return paths, gold, docs

def training_arguments(description: str, root: Path, c: float, c_help: str) -> argparse.ArgumentParser:
    """The options every attribution training script takes (``scripts/train_attr*.py``).

    ``root`` is the repository: the data default to ``../shared`` beside it,
    the weights to the package's ``data/attr_model``.
    """
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--data", type=Path, default=root.parent / "shared" / "data" / "polnear" / "train")
    ap.add_argument("--out", type=Path, default=root / "reportedly" / "data" / "attr_model")
    ap.add_argument("--cache", type=Path, default=None, help="DocBin of the parsed texts (written if absent)")
    ap.add_argument("--c", type=float, default=c, help=c_help)
    return ap


def load_training_set(
    data: Path, cache: Path | None, nlp: Language | None = None
) -> tuple[list[Path], dict[str, Path], list[Doc]] | None:
    """:func:`parse_annotated` for a training script, with the base model
    unless ``nlp`` is given: the time it took on stdout, or the reason on
    stderr and None when the data are not there."""
    t0 = time.perf_counter()
    if nlp is None:
        from reportedly.extract.model import load_base_model

        nlp = load_base_model()
    try:
        paths, gold, docs = parse_annotated(data, nlp, cache)
    except (FileNotFoundError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return None
    print(f"parsed {len(docs)} articles in {time.perf_counter() - t0:.0f} s")
    return paths, gold, docs


def fit_weights(rows: list[list[str]], labels: list[int], c: float) -> dict[str, float]:
    """A logistic regression (inverse regularisation ``c``) over binary
    features, as the plain feature -> weight dict the extractor reads (no
    scikit-learn at run time); weights under 0.01 are left out. Every row
    must hold the feature "bias": the intercept folds into it."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform([dict.fromkeys(r, 1) for r in rows])
    model = LogisticRegression(C=c, max_iter=3000)
    model.fit(x, labels)
    weights = {str(n): float(w) for n, w in zip(vec.get_feature_names_out(), model.coef_[0])}
    weights["bias"] = weights.get("bias", 0.0) + float(model.intercept_[0])
    return {k: round(v, 4) for k, v in weights.items() if abs(v) >= 0.01}


class _InUnit(Protocol):
    unit: tuple[int, int]


_Group = TypeVar("_Group", bound=_InUnit)


def held_out_logits(
    groups: Mapping[str, Sequence[_Group]], docs: Mapping[str, Doc], what: str
) -> tuple[frozenset[str], list[tuple[_Group, np.ndarray]]] | None:
    """The articles the installed tagger was not trained on, and each of their
    training groups (anything with a sentence ``unit``) with the tagger's
    logits (tokens x labels) read over its unit as at extraction: what the
    training scripts weigh the tagger's vote on, with their regressions fit
    on the other articles. None, with a line saying ``what`` runs alone,
    where there is no tagger or no held-out group."""
    from reportedly.extract.attr_tagger import DocScores, load_tagger

    tagger = load_tagger()
    held = tagger.held_out if tagger is not None else frozenset()
    out = []
    for stem in sorted(held):
        if not groups.get(stem):
            continue
        scores = DocScores(tagger, docs[stem])  # type: ignore[arg-type]
        out.extend((g, scores.ensure([g.unit])) for g in groups[stem])
    if not out:
        print(f"no tagger or no held-out articles: {what} runs alone")
        return None
    return held, out


def to_relations(atts: Iterable[Attribution]) -> list[Relation]:
    """Attributions as relations, with the source as written (a pronoun stays a pronoun)."""
    out = []
    for att in atts:
        rel = Relation(content=list(att.content))
        if att.source_span is not None:
            rel.source = [att.source_span]
        if att.cue_start is not None and att.cue_end is not None:
            rel.cue = [(att.cue_start, att.cue_end)]
        out.append(rel)
    return out


def write_ann(path: Path, text: str, relations: list[Relation]) -> None:
    """Write relations in PolNeAR's brat format (Source/Cue/Content ``T`` spans, ``E`` relations)."""
    lines: list[str] = []
    n_t = 0
    n_e = 0

    def span_line(label: str, frags: list[tuple[int, int]]) -> str:
        nonlocal n_t
        n_t += 1
        offsets = ";".join(f"{a} {b}" for a, b in frags)
        covered = " ".join(text[a:b] for a, b in frags)
        lines.append(f"T{n_t}\t{label} {offsets}\t{covered}")
        return f"T{n_t}"

    for rel in relations:
        if not rel.cue or not rel.content:
            continue
        args = []
        if rel.source:
            args.append("Source:" + span_line("Source", rel.source))
        cue = span_line("Cue", rel.cue)
        args.append("Cue:" + cue)
        args.append("Content:" + span_line("Content", rel.content))
        anchor_label = "Attribution" if rel.source else "Attribution-no-source"
        anchor = span_line(anchor_label, rel.cue)
        n_e += 1
        lines.append(f"E{n_e}\t{anchor_label}:{anchor} " + " ".join(args))
    path.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")


@dataclass(slots=True)
class RoleScore:
    """Micro-averaged counts for one role."""

    tp: int = 0
    pred: int = 0
    gold: int = 0
    tok_tp: int = 0
    tok_pred: int = 0
    tok_gold: int = 0

    @staticmethod
    def _f1(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    @property
    def exact(self) -> tuple[float, float, float]:
        return self._f1(self.tp, self.pred, self.gold)

    @property
    def overlap(self) -> tuple[float, float, float]:
        return self._f1(self.tok_tp, self.tok_pred, self.tok_gold)


@dataclass(slots=True)
class Scorer:
    """Accumulates exact and token-overlap scores per role over articles."""

    roles: dict[str, RoleScore] = field(default_factory=lambda: {r: RoleScore() for r in ROLES})
    #: Predicted relations whose first cue fragment is a gold relation's
    #: first cue fragment, and of those, how many have the same source or
    #: content fragments as that gold relation: how well the spans around a
    #: cue are drawn once the cue is right, apart from finding the cue.
    same_cue: int = 0
    same_given_cue: dict[str, int] = field(default_factory=lambda: {"source": 0, "content": 0})

    def given_cue(self, role: str) -> float:
        """Share of relations found with the exact cue whose ``role`` fragments are all exact."""
        return self.same_given_cue[role] / self.same_cue if self.same_cue else 0.0

    def add(self, text: str, gold: list[Relation], pred: list[Relation]) -> None:
        self._add_given_cue(text, gold, pred)
        words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        for role in ROLES:
            g = role_spans(text, gold, role)
            p = role_spans(text, pred, role)
            score = self.roles[role]
            score.tp += len(g & p)
            score.pred += len(p)
            score.gold += len(g)
            gt, pt = _tokens(words, g), _tokens(words, p)
            score.tok_tp += len(gt & pt)
            score.tok_pred += len(pt)
            score.tok_gold += len(gt)


    def _add_given_cue(self, text: str, gold: list[Relation], pred: list[Relation]) -> None:
        by_cue: dict[tuple[int, int], Relation] = {}
        for rel in gold:
            cue = trim_span(text, *rel.cue[0]) if rel.cue else None
            if cue is not None:
                by_cue.setdefault(cue, rel)
        for rel in pred:
            cue = trim_span(text, *rel.cue[0]) if rel.cue else None
            match = by_cue.get(cue) if cue is not None else None
            if match is None:
                continue
            self.same_cue += 1
            for role in self.same_given_cue:
                if role_spans(text, [rel], role) == role_spans(text, [match], role):
                    self.same_given_cue[role] += 1


def role_spans(text: str, rels: list[Relation], role: str) -> set[tuple[int, int]]:
    """The trimmed spans of every ``role`` fragment of ``rels``: what the scores compare."""
    out = set()
    for rel in rels:
        for a, b in getattr(rel, role):
            trimmed = trim_span(text, a, b)
            if trimmed:
                out.add(trimmed)
    return out


def _tokens(words: list[tuple[int, int]], frags: set[tuple[int, int]]) -> set[int]:
    """Indices of the word tokens that lie inside any of ``frags``."""
    starts = [w[0] for w in words]
    out: set[int] = set()
    for a, b in frags:
        i = bisect.bisect_left(starts, a)
        while i < len(words) and words[i][1] <= b:
            out.add(i)
            i += 1
    return out
