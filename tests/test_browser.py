"""End to end in headless Chromium: search, a series chart, the evidence, hostile text.

Playwright (from PyPI) drives Debian's ``chromium`` at /usr/bin/chromium
(``make test`` installs it); the app runs under uvicorn on a free loopback
port in a thread, over a real linked store.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from reportedly.web import create_app
from test_web_fixtures import build_store

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
    "--no-first-run",
]
DOCS = Path(__file__).resolve().parent.parent / "docs"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, Any]]]:
    db = tmp_path_factory.mktemp("browser") / "ledger.duckdb"
    ids = build_store(db)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline:
            pytest.fail("uvicorn did not start within 20 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", ids
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (make browser) to run the browser tests")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install '.[test]')")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.console_errors = []  # type: ignore[attr-defined]
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))  # type: ignore[attr-defined]
    yield pg
    context.close()


def test_search_then_series_chart_then_evidence(server: tuple[str, dict[str, Any]], page: Any) -> None:
    base, ids = server
    page.goto(base + "/")
    page.fill("header input[name=q]", "fighters")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/search?q=fighters")
    assert page.locator("table.claims tbody tr").count() == 8
    assert page.locator(".facet[data-facet=source] li").count() >= 5

    page.click("nav >> text=Series")
    page.click("a.series-link >> text=northern hills")
    chart = page.locator("svg.timeline")
    chart.wait_for()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    markers = page.locator("svg.timeline circle.marker")
    assert markers.count() == 5
    assert page.locator("svg.timeline .conflict-ring").count() == 2
    for i in range(markers.count()):  # every point is drawn inside the plot
        b = markers.nth(i).bounding_box()
        assert b is not None and box["x"] <= b["x"] <= box["x"] + box["width"]
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / "series.png"), full_page=True)

    # click the conflicting 900 point through to its evidence
    page.locator(f'svg.timeline a[href="/claims/{ids["claims"]["c1"]}"] circle.marker').click()
    page.wait_for_url(f"**/claims/{ids['claims']['c1']}")
    evidence = page.locator("article.text mark.evidence")
    assert evidence.count() >= 1
    assert "".join(evidence.all_inner_texts()) == "Local police said 900 fighters remain in the northern hills."
    assert page.locator("article.text mark.source").inner_text() == "Local police"
    assert page.locator("article.text mark.quantity").inner_text() == "900"
    assert page.dialogs == [] and page.console_errors == []


def test_hostile_article_stays_inert(server: tuple[str, dict[str, Any]], page: Any) -> None:
    base, ids = server
    for path in (
        f"/documents/{ids['docs']['hostile']}",
        f"/claims/{ids['claims']['h1']}",
        "/search?q=officials",
        "/search?q=%3Cscript%3Ewindow.pwned%3D4%3C%2Fscript%3E",
        "/sources",
        f"/documents/{ids['docs']['hostile']}.json",
    ):
        page.goto(base + path)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.pwned") == "undefined", path
        assert page.locator("main script, main img, main iframe").count() == 0, path
        assert page.locator('a[href^="javascript:"]').count() == 0, path
    page.goto(base + f"/documents/{ids['docs']['hostile']}")
    text = page.locator("article.text").inner_text()
    assert "<script>window.pwned = 1;" in text  # shown as text, not run
    assert 'onerror="window.pwned=2"' in text
    assert "<!-- hidden comment -->" in text
    # the claim link inside the hostile text still works
    page.click("article.text mark.claim a")
    page.wait_for_url(f"**/claims/{ids['claims']['h1']}")
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.dialogs == []
