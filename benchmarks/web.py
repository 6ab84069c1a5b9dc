"""Web app under load: search and series pages at a million claims, 50 clients.

    .venv/bin/python benchmarks/web.py                     # 1,000,000 claims, 50 clients, 30 s, 1 then 2 workers
    .venv/bin/python benchmarks/web.py --cold --workers 1  # first start builds the read model (timed)
    .venv/bin/python benchmarks/web.py --claims 200000 --seconds 10 --clients 20 --client httpx

1. **Base store** (cached in ``benchmarks/out/web_base.duckdb``): the real
   pipeline (ingest, extraction, store, relink) over ``examples/`` and the
   PolNeAR dev texts from ``../shared/data`` when present.
2. **Scaled store** (``benchmarks/out/web_<N>.duckdb``): the base store's
   documents, claims and link tables replicated by SQL until there are N
   claims. Copy *k* gets new document, claim and entry ids and is moved *k*
   weeks later (publication date and reference times), so each series grows
   into a long timeline and search sees N distinct claims; the claim frames'
   ids are rewritten too, so every page of a copy works.
3. **Server**: ``reportedly serve --workers W`` on a free loopback port, in
   its own process, for each W of ``--workers``; start-up (opening the store
   and its read model, or building the model with ``--cold``) is timed until
   the first answer. Server CPU is summed over its process tree.
4. **Load**: a second process runs ``--clients`` clients in a closed loop
   (each sends its next request as soon as the last one is answered), 3 s of
   warm-up and then ``--seconds`` measured, alternating search pages and
   series pages. Searches are 2,000 distinct URLs from the store's own
   vocabulary (words at every frequency, entities, actors, places, sources;
   a third with a source, location, entity or year filter), series pages are
   every series (the 20 biggest weighted 4x), each client picking at random.
   The app has no page cache: every request computes its page. Latency is
   per request, client side, over the whole HTML page, which must arrive
   whole (status 200, ending in ``</html>``). The default client is a plain
   asyncio HTTP/1.1 one: httpx spends more CPU per page than the server,
   on the same two cores (``--client httpx`` shows it).

Prints the load on the machine, CPU per request of the server and of the
client, and one table: requests, errors, p50/p95/p99 and throughput per page
kind and worker count, beside the target (p95 < 300 ms, zero errors).
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


#: Distinct search URLs in the workload (every one differs from the others).
SEARCHES = 2000


def workload(db: Path, seed: int = 7) -> dict[str, list[str]]:
    """Search and series URLs drawn from the store itself, in random order.

    Searches: ``SEARCHES`` distinct queries built from the store's own
    vocabulary: words of its sentences at every frequency (a third of the
    picks are the commonest words, which match most of the corpus), entity
    and actor names, places and source names, some with a source, location,
    entity or year filter. Series: every series page, the twenty biggest
    three more times each.
    """
    rng = random.Random(seed)
    con = duckdb.connect(str(db), read_only=True)

    def column(sql: str) -> list[str]:
        return [str(v) for (v,) in con.execute(sql).fetchall() if v]

    words = column(
        "SELECT w FROM (SELECT unnest(regexp_split_to_array(lower(sentence), '[^a-z]+')) AS w "
        "FROM claims USING SAMPLE 20000 ROWS) WHERE length(w) > 3 GROUP BY w ORDER BY count(*) DESC, w"
    )
    entities = column("SELECT entity_lemma FROM claims WHERE entity_lemma IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC")
    actors = column("SELECT actor FROM claims WHERE actor IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC")
    places = column(
        "SELECT loc FROM (SELECT unnest(locations) AS loc FROM claims) WHERE loc IS NOT NULL "
        "GROUP BY 1 ORDER BY count(*) DESC"
    )
    sources = column("SELECT name FROM sources ORDER BY n_claims DESC, name")
    biggest = column("SELECT id FROM series ORDER BY claims DESC, id LIMIT 20")
    every_series = column("SELECT id FROM series ORDER BY id")
    con.close()
    from urllib.parse import urlencode

    def word() -> str:  # every frequency band: rank 0 a third of the time, a long tail
        return words[min(len(words) - 1, int(rng.paretovariate(0.6)) - 1)]

    def name(pool: list[str]) -> str:  # common names more often, rare ones too
        return pool[min(len(pool) - 1, int(rng.paretovariate(0.8)) - 1)]

    makers = [
        lambda: " ".join(word() for _ in range(rng.choice((1, 1, 2, 3)))),
        lambda: name(entities) + (" " + word() if rng.random() < 0.5 else ""),
        lambda: name(actors) if actors else word(),
        lambda: name(places) + (" " + word() if rng.random() < 0.5 else "") if places else word(),
        lambda: name(sources) if sources else word(),
    ]
    weights = (5, 2, 1, 1, 1)
    seen: set[str] = set()
    search: list[str] = []
    attempts = 0
    while len(search) < SEARCHES and attempts < SEARCHES * 50:
        attempts += 1
        params: dict[str, str] = {"q": rng.choices(makers, weights)[0]()}
        roll = rng.random()
        if roll < 0.15 and sources:
            params["source"] = name(sources)
        elif roll < 0.22 and places:
            params["location"] = name(places)
        elif roll < 0.27 and entities:
            params["entity"] = name(entities)
        elif roll < 0.40:
            params["time"] = str(rng.choice(range(2016, 2030)))
        url = "/search?" + urlencode(params)
        if url not in seen:
            seen.add(url)
            search.append(url)
    series = [f"/series/{s}" for s in every_series + biggest * 3]
    rng.shuffle(series)
    return {"search": search, "series": series}


class _Connection:
    """One keep-alive HTTP/1.1 connection on asyncio streams: the load's client.

    httpx costs 8-10 ms of CPU per 30-75 KB page on this machine (pure-Python
    parsing), more than the server it measures, and the two share the same
    cores. This client sends a plain GET and reads the status line, headers
    and a Content-Length or chunked body, checking each page arrived whole
    (status 200, ends with ``</html>``); ``--client httpx`` compares.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        if self._reader is None or self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        reader, writer = self._reader, self._writer
        try:
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept: text/html\r\n\r\n".encode())
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            status = int(head[0].split(" ", 2)[1])
            headers = {}
            for line in head[1:]:
                if line:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
            if "content-length" in headers:
                body = await reader.readexactly(int(headers["content-length"]))
            elif headers.get("transfer-encoding", "").lower() == "chunked":
                parts = []
                while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                    parts.append((await reader.readexactly(size + 2))[:-2])
                await reader.readuntil(b"\r\n")
                body = b"".join(parts)
            else:
                raise ValueError("response without Content-Length or chunked body")
            if headers.get("connection", "").lower() == "close":
                self.close()
            return status, body
        except BaseException:
            self.close()  # a half-read response leaves the connection unusable
            raise

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None


async def _load(base: str, urls: dict[str, list[str]], clients: int, seconds: float, kind_of_client: str) -> dict[str, Any]:
    results: dict[str, list[float]] = {k: [] for k in urls}
    errors: dict[str, list[str]] = {k: [] for k in urls}
    cpu0 = time.process_time()
    stop = time.monotonic() + seconds
    kinds = list(urls)

    async def one(i: int, get: Any) -> None:
        rng = random.Random(i)
        n = i
        while time.monotonic() < stop:
            kind = kinds[n % len(kinds)]
            n += 1
            url = rng.choice(urls[kind])
            t0 = time.perf_counter()
            try:
                async with asyncio.timeout(60):
                    status, body = await get(url)
                if status != 200:
                    errors[kind].append(f"{status} {url}")
                elif not body.rstrip().endswith(b"</html>"):
                    errors[kind].append(f"truncated page ({len(body)} bytes) {url}")
            except (OSError, ValueError, TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
                errors[kind].append(f"{type(exc).__name__} {url}")
            results[kind].append(time.perf_counter() - t0)

    if kind_of_client == "httpx":
        import httpx

        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:

            async def get_httpx(url: str) -> tuple[int, bytes]:
                try:
                    r = await http.get(url)
                except httpx.HTTPError as exc:
                    raise OSError(f"{type(exc).__name__}: {exc}") from exc
                return r.status_code, r.content

            await asyncio.gather(*(one(i, get_httpx) for i in range(clients)))
    else:
        host, port = base.removeprefix("http://").rsplit(":", 1)
        connections = [_Connection(host, int(port)) for _ in range(clients)]
        await asyncio.gather(*(one(i, connections[i].get) for i in range(clients)))
        for c in connections:
            c.close()
    return {"latencies": results, "errors": errors, "seconds": seconds, "client_cpu": time.process_time() - cpu0}


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
    """Resident memory of a process and its descendants (shared pages counted in each)."""
    total = 0.0
    for p in _tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:  # ended while we looked
            continue
    return total


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _tree(pid: int) -> list[int]:
    """``pid`` and its live descendants (the server's worker processes)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                children.setdefault(int(_stat(int(entry.name))[1]), []).append(int(entry.name))
            except OSError:  # the process ended while we looked
                continue
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its live descendants so far."""
    total = 0.0
    for p in _tree(pid):
        try:
            fields = _stat(p)
        except OSError:  # ended while we looked
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def serve(db: Path, workers: int, log: Path) -> tuple[subprocess.Popen[bytes], str, float]:
    import httpx

    port = _free_port()
    cmd = [sys.executable, "-m", "reportedly", "serve", "--db", str(db), "--port", str(port), "--workers", str(workers)]
    t0 = time.perf_counter()
    with log.open("wb") as err:  # a file, not a pipe nobody reads while the server runs
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
    base = f"http://127.0.0.1:{port}"
    while True:
        if proc.poll() is not None:
            raise SystemExit("server exited: " + log.read_text(errors="replace"))
        try:
            if httpx.get(base + "/index.json", timeout=5).status_code == 200:
                return proc, base, time.perf_counter() - t0
        except httpx.HTTPError:
            pass
        if time.perf_counter() - t0 > 600:
            proc.kill()
            raise SystemExit("server did not answer within 600 s")
        time.sleep(0.2)


def run_load(db: Path, urls: dict[str, list[str]], workers: int, args: argparse.Namespace) -> dict[str, Any]:
    """Start a server, drive it from a second process, stop it; what was measured."""
    log = OUT / f"web_serve_{workers}.log"
    proc, url, startup = serve(db, workers, log)
    try:
        # Warm-up outside the measurement: each worker's first pages touch
        # the memory-mapped read model, as any server that has run a while has.
        subprocess.run(
            [sys.executable, __file__, "--load-only", url, "--clients", str(args.clients), "--seconds", "3",
             "--client", args.client],
            input=json.dumps(urls).encode(), capture_output=True, check=True,
        )
        cpu0, load0 = _cpu_seconds(proc.pid), os.getloadavg()[0]
        # the load runs in its own process, so client work never slows the server's interpreter
        load = subprocess.run(
            [sys.executable, __file__, "--load-only", url, "--clients", str(args.clients), "--seconds", str(args.seconds),
             "--client", args.client],
            input=json.dumps(urls).encode(), capture_output=True, check=True,
        )
        rss = _rss_mib(proc.pid)
        cpu = _cpu_seconds(proc.pid) - cpu0
        load1 = os.getloadavg()[0]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    result = json.loads(load.stdout)
    notes = [line for line in log.read_text(errors="replace").splitlines() if line.startswith("Read model")]
    return {**result, "startup": startup, "rss": rss, "cpu": cpu, "load": (load0, load1), "notes": notes}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                    help="server processes; several values run one after the other, side by side in the table")
    ap.add_argument("--cold", action="store_true",
                    help="delete the store's read model first, so the first start-up includes building it")
    ap.add_argument("--client", choices=("raw", "httpx"), default="raw",
                    help="load client: plain asyncio HTTP/1.1 (default, light) or httpx (8-10 ms of CPU per page)")
    ap.add_argument("--load-only", metavar="URL", help="internal: run the load against a running server")
    args = ap.parse_args()

    if args.load_only:
        urls = json.loads(sys.stdin.read())
        out = asyncio.run(_load(args.load_only, urls, args.clients, args.seconds, args.client))
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
    if args.cold:
        import shutil

        shutil.rmtree(db.with_name(db.name + ".web"), ignore_errors=True)

    runs = {w: run_load(db, urls, w, args) for w in args.workers}

    print(f"store: {counts['claims']:,} claims ({copies} copies of the base), {counts['documents']:,} documents, "
          f"{counts['series']:,} series, {counts['series_entries']:,} series entries; base built in {t_base:.0f} s, "
          f"scaled in {t_scale:.0f} s")
    print(f"workload: {len(urls['search']):,} distinct search URLs, {len(set(urls['series'])):,} series pages; "
          f"{args.clients} closed-loop clients for {args.seconds:g} s (after a 3 s warm-up) on {os.cpu_count()} CPUs; "
          "no page cache")
    for workers, run in runs.items():
        n = sum(len(v) for v in run["latencies"].values())
        print(f"workers={workers}: start-up to first answer {run['startup']:.1f} s "
              f"({'; '.join(run['notes']) or 'no read-model note'}); RSS {run['rss']:,.0f} MiB (process tree, "
              f"mapped read model counted per process); server CPU {run['cpu'] / max(1, n) * 1000:.2f} ms per request, "
              f"load client ({args.client}) {run['client_cpu'] / max(1, n) * 1000:.2f} ms per request; "
              f"load average {run['load'][0]:.1f} before, {run['load'][1]:.1f} after")
    print()
    print("| page | workers | requests | errors | req/s | p50 ms | p95 ms | p99 ms | p95 target |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for kind in urls:
        for workers, run in runs.items():
            lat, errs = run["latencies"][kind], run["errors"][kind]
            p95 = _pct(lat, 95)
            ok = "met" if p95 < TARGET_P95_MS and not errs else "missed"
            print(f"| {kind} | {workers} | {len(lat):,} | {len(errs)} | {len(lat) / args.seconds:,.1f} | "
                  f"{_pct(lat, 50):,.0f} | {p95:,.0f} | {_pct(lat, 99):,.0f} | < {TARGET_P95_MS:.0f} ms: {ok} |")
    for workers, run in runs.items():
        for kind, errs in run["errors"].items():
            for e in errs[:5]:
                print(f"error (workers={workers}, {kind}): {e}")


if __name__ == "__main__":
    main()
