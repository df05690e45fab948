"""The review queue (`aiwire review`, `_editors/review.html`): what the last run brought,
each item with curation.yaml entries that pass the check as pasted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from aiwire.curation import ReadOnlyStore, check_references, read_curation_text
from aiwire.review import review_queue
from aiwire.run import build
from aiwire.store import Store

from weeklykit import aiwire

OLD, RUN, NEW = "2026-11-01T00:00:00Z", "2026-11-21T05:00:00Z", "2026-11-21T05:30:00Z"


def _copy(analysed_db: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "aiwire.db"
    shutil.copyfile(analysed_db, db)
    Store(db).close()
    return db


def _queue(db: Path) -> dict:
    store = ReadOnlyStore(db)
    try:
        return review_queue(store)
    finally:
        store.close()


def test_before_any_run_everything_is_new_and_every_entry_passes_the_check(analysed_db,
                                                                           tmp_path):
    db = _copy(analysed_db, tmp_path)
    result = aiwire("review", "--db", str(db), "--json")
    assert result.returncode == 0, result.stderr
    queue = json.loads(result.stdout)
    store = Store(db)
    try:
        stories = {r["id"] for r in store.rows("SELECT id FROM stories")}
        flags = {r["id"] for r in store.rows("SELECT id FROM contradictions")}
        entities = {r["entity_id"] for r in store.rows("SELECT DISTINCT entity_id FROM mentions")}
    finally:
        store.close()
    assert queue["since"] is None
    assert {s["id"] for s in queue["stories"]} == stories
    assert all(s["status"] == "new" for s in queue["stories"])
    assert {f["id"] for f in queue["flags"]} == flags
    assert {e["id"] for e in queue["entities"]} == entities
    assert queue["techniques"]
    suggestions = [(item, s) for key in ("stories", "flags", "entities", "techniques")
                   for item in queue[key] for s in item["lines"]]
    actions = {s["section"] for _item, s in suggestions}
    assert actions >= {"stories", "split", "dismiss", "entities", "techniques"}
    reader = ReadOnlyStore(db)
    try:
        for _item, suggestion in suggestions:
            # pasted as is under its section: valid syntax, every id known
            text = f"# pasted\n{suggestion['section']}:\n  {suggestion['entry']}\n"
            curation = read_curation_text(text, "curation.yaml")
            check_references(reader, curation)
            assert not curation.issues, (text, [str(i) for i in curation.issues])
    finally:
        reader.close()


def test_only_what_the_last_run_brought(analysed_db, tmp_path):
    db = _copy(analysed_db, tmp_path)
    store = Store(db)
    try:
        sizes = store.rows("SELECT story_id, count(*) AS n FROM story_articles GROUP BY "
                           "story_id ORDER BY n DESC, story_id")
        fresh_story, updated_story = sizes[-1]["story_id"], sizes[0]["story_id"]
        fresh = [r["article_id"] for r in store.rows(
            "SELECT article_id FROM story_articles WHERE story_id = ?", (fresh_story,))]
        latest = store.scalar("SELECT a.id FROM story_articles s JOIN articles a ON "
                              "a.id = s.article_id WHERE s.story_id = ? ORDER BY a.published "
                              "DESC, a.url LIMIT 1", (updated_story,))
        new_ids = fresh + [latest]
        with store.transaction():
            store.conn.execute("UPDATE articles SET fetched_at = ?", (OLD,))
            store.conn.executemany("UPDATE articles SET fetched_at = ? WHERE id = ?",
                                   [(NEW, i) for i in new_ids])
            store.conn.execute("INSERT INTO runs (started, finished, status) VALUES "
                               "(?, ?, 'ok')", (RUN, NEW))
        new_urls = {r["url"] for r in store.rows(
            f"SELECT url FROM articles WHERE id IN ({','.join('?' * len(new_ids))})", new_ids)}
        only_new = {r["entity_id"] for r in store.rows(
            "SELECT entity_id FROM mentions GROUP BY entity_id HAVING sum(article_id IN "
            f"({','.join(map(str, new_ids))})) = count(*)")}
    finally:
        store.close()
    before = db.read_bytes()
    queue = _queue(db)
    assert db.read_bytes() == before                          # the queue only reads
    assert queue["since"] == RUN
    assert {(s["id"], s["status"]) for s in queue["stories"]} == {
        (fresh_story, "new"), (updated_story, "updated")}
    assert {e["id"] for e in queue["entities"]} == only_new
    for flag in queue["flags"]:
        assert flag["story"] in (fresh_story, updated_story)
        assert any(side["url"] in new_urls for side in flag["sides"])
    for technique in queue["techniques"]:
        assert technique["story"] in (fresh_story, updated_story)


def test_plain_lines_keep_ids_whole(analysed_db, tmp_path):
    db = _copy(analysed_db, tmp_path)
    result = aiwire("review", "--db", str(db), "--plain")
    assert result.returncode == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows and all(len(row) == 5 for row in rows)
    ids = {s["id"] for s in _queue(db)["stories"]}
    assert {row[1] for row in rows if row[0] == "story"} == ids
    assert all(row[4].startswith("- {") and row[4].endswith("}") for row in rows)
    # the terminal view does not break an entry across lines either
    table = aiwire("review", "--db", str(db))
    entries = {row[4] for row in rows}
    shown = {line.split(": ", 1)[1] for line in table.stdout.splitlines()
             if line.startswith("    under ")}
    assert entries == shown


def test_review_page_is_built_for_editors_only(analysed_db, tmp_path):
    db = _copy(analysed_db, tmp_path)
    out = tmp_path / "public"
    store = Store(db)
    try:
        build(store, out)
    finally:
        store.close()
    page = (out / "_editors" / "review.html").read_text("utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in page
    queue = _queue(db)
    for story in queue["stories"]:
        assert f'id="story-{story["id"]}"' in page
    assert page.count('<pre class="curation">') == sum(
        len(queue[key]) for key in ("stories", "flags", "entities", "techniques"))
    for html in out.rglob("*.html"):
        if "_editors" not in html.parts:
            assert "review.html" not in html.read_text("utf-8"), html


def test_a_story_titled_like_another_is_offered_as_a_merge(analysed_db, tmp_path):
    db = _copy(analysed_db, tmp_path)
    store = Store(db)
    try:
        first, second = [r["id"] for r in store.rows("SELECT id FROM stories ORDER BY id")][:2]
        title = store.scalar("SELECT title FROM stories WHERE id = ?", (first,))
        with store.transaction():
            store.conn.execute("UPDATE stories SET title = ? WHERE id = ?",
                               (f"{title} (update)", second))
    finally:
        store.close()
    queue = _queue(db)
    merges = [s for item in queue["stories"] if item["id"] == second
              for s in item["lines"] if s["section"] == "merge"]
    assert [m["entry"] for m in merges] == [f"- {{into: {first}, stories: [{second}]}}"]
    reader = ReadOnlyStore(db)
    try:
        curation = read_curation_text(f"merge:\n  {merges[0]['entry']}\n", "curation.yaml")
        check_references(reader, curation)
        assert not curation.issues
    finally:
        reader.close()
