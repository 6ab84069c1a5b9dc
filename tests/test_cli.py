"""The ledger commands (run, claims, docs, export) on real files and a real store."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from reportedly.cli import app
from reportedly.cli import ledger as ledger_module
from reportedly.cli.ledger import CLAIM_CSV_FIELDS
from reportedly.types import Claim

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()

ARTICLES = {
    "harbour.txt": (
        "Harbour strike enters second week\n\n"
        "Union leaders told reporters on Monday that about 1,200 dock workers had joined the strike. "
        "The port authority said losses could reach $4 million a day.\n\n"
        "A spokeswoman for the shipping firms explained that ships were waiting offshore."
    ),
    "clinic.txt": (
        "New clinic opens in the valley\n\n"
        "According to the health board, the clinic will serve more than 8,000 patients a year. "
        "Doctors believe that waiting times will fall sharply."
    ),
}
DOC_KEYS = {"id", "path", "title", "author", "publisher", "published", "original_publisher", "repost",
            "status", "reason"}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> tuple[Path, Path, object]:
    """One real `reportedly run` over two articles and an empty file."""
    folder = tmp_path_factory.mktemp("in")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    db = folder.parent / "cli.duckdb"
    result = runner.invoke(app, ["run", str(folder), "--db", str(db), "--published", "2021-03-01", "--no-link"])
    return folder, db, result


def test_run_summary_and_exit_status(ledger):
    folder, db, result = ledger
    assert result.exit_code == 1, result.output  # one file could not be read
    assert "2 added" in result.stdout and "1 skipped" in result.stdout
    assert f"{folder / 'empty.txt'}: skipped: empty file" in result.stdout
    assert f"Store: {db}" in result.stdout and "reportedly claims --db" in result.stdout
    again = runner.invoke(app, ["run", str(folder / "harbour.txt"), str(folder / "clinic.txt"), "--db", str(db),
                                "--no-link", "--quiet"])
    assert again.exit_code == 0, again.output  # all readable: status 0
    assert "0 added" in again.stdout and "2 already stored" in again.stdout


def test_claims_formats(ledger):
    _, db, _ = ledger
    lines = runner.invoke(app, ["claims", "--db", str(db), "--format", "jsonl"]).stdout.splitlines()
    claims = [Claim.from_dict(json.loads(line)) for line in lines]
    assert claims and {c.kind for c in claims} == {"quantity", "statement"}
    first = json.loads(lines[0])
    assert {"id", "doc_id", "kind", "sentence", "start", "end", "source", "cue", "hedges", "time"} <= set(first)
    as_json = json.loads(runner.invoke(app, ["claims", "--db", str(db), "--format", "json"]).stdout)
    assert [c["id"] for c in as_json] == [c.id for c in claims]
    rows = list(csv.reader(io.StringIO(runner.invoke(app, ["claims", "--db", str(db), "-f", "csv"]).stdout)))
    assert tuple(rows[0]) == CLAIM_CSV_FIELDS and len(rows) == len(claims) + 1
    statements = runner.invoke(app, ["claims", "--db", str(db), "--kind", "statement", "-f", "jsonl"]).stdout
    assert statements and all(json.loads(x)["kind"] == "statement" for x in statements.splitlines())
    table = runner.invoke(app, ["claims", "--db", str(db), "--about", "dock", "--limit", "5"])
    assert table.exit_code == 0 and "1,200" in table.stdout
    none = runner.invoke(app, ["claims", "--db", str(db), "--about", "no such thing at all"])
    assert none.exit_code == 0 and "No claims match" in none.stderr


def test_tables_are_capped_other_formats_are_not(ledger, monkeypatch):
    _, db, _ = ledger
    monkeypatch.setattr(ledger_module, "TABLE_ROWS", 1)
    table = runner.invoke(app, ["claims", "--db", str(db)])
    assert "first 1 rows shown" in table.stderr
    assert table.stdout.count(" quantity ") + table.stdout.count(" statement ") == 1
    assert len(runner.invoke(app, ["claims", "--db", str(db), "-f", "jsonl"]).stdout.splitlines()) > 1


def test_jsonl_follows_the_published_schemas(ledger):
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is a test extra")
    _, db, _ = ledger
    schemas = ROOT / "reportedly" / "schema"
    for command, schema in (("claims", "claim"), ("docs", "document")):
        validator = jsonschema.Draft202012Validator(json.loads((schemas / f"{schema}.schema.json").read_text()))
        lines = runner.invoke(app, [command, "--db", str(db), "-f", "jsonl"]).stdout.splitlines()
        assert lines
        for line in lines:
            validator.validate(json.loads(line))


def test_docs_lists_status_and_reason(ledger):
    _, db, _ = ledger
    docs = [json.loads(x) for x in runner.invoke(app, ["docs", "--db", str(db), "-f", "jsonl"]).stdout.splitlines()]
    assert len(docs) == 3 and all(DOC_KEYS <= set(d) for d in docs)
    skipped = runner.invoke(app, ["docs", "--db", str(db), "--status", "skipped", "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(skipped.stdout)))
    assert [(Path(r["path"]).name, r["status"], r["reason"]) for r in rows] == [("empty.txt", "skipped", "empty file")]
    table = runner.invoke(app, ["docs", "--db", str(db)])
    assert table.exit_code == 0 and "Harbour strike" in table.stdout


def test_export(ledger, tmp_path):
    _, db, _ = ledger
    out = runner.invoke(app, ["export", "claims", "--db", str(db), "--to", str(tmp_path / "c.parquet")])
    assert out.exit_code == 0 and "Wrote" in out.stderr
    n = pq.read_table(tmp_path / "c.parquet").num_rows
    runner.invoke(app, ["export", "claims", "--db", str(db), "--to", str(tmp_path / "c.jsonl")])
    assert len((tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines()) == n > 0
    runner.invoke(app, ["export", "documents", "--db", str(db), "--to", str(tmp_path / "d.txt"), "-f", "csv"])
    assert len(list(csv.DictReader((tmp_path / "d.txt").open(encoding="utf-8")))) == 3
    bad = runner.invoke(app, ["export", "claims", "--db", str(db), "--to", str(tmp_path / "c.xml")])
    assert bad.exit_code == 2 and "--format" in bad.stderr


def test_errors_are_one_line_with_status_2(tmp_path):
    missing = runner.invoke(app, ["claims", "--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 2
    assert missing.stderr.strip().count("\n") == 0 and "no store here" in missing.stderr
    assert "Traceback" not in missing.output
    bad_date = runner.invoke(app, ["run", str(tmp_path), "--published", "last tuesday"])
    assert bad_date.exit_code == 2 and "ISO date" in bad_date.output
    assert runner.invoke(app, ["claims", "--kind", "opinion"]).exit_code == 2


def test_python_dash_m():
    done = subprocess.run([sys.executable, "-m", "reportedly", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0
    for command in ("run", "claims", "docs", "export"):
        assert command in done.stdout
