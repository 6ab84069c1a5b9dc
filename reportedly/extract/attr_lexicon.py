"""The vocabularies attribution runs on, read from ``reportedly/data/attr_*``.

They are data files so that users can extend them without touching code:
cue verbs and nouns, document nouns, unnamed-source nouns, anonymity phrases,
titles and organisation aliases. Beside them, ``data/attr_model/`` holds what
``scripts/train_attribution.py`` learned from PolNeAR train: a cue
classifier's weights (``cue_model.json``) and a (lemma, frame) cue table
(``cue_frames.tsv``); with neither, the hand-written lists decide alone. :func:`load_lexicon` reads them once per call;
callers keep the returned object (no module-level cache, per the project's
conventions).
"""

from __future__ import annotations

import difflib
import functools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType

from reportedly.extract.attr_bounds import BoundsModel, load_bounds_model
from reportedly.extract.attr_cue_edge import CueEdgeModel, load_cue_edge_model
from reportedly.extract.attr_source_bounds import load_source_bounds_model
from reportedly.extract.attr_source_keep import SourceKeepModel, load_source_keep_model
from reportedly.extract.attr_tagger import Tagger, load_tagger

__all__ = ["AttrLexicon", "default_lexicon", "load_lexicon", "shipped_tagger"]


def _lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a data file."""
    text = resources.files("reportedly.data").joinpath(name).read_text(encoding="utf-8")
    return [line.rstrip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@dataclass(frozen=True, slots=True)
class AttrLexicon:
    """Every vocabulary attribution needs, as sets and maps of lower-cased keys."""

    cue_verbs: frozenset[str]
    object_cue_verbs: frozenset[str]
    cue_nouns: frozenset[str]
    document_nouns: frozenset[str]
    unnamed_nouns: frozenset[str]
    anonymous_nouns: frozenset[str]
    anonymity_phrases: tuple[str, ...]
    titles: frozenset[str]
    cue_adverbs: frozenset[str] = frozenset()
    aliases: Mapping[str, str] = field(default_factory=dict)
    #: Learned from PolNeAR train (``scripts/train_attribution.py``):
    #: (lemma, frame) -> (share of such verbs annotated as cues, count).
    frames: Mapping[tuple[str, str], tuple[float, int]] = field(default_factory=dict)
    #: Minimum learned probability (classifier) or share (frame table) for a cue.
    threshold: float = 0.5
    #: Minimum number of training occurrences for a learned share to be trusted.
    min_count: int = 3

    #: Whether the hand-written lists still accept what the learned table rejects.
    keep_hand_cues: bool = False
    #: Lemmas the learned table accepts in at least one frame (derived at load).
    learned_lemmas: frozenset[str] = frozenset()
    #: Learned content boundaries (``scripts/train_attr_bounds.py``); None: the rules' spans stand.
    bounds: BoundsModel | None = None
    #: Learned cue right edges (``scripts/train_attr_cue_edge.py``); None: the rules' cues stand.
    cue_edge: CueEdgeModel | None = None
    #: Learned source edges (``scripts/train_attr_source_bounds.py``); None: the rules' sources stand.
    source_bounds: BoundsModel | None = None
    #: Learned source confidence (``scripts/train_attr_source_keep.py``): sources it
    #: doubts are dropped; None: every source the rules give stands.
    source_keep: SourceKeepModel | None = None
    #: The transformer edge tagger (``scripts/train_attr_tagger.py``), which the
    #: boundary model consults; None where torch, MiniLM or its weights are absent.
    tagger: Tagger | None = None

    def learned_lemma(self, lemma: str) -> bool:
        """Whether the learned table accepts ``lemma`` in some frame."""
        return lemma in self.learned_lemmas

    #: Learned cue classifier (logistic regression over :func:`cue_features`):
    #: feature -> weight, and its bias; empty where the weights are absent.
    cue_weights: Mapping[str, float] = field(default_factory=dict)
    cue_bias: float = 0.0
    #: Minimum classifier probability for a cue: chosen by the training script
    #: for the best F1 in cross-validation on train, 0.5 where it says none.
    cue_threshold: float = 0.5
    #: Minimum probability for a verb cue inside another attribution's
    #: content ("He said he doubted any court would enforce it"): annotators
    #: mark such nested reports about half as often as top-level ones, so the
    #: training script chooses a stricter threshold for them the same way;
    #: 0 where it says none.
    nested_cue_threshold: float = 0.0
    #: Weight of the transformer tagger's cue logit in the cue classifier
    #: (``scripts/train_attribution.py``); 0 where the tagger is not loaded.
    cue_tagger_weight: float = 0.0
    #: A word the tagger marks as a cue with a logit above this, where no
    #: rule found a report, is a cue of its own, with the source and content
    #: the tagger marks around it ("Trump tweeted", "The Times reports:");
    #: chosen by ``scripts/train_attribution.py`` on the articles the tagger
    #: was not trained on; 0: off.
    tagger_cue_threshold: float = 0.0

    def cue_score(self, features: list[str], tagger_logit: float = 0.0) -> float:
        """Probability that a candidate verb with ``features`` is a cue
        (``tagger_logit``: the tagger's cue logit for the verb, weighed by
        :attr:`cue_tagger_weight`)."""
        z = self.cue_bias + sum(self.cue_weights.get(f, 0.0) for f in features) + self.cue_tagger_weight * tagger_logit
        return 1.0 / (1.0 + math.exp(-z))

    def accepts_by_hand(self, lemma: str, frame: str) -> bool:
        """The hand-written lists' verdict alone."""
        return lemma in self.cue_verbs and (frame in {"ccomp", "paren", "quote"} or lemma in self.object_cue_verbs)

    def accepts(self, lemma: str, frame: str) -> bool:
        """Is a verb ``lemma`` governing content in ``frame`` a cue?

        The hand-written lists accept any listed verb with a clause or a
        quote, and the verbs flagged ``object`` with a noun object or a
        preposition. The learned table accepts the pairs it saw annotated as
        cues often enough; with ``keep_hand_cues`` it only adds to the lists
        (beliefs such as "experts believe that" stay claims even where
        annotators marked them inconsistently), otherwise it also overrules them.
        """
        hand = lemma in self.cue_verbs and (frame in {"ccomp", "paren", "quote"} or lemma in self.object_cue_verbs)
        learned = self.frames.get((lemma, frame))
        if learned is None or learned[1] < self.min_count:
            return hand
        if hand and self.keep_hand_cues:
            return True
        return learned[0] >= self.threshold

    def canonical(self, name: str) -> str:
        """The canonical form of an organisation name ("The AP" -> "The Associated Press").

        Close misspellings of a known alias ("The Associate Press") map too:
        a scraped article's typo should not split one intermediary in two.
        """
        key = name.strip().lower()
        if key in self.aliases:
            return self.aliases[key]
        if len(key) >= 8:
            close = difflib.get_close_matches(key, list(self.aliases), n=1, cutoff=0.92)
            if close:
                return self.aliases[close[0]]
        return name.strip()

    def is_known_org(self, name: str) -> bool:
        return name.strip().lower() in self.aliases


def _load_cue_model() -> tuple[dict[str, float], float, float, float, tuple[float, float, float, float] | None]:
    """The learned cue classifier's weights, bias, threshold, nested-cue
    threshold and (tagger weight, both thresholds with the tagger, the
    tagger's own cue threshold), or nothing where absent."""
    path = resources.files("reportedly.data").joinpath("attr_model/cue_model.json")
    if not path.is_file():
        return {}, 0.0, 0.5, 0.0, None
    data = json.loads(path.read_text(encoding="utf-8"))
    weights = {str(k): float(v) for k, v in data["weights"].items()}
    tagger = data.get("tagger")
    with_tagger = (
        (float(tagger["weight"]), float(tagger["threshold"]), float(tagger["nested_threshold"]), float(tagger.get("propose", 0.0)))
        if tagger
        else None
    )
    return (
        weights,
        float(data["bias"]),
        float(data.get("threshold", 0.5)),
        float(data.get("nested_threshold", 0.0)),
        with_tagger,
    )


def _load_frames() -> dict[tuple[str, str], tuple[float, int]]:
    """The learned (lemma, frame) table, or nothing where the weights are absent."""
    path = resources.files("reportedly.data").joinpath("attr_model/cue_frames.tsv")
    if not path.is_file():
        return {}
    out: dict[tuple[str, str], tuple[float, int]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        lemma, frame, rate, count = line.split("\t")
        out[(lemma, frame)] = (float(rate), int(count))
    return out


def load_lexicon(
    learned: bool = True,
    threshold: float = 0.5,
    min_count: int = 3,
    keep_hand_cues: bool = False,
    bounds: bool = True,
    cue_edge: bool = True,
    tagger: bool = True,
    source_bounds: bool = True,
    source_keep: bool = True,
    content_edge: bool = True,
) -> AttrLexicon:
    """Read the ``attr_*`` data files shipped in ``reportedly/data``.

    ``learned=False`` ignores everything trained on PolNeAR and runs on the
    hand-written vocabularies alone; ``bounds=False`` keeps the learned cues
    but the rules' content boundaries, ``cue_edge=False`` the rules' cue ends,
    ``tagger=False`` the boundary model without the transformer tagger,
    ``source_bounds=False`` the rules' source edges, ``source_keep=False``
    every source the rules give, ``content_edge=False`` the boundary model
    without the tagger's cue-conditioned content edge model.
    """
    unnamed: set[str] = set()
    anonymous: set[str] = set()
    for line in _lines("attr_unnamed_nouns.txt"):
        parts = line.split("\t")
        unnamed.add(parts[0].strip().lower())
        if len(parts) > 1 and parts[1].strip() == "anonymous":
            anonymous.add(parts[0].strip().lower())
    frames = _load_frames() if learned else {}
    weights, bias, cue_threshold, nested_threshold, with_tagger = (
        _load_cue_model() if learned else ({}, 0.0, 0.5, 0.0, None)
    )
    verbs: set[str] = set()
    object_verbs: set[str] = set()
    for line in _lines("attr_cue_verbs.txt"):
        lemma, _, flag = line.partition("\t")
        verbs.add(lemma.strip().lower())
        if flag.strip() == "object":
            object_verbs.add(lemma.strip().lower())
    aliases: dict[str, str] = {}
    for line in _lines("attr_aliases.tsv"):
        alias, _, canonical = line.partition("\t")
        if canonical.strip():
            aliases[alias.strip().lower()] = canonical.strip()
    bounds_model = load_bounds_model() if learned and bounds else None
    if bounds_model is not None and not content_edge:
        bounds_model.edge_start = bounds_model.edge_end = 0.0
    loaded_tagger = shipped_tagger() if learned and tagger else None
    cue_tagger_weight = tagger_cue_threshold = 0.0
    if loaded_tagger is not None and with_tagger is not None:
        # the classifier's thresholds were chosen again with the tagger's vote added
        cue_tagger_weight, cue_threshold, nested_threshold, tagger_cue_threshold = with_tagger
    return AttrLexicon(
        cue_verbs=frozenset(verbs),
        object_cue_verbs=frozenset(object_verbs),
        cue_nouns=frozenset(w.strip().lower() for w in _lines("attr_cue_nouns.txt")),
        document_nouns=frozenset(w.strip().lower() for w in _lines("attr_document_nouns.txt")),
        unnamed_nouns=frozenset(unnamed),
        anonymous_nouns=frozenset(anonymous),
        anonymity_phrases=tuple(p.strip().lower() for p in _lines("attr_anonymity.txt")),
        titles=frozenset(w.strip().lower() for w in _lines("attr_titles.txt")),
        cue_adverbs=frozenset(w.strip().lower() for w in _lines("attr_cue_adverbs.txt")),
        aliases=MappingProxyType(aliases),
        frames=MappingProxyType(frames),
        learned_lemmas=frozenset(
            lemma for (lemma, _), (rate, n) in frames.items() if rate >= threshold and n >= min_count
        ),
        threshold=threshold,
        min_count=min_count,
        keep_hand_cues=keep_hand_cues,
        cue_weights=MappingProxyType(weights),
        cue_bias=bias,
        cue_threshold=cue_threshold,
        nested_cue_threshold=nested_threshold,
        bounds=bounds_model,
        cue_edge=load_cue_edge_model() if learned and cue_edge else None,
        source_bounds=load_source_bounds_model() if learned and source_bounds else None,
        source_keep=load_source_keep_model(tagger=loaded_tagger is not None) if learned and source_keep else None,
        cue_tagger_weight=cue_tagger_weight,
        tagger_cue_threshold=tagger_cue_threshold,
        # without the cue vote, its own cues or the boundary model, nothing would read the tagger
        tagger=loaded_tagger if bounds_model is not None or cue_tagger_weight or tagger_cue_threshold else None,
    )


@functools.lru_cache(maxsize=1)
def shipped_tagger() -> Tagger | None:
    """The shipped edge tagger, loaded once per process (a second or two, and
    tens of MB); inference never changes it, so lexicons share it."""
    return load_tagger()


@functools.lru_cache(maxsize=2)
def default_lexicon(tagger: bool = False) -> AttrLexicon:
    """The shipped vocabularies and models, read once per process.

    Reading the files costs tens of milliseconds, as much as extracting the
    attributions of an article, so callers that pass no lexicon share this
    one. It is immutable (a frozen dataclass over frozensets and read-only
    mappings), so sharing it cannot leak state between documents.

    ``tagger`` adds the MiniLM edge tagger's vote (where installed): about
    +1 to +2 exact F1 on PolNeAR dev for source, cue and content, at about
    0.6 x a bare parse's time more, so the ledger asks for it explicitly
    (``reportedly run --attribution-tagger``).
    """
    return load_lexicon(tagger=tagger)
