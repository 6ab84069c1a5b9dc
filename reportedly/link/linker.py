"""The linking steps in order: :func:`link` (pure) and :func:`relink` (store)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from reportedly.analyse.compare import Tolerance, compare_series
from reportedly.analyse.contradictions import find_contradictions
from reportedly.analyse.derived import derive_totals
from reportedly.link.model import LinkResult, LinkSummary
from reportedly.link.places import Gazetteer
from reportedly.link.reposts import find_reposts
from reportedly.link.series import build_series
from reportedly.link.stories import StoryParams, cluster_stories, story_ids
from reportedly.link.vocab import Vocabulary
from reportedly.types import Claim, Document

if TYPE_CHECKING:
    from reportedly.store import Store

__all__ = ["link", "relink"]


def link(
    documents: Iterable[Document],
    claims: Iterable[Claim],
    vocab: Vocabulary | None = None,
    gazetteer: Gazetteer | None = None,
    tolerance: Tolerance = Tolerance(),
    stories: bool = True,
    story_params: StoryParams = StoryParams(),
) -> LinkResult:
    """Link a corpus: a pure function of its documents and claims.

    ``claims`` is consumed once, so it may be a stream from the store.
    Stories are clustered at any size (blocked nearest neighbours, see
    :mod:`reportedly.link.stories`).
    """
    vocab = vocab or Vocabulary.load()
    gazetteer = gazetteer or Gazetteer(vocab)
    docs = {d.id: d for d in documents if d.ok}
    result = LinkResult()
    result.reposts = find_reposts(docs.values())
    groups = {doc_id: g.id for g in result.reposts for doc_id in g.members}

    statements: list[Claim] = []

    def quantities() -> Iterable[Claim]:
        for c in claims:
            if c.kind == "statement":
                statements.append(c)
            elif c.kind == "quantity":
                yield c

    if stories and docs:
        ids = sorted(docs)
        texts = [f"{docs[i].title or ''}\n{docs[i].text}" for i in ids]
        result.stories = story_ids(ids, cluster_stories(texts, story_params))

    result.series = build_series(quantities(), docs, groups, vocab, gazetteer)
    for s in result.series:
        result.relations.extend(compare_series(s, tolerance, stories=result.stories))
    result.derived = derive_totals(result.series)

    def not_subject(name: str) -> bool:
        """Countries, US states, demonyms and actors set the scene; they are not who was killed."""
        if vocab.actor(name) != name or name.upper() in vocab.actors_exact:
            return True
        place = gazetteer.resolve(name)
        return (not place.id.startswith("x:") and "/" not in place.id) or gazetteer.is_demonym(name)

    result.relations.extend(find_contradictions(statements, vocab, groups, not_subject=not_subject))
    return result


def relink(store: "Store", vocab: Vocabulary | None = None, stories: bool = True) -> LinkSummary:
    """Recompute every link of the store and replace its link tables in one transaction."""
    from reportedly.store.links import write_links

    t0 = time.perf_counter()
    result = link(store.iter_documents(status="ok"), store.iter_claims(), vocab=vocab, stories=stories)
    write_links(store.connection, result)
    return result.summary(time.perf_counter() - t0)
