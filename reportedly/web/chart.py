"""The series timeline chart, laid out server-side as plain SVG geometry.

The layout is a pure function from points to shapes (:func:`layout`), and
:func:`render_svg` writes the shapes as SVG markup, escaping every label,
link and colour with markupsafe (a chart has hundreds of shapes; plain
string building is several times cheaper than a template per shape). No JavaScript, so the chart works offline, under
a strict Content-Security-Policy, and tests can check the shapes directly.

What is drawn:

* a point value as a dot; a value range (``low``..``high``) as a vertical
  bar with the dot at the stated value (or the middle);
* a reference period longer than a day as a thin horizontal bar;
* colour by source (a fixed palette, in order of first appearance);
* claims in a conflict ringed in red (``conflict`` class);
* derived values (totals computed by reportedly, not stated by anyone) as
  hollow diamonds with a dashed outline, so they never pass for reports.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from markupsafe import Markup, escape

__all__ = ["ChartPoint", "Marker", "Timeline", "layout", "render_svg"]

#: Colour-blind-safe palette (Okabe–Ito, without yellow which vanishes on white).
PALETTE: tuple[str, ...] = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000")
WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 16, 40


@dataclass(slots=True)
class ChartPoint:
    """One value to plot. ``day_start``/``day_end`` are ISO dates (inclusive)."""

    claim_id: str | None
    source: str
    day_start: str
    day_end: str
    value: float | None
    low: float | None
    high: float | None
    conflict: bool = False
    derived: bool = False
    label: str = ""


@dataclass(slots=True)
class Marker:
    """A laid-out point: pixel coordinates plus what the template needs."""

    x: float
    y: float
    y_low: float
    y_high: float
    x_start: float
    x_end: float
    color: str
    href: str | None
    title: str
    conflict: bool
    derived: bool

    @property
    def diamond(self) -> str:
        """SVG ``points`` of the derived-value diamond around (x, y)."""
        r = 7
        return f"{self.x:.1f},{self.y - r:.1f} {self.x + r:.1f},{self.y:.1f} {self.x:.1f},{self.y + r:.1f} {self.x - r:.1f},{self.y:.1f}"


@dataclass(slots=True)
class Timeline:
    """Everything the SVG template draws."""

    width: int = WIDTH
    height: int = HEIGHT
    markers: list[Marker] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    plot: tuple[float, float, float, float] = (LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM)
    skipped: int = 0


def _day(text: str) -> int | None:
    try:
        return dt.date.fromisoformat(text[:10]).toordinal()
    except (TypeError, ValueError):
        return None


def _fmt(value: float) -> str:
    if abs(value) >= 1e9:
        return f"{value / 1e9:g}bn"
    if abs(value) >= 1e6:
        return f"{value / 1e6:g}m"
    if abs(value) >= 1e4:
        return f"{value / 1e3:g}k"
    return f"{value:,.4g}"


def _nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    span = hi - lo or abs(hi) or 1.0
    raw = span / count
    step = 10 ** math.floor(math.log10(raw))
    for mult in (1, 2, 5, 10):
        if raw <= step * mult:
            step *= mult
            break
    first = math.floor(lo / step) * step
    return [first + i * step for i in range(count + 3) if first + i * step <= hi + step * 0.001]


def layout(points: list[ChartPoint]) -> Timeline:
    """Scale ``points`` into the plot area; points without a date or value are counted as skipped."""
    chart = Timeline()
    usable: list[tuple[ChartPoint, int, int, float, float, float]] = []
    for p in points:
        d0, d1 = _day(p.day_start), _day(p.day_end or p.day_start)
        lo = p.low if p.low is not None else p.value
        hi = p.high if p.high is not None else p.value
        if d0 is None or lo is None or hi is None:
            chart.skipped += 1
            continue
        mid = p.value if p.value is not None else (lo + hi) / 2
        usable.append((p, d0, max(d0, d1 or d0), lo, hi, mid))
    if not usable:
        return chart

    x0, y0, x1, y1 = chart.plot
    day_lo = min(u[1] for u in usable)
    day_hi = max(u[2] for u in usable)
    if day_hi - day_lo < 2:
        day_lo, day_hi = day_lo - 15, day_hi + 15
    pad_days = max(1, (day_hi - day_lo) // 20)
    day_lo, day_hi = day_lo - pad_days, day_hi + pad_days
    v_lo = min(0.0, min(u[3] for u in usable))
    v_hi = max(u[4] for u in usable)
    y_ticks = _nice_ticks(v_lo, v_hi if v_hi > v_lo else v_lo + 1)
    v_hi = max(v_hi, y_ticks[-1])
    v_lo = min(v_lo, y_ticks[0])

    def sx(day: float) -> float:
        return x0 + (day - day_lo) / (day_hi - day_lo) * (x1 - x0)

    def sy(value: float) -> float:
        return y1 - (value - v_lo) / ((v_hi - v_lo) or 1.0) * (y1 - y0)

    colors: dict[str, str] = {}
    for p, d0, d1, lo, hi, mid in usable:
        if p.derived:
            color = "#555555"
        else:
            color = colors.setdefault(p.source, PALETTE[len(colors) % len(PALETTE)])
        title = p.label or f"{p.source}: {_fmt(mid)}"
        # Rounded here, once, so the template prints numbers without filters.
        chart.markers.append(
            Marker(
                x=round(sx((d0 + d1) / 2), 1),
                y=round(sy(mid), 1),
                y_low=round(sy(lo), 1),
                y_high=round(sy(hi), 1),
                x_start=round(sx(d0), 1),
                x_end=round(sx(d1 + 1) if d1 > d0 else sx(d0), 1),
                color=color,
                href=f"/claims/{p.claim_id}" if p.claim_id else None,
                title=title,
                conflict=p.conflict,
                derived=p.derived,
            )
        )
    chart.legend = list(colors.items())
    if any(p.derived for p, *_ in usable):
        chart.legend.append(("derived by reportedly", "#555555"))
    chart.y_ticks = [(round(sy(v), 1), _fmt(v)) for v in y_ticks]
    n_ticks = 6
    step = max(1, (day_hi - day_lo) // n_ticks)
    chart.x_ticks = [
        (round(sx(d), 1), dt.date.fromordinal(d).isoformat()) for d in range(day_lo + step // 2, day_hi, step)
    ][:n_ticks + 1]
    return chart


def _marker_svg(m: Marker) -> str:
    classes = "point" + (" conflict" if m.conflict else "") + (" derived" if m.derived else "")
    color = escape(m.color)
    parts = [f'<g class="{classes}"><title>{escape(m.title)}</title>']
    if m.x_end > m.x_start + 1:
        parts.append(
            f'<line class="period" x1="{m.x_start}" x2="{m.x_end}" y1="{m.y}" y2="{m.y}" '
            f'stroke="{color}" stroke-width="2" stroke-opacity="0.5"/>'
        )
    if m.y_low - m.y_high > 1:
        parts.append(
            f'<line class="range" x1="{m.x}" x2="{m.x}" y1="{m.y_low}" y2="{m.y_high}" stroke="{color}" stroke-width="3"/>'
        )
    if m.href:
        parts.append(f'<a href="{escape(m.href)}">')
    if m.derived:
        parts.append(
            f'<polygon class="marker" points="{m.diamond}" fill="#fff" stroke="{color}" '
            'stroke-width="2" stroke-dasharray="3 2"/>'
        )
    else:
        parts.append(f'<circle class="marker" cx="{m.x}" cy="{m.y}" r="5" fill="{color}"/>')
    if m.conflict:
        parts.append(
            f'<circle class="conflict-ring" cx="{m.x}" cy="{m.y}" r="9" fill="none" stroke="#d00" stroke-width="2"/>'
        )
    if m.href:
        parts.append("</a>")
    parts.append("</g>")
    return "".join(parts)


def render_svg(chart: Timeline) -> Markup:
    """The chart as an inline ``<svg>``; all text in it is escaped."""
    x0, y0, x1, y1 = chart.plot
    out = [
        f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart.width} {chart.height}" '
        f'width="{chart.width}" height="{chart.height}" role="img" aria-labelledby="chart-title">',
        '<title id="chart-title">Values over time, by source</title>',
        f'<g class="axes" stroke="#999" stroke-width="1"><line x1="{x0}" y1="{y1}" x2="{x1}" y2="{y1}"/>'
        f'<line x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}"/></g>',
        '<g class="y-ticks" font-size="11" fill="#444" text-anchor="end">',
    ]
    for y, label in chart.y_ticks:
        out.append(
            f'<line x1="{x0}" x2="{x1}" y1="{y}" y2="{y}" stroke="#eee"/>'
            f'<text x="{x0 - 6}" y="{round(y + 4, 1)}">{escape(label)}</text>'
        )
    out.append('</g><g class="x-ticks" font-size="11" fill="#444" text-anchor="middle">')
    for x, label in chart.x_ticks:
        out.append(f'<text x="{x}" y="{y1 + 18}">{escape(label)}</text>')
    out.append('</g><g class="points">')
    out.extend(_marker_svg(m) for m in chart.markers)
    out.append("</g></svg>")
    return Markup("\n".join(out))
