"""The progress chart: baseline → now → target (and the review's figure) as horizontal bars,
server-rendered SVG drawn by a template (no script, no inline style; colours are SVG
presentation attributes with enough contrast on white)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from steward.reporting.charts import nice_max

COLORS = {"baseline": "#566072", "now": "#1d5bb8", "review": "#6b3fa0", "target": "#1a7f37"}
TEXT = "#1b2330"
WIDTH = 400
BAR_WIDTH = 280
ROW = 46


def fmt(value) -> str:
    if value is None:
        return "—"
    value = float(value)
    if value.is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def progress_chart(progress: dict) -> dict | None:
    """Bars for the figures the progress has (None when it has none)."""
    points = []
    if progress.get("baseline"):
        points.append(("baseline", _("Baseline"), progress["baseline"]["value"]))
    if progress.get("now"):
        points.append(("now", _("Now"), progress["now"]["value"]))
    if progress.get("review"):
        points.append(("review", _("At the review"), progress["review"]["value"]))
    if progress.get("target") is not None:
        points.append(("target", _("Target"), progress["target"]))
    if not points:
        return None
    top = nice_max(max(abs(v or 0) for _k, _l, v in points))
    rows = []
    for i, (key, label, value) in enumerate(points):
        width = round(BAR_WIDTH * abs(value or 0) / top, 1)
        rows.append(
            {
                "key": key,
                "label": label,
                "text": fmt(value),
                "label_y": i * ROW + 16,
                "y": i * ROW + 22,
                "text_y": i * ROW + 37,
                "width": width,
                "value_x": round(width + 8, 1),
                "color": COLORS[key],
            }
        )
    return {"width": WIDTH, "height": len(rows) * ROW + 8, "bars": rows, "text": TEXT}
