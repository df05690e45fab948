"""The built site in real headless Chromium: home, a story page and search.

Served over a loopback http.server thread. Any console message of type error (CSP
violations included) fails the test. Screenshots at desktop and phone widths go to
test-artifacts/site/.
"""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "site"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(),
                                 reason="/usr/bin/chromium missing: apt-get install chromium")]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture(scope="module")
def served(sample_site):
    handler = functools.partial(_Quiet, directory=str(sample_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


class Watch:
    """A page that records console errors, failed requests and requests to other hosts."""

    def __init__(self, browser, base: str, size: tuple[int, int], javascript: bool = True):
        self.context = browser.new_context(viewport={"width": size[0], "height": size[1]},
                                           java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        host = urlsplit(base).netloc
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        # a request cut short by our own navigation (ERR_ABORTED) is not a failure
        self.page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "")
                     and self.errors.append(f"failed {r.url}: {r.failure}"))
        self.page.on("request", lambda r: urlsplit(r.url).netloc != host
                     and self.foreign.append(r.url))

    def close(self):
        self.context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_home_story_and_search(browser, served, width):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    watch = Watch(browser, served, WIDTHS[width])
    page = watch.page
    try:
        page.goto(served + "index.html")
        assert page.locator("h1").inner_text().startswith("This week in AI security")
        cards = page.locator("ol.stories article.card")
        assert cards.count() >= 6
        page.screenshot(path=str(ARTIFACTS / f"home-{width}.png"), full_page=True)
        # no horizontal scrolling on a phone: the layout fits the viewport
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width][0]

        disputed = page.locator("ol.stories article.card", has=page.locator(".badge")).first
        title = disputed.locator("h2 a").inner_text()
        disputed.locator("h2 a").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == title
        assert page.locator("#disagreements li.position").count() >= 2
        assert page.locator("ol.timeline li").count() >= 2
        page.screenshot(path=str(ARTIFACTS / f"story-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width][0]

        page.goto(served + "search/index.html")
        page.fill("#q", "alibaba")
        results = page.locator("#search-results li")
        results.first.wait_for()
        assert results.count() >= 2          # the story and the Alibaba Group entity
        assert "Alibaba" in page.locator("#search-results").inner_text()
        assert "results for" in page.locator("#search-status").inner_text()
        page.screenshot(path=str(ARTIFACTS / f"search-{width}.png"), full_page=True)
        results.locator("a", has_text="Alibaba Group").first.click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Alibaba Group"

        page.goto(served + "search/index.html?q=prompt+injection")
        page.locator("#search-results li").first.wait_for()
        assert page.input_value("#q") == "prompt injection"
    finally:
        watch.close()
    assert watch.errors == []
    assert watch.foreign == []


def test_everything_but_search_works_without_javascript(browser, served):
    watch = Watch(browser, served, WIDTHS["desktop"], javascript=False)
    page = watch.page
    try:
        page.goto(served + "index.html")
        page.locator("ol.stories article.card h2 a").first.click()
        page.wait_for_load_state()
        assert page.locator("section#disagreements, ol.timeline").count() >= 1
        page.locator("nav a", has_text="Entities").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Entities"
        page.goto(served + "search/index.html")
        assert "needs JavaScript" in page.locator("#search-status").inner_text()
    finally:
        watch.close()
    assert watch.errors == [] and watch.foreign == []
