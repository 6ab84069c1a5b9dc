"""Marking spans inside untrusted article text, safely.

Article text is hostile input: it may hold ``<script>``, ``onerror=``
attributes, ``javascript:`` links or HTML comments. The text is cut at every
span boundary and *each segment is escaped on its own*; only the ``<mark>``
and ``<a>`` tags written here are markup. Overlapping spans (a source inside
an evidence sentence, two claims sharing words) are flattened: a segment
carries the classes of every span covering it, so no nesting can break.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = ["Span", "highlight"]


@dataclass(frozen=True, slots=True)
class Span:
    """A range of the text to mark: ``css`` class, optional link and title.

    ``href`` must be an app-internal path built by the app (never text taken
    from the article); it is escaped anyway.
    """

    start: int
    end: int
    css: str
    href: str | None = None
    title: str | None = None
    anchor: str | None = None


def highlight(text: str, spans: Iterable[Span]) -> Markup:
    """``text`` as HTML with ``spans`` wrapped in ``<mark>``; everything escaped."""
    usable = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in usable), *(s.end for s in usable)})
    out: list[str] = []
    anchors_done: set[str] = set()
    for left, right in zip(cuts, cuts[1:], strict=False):
        segment = escape(text[left:right])
        covering = [s for s in usable if s.start <= left and right <= s.end]
        if not covering:
            out.append(segment)
            continue
        classes = " ".join(dict.fromkeys(s.css for s in covering))
        attrs = f' class="{escape(classes)}"'
        anchor = next((s.anchor for s in covering if s.anchor and s.start == left), None)
        if anchor and anchor not in anchors_done:
            anchors_done.add(anchor)
            attrs += f' id="{escape(anchor)}"'
        title = next((s.title for s in reversed(covering) if s.title), None)
        if title:
            attrs += f' title="{escape(title)}"'
        href = next((s.href for s in reversed(covering) if s.href), None)
        if href:
            out.append(f'<mark{attrs}><a href="{escape(href)}">{segment}</a></mark>')
        else:
            out.append(f"<mark{attrs}>{segment}</mark>")
    return Markup("".join(out))
