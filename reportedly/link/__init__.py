"""Linking across articles: reposts, stories, series, and what they show.

    from reportedly.link import link, relink
    result = link(documents, claims)        # pure: plain dataclasses out
    summary = relink(store)                 # read the store, link, replace the link tables

The steps, each in its own module:

* ``reposts``: exact / near-duplicate documents and credits -> repost groups;
* ``stories``: documents about one event -> stories;
* ``series``: quantity claims keyed by counted thing, actor, places, unit;
* ``reportedly.analyse``: per series conflicts, updates, corroborations and
  derived totals, and contradicting statements across the corpus.

Vocabularies (``reportedly/data/link_*.json``) are loaded by
:class:`~reportedly.link.vocab.Vocabulary`; pass your own to extend them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["LinkResult", "LinkSummary", "Vocabulary", "link", "relink"]

if TYPE_CHECKING:
    from reportedly.link.linker import link, relink
    from reportedly.link.model import LinkResult, LinkSummary
    from reportedly.link.vocab import Vocabulary

_LAZY = {
    "link": "reportedly.link.linker",
    "relink": "reportedly.link.linker",
    "LinkResult": "reportedly.link.model",
    "LinkSummary": "reportedly.link.model",
    "Vocabulary": "reportedly.link.vocab",
}


def __getattr__(name: str) -> Any:
    # Lazy so that ``reportedly.analyse`` can import ``reportedly.link.series``
    # without the package pulling ``reportedly.analyse`` back in (a cycle).
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
