"""Hand-written SVG for the report's charts: a drawing (``Drawing``), axis ticks at round numbers
(``ticks``) and the labels on them. No library: the charts are a few rectangles, lines and words,
and the SVG must stand inline in an HTML page that works offline (no scripts, fonts or images:
text takes the page's own font).

Coordinates are floats: they place marks on a page and are never money. Every figure written as
a word comes to these functions already formatted (``sr_cost.money``).
"""

from __future__ import annotations

import math
from html import escape

# colour-blind-safe (Okabe-Ito), in the order series take them
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
INK, GRID, MUTED = "#222222", "#dddddd", "#666666"


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


class Drawing:
    """An SVG drawing, ``width`` × ``height`` user units, that scales to the width of its box."""

    def __init__(self, width: float, height: float, title: str) -> None:
        self.width, self.height, self.title = width, height, title
        self.parts: list[str] = []

    def rect(self, x: float, y: float, w: float, h: float, fill: str, title: str | None = None) -> None:
        if w < 0:
            x, w = x + w, -w
        if h < 0:
            y, h = y + h, -h
        tip = f"<title>{escape(title)}</title>" if title else ""
        self.parts.append(
            f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(w)}" height="{_num(h)}" fill="{fill}">{tip}</rect>'
        )

    def line(
        self, x1: float, y1: float, x2: float, y2: float, stroke: str = INK, width: float = 1, dash: str = ""
    ) -> None:
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(
            f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" stroke="{stroke}" '
            f'stroke-width="{_num(width)}"{dashed}/>'
        )

    def polyline(self, points: list[tuple[float, float]], stroke: str, width: float = 2) -> None:
        coords = " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
        self.parts.append(f'<polyline points="{coords}" fill="none" stroke="{stroke}" stroke-width="{_num(width)}"/>')

    def circle(self, x: float, y: float, r: float, fill: str, opacity: float = 1) -> None:
        self.parts.append(
            f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" fill="{fill}" fill-opacity="{_num(opacity)}"/>'
        )

    def text(
        self,
        x: float,
        y: float,
        words: str,
        *,
        anchor: str = "start",
        size: float = 11,
        fill: str = INK,
        bold: bool = False,
        rotate: float | None = None,
    ) -> None:
        weight = ' font-weight="bold"' if bold else ""
        turn = f' transform="rotate({_num(rotate)} {_num(x)} {_num(y)})"' if rotate is not None else ""
        self.parts.append(
            f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}" font-size="{_num(size)}" '
            f'fill="{fill}"{weight}{turn}>{escape(words)}</text>'
        )

    def svg(self) -> str:
        """The drawing as an inline ``<svg>`` element (no namespace needed inside HTML)."""
        return (
            f'<svg viewBox="0 0 {_num(self.width)} {_num(self.height)}" role="img" aria-label="{escape(self.title)}" '
            f'font-family="inherit"><title>{escape(self.title)}</title>' + "".join(self.parts) + "</svg>"
        )


def ticks(low: float, high: float, n: int = 5) -> list[float]:
    """About ``n`` round values (1, 2 or 5 × a power of ten apart) covering low..high."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(n, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    out = []
    value = start
    while value <= high + step * 1e-9:
        out.append(round(value, 10))
        value += step
    if out[-1] < high:
        out.append(round(value, 10))
    return out


def money_tick(value: float) -> str:
    """A tick label in pounds: £0, £500, £1.5k, £20k, -£2k."""
    sign = "-" if value < 0 else ""
    v = abs(value)
    if v >= 1000:
        text = f"{v / 1000:.1f}".rstrip("0").rstrip(".") + "k"
    else:
        text = f"{v:.0f}" if v == int(v) else f"{v:.2f}"
    return f"{sign}£{text}"
