"""Inline SVG charts: accessible, attribute-only styling, deterministic; and no code
(snake_case) anywhere in the text of the sample site's pages."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from aiwire.site import charts

from sitekit import parse_html

NS = "{http://www.w3.org/2000/svg}"
SNAKE = re.compile(r"\b[A-Za-z0-9]+_[A-Za-z0-9_]+\b")
TIMELINE = [
    {"published": "2026-11-17T09:30:00Z", "source": "Signal Desk", "url": "https://s/1"},
    {"published": "2026-11-17T15:20:00Z", "source": "Markets Wire", "url": "https://m/1"},
    {"published": "2026-11-18T02:45:00Z", "source": "Asia <Tech> Daily", "url": "https://a/1"},
    {"published": "2026-11-19T12:00:00Z", "source": "Signal Desk", "url": "https://s/2"},
]


def _parse(svg: str) -> ElementTree.Element:
    root = ElementTree.fromstring(str(svg))
    assert root.tag == f"{NS}svg" and root.get("role") == "img"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title is not None and title.text and desc is not None and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    for element in root.iter():
        assert "style" not in element.attrib, "inline styles are blocked by the CSP"
        assert not element.tag.endswith(("script", "foreignObject", "image"))
    return root


def test_coverage_strip_colours_reports_by_side_and_rings_the_first():
    sides = {"https://s/1": "outputs used for training", "https://m/1": "outputs used for training",
             "https://a/1": "model weights"}
    svg = charts.coverage_strip("cov", TIMELINE, sides,
                                ["outputs used for training", "model weights"], "what was taken")
    root = _parse(svg)
    dots = [c for c in root.iter(f"{NS}circle") if c.get("r") == "6" and c.get("fill") != "none"]
    report_dots = dots[:len(TIMELINE)]
    fills = [d.get("fill") for d in report_dots]
    assert fills[0] == fills[1] != fills[2] and fills[3] == charts.NEUTRAL
    rings = [c for c in root.iter(f"{NS}circle") if c.get("r") == "9"]
    assert len(rings) == 1 and rings[0].get("cx") == report_dots[0].get("cx")
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "Asia <Tech> Daily" in texts          # escaped in the source, intact when parsed
    desc = root.find(f"{NS}desc").text
    assert "first by Signal Desk" in desc and "model weights: Asia <Tech> Daily" in desc
    assert svg == charts.coverage_strip("cov", TIMELINE, sides,
                                        ["outputs used for training", "model weights"],
                                        "what was taken")


def test_dot_plot_places_each_outlet_on_one_scale():
    svg = charts.dot_plot("d", "How many accounts", [("A", 24000.0, "24,000", "24,000"),
                                                     ("B", 25000.0, "25,000", "25,000"),
                                                     ("C", 25000.0, "25,000", "25,000")])
    root = _parse(svg)
    xs = {c.get("cy"): float(c.get("cx")) for c in root.iter(f"{NS}circle")}
    assert len(xs) == 3
    a, b, c = (xs[k] for k in sorted(xs, key=float))
    assert a < b == c
    assert root.find(f"{NS}desc").text == "A: 24,000; B: 25,000; C: 25,000."


def test_weekly_bars_and_sparkline():
    root = _parse(charts.weekly_bars("w", [("2026-W47", 6, 10), ("2026-W46", 1, 0)]))
    heights = [float(r.get("height")) for r in root.iter(f"{NS}rect")
               if r.get("width") != "12"]
    assert heights == [12.0, 0.0, 72.0, 120.0]    # W46 first (oldest left), scaled to 10
    assert "2026-W47: 6 incidents, 10 hard disagreements" in root.find(f"{NS}desc").text
    spark = charts.sparkline("s", "Share price move", [
        ("2026-11-17T10:00:00Z", -4.9, "▼ 4.9%"), ("2026-11-18T10:00:00Z", -5.2, "▼ 5.2%")])
    root = _parse(spark)
    assert root.find(f"{NS}desc").text == "▼ 4.9% on 17 Nov, then ▼ 5.2% on 18 Nov."
    assert charts.sparkline("s", "one point", [("2026-11-17T10:00:00Z", 1.0, "1")]) == ""


def test_no_snake_case_in_the_text_of_any_page(sample_site):
    """Codes never reach readers: not in text, not in chart titles and descriptions."""
    leaks = []
    for path in sorted(sample_site.rglob("*.html")):
        rel = path.relative_to(sample_site).as_posix()
        if rel.startswith("_editors/") or path.name == "email.html":
            continue                 # editors' pages and the newsletter are checked apart
        page = parse_html(path.read_text("utf-8"))
        text = " ".join(page.text)
        titles = [a.get("title", "") + " " + a.get("aria-label", "") for _, a in page.elements]
        for token in SNAKE.findall(text + " " + " ".join(titles)):
            leaks.append(f"{rel}: {token}")
    assert leaks == []
