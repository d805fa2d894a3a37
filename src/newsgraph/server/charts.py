"""Geometry for the small SVG charts the pages draw (the templates escape every label)."""
from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from ..resolve.deals import to_date

WIDTH, LEFT, RIGHT = 880, 70, 20
LANES = {"event": 34, "quote": 84}


def source_href(source: dict[str, Any]) -> str:
    """The article page, scrolled to the fact's sentence."""
    return f"/articles/{quote(str(source['article_id']), safe='')}?at={int(source.get('start') or 0)}"


def _x(d: date, lo: date, hi: date) -> float:
    span = (hi - lo).days
    if span <= 0:
        return LEFT + (WIDTH - LEFT - RIGHT) / 2
    return LEFT + (d - lo).days / span * (WIDTH - LEFT - RIGHT)


def _ticks(lo: date, hi: date) -> list[dict[str, Any]]:
    """Year ticks for long spans, month ticks for short ones."""
    if (hi - lo).days > 700:
        marks = [date(y, 1, 1) for y in range(lo.year + 1, hi.year + 1)] or [lo]
        return [{"x": _x(d, lo, hi), "label": str(d.year)} for d in marks]
    out, y, m = [], lo.year, lo.month
    while date(y, m, 1) <= hi and len(out) < 24:
        d = date(y, m, 1)
        if d >= lo:
            out.append({"x": _x(d, lo, hi), "label": d.strftime("%b %Y")})
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out or [{"x": _x(lo, lo, hi), "label": lo.isoformat()}]


def timeline_chart(items: list[dict[str, Any]]) -> dict[str, Any]:
    """Points for events (upper lane) and quotes (lower lane) on a date axis; undated items counted apart."""
    dated = [(to_date(i.get("date")), i) for i in items]
    dated = [(d, i) for d, i in dated if d]
    if not dated:
        return {"points": [], "ticks": [], "undated": len(items), "width": WIDTH}
    lo, hi = min(d for d, _ in dated), max(d for d, _ in dated)
    seen: dict[tuple[str, int], int] = {}
    points = []
    for d, i in dated:
        kind = "event" if i["kind"] == "event" else "quote"
        x = _x(d, lo, hi)
        slot = seen.get((kind, round(x)), 0)
        seen[(kind, round(x))] = slot + 1
        if i["kind"] == "event":
            label = f"{d.isoformat()} · {i.get('type', 'event')}" + (f" ({i['status']})" if i.get("status") else "")
        else:
            who = (i.get("speaker") or {}).get("name") or "unknown"
            label = f"{d.isoformat()} · {who}: {i.get('text', '')[:160]}"
        points.append({"x": round(x, 1), "y": LANES[kind] - min(slot, 4) * 7,
                       "kind": kind, "label": label, "href": source_href(i["source"])})
    return {"points": points, "ticks": _ticks(lo, hi), "undated": len(items) - len(dated), "width": WIDTH,
            "lo": lo.isoformat(), "hi": hi.isoformat()}


def price_chart(prices: list[dict[str, Any]], *, width: int = 260, height: int = 60) -> dict[str, Any] | None:
    """A sparkline of a deal's reported prices over time (None for fewer than two prices)."""
    pts = [(to_date(p.get("date")), p.get("value")) for p in prices]
    pts = [(d, v) for d, v in pts if d and isinstance(v, (int, float))]
    if len(pts) < 2:
        return None
    pts.sort()
    lo, hi = pts[0][0], pts[-1][0]
    vmin, vmax = min(v for _, v in pts), max(v for _, v in pts)
    span_d, span_v = max((hi - lo).days, 1), (vmax - vmin) or 1.0
    xy = [(round(6 + (d - lo).days / span_d * (width - 12), 1),
           round(height - 6 - (v - vmin) / span_v * (height - 12), 1)) for d, v in pts]
    return {"width": width, "height": height, "points": " ".join(f"{x},{y}" for x, y in xy),
            "dots": [{"x": x, "y": y} for x, y in xy]}
