"""Learn where a written source starts and ends, from PolNeAR train.

    .venv/bin/python scripts/train_attr_source_bounds.py [--data DIR] [--out DIR] [--cache FILE] [--c C]

The extractor runs with everything learned but the source edges
(``load_lexicon(source_bounds=False)``). Each attribution whose cue overlaps
a gold cue, and whose written source of two words or more shares its gold
source's first and last token among the candidates of
:func:`reportedly.extract.attr_source_bounds.source_candidates`, gives a
training group: every start candidate (label: is it the gold first token?)
and every end candidate (is it the gold last token?). Two logistic
regressions are written as plain weights to
``reportedly/data/attr_model/source_bounds_model.json``. As in
``scripts/train_attr_bounds.py``, the transformer tagger's source-start and
source-end logits are weighed against them on the articles the tagger was
not trained on, and ``--cache`` keeps the parsed docs.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from spacy.tokens import Doc  # noqa: E402

from train_attr_bounds import Group, fit_and_write  # noqa: E402

from reportedly.extract.attr_eval import Relation, load_training_set, read_ann, training_arguments, trim_span  # noqa: E402
from reportedly.extract.attr_lexicon import load_lexicon  # noqa: E402
from reportedly.extract.attr_source_bounds import source_candidates, source_end_features, source_start_features  # noqa: E402
from reportedly.extract.attr_learned import source_context  # noqa: E402
from reportedly.extract.attr_spans import unit_of  # noqa: E402
from reportedly.extract.attribution import find_attributions  # noqa: E402


def _gold_source(text: str, cue: tuple[int, int], gold: list[Relation]) -> tuple[int, int] | None:
    """The single trimmed source fragment of the gold relation whose cue overlaps ``cue``."""
    for rel in gold:
        if any(a < cue[1] and cue[0] < b for a, b in rel.cue):
            frags = [t for t in (trim_span(text, a, b) for a, b in rel.source) if t]
            return frags[0] if len(frags) == 1 else None
    return None


def examples(doc: Doc, gold: list[Relation], lex: object) -> list[Group]:
    """Training groups of one article."""
    text = doc.text
    out: list[Group] = []
    for att in find_attributions(doc, lex):  # type: ignore[arg-type]
        if att.source_span is None or att.cue_start is None or att.cue_end is None:
            continue
        target = _gold_source(text, (att.cue_start, att.cue_end), gold)
        src = doc.char_span(*att.source_span, alignment_mode="expand")
        cue = doc.char_span(att.cue_start, att.cue_end, alignment_mode="expand")
        if target is None or src is None or cue is None or not len(src):
            continue
        ctx = source_context(doc, src.start, src.end - 1, list(cue), att.content)
        if ctx is None:
            continue
        starts, ends = source_candidates(doc, ctx)
        s_lab = [int(doc[i].idx == target[0]) for i in starts]
        e_lab = [int(doc[i].idx + len(doc[i].text) == target[1]) for i in ends]
        if sum(s_lab) != 1 or sum(e_lab) != 1:
            continue  # the gold edges are not among the candidates
        frame = att.pattern
        out.append(
            Group(
                [source_start_features(doc, i, ctx, frame) for i in starts],
                s_lab,
                starts,
                [source_end_features(doc, i, ctx, frame) for i in ends],
                e_lab,
                ends,
                unit_of(doc[ctx[2]]),  # the tagger reads whole units, as at extraction
            )
        )
    return out


def _rules_exact(g: Group) -> bool:
    """Whether the rules' own span has the gold edges (offset 0 from the rules' first and last token)."""
    return "d=0" in g.xs[g.ys.index(1)] and "d=0" in g.xe[g.ye.index(1)]


def main(argv: list[str] | None = None) -> int:
    ap = training_arguments(__doc__.split("\n\n")[0], ROOT, c=1.0, c_help="inverse regularisation of both classifiers")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    loaded = load_training_set(args.data, args.cache)
    if loaded is None:
        return 2
    paths, gold, docs = loaded
    lex = load_lexicon(source_bounds=False, source_keep=False)
    groups = {path.stem: examples(doc, read_ann(gold[path.stem]), lex) for path, doc in zip(paths, docs)}
    all_groups = [g for gs in groups.values() for g in gs]
    if not all_groups:
        print("no source with its gold edges among the candidates: nothing to learn", file=sys.stderr)
        return 2
    rules_right = sum(1 for g in all_groups if _rules_exact(g))
    print(f"{len(all_groups)} sources: {sum(len(g.ys) for g in all_groups)} start and "
          f"{sum(len(g.ye) for g in all_groups)} end candidates; the rules' own edges are right in "
          f"{rules_right / len(all_groups):.1%}")
    docs_by_stem = {p.stem: d for p, d in zip(paths, docs)}
    fit_and_write(groups, docs_by_stem, args.c, args.out / "source_bounds_model.json", ("source_start", "source_end"))
    print(f"{time.perf_counter() - t0:.0f} s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
