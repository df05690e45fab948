"""Builds cost what changed: the dirty set from the store's change log, the export per
ISO week, and an unchanged build that neither exports nor renders."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repo root: benchmarks/

from benchmarks.site import Corpus  # noqa: E402

from aiwire.export import export_document, week_documents  # noqa: E402
from aiwire.site.render import build, site_document  # noqa: E402
from aiwire.store import Store  # noqa: E402


@pytest.fixture
def corpus(tmp_path):
    store = Store(tmp_path / "site.db")
    corpus = Corpus(store)
    corpus.fill(articles=240, stories=24)
    yield corpus
    store.close()


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file()}


def test_an_unchanged_build_exports_and_renders_nothing(corpus, tmp_path):
    store, out = corpus.store, tmp_path / "public"
    first = build(store, out)
    assert first.rendered and first.files > 50
    before = _files(out)
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        again = build(store, out)
    finally:
        store.conn.set_trace_callback(None)
    assert again.rendered == [] and again.reused == first.files
    assert _files(out) == before
    # a handful of index reads, no per-story export queries
    assert len(statements) < 10, statements
    assert not any("story_articles" in s for s in statements)


def test_a_change_to_one_story_is_seen_and_history_keeps_its_bytes(corpus, tmp_path):
    store, out = corpus.store, tmp_path / "public"
    build(store, out)
    before = _files(out)
    weeks = sorted(p for p in before if p.startswith("export/"))
    assert len(weeks) >= 6                       # eight weeks of synthetic news
    mark = store.change_seq()
    story = store.rows("SELECT id FROM stories ORDER BY first_seen DESC LIMIT 1")[0]["id"]
    article = store.scalar("SELECT article_id FROM story_articles WHERE story_id = ? "
                           "ORDER BY article_id LIMIT 1", (story,))
    store.conn.execute("UPDATE articles SET title = 'A corrected headline' WHERE id = ?",
                       (article,))
    assert store.changed_stories(mark) == {story}
    report = build(store, out)
    assert report.rendered                       # not the unchanged fast path
    after = _files(out)
    changed_weeks = [w for w in weeks if after[w] != before[w]]
    document = export_document(store)
    own = [s for s in document["stories"] if s["id"] == story][0]
    from aiwire.export import story_weeks

    assert changed_weeks == [f"export/{w}.json" for w in story_weeks(own)]
    assert b"A corrected headline" in after[f"stories/{own['id']}/index.html"]


def test_curation_marks_its_story_dirty(corpus, tmp_path):
    store, out = corpus.store, tmp_path / "public"
    build(store, out)
    story = store.rows("SELECT id FROM stories ORDER BY id LIMIT 1")[0]["id"]
    mark = store.change_seq()
    store.conn.execute("INSERT INTO story_curation (story_id, hidden) VALUES (?, 1)", (story,))
    assert store.changed_stories(mark) == {story}
    build(store, out)
    export = json.loads((out / "export.json").read_text("utf-8"))
    assert story not in {s["id"] for s in export["stories"]}


def test_week_documents_partition_the_export(corpus):
    document = site_document(corpus.store)
    weeks = week_documents(document)
    assert list(weeks) == sorted(weeks)
    seen = {s["id"] for part in weeks.values() for s in part["stories"]}
    assert seen == {s["id"] for s in document["stories"]}
    for week, part in weeks.items():
        assert part["schema"] == document["schema"]
        for story in part["stories"]:   # every story in a week file has a report that week
            assert any(a["published"] and _week(a["published"]) == week
                       for a in story["articles"])


def _week(stamp: str) -> str:
    from aiwire.timeutil import parse_time

    return parse_time(stamp).strftime("%G-W%V")


def test_week_files_in_the_site_match_the_export_schema(corpus, tmp_path):
    import jsonschema

    schema = json.loads((Path(__file__).resolve().parents[2] / "aiwire" / "schema"
                         / "export.schema.json").read_text("utf-8"))
    out = tmp_path / "public"
    build(corpus.store, out)
    files = sorted((out / "export").glob("*.json"))
    assert files and all(re_week(f.stem) for f in files)
    for path in files:
        jsonschema.validate(json.loads(path.read_text("utf-8")), schema)


def re_week(name: str) -> bool:
    import re

    return re.fullmatch(r"\d{4}-W\d{2}", name) is not None
