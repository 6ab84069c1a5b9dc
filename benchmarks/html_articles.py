"""HTML main-text extraction: reportedly's HTML path against bare trafilatura.

    .venv/bin/python benchmarks/html_articles.py [--data DIR] [--limit N]

Runs :func:`reportedly.ingest.document_from_html` over the dev pages of the
scrapinghub article-extraction benchmark (``../shared/data/html-articles``,
gzipped pages and ``ground-truth.json``) and scores the cleaned text against
the hand-extracted article bodies with the benchmark's own metric: word
tokens (``\\w+``) grouped into 4-token shingles, true/false positives and
false negatives normalised per page, precision and recall averaged over
pages, F1 of the two averages. Unigram scores (n=1, plain token overlap) are
printed too. Bare ``trafilatura.extract(html, include_comments=False)`` (the
benchmark's trafilatura runner) is scored side by side in the same run, so
any loss from the wrapper (debris rules, title removal) shows as a
difference; pages/s covers everything each side does (the wrapper also
reads metadata and dates and detects the language), as wall-clock and as
CPU-time rates (the latter is steadier on a shared machine).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import trafilatura

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportedly.ingest import document_from_html  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "html-articles"
_TOKEN = re.compile(r"\w+")

Score = tuple[float, float, float]


def shingle_counts(text: str, n: int) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def match(true: str, pred: str, n: int) -> Score:
    """Normalised (tp, fp, fn) of ``pred`` against ``true`` over n-token shingles."""
    t, p = shingle_counts(true, n), shingle_counts(pred, n)
    tp = float(sum((t & p).values()))
    fp = float(sum((p - t).values()))
    fn = float(sum((t - p).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def prf(scores: Sequence[Score]) -> tuple[float, float, float]:
    """The benchmark's aggregation: mean precision, mean recall, F1 of the means."""

    def precision(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))

    def recall(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))

    p = statistics.mean(precision(*s) for s in scores if s[0] + s[1] > 0)
    r = statistics.mean(recall(*s) for s in scores if s[0] + s[2] > 0)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def run(name: str, pages: list[tuple[str, bytes]], extract: Callable[[str, bytes], str]) -> tuple[str, dict[str, str], tuple[float, float]]:
    # One untimed page first: trafilatura loads stop lists and the public
    # suffix list on first use, a one-off cost that should not favour either side.
    extract(*pages[0])
    start, cpu = time.perf_counter(), time.process_time()
    out = {key: extract(key, html) for key, html in pages}
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return name, out, (len(pages) / wall, len(pages) / cpu)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0, help="score only the first N pages (0: all)")
    args = parser.parse_args(argv)
    truth_path = args.data / "ground-truth.json"
    if not truth_path.is_file():
        print(f"skipped: no benchmark data at {args.data} (expected ground-truth.json and html/)")
        return 0
    truth: dict[str, dict[str, str]] = json.loads(truth_path.read_text(encoding="utf-8"))
    keys = sorted(truth)[: args.limit or None]
    pages = [(k, gzip.decompress((args.data / "html" / f"{k}.html.gz").read_bytes())) for k in keys]

    statuses: dict[str, str] = {}

    def ours(key: str, html: bytes) -> str:
        doc = document_from_html(html, key, {})
        statuses[key] = doc.status if doc.ok else f"{doc.status}: {(doc.reason or '').split(';')[0]}"
        return doc.text

    def bare(_key: str, html: bytes) -> str:
        return trafilatura.extract(html.decode("utf-8", "replace"), include_comments=False) or ""

    results = [run("trafilatura.extract (bare)", pages, bare), run("reportedly document_from_html", pages, ours)]
    print(f"{len(pages)} pages from {args.data}\n")
    print("| extractor | P (4-shingle) | R (4-shingle) | F1 (4-shingle) | F1 (tokens) | pages/s (wall) | pages/s (CPU) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    f1s = []
    for name, out, (rate, cpu_rate) in results:
        p4, r4, f4 = prf([match(truth[k]["articleBody"], out[k], 4) for k in keys])
        _p1, _r1, f1 = prf([match(truth[k]["articleBody"], out[k], 1) for k in keys])
        f1s.append(f4)
        print(f"| {name} | {p4:.3f} | {r4:.3f} | {f4:.3f} | {f1:.3f} | {rate:.1f} | {cpu_rate:.1f} |")
    print(f"\nF1 ratio wrapper / bare: {f1s[1] / f1s[0]:.3f}")
    counts = Counter(statuses.values())
    print("wrapper document status: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
    print("(skipped pages keep their text, so they are scored like the others)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
