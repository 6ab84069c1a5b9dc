"""WARC / WARC.gz input: HTML responses become documents, the rest is skipped with a reason."""

from __future__ import annotations

import gzip
import html
from pathlib import Path

import pytest

from reportedly.ingest.warc import WarcPage, is_warc, iter_warc, write_warc

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def example_pages() -> list[WarcPage]:
    """The project's own example articles as HTTP responses.

    HTML examples go in byte for byte; text examples are wrapped in a minimal
    page (first line as title, blank-line paragraphs as <p>), as a crawler
    would have fetched them.
    """
    files = sorted(p for p in EXAMPLES.glob("*") if p.suffix.lower() in {".html", ".htm", ".txt"})
    if not files:
        pytest.skip(f"no example articles in {EXAMPLES}")
    pages = []
    for i, path in enumerate(files):
        if path.suffix.lower() == ".txt":
            body = wrap_text(path.read_text(encoding="utf-8")).encode("utf-8")
        else:
            body = path.read_bytes()
        # Crawl dates a day apart, so each page's fallback date is checkable.
        pages.append(WarcPage(url=f"https://news.example.org/{path.stem}", body=body,
                              crawl_date=f"2026-03-{i % 28 + 1:02d}T08:00:00Z"))
    return pages


def wrap_text(text: str) -> str:
    title, _, rest = text.strip().partition("\n")
    paras = [p.strip() for p in rest.split("\n\n") if p.strip()]
    body = "\n".join(f"<p>{html.escape(' '.join(p.split()))}</p>" for p in paras)
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
        f"<body><article><h1>{html.escape(title)}</h1>\n{body}\n</article></body></html>"
    )


def junk_pages() -> list[WarcPage]:
    return [
        WarcPage("https://news.example.org/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), content_type="image/png"),
        WarcPage("https://news.example.org/api", b'{"a": 1}', content_type="application/json"),
        WarcPage("https://news.example.org/gone", b"<html>gone</html>", status="404 Not Found"),
        WarcPage("https://news.example.org/empty", b"   "),
        # A gzip content encoding cut short: the payload stays binary.
        WarcPage("https://news.example.org/garbled", gzip.compress(b"<html>" + b"x" * 4000)[:30] + bytes(range(256)),
                 extra_headers=(("Content-Encoding", "gzip"),)),
    ]


def by_url(docs):
    return {d.url: d for d in docs}


def test_suffixes() -> None:
    assert is_warc("a/b/CC-NEWS-2026.warc.gz") and is_warc("x.WARC") and not is_warc("x.warc.txt")


def test_non_html_and_broken_records_are_skipped_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "junk.warc.gz"
    write_warc(path, junk_pages())
    docs = by_url(iter_warc(path))
    # One document per response; the request records carry no article.
    assert len(docs) == 5
    assert all(d.status == "skipped" and d.format == "warc" for d in docs.values())
    reasons = {url.rsplit("/", 1)[1]: d.reason for url, d in docs.items()}
    assert reasons["logo.png"] == "not HTML (image/png)"
    assert reasons["api"] == "not HTML (application/json)"
    assert "404" in reasons["gone"]
    assert reasons["empty"] == "empty payload"
    assert reasons["garbled"] == "payload is not text: gzip archive"
    # Skipped documents keep where they came from.
    png = docs["https://news.example.org/logo.png"]
    assert png.path.startswith(f"{path}#<urn:uuid:") and png.extra["crawl_date"]
    assert len({d.id for d in docs.values()}) == 5


def test_truncated_file_keeps_earlier_records_and_fails_the_rest(tmp_path: Path) -> None:
    good = tmp_path / "junk.warc.gz"
    write_warc(good, junk_pages())
    data = good.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: int(len(data) * 0.7)])
    docs = list(iter_warc(cut))
    assert docs[-1].status == "failed"
    assert docs[-1].reason.startswith("WARC framing broken after")
    assert 1 <= len(docs) - 1 < 5 and all(d.status == "skipped" for d in docs[:-1])


def test_not_a_warc_at_all(tmp_path: Path) -> None:
    path = tmp_path / "fake.warc"
    path.write_bytes(b"this is not a WARC file\n" * 10)
    docs = list(iter_warc(path))
    assert len(docs) == 1 and docs[0].status == "failed" and "WARC framing broken" in docs[0].reason


def test_html_responses_become_documents_with_crawl_metadata(tmp_path: Path) -> None:
    pages = example_pages()
    path = tmp_path / "examples.warc.gz"
    assert write_warc(path, pages + junk_pages()) == len(pages) + 5
    docs = by_url(iter_warc(path))
    assert len(docs) == len(pages) + 5
    from reportedly.ingest import document_from_html

    for page in pages:
        doc = docs[page.url]
        # WARC records go through the ordinary HTML path: the same page read
        # directly gives the same document (or is skipped for the same reason).
        direct = document_from_html(page.body.decode("utf-8"), "page.html", {"url": page.url})
        assert (doc.status, doc.reason, doc.id, doc.text) == (direct.status, direct.reason, direct.id, direct.text)
        assert doc.format == "warc" and doc.url == page.url
        assert doc.extra["crawl_date"] == page.crawl_date
        if not doc.ok:
            continue
        assert doc.published and len(doc.text) > 200, page.url
        if doc.extra["metadata_from"].get("published") == "crawl_date":
            assert doc.published == page.crawl_date[:10]
        else:
            assert doc.published == direct.published
    assert sum(d.ok for d in docs.values()) >= len(pages) - 1


def test_plain_and_gzipped_warc_read_the_same(tmp_path: Path) -> None:
    pages = example_pages()[:3]
    write_warc(tmp_path / "a.warc", pages)
    write_warc(tmp_path / "a.warc.gz", pages)
    with gzip.open(tmp_path / "a.warc.gz") as fh:
        assert fh.read(5) == b"WARC/"  # really a (member-wise) gzip of WARC records
    plain = [(d.url, d.id, d.text) for d in iter_warc(tmp_path / "a.warc")]
    zipped = [(d.url, d.id, d.text) for d in iter_warc(tmp_path / "a.warc.gz")]
    assert plain == zipped and len(plain) == 3


def test_declared_charset_is_honoured(tmp_path: Path) -> None:
    text = "Le café du village a fermé. " * 20
    body = wrap_text("Un café ferme\n\n" + text).encode("latin-1", errors="replace")
    path = tmp_path / "latin.warc"
    write_warc(path, [WarcPage("https://fr.example.org/cafe", body, content_type="text/html; charset=ISO-8859-1")])
    (doc,) = iter_warc(path)
    if doc.ok:
        assert "café" in doc.text and "\ufffd" not in doc.text
    else:
        # Ingest may skip non-English pages; it must still have decoded them.
        assert doc.status == "skipped" and doc.reason


def test_ingest_discovery_routes_warc_files(tmp_path: Path) -> None:
    from reportedly.ingest import iter_documents

    pages = example_pages()[:2]
    write_warc(tmp_path / "crawl.warc.gz", pages + junk_pages()[:1])
    docs = list(iter_documents([str(tmp_path)]))
    assert sorted(d.url for d in docs) == sorted([p.url for p in pages] + [junk_pages()[0].url])
    assert sum(d.ok for d in docs) == 2


def test_file_metadata_applies_to_every_record_but_urls_stay_per_record(tmp_path: Path) -> None:
    pages = example_pages()[:2]
    path = tmp_path / "crawl.warc"
    write_warc(path, pages)
    docs = list(iter_warc(path, {"publisher": "Crawl Co", "url": "https://crawl.example/file"}))
    assert [d.url for d in docs] == [p.url for p in pages]
    assert all(d.publisher == "Crawl Co" for d in docs if d.ok)
