"""Learn which verbs, in which frames, are attribution cues, from PolNeAR train.

    .venv/bin/python scripts/train_attribution.py [--data DIR] [--out DIR] [--cache FILE]

For every verb in the training articles (outside quotations, as at
extraction time) the extractor's own :func:`verb_frame` says how it would
report content ("ccomp", "paren", "quote", "object", "prep"); the gold
annotation says whether the verb is a cue. The share of cues per
(lemma, frame) pair is written to ``reportedly/data/attr_model/cue_frames.tsv``
(a few kB), which :func:`reportedly.extract.attr_lexicon.load_lexicon` reads.
Where the file is absent the extractor runs on the hand-written lists alone.

Reads ``../shared/data/polnear/train`` (texts and the first annotator's
``.ann`` per article). Parsing the 840 articles dominates the run time (a few
minutes on two cores); ``--cache`` keeps the parsed docs for reruns.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spacy.tokens import DocBin  # noqa: E402

from reportedly.extract.attr_eval import gold_files, read_ann  # noqa: E402
from reportedly.extract.attribution import quote_regions, verb_frame, verb_subject  # noqa: E402
from reportedly.extract.model import load_base_model  # noqa: E402

#: Pairs seen fewer times than this are not written: too few to estimate a share.
MIN_COUNT = 2


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "polnear" / "train")
    ap.add_argument("--out", type=Path, default=ROOT / "reportedly" / "data" / "attr_model")
    ap.add_argument("--cache", type=Path, default=None, help="DocBin of the parsed texts (written if absent)")
    args = ap.parse_args(argv)

    gold = gold_files(args.data / "attributions")
    paths = [p for p in sorted((args.data / "text").glob("*.txt")) if p.stem in gold]
    if not paths:
        print(f"no annotated texts under {args.data}", file=sys.stderr)
        return 2
    nlp = load_base_model()
    t0 = time.perf_counter()
    if args.cache is not None and args.cache.is_file():
        docs = list(DocBin().from_disk(args.cache).get_docs(nlp.vocab))
        if len(docs) != len(paths):
            print(f"cache {args.cache} holds {len(docs)} docs, expected {len(paths)}", file=sys.stderr)
            return 2
    else:
        docs = list(nlp.pipe((p.read_text(encoding="utf-8") for p in paths), batch_size=16))
        if args.cache is not None:
            bin_ = DocBin(store_user_data=False)
            for doc in docs:
                bin_.add(doc)
            bin_.to_disk(args.cache)
    print(f"parsed {len(docs)} articles in {time.perf_counter() - t0:.0f} s")

    total: Counter[tuple[str, str]] = Counter()
    cues: Counter[tuple[str, str]] = Counter()
    for path, doc in zip(paths, docs):
        text = doc.text
        regions = quote_regions(text)
        cue_chars: set[int] = set()
        for rel in read_ann(gold[path.stem]):
            for a, b in rel.cue:
                cue_chars.update(range(a, b))
        for tok in doc:
            if tok.pos_ not in {"VERB", "AUX"} or any(a < tok.idx < b for a, b in regions):
                continue
            subject, _passive = verb_subject(tok)
            frame, _content, _extra = verb_frame(tok, subject, regions, text)
            if not frame:
                continue
            key = (tok.lemma_.lower(), frame)
            total[key] += 1
            if tok.idx in cue_chars:
                cues[key] += 1

    args.out.mkdir(parents=True, exist_ok=True)
    rows = sorted((k for k, n in total.items() if n >= MIN_COUNT), key=lambda k: (-total[k], k))
    lines = [
        "# lemma\tframe\tshare annotated as cue\toccurrences (PolNeAR train, scripts/train_attribution.py)",
        *(f"{lemma}\t{frame}\t{cues[(lemma, frame)] / total[(lemma, frame)]:.3f}\t{total[(lemma, frame)]}"
          for lemma, frame in rows),
    ]
    out = args.out / "cue_frames.tsv"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} (lemma, frame) pairs to {out} in {time.perf_counter() - t0:.0f} s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
