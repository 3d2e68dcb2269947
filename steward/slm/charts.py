"""Server-rendered SVG charts: geometry computed here, drawn by templates (no script)."""

from __future__ import annotations

ROW = 28
LABEL_WIDTH = 220
BAR_WIDTH = 420


def percent_bars(rows: list[dict], value: str = "met_percent", target: float | None = None) -> dict:
    """Horizontal bars from 0 to 100 % for each row, with an optional target line."""
    bars = []
    for i, r in enumerate(rows):
        pct = max(0.0, min(100.0, float(r[value])))
        bars.append(
            {
                "label": r["label"],
                "value": pct,
                "y": i * ROW + 6,
                "text_y": i * ROW + 20,
                "width": round(BAR_WIDTH * pct / 100, 1),
                "total": r.get("total"),
                "ok": target is None or pct >= target,
            }
        )
    return {
        "bars": bars,
        "height": max(1, len(rows)) * ROW + 24,
        "label_width": LABEL_WIDTH,
        "bar_width": BAR_WIDTH,
        "width": LABEL_WIDTH + BAR_WIDTH + 70,
        "axis_y": max(1, len(rows)) * ROW + 4,
        "target_x": None if target is None else round(LABEL_WIDTH + BAR_WIDTH * target / 100, 1),
        "ticks": [{"x": LABEL_WIDTH + BAR_WIDTH * t / 100, "label": f"{t}%"} for t in (0, 50, 100)],
    }
