"""Web app under load: search and series pages at a million claims, 50 clients.

    .venv/bin/python benchmarks/web.py                     # 1,000,000 claims, 50 clients, 30 s
    .venv/bin/python benchmarks/web.py --claims 200000 --seconds 10 --clients 20

1. **Base store** (cached in ``benchmarks/out/web_base.duckdb``): the real
   pipeline (ingest, extraction, store, relink) over ``examples/`` and the
   PolNeAR dev texts from ``../shared/data`` when present.
2. **Scaled store** (``benchmarks/out/web_<N>.duckdb``): the base store's
   documents, claims and link tables replicated by SQL until there are N
   claims. Copy *k* gets new document, claim and entry ids and is moved *k*
   weeks later (publication date and reference times), so each series grows
   into a long timeline and search sees N distinct claims; the claim frames'
   ids are rewritten too, so every page of a copy works.
3. **Server**: ``reportedly serve`` on a free loopback port, in its own
   process; start-up (opening the store, building the search index) is timed
   until the first answer.
4. **Load**: a second process runs ``--clients`` httpx async clients in a
   closed loop (each sends its next request as soon as the last one is
   answered) for ``--seconds``, alternating search pages (one to three words
   drawn from the corpus's own vocabulary at all frequencies, some with a
   facet) and series pages (the biggest series and random ones). Latency is
   per request, client side, over the whole HTML page.

Prints one table: requests, errors, p50/p95/p99 and throughput per page kind,
beside the target (p95 < 300 ms, zero errors).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
SHARED = ROOT.parent / "shared" / "data"
TARGET_P95_MS = 300.0


# -- stores -------------------------------------------------------------------


def base_store(path: Path) -> Path:
    """Run the real pipeline once over the example and PolNeAR dev articles."""
    if path.exists():
        return path
    from reportedly.pipeline import run

    tmp = path.with_suffix(".tmp.duckdb")
    tmp.unlink(missing_ok=True)
    run([ROOT / "examples"], tmp, manifest=ROOT / "examples" / "manifest.csv", progress=False, link=False)
    polnear = SHARED / "polnear" / "dev" / "text"
    if polnear.is_dir():
        run([polnear], tmp, published="2016-10-15", progress=False, link=False)
    else:
        print(f"note: {polnear} not found; the base store holds the examples only", file=sys.stderr)
    from reportedly.link import relink
    from reportedly.store import Store

    with Store(tmp) as store:
        relink(store)
    tmp.rename(path)
    return path


# Columns of each replicated table that carry an id to make unique per copy,
# and date columns to shift. Everything else is copied as is.
_SUFFIX = "'~' || k"


def scaled_store(base: Path, path: Path, claims: int) -> tuple[Path, int]:
    """Replicate ``base`` by SQL until it holds at least ``claims`` claims."""
    con = duckdb.connect(str(base), read_only=True)
    n_base = con.execute("SELECT count(*) FROM claims").fetchall()[0][0]
    con.close()
    if n_base == 0:
        raise SystemExit("the base store holds no claims: is extraction working?")
    copies = -(-claims // n_base)
    if path.exists():
        return path, copies
    tmp = path.with_suffix(".tmp.duckdb")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    con.execute(f"ATTACH '{base}' AS base (READ_ONLY)")
    # Same schema (constraints included) as the base store.
    for (sql,) in con.execute(
        "SELECT sql FROM duckdb_tables() WHERE database_name = 'base' ORDER BY table_name"
    ).fetchall():
        con.execute(sql)
    for (sql,) in con.execute("SELECT sql FROM duckdb_views() WHERE database_name = 'base' AND NOT internal").fetchall():
        con.execute(sql)
    con.execute("INSERT INTO meta SELECT * FROM base.meta")
    con.execute("INSERT INTO link_meta SELECT * FROM base.link_meta")
    con.execute(f"CREATE TEMP TABLE copies AS SELECT range AS k FROM range({copies})")

    def shift(col: str) -> str:  # ISO text or DATE, moved k weeks; NULL and junk stay
        return (
            f"coalesce(strftime(TRY_CAST({col} AS DATE) + INTERVAL (k * 7) DAY, '%Y-%m-%d'), {col}::VARCHAR)"
        )

    con.execute(
        "INSERT INTO documents SELECT t.* REPLACE ("
        f"id || {_SUFFIX} AS id, path || {_SUFFIX} AS path, {shift('published')} AS published) "
        "FROM base.documents t, copies"
    )
    con.execute(
        "INSERT INTO claims SELECT t.* REPLACE ("
        f"id || {_SUFFIX} AS id, doc_id || {_SUFFIX} AS doc_id, "
        "TRY_CAST(" + shift("time_start") + " AS DATE) AS time_start, "
        "TRY_CAST(" + shift("time_end") + " AS DATE) AS time_end, "
        f"json_merge_patch(frame, json_object('id', id || {_SUFFIX}, 'doc_id', doc_id || {_SUFFIX}, "
        "'time', json_merge_patch(coalesce(frame->'time', '{}'), json_object("
        f"'start', {shift('time_start')}, 'end', {shift('time_end')})))) AS frame"
        ") FROM base.claims t, copies"
    )
    con.execute("INSERT INTO sources SELECT * REPLACE (n_claims * " + str(copies) + " AS n_claims, "
                f"n_documents * {copies} AS n_documents) FROM base.sources")
    con.execute("INSERT INTO series SELECT * REPLACE (claims * " + str(copies) + " AS claims) FROM base.series")
    con.execute(
        f"INSERT INTO series_claims SELECT t.* REPLACE (claim_id || {_SUFFIX} AS claim_id, "
        f"entry_id || {_SUFFIX} AS entry_id) FROM base.series_claims t, copies"
    )
    con.execute(
        "INSERT INTO series_entries SELECT t.* REPLACE ("
        f"entry_id || {_SUFFIX} AS entry_id, claim_id || {_SUFFIX} AS claim_id, doc_id || {_SUFFIX} AS doc_id, "
        f"{shift('time_start')} AS time_start, {shift('time_end')} AS time_end) FROM base.series_entries t, copies"
    )
    con.execute(
        "INSERT INTO derived_values SELECT t.* REPLACE ("
        f"id || {_SUFFIX} AS id, doc_id || {_SUFFIX} AS doc_id, list_transform(parts, lambda p: p || {_SUFFIX}) AS parts, "
        f"{shift('time_start')} AS time_start, {shift('time_end')} AS time_end) FROM base.derived_values t, copies"
    )
    con.execute(
        "INSERT INTO relations SELECT t.* REPLACE ("
        f"id || {_SUFFIX} AS id, claim_a || {_SUFFIX} AS claim_a, claim_b || {_SUFFIX} AS claim_b, "
        f"entry_a || {_SUFFIX} AS entry_a, entry_b || {_SUFFIX} AS entry_b) FROM base.relations t, copies"
    )
    con.execute(
        "INSERT INTO repost_groups SELECT t.* REPLACE (group_id || " + _SUFFIX + " AS group_id, "
        f"doc_id || {_SUFFIX} AS doc_id, original_doc_id || {_SUFFIX} AS original_doc_id) "
        "FROM base.repost_groups t, copies"
    )
    con.execute(f"INSERT INTO stories SELECT story_id || {_SUFFIX}, doc_id || {_SUFFIX} FROM base.stories t, copies")
    con.execute("DETACH base")
    con.execute("CHECKPOINT")
    con.close()
    tmp.rename(path)
    return path, copies


# -- workload -----------------------------------------------------------------


def workload(db: Path, seed: int = 7) -> dict[str, list[str]]:
    """Search and series URLs drawn from the store itself."""
    rng = random.Random(seed)
    con = duckdb.connect(str(db), read_only=True)
    words = [
        w for (w,) in con.execute(
            "SELECT w FROM (SELECT unnest(regexp_split_to_array(lower(sentence), '[^a-z]+')) AS w "
            "FROM claims USING SAMPLE 20000 ROWS) WHERE length(w) > 3 GROUP BY w ORDER BY count(*) DESC, w"
        ).fetchall()
    ]
    sources = [s for (s,) in con.execute("SELECT name FROM sources ORDER BY n_claims DESC LIMIT 50").fetchall()]
    biggest = [s for (s,) in con.execute("SELECT id FROM series ORDER BY claims DESC LIMIT 20").fetchall()]
    others = [s for (s,) in con.execute("SELECT id FROM series USING SAMPLE 200 ROWS").fetchall()]
    con.close()
    from urllib.parse import urlencode

    search: list[str] = []
    for i in range(600):
        # words from every frequency band: common ones match a large share of the corpus
        n = rng.choice((1, 1, 2, 3))
        picked = [words[min(len(words) - 1, int(rng.paretovariate(0.6)) - 1)] for _ in range(n)]
        params: dict[str, str] = {"q": " ".join(picked)}
        if i % 5 == 0 and sources:
            params["source"] = rng.choice(sources)
        if i % 7 == 0:
            params["time"] = str(rng.choice(range(2016, 2030)))
        search.append("/search?" + urlencode(params))
    series = [f"/series/{s}" for s in biggest] * 5 + [f"/series/{s}" for s in others]
    rng.shuffle(series)
    return {"search": search, "series": series}


async def _load(base: str, urls: dict[str, list[str]], clients: int, seconds: float) -> dict[str, Any]:
    import httpx

    results: dict[str, list[float]] = {k: [] for k in urls}
    errors: dict[str, list[str]] = {k: [] for k in urls}
    stop = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(i: int, http: httpx.AsyncClient) -> None:
        rng = random.Random(i)
        kinds = list(urls)
        n = i
        while time.monotonic() < stop:
            kind = kinds[n % len(kinds)]
            n += 1
            url = rng.choice(urls[kind])
            t0 = time.perf_counter()
            try:
                r = await http.get(url)
                if r.status_code != 200:
                    errors[kind].append(f"{r.status_code} {url}")
            except httpx.HTTPError as exc:
                errors[kind].append(f"{type(exc).__name__} {url}")
            results[kind].append(time.perf_counter() - t0)

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:
        await asyncio.gather(*(client(i, http) for i in range(clients)))
    return {"latencies": results, "errors": errors, "seconds": seconds}


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))] * 1000


# -- server -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve(db: Path) -> tuple[subprocess.Popen[bytes], str, float]:
    import httpx

    port = _free_port()
    cmd = [sys.executable, "-m", "reportedly", "serve", "--db", str(db), "--port", str(port)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    while True:
        if proc.poll() is not None:
            raise SystemExit("server exited: " + (proc.stderr.read().decode() if proc.stderr else ""))
        try:
            if httpx.get(base + "/index.json", timeout=5).status_code == 200:
                return proc, base, time.perf_counter() - t0
        except httpx.HTTPError:
            pass
        if time.perf_counter() - t0 > 600:
            proc.kill()
            raise SystemExit("server did not answer within 600 s")
        time.sleep(0.5)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--load-only", metavar="URL", help="internal: run the load against a running server")
    args = ap.parse_args()

    if args.load_only:
        urls = json.loads(sys.stdin.read())
        out = asyncio.run(_load(args.load_only, urls, args.clients, args.seconds))
        print(json.dumps(out))
        return

    OUT.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    base = base_store(OUT / "web_base.duckdb")
    t_base = time.perf_counter() - t0
    t0 = time.perf_counter()
    db, copies = scaled_store(base, OUT / f"web_{args.claims}.duckdb", args.claims)
    t_scale = time.perf_counter() - t0
    con = duckdb.connect(str(db), read_only=True)
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
              for t in ("documents", "claims", "series", "series_entries")}
    con.close()
    urls = workload(db)

    proc, url, startup = serve(db)
    cpu0, load0 = _cpu_seconds(proc.pid), os.getloadavg()[0]
    try:
        # the load runs in its own process, so client work never slows the server's interpreter
        load = subprocess.run(
            [sys.executable, __file__, "--load-only", url, "--clients", str(args.clients), "--seconds", str(args.seconds)],
            input=json.dumps(urls).encode(), capture_output=True, check=True,
        )
        rss = _rss_mib(proc.pid)
        cpu = _cpu_seconds(proc.pid) - cpu0
        load1 = os.getloadavg()[0]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    result = json.loads(load.stdout)

    print(f"store: {counts['claims']:,} claims ({copies} copies of the base), {counts['documents']:,} documents, "
          f"{counts['series']:,} series, {counts['series_entries']:,} series entries; base built in {t_base:.0f} s, "
          f"scaled in {t_scale:.0f} s")
    print(f"server: start-up to first answer {startup:.1f} s, RSS after the run {rss:,.0f} MiB; "
          f"{args.clients} closed-loop clients for {args.seconds:g} s on {os.cpu_count()} CPUs")
    n_requests = sum(len(v) for v in result["latencies"].values())
    print(f"server CPU: {cpu:.1f} s for {n_requests:,} requests = {cpu / max(1, n_requests) * 1000:.1f} ms per request "
          f"(all pages); machine load average {load0:.1f} before, {load1:.1f} after")
    print()
    print("| page | requests | errors | req/s | p50 ms | p95 ms | p99 ms | p95 target |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for kind, lat in result["latencies"].items():
        p95 = _pct(lat, 95)
        ok = "met" if p95 < TARGET_P95_MS and not result["errors"][kind] else "missed"
        print(f"| {kind} | {len(lat):,} | {len(result['errors'][kind])} | {len(lat) / args.seconds:,.1f} | "
              f"{_pct(lat, 50):,.0f} | {p95:,.0f} | {_pct(lat, 99):,.0f} | < {TARGET_P95_MS:.0f} ms: {ok} |")
    for kind, errs in result["errors"].items():
        for e in errs[:5]:
            print(f"error ({kind}): {e}")


if __name__ == "__main__":
    main()
