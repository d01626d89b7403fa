"""The report's charts as inline SVG, each drawn from a small, plain input so that any result can
feed it (and tests can feed made-up data):

- ``stacked_bars``: horizontal bars in parts (cost per round by LA and component);
- ``paired_bars``: small panels of two bars each (in person against virtual, figure by figure);
- ``tornado``: an assumption a row, a bar from the base value to each end of its range;
- ``ce_plane``: the cost-effectiveness plane: incremental effect across (right = better),
  incremental cost up, a point per bootstrap resample and the point estimate;
- ``acceptability_curve``: the probability of being cost-effective against willingness to pay.

Values are floats used only to place marks; every word on a chart (a figure in pounds, a label)
arrives already written, so that a chart shows a figure exactly as the tables and the JSON do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sr_cost.outputs.svg import GRID, MUTED, PALETTE, Drawing, money_tick, ticks

WIDTH = 640


@dataclass(frozen=True)
class Bar:
    """One bar of ``stacked_bars``: its parts in the order of the series, and its total as written."""

    label: str
    parts: tuple[float, ...]
    total_text: str


def _legend(d: Drawing, names: Sequence[str], x: float, y: float) -> None:
    for i, name in enumerate(names):
        d.rect(x, y - 9, 10, 10, PALETTE[i % len(PALETTE)])
        d.text(x + 14, y, name, size=11)
        x += 24 + 7 * len(name)


def stacked_bars(bars: Sequence[Bar], series: Sequence[str], title: str) -> str:
    """Horizontal bars of parts that add up (negative parts are drawn as zero)."""
    left, right, top, row = 120, 80, 34, 22
    height = top + row * len(bars) + 30
    d = Drawing(WIDTH, height, title)
    _legend(d, series, left, 16)
    biggest = max((sum(max(p, 0) for p in b.parts) for b in bars), default=0) or 1
    scale_ticks = ticks(0, biggest)
    span = WIDTH - left - right
    top_value = scale_ticks[-1]

    def x(v: float) -> float:
        return left + span * v / top_value

    bottom = top + row * len(bars)
    for t in scale_ticks:
        d.line(x(t), top - 4, x(t), bottom, GRID)
        d.text(x(t), bottom + 14, money_tick(t), anchor="middle", size=10, fill=MUTED)
    for i, b in enumerate(bars):
        y = top + i * row
        d.text(left - 6, y + row * 0.65, b.label, anchor="end", size=11)
        start = 0.0
        for j, part in enumerate(b.parts):
            part = max(part, 0)
            d.rect(
                x(start),
                y + 3,
                x(start + part) - x(start),
                row - 6,
                PALETTE[j % len(PALETTE)],
                f"{b.label}: {series[j]}",
            )
            start += part
        d.text(x(start) + 4, y + row * 0.65, b.total_text, size=10)
    return d.svg()


@dataclass(frozen=True)
class Pair:
    """One panel of ``paired_bars``: a figure for each of the two options, with their texts."""

    title: str
    values: tuple[float, float]
    texts: tuple[str, str]


def paired_bars(panels: Sequence[Pair], names: tuple[str, str], title: str) -> str:
    """A row of small panels, each with its own scale: two bars side by side, their values above."""
    top, plot, foot = 34, 120, 36
    height = top + plot + foot
    d = Drawing(WIDTH, height, title)
    _legend(d, names, 10, 16)
    width = WIDTH / max(len(panels), 1)
    for k, p in enumerate(panels):
        x0 = k * width
        biggest = max(max(p.values), 0) or 1
        base = top + plot
        for j, (value, text) in enumerate(zip(p.values, p.texts)):
            h = plot * 0.78 * max(value, 0) / biggest
            bx = x0 + width * (0.2 + 0.32 * j)
            d.rect(bx, base - h, width * 0.26, h, PALETTE[j], f"{p.title}: {names[j]} {text}")
            # the first value ends at its bar's right edge, the second starts at its bar's left edge
            edge, anchor = (bx + width * 0.26, "end") if j == 0 else (bx, "start")
            d.text(edge, base - h - 4, text, anchor=anchor, size=9.5)
        d.line(x0 + width * 0.12, base, x0 + width * 0.88, base, MUTED)
        for n, words in enumerate(_wrap(p.title, 20)):
            d.text(x0 + width / 2, base + 14 + 12 * n, words, anchor="middle", size=10.5)
    return d.svg()


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


@dataclass(frozen=True)
class Swing:
    """One row of ``tornado``: the figure at each end of an assumption's range (None: not shown)."""

    label: str
    low: float | None
    high: float | None
    low_text: str
    high_text: str


def tornado(rows: Sequence[Swing], base: float, base_text: str, title: str, ends: tuple[str, str]) -> str:
    """Widest swing first, as given: a bar from the base to the low end and one to the high end."""
    left, right, top, row = 150, 10, 40, 26
    height = top + row * len(rows) + 34
    d = Drawing(WIDTH, height, title)
    _legend(d, list(ends), left, 16)
    values = [base] + [v for r in rows for v in (r.low, r.high) if v is not None]
    scale = ticks(min(values), max(values))
    room = (scale[-1] - scale[0]) * 0.2  # beyond the ticks, room for the figures at the bars' ends
    lo, hi = min(scale[0], min(values) - room), max(scale[-1], max(values) + room)
    span = WIDTH - left - right

    def x(v: float) -> float:
        return left + span * (v - lo) / ((hi - lo) or 1)

    bottom = top + row * len(rows)
    for t in scale:
        d.line(x(t), top - 4, x(t), bottom, GRID)
        d.text(x(t), bottom + 14, money_tick(t), anchor="middle", size=10, fill=MUTED)
    for i, r in enumerate(rows):
        y = top + i * row
        d.text(left - 6, y + row * 0.62, r.label, anchor="end", size=11)
        ends = [(j, v, t) for j, (v, t) in enumerate(((r.low, r.low_text), (r.high, r.high_text))) if v is not None]
        for j, value, text in ends:
            d.rect(x(base), y + 4, x(value) - x(base), row - 8, PALETTE[j], f"{r.label}: {text}")
        for _j, value, text in ends:
            same_side = [v for _, v, _ in ends if (v - base) * (value - base) > 0]
            if value == base or abs(value - base) < max(abs(v - base) for v in same_side):
                continue  # no bar, or the other end's bar runs past it on the same side: its figure is in the table
            right_side = value > base
            d.text(
                x(value) + (3 if right_side else -3),
                y + row * 0.62,
                text,
                anchor="start" if right_side else "end",
                size=9.5,
            )
    d.line(x(base), top - 6, x(base), bottom + 2, "#000000", 1.5)
    d.text(x(base), bottom + 28, f"base {base_text}", anchor="middle", size=10.5, bold=True)
    return d.svg()


def ce_plane(
    points: Sequence[tuple[float, float]],
    estimate: tuple[float, float] | None,
    title: str,
    effect_label: str,
    shares: dict[str, str] | None = None,
    wtp: float | None = None,
) -> str:
    """The cost-effectiveness plane: each point (effect, cost) is one bootstrap resample (pass a few
    thousand at most), ``estimate`` the point estimate; the axes cross at zero; ``shares`` writes
    the share of resamples in each quadrant ("ne", "nw", "se", "sw") in its corner; ``wtp`` [£ a
    unit of effect] draws the line above which the rounds are not cost-effective at that price."""
    size = 360
    d = Drawing(WIDTH, size + 20, title)
    every = list(points) + ([estimate] if estimate else [])
    xs = [abs(p[0]) for p in every] or [1]
    ys = [abs(p[1]) for p in every] or [1]
    xr, yr = ticks(0, max(xs) or 1, 3)[-1], ticks(0, max(ys) or 1, 3)[-1]
    x0, y0 = (WIDTH - size) / 2, 10

    def at(ex: float, cy: float) -> tuple[float, float]:
        return x0 + size * (ex + xr) / (2 * xr), y0 + size * (yr - cy) / (2 * yr)

    cx, cy = at(0, 0)
    d.rect(x0, y0, size, size, "#fafafa")
    d.line(x0, cy, x0 + size, cy, MUTED)
    d.line(cx, y0, cx, y0 + size, MUTED)
    if wtp is not None:
        (ax, ay), (bx, by) = at(-xr, -xr * wtp), at(xr, xr * wtp)
        d.line(ax, ay, bx, by, PALETTE[5], 1.2, "5 4")
    for ex, c in points:
        px, py = at(ex, c)
        d.circle(px, py, 2, PALETTE[0], 0.35)
    if estimate is not None:
        px, py = at(*estimate)
        d.circle(px, py, 5, PALETTE[5])
    d.text(x0 + size + 4, cy + 4, f"{effect_label} →", size=10.5)
    d.text(x0 - 6, y0 + 10, money_tick(yr), anchor="end", size=10, fill=MUTED)
    d.text(x0 - 6, y0 + size, money_tick(-yr), anchor="end", size=10, fill=MUTED)
    d.text(x0 - 6, cy + 4, "£0", anchor="end", size=10, fill=MUTED)
    d.text(x0 - 30, y0 + size / 2, "incremental cost", anchor="middle", size=10.5, rotate=-90)
    names = {"ne": "better, dearer", "nw": "worse, dearer", "se": "better, cheaper", "sw": "worse, cheaper"}
    corners = {"ne": (x0 + size - 6, y0 + 16, "end"), "nw": (x0 + 6, y0 + 16, "start")}
    corners |= {"se": (x0 + size - 6, y0 + size - 8, "end"), "sw": (x0 + 6, y0 + size - 8, "start")}
    for key, (tx, ty, anchor) in corners.items():
        share = f" {shares[key]}" if shares and key in shares else ""
        d.text(tx, ty, names[key] + share, anchor=anchor, size=10, fill=MUTED)
    return d.svg()


def acceptability_curve(curve: Sequence[tuple[float, float]], title: str, x_label: str) -> str:
    """Probability (0 to 1) that the rounds are cost-effective, against willingness to pay [£ a
    unit of effect]; the curve as given, in order of willingness to pay."""
    left, right, top, plot = 56, 24, 12, 200
    d = Drawing(WIDTH, top + plot + 44, title)
    xs = [w for w, _ in curve] or [0, 1]
    scale = ticks(min(0, min(xs)), max(xs) or 1)
    lo, hi = scale[0], scale[-1]
    span = WIDTH - left - right

    def at(w: float, p: float) -> tuple[float, float]:
        return left + span * (w - lo) / ((hi - lo) or 1), top + plot * (1 - p)

    for p in (0, 0.25, 0.5, 0.75, 1):
        _, y = at(lo, p)
        d.line(left, y, left + span, y, GRID)
        d.text(left - 6, y + 4, f"{p:.0%}", anchor="end", size=10, fill=MUTED)
    for t in scale:
        x, _ = at(t, 0)
        d.text(x, top + plot + 16, money_tick(t), anchor="middle", size=10, fill=MUTED)
    d.polyline([at(w, p) for w, p in curve], PALETTE[0])
    d.text(left + span / 2, top + plot + 36, x_label, anchor="middle", size=10.5)
    return d.svg()
