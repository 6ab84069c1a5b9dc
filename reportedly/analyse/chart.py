"""Timeline charts of one series (matplotlib, no display needed).

Each reported figure is drawn at its reference time: a point for a point
value, a vertical bar for a range ("19,000-25,000"), an arrow for an open
bound ("more than 30,000"), and a horizontal bar spanning its reference
period ("summer 2016"). Colours are sources; figures in a conflict get a red
ring; derived values are hollow diamonds labelled as derived so nobody
mistakes them for reported figures; "previous" figures (the "down from"
of a report) are grey.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

__all__ = ["render_timeline"]


def _day(iso: str | None) -> date | None:
    if not iso:
        return None
    try:
        return date.fromisoformat(str(iso)[:10])
    except ValueError:
        return None


def _span(row: dict[str, Any]) -> tuple[date, date] | None:
    start, end = _day(row.get("time_start")), _day(row.get("time_end"))
    if start is None and end is None:
        return None
    return (start or end, end or start)  # type: ignore[return-value]


def render_timeline(timeline: dict[str, Any], out: Path, fmt: str = "svg") -> Path:
    """Draw ``timeline`` (as :func:`reportedly.store.links.read_timeline` returns it) to ``out``."""
    import matplotlib

    matplotlib.use("Agg")  # files only; never needs a display
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    series = timeline["series"]
    conflicted = {r["entry_a"] for r in timeline["relations"] if r["kind"] == "conflict"}
    conflicted |= {r["entry_b"] for r in timeline["relations"] if r["kind"] == "conflict"}
    sources = sorted({e.get("source") or e.get("publisher") or "unattributed" for e in timeline["entries"]})
    cmap = plt.get_cmap("tab10")
    colour = {s: cmap(i % 10) for i, s in enumerate(sources)}

    fig, ax = plt.subplots(figsize=(9, 4.8))
    undated = 0
    labelled: list[tuple[tuple[float, float], Any]] = []
    for e in timeline["entries"]:
        span = _span(e)
        if span is None or e.get("low") is None:
            undated += 1
            continue
        who = e.get("source") or e.get("publisher") or "unattributed"
        c = "0.6" if e["role"] == "previous" else colour[who]
        mid = span[0] + (span[1] - span[0]) / 2
        low, high = float(e["low"]), float(e["high"] if e.get("high") is not None else e["low"])
        if span[1] > span[0]:
            ax.hlines(low, span[0], span[1], colors=[c], linewidth=2, alpha=0.5)
        if high != low:
            ax.vlines(mid, low, high, colors=[c], linewidth=6, alpha=0.8)
        marker = "^" if e.get("bound") in (">", ">=") else "v" if e.get("bound") in ("<", "<=") else "o"
        ax.scatter([mid], [(low + high) / 2], color=[c], marker=marker, s=60, zorder=3,
                   label=("earlier figure (previous)" if e["role"] == "previous" else who))
        if e["entry_id"] in conflicted:
            ax.scatter([mid], [(low + high) / 2], facecolors="none", edgecolors="red", s=220, linewidths=2, zorder=4)
        label = e.get("text") or ""
        # one figure from several reports a few weeks apart ("between 15,000
        # and 20,000", "Between 15,000 and 20,000") would print over itself: label it once
        if not any((low, high) == v and abs((mid - m).days) < 45 for v, m in labelled):
            ax.annotate(label, (mid, high), textcoords="offset points", xytext=(4, 4), fontsize=7)
            labelled.append(((low, high), mid))
    for d in timeline["derived"]:
        span = _span(d)
        if span is None:
            continue
        ax.scatter([span[0]], [d["value"]], marker="D", facecolors="none", edgecolors="black", s=80, zorder=3,
                   label="derived (sum of parts)")
        ax.annotate(d["label"], (span[0], d["value"]), textcoords="offset points", xytext=(4, -12), fontsize=7)
    if conflicted:
        ax.scatter([], [], facecolors="none", edgecolors="red", s=120, label="in a conflict")
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    ax.legend(unique.values(), unique.keys(), fontsize=7, loc="best")
    ax.set_title(series["label"] + (f"  ({undated} undated not shown)" if undated else ""), fontsize=10)
    ax.set_ylabel(series.get("unit") if series.get("unit") not in (None, "count") else series.get("entity", ""))
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.set_ylim(bottom=0)
    fig.autofmt_xdate()
    fig.tight_layout()
    out = Path(out)
    fig.savefig(out, format=fmt, bbox_inches="tight")
    plt.close(fig)
    return out
