"""Atom feeds: valid Atom 1.0 that feed readers accept, links that resolve."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest

from aiwire.site.model import build_site_model
from aiwire.site.render import build

A = "{http://www.w3.org/2005/Atom}"


def _check_atom(path, site_root):
    feed = ET.parse(path).getroot()
    assert feed.tag == f"{A}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{A}{required}") is not None, required
    entries = feed.findall(f"{A}entry")
    for entry in entries:
        for required in ("id", "title", "updated", "link", "summary"):
            assert entry.find(f"{A}{required}") is not None, required
        assert entry.find(f"{A}id").text.startswith("urn:uuid:")
        href = entry.find(f"{A}link").get("href")
        assert not urlsplit(href).scheme
        assert (path.parent / href).resolve().is_file(), href
    return entries


def test_digest_feed_lists_newest_stories(sample_site):
    entries = _check_atom(sample_site / "feeds/digest.xml", sample_site)
    stories = json.loads((sample_site / "export.json").read_text("utf-8"))["stories"]
    assert len(entries) == min(50, len(stories))
    updated = [e.find(f"{A}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    parsed = feedparser.parse((sample_site / "feeds/digest.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    shown = build_site_model(json.loads((sample_site / "export.json").read_text("utf-8")))
    assert {e.title for e in parsed.entries} == {s["title"] for s in shown.stories.values()}


def test_one_feed_per_entity(sample_site):
    feeds = (sample_site / "feeds/entities").glob("*.xml")
    pages = sorted(p.parent.name for p in (sample_site / "entities").glob("*/index.html"))
    assert sorted(f.stem for f in feeds) == pages
    entries = _check_atom(sample_site / "feeds/entities/anthropic.xml", sample_site)
    assert len(entries) >= 2   # the distillation story and the jailbreak-kit story
    assert all("anthropic" in [c.get("term") for c in e.findall(f"{A}category")]
               for e in entries)


def test_hostile_strings_leave_feeds_well_formed(hostile_store, tmp_path):
    out = tmp_path / "public"
    build(hostile_store, out)
    feeds = sorted((out / "feeds").rglob("*.xml"))
    assert len(feeds) > 10
    for path in feeds:
        entries = _check_atom(path, out)       # ElementTree raises on malformed XML
        text = path.read_text("utf-8")
        assert "<script" not in text and "\x00" not in text
        assert entries
        if path.name == "weekly.xml":             # the HTML inside: nh3-clean markup only
            texts = [" ".join(_content(entry).text) for entry in entries]
            assert any("<script>alert(1)</script>" in t for t in texts)  # shown, as text


SITE_URL = "https://digest.example.org/aiwire/"
CONTENT_TAGS = {"a", "b", "strong", "i", "em", "p", "br", "ul", "ol", "li", "blockquote", "code"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _content(entry) -> _Tags:
    """An entry's HTML content, decoded from the XML, checked to be inline markup only."""
    content = entry.find(f"{A}content")
    assert content is not None and content.get("type") == "html"
    parsed = _Tags()
    parsed.feed(content.text)
    for tag, attrs in parsed.tags:
        assert tag in CONTENT_TAGS, tag
        assert set(attrs) <= {"href", "rel"}, attrs
        if "href" in attrs:
            assert attrs["href"].startswith(("http://", "https://", "../")), attrs["href"]
    return parsed



def test_weekly_feed_has_one_entry_per_digest_with_its_disagreements(sample_site):
    entries = _check_atom(sample_site / "feeds/weekly.xml", sample_site)
    weeks = sorted((p.name for p in (sample_site / "digest").iterdir()), reverse=True)
    assert [e.find(f"{A}link").get("href") for e in entries] == [
        f"../digest/{w}/index.html" for w in weeks]
    assert len({e.find(f"{A}id").text for e in entries}) == len(weeks)
    parsed = feedparser.parse((sample_site / "feeds/weekly.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    latest = " ".join(" ".join(_content(entries[0]).text).split())
    assert latest.startswith("Where sources disagree")
    shown = build_site_model(json.loads((sample_site / "export.json").read_text("utf-8")))
    disputed = [shown.stories[s] for s in shown.weeks["2026-W47"]
                if shown.stories[s]["contradictions"]]
    assert disputed
    for story in disputed:
        assert story["title"] in latest
    assert "model weights" in latest and "Byte Sentinel" in latest
    others = [shown.stories[s]["title"] for s in shown.weeks["2026-W47"]
              if not shown.stories[s]["contradictions"]]
    if others:    # whatever the sample's flags: undisputed stories come last
        assert max(latest.index(s["title"]) for s in disputed) < latest.index("Other stories")
        assert all(t in latest for t in others)
    else:
        assert "Other stories" not in latest


def test_site_url_makes_every_feed_link_absolute(absolute_site):
    feeds = sorted((absolute_site / "feeds").rglob("*.xml"))
    assert len(feeds) > 5
    for path in feeds:
        root = ET.parse(path).getroot()
        self_link = next(l for l in root.findall(f"{A}link") if l.get("rel") == "self")
        assert self_link.get("href") == SITE_URL + path.relative_to(absolute_site).as_posix()
        for link in root.iter(f"{A}link"):
            href = link.get("href")
            assert href.startswith(SITE_URL), href
            target = absolute_site / href[len(SITE_URL):]
            assert target.is_file() or (target / "index.html").is_file(), href
        assert not feedparser.parse(path.read_bytes()).bozo
    weekly = ET.parse(absolute_site / "feeds/weekly.xml").getroot().findall(f"{A}entry")
    hrefs = [a["href"] for t, a in _content(weekly[0]).tags if t == "a"]
    assert any(h.startswith(f"{SITE_URL}stories/") for h in hrefs)
