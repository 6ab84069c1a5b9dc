"""Series and conflicts over the FNC-1 article bodies (text it was not tuned on).

    .venv/bin/python benchmarks/fnc1_links.py [--data DIR] [--limit N] [--published DATE] [--sample 30] [--out FILE]

Reads ``DIR/train_bodies.csv`` and ``DIR/competition_test_bodies.csv``
(default ``../shared/data/fnc1``), extracts claim frames with the real model,
links them, and prints how many series, conflicts, contradictions, updates,
corroborations, derived values, repost groups and stories were found, then a
random sample of conflicts (seeded, so the sample can be judged by hand and
re-printed; ``--kinds`` picks the relation kinds it is drawn from) with both
figures, sources and evidence sentences. The bodies
carry no publication dates; they report the rumours of late 2014, so every
document gets ``--published`` (default 2014-10-01) and claims without a time
expression are dated to it. ``--out`` writes the sampled conflicts as JSONL.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportedly.extract import Extractor  # noqa: E402
from reportedly.link import link  # noqa: E402
from reportedly.types import Claim, Document, content_id  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "fnc1"


def read_bodies(folder: Path, published: str, limit: int | None) -> list[Document]:
    docs: list[Document] = []
    csv.field_size_limit(10_000_000)
    for name in ("train_bodies.csv", "competition_test_bodies.csv"):
        with (folder / name).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                text = row["articleBody"].strip()
                if len(text) < 40:
                    continue
                docs.append(Document(id=content_id(text), path=f"{name}#{row['Body ID']}", text=text, published=published))
    if limit:
        docs = docs[:limit]
    return docs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=None, help="only the first N bodies")
    ap.add_argument("--published", default="2014-10-01", help="publication date given to every body")
    ap.add_argument("--sample", type=int, default=30)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--kinds", default="conflict,contradiction",
                    help="relation kinds the sample is drawn from (conflict, contradiction, update, corroboration)")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--frames", type=Path, default=None,
                    help="cache of extracted frames (JSONL): written after extraction, read instead of extracting when present")
    args = ap.parse_args()
    if not (args.data / "train_bodies.csv").is_file():
        print(f"FNC-1 not found at {args.data}; pass --data DIR", file=sys.stderr)
        return 2
    docs = read_bodies(args.data, args.published, args.limit)
    t0 = time.perf_counter()
    claims: list[Claim] = []
    unique_docs: list[Document] = []
    if args.frames and args.frames.is_file():
        for line in args.frames.open(encoding="utf-8"):
            rec = json.loads(line)
            unique_docs.append(Document.from_dict(rec["doc"]))
            claims.extend(Claim.from_dict(c) for c in rec["claims"])
    else:
        extractor = Extractor()
        seen: set[str] = set()
        cache = args.frames.open("w", encoding="utf-8") if args.frames else None
        for doc, found in extractor.pipe(d for d in docs if not (d.id in seen or seen.add(d.id))):  # type: ignore[func-returns-value]
            unique_docs.append(doc)
            claims.extend(found)
            if cache:
                cache.write(json.dumps({"doc": doc.to_dict(), "claims": [c.to_dict() for c in found]}) + "\n")
        if cache:
            cache.close()
    t_extract = time.perf_counter() - t0
    t1 = time.perf_counter()
    result = link(unique_docs, claims)
    t_link = time.perf_counter() - t1
    s = result.summary(t_link)
    quantities = sum(1 for c in claims if c.kind == "quantity")
    in_series = sum(1 for x in result.series for e in x.entries if e.role == "reported")
    multi = sum(1 for x in result.series if len({e.doc_id for e in x.entries}) > 1)
    print(f"FNC-1 bodies: {len(unique_docs)} documents, {len(claims)} claims ({quantities} quantities); "
          f"extraction {t_extract:.0f}s, linking {t_link:.1f}s")
    print("| measure | count |\n| --- | ---: |")
    for label, value in (
        ("series", s.series), ("series spanning 2+ documents", multi), ("quantity claims in a series", in_series),
        ("conflicts (figures)", s.conflicts), ("contradictions (statements)", s.contradictions),
        ("updates", s.updates), ("corroborations", s.corroborations), ("derived values", s.derived),
        ("repost groups", s.repost_groups), ("stories", s.stories),
    ):
        print(f"| {label} | {value} |")
    by_claim = {c.id: c for c in claims}
    doc_path = {d.id: d.path for d in unique_docs}
    labels = {x.id: x.label for x in result.series}
    kinds = set(args.kinds.split(","))
    conflicts = [r for r in result.relations if r.kind in kinds]
    rng = random.Random(args.seed)
    sample = rng.sample(conflicts, min(args.sample, len(conflicts)))
    out = args.out.open("w", encoding="utf-8") if args.out else None
    for i, r in enumerate(sample, 1):
        a, b = by_claim[r.a.split("~")[0]], by_claim[r.b.split("~")[0]]
        print(f"\n[{i}] {r.kind} in {labels.get(r.series_id or '', '-')}: {r.reason}")
        print(f"   A {doc_path[a.doc_id]}: {a.sentence.strip()[:300]}")
        print(f"   B {doc_path[b.doc_id]}: {b.sentence.strip()[:300]}")
        if out:
            out.write(json.dumps({"n": i, "kind": r.kind, "series": labels.get(r.series_id or ""), "reason": r.reason,
                                  "a": a.to_dict(), "b": b.to_dict()}) + "\n")
    if out:
        out.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
