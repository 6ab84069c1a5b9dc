"""The web app against a real store: every page, its JSON twin, errors, hostile text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb
import pytest
from fastapi.testclient import TestClient

from reportedly.web import create_app
from reportedly.web.chart import ChartPoint, layout
from reportedly.web.highlight import Span, highlight
from reportedly.web.searchindex import parse_period, tokenize
from test_web_fixtures import HOSTILE_MARKERS, build_store


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[TestClient, dict[str, Any], Path]:
    db = tmp_path_factory.mktemp("web") / "ledger.duckdb"
    ids = build_store(db)
    client = TestClient(create_app(db))
    return client, ids, db


@pytest.fixture(scope="module")
def client(built: tuple[TestClient, dict[str, Any], Path]) -> TestClient:
    return built[0]


@pytest.fixture(scope="module")
def ids(built: tuple[TestClient, dict[str, Any], Path]) -> dict[str, Any]:
    client, ids, _ = built
    ids["series"] = {
        "hills": series_id(client, ["northern hills"]),
        "total": series_id(client, ["Iraq", "Syria"]),
    }
    return ids


def series_id(client: TestClient, places: list[str]) -> str:
    """The series counting fighters in ``places`` (labels are the linker's to word)."""
    return next(s["id"] for s in client.get("/series.json").json()["series"] if s["place_names"] == places)


def page_urls(ids: dict[str, Any]) -> list[str]:
    return [
        f"/series/{ids['series']['hills']}",
        f"/series/{ids['series']['total']}",
        "/",
        "/search?q=fighters",
        "/series",
        f"/claims/{ids['claims']['a1']}",
        f"/claims/{ids['claims']['h1']}",
        f"/documents/{ids['docs']['a']}",
        f"/documents/{ids['docs']['hostile']}",
        "/sources",
        "/sources/defence%20ministry",
        "/sources/%3Cb%3EOfficials%3C%2Fb%3E",
    ]


def json_twin(url: str) -> str:
    path, _, query = url.partition("?")
    path = "/index.json" if path == "/" else path + ".json"
    return path + ("?" + query if query else "")


def test_every_page_and_its_json_twins(client: TestClient, ids: dict[str, Any]) -> None:
    for url in page_urls(ids):
        page = client.get(url)
        assert page.status_code == 200, url
        assert page.headers["content-type"].startswith("text/html")
        for twin in (json_twin(url), url + ("&" if "?" in url else "?") + "format=json"):
            data = client.get(twin)
            assert data.status_code == 200, twin
            assert data.headers["content-type"] == "application/json"
            assert isinstance(data.json(), dict)


def test_overview_counts(client: TestClient) -> None:
    counts = client.get("/index.json").json()["counts"]
    assert counts["documents"] == 6
    assert counts["claims"] == 8
    assert counts["quantities"] == 8
    assert counts["series"] == 4
    assert counts["conflicts"] == 1


def test_search_matches_all_words_and_filters_by_facets(client: TestClient, ids: dict[str, Any]) -> None:
    everything = client.get("/search.json?q=fighters").json()
    assert everything["total"] == 8
    both = client.get("/search.json?q=fighters surrendered").json()
    assert [r["id"] for r in both["results"]] == [ids["claims"]["a2"]]
    by_source = client.get("/search.json", params={"q": "fighters", "source": "defence ministry"}).json()
    assert {r["id"] for r in by_source["results"]} == {ids["claims"]["a2"], ids["claims"]["b1"]}
    facets = {f["value"]: f["count"] for f in everything["facets"]["source"]}
    assert facets["defence ministry"] == 2
    assert client.get("/search.json", params={"publisher": "Hill Times"}).json()["total"] == 1
    assert client.get("/search.json", params={"location": "northern hills"}).json()["total"] == 5
    assert client.get("/search.json", params={"location": "Syria"}).json()["total"] == 2
    assert client.get("/search.json", params={"location": "elsewhere"}).json()["total"] == 0
    # a2 covers March to July 2017, the others their publication day
    march = client.get("/search.json", params={"time": "2017-03"}).json()
    assert [r["id"] for r in march["results"]] == [ids["claims"]["a2"]]
    assert client.get("/search.json", params={"time": "2016"}).json()["total"] == 0
    assert client.get("/search.json?q=nosuchwordanywhere").json()["total"] == 0
    # newest first
    published = [r["published"] for r in everything["results"]]
    assert published == sorted(published, reverse=True) and published[0] == "2017-09-01"


def test_search_page_links_facets_and_results(client: TestClient, ids: dict[str, Any]) -> None:
    html = client.get("/search?q=fighters").text
    assert f'href="/claims/{ids["claims"]["b1"]}"' in html
    assert 'href="/search?q=fighters&amp;source=defence+ministry"' in html
    assert "8 claims" in html


def test_overview_lists_conflicts_and_series(client: TestClient, ids: dict[str, Any]) -> None:
    data = client.get("/index.json").json()
    (conflict,) = data["conflicts"]
    assert {conflict["claim_a"], conflict["claim_b"]} == {ids["claims"]["b1"], ids["claims"]["c1"]}
    assert data["series"][0]["id"] == ids["series"]["hills"]
    html = client.get("/").text
    assert f'href="/series/{ids["series"]["hills"]}"' in html
    assert f'href="/claims/{ids["claims"]["c1"]}"' in html


def test_series_chart_plots_claims_conflicts_and_derived_values(client: TestClient, ids: dict[str, Any]) -> None:
    html = client.get(f"/series/{ids['series']['hills']}").text
    svg = html[html.index("<svg class=\"timeline\"") : html.index("</svg>", html.index("<svg class=\"timeline\""))]
    assert svg.count('<circle class="marker"') == 5
    assert svg.count('class="conflict-ring"') == 2
    for key in ("a1", "a2", "b1", "c1", "h1"):
        assert f'<a href="/claims/{ids["claims"][key]}">' in svg
    assert '<line class="range"' in svg  # a1 is "about 4,000": 3,500 to 4,500
    assert '<line class="period"' in svg  # a2 covers March to July
    data = client.get(f"/series/{ids['series']['hills']}.json").json()
    assert len(data["entries"]) == 5 and len(data["claims"]) == 5
    assert data["conflicts"][0]["kind"] == "conflict"
    total = client.get(f"/series/{ids['series']['total']}").text
    assert total.count('<polygon class="marker"') == 1  # the derived 5,000 + 6,000
    assert "derived by reportedly" in total
    assert client.get(f"/series/{ids['series']['total']}.json").json()["derived"][0]["value"] == 11000


def test_claim_page_names_its_series(client: TestClient, ids: dict[str, Any]) -> None:
    data = client.get(f"/claims/{ids['claims']['b1']}.json").json()
    assert [s["id"] for s in data["series"]] == [ids["series"]["hills"]]


def test_claim_page_marks_evidence_source_cue_and_figure(client: TestClient, ids: dict[str, Any]) -> None:
    html = client.get(f"/claims/{ids['claims']['a1']}").text
    article = html[html.index('<article class="text">') :]
    assert article.count('id="evidence"') == 1
    assert '<mark class="evidence"> The Daily Ledger that </mark>' in article
    assert re.search(r'<mark class="evidence source"[^>]*>Two army officers</mark>', article)
    assert re.search(r'<mark class="evidence cue"[^>]*>told</mark>', article)
    assert re.search(r'<mark class="evidence quantity"[^>]*>about 4,000</mark>', article)
    data = client.get(f"/claims/{ids['claims']['a1']}.json").json()
    assert data["claim"]["quantity"]["low"] == 3500
    assert data["document"]["id"] == ids["docs"]["a"]
    assert "text" not in data["document"]


def test_document_page_links_every_claim(client: TestClient, ids: dict[str, Any]) -> None:
    html = client.get(f"/documents/{ids['docs']['a']}").text
    for key in ("a1", "a2"):
        assert f'<a href="/claims/{ids["claims"][key]}">' in html
    data = client.get(f"/documents/{ids['docs']['a']}.json").json()
    assert {c["id"] for c in data["claims"]} == {ids["claims"]["a1"], ids["claims"]["a2"]}
    assert data["document"]["text"].startswith("Rebels hold out")


def test_sources_page_lists_claims_per_source(client: TestClient, ids: dict[str, Any]) -> None:
    data = client.get("/sources.json").json()
    assert data["sources"][0] == {
        "name": "Analysts", "kind": "organisation", "anonymous": False, "claims": 2, "documents": 1,
    }
    one = client.get("/sources/defence%20ministry.json").json()
    assert {c["id"] for c in one["claims"]} == {ids["claims"]["a2"], ids["claims"]["b1"]}


@pytest.mark.parametrize(
    "url",
    ["/claims/0000000000000000", "/claims/nope.json", "/documents/nope", "/documents/nope.json",
     "/sources/nobody", "/series/nope", "/series/nope.json", "/no/such/page", "/static/nope.css"],
)
def test_unknown_ids_are_404(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    if url.endswith(".json"):
        assert response.json()["error"]["status"] == 404


@pytest.mark.parametrize(
    "url",
    ["/search?page=x", "/search?page=0", "/search?time=2017-13", "/search?time=last%20week",
     "/search?kind=opinion", "/search?format=xml", "/search.json?per_page=100000", "/sources?page=-1",
     "/search?q=" + "x" * 600],
)
def test_bad_parameters_are_400(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert "bad request" in response.text or response.json()["error"]["status"] == 400


def test_hostile_article_is_inert_everywhere(client: TestClient, ids: dict[str, Any]) -> None:
    for url in page_urls(ids) + ["/search?q=pwned", "/search?q=officials"]:
        html = client.get(url).text
        for marker in HOSTILE_MARKERS:
            assert marker not in html, (url, marker)
        body = client.get(json_twin(url)).text
        assert "<" not in body and ">" not in body, url
    html = client.get(f"/documents/{ids['docs']['hostile']}").text
    assert "&lt;script&gt;window.pwned = 1;" in html
    assert "onerror=&#34;window.pwned=2&#34;" in html
    assert "&lt;!-- hidden comment --&gt;" in html


def test_hostile_text_in_a_search_query_is_escaped(client: TestClient) -> None:
    html = client.get("/search", params={"q": '"><script>alert(1)</script>'}).text
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html


def test_security_headers_on_pages_errors_and_static(client: TestClient) -> None:
    for url in ("/", "/claims/nope", "/search?page=x", "/static/style.css", "/index.json"):
        headers = client.get(url).headers
        csp = headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert headers["x-content-type-options"] == "nosniff"


def test_store_is_opened_read_only(built: tuple[TestClient, dict[str, Any], Path]) -> None:
    client, _, db = built
    ledger = client.app.state.ledger  # type: ignore[attr-defined]
    with pytest.raises(duckdb.Error, match="read-only"):
        ledger.connection.execute("CREATE TABLE web_probe (x INTEGER)")


def test_pages_need_no_outside_resources(client: TestClient, ids: dict[str, Any]) -> None:
    for url in page_urls(ids):
        html = client.get(url).text
        for ref in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert ref.startswith(("/", "#")), (url, ref)


# -- the pieces, on their own ----------------------------------------------


def test_highlight_escapes_every_segment_and_flattens_overlaps() -> None:
    text = "a <b>bold</b> & 'x'"
    html = highlight(text, [Span(0, 7, "one"), Span(2, 13, "two", href="/claims/x")])
    assert "<b>" not in html
    assert html == (
        '<mark class="one">a </mark><mark class="one two"><a href="/claims/x">&lt;b&gt;bo</a></mark>'
        '<mark class="two"><a href="/claims/x">ld&lt;/b&gt;</a></mark> &amp; &#39;x&#39;'
    )
    # spans outside the text are ignored, not an error
    assert highlight("abc", [Span(2, 10, "x")]) == "abc"


def test_tokenize_and_periods() -> None:
    assert tokenize("ISIS fighters, 4,000 (ISIS)") == ["isis", "fighters", "4", "000"]
    assert parse_period("2017-02") == (17198, 17225)
    with pytest.raises(ValueError):
        parse_period("17-02")


def test_chart_layout_scales_points_and_marks_kinds() -> None:
    points = [
        ChartPoint("c1", "Pentagon", "2017-01-01", "2017-01-01", 15000, 15000, 15000),
        ChartPoint("c2", "AP", "2017-07-20", "2017-07-20", None, 3000, 5000, conflict=True),
        ChartPoint(None, "derived", "2017-07-20", "2017-07-20", 19000, 19000, 19000, derived=True),
        ChartPoint("c3", "AP", "", "", 10, 10, 10),
    ]
    chart = layout(points)
    assert chart.skipped == 1
    first, ranged, derived = chart.markers
    x0, y0, x1, y1 = chart.plot
    assert x0 <= first.x < ranged.x <= x1
    assert ranged.y_low > ranged.y > ranged.y_high  # a range, drawn as a bar
    assert derived.y < first.y  # 19,000 above 15,000
    assert ranged.conflict and derived.derived and not first.derived
    assert first.color != ranged.color
    assert [name for name, _ in chart.legend] == ["Pentagon", "AP", "derived by reportedly"]
    assert layout([]).markers == []


def test_serve_command_refuses_a_missing_store(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from reportedly.cli import app

    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert "no store here" in result.output
    help_text = CliRunner().invoke(app, ["serve", "--help"]).output
    assert "127.0.0.1" in help_text and "8001" in help_text


def test_chart_svg_escapes_labels() -> None:
    from reportedly.web.chart import render_svg

    svg = render_svg(layout([ChartPoint("c1", '<script>alert(1)</script>"', "2017-01-01", "2017-01-01", 5, 5, 5)]))
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34;: 5" in svg
    assert svg.count('<circle class="marker"') == 1


def test_facets_of_huge_match_sets_are_estimated_from_a_sample(monkeypatch: pytest.MonkeyPatch, client: TestClient) -> None:
    import reportedly.web.searchindex as si

    exact = client.get("/search.json?q=fighters").json()
    assert exact["facets_approximate"] is False
    monkeypatch.setattr(si, "FACET_SAMPLE", 4)
    estimated = client.get("/search.json?q=fighters").json()
    assert estimated["facets_approximate"] is True and estimated["total"] == exact["total"]
    assert sum(f["count"] for f in estimated["facets"]["kind"]) == exact["total"]  # scaled back up
    assert "≈" in client.get("/search?q=fighters").text


def test_sources_of_a_run_killed_before_its_rebuild(built: tuple[TestClient, dict[str, Any], Path],
                                                    tmp_path: Path) -> None:
    """The app reads sources derived live from a store whose run died before rebuilding them."""
    client, _, db = built
    killed = tmp_path / "killed.duckdb"
    con = duckdb.connect(str(killed))
    con.execute(f"ATTACH '{db}' AS built (READ_ONLY)")
    con.execute("COPY FROM DATABASE built TO killed")
    con.execute("DETACH built")
    con.execute("DELETE FROM sources")
    con.execute("INSERT OR REPLACE INTO meta VALUES ('sources_stale', 'true')")
    con.close()
    expected = client.get("/sources.json").json()["sources"]
    stale = TestClient(create_app(killed))
    assert stale.get("/sources.json").json()["sources"] == expected
    assert stale.get("/sources/defence%20ministry.json").status_code == 200
