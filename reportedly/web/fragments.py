"""The two largest fragments of the busiest pages, written in Python.

The claims table (search results, series and source pages) has 50 rows of
a dozen escaped fields each, and the search page's facet list some 80
links. A Jinja loop pays attribute lookups and filter calls per field;
here every text of the table is escaped by one call to markupsafe's
``escape`` (the texts joined by NUL, escaped, split again), which escapes
exactly as the templates do at a quarter of the cost of one call per field.
Link targets are URL-quoted, which leaves nothing to escape. Templates call
them as ``claims_table(rows)`` and ``facet_list(...)``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

__all__ = ["claims_table", "escape_all", "facet_list"]

_HEAD = (
    '<table class="claims">\n<thead><tr><th>Claim</th><th>Figure</th><th>Source</th><th>For</th>'
    "<th>Published</th></tr></thead>\n<tbody>\n"
)
_EMPTY = '<tr><td colspan="5" class="muted">No claims.</td></tr>\n'
_TAIL = "</tbody>\n</table>"
_SEP = "\x00"
#: Texts escaped per row, in this order (see _texts).
_TEXTS = 10


def escape_all(texts: Sequence[str]) -> list[str]:
    """``[str(escape(t)) for t in texts]``, in one call to ``escape``."""
    joined = _SEP.join(texts)
    if joined.count(_SEP) != len(texts) - 1:  # a text holds the separator itself
        return [str(escape(t)) for t in texts]
    return str(escape(joined)).split(_SEP) if texts else []


def _texts(c: Mapping[str, Any]) -> list[str]:
    return [
        c.get("kind") or "",
        c.get("sentence") or "",
        c.get("source_name") or c.get("source_text") or "",
        c.get("cue") or "",
        c.get("time_start") or "",
        c.get("time_end") or "",
        (c.get("published") or "")[:10],
        c.get("publisher") or "",
        c.get("unit") or "",
        c.get("entity_lemma") or "",
    ]


# Ids are hex digits with an optional "~n" copy suffix: nothing to quote.
_PLAIN = re.compile(r"[0-9A-Za-z~_.-]+")


def _quote_id(value: str) -> str:
    return value if _PLAIN.fullmatch(value) else quote(value)


@lru_cache(maxsize=65536)
def _quote_name(value: str) -> str:
    # Source names repeat from row to row and page to page.
    return quote(value)


def _number(value: float) -> str:
    return f"{value:,.10g}"


def _figure(c: Mapping[str, Any], unit: str, entity: str) -> str:
    bound = c.get("bound")
    # A bound is one of a few fixed symbols; escaped anyway, it comes from the store.
    out = [str(escape(bound)) if bound and bound != "=" else ""]
    value, low, high = c.get("value"), c.get("low"), c.get("high")
    if value is not None:
        out.append(_number(value))
    elif low is not None:
        out.append(f"{_number(low)}–{_number(high) if high is not None else '…'}")
    if unit and unit != entity:
        out.append(f" {unit}")
    if entity:
        out.append(f' <span class="entity">{entity}</span>')
    return "".join(out)


def _row(c: Mapping[str, Any], e: Sequence[str]) -> str:
    """One ``<tr>``; ``e`` holds the row's escaped texts (see _texts)."""
    kind, sentence, src, cue, start, end, published, publisher, unit, entity = e
    raw_src = c.get("source_name") or c.get("source_text")
    source = f'<a href="/sources/{_quote_name(raw_src)}">{src}</a>' if raw_src else '<span class="muted">unattributed</span>'
    if cue:
        source += f' <span class="cue">{cue}</span>'
    when = start + (f" – {end}" if end and end != start else "")
    if publisher:
        published += f' <span class="muted">{publisher}</span>'
    figure = _figure(c, unit, entity) if c.get("kind") == "quantity" else ""
    return (
        f'<tr class="{kind}">\n'
        f'  <td><a class="claim-link" href="/claims/{_quote_id(c["id"])}">{sentence}</a></td>\n'
        f'  <td class="num">{figure}</td>\n'
        f"  <td>{source}</td>\n"
        f"  <td>{when}</td>\n"
        f"  <td>{published}</td>\n"
        "</tr>\n"
    )


def claims_table(rows: Sequence[Mapping[str, Any]]) -> Markup:
    """The whole table; says "No claims." when ``rows`` is empty."""
    texts: list[str] = []
    for c in rows:
        texts.extend(_texts(c))
    escaped = escape_all(texts)
    body = "".join(_row(c, escaped[i * _TEXTS : (i + 1) * _TEXTS]) for i, c in enumerate(rows))
    return Markup(_HEAD + (body or _EMPTY) + _TAIL)


def facet_list(
    facets: Mapping[str, Sequence[Mapping[str, Any]]],
    links: Mapping[str, Mapping[str, str]],
    query: Mapping[str, str],
    approximate: bool,
) -> Markup:
    """The search page's facets: per facet, its values linked to the search filtered by them.

    ``facets`` maps a facet to its ``{"value", "count"}`` items, ``links`` a
    facet and value to the filtered search's URL, ``query`` holds the
    filters in force (their values are marked ``on``).
    """
    names = [name for name, values in facets.items() if values]
    texts: list[str] = []
    for name in names:
        texts.append(name)
        for f in facets[name]:
            texts.extend((str(f["value"]), links[name][f["value"]]))
    escaped = iter(escape_all(texts))
    mark = "≈" if approximate else ""
    out = []
    for name in names:
        label = next(escaped)
        out.append(f'<section class="facet" data-facet="{label}">\n<h3>{label}</h3>\n<ul>\n')
        for f in facets[name]:
            value, href = next(escaped), next(escaped)
            on = ' class="on"' if query.get(name) == f["value"] else ""
            out.append(f'<li{on}><a href="{href}">{value}</a> <span class="muted">{mark}{int(f["count"])}</span></li>\n')
        out.append("</ul>\n</section>\n")
    return Markup("".join(out))
