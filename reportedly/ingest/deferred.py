"""HTML read but not yet parsed: the costly half of ingest, for another process.

Turning a page into text (trafilatura, dates, language) costs about 56
CPU-ms, against about 8 ms for a plain-text article. ``reportedly run
--workers N`` reads files and WARC records in its main process; had it
parsed every page there too, the main process alone would cap a many-core
machine near 18 pages/s. With ``defer=True`` the loaders yield a
:class:`Deferred` for each page instead, a small picklable task that any
process resolves into the very Document the inline path gives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from reportedly.ingest.assemble import problem_document
from reportedly.types import Document

__all__ = ["Deferred", "resolve"]


@dataclass(frozen=True, slots=True)
class Deferred:
    """A page to parse: ``make()`` builds the Document, then each of ``after``
    amends it in order (crawl metadata, a sidecar's note). Every callable is a
    module-level function or a ``functools.partial`` of one, so it pickles."""

    path: str
    make: Callable[[], Document]
    after: tuple[Callable[[Document], Document], ...] = ()

    def then(self, step: Callable[[Document], Document]) -> "Deferred":
        return replace(self, after=(*self.after, step))

    def resolve(self) -> Document:
        """The Document; an error in a parser fails this page alone, as inline."""
        try:
            doc = self.make()
        except Exception as err:  # noqa: BLE001 - one page never stops a run
            detail = " ".join(str(err).split())[:200]
            reason = f"failed while reading: {type(err).__name__}: {detail}"
            doc = problem_document(self.path, reason, self.path.encode(), "failed", "html")
        for step in self.after:
            doc = step(doc)
        return doc


def resolve(item: "Document | Deferred") -> Document:
    """``item`` as a Document, parsing it here if it is still deferred."""
    return item.resolve() if isinstance(item, Deferred) else item
