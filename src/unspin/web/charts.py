"""Inline SVG bar charts, drawn on the server: no JavaScript, no library, no CDN.

Each chart has a ``<title>`` (what screen readers announce) and each bar its own ``<title>``
(the tooltip, with the exact number); the page shows the same numbers in a table. Labels are
outlet names and article phrases, so everything is escaped.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

_WIDTH = 640
_LABEL = 210  # width of the label column of horizontal charts
_DATE_LABEL = 85  # room one YYYY-MM-DD label under a column needs, with a gap
_ROW = 20
_GAP = 6
_HEAD = 24  # height of a group heading
_counter = itertools.count(1)


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: ``value`` sets its length, ``shown`` is the number printed beside it."""

    label: str
    value: float
    color: str
    shown: str
    note: str = ""  # more detail for the bar's tooltip
    interval: tuple[float, float] | None = None  # drawn as a whisker across the bar's end

    def tooltip(self, group: str = "") -> str:
        head = f"{group}: {self.label}" if group else self.label
        return f"{head}: {self.shown}" + (f" ({self.note})" if self.note else "")


def hbar_chart(groups: Sequence[tuple[str, Sequence[Bar]]], *, title: str, css: str) -> Markup:
    """Horizontal bars under group headings (a heading of ``""`` draws none)."""
    bars = [bar for _, group in groups for bar in group]
    top = max((_reach(bar) for bar in bars), default=0.0) or 1.0
    span = _WIDTH - _LABEL - 60
    parts: list[str] = []
    y = 4
    for heading, group in groups:
        if heading:
            parts.append(
                f'<text class="group" x="0" y="{y + 16}">{escape(_cut(heading, 80))}</text>'
            )
            y += _HEAD
        for bar in group:
            length = max(bar.value / top * span, 1.0 if bar.value > 0 else 0.0)
            whisker, end = "", length
            if bar.interval is not None:
                low, high = (_LABEL + v / top * span for v in bar.interval)
                end = max(length, high - _LABEL)
                whisker = (
                    f'<path class="ci" d="M{low:.1f} {y + 10}H{high:.1f}M{low:.1f} {y + 5}'
                    f'V{y + 15}M{high:.1f} {y + 5}V{y + 15}"/>'
                )
            parts.append(
                f'<g class="bar" data-group="{escape(heading)}" data-label="{escape(bar.label)}" '
                f'data-value="{escape(bar.shown)}"><title>{escape(bar.tooltip(heading))}</title>'
                f'<text class="label" x="{_LABEL - 8}" y="{y + 14}" text-anchor="end">'
                f"{escape(_cut(bar.label, 30))}</text>"
                f'<rect x="{_LABEL}" y="{y + 2}" width="{length:.1f}" height="{_ROW - 4}" '
                f'fill="{escape(bar.color)}" rx="2"/>{whisker}'
                f'<text class="value" x="{_LABEL + end + 6:.1f}" y="{y + 14}">'
                f"{escape(bar.shown)}</text></g>"
            )
            y += _ROW
        y += _GAP
    return _svg(title, css, y + 4, parts)


def column_chart(bars: Sequence[Bar], *, title: str, css: str, height: int = 220) -> Markup:
    """Vertical bars left to right (a timeline), labelled below at most every few bars."""
    top = max((bar.value for bar in bars), default=0.0) or 1.0
    left, bottom = 44, 40
    plot = height - bottom - 10
    step = min((_WIDTH - left - 10) / max(len(bars), 1), 48.0)  # a few weeks stay slim
    # A date label is about 75 units wide: label every bar that has room, and no more.
    every = max(1, math.ceil(_DATE_LABEL / step))
    parts = [
        f'<line class="axis" x1="{left}" y1="{10 + plot}" x2="{_WIDTH - 10}" y2="{10 + plot}"/>',
        f'<text class="label" x="{left - 6}" y="16" text-anchor="end">{_number(top)}</text>',
        f'<text class="label" x="{left - 6}" y="{10 + plot}" text-anchor="end">0</text>',
    ]
    for i, bar in enumerate(bars):
        x = left + i * step
        size = bar.value / top * plot
        parts.append(
            f'<g class="bar" data-label="{escape(bar.label)}" data-value="{escape(bar.shown)}">'
            f"<title>{escape(bar.tooltip())}</title>"
            f'<rect x="{x + step * 0.1:.1f}" y="{10 + plot - size:.1f}" '
            f'width="{max(step * 0.8, 1):.1f}" height="{size:.1f}" fill="{escape(bar.color)}"/>'
            "</g>"
        )
        if i % every == 0:
            parts.append(
                f'<text class="label" x="{x + step / 2:.1f}" y="{height - bottom + 24}" '
                f'text-anchor="middle">{escape(bar.label)}</text>'
            )
    return _svg(title, css, height, parts)


def _svg(title: str, css: str, height: int, parts: list[str]) -> Markup:
    ident = f"chart-{next(_counter)}"
    return Markup(
        f'<svg class="chart {escape(css)}" viewBox="0 0 {_WIDTH} {height}" role="img" '
        f'aria-labelledby="{ident}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}">{escape(title)}</title>{"".join(parts)}</svg>'
    )


def _reach(bar: Bar) -> float:
    return max(bar.value, bar.interval[1] if bar.interval else 0.0)


def _cut(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")
