"""Charts as inline SVG, drawn at build time: no script, no fonts, no request.

Four pictures a reader takes in faster than the tables beside them: who reported a
story when and which side they took (coverage strip), where each outlet put a disputed
number (dot plot), how many incidents and hard disagreements each week had (bars), and
how a figure about an entity moved over time (sparkline). Each SVG has ``role="img"``
with a ``<title>`` and a ``<desc>`` that says in words what the picture shows, colours
are attributes (the CSP forbids inline styles), and every coordinate is rounded, so the
same data always gives the same bytes.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any, Sequence

from markupsafe import Markup

from aiwire.timeutil import parse_time

PALETTE = ["#0a4f8a", "#b3450b", "#2e7d32", "#6a1b9a", "#8a5a00", "#00687a"]
NEUTRAL = "#767676"
INK = "#1a1a1a"
MUTED = "#4a4a4a"
GRID = "#d9d6cf"
FONT = 'font-family="system-ui, sans-serif"'


def _n(x: float) -> str:
    """A coordinate with one decimal and no trailing zero: stable across platforms."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _t(text: object) -> str:
    return escape(str(text), quote=True)


def _svg(ident: str, width: int, height: int, title: str, desc: str, body: list[str],
         css: str = "") -> Markup:
    classes = f"chart {css}".strip()
    head = (f'<svg class="{classes}" xmlns="http://www.w3.org/2000/svg" role="img" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'aria-labelledby="{ident}-t {ident}-d">')
    parts = [head, f'<title id="{ident}-t">{_t(title)}</title>',
             f'<desc id="{ident}-d">{_t(desc)}</desc>', *body, "</svg>"]
    return Markup("".join(parts))


def _short_day(moment: datetime) -> str:
    return f"{moment.day} {moment.strftime('%b')}"


def _stamp(moment: datetime) -> str:
    return f"{moment.day} {moment.strftime('%b %H:%M')}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def coverage_strip(ident: str, timeline: Sequence[dict[str, Any]],
                   sides: dict[str, str], side_labels: list[str], topic: str) -> Markup:
    """Outlets down the side, time across; each report a dot coloured by the position its
    outlet took on ``topic`` (``sides`` maps an article url to a position label), grey
    where it took none; the first report ringed."""
    reports = [(parse_time(a.get("published")), a) for a in timeline]
    reports = [(t, a) for t, a in reports if t is not None]
    if not reports:
        return Markup("")
    outlets: list[str] = []
    for _, a in reports:
        if a.get("source") not in outlets:
            outlets.append(a.get("source") or "")
    colour = {label: PALETTE[i % len(PALETTE)] for i, label in enumerate(side_labels)}
    start, end = min(t for t, _ in reports), max(t for t, _ in reports)
    span = max((end - start).total_seconds(), 3600.0)
    left, right, top, row = 128, 384, 14, 24
    width = 400
    axis_y = top + row * len(outlets)
    legend_rows = 1 + len(side_labels) if side_labels else 1
    height = axis_y + 30 + 18 * legend_rows

    def x(moment: datetime) -> float:   # 12 px in from each end: the ring must fit
        return left + 12 + (right - left - 24) * (moment - start).total_seconds() / span

    body = [f'<g {FONT} font-size="12" fill="{INK}">']
    for i, outlet in enumerate(outlets):
        y = top + row * i + row / 2
        body.append(f'<line x1="{left}" y1="{_n(y)}" x2="{right}" y2="{_n(y)}" '
                    f'stroke="{GRID}" stroke-width="1"/>')
        body.append(f'<text x="{left - 8}" y="{_n(y + 4)}" text-anchor="end">'
                    f'{_t(_clip(outlet, 19))}</text>')
    first = min(reports, key=lambda r: (r[0], r[1].get("url") or ""))
    for moment, a in sorted(reports, key=lambda r: (r[0], r[1].get("url") or "")):
        y = top + row * outlets.index(a.get("source") or "") + row / 2
        position = sides.get(a.get("url") or "")
        fill = colour.get(position, NEUTRAL) if position else NEUTRAL
        if a is first[1]:
            body.append(f'<circle cx="{_n(x(moment))}" cy="{_n(y)}" r="9" fill="none" '
                        f'stroke="{INK}" stroke-width="2"/>')
        body.append(f'<circle cx="{_n(x(moment))}" cy="{_n(y)}" r="6" fill="{fill}"/>')
    body.append(f'<line x1="{left}" y1="{axis_y}" x2="{right}" y2="{axis_y}" '
                f'stroke="{MUTED}" stroke-width="1"/>')
    body.append(f'<text x="{left}" y="{axis_y + 15}" fill="{MUTED}">{_t(_stamp(start))}</text>')
    if end != start:
        body.append(f'<text x="{right}" y="{axis_y + 15}" text-anchor="end" fill="{MUTED}">'
                    f'{_t(_stamp(end))}</text>')
    ly = axis_y + 36
    body.append(f'<circle cx="14" cy="{ly - 4}" r="6" fill="none" stroke="{INK}" '
                f'stroke-width="2"/>')
    body.append(f'<text x="26" y="{ly}">first report</text>')
    if side_labels:
        body.append(f'<circle cx="130" cy="{ly - 4}" r="6" fill="{NEUTRAL}"/>')
        body.append(f'<text x="142" y="{ly}">no position on {_t(_clip(topic, 30))}</text>')
        for i, label in enumerate(side_labels):
            yy = ly + 18 * (i + 1)
            body.append(f'<circle cx="14" cy="{yy - 4}" r="6" fill="{colour[label]}"/>')
            body.append(f'<text x="26" y="{yy}">{_t(_clip(label, 55))}</text>')
    body.append("</g>")
    n = len(reports)
    said = "; ".join(f"{label}: " + ", ".join(sorted({a.get('source') or '' for _, a in reports
                                                      if sides.get(a.get('url') or '') == label}))
                     for label in side_labels)
    desc = (f"{n} report{'s' if n != 1 else ''} from {len(outlets)} outlet"
            f"{'s' if len(outlets) != 1 else ''} between {_stamp(start)} and {_stamp(end)} UTC; "
            f"first by {first[1].get('source') or 'an unknown outlet'}."
            + (f" On {topic}, {said}." if side_labels else ""))
    return _svg(ident, width, height, "Coverage over time", desc, body)


def dot_plot(ident: str, title: str, points: Sequence[tuple[str, float, str, str]]) -> Markup:
    """One row per outlet, its value as a dot on a shared scale. ``points`` are
    (outlet, value, label, position) with ``position`` choosing the colour."""
    points = sorted(points, key=lambda p: (p[1], p[0]))
    if not points:
        return Markup("")
    positions: list[str] = []
    for *_, position in sorted(points, key=lambda p: p[0]):
        if position not in positions:
            positions.append(position)
    colour = {p: PALETTE[i % len(PALETTE)] for i, p in enumerate(sorted(positions))}
    low, high = min(p[1] for p in points), max(p[1] for p in points)
    pad = (high - low) * 0.15 or abs(high) * 0.1 or 1.0
    low, high = low - pad, high + pad
    left, right, top, row, width = 128, 290, 10, 22, 400
    height = top + row * len(points) + 26

    def x(value: float) -> float:
        return left + (right - left) * (value - low) / (high - low)

    body = [f'<g {FONT} font-size="12" fill="{INK}">']
    for i, (outlet, value, label, position) in enumerate(points):
        y = top + row * i + row / 2
        body.append(f'<line x1="{left}" y1="{_n(y)}" x2="{right}" y2="{_n(y)}" '
                    f'stroke="{GRID}" stroke-width="1"/>')
        body.append(f'<text x="{left - 8}" y="{_n(y + 4)}" text-anchor="end">'
                    f'{_t(_clip(outlet, 19))}</text>')
        body.append(f'<circle cx="{_n(x(value))}" cy="{_n(y)}" r="6" fill="{colour[position]}"/>')
        body.append(f'<text x="{_n(x(value) + 10)}" y="{_n(y + 4)}">{_t(_clip(label, 18))}</text>')
    axis_y = top + row * len(points)
    body.append(f'<line x1="{left}" y1="{axis_y}" x2="{right}" y2="{axis_y}" '
                f'stroke="{MUTED}" stroke-width="1"/>')
    body.append("</g>")
    desc = "; ".join(f"{outlet}: {label}" for outlet, _, label, _ in points) + "."
    return _svg(ident, width, height, title, desc, body)


def weekly_bars(ident: str, weeks: Sequence[tuple[str, int, int]]) -> Markup:
    """Per week (oldest left): incidents as a tall bar, hard disagreements beside it."""
    weeks = sorted(weeks)
    if not weeks:
        return Markup("")
    top_value = max(max(a, b) for _, a, b in weeks) or 1
    left, base, plot_h = 30, 150, 120
    slot = min(60, max(24, 360 // len(weeks)))
    width = max(400, left + slot * len(weeks) + 10)
    height = base + 56
    bar = (slot - 8) / 2
    body = [f'<g {FONT} font-size="11" fill="{INK}">',
            f'<line x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="{MUTED}"/>',
            f'<text x="{left - 6}" y="{base - plot_h + 4}" text-anchor="end">{top_value}</text>',
            f'<text x="{left - 6}" y="{base + 4}" text-anchor="end">0</text>']
    for i, (week, incidents, hard) in enumerate(weeks):
        x0 = left + 4 + slot * i
        for j, (value, fill) in enumerate(((incidents, PALETTE[0]), (hard, PALETTE[1]))):
            h = plot_h * value / top_value
            body.append(f'<rect x="{_n(x0 + j * bar)}" y="{_n(base - h)}" width="{_n(bar - 1)}" '
                        f'height="{_n(h)}" fill="{fill}"/>')
        body.append(f'<text x="{_n(x0 + bar)}" y="{base + 14}" text-anchor="middle">'
                    f'{_t(week[-3:])}</text>')
    ly = base + 40
    body += [f'<rect x="{left}" y="{ly - 10}" width="12" height="12" fill="{PALETTE[0]}"/>',
             f'<text x="{left + 16}" y="{ly}">incidents</text>',
             f'<rect x="{left + 100}" y="{ly - 10}" width="12" height="12" fill="{PALETTE[1]}"/>',
             f'<text x="{left + 116}" y="{ly}">hard disagreements</text>', "</g>"]
    desc = "; ".join(f"{w}: {a} incident{'s' if a != 1 else ''}, {b} hard disagreement"
                     f"{'s' if b != 1 else ''}" for w, a, b in weeks) + "."
    return _svg(ident, width, height, "Incidents and hard disagreements per week", desc, body)


def sparkline(ident: str, title: str, points: Sequence[tuple[str, float, str]]) -> Markup:
    """A figure over time: (ISO time, value, label) points, oldest first, as a small line
    with its first and last values written at its ends."""
    dated = sorted((parse_time(t), v, label) for t, v, label in points if parse_time(t))
    if len(dated) < 2:
        return Markup("")
    width, height, left, right, top, bottom = 300, 56, 72, 228, 8, 40
    start, end = dated[0][0], dated[-1][0]
    span = max((end - start).total_seconds(), 1.0)
    low, high = min(v for _, v, _ in dated), max(v for _, v, _ in dated)
    rng = (high - low) or 1.0

    def xy(moment: datetime, value: float) -> tuple[float, float]:
        return (left + (right - left) * (moment - start).total_seconds() / span,
                bottom - (bottom - top) * ((value - low) / rng if high != low else 0.5))

    coords = [xy(t, v) for t, v, _ in dated]
    path = " ".join(f"{_n(cx)},{_n(cy)}" for cx, cy in coords)
    body = [f'<g {FONT} font-size="11" fill="{INK}">',
            f'<polyline points="{path}" fill="none" stroke="{PALETTE[0]}" stroke-width="2"/>']
    body += [f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="3" fill="{PALETTE[0]}"/>'
             for cx, cy in coords]
    body += [f'<text x="{left - 6}" y="{_n(coords[0][1] + 4)}" text-anchor="end">'
             f'{_t(_clip(dated[0][2], 12))}</text>',
             f'<text x="{right + 6}" y="{_n(coords[-1][1] + 4)}">{_t(_clip(dated[-1][2], 12))}'
             f'</text>',
             f'<text x="{left}" y="{height - 2}" fill="{MUTED}">{_t(_short_day(start))}</text>',
             f'<text x="{right}" y="{height - 2}" text-anchor="end" fill="{MUTED}">'
             f'{_t(_short_day(end))}</text>', "</g>"]
    desc = ", then ".join(f"{label} on {_short_day(t)}" for t, _, label in dated) + "."
    return _svg(ident, width, height, title, desc, body, css="spark")
