"""Comparison inside one series: conflicts, updates and corroborations.

Each figure is read as the interval of true values it allows: "between
19,000 and 25,000" is [19,000, 25,000]; "more than 30,000" is (30,000, inf);
"about 15,000" is 15,000 give or take the approximate tolerance; an exact
figure still gets a small tolerance because news figures are rounded. Two
figures are *compatible* when their intervals meet.

* conflict: independent sources, overlapping reference times, incompatible
  figures;
* corroboration: independent sources, overlapping times, compatible figures;
* update: a figure whose reference time starts after another's ended and
  which disagrees with it supersedes it ("more than 30,000" earlier, then
  25,000 is an update, not a conflict); a claim's own "down from" figure is
  always updated by it.

Sources are independent when they are in different documents and repost
groups and name different origins (the source, else the original
publisher). Entries are swept in reference-time order and each is compared
with at most ``max_neighbours`` overlapping ones, so a series of n entries
costs O(n log n + n * max_neighbours), never all pairs.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from reportedly.link.series import Entry, Series
from reportedly.link.vocab import normalise_text

__all__ = ["Relation", "RelationKind", "Tolerance", "compare_series", "compatible", "fmt_entry", "interval", "independent", "same_window"]

RelationKind = Literal["conflict", "update", "corroboration", "contradiction"]


@dataclass(frozen=True, slots=True)
class Tolerance:
    """Relative slack around figures: exact ones are rounded, approximate ones more so."""

    exact: float = 0.05
    approximate: float = 0.10
    #: Two figures over stated periods this many times apart in length ("over the
    #: past month" against "on Thursday", "since 2009" against "on Saturday")
    #: count over different windows and are never compared.
    max_period_ratio: float = 10.0


@dataclass(slots=True)
class Relation:
    """Two entries (or statement claims) and how they relate; ``a`` is the earlier/first."""

    a: str
    b: str
    kind: RelationKind
    reason: str
    series_id: str | None = None


def interval(e: Entry, tol: Tolerance = Tolerance()) -> tuple[float, float] | None:
    """The values an entry allows, tolerance included; None when it has no figure."""
    low, high = e.low, e.high
    if low is None and high is None:
        return None
    slack = tol.approximate if e.bound == "~" or e.vague else tol.exact
    lo = low if low is not None else 0.0
    hi = high if high is not None else math.inf
    if e.vague and e.high is None:
        hi = math.inf
    if e.bound in (">", ">="):
        hi = math.inf
    if e.bound in ("<", "<="):
        lo = 0.0 if lo >= 0 else -math.inf
    return lo - abs(lo) * slack, hi + abs(hi) * slack if hi != math.inf else math.inf


def compatible(a: Entry, b: Entry, tol: Tolerance = Tolerance()) -> bool | None:
    """True when two figures can both be right; None when one has no figure."""
    ia, ib = interval(a, tol), interval(b, tol)
    if ia is None or ib is None:
        return None
    return max(ia[0], ib[0]) <= min(ia[1], ib[1])


def _origin(e: Entry) -> str:
    return normalise_text(e.source or e.publisher or e.group)


def independent(a: Entry, b: Entry) -> bool:
    """Different documents, repost groups and origins."""
    return a.doc_id != b.doc_id and a.group != b.group and _origin(a) != _origin(b)


def _fmt_value(e: Entry) -> str:
    def n(x: float | None) -> str:
        if x is None:
            return "?"
        return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"

    if e.low is not None and e.high is not None and e.low != e.high:
        core = f"{n(e.low)}-{n(e.high)}"
    else:
        core = n(e.low if e.low is not None else e.high)
    prefix = {"=": "", "~": "~", ">": ">", ">=": ">=", "<": "<", "<=": "<="}.get(e.bound, "")
    return prefix + core + ("+" if e.vague else "")


def fmt_entry(e: Entry) -> str:
    """"15,000 (Pentagon, as of last summer)" for reasons and tables."""
    when = e.time_text or (e.time_start or "time unknown")
    who = e.source or e.publisher or "unknown source"
    return f"{_fmt_value(e)} ({who}, {when})"


def _days(e: Entry) -> int | None:
    """Length in days of a period the text states; None for unstated or open times."""
    from datetime import date

    if not e.time_text or not e.time_start or not e.time_end:
        return None
    try:
        return (date.fromisoformat(e.time_end[:10]) - date.fromisoformat(e.time_start[:10])).days + 1
    except ValueError:
        return None


def same_window(a: Entry, b: Entry, tol: Tolerance = Tolerance()) -> bool:
    """False when both figures state periods of very different lengths (a month's total against a day's)."""
    da, db = _days(a), _days(b)
    if da is None or db is None or min(da, db) <= 0:
        return True
    return max(da, db) / min(da, db) <= tol.max_period_ratio


def _overlap(a: Entry, b: Entry) -> bool | None:
    """Whether reference times overlap; None when either is unknown."""
    if (a.time_start is None and a.time_end is None) or (b.time_start is None and b.time_end is None):
        return None
    a0, a1 = a.time_start or "0000", a.time_end or "9999"
    b0, b1 = b.time_start or "0000", b.time_end or "9999"
    return a0 <= b1 and b0 <= a1


def compare_series(
    series: Series,
    tol: Tolerance = Tolerance(),
    max_neighbours: int = 25,
    stories: Mapping[str, str] | None = None,
) -> list[Relation]:
    """Conflicts, corroborations and updates among one series' entries.

    How sure we are that two figures measure the same thing depends on how
    specific the series is. With an actor and a place ("fighters, ISIS, Iraq
    and Syria") any two entries compare. With only one of them ("people,
    Managua") the entries must also come from documents of one story
    (``stories``: document id -> story id), and may corroborate each other
    but are never called a conflict or an update (only a claim's own "down
    from" figure is): "107 Boko Haram militants
    killed" on Wednesday and "25 of the insurgents gunned down" elsewhere
    share a story and an actor, yet count different things, and a false
    conflict costs a reader more than a missed one. A series keyed by the
    counted thing alone ("people") is a listing, never compared: the 7
    people of one flood and the 30,000 of a desert town are not one quantity.
    A series counting the victims of an event ("fighters killed") is compared
    only inside one story too: 64 jihadists killed in an air raid and 5
    militants killed by their own group are different events' counts. Figures
    over stated periods of very different lengths are never compared
    (:func:`same_window`).
    """
    specific = (series.key.actor is not None) + bool(series.key.places)
    by_story = specific == 1 or series.key.event is not None
    if specific == 0 or (by_story and not stories):
        return []
    story = stories or {}

    days = {e.id: _days(e) for e in series.entries}  # parsed once, compared up to 2 * max_neighbours times

    def same_quantity(a: Entry, b: Entry) -> bool:
        da, db = days[a.id], days[b.id]
        if da and db and max(da, db) > tol.max_period_ratio * min(da, db):
            return False  # as same_window: a month's total against a day's count
        return not by_story or (a.doc_id in story and story.get(a.doc_id) == story.get(b.doc_id))

    out: list[Relation] = []
    sid = series.id
    by_id = {e.id: e for e in series.entries}
    # Each entry is compared up to 2 * max_neighbours times: format and
    # normalise it once.
    labels: dict[str, str] = {}

    def fmt(e: Entry) -> str:
        if e.id not in labels:
            labels[e.id] = fmt_entry(e)
        return labels[e.id]

    origins = {e.id: _origin(e) for e in series.entries}

    def indep(a: Entry, b: Entry) -> bool:
        return a.doc_id != b.doc_id and a.group != b.group and origins[a.id] != origins[b.id]

    for e in series.entries:
        if e.role == "previous" and e.claim_id in by_id and compatible(e, by_id[e.claim_id], tol) is False:
            out.append(Relation(e.id, e.claim_id, "update", f"{fmt(by_id[e.claim_id])} reported as a change from {_fmt_value(e)}", sid))
    dated = sorted(
        (e for e in series.entries if e.role == "reported" and e.time_start is not None),
        key=lambda e: (e.time_start or "", e.time_end or "", e.id),
    )
    for i, a in enumerate(dated):
        a_end = a.time_end or "9999"
        seen = 0
        for b in dated[i + 1 :]:
            if (b.time_start or "") > a_end or seen >= max_neighbours:
                break
            seen += 1
            if not indep(a, b) or not same_quantity(a, b):
                continue
            ok = compatible(a, b, tol)
            if ok is None:
                continue
            if ok:
                out.append(Relation(a.id, b.id, "corroboration", f"{fmt(a)} agrees with {fmt(b)}", sid))
            elif specific == 2:
                out.append(
                    Relation(a.id, b.id, "conflict", f"{fmt(a)} vs {fmt(b)}: incompatible figures for overlapping times from independent sources", sid)
                )
    if specific == 2:
        # Inside one story, a later figure for the counted thing alone is
        # more often another count (15 students found, 43 missing) than a
        # revision: only a fully keyed series says one number replaced another.
        _updates(dated, out, sid, tol, max_neighbours, fmt, same_quantity)
    return out


def _updates(
    dated: list[Entry],
    out: list[Relation],
    sid: str,
    tol: Tolerance,
    max_neighbours: int,
    fmt: Callable[[Entry], str],
    same_quantity: Callable[[Entry, Entry], bool],
) -> None:
    """Each entry against the latest entries that ended before it began."""
    by_end = sorted((e for e in dated if e.time_end), key=lambda e: e.time_end or "")
    ends = [e.time_end or "" for e in by_end]

    for b in dated:
        k = bisect.bisect_left(ends, b.time_start or "")
        if k == 0:
            continue
        latest = ends[k - 1]
        j = k - 1
        taken = 0
        while j >= 0 and ends[j] == latest and taken < max_neighbours:
            a = by_end[j]
            j -= 1
            taken += 1
            if same_quantity(a, b) and compatible(a, b, tol) is False:
                out.append(Relation(a.id, b.id, "update", f"{fmt(b)} supersedes earlier {fmt(a)}", sid))
