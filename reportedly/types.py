"""The objects that cross module boundaries: documents and claim frames.

Everything here is a plain dataclass that serialises to the public JSONL
contract (``schema/claim.schema.json``, ``schema/document.schema.json``) with
:meth:`to_dict` and back with :meth:`from_dict`. Modules exchange these and
nothing else, so ingest, extraction, the store, linking, the web app and the
Spark job can evolve independently.

Offsets (``start``/``end``) are always character (code point) offsets into
``Document.text``, the *cleaned* text, end exclusive.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from typing import Any, Literal

__all__ = [
    "Bound",
    "Change",
    "Claim",
    "ClaimKind",
    "DocStatus",
    "Document",
    "Quantity",
    "Source",
    "SourceKind",
    "TimeRef",
    "claim_id",
    "content_id",
]

ClaimKind = Literal["quantity", "statement"]
SourceKind = Literal["person", "organisation", "document", "unnamed", "unknown"]
Bound = Literal["=", "~", ">", "<", ">=", "<="]
DocStatus = Literal["ok", "skipped", "failed"]


def content_id(text: str) -> str:
    """Stable 16-hex-digit id of a cleaned text.

    Whitespace is collapsed first so that the same article scraped with
    different line wrapping gets the same id.
    """
    norm = " ".join(text.split())
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:16]


def claim_id(doc_id: str, kind: str, start: int, end: int, key: str = "") -> str:
    """Stable id of a claim: same document, kind and span give the same id."""
    raw = f"{doc_id}:{kind}:{start}:{end}:{key}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def _plain(value: Any) -> Any:
    """``dataclasses.asdict`` without its deep copy of every leaf.

    The frames hold only strings, numbers, None, lists, tuples, dicts and
    other frames, so sharing the immutable leaves is safe; a claim converts
    several times faster, which the store writer feels on every batch.
    """
    if isinstance(value, _Frame):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}  # type: ignore[attr-defined]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class _Frame:
    """Shared (de)serialisation for the dataclasses below."""

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)  # type: ignore[no-any-return]

    @classmethod
    def _known(cls, data: dict[str, Any]) -> dict[str, Any]:
        names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        return {k: v for k, v in data.items() if k in names}


@dataclass(slots=True)
class Source(_Frame):
    """Who a claim is attributed to.

    ``text`` is the span as written ("Three Iraq intelligence and defense
    officials"); ``name`` the normalised name ("Iraqi intelligence and defense
    officials", "Pentagon", "Nick Rasmussen"). ``via`` lists intermediaries in
    order from the source towards the reader ("The Associated Press").
    ``start``/``end`` locate ``text`` in the cleaned text; when the source was
    resolved from a pronoun or an earlier sentence they point at the
    antecedent, and ``resolved_from`` holds the pronoun as written ("They").
    """

    text: str | None = None
    name: str | None = None
    kind: SourceKind = "unknown"
    anonymous: bool = False
    count: int | None = None
    via: list[str] = field(default_factory=list)
    start: int | None = None
    end: int | None = None
    resolved_from: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Source":
        d = cls._known(data)
        d["via"] = list(d.get("via") or [])
        return cls(**d)


@dataclass(slots=True)
class TimeRef(_Frame):
    """The time a claim refers to (not when it was published).

    ``start``/``end`` are ISO dates (inclusive) resolved against the
    publication date; both are ``None`` when the expression could not be
    resolved (no publication date known), but ``text`` is kept.
    ``anchor`` says what the interval was derived from: "text" (an
    expression in the sentence) or "published" (defaulted to the
    publication date because the sentence has no time expression).
    """

    text: str | None = None
    start: str | None = None
    end: str | None = None
    anchor: Literal["text", "published", "none"] = "none"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TimeRef":
        return cls(**cls._known(data))


@dataclass(slots=True)
class Change(_Frame):
    """A change a quantity reports: "had fallen to X, down from Y"."""

    direction: Literal["up", "down"] | None = None
    previous_low: float | None = None
    previous_high: float | None = None
    previous_bound: Bound | None = None
    previous_text: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Change":
        return cls(**cls._known(data))


@dataclass(slots=True)
class Quantity(_Frame):
    """A figure and what it counts.

    ``value`` is set for point values; ``low``/``high`` always bracket the
    figure (equal for a point value), so comparisons never branch on
    ``value``. ``bound`` is how the figure relates to the truth: "=" exact,
    "~" approximate, ">"/"<"/">="/"<=" bounds. ``vague`` marks amounts like
    "thousands" (low 1000, high None). ``unit`` is the normalised unit
    ("dollar", "percent", "fighter"); ``entity`` the counted thing as
    written ("fighters") and ``entity_lemma`` its lemma ("fighter").
    """

    text: str = ""
    start: int = 0
    end: int = 0
    value: float | None = None
    low: float | None = None
    high: float | None = None
    bound: Bound = "="
    vague: bool = False
    unit: str | None = None
    entity: str | None = None
    entity_lemma: str | None = None
    actor: str | None = None
    locations: list[str] = field(default_factory=list)
    change: Change | None = None
    #: What the figure describes, from the parse ("September crude contract",
    #: "revenue"), in the sense of NewsQuant's referred concept.
    concept: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Quantity":
        d = cls._known(data)
        d["locations"] = list(d.get("locations") or [])
        if d.get("change") is not None:
            d["change"] = Change.from_dict(d["change"])
        return cls(**d)


@dataclass(slots=True)
class Claim(_Frame):
    """One claim frame: a figure or an assertion, with its source and time.

    ``start``/``end`` cover the claim itself (the quantity for a quantity
    claim, the content for a statement claim); ``sentence_start`` and
    ``sentence_end`` cover the evidence sentence, ``sentence`` its text.
    """

    id: str
    doc_id: str
    kind: ClaimKind
    sentence: str
    sentence_start: int
    sentence_end: int
    start: int
    end: int
    source: Source | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    hedges: list[str] = field(default_factory=list)
    time: TimeRef = field(default_factory=TimeRef)
    quantity: Quantity | None = None
    content: str | None = None
    content_start: int | None = None
    content_end: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Claim":
        d = cls._known(data)
        if d.get("source") is not None:
            d["source"] = Source.from_dict(d["source"])
        d["time"] = TimeRef.from_dict(d.get("time") or {})
        if d.get("quantity") is not None:
            d["quantity"] = Quantity.from_dict(d["quantity"])
        d["hedges"] = list(d.get("hedges") or [])
        return cls(**d)


@dataclass(slots=True)
class Document(_Frame):
    """One article after ingest.

    ``text`` is the cleaned main text that every claim offset points into.
    ``id`` is :func:`content_id` of ``text`` for readable documents, and of
    the raw bytes for documents that were skipped or failed, so the same
    article ingested twice from any path is stored once. ``status`` is "ok",
    "skipped" (not an article we can read: binary, empty, too big, not
    English...) or "failed" (an error while processing); ``reason`` says why
    in one line. ``published`` is an ISO date (or datetime) string.
    ``original_publisher`` is set when the text credits another outlet
    ("By Rudaw", "via ..."), in which case ``repost`` is True.
    """

    id: str
    path: str
    text: str = ""
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    published: str | None = None
    url: str | None = None
    language: str | None = None
    dateline: str | None = None
    original_publisher: str | None = None
    repost: bool = False
    format: str = "text"
    status: DocStatus = "ok"
    reason: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Document":
        d = cls._known(data)
        d["extra"] = dict(d.get("extra") or {})
        return cls(**d)

    @property
    def ok(self) -> bool:
        return self.status == "ok"
