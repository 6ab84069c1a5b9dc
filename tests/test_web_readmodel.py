"""The web read model: persisted beside the store, rebuilt when stale, the same answers by every path."""

from __future__ import annotations

import datetime as dt
import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

import reportedly.web.searchindex as si
from reportedly.store import Store
from reportedly.web import create_app
from reportedly.web.fragments import claims_table, escape_all, facet_list
from reportedly.web.ledger import Ledger
from reportedly.web.searchindex import SearchIndex, parse_period, tokenize
from test_web_fixtures import _doc, build_store, quantity_claim


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    db = tmp_path_factory.mktemp("readmodel") / "ledger.duckdb"
    return db, build_store(db)


def _index(db: Path) -> SearchIndex:
    """An index built in memory, its meta through JSON as the sidecar stores it."""
    ledger = Ledger(db)
    cur = ledger.connection.cursor()
    try:
        arrays, meta = SearchIndex.build(cur)
    finally:
        cur.close()
        ledger.close()
    return SearchIndex(arrays, json.loads(json.dumps(meta)))


QUERIES: list[tuple[str, dict[str, str]]] = [
    ("fighters", {}),
    ("said", {}),
    ("fighters said", {}),
    ("remain northern hills", {}),
    ("ministry", {}),
    ("fighters", {"source": "defence ministry"}),
    ("fighters", {"location": "Syria"}),
    ("said", {"location": "Iraq", "source": "Analysts"}),
    ("", {"location": "northern hills"}),
    ("", {"publisher": "Hill Times"}),
    ("said", {"time": "2017-03"}),
    ("", {"time": "2017-03-15"}),
    ("fighters", {"time": "2017"}),
    ("fighters", {"time": "2016"}),
    ("", {"time": "1999"}),
    ("", {"entity": "fighter", "kind": "quantity"}),
    ("fighters nosuchword", {}),
    ("fighters", {"source": "nobody"}),
    ("", {}),
]


def _answers(index: SearchIndex) -> list[tuple[int, list[int], dict[str, list[tuple[str, int]]]]]:
    out = []
    for q, filters in QUERIES:
        hit = index.search(tokenize(q), filters)
        out.append((hit.total, hit.numbers, hit.facets))
    return out


def test_bitsets_overflow_locations_and_precomputed_counts_give_the_same_answers(
    store: tuple[Path, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, _ = store
    plain = _index(db)  # eight claims: no word is common enough for a bitset
    assert not plain._bit_row
    monkeypatch.setattr(si, "BITSET_SHARE", 0.0)
    monkeypatch.setattr(si, "BITSET_MIN_POSTINGS", 1)
    monkeypatch.setattr(si, "LOCATION_COLUMNS", 1)
    dense = _index(db)  # every word has a bitset and precomputed counts; the second location overflows
    assert len(dense._bit_row) == len(dense._terms)
    assert dense._over_rows.size == 1  # the coalition's "Iraq and Syria"
    assert _answers(plain) == _answers(dense)
    # and right: word matches as a scan of the claims finds them
    con = Ledger(db)
    rows = con.connection.execute(
        "SELECT sentence, coalesce(source_name, source_text), time_start, coalesce(time_end, time_start) FROM claims"
    ).fetchall()
    con.close()
    for (q, filters), (total, _, _) in zip(QUERIES, _answers(plain)):
        if set(filters) <= {"time"}:
            first, last = parse_period(filters["time"]) if filters else (-(10**9), 10**9)
            epoch = dt.date(1970, 1, 1)
            expected = sum(
                1 for sentence, source, start, end in rows
                if set(tokenize(q)) <= set(tokenize(f"{sentence} {source or ''}"))
                and (not filters or (start is not None and (start - epoch).days <= last and (end - epoch).days >= first))
            )
            assert total == expected, (q, filters)
    fighters = plain.search(["fighters"], {})
    assert dict(fighters.facets["location"]) == {"northern hills": 5, "Iraq": 2, "Syria": 2}


def test_read_model_is_written_beside_the_store_then_opened(store: tuple[Path, dict[str, Any]]) -> None:
    db, _ = store
    first = create_app(db)
    read = first.state.read
    assert read.location.parent == db.with_name(db.name + ".web")
    first.state.ledger.close()
    again = create_app(db)
    assert again.state.read.built is False and again.state.read.location == read.location
    again.state.ledger.close()


def test_a_changed_store_gets_a_new_read_model(tmp_path: Path) -> None:
    db = tmp_path / "ledger.duckdb"
    build_store(db)
    app = create_app(db)
    old = app.state.read.location
    from fastapi.testclient import TestClient

    assert TestClient(app).get("/search.json?q=rebels").json()["total"] == 0
    app.state.ledger.close()
    extra = _doc("Rebels regroup\n\nScouts said 70 rebels regrouped in the northern hills.", "River Post",
                 "2017-10-01", "f.txt")
    claim = quantity_claim(extra, "Scouts said 70 rebels regrouped in the northern hills.", "70", 70,
                           source="Scouts", entity="rebel")
    with Store(db) as s:
        s.add_batch([(extra, [claim])])
    app = create_app(db)
    assert app.state.read.built is True and app.state.read.location != old
    assert not old.exists()  # the stale model is gone
    assert TestClient(app).get("/search.json?q=rebels").json()["total"] == 1
    app.state.ledger.close()


def test_escape_all_matches_escape_even_with_the_separator_in_a_text() -> None:
    from markupsafe import escape

    texts = ["a <b>", "x\x00y", "", "'\"&"]
    assert escape_all(texts) == [str(escape(t)) for t in texts]
    assert escape_all(["<i>", "ok"]) == ["&lt;i&gt;", "ok"]
    assert escape_all([]) == []


def test_fragments_escape_every_text_and_quote_every_link() -> None:
    row = {
        "id": "abc~1", "kind": "quantity", "sentence": "<script>x()</script>", "source_name": 'A "b" & c',
        "source_text": None, "cue": "<i>said</i>", "time_start": "2017-01-01", "time_end": "2017-02-01",
        "value": 4000.0, "low": 4000.0, "high": 4000.0, "bound": "=", "unit": "fighter", "entity_lemma": "fighter",
        "publisher": "<Pub>", "published": "2017-02-02T10:00",
    }
    html = str(claims_table([row]))
    assert "<script>" not in html and "&lt;script&gt;x()&lt;/script&gt;" in html
    assert 'href="/sources/A%20%22b%22%20%26%20c">A &#34;b&#34; &amp; c</a>' in html
    assert 'href="/claims/abc~1"' in html and "4,000" in html and "2017-01-01 – 2017-02-01" in html
    assert "&lt;Pub&gt;" in html and "2017-02-02 " in html
    assert "No claims." in str(claims_table([]))
    facets = {"source": [{"value": "<x>", "count": 3}], "kind": []}
    aside = str(facet_list(facets, {"source": {"<x>": "/search?source=%3Cx%3E&q=a"}}, {"source": "<x>"}, True))
    assert '<li class="on"><a href="/search?source=%3Cx%3E&amp;q=a">&lt;x&gt;</a>' in aside
    assert "≈3" in aside and 'data-facet="kind"' not in aside


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_with_two_workers(store: tuple[Path, dict[str, Any]]) -> None:
    db, ids = store
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "reportedly", "serve", "--db", str(db), "--port", str(port), "--workers", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail("server exited: " + (proc.stderr.read().decode() if proc.stderr else ""))
            try:
                if httpx.get(base + "/index.json", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("two workers did not answer within 60 s")
            time.sleep(0.2)
        for _ in range(6):  # several connections, so both workers are likely asked
            with httpx.Client(base_url=base) as http:
                assert http.get("/search.json?q=fighters").json()["total"] == 8
                html = http.get(f"/claims/{ids['claims']['a1']}").text
                assert "about 4,000" in html
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_series_rows_rendered_at_build_time_match_the_rows_rendered_now(store: tuple[Path, dict[str, Any]]) -> None:
    from fastapi.testclient import TestClient

    db, _ = store
    app = create_app(db)
    client = TestClient(app)
    series = client.get("/series.json").json()["series"]
    assert series
    for s in series:
        for page in (1, 2):
            data = client.get(f"/series/{s['id']}.json?page={page}").json()
            html = client.get(f"/series/{s['id']}?page={page}").text
            assert str(claims_table(data["claims"])) in html, (s["id"], page)
            assert (len(data["claims"]) > 0) == (page == 1)
    app.state.ledger.close()
