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

Model loading is outside the timings of 1-3. Bare parsing and extraction
alternate for ``--rounds`` rounds (default 2) and each keeps its fastest round. Each line prints articles/s and
the ratio to bare spaCy, by wall-clock time and by this process's CPU time:
on a machine shared with other work the wall-clock figures swing with the
load, the CPU figures much less, so compare CPU ratios across runs.
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
from reportedly.types import Claim, Document  # noqa: E402

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


class Clock:
    """Wall-clock and CPU time of this process over a block of work."""

    def __enter__(self) -> "Clock":
        self.wall0, self.cpu0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall0
        self.cpu = time.process_time() - self.cpu0


Row = tuple[str, int, float, float | None]


def timed(label: str, n: int, wall: float, cpu: float | None, rows: list[Row]) -> None:
    rows.append((label, n, wall, cpu))
    cpu_text = f", {cpu:.1f} s CPU" if cpu is not None else ""
    print(f"  {label}: {n} articles in {wall:.1f} s{cpu_text}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--part", choices=("dev", "train"), default="dev")
    ap.add_argument("--limit", type=int, default=0, help="use the first N articles (0: all)")
    ap.add_argument("--workers", type=int, default=1, help="also time `run` with this many workers")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--rounds", type=int, default=2, help="alternating rounds of bare parsing and extraction; the fastest of each is kept")
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

        nlp = load_base_model(compiled_rules=False)  # the model as published
        list(nlp.pipe(texts[:2]))  # warm-up: lazy initialisation is not throughput
        extractor = Extractor()
        list(extractor.pipe(ok[:2]))
        # bare parsing and extraction alternate for --rounds rounds and each keeps
        # its fastest, so a burst of load from other jobs favours neither
        bare_clock: Clock | None = None
        extract_clock: Clock | None = None
        pairs: list[tuple[Document, list[Claim]]] = []
        for _ in range(max(1, args.rounds)):
            with Clock() as clock:
                for _ in nlp.pipe(texts, batch_size=args.batch_size):
                    pass
            if bare_clock is None or clock.cpu < bare_clock.cpu:
                bare_clock = clock
            with Clock() as clock:
                pairs = list(extractor.pipe(ok, batch_size=args.batch_size))
            if extract_clock is None or clock.cpu < extract_clock.cpu:
                extract_clock = clock
        assert bare_clock is not None and extract_clock is not None
        timed("bare spaCy nlp.pipe", len(texts), bare_clock.wall, bare_clock.cpu, rows)
        timed("extract (Extractor.pipe)", len(ok), extract_clock.wall, extract_clock.cpu, rows)
        n_claims = sum(len(claims) for _, claims in pairs)

        with Store(Path(tmp) / "store-only.duckdb") as store, Clock() as clock:
            for start in range(0, len(pairs), args.batch_size):
                store.add_batch(pairs[start : start + args.batch_size])
        timed("store only (Store.add_batch)", len(pairs), clock.wall, clock.cpu, rows)

        db = Path(tmp) / "bench.duckdb"
        with Clock() as clock:
            summary = run(files, db, manifest=manifest, batch_size=args.batch_size, progress=False, link=False,
                          extractor=extractor)
        timed("run: ingest + extract + store", summary.added, clock.wall, clock.cpu, rows)
        with Store(db, read_only=True) as store:
            stored = store.count_claims()
        if stored != n_claims:
            print(f"warning: run stored {stored} claims, Extractor.pipe found {n_claims}", file=sys.stderr)

        if args.workers > 1:
            summary = run(files, Path(tmp) / f"bench{args.workers}.duckdb", manifest=manifest,
                          batch_size=args.batch_size, workers=args.workers, progress=False, link=False)
            # Worker CPU is spent in child processes: only wall time is meaningful here.
            timed(f"run --workers {args.workers} (model loads included)", summary.added, summary.seconds, None, rows)

    wall_base = rows[0][1] / rows[0][2]
    cpu_base = rows[0][1] / rows[0][3] if rows[0][3] else None
    print()
    print(f"Throughput on PolNeAR {args.part} ({len(texts)} articles, {n_claims} claims)")
    print()
    print("| stage | articles | wall s | articles/s | vs bare spaCy | CPU s | articles/CPU-s | vs bare spaCy (CPU) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, n, wall, cpu in rows:
        rate = n / wall if wall else float("inf")
        cells = [label, str(n), f"{wall:.1f}", f"{rate:.2f}", f"{rate / wall_base:.2f} x"]
        if cpu and cpu_base:
            cells += [f"{cpu:.1f}", f"{n / cpu:.2f}", f"{n / cpu / cpu_base:.2f} x"]
        else:
            cells += ["", "", ""]
        print("| " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
