"""Atom feeds: valid Atom 1.0 that feed readers accept, links that resolve."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import feedparser

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
