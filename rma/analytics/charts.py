"""Accessible SVG charts drawn on the server: pure functions from labelled values to markup.

Each chart is an ``<svg role="img">`` named by its ``<title>`` and described by its ``<desc>``; the page
puts the chart's data table beside it, so nothing is only in the picture. Texts arrive translated and
values arrive formatted: this module knows no language and no locale.
"""

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 560
BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 190
VALUE_WIDTH = 70
# Colours that keep 3:1 contrast on white, told apart by dash patterns as well as by colour.
SERIES_STYLES = [
    ("#1a5fb4", ""),
    ("#c64600", "6 3"),
    ("#26a269", "2 3"),
    ("#813d9c", "8 3 2 3"),
    ("#a51d2d", "1 2"),
    ("#5e5c64", "10 4"),
    ("#986a44", "4 2 1 2"),
]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    display: str  # the value as the reader reads it, already formatted


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def _open(chart_id: str, title: str, desc: str, height: int) -> str:
    cid = escape(chart_id)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{cid}-title {cid}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" class="chart" id="{cid}">'
        f'<title id="{cid}-title">{escape(title)}</title><desc id="{cid}-desc">{escape(desc)}</desc>'
    )


def _empty(chart_id: str, title: str, desc: str, message: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every text is escaped above
        _open(chart_id, title, desc, 40)
        + f'<text x="{WIDTH / 2}" y="24" text-anchor="middle" fill="#5e5c64" font-size="13">{escape(message)}</text>'
        + "</svg>"
    )


def bar_chart(*, chart_id: str, title: str, desc: str, bars: Sequence[Bar], empty: str) -> SafeString:
    """Horizontal bars, one per label, longest value full width; the formatted value at each bar's end."""
    if not bars or all(bar.value <= 0 for bar in bars):
        return _empty(chart_id, title, desc, empty)
    top = max(bar.value for bar in bars) or 1
    height = len(bars) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [_open(chart_id, title, desc, height)]
    for index, bar in enumerate(bars):
        y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP)
        length = max(span * max(bar.value, 0) / top, 1 if bar.value > 0 else 0)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT * 0.7:.1f}" text-anchor="end" font-size="13" '
            f'fill="#1c1c1c">{escape(bar.label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" fill="#1a5fb4"></rect>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + BAR_HEIGHT * 0.7:.1f}" font-size="13" '
            f'fill="#1c1c1c">{escape(bar.display)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


LEGEND_FONT = 12
LEGEND_SWATCH = 30  # the line sample and the gap before the name
LEGEND_GAP = 18
LEGEND_ROW = 22


def text_width(text: str, font_size: float = LEGEND_FONT) -> float:
    """A generous estimate of how wide a text is drawn (the server has no font metrics): a full em for wide
    (CJK) characters, 0.62 em for the others, so that estimated boxes never come out narrower than drawn ones."""
    return sum(font_size * (1.0 if unicodedata.east_asian_width(c) in "WF" else 0.62) for c in text)


def legend_layout(names: Sequence[str], *, start: float, end: float) -> list[tuple[float, int]]:
    """(x, row) of each legend entry: entries flow left to right, as wide as their names, and wrap to a new
    row before they would pass ``end``; so no two entries overlap, however long the names of a language."""
    places, x, row = [], start, 0
    for name in names:
        width = LEGEND_SWATCH + text_width(name)
        if x > start and x + width > end:
            x, row = start, row + 1
        places.append((x, row))
        x += width + LEGEND_GAP
    return places


def line_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    axis: Sequence[tuple[float, str]],
    empty: str,
) -> SafeString:
    """Lines over evenly spaced labels (periods). ``axis`` holds the y gridlines: (value, formatted)."""
    values = [v for s in series for v in s.values if v is not None]
    if not labels or not values:  # a flat line at zero is still a finding: only no values at all is empty
        return _empty(chart_id, title, desc, empty)
    left, right, top_pad, bottom = 64, 16, 12, 44
    places = legend_layout([s.name for s in series], start=left, end=WIDTH - right) if len(series) > 1 else []
    legend = LEGEND_ROW * (max(row for _x, row in places) + 1) if places else 0
    height = 220 + legend
    plot_h = height - top_pad - bottom - legend
    plot_w = WIDTH - left - right
    top_value = max([*values, *(v for v, _ in axis)]) or 1

    def x(i: int) -> float:
        return left + (plot_w * i / (len(labels) - 1) if len(labels) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top_pad + plot_h * (1 - v / top_value)

    parts = [_open(chart_id, title, desc, height)]
    for value, text in axis:
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#d0d4dc"></line>'
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="12" fill="#5e5c64">'
            f"{escape(text)}</text>"
        )
    ticks = sorted({0, len(labels) // 2, len(labels) - 1})
    for i in ticks:
        anchor = "start" if i == 0 and len(labels) > 1 else "end" if i == len(labels) - 1 and i else "middle"
        parts.append(
            f'<text x="{x(i):.1f}" y="{top_pad + plot_h + 18}" text-anchor="{anchor}" font-size="12" '
            f'fill="#5e5c64">{escape(labels[i])}</text>'
        )
    for index, s in enumerate(series):
        colour, dash = SERIES_STYLES[index % len(SERIES_STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        segment: list[str] = []
        segments = [segment]
        for i, v in enumerate(s.values):
            if v is None:
                segment = []
                segments.append(segment)
                continue
            segment.append(f"{x(i):.1f},{y(v):.1f}")
        for points in segments:
            if len(points) == 1:
                px, py = points[0].split(",")
                parts.append(f'<circle cx="{px}" cy="{py}" r="3" fill="{colour}"></circle>')
            elif points:
                parts.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr} '
                    f'points="{" ".join(points)}"></polyline>'
                )
    for index, (s, (lx, row)) in enumerate(zip(series, places, strict=False)):
        colour, dash = SERIES_STYLES[index % len(SERIES_STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        ly = top_pad + plot_h + 34 + row * LEGEND_ROW
        parts.append(
            f'<line x1="{lx:.1f}" x2="{lx + 24:.1f}" y1="{ly:.1f}" y2="{ly:.1f}" stroke="{colour}" '
            f'stroke-width="2.5"{dash_attr}></line>'
            f'<text x="{lx + LEGEND_SWATCH:.1f}" y="{ly + 4:.1f}" font-size="{LEGEND_FONT}" fill="#1c1c1c">'
            f"{escape(s.name)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def nice_axis(top: float, steps: int = 4) -> list[float]:
    """Gridline values from 0 to a round number at or above ``top``."""
    if top <= 0:
        return [0.0]
    raw = top / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step * steps >= top:
            break
    return [round(step * i, 10) for i in range(steps + 1)]
