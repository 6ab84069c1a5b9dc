"""The PySpark job gives exactly the ledger `reportedly run` gives, on a WARC of the examples.

One local[2] SparkSession for the module (the JVM takes tens of seconds to
start); the job runs once and every test reads its output.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportedly.ingest.warc import write_warc
from reportedly.store import Store

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def warc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from test_warc import example_pages, junk_pages  # the same pages the WARC tests use

    folder = tmp_path_factory.mktemp("crawl")
    pages = example_pages()
    # Two files, so that the job has more than one task to spread.
    half = len(pages) // 2
    write_warc(folder / "a.warc.gz", pages[:half] + junk_pages()[:2])
    write_warc(folder / "b.warc.gz", pages[half:] + junk_pages()[2:])
    return folder


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark", reason="pyspark not installed (pip install 'reportedly[spark]')")
    from reportedly.spark import build_session

    session = build_session("local[2]", "reportedly-tests", {"spark.ui.enabled": "false"})
    yield session
    session.stop()


@pytest.fixture(scope="module")
def job_out(spark, warc: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from reportedly.spark import run_job

    out = tmp_path_factory.mktemp("spark") / "out"
    summary = run_job(spark, [warc], out)
    assert summary.files == 2 and summary.partitions == 2
    return out


@pytest.fixture(scope="module")
def local_db(warc: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from reportedly.pipeline import run

    db = tmp_path_factory.mktemp("run") / "run.duckdb"
    run([str(warc)], db)
    return db


def _parquet(out: Path, table: str) -> list[dict]:
    import pyarrow.parquet as pq

    return pq.read_table(out / table).to_pylist()


def _stored_claims(db: Path) -> dict[str, dict]:
    with Store(db, read_only=True) as store:
        return {c.id: c.to_dict() for c in store.iter_claims()}


def test_job_yields_exactly_the_claims_of_run(job_out: Path, local_db: Path) -> None:
    expected = _stored_claims(local_db)
    got = {row["id"]: json.loads(row["frame"]) for row in _parquet(job_out, "claims")}
    assert expected, "the examples should give claims"
    assert got.keys() == expected.keys()
    assert got == expected


def test_job_writes_documents_with_the_stores_columns(job_out: Path, local_db: Path) -> None:
    from reportedly.store.rows import CLAIM_ARROW, DOCUMENT_ARROW

    import pyarrow.parquet as pq

    assert pq.read_schema(next((job_out / "documents").glob("*.parquet"))).names == DOCUMENT_ARROW.names
    assert pq.read_schema(next((job_out / "claims").glob("*.parquet"))).names == CLAIM_ARROW.names
    docs = {row["id"]: row for row in _parquet(job_out, "documents")}
    with Store(local_db, read_only=True) as store:
        stored = {d.id: d for d in store.iter_documents()}
    assert docs.keys() == stored.keys()
    for doc_id, doc in stored.items():
        row = docs[doc_id]
        assert (row["status"], row["reason"], row["url"], row["published"], row["text"]) == (
            doc.status, doc.reason, doc.url, doc.published, doc.text
        )
    # Non-HTML responses (and pages ingest skips) travel as skipped documents with their reason.
    skipped = [row for row in docs.values() if row["status"] == "skipped"]
    assert len(skipped) >= 5 and all(row["reason"] for row in skipped)
    assert {row["reason"] for row in skipped} >= {"not HTML (image/png)", "empty payload"}


def test_import_gives_the_same_ledger_as_run(job_out: Path, local_db: Path, tmp_path: Path) -> None:
    from reportedly.spark.load import import_parquet

    db = tmp_path / "imported.duckdb"
    with Store(db) as store:
        summary = import_parquet(job_out, store, batch_size=3)
        again = import_parquet(job_out, store)
    assert summary.documents_added == summary.documents_read > 0
    assert again.documents_added == 0 and again.already_stored == summary.documents_read
    assert _stored_claims(db) == _stored_claims(local_db)
    with Store(db, read_only=True) as a, Store(local_db, read_only=True) as b:
        assert a.sources() == b.sources()


def test_import_command_loads_and_links(job_out: Path, local_db: Path, tmp_path: Path) -> None:
    from reportedly.cli import app

    db = tmp_path / "cli.duckdb"
    result = CliRunner().invoke(app, ["import", str(job_out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    with Store(db, read_only=True) as store:
        assert not store.links_stale  # linking ran on the imported ledger
        assert store.count_claims() == len(_stored_claims(local_db))


def test_import_refuses_a_folder_without_parquet(tmp_path: Path) -> None:
    from reportedly.cli import app

    result = CliRunner().invoke(app, ["import", str(tmp_path), "--db", str(tmp_path / "x.duckdb"), "--no-link"])
    assert result.exit_code == 1
    assert "no Parquet files" in result.output


def test_spark_command_without_pyspark_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import importlib.util

    from reportedly.cli import app

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyspark" else real(name, *a))
    result = CliRunner().invoke(app, ["spark", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "pip install 'reportedly[spark]'" in result.output


def test_module_entry_point_for_spark_submit() -> None:
    # `spark-submit reportedly/spark/__main__.py ...` runs this same file.
    done = subprocess.run(
        [sys.executable, "-m", "reportedly.spark", "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0
    assert "--master" in done.stdout and "--out" in done.stdout
