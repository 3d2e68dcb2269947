"""The problem page's charts: the linked incidents per service (horizontal bars) and per week
(columns), server-rendered SVG drawn by a template (no script, no inline style; colours are SVG
presentation attributes with enough contrast on white)."""

from __future__ import annotations

BAR = "#1d5bb8"
TEXT = "#1b2330"
AXIS = "#566072"
ROW = 30
LABEL_WIDTH = 150
BAR_WIDTH = 220
WEEK_WIDTH = 34
COLUMN_HEIGHT = 120
MIN_WEEKS = 8
MAX_WEEKS = 26


def services_chart(services: list[tuple[str, int]]) -> dict | None:
    if not services:
        return None
    top = max(n for _name, n in services) or 1
    rows = []
    for i, (name, n) in enumerate(services[:12]):
        rows.append(
            {
                "label": name if len(name) <= 22 else name[:21] + "…",
                "name": name,
                "count": n,
                "y": i * ROW + 6,
                "text_y": i * ROW + 21,
                "width": max(2, round(BAR_WIDTH * n / top, 1)),
                "value_x": LABEL_WIDTH + max(2, round(BAR_WIDTH * n / top, 1)) + 6,
            }
        )
    return {
        "rows": rows,
        "width": LABEL_WIDTH + BAR_WIDTH + 40,
        "height": len(rows) * ROW + 8,
        "label_width": LABEL_WIDTH,
        "bar": BAR,
        "text": TEXT,
    }


def weeks_chart(weeks: list[tuple]) -> dict | None:
    """Columns per week (Monday's date), the weeks without incidents included."""
    if not weeks:
        return None
    import datetime as dt

    first, last = weeks[0][0], weeks[-1][0]
    first = min(first, last - dt.timedelta(weeks=MIN_WEEKS - 1))  # a few weeks for context
    counts = dict(weeks)
    days = []
    day = first
    while day <= last:
        days.append(day)
        day += dt.timedelta(days=7)
    days = days[-MAX_WEEKS:]
    top = max(counts.values()) or 1
    columns = []
    for i, day in enumerate(days):
        n = counts.get(day, 0)
        height = round(COLUMN_HEIGHT * n / top, 1)
        columns.append(
            {
                "week": day,
                "count": n,
                "x": i * WEEK_WIDTH + 4,
                "y": COLUMN_HEIGHT - height + 20,
                "height": height,
                "text_x": i * WEEK_WIDTH + 4 + (WEEK_WIDTH - 8) / 2,
                "label": day.strftime("%d/%m"),
            }
        )
    return {
        "columns": columns,
        "width": max(len(columns) * WEEK_WIDTH + 8, 120),
        "height": COLUMN_HEIGHT + 44,
        "column_width": WEEK_WIDTH - 8,
        "base_y": COLUMN_HEIGHT + 20,
        "label_y": COLUMN_HEIGHT + 36,
        "bar": BAR,
        "text": TEXT,
        "axis": AXIS,
    }
