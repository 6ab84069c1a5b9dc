"""Where one report's content starts and ends, read with its cue marked.

The edge tagger (:mod:`attr_tagger`) labels every word once, for all the
reports of a sentence at once: where a sentence holds two reports, its
content-start and content-end logits cannot say which report a word opens
or closes, and they never know which cue the boundary model is redrawing.
This model reads one sentence unit per cue. The tagger's hidden states after
its first layers (kept from the pass the tagger makes anyway), plus a learned
vector marking each word piece as before, inside or after the cue, run
through copies of the tagger's last layers fine-tuned on PolNeAR train
(``scripts/train_attr_content_edge.py``) to put the gold content's first and
last word on top: a softmax over the unit's words for each edge. Its
log-probabilities join the boundary model's scores
(:class:`~reportedly.extract.attr_bounds.BoundsModel` ``edge_start`` and
``edge_end``, chosen on articles neither model was trained on).

Weights: ``data/attr_model/content_edge.safetensors`` with its
``content_edge.json``; without them, or without torch, nothing changes.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["ContentEdgeModel", "EdgeInput", "build_edge_modules", "edge_input", "fingerprint", "load_content_edge"]

_WEIGHTS = "attr_model/content_edge.safetensors"
#: Where a piece lies against the cue: the three rows of the marker embedding.
BEFORE, INSIDE, AFTER = 0, 1, 2
#: A unit longer than this many pieces is not read (none of the 17,633
#: gold relations of PolNeAR train and dev lies in one).
MAX_PIECES = 256


@dataclass(slots=True)
class EdgeInput:
    """One cue's unit as the model reads it: the hidden states of its pieces,
    each piece's place against the cue, and for each word of the unit that
    has a piece (``tokens``) the piece its start is read from (its first) and
    the piece its end is read from (its last)."""

    states: np.ndarray  # pieces x hidden, float32
    marks: np.ndarray  # pieces, int64: BEFORE / INSIDE / AFTER
    tokens: np.ndarray  # words: token index in the Doc
    first: np.ndarray  # words: index of the word's first piece in ``states``
    last: np.ndarray  # words: index of the word's last piece in ``states``


def edge_input(
    states: np.ndarray, piece_first: np.ndarray, piece_last: np.ndarray, lo: int, hi: int, cue: set[int] | frozenset[int]
) -> EdgeInput | None:
    """The :class:`EdgeInput` of the unit ``[lo, hi)`` for the ``cue`` tokens,
    from a document's piece ``states`` and each token's first and last piece
    (-1: none); None where no token has a piece, the cue has none, or the
    unit is longer than :data:`MAX_PIECES`."""
    tokens = np.flatnonzero(piece_first[lo:hi] >= 0) + lo
    in_cue = [i for i in sorted(cue) if piece_first[i] >= 0]
    if not len(tokens) or not in_cue:
        return None
    p0 = int(piece_first[tokens[0]])
    p1 = int(piece_last[tokens[-1]]) + 1
    if p1 - p0 > MAX_PIECES:
        return None
    marks = np.full(p1 - p0, AFTER, dtype=np.int64)
    marks[: max(int(piece_first[in_cue[0]]) - p0, 0)] = BEFORE
    for i in in_cue:
        marks[piece_first[i] - p0 : piece_last[i] - p0 + 1] = INSIDE
    return EdgeInput(
        states[p0:p1].astype(np.float32, copy=False),
        marks,
        tokens,
        piece_first[tokens].astype(np.int64) - p0,
        piece_last[tokens].astype(np.int64) - p0,
    )


class ContentEdgeModel:
    """The fine-tuned layers, the cue marker and the two-edge head.

    ``from_layer``: which of the tagger's hidden states it reads (after that
    many of the tagger's layers).
    """

    def __init__(self, layers: Any, marker: Any, head: Any, from_layer: int, held_out: frozenset[str] = frozenset()) -> None:
        self.layers = layers
        self.marker = marker
        self.head = head
        self.from_layer = from_layer
        self.held_out = held_out

    def forward(self, batch: Sequence[EdgeInput]) -> list[tuple[Any, Any]]:
        """Start and end scores (torch, one per word) of each input, padded
        into one batch: what training differentiates and :meth:`logits` reads."""
        import torch

        width = max(len(x.marks) for x in batch)
        hidden = batch[0].states.shape[1]
        states = torch.zeros(len(batch), width, hidden)
        marks = torch.zeros(len(batch), width, dtype=torch.long)
        mask = torch.zeros(len(batch), width)
        for j, x in enumerate(batch):
            n = len(x.marks)
            states[j, :n] = torch.from_numpy(x.states)
            marks[j, :n] = torch.from_numpy(x.marks)
            mask[j, :n] = 1.0
        # an additive mask over keys: padding is never attended to
        additive = (1.0 - mask[:, None, None, :]) * -1e4
        h = states + self.marker(marks)
        for layer in self.layers:
            h = layer(h, attention_mask=additive)
            h = h[0] if isinstance(h, tuple) else h
        scores = self.head(h)
        return [(scores[j, torch.from_numpy(x.first), 0], scores[j, torch.from_numpy(x.last), 1]) for j, x in enumerate(batch)]

    def logits(self, batch: Sequence[EdgeInput]) -> list[np.ndarray]:
        """Per input, words x 2: the log-probability of each word being the
        content's first (column 0) and last (column 1) word."""
        import torch

        with torch.inference_mode():
            out = []
            for start, end in self.forward(batch):
                out.append(torch.stack([torch.log_softmax(start, 0), torch.log_softmax(end, 0)], 1).float().numpy())
        return out

    def modules(self) -> list[Any]:
        """The three trainable parts, for switching train / eval mode."""
        return [self.layers, self.marker, self.head]


def build_edge_modules(encoder: Any, from_layer: int) -> tuple[Any, Any, Any]:
    """Fresh trainable copies of ``encoder``'s layers above ``from_layer``, a
    cue marker near zero and an edge head: what training starts from."""
    import copy

    import torch

    layers = torch.nn.ModuleList(copy.deepcopy(layer) for layer in encoder.encoder.layer[from_layer:])
    hidden = encoder.config.hidden_size
    marker = torch.nn.Embedding(3, hidden)
    torch.nn.init.normal_(marker.weight, std=0.02)
    head = torch.nn.Linear(hidden, 2)
    return layers, marker, head


def fingerprint(path: Path) -> str:
    """The SHA-256 of a weights file: the content edge model records the
    tagger's, since it reads that tagger's hidden states and no other's."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_content_edge(
    encoder: Any, weights: Path | None = None, quantize: bool = False, tagger_weights: Path | None = None
) -> ContentEdgeModel | None:
    """The shipped model on top of the tagger's ``encoder`` (whose layer
    shapes it copies), or None where its weights are absent or were trained
    on another tagger than ``tagger_weights`` (retrain it after the tagger).

    Not quantized by default, unlike the tagger: in int8 it lost 0.1 to 0.4
    points of content F1 on PolNeAR, and it reads only the cues the gate
    lets through (:attr:`~reportedly.extract.attr_bounds.BoundsModel.edge_gate`)."""
    from safetensors.torch import load_file

    if weights is None:
        ref = resources.files("reportedly.data").joinpath(_WEIGHTS)
        if not ref.is_file():
            return None
        weights = Path(str(ref))
    if not weights.is_file():
        return None
    config_path = weights.with_suffix(".json")
    config = json.loads(config_path.read_text(encoding="utf-8")) if config_path.is_file() else {}
    from_layer = config.get("from_layer")
    if not isinstance(from_layer, int) or not 0 <= from_layer < len(encoder.encoder.layer):
        return None
    if tagger_weights is not None and config.get("tagger_sha256") not in (None, fingerprint(tagger_weights)):
        warnings.warn(f"{weights.name} was trained on another tagger than {tagger_weights}: not used", stacklevel=2)
        return None
    layers, marker, head = build_edge_modules(encoder, from_layer)
    state = {k: v.float() for k, v in load_file(str(weights)).items()}
    for name, module in (("layers.", layers), ("marker.", marker), ("head.", head)):
        module.load_state_dict({k[len(name) :]: v for k, v in state.items() if k.startswith(name)})
        module.eval()
    if quantize:
        import torch

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # as for the tagger: deprecated, still the fast path on a CPU
            layers = torch.ao.quantization.quantize_dynamic(layers, {torch.nn.Linear}, dtype=torch.qint8)
    return ContentEdgeModel(layers, marker, head, from_layer, frozenset(config.get("held_out", ())))
