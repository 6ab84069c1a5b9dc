"""End to end on the real seed articles: ingest, extract, store, relink.

The acceptance of issue 5: one series "militants/fighters, ISIS, Iraq and
Syria" holding more than 30,000 (earlier), 19,000-25,000 (August 2016),
15,000 (summer 2016) and the derived 11,000 (July 2017); 15,000 vs
19,000-25,000 a conflict; killed vs alive a contradiction; the Rudaw
repost recorded with its original publisher.
"""

from __future__ import annotations

import json
from pathlib import Path

from reportedly.extract import Extractor
from reportedly.ingest import iter_documents
from reportedly.ingest.manifest import Manifest
from reportedly.link import relink
from reportedly.store import Store
from reportedly.store.links import read_relations, read_series, read_timeline


def test_seeds_end_to_end(seeds: Path, nlp, tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    names = sorted(p.name for p in seeds.glob("*.txt"))
    dates = {n: d for n, d in zip(names, ("2017-07-20", "2016-08-20")) if n.startswith(("000", "003"))}
    manifest.write_text(json.dumps({n: {"published": d} for n, d in dates.items()}), encoding="utf-8")
    extractor = Extractor(nlp)
    docs = list(iter_documents([seeds], manifest=Manifest.load(manifest)))
    with Store(tmp_path / "seeds.duckdb") as store:
        store.add_batch([(d, extractor.extract(d) if d.ok else []) for d in docs])
        summary = relink(store)
        conn = store.connection
        found = [s for s in read_series(conn) if s["label"] == "militants/fighters, ISIS, Iraq and Syria"]
        assert len(found) == 1, [s["label"] for s in read_series(conn)]
        tl = read_timeline(conn, found[0]["id"])
        figures = {(e["role"], e["low"], e["high"], e["bound"]) for e in tl["entries"]}
        assert ("previous", 30000, 30000, ">") in figures
        assert ("reported", 19000, 25000, "=") in figures
        assert ("reported", 15000, 15000, "=") in figures
        by_low = {e["low"]: e for e in tl["entries"]}
        assert by_low[19000]["time_start"].startswith("2016-08")
        assert by_low[15000]["time_start"] <= "2016-08-31" and by_low[15000]["time_end"] >= "2016-08-01"
        assert [(d["value"], d["time_start"][:7]) for d in tl["derived"]] == [(11000, "2017-07")]
        relations = read_relations(conn)
        conflict = [r for r in relations if r["kind"] == "conflict"]
        assert {conflict[0]["a"], conflict[0]["b"]} == {by_low[15000]["claim_id"], by_low[19000]["claim_id"]}
        contra = [r for r in relations if r["kind"] == "contradiction"]
        assert len(contra) == 1 and "baghdadi" in contra[0]["reason"]
        reposts = conn.execute("SELECT DISTINCT original_publisher FROM repost_groups").fetchall()
        assert reposts == [("Rudaw",)]
    assert summary.series >= 1
