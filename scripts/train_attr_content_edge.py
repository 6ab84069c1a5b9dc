"""Learn where one report's content starts and ends, with its cue marked, from PolNeAR train.

    .venv/bin/python scripts/train_attr_content_edge.py [--data DIR] [--out DIR] [--cache FILE]
        [--tagger WEIGHTS] [--layers N] [--epochs N] [--lr X] [--batch N] [--seed N]

Runs after ``scripts/train_attr_tagger.py`` (it reads the shipped tagger)
and before ``scripts/train_attr_bounds.py`` (which weighs it). Every gold
relation of the training articles whose content is one fragment inside the
sentence unit of its cue, on one side of the cue, is an example: the
tagger's hidden states of the unit's word pieces after all but its last
``--layers`` layers (read as at extraction, int8), a marker per piece
(before, inside or after the cue) and the gold first and last word. Copies
of the tagger's last ``--layers`` layers, the marker embedding and a
two-edge head are trained with a softmax over the unit's candidate words
(neither punctuation nor cue) per edge: see
:mod:`reportedly.extract.attr_content_edge`. The articles the tagger was
not trained on are left out here too, and the share of their edges the
model gets right is printed after every epoch; they are where
``train_attr_bounds.py`` weighs it. Written in fp16 to
``OUT/content_edge.safetensors`` beside ``OUT/content_edge.json``.

The shipped weights: ``--layers 2 --epochs 5 --lr 1e-4 --batch 32`` (seed
13), about 14 minutes on 2 CPU cores (held-out edges right: start 94.5%, end
85.5%; at ``--lr 5e-5`` 5 epochs gave 94.1% and 85.0%, 3 epochs 93.7% and 84.0%).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

from reportedly.extract.attr_content_edge import ContentEdgeModel, EdgeInput, build_edge_modules, edge_input, fingerprint  # noqa: E402
from reportedly.extract.attr_eval import Relation, load_training_set, read_ann, trim_span  # noqa: E402
from reportedly.extract.attr_tagger import DocScores, base_model_dir, build_modules, load_tagger, load_weights  # noqa: E402
from reportedly.extract.attr_learned import all_units  # noqa: E402
from reportedly.extract.attr_spans import unit_of  # noqa: E402


@dataclass(slots=True)
class Example:
    """One gold relation's unit as the model reads it, and which of its words
    are candidates and the gold first and last."""

    stem: str
    x: EdgeInput
    allowed: np.ndarray  # words: bool, a candidate edge (neither punctuation nor cue)
    start: int  # index into x.tokens
    end: int


def _cue_tokens(doc: Doc, text: str, rel: Relation) -> set[int]:
    out: set[int] = set()
    for a, b in (t for t in (trim_span(text, a, b) for a, b in rel.cue) if t):
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is not None:
            out.update(t.i for t in span)
    return out


def examples(stem: str, doc: Doc, gold: list[Relation], scores: DocScores) -> list[Example]:
    """The examples of one article (``scores`` reads its pieces' states)."""
    text = doc.text
    asks = []
    for rel in gold:
        frags = [t for t in (trim_span(text, a, b) for a, b in rel.content) if t]
        cue = _cue_tokens(doc, text, rel)
        if len(frags) != 1 or not cue:
            continue
        span = doc.char_span(*frags[0], alignment_mode="expand")
        words = [t.i for t in span if not (t.is_punct or t.is_space)] if span is not None else []
        if not words:
            continue
        lo, hi = unit_of(doc[min(cue)])
        if words[0] < lo or words[-1] >= hi or any(words[0] <= c <= words[-1] for c in cue):
            continue
        asks.append((lo, hi, cue, words[0], words[-1]))
    if not asks:
        return []
    # every unit, as extraction reads them where the tagger proposes cues:
    # a piece's state depends on the text encoded with it
    scores.ensure(all_units(doc))
    pieces = scores.pieces
    assert pieces is not None
    out = []
    for lo, hi, cue, first, last in asks:
        x = edge_input(pieces.states, pieces.first, pieces.last, lo, hi, cue)
        if x is None:
            continue
        toks = x.tokens.tolist()
        if first not in toks or last not in toks:
            continue
        allowed = np.array([not (doc[i].is_punct or doc[i].is_space) and i not in cue for i in toks])
        out.append(Example(stem, x, allowed, toks.index(first), toks.index(last)))
    return out


def _loss(model: ContentEdgeModel, batch: list[Example]) -> torch.Tensor:
    total = torch.zeros(())
    for ex, (start, end) in zip(batch, model.forward([e.x for e in batch])):
        off = torch.from_numpy(~ex.allowed)
        for scores, gold in ((start, ex.start), (end, ex.end)):
            total = total + torch.nn.functional.cross_entropy(scores.masked_fill(off, -1e4)[None], torch.tensor([gold]))
    return total / len(batch)


def edges_right(model: ContentEdgeModel, data: list[Example]) -> tuple[float, float]:
    """The share of ``data`` whose first and whose last word the model puts on top among the candidates."""
    starts = ends = 0
    for b in range(0, len(data), 64):
        chunk = data[b : b + 64]
        for ex, scores in zip(chunk, model.logits([e.x for e in chunk])):
            masked = np.where(ex.allowed[:, None], scores, -np.inf)
            starts += int(np.argmax(masked[:, 0]) == ex.start)
            ends += int(np.argmax(masked[:, 1]) == ex.end)
    return starts / max(len(data), 1), ends / max(len(data), 1)


def train(model: ContentEdgeModel, data: list[Example], held: list[Example], epochs: int, lr: float, batch: int, seed: int) -> list[tuple[float, float]]:
    """AdamW with warm-up and linear decay; the head and marker learn faster
    than the copied layers. Returns the held-out shares after every epoch."""
    params = [
        {"params": model.layers.parameters(), "lr": lr},
        {"params": list(model.marker.parameters()) + list(model.head.parameters()), "lr": lr * 20},
    ]
    opt = torch.optim.AdamW(params, weight_decay=0.01)
    steps = epochs * ((len(data) + batch - 1) // batch)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 50) * max(0.0, 1 - s / steps))
    rng = random.Random(seed)
    history = []
    for epoch in range(epochs):
        t0 = time.perf_counter()
        for module in model.modules():
            module.train()
        # batches of similar length (a batch pads to its longest), in random order
        order = sorted(range(len(data)), key=lambda i: len(data[i].x.marks) + rng.random() * 20)
        batches = [order[b : b + batch] for b in range(0, len(order), batch)]
        rng.shuffle(batches)
        for idx in batches:
            loss = _loss(model, [data[i] for i in idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        for module in model.modules():
            module.eval()
        history.append(edges_right(model, held))
        print(f"epoch {epoch + 1}: {time.perf_counter() - t0:.0f} s; held-out edges right: "
              f"start {history[-1][0]:.1%}, end {history[-1][1]:.1%}", flush=True)
    return history


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "polnear" / "train")
    ap.add_argument("--out", type=Path, default=ROOT / "reportedly" / "data" / "attr_model")
    ap.add_argument("--cache", type=Path, default=None, help="DocBin of the parsed texts (written if absent)")
    ap.add_argument("--tagger", type=Path, default=ROOT / "reportedly" / "data" / "attr_model" / "tagger.safetensors",
                    metavar="WEIGHTS", help="the tagger it reads (default: the shipped one)")
    ap.add_argument("--layers", type=int, default=2, help="the tagger's top layers copied and fine-tuned")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    t0 = time.perf_counter()
    tagger = load_tagger(args.tagger, content_edge=False, threads=args.threads)
    base = base_model_dir()
    if tagger is None or base is None:
        print(f"no tagger at {args.tagger}, or no torch or MiniLM: train it first (scripts/train_attr_tagger.py)", file=sys.stderr)
        return 2
    config = json.loads(args.tagger.with_suffix(".json").read_text(encoding="utf-8"))
    depth = int(config.get("layers", 6))
    from_layer = depth - args.layers
    if not 0 <= from_layer < depth:
        print(f"--layers must be 1 to {depth}", file=sys.stderr)
        return 2
    loaded = load_training_set(args.data, args.cache)
    if loaded is None:
        return 2
    paths, gold, docs = loaded
    data: list[Example] = []
    held: list[Example] = []
    for path, doc in zip(paths, docs):
        found = examples(path.stem, doc, read_ann(gold[path.stem]), DocScores(tagger, doc, states_from=from_layer))
        (held if path.stem in tagger.held_out else data).extend(found)
    print(f"{len(data)} training and {len(held)} held-out relations ({time.perf_counter() - t0:.0f} s)", flush=True)
    # the copied layers start from the tagger's own trained weights (unquantized)
    _, encoder, head = build_modules(base, layers=depth)
    load_weights(encoder, head, args.tagger)
    model = ContentEdgeModel(*build_edge_modules(encoder, from_layer), from_layer=from_layer, held_out=tagger.held_out)
    history = train(model, data, held, args.epochs, args.lr, args.batch, args.seed)

    from safetensors.torch import save_file

    args.out.mkdir(parents=True, exist_ok=True)
    state = {}
    for name, module in (("layers.", model.layers), ("marker.", model.marker), ("head.", model.head)):
        state.update({name + k: v.detach().half().contiguous() for k, v in module.state_dict().items()})
    save_file(state, str(args.out / "content_edge.safetensors"))
    meta = {
        "from_layer": from_layer,
        "layers": args.layers,
        "epochs": args.epochs,
        "lr": args.lr,
        "batch": args.batch,
        "seed": args.seed,
        "examples": len(data),
        "held_out_examples": len(held),
        "held_out_edges_right": {"start": round(history[-1][0], 4), "end": round(history[-1][1], 4)} if history else None,
        "held_out": sorted(tagger.held_out),
        "tagger_sha256": fingerprint(args.tagger),
    }
    (args.out / "content_edge.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out / 'content_edge.safetensors'} ({time.perf_counter() - t0:.0f} s in all)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
