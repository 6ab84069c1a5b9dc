"""Files in, documents out: bad input, metadata precedence, records, HTML, ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportedly.ingest import Manifest, document_from_html, iter_documents, load_file
from reportedly.settings import MAX_FILE_BYTES
from reportedly.types import content_id

ARTICLE = """\
Militant numbers fall in northern Iraq

By Jane Doe

About 2,000 fighters and 1,500 supporters remain in the province, officials told reporters on Monday.

The figure is down from more than 5,000 last year, according to the defence ministry.
"""

FRENCH = """\
Le nombre de combattants diminue en Irak

Environ 2 000 combattants et 1 500 partisans restent dans la province, ont déclaré lundi des responsables.

Le chiffre est en baisse par rapport à plus de 5 000 l'an dernier, selon le ministère de la Défense.
"""

HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<title>Pentagon revises estimate | Example News</title>
<meta property="og:title" content="Pentagon revises estimate of fighters">
<meta property="og:site_name" content="Example News">
<meta name="author" content="Maria Lopez">
<meta property="article:published_time" content="2016-08-12T10:00:00Z">
<link rel="canonical" href="https://news.example.com/2016/08/pentagon-estimate">
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article>
<h1>Pentagon revises estimate of fighters</h1>
<p>The Pentagon said on Thursday that between 15,000 and 20,000 militants remain in Iraq and Syria.</p>
<p>Officials said the number had fallen from about 30,000 a year earlier, as air strikes continued.</p>
<p>A spokesman said the campaign would continue until the group was defeated in both countries.</p>
</article>
<footer>Copyright 2016 Example News. All rights reserved.</footer>
</body></html>
"""


def _write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _one(path: Path, meta: dict | None = None) -> object:
    docs = load_file(path, meta or {})
    assert len(docs) == 1
    return docs[0]


# --- bad input: each gets a status and a one-line reason, nothing raises -----


def test_binary_file(tmp_path: Path) -> None:
    doc = _one(_write(tmp_path / "photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4))
    assert doc.status == "skipped" and doc.reason == "not text: PNG image"


def test_nul_bytes(tmp_path: Path) -> None:
    doc = _one(_write(tmp_path / "data.md", b"some words\x00\x00\x01 and more"))
    assert doc.status == "skipped" and "NUL" in doc.reason


def test_empty_file(tmp_path: Path) -> None:
    doc = _one(_write(tmp_path / "empty.txt", b""))
    assert (doc.status, doc.reason) == ("skipped", "empty file")
    doc = _one(_write(tmp_path / "blank.txt", "  \n\n  "))
    assert (doc.status, doc.reason) == ("skipped", "empty file")


def test_huge_file_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50 * 1024 * 1024)
    assert path.stat().st_size > MAX_FILE_BYTES

    def refuse(*_args: object, **_kwargs: object) -> bytes:
        raise AssertionError("read_bytes called on a file above the size limit")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    doc = _one(path)
    assert doc.status == "skipped"
    assert doc.reason == f"file too large (50.0 MiB > {MAX_FILE_BYTES / 2**20:.1f} MiB limit)"
    assert "\n" not in doc.reason


def test_latin1_file_is_decoded(tmp_path: Path) -> None:
    text = ARTICLE.replace("Jane Doe", "José Müller") + "\nThe café owner in Mosul said prices had risen by 20 per cent.\n"
    doc = _one(_write(tmp_path / "latin.txt", text.encode("cp1252")))
    assert doc.status == "ok"
    assert doc.reason and doc.reason.startswith("decoded as ")
    assert doc.author == "José Müller"
    assert "café" in doc.text


def test_undecodable_file_is_skipped(tmp_path: Path) -> None:
    doc = _one(_write(tmp_path / "noise.txt", bytes(range(128, 256)) * 40))
    assert doc.status == "skipped" and doc.reason


def test_broken_html(tmp_path: Path) -> None:
    doc = _one(_write(tmp_path / "broken.html", "<html><head><title>x</title></head><body><div <<< </"))
    assert doc.status == "failed"
    assert doc.reason == "broken HTML: no article text could be recovered"


def test_truncated_html_is_recovered(tmp_path: Path) -> None:
    cut = HTML_PAGE[: HTML_PAGE.index("<p>A spokesman")]
    doc = _one(_write(tmp_path / "cut.html", cut))
    assert doc.status == "ok"
    assert "between 15,000 and 20,000 militants" in doc.text


def test_french_article_is_skipped(tmp_path: Path) -> None:
    doc = _one(_write(tmp_path / "article_fr.txt", FRENCH))
    assert (doc.status, doc.reason, doc.language) == ("skipped", "language fr, not English", "fr")


def test_short_english_text_is_not_mistaken_for_a_relative() -> None:
    from reportedly.ingest.sniff import detect_language

    assert detect_language("Canadian official identifies dead Ottawa gunman as Michael Zehaf-Bibeau .") == "en"
    assert detect_language(FRENCH) == "fr"


def test_short_text_is_skipped(tmp_path: Path) -> None:
    doc = _one(_write(tmp_path / "short.txt", "Headline\n\nToo short."))
    assert doc.status == "skipped" and doc.reason.startswith("text too short")


def test_missing_path(tmp_path: Path) -> None:
    docs = list(iter_documents([tmp_path / "nope.txt"]))
    assert [(d.status, d.reason) for d in docs] == [("failed", "no such file or directory")]


def test_bad_files_do_not_stop_a_folder(tmp_path: Path) -> None:
    _write(tmp_path / "a_good.txt", ARTICLE)
    _write(tmp_path / "b_empty.txt", b"")
    _write(tmp_path / "c_binary.bin", b"\x00\x01\x02" * 100)
    _write(tmp_path / "d_fr.txt", FRENCH)
    docs = list(iter_documents([tmp_path]))
    assert [d.status for d in docs] == ["ok", "skipped", "skipped", "skipped"]
    assert all(d.reason and "\n" not in d.reason for d in docs[1:])


# --- metadata: manifest > sidecar > in-file > default ------------------------


def test_metadata_precedence(tmp_path: Path) -> None:
    article = _write(tmp_path / "news" / "story.txt", ARTICLE + "\nPublished: March 3, 2017\n")
    _write(
        tmp_path / "news" / "story.txt.meta.json",
        json.dumps({"published": "2017-03-04", "publisher": "Sidecar Times", "url": "https://side.example/a"}),
    )
    manifest_path = _write(tmp_path / "manifest.csv", "file,published,publisher\nnews/story.txt,2017-03-05,\n")
    manifest = Manifest.load(manifest_path)
    docs = list(iter_documents([tmp_path], manifest=manifest, default_published="2000-01-01"))
    assert len(docs) == 1  # neither the manifest nor the sidecar is read as an article
    doc = docs[0]
    assert doc.published == "2017-03-05"  # manifest beats sidecar, text and default
    assert doc.publisher == "Sidecar Times"  # empty manifest cell: the sidecar's value
    assert doc.url == "https://side.example/a"
    assert doc.author == "Jane Doe"  # only the text says it
    assert doc.extra["metadata_from"] == {
        "published": "manifest",
        "publisher": "sidecar",
        "url": "sidecar",
        "author": "text",
        "title": "text",
    }
    # without manifest and sidecar: the in-file stamp beats the default
    bare = _write(tmp_path / "other" / "story.txt", ARTICLE + "\nPublished: March 3, 2017\n")
    assert _one(bare).published == "2017-03-03"
    plain = _write(tmp_path / "third" / "story.txt", ARTICLE)
    assert list(iter_documents([plain], default_published="July 1, 2016"))[0].published == "2016-07-01"


def test_json_manifest_keyed_by_name(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", ARTICLE)
    manifest_path = _write(tmp_path / "m.json", json.dumps({"a.txt": {"published": "20 July 2017", "author": "Given Name"}}))
    docs = list(iter_documents([tmp_path / "*.txt"], manifest=Manifest.load(manifest_path)))
    assert (docs[0].published, docs[0].author) == ("2017-07-20", "Given Name")


@pytest.mark.parametrize("column", ["file", "path", "name", "Filename"])
def test_csv_manifest_key_columns(tmp_path: Path, column: str) -> None:
    _write(tmp_path / "docs" / "a.txt", ARTICLE)
    manifest_path = _write(tmp_path / "m.csv", f"{column},publisher,title\ndocs/a.txt,Wire One,Given title\n")
    (doc,) = iter_documents([tmp_path / "docs"], manifest=Manifest.load(manifest_path))
    assert (doc.publisher, doc.title) == ("Wire One", "Given title")


def test_manifest_inside_the_input_folder_is_not_an_article(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", ARTICLE)
    manifest_path = _write(tmp_path / "manifest.csv", "file,published\na.txt,2017-07-20\n")
    docs = list(iter_documents([tmp_path], manifest=Manifest.load(manifest_path)))
    assert [Path(d.path).name for d in docs] == ["a.txt"]


# --- records -------------------------------------------------------------------


def test_jsonl_records(tmp_path: Path) -> None:
    rows = [
        {"title": "First", "body": ARTICLE.split("\n\n", 2)[2], "published": "2017-01-02", "source": "Wire One"},
        {"headline": "Second", "articleBody": FRENCH},
        {"title": "No text here"},
    ]
    lines = [json.dumps(r) for r in rows] + ["{not json"]
    path = _write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    manifest = Manifest.from_mapping({"feed.jsonl#1": {"publisher": "Override Wire"}}, base=tmp_path)
    docs = list(iter_documents([path], manifest=manifest))
    assert [d.path.rsplit("/", 1)[-1] for d in docs] == ["feed.jsonl#1", "feed.jsonl#2", "feed.jsonl#3", "feed.jsonl#4"]
    assert [d.status for d in docs] == ["ok", "skipped", "skipped", "failed"]
    first = docs[0]
    assert (first.title, first.published, first.publisher) == ("First", "2017-01-02", "Override Wire")
    assert first.text.startswith("About 2,000 fighters")
    assert docs[1].reason == "language fr, not English"
    assert docs[2].reason == "record has no text field"
    assert docs[3].reason.startswith("invalid JSON")


def test_csv_and_json_records(tmp_path: Path) -> None:
    body = ARTICLE.split("\n\n", 2)[2].replace('"', "'")
    csv_path = _write(tmp_path / "rows.csv", f'id,text,date,author\n1,"{body}",2016-08-20,Jane Doe\n')
    json_path = _write(tmp_path / "rows.json", json.dumps({"articles": [{"content": body, "url": "https://x.example/1"}]}))
    (csv_doc,) = load_file(csv_path, {})
    (json_doc,) = load_file(json_path, {})
    assert (csv_doc.status, csv_doc.published, csv_doc.author, csv_doc.format) == ("ok", "2016-08-20", "Jane Doe", "csv")
    assert (json_doc.status, json_doc.url, json_doc.format) == ("ok", "https://x.example/1", "json")
    assert csv_doc.id == json_doc.id  # same body, same id


# --- HTML ------------------------------------------------------------------------


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    doc = _one(_write(tmp_path / "page.html", HTML_PAGE))
    assert doc.status == "ok" and doc.format == "html"
    assert doc.title == "Pentagon revises estimate of fighters"
    assert doc.author == "Maria Lopez"
    assert doc.publisher == "Example News"
    assert doc.published == "2016-08-12"
    assert doc.url == "https://news.example.com/2016/08/pentagon-estimate"
    assert doc.language == "en"
    assert "between 15,000 and 20,000 militants" in doc.text
    assert "Home" not in doc.text and "Copyright" not in doc.text
    assert doc.title not in doc.text


def test_html_saved_as_text_is_read_as_html(tmp_path: Path) -> None:
    doc = _one(_write(tmp_path / "saved_page.txt", HTML_PAGE))
    assert (doc.status, doc.format, doc.publisher) == ("ok", "html", "Example News")
    assert "<p>" not in doc.text and "between 15,000 and 20,000 militants" in doc.text


def test_document_from_html_meta_overrides_and_defaults() -> None:
    page = HTML_PAGE.replace('<meta property="article:published_time" content="2016-08-12T10:00:00Z">', "")
    page = page.replace("/2016/08/", "/")  # htmldate would read a date from the URL
    doc = document_from_html(page.encode(), "crawl#1", {"url": "https://given.example/x"}, defaults={"published": "2016-09-01"})
    assert doc.url == "https://given.example/x"
    assert doc.published == "2016-09-01"


def test_markdown_markup_is_removed(tmp_path: Path) -> None:
    md = (
        "# Militant numbers fall in northern Iraq\n\n"
        "![Fighters](https://img.example/a.jpg)\n\n"
        "About **2,000 fighters** and 1,500 supporters remain, [officials told reporters](https://x.example) on Monday.\n\n"
        "> The figure is down from *more than 5,000* last year, according to the defence ministry.\n"
    )
    doc = _one(_write(tmp_path / "story.md", md))
    assert doc.title == "Militant numbers fall in northern Iraq"
    assert doc.text == (
        "About 2,000 fighters and 1,500 supporters remain, officials told reporters on Monday.\n\n"
        "The figure is down from more than 5,000 last year, according to the defence ministry."
    )


def test_gzip_compressed_files(tmp_path: Path) -> None:
    import gzip

    page = _write(tmp_path / "page.html.gz", gzip.compress(HTML_PAGE.encode()))
    feed = _write(tmp_path / "feed.jsonl.gz", gzip.compress(json.dumps({"text": ARTICLE}).encode() + b"\n"))
    broken = _write(tmp_path / "cut.txt.gz", gzip.compress(ARTICLE.encode())[:30])
    (html_doc,) = load_file(page, {})
    (record,) = load_file(feed, {})
    (bad,) = load_file(broken, {})
    assert (html_doc.status, html_doc.format, html_doc.publisher) == ("ok", "html", "Example News")
    assert (record.status, record.format, record.path) == ("ok", "jsonl", f"{feed}#1")
    assert bad.status == "skipped" and bad.reason.startswith("broken gzip file")


# --- ids -----------------------------------------------------------------------


def test_same_article_from_two_paths_has_one_id(tmp_path: Path) -> None:
    a = _write(tmp_path / "one" / "a.txt", ARTICLE)
    # the same article scraped again: other line ends, extra debris, other wrapping
    b = _write(
        tmp_path / "two" / "b.md",
        ARTICLE.replace("\n", "\r\n").replace("about", "about").replace(" remain", "  remain") + "\r\nTags: iraq\r\nShare\r\n",
    )
    doc_a, doc_b = _one(a), _one(b)
    assert doc_a.id == doc_b.id == content_id(doc_a.text)
    assert doc_a.path != doc_b.path
    skipped_a = _one(_write(tmp_path / "x.txt", b""))
    assert skipped_a.id  # unreadable files still get an id (from their bytes)


def test_unexpected_error_in_one_file_is_reported_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reportedly.ingest.loader as loader

    def boom(_raw: str) -> object:
        raise RuntimeError("parser exploded\non two lines")

    monkeypatch.setattr(loader, "clean_text", boom)
    doc = _one(_write(tmp_path / "a.txt", ARTICLE))
    assert doc.status == "failed"
    assert doc.reason == "failed while reading: RuntimeError: parser exploded on two lines"


def test_discovery_order_globs_hidden_and_duplicates(tmp_path: Path) -> None:
    _write(tmp_path / "b" / "two.txt", ARTICLE)
    _write(tmp_path / "a" / "one.txt", ARTICLE.replace("2,000", "3,000"))
    _write(tmp_path / "a" / ".hidden.txt", ARTICLE)
    _write(tmp_path / ".git" / "x.txt", ARTICLE)
    _write(tmp_path / "a" / "one.txt.meta.json", "{}")
    docs = list(iter_documents([tmp_path, tmp_path / "a" / "one.txt", str(tmp_path / "**" / "*.txt")]))
    assert [Path(d.path).relative_to(tmp_path).as_posix() for d in docs] == ["a/one.txt", "b/two.txt"]


# --- the seeds and the project's examples, through the whole ingest path -----------

ROOT = Path(__file__).resolve().parent.parent


def test_seeds_with_a_manifest(seeds: Path, tmp_path: Path) -> None:
    names = sorted(p.name for p in seeds.glob("*.txt"))
    manifest_path = _write(
        tmp_path / "manifest.json",
        json.dumps({names[0]: {"published": "2017-07-20"}, names[1]: {"published": "2016-08-20"}}),
    )
    docs = {Path(d.path).name[:3]: d for d in iter_documents([seeds], manifest=Manifest.load(manifest_path))}
    assert docs["000"].published == "2017-07-20" and docs["000"].author == "Alissa Stechschulte"
    assert docs["003"].published == "2016-08-20"
    assert docs["003"].repost is True and docs["003"].original_publisher == "Rudaw"
    assert docs["003"].extra["published_text"] == "yesterday at 09:51"
    assert all(d.status == "ok" and d.language == "en" for d in docs.values())


def test_examples_ingest_as_documented() -> None:
    examples = ROOT / "examples"
    docs = list(iter_documents([examples], manifest=Manifest.load(examples / "manifest.csv")))
    names = [Path(d.path).name for d in docs]
    assert "manifest.csv" not in names
    assert len(docs) == 13
    assert [n for n, d in zip(names, docs) if not d.ok] == ["2017-07-12_depeche-fr.txt"]
    reposts = [d for d in docs if d.repost]
    assert [(Path(d.path).name, d.original_publisher) for d in reposts] == [
        ("2016-08-24_caliphate-watch_repost.txt", "Northern Herald")
    ]
    formats = {d.format for d in docs}
    assert formats == {"text", "html", "jsonl"}
    assert all(d.published for d in docs)
    for doc in docs:  # no debris line survives in any example
        assert "Font Size" not in doc.text and "Tags" not in doc.text and "Leave a Reply" not in doc.text


def test_csv_without_text_column_gets_one_reason(tmp_path: Path) -> None:
    manifest_like = tmp_path / "manifest.csv"
    manifest_like.write_text("file,published\na.txt,2017-07-20\nb.txt,2016-08-20\n", encoding="utf-8")
    docs = list(iter_documents([tmp_path]))
    assert len(docs) == 1
    assert docs[0].status == "skipped"
    assert "no text column" in (docs[0].reason or "")
