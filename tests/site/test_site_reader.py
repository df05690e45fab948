"""The reader sees the disagreement first: the sample's lead story in real Chromium at
1280 and 390 px, its charts, the phone layout, axe-core, and no code in visible text.

Screenshots go to test-artifacts/site/reader-*.png (closed and with every fold open).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from test_site_browser import ARTIFACTS, CHROMIUM, WIDTHS, Watch, browser, served  # noqa: F401

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(),
                                 reason="/usr/bin/chromium missing: apt-get install chromium")]

SNAKE = re.compile(r"\b[A-Za-z0-9]+_[A-Za-z0-9_]+\b")
OPEN_ALL = "document.querySelectorAll('details').forEach(d => { d.open = true; })"
PHONE_HEIGHT = 6000   # px: the lead story at 390 px, folds closed
ORDER = ["h1", "p.verdict", "#h-disagree", "#h-summary", "#h-timeline", "#h-figures",
         "#h-claims"]


def lead_story(site: Path) -> dict:
    stories = json.loads((site / "export.json").read_text("utf-8"))["stories"]
    return max(stories, key=lambda s: (len(s["contradictions"]), s["id"]))


def top(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["y"]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_lead_story_puts_the_disagreement_first(browser, served, sample_site, width):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    story = lead_story(sample_site)
    watch = Watch(browser, served, WIDTHS[width])
    page = watch.page
    try:
        page.goto(f"{served}stories/{story['id']}/index.html")
        page.screenshot(path=str(ARTIFACTS / f"reader-story-{width}.png"), full_page=True)
        tops = [top(page, selector) for selector in ORDER]
        assert tops == sorted(tops), dict(zip(ORDER, tops))
        # the disagreements start on the first screen, not thousands of pixels down
        assert top(page, "#h-disagree") < WIDTHS[width][1]

        verdict = page.locator("p.verdict").inner_text()
        assert re.match(r"Outlets disagree on \d+ points?: ", verdict), verdict
        assert "24,000 vs 25,000" in verdict or "25,000 vs 24,000" in verdict

        sections = page.locator("#disagreements section.contradiction")
        assert sections.count() == len(story["contradictions"])
        classes = [c.split()[-1] for c in sections.evaluate_all("s => s.map(e => e.className)")]
        assert classes == sorted(classes, key=lambda c: c != "hard"), classes   # hard first
        for i in range(sections.count()):                  # equal values merged
            values = sections.nth(i).locator("li.position .value").all_inner_texts()
            assert len(values) == len(set(values)) >= 2, values

        taken = sections.filter(has=page.locator("h3", has_text="What was taken"))
        positions = taken.locator("li.position")
        assert positions.locator(".value").all_inner_texts() == ["outputs used for training",
                                                                  "model weights"]
        assert positions.nth(0).locator(".who").inner_text().startswith("7 outlets: ")
        assert positions.nth(1).locator(".who").inner_text().startswith(
            "1 outlet, citing unnamed sources: ")
        moved = sections.filter(has=page.locator("h3", has_text="shares moved"))
        assert moved.locator(".value").all_inner_texts()[0] == "▼ 4.9%"
        assert "Hard disagreement" in moved.locator(".severity").inner_text()

        # charts: a coverage strip, one dot plot per disputed figure, each described
        coverage = page.locator("section:has(#h-timeline) svg.chart")
        assert coverage.count() == 1
        fills = coverage.locator("circle[r='6']").evaluate_all(
            "cs => cs.map(c => c.getAttribute('fill'))")
        assert len(set(fills)) >= 3           # two positions and "no position"
        assert coverage.locator("circle[r='9']").count() == 1          # the first report
        figure_flags = [c for c in story["contradictions"] if c["kind"] == "figure"]
        assert page.locator("#disagreements svg.chart").count() == len(figure_flags) >= 2
        for svg in page.locator("svg.chart").all():
            assert svg.get_attribute("role") == "img"
            title_id, desc_id = svg.get_attribute("aria-labelledby").split()
            assert svg.locator(f"title#{title_id}").text_content().strip()
            assert svg.locator(f"desc#{desc_id}").text_content().strip()
            assert svg.bounding_box()["width"] <= WIDTHS[width][0]

        height = page.evaluate("document.documentElement.scrollHeight")
        if width == "phone":
            assert height < PHONE_HEIGHT, height
        page.evaluate(OPEN_ALL)
        table = page.locator("table.figures")
        display = table.evaluate("t => getComputedStyle(t).display")
        assert display == ("block" if width == "phone" else "table")
        assert table.bounding_box()["width"] <= WIDTHS[width][0]    # no sideways scrolling
        if width == "phone":                    # a list: one figure per block, outlets named
            row = page.locator("table.figures tbody tr").first
            assert row.evaluate("r => getComputedStyle(r).display") == "block"
            cell = row.locator("td:not(.empty)").first
            label = cell.evaluate("c => getComputedStyle(c, '::before').content")
            assert cell.get_attribute("data-outlet") in label
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width][0]
        page.screenshot(path=str(ARTIFACTS / f"reader-story-{width}-open.png"), full_page=True)
    finally:
        watch.close()
    assert watch.errors == [] and watch.foreign == []


def test_archive_and_entity_charts(browser, served):
    watch = Watch(browser, served, WIDTHS["desktop"])
    page = watch.page
    try:
        page.goto(served + "archive/index.html")
        bars = page.locator("svg.chart")
        assert bars.count() == 1
        assert "hard disagreements" in bars.locator("desc").text_content()
        assert bars.locator("rect").count() >= 4
        page.goto(served + "entities/alibaba/index.html")
        spark = page.locator("ul.sparklines svg")
        assert spark.count() >= 1
        move = page.locator("ul.sparklines li", has_text="Share price move").locator("svg")
        assert "▼ 4.9%" in move.locator("desc").text_content()
        page.screenshot(path=str(ARTIFACTS / "reader-entity-desktop.png"), full_page=True)
    finally:
        watch.close()
    assert watch.errors == [] and watch.foreign == []


def _axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text("utf-8")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_axe_finds_no_serious_issue(browser, served, sample_site, width):
    """axe-core on the digest, a story, an entity and search (with results), every fold
    open so hidden content is checked too."""
    story = lead_story(sample_site)
    axe = _axe_source()
    watch = Watch(browser, served, WIDTHS[width])
    page = watch.page
    found = {}
    try:
        for path in ("index.html", f"stories/{story['id']}/index.html",
                     "entities/alibaba/index.html", "search/index.html?q=alibaba",
                     "archive/index.html"):
            page.goto(served + path)
            if path.startswith("search/"):
                page.locator("#search-results li").first.wait_for()
            page.evaluate(OPEN_ALL)
            page.evaluate(axe)
            violations = page.evaluate(
                "axe.run(document).then(r => r.violations.map(v => ({id: v.id, impact: "
                "v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))")
            assert isinstance(violations, list)
            found[path] = [v for v in violations if v["impact"] in ("serious", "critical")]
            # the check ran: axe reports passes on a page with content
            assert page.evaluate("axe.run(document).then(r => r.passes.length)") > 10
    finally:
        watch.close()
    assert all(v == [] for v in found.values()), found


def test_no_code_in_the_visible_text_of_any_page(browser, served, sample_site):
    """Every reader page, every fold open: no snake_case token a reader could see."""
    watch = Watch(browser, served, WIDTHS["desktop"])
    page = watch.page
    leaks, checked = [], 0
    try:
        for path in sorted(sample_site.rglob("*.html")):
            rel = path.relative_to(sample_site).as_posix()
            if rel.startswith("_editors/") or path.name == "email.html":
                continue
            if 'http-equiv="refresh"' in path.read_text("utf-8"):
                continue            # a moved story: the page it sends to is checked itself
            page.goto(served + rel)
            page.evaluate(OPEN_ALL)
            text = page.locator("body").inner_text()
            leaks += [f"{rel}: {token}" for token in SNAKE.findall(text)]
            checked += 1
    finally:
        watch.close()
    assert checked > 50
    assert leaks == []


def test_search_finds_a_claim_word_and_a_byline(browser, served, sample_site):
    story = lead_story(sample_site)
    author = next(a["author"] for a in story["articles"] if a.get("author"))
    watch = Watch(browser, served, WIDTHS["phone"])
    page = watch.page
    try:
        for query in ("weights", author):
            page.goto(f"{served}search/index.html?q={query.replace(' ', '+')}")
            page.locator("#search-results li").first.wait_for()
            links = page.locator("#search-results a").evaluate_all(
                "as => as.map(a => a.getAttribute('href'))")
            assert f"../stories/{story['id']}/index.html" in links, (query, links)
        page.screenshot(path=str(ARTIFACTS / "reader-search-phone.png"), full_page=True)
    finally:
        watch.close()
    assert watch.errors == [] and watch.foreign == []
