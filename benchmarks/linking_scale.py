"""How linking scales: relink over 1k / 10k / 100k documents' claim frames.

    .venv/bin/python benchmarks/linking_scale.py [--sizes 1000,10000,100000] [--store]

Frames are replicated from realistic templates (the seeds' shapes: ranges,
bounds, approximate and vague figures, changes with previous values,
composite places, parts that add up, statements that contradict), varied
over actors, counted things, places, sources, publishers and months, with
one document in ten a repost of an earlier one (same text plus a footer).
Each original article reports one of ``n/4`` events: its text mixes
common news words, a long Zipf-distributed tail of other words (as real
vocabularies have) and the event's own particulars, so stories have
something real to find. Prints, per size, the wall-clock and CPU seconds
(the CPU figure is what to compare on a shared machine) for the pure
``link()`` (reposts, stories, series, comparisons, derived totals,
contradictions), the stories found with their B-cubed F1 against the
generating events, the peak resident memory of the process that linked
that size (each size runs in a fresh child process, so peaks are not
carried over), the CPU-time ratio to the previous size against the size
ratio (1.0 per size ratio = linear growth) and, with ``--store``, the time
for writing the frames to DuckDB and ``relink(store)`` (read, link, write
link tables).
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ecbplus import bcubed  # noqa: E402

from reportedly.link import link, relink  # noqa: E402
from reportedly.link.places import Gazetteer  # noqa: E402
from reportedly.link.vocab import Vocabulary  # noqa: E402
from reportedly.types import Change, Claim, Document, Quantity, Source, TimeRef, claim_id  # noqa: E402

ACTORS = ["ISIS", "Islamic State", "Daesh", "al-Qaeda", "Taliban", "Boko Haram", "al-Shabaab", None]
ENTITIES = [("fighters", "fighter"), ("militants", "militant"), ("supporters", "supporter"), ("refugees", "refugee"),
            ("civilians", "civilian"), ("soldiers", "soldier"), ("people", "person")]
PLACES = [["Iraq"], ["Syria"], ["Iraq", "Syria"], ["Mosul", "Iraq"], ["Libya"], ["Afghanistan"], ["Nigeria"],
          ["Somalia"], ["Yemen"], ["Kabul"], ["Raqqa"]]
SOURCES = ["Pentagon", "United Nations", "Iraqi officials", "the Syrian Observatory", "Reuters", "local officials",
           "the Interior Ministry", "analysts", "a spokesman", "NGO monitors"]
PUBLISHERS = [f"Outlet {i}" for i in range(40)]
SUBJECTS = ["Abu Bakr al-Baghdadi", "Abu Sayyaf", "Omar Khalid", "Mullah Omar", "Abubakar Shekau"]
WORDS = ("the of and to in a on for with by at from city forces officials said government attack security "
         "group offensive military report according people area troops week region border control").split()


TAIL = 50_000  # size of the long-tail vocabulary
_ZIPF = [1.0 / (r + 1) for r in range(TAIL)]


def _text(rng: random.Random, particulars: list[str], n: int = 160) -> str:
    """``n`` words: 40% common, 40% long tail (Zipf), 20% the event's particulars."""
    common = [rng.choice(WORDS) for _ in range(int(n * 0.4))]
    tail = [f"t{r}" for r in rng.choices(range(TAIL), weights=_ZIPF, k=int(n * 0.4))]
    own = [rng.choice(particulars) for _ in range(n - len(common) - len(tail))]
    words = common + tail + own
    rng.shuffle(words)
    return " ".join(words) + "."


def events_of(docs: list[Document]) -> list[int]:
    """The generating event of each document (a repost's is its original's)."""
    return [int(d.id.split("e")[-1]) for d in docs]


def generate(n_docs: int, seed: int = 7) -> tuple[list[Document], list[Claim]]:
    """``n_docs`` documents with about 8 claim frames each."""
    rng = random.Random(seed)
    docs: list[Document] = []
    claims: list[Claim] = []
    by_doc: dict[str, list[Claim]] = {}
    n_events = max(1, n_docs // 4)
    particulars = [[f"p{e}x{j}" for j in range(15)] for e in range(n_events)]
    for i in range(n_docs):
        if i > 10 and rng.random() < 0.1:  # a repost of an earlier article
            src = docs[rng.randrange(len(docs))]
            d = Document(id=f"d{i}e{src.id.split('e')[-1]}", path=f"{i}.txt",
                         text=src.text + " Share this article. Leave a reply.",
                         publisher=rng.choice(PUBLISHERS), published=src.published, original_publisher=src.publisher,
                         repost=True)
            docs.append(d)
            copies = [Claim.from_dict({**c.to_dict(), "id": c.id + f"r{i}", "doc_id": d.id}) for c in by_doc[src.id]]
            by_doc[d.id] = copies
            claims.extend(copies)
            continue
        year, month = rng.choice((2015, 2016, 2017)), rng.randint(1, 12)
        published = f"{year}-{month:02d}-{rng.randint(1, 28):02d}"
        event = rng.randrange(n_events)
        d = Document(id=f"d{i}e{event}", path=f"{i}.txt", text=_text(rng, particulars[event]),
                     publisher=rng.choice(PUBLISHERS), published=published)
        docs.append(d)
        first = len(claims)
        actor = rng.choice(ACTORS)
        entity, lemma = rng.choice(ENTITIES)
        t = TimeRef(text="last month", start=f"{year}-{month:02d}-01", end=f"{year}-{month:02d}-28", anchor="text")
        src = Source(text=rng.choice(SOURCES), name=None, kind="organisation")
        src.name = src.text
        sentence = d.text[:120]
        base = rng.choice((1000, 4000, 7000, 15000, 25000, 30000))
        for k in range(6):
            places = PLACES[rng.randrange(len(PLACES))]
            value = float(round(base * rng.uniform(0.6, 1.4), -2))
            kind = k % 3
            q = Quantity(text=str(value), start=k, end=k + 1, value=value, low=value, high=value,
                         bound=rng.choice(("=", "~", "~", ">")), unit=lemma, entity=entity, entity_lemma=lemma,
                         actor=actor, locations=list(places))
            if kind == 1:  # a range
                q.value, q.low, q.high = None, value, value * 1.3
            if kind == 2:  # a change from an earlier figure
                q.change = Change(direction="down", previous_low=value * 1.5, previous_high=value * 1.5,
                                  previous_bound=">", previous_text=f"more than {value * 1.5:,.0f}")
            claims.append(Claim(id=claim_id(d.id, "quantity", k, k + 1), doc_id=d.id, kind="quantity",
                                sentence=sentence, sentence_start=0, sentence_end=len(sentence), start=k, end=k + 1,
                                source=src, time=t, quantity=q))
        for k, state in enumerate(("was killed", "is alive")):
            if rng.random() < 0.5:
                content = f"{rng.choice(SUBJECTS)} {state}"
                claims.append(Claim(id=claim_id(d.id, "statement", 100 + k, 101 + k), doc_id=d.id, kind="statement",
                                    sentence=content, sentence_start=0, sentence_end=len(content), start=0,
                                    end=len(content), source=Source(text=rng.choice(SOURCES), name=rng.choice(SOURCES)),
                                    time=t, content=content, content_start=0, content_end=len(content)))
        by_doc[d.id] = claims[first:]
    return docs, claims


HEADER = (f"{'documents':>10} {'claims':>9} {'series':>7} {'conflicts':>9} {'updates':>8} {'contra':>7} "
          f"{'reposts':>7} {'stories':>7} {'B3 F1':>6} {'link s':>7} {'cpu s':>7} {'peak MiB':>8} {'store s':>8} {'relink s':>8}")


def run_size(n: int, store: bool) -> str:
    """Link ``n`` generated documents in this process; one table row."""
    vocab = Vocabulary.load()
    gaz = Gazetteer(vocab)
    docs, claims = generate(n)
    t0, c0 = time.perf_counter(), time.process_time()
    result = link(docs, claims, vocab, gaz)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    s = result.summary(dt)
    b3 = bcubed([result.stories[d.id] for d in docs], events_of(docs))[2] if result.stories else float("nan")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    store_s = relink_s = float("nan")
    if store:
        from reportedly.store import Store

        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "scale.duckdb") as st:
            by_doc: dict[str, list[Claim]] = {}
            for c in claims:
                by_doc.setdefault(c.doc_id, []).append(c)
            t1 = time.perf_counter()
            for i in range(0, len(docs), 2000):
                st.add_batch([(d, by_doc.get(d.id, [])) for d in docs[i : i + 2000]])
            store_s = time.perf_counter() - t1
            t2 = time.perf_counter()
            relink(st, vocab=vocab)
            relink_s = time.perf_counter() - t2
    return (f"{n:>10,} {len(claims):>9,} {s.series:>7,} {s.conflicts:>9,} {s.updates:>8,} {s.contradictions:>7,} "
            f"{s.repost_groups:>7,} {s.stories:>7,} {b3:>6.3f} {dt:>7.1f} {cpu:>7.1f} {peak:>8,.0f} {store_s:>8.1f} {relink_s:>8.1f}"
            + (f"  ({'; '.join(s.notes)})" if s.notes else ""))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--store", action="store_true", help="also time writing to DuckDB and relink(store)")
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # child: one size, one row
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    if args.one:
        print(run_size(sizes[0], args.store), flush=True)
        return 0
    print(HEADER, flush=True)
    cpu: list[tuple[int, float]] = []
    for n in sizes:
        cmd = [sys.executable, __file__, "--one", "--sizes", str(n)] + (["--store"] if args.store else [])
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(f"{n:>10,} failed (exit {done.returncode}): {done.stderr.strip()[-500:]}", flush=True)
            continue
        row = done.stdout.rstrip().splitlines()[-1]
        print(row, flush=True)
        cpu.append((n, float(row.split()[10])))
    for (n0, c0), (n1, c1) in zip(cpu, cpu[1:]):
        print(f"{n1:,} vs {n0:,} documents: CPU time x{c1 / c0:.1f} for x{n1 / n0:.0f} the documents "
              f"({(c1 / c0) / (n1 / n0):.2f} per unit of size; 1.00 = linear)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
