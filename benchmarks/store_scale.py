"""Store writes at crawl size: time and memory of ``add_batch`` as the ledger grows.

    .venv/bin/python benchmarks/store_scale.py                  # 1,000 batches (about 12,000 articles)
    .venv/bin/python benchmarks/store_scale.py --batches 200

Extraction is left out: the articles of ``examples/`` are extracted once,
then written again and again as new documents (fresh document and claim ids,
the same texts and claims), one batch per pass, so only the store is
measured. Two ways of writing run side by side, each in a fresh process:

* ``per batch``: plain :meth:`Store.add_batch` calls; each batch recomputes
  the ``sources`` rows of the names it touched, a query over every claim
  stored so far.
* ``run``: the same calls inside :meth:`Store.bounded_writes`, as
  ``reportedly run`` and ``reportedly import`` make them: DuckDB's memory is
  capped and ``sources`` is rebuilt once when the writes end (timed apart).

Printed: milliseconds per batch over each fifth of the batches, the last
fifth against the first (flat is 1.0), the final rebuild, and peak memory.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODES = ("per batch", "run")


def _pairs(cache: Path) -> list:
    import pickle

    if not cache.exists():
        from reportedly.extract import Extractor
        from reportedly.ingest import iter_documents

        docs = [d for d in iter_documents([str(ROOT / "examples")]) if d.ok]
        cache.write_bytes(pickle.dumps(list(Extractor().pipe(docs))))
    return pickle.loads(cache.read_bytes())


def _copy(pairs: list, n: int) -> list:
    """Batch ``n``: every pair under new ids (the ids are opaque strings to the store)."""
    out = []
    for i, (doc, claims) in enumerate(pairs):
        doc_id = f"b{n:06d}d{i:03d}"
        out.append(
            (
                dataclasses.replace(doc, id=doc_id, path=f"{doc_id}/{doc.path}"),
                [dataclasses.replace(c, id=f"{doc_id}c{j:04d}", doc_id=doc_id) for j, c in enumerate(claims)],
            )
        )
    return out


def measure(mode: str, batches: int, cache: Path, work: Path) -> dict:
    """One mode in this process: per-fifth ms/batch, rebuild seconds, peak RSS."""
    from contextlib import nullcontext

    from reportedly.store import Store

    pairs = _pairs(cache)
    times: list[float] = []
    rebuild = 0.0
    with Store(work / "ledger.duckdb") as store:
        writes = store.bounded_writes() if mode == "run" else nullcontext()
        with writes:
            for n in range(batches):
                batch = _copy(pairs, n)
                t = time.perf_counter()
                store.add_batch(batch)
                times.append(time.perf_counter() - t)
            t = time.perf_counter()
        rebuild = time.perf_counter() - t if mode == "run" else 0.0
        docs = store.count_documents()
    fifth = max(1, batches // 5)
    means = [1000 * sum(times[i : i + fifth]) / len(times[i : i + fifth]) for i in range(0, batches, fifth)][:5]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"mode": mode, "documents": docs, "ms": means, "rebuild_s": rebuild, "peak_mib": peak}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batches", type=int, default=1000)
    parser.add_argument("--only", choices=MODES, help=argparse.SUPPRESS)  # one mode, in a child process
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.only:
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(measure(args.only, args.batches, args.cache, Path(tmp))))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "pairs.pickle"
        _pairs(cache)  # extracted once, before either mode is timed
        results = []
        for mode in MODES:
            cmd = [sys.executable, __file__, "--only", mode, "--batches", str(args.batches), "--cache", str(cache)]
            done = subprocess.run(cmd, check=True, capture_output=True, text=True)
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"{args.batches} batches of {results[0]['documents'] // args.batches} articles each\n")
    print("| writes | ms/batch by fifth of the run | last / first fifth | final rebuild (s) | peak RSS (MiB) |")
    print("| --- | --- | ---: | ---: | ---: |")
    for r in results:
        ms = r["ms"]
        print(
            f"| {r['mode']} | {', '.join(f'{m:.0f}' for m in ms)} | {ms[-1] / ms[0]:.2f} | "
            f"{r['rebuild_s']:.2f} | {r['peak_mib']:.0f} |"
        )
    a, b = results
    print(f"\nlast fifth, {a['mode']} / {b['mode']}: {a['ms'][-1] / b['ms'][-1]:.2f}x the time per batch")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
