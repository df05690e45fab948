"""The search index: every story and entity findable, every hit a page that exists."""

from __future__ import annotations

import json

from aiwire.site.cleantext import headline
from aiwire.site.search import INDEX_PATH, SHARD_DIR


def _assigned(text: str, name: str):
    prefix = f"window.{name} = "
    line = next(line for line in text.splitlines() if line.startswith(prefix))
    assert line.endswith(";")
    return json.loads(line[len(prefix):-1])


def load_index(root):
    """data.js (entities, techniques, outlets, the weeks) plus every week's story shard."""
    text = (root / INDEX_PATH).read_text("ascii")
    assert text.endswith(";\n")
    index = _assigned(text, "AIWIRE_SEARCH")
    for week in _assigned(text, "AIWIRE_SEARCH_WEEKS"):
        shard = (root / SHARD_DIR / f"{week}.js").read_text("ascii")
        prefix = "(window.AIWIRE_SEARCH_PARTS = window.AIWIRE_SEARCH_PARTS || []).push("
        assert shard.startswith(prefix) and shard.endswith(");\n")
        index += json.loads(shard[len(prefix):-3])
    return index


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


def test_a_new_week_adds_a_shard_and_leaves_older_ones_alone(tmp_path):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repo root
    from benchmarks.site import Corpus

    from aiwire.site.render import build
    from aiwire.store import Store

    store = Store(tmp_path / "weeks.db")
    corpus = Corpus(store)
    corpus.fill(articles=120, stories=24)
    out = tmp_path / "public"
    build(store, out)
    shards = {p.name: p.read_bytes() for p in (out / SHARD_DIR).iterdir()}
    assert len(shards) >= 6                        # eight weeks of synthetic news
    assert all(e["k"] != "story" for e in _assigned((out / INDEX_PATH).read_text("ascii"),
                                                     "AIWIRE_SEARCH"))
    # a story first reported in a new, later week
    later = max(corpus.story_start.values()) + __import__("datetime").timedelta(days=14)
    corpus.story_entities["story-new"] = corpus._entity_pool()
    corpus.story_start["story-new"] = later
    rows = corpus._article_rows("story-new", later)
    corpus._write({"stories": [("story-new", "A brand new incident", "[]",
                                later.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                later.strftime("%Y-%m-%dT%H:%M:%SZ"), None, 0.0)], **rows})
    build(store, out)
    after = {p.name: p.read_bytes() for p in (out / SHARD_DIR).iterdir()}
    assert set(after) - set(shards) == {f"{later.strftime('%G-W%V')}.js"}
    assert {name: after[name] for name in shards} == shards
    assert any(e["t"] == "A brand new incident" for e in load_index(out))
    store.close()
