"""The DuckDB ledger, on real files in tmp_path, with hand-built frames."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from reportedly.errors import NotFound, SchemaMismatch, StoreError
from reportedly.store import Store
from reportedly.types import Change, Claim, Document, Quantity, Source, TimeRef, claim_id, content_id

TEXT_A = (
    "Three Iraqi officials told The AP that about 4,000 fighters remain in Iraq. "
    "The Pentagon said the number fell to 15,000, down from more than 30,000."
)
TEXT_B = "Officials said he is alive. Experts believe the group will return."


def make_doc(text: str, path: str, **kw: object) -> Document:
    return Document(id=content_id(text), path=path, text=text, **kw)  # type: ignore[arg-type]


def quantity_claim(doc: Document, start: int, end: int, value: float, entity: str, **kw: object) -> Claim:
    sentence_end = doc.text.index(".", end) + 1
    sentence_start = doc.text.rfind(". ", 0, start) + 2 if doc.text.rfind(". ", 0, start) >= 0 else 0
    return Claim(
        id=claim_id(doc.id, "quantity", start, end),
        doc_id=doc.id,
        kind="quantity",
        sentence=doc.text[sentence_start:sentence_end],
        sentence_start=sentence_start,
        sentence_end=sentence_end,
        start=start,
        end=end,
        quantity=Quantity(
            text=doc.text[start:end], start=start, end=end, value=value, low=value, high=value,
            entity=entity, entity_lemma=entity.rstrip("s"), **kw,  # type: ignore[arg-type]
        ),
    )


@pytest.fixture
def docs() -> tuple[Document, Document]:
    return (
        make_doc(TEXT_A, "a.txt", title="A", published="2017-07-20", author="Alissa"),
        make_doc(TEXT_B, "b.txt", title="B", published="2016-08-20", original_publisher="Rudaw", repost=True),
    )


@pytest.fixture
def claims_a(docs: tuple[Document, Document]) -> list[Claim]:
    a = docs[0]
    s = a.text.index("about 4,000")
    first = quantity_claim(a, s, s + len("about 4,000 fighters"), 4000, "fighters", bound="~",
                           actor="ISIS", locations=["Iraq"])
    first.source = Source(text="Three Iraqi officials", name="Iraqi officials", kind="person",
                          anonymous=True, count=3, via=["The Associated Press"])
    first.cue = "told"
    first.hedges = ["about"]
    first.time = TimeRef(text=None, start="2017-07-20", end="2017-07-20", anchor="published")
    s2 = a.text.index("15,000")
    second = quantity_claim(a, s2, s2 + 6, 15000, "militants", locations=["Iraq", "Syria"],
                            change=Change(direction="down", previous_low=30000, previous_bound=">"))
    second.source = Source(text="The Pentagon", name="Pentagon", kind="organisation")
    second.cue = "said"
    second.time = TimeRef(text="last summer", start="2016-06-01", end="2016-08-31", anchor="text")
    return [first, second]


@pytest.fixture
def claims_b(docs: tuple[Document, Document]) -> list[Claim]:
    b = docs[1]
    start = b.text.index("he is alive")
    return [
        Claim(
            id=claim_id(b.id, "statement", start, start + 11), doc_id=b.id, kind="statement",
            sentence="Officials said he is alive.", sentence_start=0, sentence_end=27,
            start=start, end=start + 11, content="he is alive", content_start=start,
            content_end=start + 11, cue="said",
            source=Source(text="Officials", name="officials", kind="unnamed", anonymous=True),
        )
    ]


def fill(path: Path, docs, claims_a, claims_b) -> Store:
    store = Store(path)
    store.add_batch([(docs[0], claims_a), (docs[1], claims_b)])
    return store


def test_round_trip_is_lossless(tmp_path, docs, claims_a, claims_b):
    with fill(tmp_path / "l.duckdb", docs, claims_a, claims_b) as store:
        assert store.count_documents() == 2 and store.count_claims() == 3
        for claim in claims_a + claims_b:
            assert store.claim(claim.id) == claim
        assert store.document(docs[0].id) == docs[0]
        assert store.document(docs[1].id).original_publisher == "Rudaw"
        # Flattened columns carry the frame's fields for SQL users.
        row = store.connection.execute(
            'SELECT source_name, via, hedges, value, bound, locations, change_direction, time_start, "end" '
            "FROM claims WHERE id = ?", [claims_a[0].id]).fetchone()
        assert row[:7] == ("Iraqi officials", ["The Associated Press"], ["about"], 4000.0, "~", ["Iraq"], None)
        assert str(row[7]) == "2017-07-20" and row[8] == claims_a[0].end


def test_links_stale_until_marked(tmp_path, docs, claims_a, claims_b):
    with Store(tmp_path / "l.duckdb") as store:
        assert not store.links_stale
        store.add_batch([(docs[0], claims_a)])
        assert store.links_stale
        store.mark_linked()
        assert not store.links_stale
        store.add_batch([(docs[0], claims_a)])  # nothing new: links still current
        assert not store.links_stale
        store.add_batch([(docs[1], claims_b)])
        assert store.links_stale


def test_reopen_and_schema_version(tmp_path, docs, claims_a, claims_b):
    path = tmp_path / "l.duckdb"
    fill(path, docs, claims_a, claims_b).close()
    with Store(path, read_only=True) as store:
        assert store.count_claims() == 3
        with pytest.raises(StoreError):
            store.add_batch([(docs[0], [])])
    conn = duckdb.connect(str(path))
    conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    conn.close()
    with pytest.raises(SchemaMismatch, match="999"):
        Store(path)


def test_refuses_foreign_database_and_missing_file(tmp_path):
    foreign = tmp_path / "other.duckdb"
    conn = duckdb.connect(str(foreign))
    conn.execute("CREATE TABLE t (x INTEGER)")
    conn.close()
    with pytest.raises(SchemaMismatch, match="not a reportedly store"):
        Store(foreign)
    with pytest.raises(StoreError, match="no store here"):
        Store(tmp_path / "missing.duckdb", read_only=True)


def test_idempotent_and_replaces_failed(tmp_path, docs, claims_a, claims_b):
    with fill(tmp_path / "l.duckdb", docs, claims_a, claims_b) as store:
        again = store.add_batch([(docs[0], claims_a), (docs[1], claims_b)])
        assert again.added == [] and sorted(again.already_stored) == sorted(d.id for d in docs)
        assert store.count_claims() == 3
        # A duplicate inside one batch is stored once.
        text = "A third article says 12 people were counted in the town square today."
        third = make_doc(text, "c.txt")
        res = store.add_batch([(third, []), (make_doc(text, "copy/c.txt"), [])])
        assert res.added == [third.id] and res.already_stored == [third.id]
        # Failed earlier, ok now: replaced. Failed again: left alone.
        broken = Document(id="f" * 16, path="x.html", status="failed", reason="boom")
        store.add_batch([(broken, [])])
        store.add_batch([(Document(id="f" * 16, path="x.html", status="failed", reason="other"), [])])
        assert store.document("f" * 16).reason == "boom"
        fixed = Document(id="f" * 16, path="x.html", text="fixed text")
        res = store.add_batch([(fixed, [])])
        assert res.replaced == ["f" * 16] and store.document("f" * 16).status == "ok"
        assert store.count_documents() == 4 and store.count_documents("failed") == 0


def test_batch_is_one_transaction(tmp_path, docs, claims_a, claims_b):
    with Store(tmp_path / "l.duckdb") as store:
        bad = Claim.from_dict(claims_b[0].to_dict())
        bad.time = TimeRef(text="x", start="not a date")  # tolerated: TRY_CAST to NULL
        clash = Claim.from_dict(claims_a[0].to_dict())
        clash.sentence_start = 2**40  # overflows INTEGER: the whole batch must roll back
        with pytest.raises(ValueError):  # pyarrow's ArrowInvalid, raised inside the transaction
            store.add_batch([(docs[0], [clash]), (docs[1], [bad])])
        assert store.count_documents() == 0 and store.count_claims() == 0 and store.count_sources() == 0
        store.add_batch([(docs[1], [bad])])
        assert store.claim(bad.id).time.start == "not a date"


def test_queries(tmp_path, docs, claims_a, claims_b):
    with fill(tmp_path / "l.duckdb", docs, claims_a, claims_b) as store:
        ids = lambda cs: [c.id for c in cs]  # noqa: E731
        assert ids(store.claims(about="FIGHTER")) == [claims_a[0].id]
        assert ids(store.claims(about="syria")) == [claims_a[1].id]  # locations
        assert ids(store.claims(about="alive")) == [claims_b[0].id]  # content
        assert ids(store.claims(source="associated press")) == [claims_a[0].id]  # via
        assert ids(store.claims(source="pentagon", about="militant")) == [claims_a[1].id]
        assert ids(store.claims(kind="statement")) == [claims_b[0].id]
        assert len(store.claims(doc_id=docs[0].id)) == 2
        # Reading order: the 2016 article first, then 2017 by position.
        assert ids(store.claims()) == [claims_b[0].id, claims_a[0].id, claims_a[1].id]
        assert len(store.claims(limit=1)) == 1
        assert store.claims(about="nothing like this") == []
        assert [d.path for d in store.documents()] == ["a.txt", "b.txt"]
        assert store.documents(status="failed") == []
        with pytest.raises(NotFound):
            store.claim("nope")
        with pytest.raises(NotFound):
            store.document("nope")
        sources = {s["name"]: s for s in store.sources()}
        assert sources["Pentagon"]["n_claims"] == 1 and sources["Iraqi officials"]["anonymous"] is True
        assert sources["officials"]["kind"] == "unnamed"


def test_exports_read_back(tmp_path, docs, claims_a, claims_b):
    with fill(tmp_path / "l.duckdb", docs, claims_a, claims_b) as store:
        n = store.export("claims", tmp_path / "c.jsonl", "jsonl")
        lines = (tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines()
        assert n == 3 and {Claim.from_dict(json.loads(x)).id for x in lines} == {c.id for c in claims_a + claims_b}
        assert store.export("documents", tmp_path / "d.jsonl", "jsonl") == 2
        first = json.loads((tmp_path / "d.jsonl").read_text().splitlines()[0])
        assert first["author"] == "Alissa" and first["n_claims"] == 2
        assert store.export("claims", tmp_path / "c.parquet", "parquet") == 3
        table = pq.read_table(tmp_path / "c.parquet")
        assert table.num_rows == 3 and "frame" in table.column_names and "locations" in table.column_names
        assert store.export("documents", tmp_path / "out dir/it's.csv", "csv") == 2
        with (tmp_path / "out dir/it's.csv").open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        assert [r["path"] for r in rows] == ["a.txt", "b.txt"] and rows[1]["repost"] == "true"
        with pytest.raises(StoreError):
            store.export("claims", tmp_path / "x.xml", "xml")  # type: ignore[arg-type]


def _setting(store: Store, name: str) -> str:
    return str(store.connection.execute(f"SELECT current_setting('{name}')").fetchone()[0])


def test_bounded_writes_survive_a_batch_bigger_than_the_cap(tmp_path):
    """A 40 MB batch under a 16 MB write cache, then small batches: every batch commits.

    DuckDB keeps committed rows in memory until a checkpoint; a checkpoint
    run under a cap too small for them invalidates the database, so the store
    must checkpoint with the cap lifted.
    """
    path = tmp_path / "bounded.duckdb"
    big = [make_doc(f"Article {i}. " + "Officials said the count rose. " * 33_000, f"big{i}.txt") for i in range(40)]
    small = [make_doc(f"Note {i}: officials said 40 fighters remain.", f"s{i}.txt") for i in range(30)]
    with Store(path) as store:
        default_limit = _setting(store, "memory_limit")
        with store.bounded_writes(cache_bytes=16 * 1024 * 1024):
            assert _setting(store, "max_vacuum_tasks") == "0"
            store.add_batch([(d, []) for d in big])
            capped = _setting(store, "memory_limit")
            for i in range(0, len(small), 10):
                store.add_batch([(d, []) for d in small[i : i + 10]])
            assert _setting(store, "memory_limit") != capped  # each batch sets its own cap
        assert _setting(store, "memory_limit") == default_limit
        assert _setting(store, "max_vacuum_tasks") != "0"
    with Store(path, read_only=True) as store:
        assert store.connection.execute("SELECT count(*) FROM documents").fetchone()[0] == 70


def test_bounded_writes_retry_a_batch_the_cap_cannot_hold(tmp_path):
    """A cap far too small for DuckDB to insert at all: each batch is written again without it."""
    path = tmp_path / "tiny.duckdb"
    docs = [make_doc(f"Report {i}: officials said {i} fighters remain. " * 200, f"r{i}.txt") for i in range(40)]
    with Store(path) as store:
        with store.bounded_writes(cache_bytes=1):
            for i in range(0, len(docs), 10):
                result = store.add_batch([(d, []) for d in docs[i : i + 10]])
                assert len(result.added) == 10
        assert store.connection.execute("SELECT count(*) FROM documents").fetchone()[0] == 40


def _sources_rows(store: Store) -> list[tuple]:
    return [tuple(s.values()) for s in store.sources()]


def test_bounded_writes_rebuild_sources_once_at_the_end(tmp_path, docs, claims_a, claims_b):
    """Inside a run the batches only mark ``sources`` stale; leaving rebuilds it,
    to exactly the rows that refreshing after every batch gives."""
    with fill(tmp_path / "each.duckdb", docs, claims_a, claims_b) as store:
        expected = _sources_rows(store)
        assert not store.sources_stale
    assert expected, "the claims name sources"
    with Store(tmp_path / "run.duckdb") as store:
        with store.bounded_writes():
            store.add_batch([(docs[0], claims_a)])
            store.add_batch([(docs[1], claims_b)])
            assert store.sources_stale and store.count_sources() == 0
        assert not store.sources_stale
        assert _sources_rows(store) == expected


def test_sources_of_a_run_killed_before_its_rebuild(tmp_path, docs, claims_a, claims_b):
    """A run stopped between its committed batches and the rebuild (kill -9):
    a reader sees sources derived live, the next writer rebuilds the table."""
    with fill(tmp_path / "each.duckdb", docs, claims_a, claims_b) as store:
        expected = _sources_rows(store)
    path = tmp_path / "killed.duckdb"
    store = Store(path)
    writes = store.bounded_writes()
    writes.__enter__()  # never left: the process dies with the run
    store.add_batch([(docs[0], claims_a), (docs[1], claims_b)])
    store.close()
    with Store(path, read_only=True) as reader:
        assert reader.sources_stale
        assert _sources_rows(reader) == expected and reader.count_sources() == len(expected)
        assert reader.connection.execute("SELECT count(*) FROM sources").fetchone()[0] == 0  # the stale table
        assert reader.export("sources", tmp_path / "s.csv", "csv") == len(expected)
    with Store(path) as writer:
        assert not writer.sources_stale
        assert writer.connection.execute("SELECT count(*) FROM sources").fetchone()[0] == len(expected)
        assert _sources_rows(writer) == expected


class _LookupOutOfMemoryOnce:
    """A connection whose first id lookup runs out of memory, as one did under
    a 4 MiB write cap at 960 articles (DuckDB holds the cap's blocks pinned)."""

    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self.conn, self.failed, self.limits = conn, False, []

    def execute(self, sql: str, *args: object) -> duckdb.DuckDBPyConnection:
        if sql.startswith("SELECT id, status") and not self.failed:
            self.failed = True
            raise duckdb.OutOfMemoryException("could not allocate block of size 256.0 KiB")
        if "memory_limit" in sql:
            self.limits.append(sql)
        return self.conn.execute(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self.conn, name)


def test_lookup_under_the_write_cap_retries_without_it(tmp_path, docs, claims_a):
    with Store(tmp_path / "l.duckdb") as store, store.bounded_writes(cache_bytes=1):
        store.add_batch([(docs[0], claims_a)])
        real, store._conn = store._conn, _LookupOutOfMemoryOnce(store._conn)  # type: ignore[assignment]
        try:
            assert store.stored_status([d.id for d in docs]) == {docs[0].id: "ok"}
            assert store._conn.failed and store._conn.limits == ["RESET memory_limit"]
            store.add_batch([(docs[1], [])])  # and the next batch sets its own cap
            assert any(sql.startswith("SET memory_limit") for sql in store._conn.limits[1:])
        finally:
            store._conn = real
    with Store(tmp_path / "plain.duckdb") as store:  # no cap to lift: the error is the caller's
        store._conn = _LookupOutOfMemoryOnce(store._conn)  # type: ignore[assignment]
        with pytest.raises(duckdb.OutOfMemoryException):
            store.stored_status([docs[0].id])
        store._conn = store._conn.conn


def test_an_error_inside_the_writes_still_rebuilds_sources(tmp_path, docs, claims_a):
    with fill(tmp_path / "each.duckdb", docs, claims_a, []) as store:
        expected = _sources_rows(store)
    with Store(tmp_path / "stopped.duckdb") as store:
        with pytest.raises(KeyboardInterrupt), store.bounded_writes():
            store.add_batch([(docs[0], claims_a)])
            raise KeyboardInterrupt
        assert not store.sources_stale and _sources_rows(store) == expected
