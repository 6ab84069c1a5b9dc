"""Series: claims about the same measured quantity, across documents.

A quantity claim's :class:`SeriesKey` is what is counted (the entity lemma
mapped through the synonym vocabulary: militants, fighters and jihadists
are all "fighter"), whose (the actor through its aliases: IS, ISIL, Daesh
are "ISIS"), where (the most specific gazetteer places, a composite such as
"Iraq and Syria" being a set of two) and the unit. The key is a blocking
key: claims are grouped with one dictionary lookup each, never compared
pairwise, so grouping streams over any number of claims.

Each series holds :class:`Entry` points for its timeline: the reported
claims, plus the earlier figure a claim reports it changed from ("down from
more than 30,000"), which becomes a ``previous`` entry dated before the
claim. Copies of one figure inside a repost group are counted once.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from reportedly.link.places import Gazetteer, PlaceSet
from reportedly.link.qualifiers import SourceCues, around, counts_sources, event, postmodifier
from reportedly.link.vocab import Vocabulary, normalise_text
from reportedly.types import Claim, Document

__all__ = ["Entry", "Series", "SeriesKey", "build_series", "series_key"]

EntryRole = Literal["reported", "previous"]


@dataclass(frozen=True, slots=True)
class SeriesKey:
    """What a series measures; equal keys mean the same quantity."""

    entity: str
    actor: str | None
    places: tuple[str, ...]
    unit: str
    #: What happened to the counted things ("killed"), None for a standing number.
    event: str | None = None

    @property
    def id(self) -> str:
        parts = [self.entity, self.actor or "", ",".join(self.places), self.unit]
        if self.event:  # keys without an event keep the ids they always had
            parts.append(self.event)
        return "s" + hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:12]


@dataclass(slots=True)
class Entry:
    """One figure on a series timeline.

    ``low``/``high`` bracket the figure as reported (``high`` None for "more
    than"/vague amounts); ``time_start``/``time_end`` are ISO dates, None when
    unknown or open. ``copies`` lists the claim ids of reposted copies
    collapsed into this entry.
    """

    id: str
    claim_id: str
    doc_id: str
    role: EntryRole
    text: str
    low: float | None
    high: float | None
    bound: str
    vague: bool
    time_start: str | None
    time_end: str | None
    time_text: str | None
    source: str | None
    publisher: str | None
    group: str
    evidence: str
    places: PlaceSet = frozenset()
    actor: str | None = None
    copies: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Series:
    """Claims about one measured quantity; ``forms`` counts the entity as written."""

    key: SeriesKey
    place_names: tuple[str, ...]
    entries: list[Entry] = field(default_factory=list)
    forms: Counter[str] = field(default_factory=Counter)
    actor_forms: Counter[str] = field(default_factory=Counter)

    @property
    def id(self) -> str:
        return self.key.id

    @property
    def label(self) -> str:
        """Readable name: "militants/fighters, ISIS, Iraq and Syria"."""
        counts: Counter[str] = Counter()
        for form, n in self.forms.items():
            # "islamic state fighters" is "fighters" with its owner spelled in:
            # the owner already has its own place in the label.
            head = next((g for g in self.forms if g != form and form.endswith(" " + g)), form)
            counts[head] += n
        forms = sorted(counts, key=lambda f: (-counts[f], f)) or [self.key.entity]
        parts = ["/".join(forms[:4]) + (f" {self.key.event}" if self.key.event else "")]
        if self.key.actor:
            parts.append(self.key.actor)
        if self.place_names:
            parts.append(" and ".join(self.place_names))
        if self.key.unit != "count":
            parts.append(self.key.unit)
        return ", ".join(parts)


def _unit(claim: Claim, entity: str, vocab: Vocabulary) -> str:
    """"count" for plain counts (the unit is then the counted thing itself)."""
    q = claim.quantity
    assert q is not None
    if not q.unit or vocab.entity(q.unit) == entity or normalise_text(q.unit) == normalise_text(q.entity or ""):
        return "count"
    return normalise_text(q.unit)


def series_key(
    claim: Claim, vocab: Vocabulary, gazetteer: Gazetteer, cues: SourceCues | None = None
) -> tuple[SeriesKey, PlaceSet] | None:
    """The key of the series a quantity claim belongs to; None when it counts nothing named.

    Beyond the frame, the sentence adds what qualifies the counted noun
    after it ("cases of Ebola" -> "ebola case") and the event whose victims
    the figure counts ("killing 100 fighters" -> event "killed"); a figure
    counting a report's sources ("a report from one doctor") has no series.
    """
    q = claim.quantity
    if claim.kind != "quantity" or q is None:
        return None
    if cues is not None and counts_sources(claim, cues):
        return None
    base = _base_key(claim, vocab, gazetteer)
    if base is None:
        return None
    (entity, actor, places, unit) = base
    return _refine(claim, entity, actor, places, unit, vocab, gazetteer), places


def _base_key(claim: Claim, vocab: Vocabulary, gazetteer: Gazetteer) -> tuple[str, str | None, PlaceSet, str] | None:
    """Entity, actor, places and unit from the frame alone."""
    q = claim.quantity
    assert q is not None
    entity = vocab.entity(q.entity_lemma or q.entity, keep=gazetteer.is_demonym)
    if not entity or entity in vocab.not_counted:
        return None
    places = gazetteer.place_set(q.locations)
    actor = vocab.actor(q.actor)
    if actor is None and entity.rsplit(" ", 1)[-1] in vocab.members:
        # "the number of militants" in a sentence naming ISIS counts ISIS's
        # militants; doctors or cases in such a sentence are nobody's.
        actor = vocab.actor_in(claim.sentence)
    return entity, actor, places, _unit(claim, entity, vocab)


def _refine(claim: Claim, entity: str, actor: str | None, places: PlaceSet, unit: str, vocab: Vocabulary,
            gazetteer: Gazetteer) -> SeriesKey:
    words = around(claim)
    qualifier = postmodifier(claim, vocab, gazetteer, words)
    if qualifier and vocab.entity(qualifier) != entity:
        entity = f"{qualifier.lower()} {entity}"
    return SeriesKey(entity=entity, actor=actor, places=tuple(sorted(p.id for p in places)), unit=unit,
                     event=event(claim, vocab, words))


def _key_cached(
    claim: Claim,
    vocab: Vocabulary,
    gazetteer: Gazetteer,
    cache: dict[tuple[object, ...], tuple[str, str | None, PlaceSet, str] | None],
) -> tuple[SeriesKey, PlaceSet] | None:
    """:func:`series_key` (without the source-count test), the frame's part memoised (corpora repeat it endlessly)."""
    q = claim.quantity
    if claim.kind != "quantity" or q is None:
        return None
    sentence = claim.sentence if not q.actor else ""
    k = (q.entity_lemma, q.entity, q.actor, tuple(q.locations), q.unit, sentence)
    if k not in cache:
        cache[k] = _base_key(claim, vocab, gazetteer)
    base = cache[k]
    if base is None:
        return None
    entity, actor, places, unit = base
    return _refine(claim, entity, actor, places, unit, vocab, gazetteer), places


def _publisher(doc: Document | None) -> str | None:
    if doc is None:
        return None
    return doc.original_publisher or doc.publisher


def _day_before(iso: str | None) -> str | None:
    from datetime import date, timedelta

    if not iso:
        return None
    return (date.fromisoformat(iso[:10]) - timedelta(days=1)).isoformat()


def _own_time(previous: Claim, changed: Claim) -> bool:
    """Whether the earlier figure of a change was given a time of its own, apart from the changed figure's."""
    return previous.time.anchor == "text" and (previous.time.start, previous.time.end) != (changed.time.start, changed.time.end)


def _previous_values(claim: Claim) -> set[float]:
    q = claim.quantity
    if q is None or q.change is None:
        return set()
    return {v for v in (q.change.previous_low, q.change.previous_high) if v is not None}


def build_series(
    claims: Iterable[Claim],
    documents: Mapping[str, Document],
    groups: Mapping[str, str],
    vocab: Vocabulary,
    gazetteer: Gazetteer,
) -> list[Series]:
    """Group quantity claims into series (one pass, one dict lookup per claim).

    ``groups`` maps a document id to its repost group id (documents not in
    it are their own group). A claim that only restates, in the same
    sentence, the earlier figure another claim changed from ("down from more
    than 30,000") is folded into that claim's ``previous`` entry rather than
    dated as a figure of its own.
    """
    cues = SourceCues.load()
    series: dict[SeriesKey, Series] = {}
    # Copies of one figure within one repost group: (series, group, figure, time) -> entry.
    seen: dict[tuple[object, ...], Entry] = {}
    by_sentence: dict[tuple[str, int], list[Claim]] = {}  # the claims with a change, by sentence
    in_sentence: dict[tuple[str, int], list[Claim]] = {}  # every keyed claim, by sentence
    keyed: list[tuple[Claim, SeriesKey, PlaceSet]] = []
    key_cache: dict[tuple[object, ...], tuple[str, str | None, PlaceSet, str] | None] = {}
    # Where each document names its sources: a figure inside one counts sources.
    source_spans: dict[str, list[tuple[int, int]]] = {}
    for claim in claims:
        src = claim.source
        if src is not None and src.start is not None and src.end is not None and not src.resolved_from:
            source_spans.setdefault(claim.doc_id, []).append((src.start, src.end))
        found = _key_cached(claim, vocab, gazetteer, key_cache)
        if found is None:
            continue
        keyed.append((claim, *found))
        in_sentence.setdefault((claim.doc_id, claim.sentence_start), []).append(claim)
        if claim.quantity and claim.quantity.change:
            by_sentence.setdefault((claim.doc_id, claim.sentence_start), []).append(claim)
    keyed = [k for k in keyed if not counts_sources(k[0], cues, source_spans.get(k[0].doc_id, []))]

    # A claim naming no actor joins the series of the same quantity with an
    # actor when there is exactly one such actor ("the number of militants"
    # in an article about ISIS); with two candidates it stays apart.
    actors: dict[tuple[str, tuple[str, ...], str, str | None], set[str]] = {}
    for _, key, _ in keyed:
        if key.actor:
            actors.setdefault((key.entity, key.places, key.unit, key.event), set()).add(key.actor)
    for i, (claim, key, places) in enumerate(keyed):
        found_actors = actors.get((key.entity, key.places, key.unit, key.event), set())
        if key.actor is None and len(found_actors) == 1:
            keyed[i] = (claim, SeriesKey(key.entity, next(iter(found_actors)), key.places, key.unit, key.event), places)

    for claim, key, places in keyed:
        q = claim.quantity
        assert q is not None
        # A figure that is another claim's "previous" in the same sentence, unless
        # it has a time of its own ("down from 15,000 in August"): then it is
        # the entry, and the change adds no undated one of its own.
        siblings = by_sentence.get((claim.doc_id, claim.sentence_start), [])
        if any(
            s.id != claim.id and (q.low in _previous_values(s) or q.high in _previous_values(s)) and not _own_time(claim, s)
            for s in siblings
        ):
            continue
        doc = documents.get(claim.doc_id)
        group = groups.get(claim.doc_id, claim.doc_id)
        s = series.get(key)
        if s is None:
            names = tuple(sorted(p.name for p in places))
            s = series[key] = Series(key=key, place_names=names)
        source = claim.source.name or claim.source.text if claim.source else None
        entry = Entry(
            id=claim.id,
            claim_id=claim.id,
            doc_id=claim.doc_id,
            role="reported",
            text=q.text,
            low=q.low if q.low is not None else q.value,
            high=q.high if q.high is not None else q.value,
            bound=q.bound,
            vague=q.vague,
            time_start=claim.time.start,
            time_end=claim.time.end,
            time_text=claim.time.text,
            source=source,
            publisher=_publisher(doc),
            group=group,
            evidence=claim.sentence,
            places=places,
            actor=q.actor,
        )
        copy_key = (key, group, entry.low, entry.high, entry.bound, entry.time_start, entry.time_end)
        if copy_key in seen:
            seen[copy_key].copies.append(claim.id)
            continue
        seen[copy_key] = entry
        s.entries.append(entry)
        if q.entity:
            s.forms[q.entity.lower()] += 1
        ch = q.change
        if ch and ch.previous_text and ch.previous_text in claim.sentence:
            # "up to more than 30,000 fighters": the earlier figure's own wording.
            after = claim.sentence[claim.sentence.index(ch.previous_text) :].split()[:8]
            for word in after:
                word = word.strip(".,;:")
                if word.isalpha() and vocab.entity(word) == key.entity:
                    s.forms[word.lower()] += 1
                    break
        dated = any(
            o.id != claim.id
            and o.quantity is not None
            and (o.quantity.low in _previous_values(claim) or o.quantity.high in _previous_values(claim))
            and _own_time(o, claim)
            for o in in_sentence.get((claim.doc_id, claim.sentence_start), [])
        )
        if ch is not None and (ch.previous_low is not None or ch.previous_high is not None) and not dated:
            prev_bound = ch.previous_bound or "="
            s.entries.append(
                Entry(
                    id=f"{claim.id}~prev",
                    claim_id=claim.id,
                    doc_id=claim.doc_id,
                    role="previous",
                    text=ch.previous_text or "",
                    low=ch.previous_low if ch.previous_low is not None else ch.previous_high,
                    high=ch.previous_high if ch.previous_high is not None else ch.previous_low,
                    bound=prev_bound,
                    vague=False,
                    time_start=None,
                    time_end=_day_before(claim.time.start),
                    time_text=f"before {claim.time.text}" if claim.time.text else "earlier",
                    source=source,
                    publisher=_publisher(doc),
                    group=group,
                    evidence=claim.sentence,
                    places=places,
                    actor=q.actor,
                )
            )
    return sorted(series.values(), key=lambda s: (-len(s.entries), s.id))
