"""`aiwire story list|show`: an editor sees a story and its evidence in the terminal."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from aiwire.store import Store

from weeklykit import aiwire, env


def _biggest(db) -> dict:
    store = Store(db)
    try:
        story = store.rows("SELECT s.id, s.title, count(*) AS n FROM stories s JOIN "
                           "story_articles a ON a.story_id = s.id GROUP BY s.id "
                           "ORDER BY n DESC, s.id LIMIT 1")[0]
        story["urls"] = [r["url"] for r in store.rows(
            "SELECT a.url FROM story_articles s JOIN articles a ON a.id = s.article_id "
            "WHERE s.story_id = ?", (story["id"],))]
        story["flags"] = [r["id"] for r in store.rows(
            "SELECT id FROM contradictions WHERE story_id = ?", (story["id"],))]
        return story
    finally:
        store.close()


def test_show_prints_the_story_with_its_evidence(analysed_db):
    story = _biggest(analysed_db)
    result = aiwire("story", "show", story["id"], "--db", str(analysed_db))
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert story["id"] in text and story["title"][:40] in text
    flat = "".join(ch for ch in text if ch not in "│┃ \n")    # table cells fold long URLs
    for url in story["urls"]:
        assert url in flat
    for flag in story["flags"]:
        assert flag in text
    for heading in ("Reports", "Figures", "Claims"):
        assert heading in text


def test_show_follows_a_merged_id(analysed_db, tmp_path):
    db = tmp_path / "aiwire.db"
    shutil.copyfile(analysed_db, db)
    store = Store(db)
    store.conn.execute("INSERT INTO story_redirects (old_id, new_id) VALUES (?, ?)",
                       ("an-old-story-000000", _biggest(analysed_db)["id"]))
    store.close()
    result = aiwire("story", "show", "an-old-story-000000", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "was merged into" in result.stdout


def test_unknown_story_exits_2(analysed_db):
    result = aiwire("story", "show", "no-such-story", "--db", str(analysed_db))
    assert result.returncode == 2
    assert "no story 'no-such-story'" in result.stderr and "aiwire story list" in result.stderr


def test_missing_database_exits_2_and_creates_nothing(tmp_path):
    result = aiwire("story", "list", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 2
    assert not (tmp_path / "none.db").exists()


def test_list_shows_every_story_id_whole(analysed_db):
    result = aiwire("story", "list", "--db", str(analysed_db))
    assert result.returncode == 0, result.stderr
    store = Store(analysed_db)
    ids = [r["id"] for r in store.rows("SELECT id FROM stories")]
    store.close()
    flat = result.stdout.replace("│", "").replace(" ", "").replace("\n", "")
    for story_id in ids:
        assert story_id in flat


def _story_ids(db) -> list[str]:
    store = Store(db)
    try:
        return [r["id"] for r in store.rows("SELECT id FROM stories ORDER BY id")]
    finally:
        store.close()


def test_new_story_ids_are_at_most_40_characters(analysed_db):
    ids = _story_ids(analysed_db)
    assert ids and all(len(i) <= 40 for i in ids), [i for i in ids if len(i) > 40]


def test_list_plain_and_json_give_every_id_whole(analysed_db):
    ids = _story_ids(analysed_db)
    plain = aiwire("story", "list", "--db", str(analysed_db), "--plain")
    assert plain.returncode == 0, plain.stderr
    rows = [line.split("\t") for line in plain.stdout.splitlines()]
    assert sorted(row[0] for row in rows) == ids
    assert all(len(row) == 6 and row[2].isdigit() for row in rows)
    data = json.loads(aiwire("story", "list", "--db", str(analysed_db), "--json").stdout)
    assert sorted(s["id"] for s in data) == ids
    assert all({"title", "reports", "flags", "first_seen", "last_seen", "editors"} <= set(s)
               for s in data)


def test_list_table_never_wraps_an_id_at_80_columns(analysed_db):
    result = subprocess.run([sys.executable, "-m", "aiwire", "story", "list", "--db",
                             str(analysed_db)], capture_output=True, text=True, timeout=120,
                            env=dict(env(), COLUMNS="80"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for story_id in _story_ids(analysed_db):
        assert any(story_id in line for line in lines), story_id     # whole, on one line
