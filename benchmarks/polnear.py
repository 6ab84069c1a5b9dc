"""PolNeAR attribution benchmark: exact and token-overlap F1 for source, cue, content.

    .venv/bin/python benchmarks/polnear.py [--data DIR] [--out DIR] [--limit N] [--rounds N]

Reads ``DIR/text/*.txt`` (default ``../shared/data/polnear/dev``), writes the
predictions as brat ``<stem>.ann`` files in PolNeAR's format to ``--out``
(default ``benchmarks/out/polnear``) and, where ``DIR/attributions/`` exists,
prints exact-match and token-overlap precision / recall / F1 per role. The
scoring rules are documented in :mod:`reportedly.extract.attr_eval` (spans
trimmed of whitespace and surrounding punctuation, discontinuous spans
fragment by fragment, the first annotator id is gold).

``--rules-only`` ignores everything learned from PolNeAR train (the cue
classifier and (lemma, frame) table of ``scripts/train_attribution.py``, the
content boundary model of ``scripts/train_attr_bounds.py``, the cue edge
model of ``scripts/train_attr_cue_edge.py``, the source edge model) to show what the hand-written
rules do alone; ``--no-bounds`` keeps the learned cues but the rules' content
boundaries, ``--no-cue-edge`` the rules' cue ends, ``--no-source-bounds``
the rules' source edges (``scripts/train_attr_source_bounds.py``),
``--no-source-keep`` every source the rules give (``scripts/train_attr_source_keep.py``), ``--no-tagger`` the
boundary model without the transformer edge tagger of
``scripts/train_attr_tagger.py`` (which needs ``pip install -e '.[neural]'``),
``--no-content-edge`` without the tagger's cue-conditioned content edge model
(``scripts/train_attr_content_edge.py``).

``--agreement`` scores people instead: on the articles of ``--data`` that
two annotators annotated, the second annotator's file (by id) against the
first, with the same scorer, which gives the human agreement the issue's
targets are taken from.

Beside the F1 table it prints, for the relations found with exactly the
gold cue, the share whose source and whose content are exactly the gold
ones: how well the spans around a cue are drawn, apart from finding cues.

Speed: the texts are parsed with the bare spaCy model as published, with
reportedly's own parse (the same model with its attribute ruler compiled,
:mod:`reportedly.extract.attribute_rules`), then attribution runs on
reportedly's parsed docs; the three stages alternate for ``--rounds`` rounds
(default 3) and each keeps its fastest, so a busy moment on a shared machine
does not move the ratio; articles/s and the wall-clock and CPU-time ratios
to the bare parse are printed side by side.
The issue's speed target is parse + attribution within 2 x the bare parse.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportedly.extract.attr_eval import ROLES, Scorer, annotation_files, gold_files, read_ann, to_relations, write_ann  # noqa: E402
from reportedly.extract.attr_lexicon import load_lexicon  # noqa: E402
from reportedly.extract.attribution import find_attributions  # noqa: E402
from reportedly.extract.model import load_base_model  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "polnear" / "dev")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "polnear")
    ap.add_argument("--limit", type=int, default=0, help="score only the first N articles (0: all)")
    ap.add_argument("--rules-only", action="store_true", help="ignore everything learned from PolNeAR train")
    ap.add_argument("--no-bounds", action="store_true", help="keep the rules' content boundaries")
    ap.add_argument("--no-cue-edge", action="store_true", help="keep the rules' cue ends")
    ap.add_argument("--no-source-bounds", action="store_true", help="keep the rules' source edges")
    ap.add_argument("--no-source-keep", action="store_true", help="keep every source the rules give")
    ap.add_argument("--no-tagger", action="store_true", help="the boundary model without the transformer edge tagger")
    ap.add_argument("--no-content-edge", action="store_true", help="the boundary model without the tagger's cue-conditioned content edge model")
    ap.add_argument("--rounds", type=int, default=3, help="timed rounds; each stage keeps its fastest (default 3)")
    ap.add_argument("--agreement", action="store_true", help="score the second annotator against the first instead")
    args = ap.parse_args(argv)
    if args.agreement:
        return agreement(args.data)

    texts = sorted((args.data / "text").glob("*.txt"))
    if not texts:
        print(f"no texts under {args.data / 'text'}; PolNeAR lives in ../shared/data/polnear", file=sys.stderr)
        return 2
    if args.limit:
        texts = texts[: args.limit]
    args.out.mkdir(parents=True, exist_ok=True)
    contents = [p.read_text(encoding="utf-8") for p in texts]

    bare = load_base_model(compiled_rules=False)
    nlp = load_base_model()
    lex = load_lexicon(
        learned=not args.rules_only, bounds=not args.no_bounds, cue_edge=not args.no_cue_edge, tagger=not args.no_tagger,
        source_bounds=not args.no_source_bounds,
        source_keep=not args.no_source_keep,
        content_edge=not args.no_content_edge,
    )
    # The stages alternate, round by round, and each keeps its fastest round:
    # on a shared machine one stage's single run can be slowed by a fifth by
    # what else the host runs, which would move the ratio as much.
    best: dict[str, tuple[float, float]] = {}

    def timed(stage: str, work):
        t0, c0 = time.perf_counter(), time.process_time()
        result = work()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        old = best.get(stage)
        best[stage] = (min(wall, old[0]), min(cpu, old[1])) if old else (wall, cpu)
        return result

    predictions = None
    for _round in range(max(args.rounds, 1)):
        timed("bare", lambda: [None for _doc in bare.pipe(contents, batch_size=16)])
        docs = timed("parse", lambda: list(nlp.pipe(contents, batch_size=16)))
        found = timed("attr", lambda: [find_attributions(doc, lex) for doc in docs])
        if predictions is None:
            predictions = found
    (bare_s, bare_cpu), (parse_s, parse_cpu), (attr_s, attr_cpu) = best["bare"], best["parse"], best["attr"]

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
    if args.rules_only:
        mode = "hand-written rules only"
    elif args.no_bounds or lex.bounds is None:
        mode = "rules + learned cue classifier, rules' content boundaries"
    else:
        mode = "rules + learned cue classifier + learned content boundaries"
    if lex.tagger is not None:
        mode += " + transformer edge tagger"
        if lex.tagger.edge is not None and lex.bounds is not None and lex.bounds.reads_edges:
            mode += " + cue-conditioned content edges"
    if lex.cue_edge is not None:
        mode += " + learned cue edges"
    if lex.source_bounds is not None:
        mode += " + learned source edges"
    if lex.source_keep is not None:
        mode += " + learned source confidence"
    print(f"PolNeAR {args.data} ({mode}): {n} articles, {n_pred} predicted relations"
          + (f", {n_gold} gold" if gold else " (no gold attributions: predictions only)"))
    print(f"predictions written to {args.out}")
    if gold:
        print_scores(scorer)
    print()
    # CPU seconds as well as wall seconds: on a shared machine the wall clock
    # also counts other processes' time, CPU time only this one's.
    print(f"speed: each stage's fastest of {max(args.rounds, 1)} alternating rounds")
    print("| run | wall s | articles/s | wall ratio | CPU s | CPU ratio |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print(f"| bare spaCy parse (the model as published) | {bare_s:.2f} | {n / bare_s:.1f} | 1.00 | {bare_cpu:.2f} | 1.00 |")
    print(f"| reportedly's parse (compiled ruler) | {parse_s:.2f} | {n / parse_s:.1f} | {parse_s / bare_s:.2f} "
          f"| {parse_cpu:.2f} | {parse_cpu / bare_cpu:.2f} |")
    both, both_cpu = parse_s + attr_s, parse_cpu + attr_cpu
    print(f"| its parse + attribution | {both:.2f} | {n / both:.1f} | {both / bare_s:.2f} | {both_cpu:.2f} | {both_cpu / bare_cpu:.2f} |")
    return 0


def print_scores(scorer: Scorer) -> None:
    print()
    print("| role | exact P | exact R | exact F1 | overlap P | overlap R | overlap F1 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for role in ROLES:
        s = scorer.roles[role]
        ep, er, ef = s.exact
        op, orr, of = s.overlap
        print(f"| {role} | {ep:.1%} | {er:.1%} | {ef:.1%} | {op:.1%} | {orr:.1%} | {of:.1%} |")
    print()
    print(
        f"given the exact cue ({scorer.same_cue} relations): source exact {scorer.given_cue('source'):.1%}, "
        f"content exact {scorer.given_cue('content'):.1%}"
    )


def agreement(data: Path) -> int:
    """Score the second annotator of each doubly annotated article against the first."""
    files = annotation_files(data / "attributions")
    pairs = {stem: paths[:2] for stem, paths in files.items() if len(paths) > 1}
    if not pairs:
        print(f"no article under {data / 'attributions'} has two annotations", file=sys.stderr)
        return 2
    scorer = Scorer()
    for stem, (first, second) in sorted(pairs.items()):
        text = (data / "text" / f"{stem}.txt").read_text(encoding="utf-8")
        scorer.add(text, read_ann(first), read_ann(second))
    print(f"PolNeAR {data}: {len(pairs)} articles annotated twice; the second annotator scored against the first")
    print_scores(scorer)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
