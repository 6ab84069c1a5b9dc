"""ingest -> extract -> store end to end, on real files with the real model."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportedly import pipeline
from reportedly.pipeline import run
from test_warc import EXAMPLES
from reportedly.store import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def extractor():
    """The pipeline's own default Extractor, loaded once for this module.

    Not built on the session ``nlp`` fixture: worker processes build the
    default Extractor, and the claims of both paths must be comparable.
    """
    from reportedly.extract import Extractor

    return Extractor()

GOOD = {
    "river.txt": (
        "Flood waters rise along the river\n\n"
        "Regional officials told reporters on Monday that about 2,000 residents had been evacuated "
        "from low-lying villages. The agency said the number could rise to 5,000 by Friday.\n\n"
        "A spokesman for the fire service explained that crews were working through the night."
    ),
    "budget.txt": (
        "City council approves budget\n\n"
        "The city council approved a budget of $3.2 million for road repairs, the mayor said. "
        "Critics claimed that more than 40 percent of the money would go to a single contractor.\n\n"
        "The finance director stated that the plan was balanced."
    ),
    "school.txt": (
        "School enrolment falls again\n\n"
        "According to the education ministry, enrolment fell to 12,500 pupils this year, down from "
        "14,000 last year. Teachers believe that rising rents are pushing families out of the district."
    ),
}


def write_good(folder: Path, names: dict[str, str] = GOOD) -> None:
    for name, text in names.items():
        (folder / name).write_text(text, encoding="utf-8")


def write_bad(folder: Path) -> dict[str, str]:
    """One file of each kind of bad input; returns {file name: what it is}."""
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (folder / "empty.txt").write_bytes(b"")
    with (folder / "huge.txt").open("wb") as fh:  # 50 MB, written sparse in no time
        fh.truncate(50 * 1024 * 1024)
    (folder / "latin1.txt").write_bytes(
        (
            "Caf\u00e9 owners protest new rules\n\n"
            "The association of caf\u00e9 owners said that about 300 members would close on Tuesday "
            "in protest. Its president, Ren\u00e9 Dupr\u00e9, told journalists the rules were unfair."
        ).encode("latin-1")
    )
    (folder / "broken.html").write_text("<html><head><title>Br</title><body><div><p>Tr<", encoding="utf-8")
    (folder / "french.txt").write_text(
        "Les inondations touchent la r\u00e9gion\n\n"
        "Selon les autorit\u00e9s r\u00e9gionales, environ 2 000 habitants ont \u00e9t\u00e9 \u00e9vacu\u00e9s "
        "lundi. Le porte-parole des pompiers a expliqu\u00e9 que les \u00e9quipes travaillaient toute "
        "la nuit pour prot\u00e9ger les villages situ\u00e9s au bord de la rivi\u00e8re.",
        encoding="utf-8",
    )
    return {
        "image.txt": "binary",
        "empty.txt": "empty",
        "huge.txt": "too large",
        "latin1.txt": "latin-1",
        "broken.html": "broken html",
        "french.txt": "french",
    }


def test_bad_input_gets_reasons_and_good_input_is_processed(tmp_path, extractor):
    data = tmp_path / "in"
    data.mkdir()
    write_good(data)
    bad = write_bad(data)
    db = tmp_path / "l.duckdb"
    summary = run([data], db, published="2017-07-20", progress=False, link=False, extractor=extractor)
    problems = {Path(p.path).name: p for p in summary.problems}
    # Every bad file but the Latin-1 one (a readable English article) is refused
    # with a one-line reason; the good ones are processed.
    for name in set(bad) - {"latin1.txt"}:
        assert name in problems, f"{name} not reported"
        assert problems[name].reason and "\n" not in problems[name].reason
    assert "latin1.txt" not in problems
    assert summary.added == len(GOOD) + 1
    assert summary.skipped + summary.failed == len(bad) - 1 == len(summary.problems)
    assert not summary.ok and summary.claims_added > 0
    with Store(db, read_only=True) as store:
        by_name = {Path(d.path).name: d for d in store.documents()}
        assert set(by_name) == set(GOOD) | set(bad)
        for name, problem in problems.items():
            assert by_name[name].status == problem.status and by_name[name].reason == problem.reason
        latin = by_name["latin1.txt"]
        assert "Ren\u00e9 Dupr\u00e9" in latin.text  # decoded, not mojibake
        assert store.count_claims() == summary.claims_added
        assert all(store.claims(doc_id=by_name[name].id) for name in GOOD)

    # Running again adds nothing and still reports the bad input.
    again = run([data], db, published="2017-07-20", progress=False, link=False, extractor=extractor)
    assert (again.added, again.claims_added) == (0, 0)
    assert again.already_stored == len(GOOD) + 1
    assert {Path(p.path).name for p in again.problems} == set(problems)
    with Store(db, read_only=True) as store:
        assert store.count_claims() == summary.claims_added


def test_same_article_from_two_paths_is_stored_once(tmp_path, extractor):
    data = tmp_path / "in"
    (data / "copy").mkdir(parents=True)
    write_good(data)
    (data / "copy" / "river.txt").write_text(GOOD["river.txt"] + "\n", encoding="utf-8")
    summary = run([data], tmp_path / "l.duckdb", progress=False, extractor=extractor)
    assert summary.seen == len(GOOD) + 1
    assert (summary.added, summary.already_stored) == (len(GOOD), 1)
    assert summary.ok and summary.linked  # links built after a run that added documents
    again = run([data], tmp_path / "l.duckdb", progress=False, extractor=extractor)
    assert again.added == 0 and not again.linked  # nothing changed: no relinking


def test_two_workers_give_the_same_claims(tmp_path, extractor, monkeypatch):
    data = tmp_path / "in"
    data.mkdir()
    write_good(data)
    one = run([data], tmp_path / "one.duckdb", published="2017-07-20", progress=False, link=False, extractor=extractor)
    two = run([data], tmp_path / "two.duckdb", published="2017-07-20", workers=2, batch_size=2,
              progress=False, link=False)
    assert (one.added, one.claims_added) == (two.added, two.claims_added) == (len(GOOD), one.claims_added)
    with Store(tmp_path / "one.duckdb", read_only=True) as a, Store(tmp_path / "two.duckdb", read_only=True) as b:
        assert [c.to_dict() for c in a.claims()] == [c.to_dict() for c in b.claims()]

    # A rerun has nothing to extract, so it starts no worker process at all.
    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a process pool was started for stored input")

    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", no_pool)
    again = run([data], tmp_path / "two.duckdb", workers=2, progress=False, link=False)
    assert (again.added, again.already_stored) == (0, len(GOOD))


def _articles(folder: Path, n: int) -> None:
    """``n`` distinct short articles (distinct text, so distinct ids)."""
    places = ["Avalon", "Brennet", "Corvin", "Dunmore", "Esterby", "Falkirk", "Garnet", "Holloway"]
    for i in range(n):
        place = places[i % len(places)]
        (folder / f"story{i:02d}.txt").write_text(
            f"Storm hits {place}\n\n"
            f"Officials in {place} said that about {1000 + 37 * i:,} homes lost power on day {i}. "
            f"The utility told reporters that {12 + i} crews were at work.",
            encoding="utf-8",
        )


def test_killed_run_leaves_a_store_that_a_rerun_completes(tmp_path, extractor):
    data = tmp_path / "in"
    data.mkdir()
    _articles(data, 24)
    killed_db, whole_db = tmp_path / "killed.duckdb", tmp_path / "whole.duckdb"
    cmd = [sys.executable, "-m", "reportedly", "run", str(data), "--db", str(killed_db),
           "--batch-size", "1", "--no-link", "--published", "2020-01-01"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert proc.stderr is not None
    deadline = time.monotonic() + 60
    for line in proc.stderr:  # not a terminal: the CLI logs each committed batch
        if line.startswith("committed batch 2") or time.monotonic() > deadline:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    with Store(killed_db) as store:  # opens: the log is replayed, whole batches only
        partial = store.count_documents()
        assert 2 <= partial < 24, "the run finished before it could be killed; use more articles"
        assert all(store.claims(doc_id=d.id) for d in store.documents())
    resumed = run([data], killed_db, published="2020-01-01", progress=False, link=False, extractor=extractor)
    assert resumed.already_stored == partial and resumed.added == 24 - partial
    whole = run([data], whole_db, published="2020-01-01", progress=False, link=False, extractor=extractor)
    with Store(killed_db, read_only=True) as a, Store(whole_db, read_only=True) as b:
        assert (a.count_documents(), a.count_claims(), a.count_sources()) == (
            b.count_documents(), b.count_claims(), b.count_sources())
        assert sorted(c.id for c in a.claims()) == sorted(c.id for c in b.claims())
    assert whole.added == 24


class _CountingExtractor:
    """Stands in for the model in the streaming test: one claim-free pass per document."""

    def pipe(self, documents, batch_size=16):
        for doc in documents:
            yield doc, []

    def extract(self, doc):
        return []


def test_input_is_streamed_not_read_ahead(tmp_path, monkeypatch):
    """Memory stays bounded: ingest runs at most a couple of batches ahead of the store."""
    from reportedly import ingest
    from reportedly.types import Document, content_id

    stored = 0
    ahead: list[int] = []  # documents read but not yet committed, at every read

    def endless(paths, manifest=None, default_published=None, defer=False):
        for i in range(400):
            text = f"Article number {i} reports that {i} people attended."
            ahead.append(i + 1 - stored)
            yield Document(id=content_id(text), path=f"mem/{i}.txt", text=text)

    def committed(result, summary):
        nonlocal stored
        stored = summary.added

    monkeypatch.setattr(ingest, "iter_documents", endless)
    summary = run(["mem"], tmp_path / "l.duckdb", batch_size=10, progress=False, link=False,
                  extractor=_CountingExtractor(), on_batch=committed)  # type: ignore[arg-type]
    assert summary.added == 400
    # The lookahead window, the extraction chunk and the batch being built, at most.
    assert max(ahead) <= 3 * 10


def test_parse_batches_are_bounded_in_characters_not_documents(extractor, monkeypatch):
    """Eight long articles in one chunk are parsed a budget's worth at a time.

    Peak memory follows the text parsed at once, so a chunk of long articles
    must not become one huge spaCy batch; the claims are the same however
    the chunk is cut.
    """
    from reportedly.extract import Extractor
    from reportedly.pipeline import extract_chunk
    from reportedly.types import Document

    text = "\n\n".join(GOOD.values())
    docs = [Document(id=f"d{i}", path=f"d{i}.txt", text=text, published="2017-07-20") for i in range(8)]
    whole = extract_chunk(Extractor(extractor.nlp, batch_chars=10**9), docs)

    bounded = Extractor(extractor.nlp, batch_chars=2 * len(text))
    parsed: list[int] = []
    real_pipe = bounded.nlp.pipe

    def spy(texts, **kwargs):
        texts = list(texts)
        parsed.append(sum(len(d.text) for d in texts))
        return real_pipe(texts, **kwargs)

    monkeypatch.setattr(bounded.nlp, "pipe", spy)
    cut = extract_chunk(bounded, docs)
    assert parsed == [2 * len(text)] * 4
    assert [(d.id, c) for d, c in cut] == [(d.id, c) for d, c in whole]
    assert sum(len(c) for _, c in cut) > 0


def test_store_batches_close_at_a_count_or_at_a_text_size():
    from reportedly.types import Document

    def doc(n: int, chars: int) -> Document:
        return Document(id=f"d{n}", path=f"d{n}.txt", text="x" * chars)

    short = [doc(n, 10) for n in range(10)]
    assert [len(b) for b in pipeline._batches(short, 4, chars=1_000)] == [4, 4, 2]
    long_ = [doc(n, 400) for n in range(7)]
    assert [len(b) for b in pipeline._batches(long_, 64, chars=1_000)] == [3, 3, 1]
    pairs = [(d, []) for d in long_]
    assert [len(b) for b in pipeline._batches(pairs, 64, chars=1_000)] == [3, 3, 1]


def test_extraction_leaves_no_new_words_in_the_model(extractor):
    """A crawl meets new names and figures without end; the model must not keep them.

    Each batch is extracted in a spaCy memory zone, so the vocabulary is the
    same size after any number of articles, and the claims are those of
    extraction outside a zone.
    """
    from reportedly.pipeline import extract_chunk
    from reportedly.types import Document

    def article(n: int) -> Document:
        # words no model has seen: made-up names and odd figures
        text = (
            f"Zorblax{n} Quenthary told reporters that {1000 + n} Vexmorian{n} workers had left. "
            f"The Plindor{n} ministry said {n + 7}.5 percent of Kraevan{n} farms were flooded."
        )
        return Document(id=f"w{n}", path=f"w{n}.txt", text=text, published="2020-05-01")

    before = len(extractor.nlp.vocab.strings)
    plain = [(article(0).id, extractor._claims_of([article(0)], 16)[0])]  # outside any zone
    assert len(extractor.nlp.vocab.strings) > before  # so the check below can fail
    before = len(extractor.nlp.vocab.strings)
    zoned = extract_chunk(extractor, [article(n) for n in range(1, 6)] + [article(0)])
    assert len(extractor.nlp.vocab.strings) == before
    assert [(d.id, c) for d, c in zoned[-1:]] == plain
    assert any(c.kind == "quantity" for _, cs in zoned for c in cs)


def test_pipe_caches_are_emptied_past_their_bound(extractor, monkeypatch):
    lemmatizer = extractor.nlp.get_pipe("lemmatizer")
    monkeypatch.setattr(lemmatizer, "cache", {(n, 0, 0): ["x"] for n in range(11)})
    from reportedly.extract import _bound_pipe_caches

    _bound_pipe_caches(extractor.nlp, limit=20)
    assert len(lemmatizer.cache) == 11
    _bound_pipe_caches(extractor.nlp, limit=10)
    assert lemmatizer.cache == {}


def test_pages_parsed_in_workers_give_what_one_process_gives(tmp_path, extractor):
    """With workers, HTML files and WARC records are parsed in the pool; the
    documents (problems included) and claims are those of one process."""
    from test_warc import example_pages, junk_pages

    from reportedly.ingest import iter_documents
    from reportedly.ingest.deferred import Deferred
    from reportedly.ingest.warc import write_warc

    data = tmp_path / "in"
    data.mkdir()
    for page in sorted(EXAMPLES.glob("*.html")):
        (data / page.name).write_bytes(page.read_bytes())
    write_warc(data / "crawl.warc.gz", example_pages()[:4] + junk_pages())
    deferred = [d for d in iter_documents([str(data)], defer=True) if isinstance(d, Deferred)]
    assert len(deferred) >= 7  # every page, from files and records, waits for a worker

    one = run([data], tmp_path / "one.duckdb", progress=False, link=False, extractor=extractor)
    two = run([data], tmp_path / "two.duckdb", workers=2, batch_size=3, progress=False, link=False)
    assert (one.seen, one.added, one.skipped, one.claims_added) == (two.seen, two.added, two.skipped, two.claims_added)
    assert one.added >= 6 and one.skipped >= 4
    with Store(tmp_path / "one.duckdb", read_only=True) as a, Store(tmp_path / "two.duckdb", read_only=True) as b:
        assert [c.to_dict() for c in a.claims()] == [c.to_dict() for c in b.claims()]
        assert [d.to_dict() for d in a.documents()] == [d.to_dict() for d in b.documents()]
    again = run([data], tmp_path / "two.duckdb", workers=2, progress=False, link=False)
    assert again.added == 0 and again.already_stored == one.added + one.already_stored
