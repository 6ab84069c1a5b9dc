"""The bundled examples/ corpus tells the story the README's tour shows.

`make run` builds this ledger; the tour promises a conflicting figure, an
update and a killed-or-alive contradiction. A change in extraction or
linking that silently loses them (for instance a counted phrase that keeps
half of "Islamic State" and so lands in a series of its own) fails here.
"""

from __future__ import annotations

from pathlib import Path

from reportedly.extract import Extractor
from reportedly.ingest import iter_documents
from reportedly.ingest.manifest import Manifest
from reportedly.link import relink
from reportedly.store import Store
from reportedly.store.links import read_relations

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_examples_tell_the_story(nlp, tmp_path: Path) -> None:
    extractor = Extractor(nlp)
    docs = list(iter_documents([EXAMPLES], manifest=Manifest.load(EXAMPLES / "manifest.csv")))
    with Store(tmp_path / "examples.duckdb") as store:
        store.add_batch([(d, extractor.extract(d) if d.ok else []) for d in docs])
        summary = relink(store)
        relations = read_relations(store.connection, kinds=("conflict", "contradiction", "update"))
    conflicts = [r for r in relations if r["kind"] == "conflict"]
    assert any(
        "Pentagon" in r["reason"] and "Levant Conflict Monitor" in r["reason"] and ">30,000" in r["reason"]
        for r in conflicts
    ), [r["reason"] for r in conflicts]
    assert all("ISIS" in (r["series"] or "") and "Iraq and Syria" in (r["series"] or "") for r in conflicts)
    contradictions = [r for r in relations if r["kind"] == "contradiction"]
    assert any("alive" in r["reason"] and ("dead" in r["reason"] or "killed" in r["reason"]) for r in contradictions)
    assert summary.updates >= 1
