"""The link tables in a real DuckDB store, and the series/conflicts/timeline commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from link_frames import seed_corpus
from reportedly.cli import app
from reportedly.link import relink
from reportedly.store import Store
from reportedly.store.links import read_relations, read_series, read_timeline


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("links") / "ledger.duckdb"
    docs, claims = seed_corpus()
    by_doc = {d.id: [c for c in claims if c.doc_id == d.id] for d in docs}
    with Store(path) as store:
        store.add_batch([(d, by_doc[d.id]) for d in docs])
        summary = relink(store)
        again = relink(store)  # replaces, never adds
    assert summary.series == again.series and summary.conflicts == again.conflicts == 1
    assert summary.contradictions == 1 and summary.derived == 1 and summary.repost_groups == 1
    return path


def test_tables_round_trip(db: Path) -> None:
    with Store(db, read_only=True) as store:
        rows = read_series(store.connection, about="iraq and syria")
        assert [r["label"] for r in rows] == ["militants/fighters, ISIS, Iraq and Syria"]
        assert len(rows[0]["claims"]) == 3  # 15,000, 19,000-25,000 and its reposted copy
        assert rows[0]["derived"][0]["value"] == 11000
        kinds = sorted(r["kind"] for r in read_relations(store.connection))
        assert kinds == ["conflict", "contradiction"]
        tl = read_timeline(store.connection, rows[0]["id"][:6])
        assert sorted(e["role"] for e in tl["entries"]) == ["previous", "reported", "reported"]
        assert [e["time_start"] or e["time_end"] for e in tl["entries"]] == ["2016-06-01", "2016-07-31", "2016-08-01"]
        assert store.connection.execute("SELECT count(*) FROM conflicts").fetchone()[0] == 2


def test_cli_series_conflicts_timeline(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["series", "--about", "syria", "--db", str(db), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    target = next(r for r in rows if r["label"].endswith("ISIS, Iraq and Syria"))
    assert {"id", "label", "claims", "derived"} <= set(target)
    res = runner.invoke(app, ["conflicts", "--db", str(db), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    got = [json.loads(line) for line in res.stdout.splitlines()]
    assert {g["kind"] for g in got} == {"conflict", "contradiction"} and all(g["a"] and g["b"] and g["reason"] for g in got)
    res = runner.invoke(app, ["timeline", target["id"], "--db", str(db)], env={"COLUMNS": "220"})
    assert res.exit_code == 0, res.output
    assert "19,000-25,000" in res.stdout and "derived" in res.stdout
    res = runner.invoke(app, ["timeline", target["id"], "--db", str(db), "--format", "json"])
    data = json.loads(res.stdout)
    assert data["derived"][0]["parts"] and {e["entry_id"] for e in data["entries"]} >= set(target["claims"][:1])
    svg = tmp_path / "t.svg"
    res = runner.invoke(app, ["timeline", target["id"], "--db", str(db), "--format", "svg", "--out", str(svg)])
    assert res.exit_code == 0, res.output
    assert svg.read_text().lstrip().startswith("<?xml") and "derived" in svg.read_text()
    res = runner.invoke(app, ["timeline", "no-such-series", "--db", str(db)])
    assert res.exit_code == 2
