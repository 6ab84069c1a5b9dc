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

__all__ = ["claim_rows", "claims_table", "escape_all", "facet_list", "table_around"]

_HEAD = (
    '<table class="claims">\n<thead><tr><th>Claim</th><th>Figure</th><th>Source</th><th>For</th>'
    "<th>Published</th></tr></thead>\n<tbody>\n"
)
_EMPTY = '<tr><td colspan="5" class="muted">No claims.</td></tr>\n'
_TAIL = "</tbody>\n</table>"
_SEP = "\x00"


def escape_all(texts: Sequence[str]) -> list[str]:
    """``[str(escape(t)) for t in texts]``, in one call to ``escape``."""
    joined = _SEP.join(texts)
    if joined.count(_SEP) != len(texts) - 1:  # a text holds the separator itself
        return [str(escape(t)) for t in texts]
    return str(escape(joined)).split(_SEP) if texts else []


# Ids are hex digits with an optional "~n" copy suffix: nothing to quote.
_PLAIN = re.compile(r"[0-9A-Za-z~_.-]+")


def _quote_id(value: str) -> str:
    return value if _PLAIN.fullmatch(value) else quote(value)


@lru_cache(maxsize=65536)
def _quote_name(value: str) -> str:
    # Source names repeat from row to row and page to page.
    return quote(value)


def _figure(value: float | None, low: float | None, high: float | None, bound: str, unit: str, entity: str) -> str:
    """A quantity's cell: bound, value or range, unit and entity (texts already escaped)."""
    if value is not None:
        number = f"{value:,.10g}"
    elif low is not None:
        number = f"{low:,.10g}–{f'{high:,.10g}' if high is not None else '…'}"
    else:
        number = ""
    return (
        (bound if bound != "=" else "")
        + number
        + (f" {unit}" if unit and unit != entity else "")
        + (f' <span class="entity">{entity}</span>' if entity else "")
    )


def claims_table(rows: Sequence[Mapping[str, Any]]) -> Markup:
    """The whole table; says "No claims." when ``rows`` is empty.

    ``rows`` are claim list rows (:data:`~reportedly.web.ledger.CLAIM_LIST_COLUMNS`
    plus publisher and published).
    """
    return table_around(claim_rows(rows))


def table_around(body: str) -> Markup:
    """The claims table around ``body``, rows made by :func:`claim_rows` (none: "No claims.")."""
    return Markup(_HEAD + (body or _EMPTY) + _TAIL)


def claim_rows(rows: Sequence[Mapping[str, Any]]) -> str:
    """The table's ``<tr>`` rows, every text escaped."""
    texts: list[str] = []
    for c in rows:
        texts += (
            c["kind"] or "",
            c["sentence"] or "",
            c["source_name"] or c["source_text"] or "",
            c["cue"] or "",
            c["time_start"] or "",
            c["time_end"] or "",
            (c["published"] or "")[:10],
            c["publisher"] or "",
            c["unit"] or "",
            c["entity_lemma"] or "",
            c["bound"] or "",
        )
    escaped = escape_all(texts)
    out = []
    for i, c in enumerate(rows):
        kind, sentence, src, cue, start, end, published, publisher, unit, entity, bound = escaped[i * 11 : i * 11 + 11]
        raw_src = c["source_name"] or c["source_text"]
        out.append(
            f'<tr class="{kind}">\n'
            f'  <td><a class="claim-link" href="/claims/{_quote_id(c["id"])}">{sentence}</a></td>\n'
            '  <td class="num">'
            + (_figure(c["value"], c["low"], c["high"], bound, unit, entity) if c["kind"] == "quantity" else "")
            + "</td>\n  <td>"
            + (f'<a href="/sources/{_quote_name(raw_src)}">{src}</a>' if raw_src else '<span class="muted">unattributed</span>')
            + (f' <span class="cue">{cue}</span>' if cue else "")
            + f"</td>\n  <td>{start}"
            + (f" – {end}" if end and end != start else "")
            + f"</td>\n  <td>{published}"
            + (f' <span class="muted">{publisher}</span>' if publisher else "")
            + "</td>\n</tr>\n"
        )
    return "".join(out)


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
