"""Throughput of the whole pipeline beside bare spaCy parsing, in one run.

    .venv/bin/python benchmarks/throughput.py [--part dev|train] [--limit N] [--workers N]

Reads the PolNeAR article texts (``../shared/data/polnear/<part>/text``,
dev by default), dated by the corpus's own ``metadata.tsv`` through a
manifest, and times on the very same texts:

1. bare spaCy: ``nlp.pipe`` of the installed English model (all its
   components), the floor any spaCy-based extractor stands on;
2. extract: ``Extractor.pipe`` over already ingested documents (parsing +
   claim assembly);
   store only: ``Store.add_batch`` of those results into a fresh DuckDB file;
3. run: ``reportedly.pipeline.run`` into a fresh DuckDB file, i.e. ingest +
   extract + store (linking off; it is measured by the linking benchmarks);
4. with ``--workers N`` (N > 1) also the same run with N worker processes
   (their model loading included, as a user would see it).

Model loading is outside the timings of 1-3. Each line prints articles/s and
the ratio to bare spaCy. The machine's other load moves absolute numbers;
compare the ratios, which come from one run.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportedly.extract import Extractor  # noqa: E402
from reportedly.extract.model import load_base_model  # noqa: E402
from reportedly.ingest import Manifest, iter_documents  # noqa: E402
from reportedly.pipeline import run  # noqa: E402
from reportedly.store import Store  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "polnear"


def write_manifest(part_dir: Path, files: list[Path], out: Path) -> Path:
    """A CSV manifest giving each text its publication date from metadata.tsv."""
    dates: dict[str, str] = {}
    meta = part_dir / "metadata.tsv"
    if meta.exists():
        with meta.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                dates[row["filename"] + ".txt"] = row["publication_date"]
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "published", "publisher"])
        for f in files:
            writer.writerow([f.name, dates.get(f.name, ""), f.name.split("_", 1)[0]])
    return out


def timed(label: str, n: int, seconds: float, rows: list[tuple[str, int, float]]) -> None:
    rows.append((label, n, seconds))
    print(f"  {label}: {n} articles in {seconds:.1f} s", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--part", choices=("dev", "train"), default="dev")
    ap.add_argument("--limit", type=int, default=0, help="use the first N articles (0: all)")
    ap.add_argument("--workers", type=int, default=1, help="also time `run` with this many workers")
    ap.add_argument("--batch-size", type=int, default=64)
    args = ap.parse_args(argv)

    part_dir = DATA / args.part
    files = sorted((part_dir / "text").glob("*.txt"))
    if not files:
        print(f"no PolNeAR texts under {part_dir / 'text'} (the shared data lives beside the repo)", file=sys.stderr)
        return 2
    if args.limit:
        files = files[: args.limit]

    rows: list[tuple[str, int, float]] = []
    with tempfile.TemporaryDirectory(prefix="reportedly-bench-") as tmp:
        manifest = write_manifest(part_dir, files, Path(tmp) / "manifest.csv")
        documents = list(iter_documents([str(f) for f in files], manifest=Manifest.load(manifest)))
        ok = [d for d in documents if d.ok]
        texts = [d.text for d in ok]
        print(f"{len(files)} PolNeAR {args.part} files, {len(ok)} readable, "
              f"{sum(len(t) for t in texts):,} characters", file=sys.stderr)

        nlp = load_base_model()
        list(nlp.pipe(texts[:2]))  # warm-up: lazy initialisation is not throughput
        t0 = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=args.batch_size):
            pass
        timed("bare spaCy nlp.pipe", len(texts), time.perf_counter() - t0, rows)

        extractor = Extractor()
        list(extractor.pipe(ok[:2]))
        t0 = time.perf_counter()
        pairs = list(extractor.pipe(ok, batch_size=args.batch_size))
        timed("extract (Extractor.pipe)", len(ok), time.perf_counter() - t0, rows)
        n_claims = sum(len(claims) for _, claims in pairs)

        with Store(Path(tmp) / "store-only.duckdb") as store:
            t0 = time.perf_counter()
            for start in range(0, len(pairs), args.batch_size):
                store.add_batch(pairs[start : start + args.batch_size])
            timed("store only (Store.add_batch)", len(pairs), time.perf_counter() - t0, rows)

        db = Path(tmp) / "bench.duckdb"
        summary = run(files, db, manifest=manifest, batch_size=args.batch_size, progress=False, link=False,
                      extractor=extractor)
        timed("run: ingest + extract + store", summary.added, summary.seconds, rows)
        with Store(db, read_only=True) as store:
            stored = store.count_claims()
        if stored != n_claims:
            print(f"warning: run stored {stored} claims, Extractor.pipe found {n_claims}", file=sys.stderr)

        if args.workers > 1:
            summary = run(files, Path(tmp) / f"bench{args.workers}.duckdb", manifest=manifest,
                          batch_size=args.batch_size, workers=args.workers, progress=False, link=False)
            timed(f"run --workers {args.workers} (model loads included)", summary.added, summary.seconds, rows)

    base = rows[0][1] / rows[0][2]
    print()
    print(f"Throughput on PolNeAR {args.part} ({len(texts)} articles, {n_claims} claims)")
    print()
    print("| stage | articles | seconds | articles/s | vs bare spaCy |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, n, seconds in rows:
        rate = n / seconds if seconds else float("inf")
        print(f"| {label} | {n} | {seconds:.1f} | {rate:.1f} | {rate / base:.2f} x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
