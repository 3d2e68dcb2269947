"""Server-rendered SVG charts of a KPI: geometry computed here, drawn by a template (no script,
no inline style: colours are SVG presentation attributes, each at least 3:1 on white for
graphics and 4.5:1 for text)."""

from __future__ import annotations

import math

#: Bars and text: the primary blue (6.0:1 on white), the text colour, a muted axis grey.
BAR = "#1d5bb8"
TEXT = "#1b2330"
AXIS = "#566072"
GRID = "#dadfe7"

WIDTH = 720
HEIGHT = 260
LEFT = 64
RIGHT = 16
TOP = 16
BOTTOM = 44
MAX_X_LABELS = 8

#: A dashboard widget's columns: half a page wide at 1280 px.
WIDGET_WIDTH = 460
WIDGET_HEIGHT = 220

ROW = 46
BAR_WIDTH = 300
BARS_WIDTH = 400


def nice_max(value: float) -> float:
    """A round upper bound for the axis (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _tick(key: str, unit: str) -> str:
    """A short axis label: 03-14 for a day or week, 2026-03 for a month."""
    return key[:7] if unit == "month" else key[5:]


def columns(
    series: list[dict], unit: str = "day", *, width: int = WIDTH, height: int = HEIGHT
) -> dict:
    """Vertical columns over time, one per bucket, each with its link (``url``). A narrower
    ``width`` (a dashboard widget) keeps the text at its size where the page has less room."""
    n = max(1, len(series))
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    top = nice_max(max([p["value"] or 0 for p in series] or [0]))
    slot = plot_w / n
    column = max(1.0, slot * 0.7)
    every = max(1, math.ceil(n / MAX_X_LABELS))
    bars = []
    for i, p in enumerate(series):
        value = p["value"] or 0
        h = round(plot_h * value / top, 1)
        x = round(LEFT + i * slot + (slot - column) / 2, 1)
        bars.append(
            {
                **p,
                "x": x,
                "y": round(TOP + plot_h - h, 1),
                "width": round(column, 1),
                "height": h,
                "text": _fmt(p["value"]),
                "tick": _tick(str(p["key"]), unit) if i % every == 0 else "",
                "tick_x": round(x + column / 2, 1),
            }
        )
    grid = [{"y": round(TOP + plot_h - plot_h * f, 1), "label": _fmt(top * f)} for f in (0, 0.5, 1)]
    return {
        "kind": "columns",
        "width": width,
        "height": height,
        "left": LEFT,
        "right": width - RIGHT,
        "base": TOP + plot_h,
        "tick_y": TOP + plot_h + 18,
        "bars": bars,
        "grid": grid,
        "colors": {"bar": BAR, "text": TEXT, "axis": AXIS, "grid": GRID},
    }


def bars(series: list[dict]) -> dict:
    """Horizontal bars by a dimension, largest first, each label above its bar and the value
    after it (narrow enough to read on a phone), each bar with its link (``url``)."""
    top = nice_max(max([p["value"] or 0 for p in series] or [0]))
    rows = []
    for i, p in enumerate(series):
        value = p["value"] or 0
        width = round(BAR_WIDTH * value / top, 1)
        rows.append(
            {
                **p,
                "label_y": i * ROW + 16,
                "y": i * ROW + 22,
                "text_y": i * ROW + 37,
                "width": width,
                "value_x": round(width + 8, 1),
                "text": _fmt(p["value"]),
            }
        )
    return {
        "kind": "bars",
        "width": BARS_WIDTH,
        "height": max(1, len(series)) * ROW + 8,
        "bars": rows,
        "colors": {"bar": BAR, "text": TEXT, "axis": AXIS, "grid": GRID},
    }
