"""What each page shows, as one dict per page.

Each builder takes the ledger, the read paths prepared at start-up
(:class:`~reportedly.web.readmodel.ReadPaths`), the path parameters and the
query parameters and returns the page's data: exactly what its JSON twin
serves. Anything only the HTML page needs (marked-up article text, chart
geometry) goes under the ``"_html"`` key, which the JSON twin drops; a
``"_json"`` callable adds fields only the twin needs (a series' chart data,
which the page shows pre-rendered), so HTML requests never decode them.
Builders raise :class:`~reportedly.errors.NotFound` for unknown ids and
``ValueError`` for unusable parameters (answered 404 and 400).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import quote_plus

from reportedly.errors import NotFound
from reportedly.types import Claim
from reportedly.web import series as series_data
from reportedly.web.highlight import Span, highlight
from reportedly.web.ledger import Ledger, SearchQuery
from reportedly.web.readmodel import ReadPaths
from reportedly.web.searchindex import FACETS, parse_period, tokenize

__all__ = ["claim", "document", "overview", "search", "series", "series_list", "source", "sources"]

Params = Mapping[str, str]
MAX_QUERY_CHARS = 500
MAX_PAGE = 10_000


def int_param(params: Params, name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, not {raw!r}") from None
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, not {value}")
    return value


def text_param(params: Params, name: str, limit: int = 200) -> str | None:
    raw = params.get(name)
    if raw is None or not raw.strip():
        return None
    if len(raw) > limit:
        raise ValueError(f"{name} is longer than {limit} characters")
    return raw.strip()


def overview(ledger: Ledger, read: ReadPaths, path: Params, params: Params) -> dict[str, Any]:
    return {
        "counts": ledger.counts(),
        "conflicts": series_data.newest_conflicts(ledger, limit=10),
        "series": series_data.biggest_series(ledger, limit=10),
        "linked": series_data.is_linked(ledger),
    }


def search(ledger: Ledger, read: ReadPaths, path: Params, params: Params) -> dict[str, Any]:
    query = SearchQuery(
        q=text_param(params, "q", MAX_QUERY_CHARS) or "",
        source=text_param(params, "source"),
        publisher=text_param(params, "publisher"),
        entity=text_param(params, "entity"),
        actor=text_param(params, "actor"),
        location=text_param(params, "location"),
        time=text_param(params, "time", 10),
        kind=text_param(params, "kind", 20),
        page=int_param(params, "page", 1, 1, MAX_PAGE),
        per_page=int_param(params, "per_page", 50, 1, 200),
    )
    if query.kind not in (None, "quantity", "statement"):
        raise ValueError(f"kind must be quantity or statement, not {query.kind!r}")
    if query.time:
        parse_period(query.time)  # raises ValueError with the accepted forms
    hit = read.search.search(
        tokenize(query.q),
        query.filters(),
        offset=(query.page - 1) * query.per_page,
        limit=query.per_page,
    )
    active = {"q": query.q, **query.filters()} if query.q else query.filters()
    pages = max(1, -(-hit.total // query.per_page))
    return {
        "query": {"q": query.q, **query.filters()},
        "page": query.page,
        "per_page": query.per_page,
        "total": hit.total,
        "pages": pages,
        "results": read.claims.rows(hit.numbers),
        "facets": {name: [{"value": v, "count": c} for v, c in hit.facets.get(name, [])] for name in FACETS},
        "facets_approximate": hit.approximate,
        # Links are built here, not in the template: dozens per page, and
        # joining pre-quoted parts is much cheaper than dict juggling in Jinja.
        "_html": {"links": _search_links(active, hit.facets, query.page, pages)},
    }


def _search_links(
    active: dict[str, str], facets: dict[str, list[tuple[str, int]]], page: int, pages: int
) -> dict[str, Any]:
    """Facet, filter-removal and pager links, the same as ``urlencode({**active, **changes})``.

    Dozens per page, so each value is quoted once and the query strings are
    joined from the quoted parts instead of re-encoding the whole query per link.
    """
    quoted = {k: f"{k}={_quote(v)}" for k, v in active.items() if v not in (None, "")}

    def href(name: str, value: str | int | None) -> str:
        parts = dict(quoted)
        if value is None or value == "":
            parts.pop(name, None)
        else:
            parts[name] = f"{name}={_quote(str(value))}"
        return "/search?" + "&".join(parts.values())

    return {
        "facet": {name: {v: href(name, v) for v, _ in values} for name, values in facets.items()},
        "remove": {name: href(name, None) for name in active if name != "q"},
        "previous": href("page", page - 1) if page > 1 else None,
        "next": href("page", page + 1) if page < pages else None,
    }


@lru_cache(maxsize=65536)
def _quote(value: str) -> str:
    # Facet values repeat from page to page; quoting them is most of a link's cost.
    return quote_plus(value)


def series_list(ledger: Ledger, read: ReadPaths, path: Params, params: Params) -> dict[str, Any]:
    page = int_param(params, "page", 1, 1, MAX_PAGE)
    total, rows = series_data.series_page(ledger, limit=100, offset=(page - 1) * 100)
    return {"page": page, "total": total, "series": rows, "linked": series_data.is_linked(ledger)}


def series(ledger: Ledger, read: ReadPaths, path: Params, params: Params) -> dict[str, Any]:
    """One series: its prepared head (chart, conflicts, derived values) and a page of its claims."""
    page = int_param(params, "page", 1, 1, MAX_PAGE)
    if not series_data.is_linked(ledger):
        raise NotFound("series", path["series_id"])
    prepared = read.series.get(path["series_id"])
    per_page = series_data.CLAIMS_PER_PAGE
    start, stop = (page - 1) * per_page, page * per_page

    def json_only() -> dict[str, Any]:
        # Series info, entries, relations, derived values and the claim rows:
        # the page shows them pre-rendered, so only the twin decodes them.
        return {**prepared.data(), "claims": read.claims.rows(prepared.numbers[start:stop].tolist())}

    return {
        "page": page,
        "pages": max(1, -(-prepared.numbers.size // per_page)),
        "_html": {"title": prepared.title, "head": prepared.head, "table": prepared.table(start, stop)},
        "_json": json_only,
    }


def _claim_spans(claim: Claim, *, evidence: bool) -> list[Span]:
    """The marked parts of one claim: its sentence, source, cue and content."""
    spans: list[Span] = []
    if evidence:
        spans.append(Span(claim.sentence_start, claim.sentence_end, "evidence", anchor="evidence"))
    src = claim.source
    if src is not None and src.start is not None and src.end is not None:
        spans.append(Span(src.start, src.end, "source", title=f"source: {src.name or src.text}"))
    if claim.cue_start is not None and claim.cue_end is not None:
        spans.append(Span(claim.cue_start, claim.cue_end, "cue", title="cue"))
    if claim.content_start is not None and claim.content_end is not None:
        spans.append(Span(claim.content_start, claim.content_end, "content", title="content"))
    css = "quantity" if claim.kind == "quantity" else "statement"
    spans.append(Span(claim.start, claim.end, css, title=claim.kind))
    return spans


def claim(ledger: Ledger, read: ReadPaths, path: Params, params: Params) -> dict[str, Any]:
    frame = ledger.claim(path["claim_id"])
    doc = ledger.document(frame.doc_id)
    text = doc.pop("text") or ""
    return {
        "claim": frame.to_dict(),
        "document": doc,
        "series": series_data.series_of_claim(ledger, frame.id),
        "_html": {"marked_text": highlight(text, _claim_spans(frame, evidence=True))},
    }


def document(ledger: Ledger, read: ReadPaths, path: Params, params: Params) -> dict[str, Any]:
    doc = ledger.document(path["doc_id"])
    claims = ledger.document_claims(doc["id"])
    spans = [
        Span(c.start, c.end, f"claim {c.kind}", href=f"/claims/{c.id}", title=f"{c.kind} claim")
        for c in claims
    ]
    text = doc.get("text") or ""
    return {
        "document": doc,
        "claims": [c.to_dict() for c in claims],
        "reposts": series_data.repost_group(ledger, doc["id"]),
        "_html": {"marked_text": highlight(text, spans)},
    }


def sources(ledger: Ledger, read: ReadPaths, path: Params, params: Params) -> dict[str, Any]:
    page = int_param(params, "page", 1, 1, MAX_PAGE)
    per_page = 100
    total, rows = ledger.sources(limit=per_page, offset=(page - 1) * per_page)
    return {"page": page, "pages": max(1, -(-total // per_page)), "total": total, "sources": rows}


def source(ledger: Ledger, read: ReadPaths, path: Params, params: Params) -> dict[str, Any]:
    limit = int_param(params, "limit", 200, 1, 1000)
    info, rows = ledger.source_claims(path["name"], limit)
    return {"source": info, "claims": rows}
