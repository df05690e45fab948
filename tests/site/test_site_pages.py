"""The HTML pages: semantic and accessible, same-host only, and hostile strings inert."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from aiwire.site.pages import CSP
from aiwire.site.render import build

from sitekit import load_payloads, parse_html

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background",
                  "cite", "srcset", "xlink:href", "ping", "manifest", "icon", "longdesc"}
LOADING = {("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"),
           ("source", "src"), ("video", "src"), ("audio", "src"), ("embed", "src"),
           ("object", "data")}
OUR_SCRIPTS = {"data.js", "../static/search.js"}


def _scheme(url: str) -> str:
    """The scheme as a browser reads it: control characters and whitespace dropped."""
    folded = re.sub(r"[\x00-\x20]", "", url).lower()
    return folded.split(":", 1)[0] if ":" in folded else ""


def html_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def reader_pages(root: Path) -> list[Path]:
    """The pages of the site, not the newsletter files (an email has no nav or CSP and
    must style inline; tests/site/test_site_email.py checks those)."""
    return [p for p in html_files(root) if p.name != "email.html"]


def violations(root: Path) -> list[str]:
    """Everything in the built site that could run script or load from elsewhere."""
    found = []
    for path in html_files(root):
        page = parse_html(path.read_text("utf-8"))
        name = path.relative_to(root).as_posix()
        for tag, attrs in page.elements:
            if tag in {"iframe", "object", "embed", "base", "frame", "applet", "style"}:
                found.append(f"{name}: <{tag}>")
            if tag == "script" and attrs.get("src") not in OUR_SCRIPTS:
                found.append(f"{name}: script {attrs}")
            for attr, value in attrs.items():
                if attr.startswith("on"):
                    found.append(f"{name}: handler {tag} {attr}")
                if attr == "style" and path.name != "email.html":
                    found.append(f"{name}: inline style on {tag}")
                if attr in URL_ATTRIBUTES and _scheme(value) in {"javascript", "vbscript",
                                                                 "data"}:
                    found.append(f"{name}: {tag} {attr}={value!r}")
                if (tag, attr) in LOADING and (urlsplit(value).scheme or
                                               value.startswith("//")):
                    found.append(f"{name}: {tag} loads {value!r} from another host")
            if tag == "a" and attrs.get("href", "").startswith(("http:", "https:")):
                if "noopener" not in attrs.get("rel", ""):
                    found.append(f"{name}: external link without rel=noopener")
            if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
                target = attrs.get("content", "").split("url=", 1)[-1]
                if urlsplit(target).scheme or target.startswith("//"):
                    found.append(f"{name}: refresh to {target!r}")
    return found


def test_sample_site_has_every_kind_of_page(sample_site):
    names = {p.relative_to(sample_site).as_posix() for p in sample_site.rglob("*") if
             p.is_file()}
    for required in ("index.html", "archive/index.html", "entities/index.html",
                     "techniques/index.html", "outlets/index.html", "search/index.html",
                     "digest/2026-W47/index.html", "digest/2026-W46/index.html",
                     "entities/anthropic/index.html", "export.json", "feeds/digest.xml",
                     "stix/2026-W47.json", "search/data.js", "static/style.css"):
        assert required in names, required
    stories = json.loads((sample_site / "export.json").read_text("utf-8"))["stories"]
    assert all(f"stories/{s['id']}/index.html" in names for s in stories)
    assert any(n.startswith("techniques/AML.T") for n in names)
    assert "outlets/signal-desk/index.html" in names


def test_pages_are_semantic_and_accessible(sample_site):
    for path in reader_pages(sample_site):
        text = path.read_text("utf-8")
        page = parse_html(text)
        tags = [t for t, _ in page.elements]
        name = path.relative_to(sample_site).as_posix()
        assert text.startswith("<!doctype html>"), name
        assert ("html", {"lang": "en"}) in page.elements, name
        for landmark in ("header", "nav", "main", "footer"):
            assert landmark in tags, f"{name} lacks <{landmark}>"
        assert tags.count("h1") == 1, name
        levels = [int(t[1]) for t in tags if re.fullmatch(r"h[1-6]", t)]
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), f"{name} skips {levels}"
        assert any(t == "meta" and a.get("name") == "viewport" for t, a in page.elements)
        csp = [a["content"] for t, a in page.elements
               if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
        assert csp == [str(CSP)], name
        ids = [a["id"] for _, a in page.elements if "id" in a]
        assert len(ids) == len(set(ids)), f"{name} repeats an id"
        for tag, attrs in page.elements:
            if tag == "input" and attrs.get("type") != "hidden":
                assert any(t == "label" and a.get("for") == attrs.get("id")
                           for t, a in page.elements), f"{name}: unlabelled input"


def test_csp_is_strict():
    policy = dict(part.strip().split(" ", 1) for part in str(CSP).split(";"))
    assert policy["default-src"] == "'none'"
    for directive in ("script-src", "style-src", "img-src", "connect-src"):
        assert policy[directive] == "'self'", directive
    assert "unsafe-inline" not in str(CSP) and "unsafe-eval" not in str(CSP)
    assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'"


def test_internal_links_resolve(sample_site):
    """Relative links with index.html explicit, so the site works from file:// too."""
    checked = 0
    for path in html_files(sample_site):
        for tag, attrs in parse_html(path.read_text("utf-8")).elements:
            for attr in ("href", "src"):
                value = attrs.get(attr)
                if not value or urlsplit(value).scheme or value.startswith("#"):
                    continue
                target = unquote(urlsplit(value).path)
                assert not target.startswith("/"), f"{path}: absolute path {value}"
                assert not target.endswith("/"), f"{path}: directory link {value}"
                resolved = (path.parent / target).resolve()
                assert resolved.is_file(), f"{path.relative_to(sample_site)}: {value}"
                checked += 1
    assert checked > 500


def test_sample_site_is_clean(sample_site):
    assert violations(sample_site) == []


def test_story_page_shows_contradictions_figures_claims(sample_site):
    stories = json.loads((sample_site / "export.json").read_text("utf-8"))["stories"]
    story = max(stories, key=lambda s: len(s["contradictions"]))
    assert story["contradictions"], "the sample has a contradiction"
    page = (sample_site / "stories" / story["id"] / "index.html").read_text("utf-8")
    text = " ".join(parse_html(page).text)
    for side in story["contradictions"][0]["sides"]:
        assert side["url"] in page
    for article in story["articles"]:
        assert article["url"] in page and f'outlets/{article["feed"]}/index.html' in page
    assert 'id="disagreements"' in page and "Figures by outlet" in page
    assert "Claims by speaker" in text and "MITRE ATLAS techniques" in text
    for technique in story["techniques"]:
        assert f"techniques/{technique['id']}/index.html" in page


def test_home_ranks_the_current_week(sample_site):
    home = (sample_site / "index.html").read_text("utf-8")
    digest = (sample_site / "digest/2026-W47/index.html").read_text("utf-8")
    assert "This week in AI security" in home and "2026-W47" in home
    assert 'href="digest/2026-W46/index.html"' in home
    order = re.findall(r'<h2 id="card-([^"]+)"', home)
    assert order == re.findall(r'<h2 id="card-([^"]+)"', digest)
    assert len(order) >= 6
    stories = {s["id"]: s for s in
               json.loads((sample_site / "export.json").read_text("utf-8"))["stories"]}
    outlets = [len({a["source"] for a in stories[sid]["articles"]}) for sid in order]
    assert outlets[0] == max(outlets), "the widest-reported story leads"


def test_pages_work_without_javascript(sample_site):
    """Only the search page has script; every other page is complete as served."""
    for path in html_files(sample_site):
        scripts = [a for t, a in parse_html(path.read_text("utf-8")).elements if t == "script"]
        if path.relative_to(sample_site).as_posix() == "search/index.html":
            assert {a["src"] for a in scripts} == OUR_SCRIPTS
        else:
            assert scripts == [], path


def test_xss_payloads_do_not_survive(hostile_store, tmp_path):
    out = tmp_path / "public"
    report = build(hostile_store, out)
    assert report.files > 100
    assert violations(out) == []
    shown = " ".join(" ".join(parse_html(p.read_text("utf-8")).text) for p in html_files(out))
    for payload in load_payloads():
        assert payload.strip() in shown, f"payload vanished: {payload!r}"
    # nothing escaped the site folder through a hostile id
    assert all(out in p.resolve().parents for p in out.rglob("*"))
    assert not (tmp_path / "x.js").exists()


@pytest.mark.parametrize("markup", [
    '<script>alert(1)</script>', '<img src=x onerror=alert(1)>',
    '<a href=" JaVa\tScRiPt:alert(1)">x</a>', '<a href="data:text/html,x">x</a>',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<script src="//evil.example/x.js"></script>', '<iframe src="x.html"></iframe>',
    '<a href="https://evil.example/">no rel</a>', '<p style="color:red">x</p>',
    '<meta http-equiv="refresh" content="0; url=https://evil.example/">'])
def test_the_checker_catches_what_it_looks_for(tmp_path, markup):
    """The XSS test is only as good as this walker: it must flag each of these."""
    (tmp_path / "page.html").write_text(f"<!doctype html><p>ok</p>{markup}", "utf-8")
    assert violations(tmp_path)


def test_merged_story_ids_redirect(analysed_store, tmp_path):
    target = analysed_store.scalar("SELECT id FROM stories ORDER BY id")
    with analysed_store.transaction():
        analysed_store.conn.execute("INSERT INTO story_redirects VALUES (?, ?)",
                                    ("old-story-id", target))
    out = tmp_path / "public"
    build(analysed_store, out)
    page = parse_html((out / "stories/old-story-id/index.html").read_text("utf-8"))
    refresh = [a["content"] for t, a in page.elements if a.get("http-equiv") == "refresh"]
    assert refresh == [f"0; url=../{target}/index.html"]
    assert violations(out) == []


def test_entity_pages_list_the_latest_statements_and_figures(analysed_store, tmp_path,
                                                              monkeypatch):
    """An entity quoted in every report of a large incident keeps a page of bounded size:
    it lists the newest ENTITY_LATEST statements and figures and says how many there are."""
    import aiwire.site.pages as pages

    def quotes(page_html: str, cls: str) -> list[str]:
        block = re.search(rf'<ol class="{cls}">(.*?)</ol>', page_html, re.S)
        return re.findall(r"<li>(.*?)</li>", block.group(1), re.S) if block else []

    full = tmp_path / "full"
    build(analysed_store, full)
    counts = {p: len(quotes(p.read_text("utf-8"), "quotes"))
              for p in (full / "entities").glob("*/index.html")}
    busiest = max(counts, key=lambda p: (counts[p], p.as_posix()))
    assert counts[busiest] >= 2, "the sample has an entity with two statements"
    monkeypatch.setattr(pages, "ENTITY_LATEST", 1)
    capped = tmp_path / "capped"
    build(analysed_store, capped)
    text = (capped / busiest.relative_to(full)).read_text("utf-8")
    assert quotes(text, "quotes") == quotes(busiest.read_text("utf-8"), "quotes")[-1:]
    assert f"The latest 1 of {counts[busiest]}" in text
    assert "The latest" not in busiest.read_text("utf-8")


def test_a_story_page_shows_its_most_reported_figure_rows(analysed_store, tmp_path,
                                                          monkeypatch):
    """A story of thousands of reports has thousands of figure rows: its page shows the
    first FIGURE_ROWS (disputed, then most reported) and says how many there are."""
    import aiwire.site.model as model

    def rows(page: Path) -> list[str]:
        table = re.search(r'<table class="figures">(.*?)</table>', page.read_text("utf-8"),
                          re.S)
        return re.findall(r"<tr>.*?</tr>", table.group(1), re.S)[1:] if table else []

    full = tmp_path / "full"
    build(analysed_store, full)
    counts = {p: len(rows(p)) for p in (full / "stories").glob("*/index.html")}
    widest = max(counts, key=lambda p: (counts[p], p.as_posix()))
    assert counts[widest] >= 3
    monkeypatch.setattr(model, "FIGURE_ROWS", 2)
    capped = tmp_path / "capped"
    build(analysed_store, capped)
    page = capped / widest.relative_to(full)
    assert rows(page) == rows(widest)[:2]
    assert f"The 2 most reported of {counts[widest]} figures" in page.read_text("utf-8")
