"""The search index: every story and entity findable, every hit a page that exists."""

from __future__ import annotations

import json

from aiwire.site.cleantext import headline
from aiwire.site.search import INDEX_PATH


def load_index(root):
    text = (root / INDEX_PATH).read_text("ascii")
    prefix = "window.AIWIRE_SEARCH = "
    assert text.startswith(prefix) and text.endswith(";\n")
    return json.loads(text[len(prefix):-2])


def test_index_covers_stories_and_entities(sample_site):
    index = load_index(sample_site)
    export = json.loads((sample_site / "export.json").read_text("utf-8"))
    titles = {e["t"] for e in index if e["k"] == "story"}
    assert titles == {headline(s["title"]) for s in export["stories"]}
    names = {e["t"] for e in index if e["k"] == "entity"}
    assert {"Anthropic", "Alibaba Group"} <= names
    assert {e["k"] for e in index} == {"story", "entity", "technique", "outlet"}
    for entry in index:
        assert (sample_site / entry["u"]).is_file(), entry["u"]


def test_story_entries_carry_their_entities(sample_site):
    index = load_index(sample_site)
    story = next(e for e in index if e["k"] == "story" and "Quill" in e["t"])
    assert "CVE-2026-41872".lower() in story["x"].lower()


def test_hostile_index_is_inert_ascii(hostile_store, tmp_path):
    from aiwire.site.render import build

    build(hostile_store, tmp_path / "public")
    raw = (tmp_path / "public" / INDEX_PATH).read_bytes()
    assert raw.isascii()
    index = load_index(tmp_path / "public")
    assert any("<script>alert(1)</script>" in e["t"] for e in index)
    assert all(not e["u"].startswith(("javascript:", "data:", "/")) for e in index)


def test_story_entries_carry_headlines_bylines_quotes_and_figures(sample_site):
    """A reader who remembers a claim ("weights"), a byline or a figure finds the story."""
    index = load_index(sample_site)
    export = json.loads((sample_site / "export.json").read_text("utf-8"))
    lead = max(export["stories"], key=lambda s: len(s["contradictions"]))
    entry = next(e for e in index if e["k"] == "story" and e["u"] == f"stories/{lead['id']}/index.html")
    text = entry["x"].lower()
    assert "weights" in text
    for article in lead["articles"]:
        assert article["title"].lower() in text
        if article.get("author"):
            assert article["author"].lower() in text
    for claim in lead["claims"]:
        assert claim["quote"].lower() in text
    for figure in lead["figures"]:
        assert figure["text"].lower() in text
    assert "▼ 4.9%" in entry["x"]                      # our spelling as well as theirs
    outlet = next(e for e in index if e["k"] == "outlet" and e["t"] == "Signal Desk")
    authors = {a["author"] for s in export["stories"] for a in s["articles"]
               if a["source"] == "Signal Desk" and a.get("author")}
    assert authors and all(a in outlet["x"] for a in authors)
