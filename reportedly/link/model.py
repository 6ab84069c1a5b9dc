"""The result of linking a corpus: everything ``store.links`` writes."""

from __future__ import annotations

from dataclasses import dataclass, field

from reportedly.analyse.compare import Relation
from reportedly.analyse.derived import DerivedValue
from reportedly.link.reposts import RepostGroup
from reportedly.link.series import Series

__all__ = ["LinkResult", "LinkSummary"]


@dataclass(slots=True)
class LinkResult:
    """Series with their timelines, relations, derived values, reposts and stories.

    ``stories`` maps a document id to its story id; ``notes`` says what was
    left out and why.
    """

    series: list[Series] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    derived: list[DerivedValue] = field(default_factory=list)
    reposts: list[RepostGroup] = field(default_factory=list)
    stories: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def summary(self, seconds: float = 0.0) -> "LinkSummary":
        kinds = [r.kind for r in self.relations]
        return LinkSummary(
            series=len(self.series),
            series_claims=sum(len(s.entries) for s in self.series),
            conflicts=kinds.count("conflict"),
            contradictions=kinds.count("contradiction"),
            updates=kinds.count("update"),
            corroborations=kinds.count("corroboration"),
            derived=len(self.derived),
            repost_groups=len(self.reposts),
            stories=len(set(self.stories.values())),
            seconds=seconds,
            notes=list(self.notes),
        )


@dataclass(slots=True)
class LinkSummary:
    """Counts of what one relink wrote, for run summaries."""

    series: int = 0
    series_claims: int = 0
    conflicts: int = 0
    contradictions: int = 0
    updates: int = 0
    corroborations: int = 0
    derived: int = 0
    repost_groups: int = 0
    stories: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = (
            f"{self.series} series, {self.conflicts} conflicts, {self.contradictions} contradictions, "
            f"{self.updates} updates, {self.corroborations} corroborations, {self.derived} derived values, "
            f"{self.repost_groups} repost groups, {self.stories} stories ({self.seconds:.1f}s)"
        )
        return text + "".join(f"; {n}" for n in self.notes)
