"""The metrics page's charts: one measure per month as columns, server-rendered SVG drawn by a
template (no script, no inline style; colours are SVG presentation attributes with enough
contrast on white: bars 6.0:1, text 15:1, axis 6.3:1). The page gives the same figures in a
table beside them."""

from __future__ import annotations

import datetime as dt
import math

from django.utils import formats

BAR = "#1d5bb8"
TEXT = "#1b2330"
AXIS = "#566072"
GRID = "#dadfe7"

WIDTH = 460
HEIGHT = 220
LEFT = 52
RIGHT = 12
TOP = 14
BOTTOM = 36
MAX_TICKS = 12


def nice_max(value: float) -> float:
    """A round upper bound for the axis (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)


def _text(value: float | None, suffix: str) -> str:
    if value is None:
        return "—"
    shown = f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{shown}{suffix}"


def months(points: list[tuple[str, str, float | None]], *, suffix: str = "", top=None) -> dict:
    """Columns for ``points`` of (month ``YYYY-MM-01``, its label, value or None for no
    figure). ``top``: a fixed axis maximum (100 for a percentage)."""
    n = max(1, len(points))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    highest = max([v for _k, _l, v in points if v is not None] or [0])
    top = float(top) if top else nice_max(highest)
    slot = plot_w / n
    column = max(1.0, slot * 0.66)
    every = max(1, math.ceil(n / MAX_TICKS))
    bars = []
    for i, (key, label, value) in enumerate(points):
        height = round(plot_h * min(value or 0, top) / top, 1)
        x = round(LEFT + i * slot + (slot - column) / 2, 1)
        bars.append(
            {
                "key": key,
                "label": label,
                "x": x,
                "y": round(TOP + plot_h - height, 1),
                "width": round(column, 1),
                "height": height,
                "text": _text(value, suffix),
                "tick": formats.date_format(dt.date.fromisoformat(key), "M")
                if i % every == 0
                else "",
                "tick_x": round(x + column / 2, 1),
            }
        )
    grid = [
        {"y": round(TOP + plot_h - plot_h * f, 1), "label": _text(top * f, suffix)}
        for f in (0, 0.5, 1)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "base": TOP + plot_h,
        "tick_y": TOP + plot_h + 18,
        "bars": bars,
        "grid": grid,
        "colors": {"bar": BAR, "text": TEXT, "axis": AXIS, "grid": GRID},
    }
