"""Derived totals: parts that add up to a whole some series reports.

"About 4,000 fighters ... in Iraq" and "an estimated 7,000 fighters" in
Syria, from one document, one source and one reference time, add up to a
figure for the composite "Iraq and Syria". When a series for that whole
exists (same counted thing and unit; same actor, or the parts name none),
the sum is attached to it as a :class:`DerivedValue`: labelled as derived,
listing its parts, and kept apart from the reported entries so that it is
never mistaken for something a source said.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from reportedly.link.places import PlaceSet
from reportedly.link.series import Entry, Series

__all__ = ["DerivedValue", "derive_totals"]


@dataclass(slots=True)
class DerivedValue:
    """A sum of reported parts, shown against a reported whole."""

    id: str
    series_id: str
    value: float
    bound: str
    parts: list[str]
    label: str
    doc_id: str
    time_start: str | None
    time_end: str | None
    time_text: str | None
    source: str | None
    publisher: str | None
    part_entries: list[Entry] = field(default_factory=list)


def _point(e: Entry) -> float | None:
    """Only point figures add up; ranges, bounds and vague amounts do not."""
    if e.role != "reported" or e.vague or e.bound not in ("=", "~") or e.low is None:
        return None
    if e.high is not None and e.high != e.low:
        return None
    return e.low


def derive_totals(series: Iterable[Series]) -> list[DerivedValue]:
    """Derived values for every whole series whose places the parts of one document cover."""
    all_series = list(series)
    # Candidate wholes by (entity, unit): only composite places can be covered by parts.
    wholes: dict[tuple[str, str], list[Series]] = defaultdict(list)
    for s in all_series:
        if len(s.key.places) > 1:
            wholes[(s.key.entity, s.key.unit)].append(s)
    if not wholes:
        return []
    # Parts grouped by what must be shared: document, counted thing, unit, time.
    parts: dict[tuple[object, ...], list[tuple[Series, Entry]]] = defaultdict(list)
    for s in all_series:
        if (s.key.entity, s.key.unit) not in wholes or len(s.key.places) != 1:
            continue
        for e in s.entries:
            if _point(e) is not None:
                parts[(e.doc_id, s.key.entity, s.key.unit, e.time_start, e.time_end)].append((s, e))
    out: list[DerivedValue] = []
    for (doc_id, entity, unit, t0, t1), found in parts.items():
        for whole in wholes[(entity, unit)]:
            picked = _pick(whole, found)
            if picked is None:
                continue
            value = sum(_point(e) or 0.0 for _, e in picked)
            bound = "~" if any(e.bound == "~" for _, e in picked) else "="
            sources = {e.source for _, e in picked if e.source}
            label = " + ".join(f"{_point(e):,.0f} in {' and '.join(s.place_names)}" for s, e in picked)
            ident = "d" + hashlib.sha1(f"{whole.id}|{doc_id}|{t0}|{t1}".encode()).hexdigest()[:12]
            first = picked[0][1]
            out.append(
                DerivedValue(
                    id=ident,
                    series_id=whole.id,
                    value=value,
                    bound=bound,
                    parts=[e.claim_id for _, e in picked],
                    label=f"derived {value:,.0f} = {label}",
                    doc_id=doc_id,
                    time_start=t0,
                    time_end=t1,
                    time_text=first.time_text,
                    source=next(iter(sources)) if len(sources) == 1 else None,
                    publisher=first.publisher,
                    part_entries=[e for _, e in picked],
                )
            )
    return out


def _pick(whole: Series, found: list[tuple[Series, Entry]]) -> list[tuple[Series, Entry]] | None:
    """One part per place of ``whole``, all from one source, actors agreeing; None if not covered.

    Each part lies in exactly one place of the whole and one part is taken
    per place, so the parts are disjoint and cover the whole by construction.
    """
    target: PlaceSet = frozenset(p for s, e in found for p in e.places if p.id in whole.key.places)
    if len(target) != len(whole.key.places):
        return None
    by_place: dict[str, list[tuple[Series, Entry]]] = defaultdict(list)
    for s, e in found:
        if s.key.actor not in (None, whole.key.actor):
            continue
        pid = s.key.places[0]
        if pid in whole.key.places:
            by_place[pid].append((s, e))
    picked: list[tuple[Series, Entry]] = []
    for pid in whole.key.places:
        options = by_place.get(pid, [])
        if len(options) != 1:  # none, or ambiguous: never guess which figure is the part
            return None
        picked.append(options[0])
    sources = {e.source for _, e in picked if e.source}
    if len(sources) > 1:
        return None
    return picked
