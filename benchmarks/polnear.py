"""PolNeAR attribution benchmark: exact and token-overlap F1 for source, cue, content.

    .venv/bin/python benchmarks/polnear.py [--data DIR] [--out DIR] [--limit N]

Reads ``DIR/text/*.txt`` (default ``../shared/data/polnear/dev``), writes the
predictions as brat ``<stem>.ann`` files in PolNeAR's format to ``--out``
(default ``benchmarks/out/polnear``) and, where ``DIR/attributions/`` exists,
prints exact-match and token-overlap precision / recall / F1 per role. The
scoring rules are documented in :mod:`reportedly.extract.attr_eval` (spans
trimmed of whitespace and surrounding punctuation, discontinuous spans
fragment by fragment, the first annotator id is gold).

``--rules-only`` ignores the cue classifier and (lemma, frame) table learned from PolNeAR
train (``scripts/train_attribution.py``) to show what the hand-written rules
do alone.

Speed: the texts are parsed once with the bare spaCy model (timed), then
attribution runs on the parsed docs (timed); articles/s are printed for bare
parsing and for parsing + attribution, side by side.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportedly.extract.attr_eval import ROLES, Scorer, gold_files, read_ann, to_relations, write_ann  # noqa: E402
from reportedly.extract.attr_lexicon import load_lexicon  # noqa: E402
from reportedly.extract.attribution import find_attributions  # noqa: E402
from reportedly.extract.model import load_base_model  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "polnear" / "dev")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "polnear")
    ap.add_argument("--limit", type=int, default=0, help="score only the first N articles (0: all)")
    ap.add_argument("--rules-only", action="store_true", help="ignore the cue classifier learned from PolNeAR train")
    args = ap.parse_args(argv)

    texts = sorted((args.data / "text").glob("*.txt"))
    if not texts:
        print(f"no texts under {args.data / 'text'}; PolNeAR lives in ../shared/data/polnear", file=sys.stderr)
        return 2
    if args.limit:
        texts = texts[: args.limit]
    args.out.mkdir(parents=True, exist_ok=True)
    contents = [p.read_text(encoding="utf-8") for p in texts]

    nlp = load_base_model()
    lex = load_lexicon(learned=not args.rules_only)
    t0 = time.perf_counter()
    docs = list(nlp.pipe(contents, batch_size=16))
    parse_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    predictions = [find_attributions(doc, lex) for doc in docs]
    attr_s = time.perf_counter() - t0

    gold = gold_files(args.data / "attributions") if (args.data / "attributions").is_dir() else {}
    scorer = Scorer()
    n_pred = n_gold = 0
    for path, text, atts in zip(texts, contents, predictions):
        rels = to_relations(atts)
        n_pred += len(rels)
        write_ann(args.out / f"{path.stem}.ann", text, rels)
        if path.stem in gold:
            g = read_ann(gold[path.stem])
            n_gold += len(g)
            scorer.add(text, g, rels)

    n = len(texts)
    mode = "hand-written rules only" if args.rules_only else "rules + learned cue classifier"
    print(f"PolNeAR {args.data} ({mode}): {n} articles, {n_pred} predicted relations"
          + (f", {n_gold} gold" if gold else " (no gold attributions: predictions only)"))
    print(f"predictions written to {args.out}")
    if gold:
        print()
        print("| role | exact P | exact R | exact F1 | overlap P | overlap R | overlap F1 |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for role in ROLES:
            s = scorer.roles[role]
            ep, er, ef = s.exact
            op, orr, of = s.overlap
            print(f"| {role} | {ep:.1%} | {er:.1%} | {ef:.1%} | {op:.1%} | {orr:.1%} | {of:.1%} |")
    print()
    print("| run | seconds | articles/s | ratio to bare parse |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| bare spaCy parse | {parse_s:.2f} | {n / parse_s:.1f} | 1.00 |")
    print(f"| parse + attribution | {parse_s + attr_s:.2f} | {n / (parse_s + attr_s):.1f} | {(parse_s + attr_s) / parse_s:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
