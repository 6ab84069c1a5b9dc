"""Claim yield on text the extractor was not tuned on: FNC-1 bodies and PolNeAR.

    .venv/bin/python benchmarks/claim_yield.py [--data DIR] [--limit N] [--seed N] [--sample K]

Runs :class:`reportedly.extract.Extractor` over the FNC-1 article bodies
(``fnc1/train_bodies.csv`` + ``fnc1/competition_test_bodies.csv``) and the
PolNeAR texts (``polnear/train`` + ``polnear/dev``) under ``--data``
(default ``../shared/data``) and prints, per corpus and in all: the share of
documents yielding quantity / statement / any claims, claims per document,
and documents per second (parsing included).

``--limit N`` draws N documents per corpus at random (``--seed``) for a
quick run; 0 takes them all. ``--sample K`` then prints K claims drawn at
random (same seed) with their sentence, source, figure and time, for
checking by hand.

PolNeAR file names carry the publication date (``<publisher>_<YYYY-MM-DD>_...``),
which is passed on so that relative times resolve; FNC-1 bodies have none.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportedly.extract import Extractor  # noqa: E402
from reportedly.types import Claim, Document, content_id  # noqa: E402

FNC_FILES = ("train_bodies.csv", "competition_test_bodies.csv")
POLNEAR_PARTS = ("train", "dev")


@dataclass
class Tally:
    """Counts for one corpus."""

    docs: int = 0
    with_quantity: int = 0
    with_statement: int = 0
    with_any: int = 0
    quantity: int = 0
    statement: int = 0
    failed: int = 0
    seconds: float = 0.0

    def add(self, claims: list[Claim]) -> None:
        kinds = [c.kind for c in claims]
        self.docs += 1
        self.quantity += kinds.count("quantity")
        self.statement += kinds.count("statement")
        self.with_quantity += "quantity" in kinds
        self.with_statement += "statement" in kinds
        self.with_any += bool(kinds)


def fnc_documents(data: Path) -> list[Document]:
    csv.field_size_limit(sys.maxsize)
    out: list[Document] = []
    for name in FNC_FILES:
        path = data / "fnc1" / name
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                text = row["articleBody"]
                out.append(Document(id=content_id(text), path=f"fnc1/{name}#{row['Body ID']}", text=text))
    return out


def polnear_documents(data: Path) -> list[Document]:
    out: list[Document] = []
    for part in POLNEAR_PARTS:
        for path in sorted((data / "polnear" / part / "text").glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            published = path.stem.split("_")[1] if path.stem.count("_") >= 2 else None
            out.append(Document(id=content_id(text), path=f"polnear/{part}/{path.name}", text=text, published=published))
    return out


def describe(document: Document, claim: Claim) -> str:
    """A claim as a block of text for checking by hand."""
    src = claim.source
    source = "-"
    if src is not None:
        source = f"{src.name!r} ({src.kind}{', anonymous' if src.anonymous else ''}"
        source += f", count {src.count}" if src.count else ""
        source += f", via {', '.join(src.via)}" if src.via else ""
        source += f", from {src.resolved_from!r}" if src.resolved_from else ""
        source += ")"
    lines = [f"[{claim.kind}] {document.path}  published={document.published}", f"  sentence: {claim.sentence}"]
    lines.append(f"  source:   {source}  cue={claim.cue!r}  hedges={claim.hedges}")
    if claim.quantity is not None:
        q = claim.quantity
        figure = f"value={q.value}" if q.value is not None else f"low={q.low} high={q.high}"
        change = ""
        if q.change is not None:
            change = f" change={q.change.direction} previous={q.change.previous_low}..{q.change.previous_high}"
        lines.append(
            f"  figure:   {q.text!r} {figure} bound={q.bound} vague={q.vague} unit={q.unit} entity={q.entity!r}"
            f" actor={q.actor!r} locations={q.locations}{change}"
        )
    else:
        lines.append(f"  content:  {claim.content}")
    t = claim.time
    lines.append(f"  time:     {t.text!r} {t.start}..{t.end} ({t.anchor})")
    return "\n".join(textwrap.shorten(line, 400, placeholder=" ...") if len(line) > 400 else line for line in lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--limit", type=int, default=0, help="documents drawn per corpus (0: all)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sample", type=int, default=0, help="print this many random claims for checking by hand")
    ap.add_argument("--batch-size", type=int, default=16)
    args = ap.parse_args(argv)

    corpora = {"FNC-1 bodies": fnc_documents(args.data), "PolNeAR train+dev": polnear_documents(args.data)}
    if not any(corpora.values()):
        print(f"no FNC-1 or PolNeAR texts under {args.data} (the evaluation data lives in ../shared/data)", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    if args.limit:
        corpora = {name: rng.sample(docs, min(args.limit, len(docs))) for name, docs in corpora.items()}

    t0 = time.perf_counter()
    extractor = Extractor()
    load_s = time.perf_counter() - t0
    tallies: dict[str, Tally] = {}
    drawn: list[tuple[Document, Claim]] = []
    for name, docs in corpora.items():
        tally = tallies[name] = Tally()
        t0 = time.perf_counter()
        for document, claims in extractor.pipe(docs, batch_size=args.batch_size):
            tally.failed += document.status == "failed"
            tally.add(claims)
            drawn.extend((document, c) for c in claims)
        tally.seconds = time.perf_counter() - t0

    total = Tally()
    for t in tallies.values():
        for key in ("docs", "with_quantity", "with_statement", "with_any", "quantity", "statement", "failed", "seconds"):
            setattr(total, key, getattr(total, key) + getattr(t, key))
    tallies["all"] = total

    print(f"model load {load_s:.1f}s; limit={args.limit or 'all'} seed={args.seed}\n")
    header = "| corpus | docs | with quantity | with statement | with any claim | quantity/doc | statement/doc | claims/doc | docs/s | failed |"
    print(header)
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, t in tallies.items():
        n = max(t.docs, 1)
        print(
            f"| {name} | {t.docs} | {t.with_quantity / n:.1%} | {t.with_statement / n:.1%} | {t.with_any / n:.1%} "
            f"| {t.quantity / n:.2f} | {t.statement / n:.2f} | {(t.quantity + t.statement) / n:.2f} "
            f"| {t.docs / max(t.seconds, 1e-9):.2f} | {t.failed} |"
        )
    if args.sample and drawn:
        print(f"\n{args.sample} random claims (seed {args.seed}):\n")
        for k, (document, claim) in enumerate(random.Random(args.seed).sample(drawn, min(args.sample, len(drawn))), 1):
            print(f"#{k} " + describe(document, claim) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
