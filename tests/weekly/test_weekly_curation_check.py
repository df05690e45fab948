"""`aiwire curation check` (offline, read-only, every problem at once) and the weekly run's
own check: a bad curation line is reported and skipped, and the week still publishes."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from aiwire.sampleweb import sample_feeds_yaml
from aiwire.store import Store

from weeklykit import aiwire, run


def _ids(db: Path) -> tuple[list[str], list[str], list[str]]:
    """Story ids (largest first), contradiction ids and entity ids of a database."""
    store = Store(db)
    try:
        stories = [r["id"] for r in store.rows(
            "SELECT s.id FROM stories s JOIN story_articles a ON a.story_id = s.id "
            "GROUP BY s.id ORDER BY count(*) DESC, s.id")]
        flags = [r["id"] for r in store.rows("SELECT id FROM contradictions ORDER BY id")]
        entities = [r["entity_id"] for r in store.rows(
            "SELECT entity_id FROM mentions GROUP BY entity_id ORDER BY count(*) DESC, "
            "entity_id")]
        return stories, flags, entities
    finally:
        store.close()


def _typo(value: str) -> str:
    """One character changed: what a slip of the keyboard does to a copied id."""
    return value[:-1] + ("0" if value[-1] != "0" else "1")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _private_db(analysed_db: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "aiwire.db"
    shutil.copyfile(analysed_db, db)
    Store(db).close()        # at this aiwire's schema, checkpointed: no -wal beside it
    return db


def test_check_reports_every_problem_with_line_fix_and_nearest_id(analysed_db, tmp_path):
    db = _private_db(analysed_db, tmp_path / "data")
    stories, flags, entities = _ids(db)
    curation = tmp_path / "curation.yaml"
    curation.write_text(
        "# editors' corrections\n"                                       # 1
        "stories:\n"                                                     # 2
        f"  - id: {_typo(stories[0])}\n"                                 # 3
        "    pin: true\n"                                                # 4
        f"  - id: {stories[1]}\n"                                        # 5
        "    hid: true\n"                                                # 6
        "dismiss:\n"                                                     # 7
        f"  - contradiction: {_typo(flags[0])}\n"                        # 8
        "    reason: Both count different things.\n"                     # 9
        "entities:\n"                                                    # 10
        f"  - id: {entities[0]}\n"                                       # 11
        f"    alias_to: {_typo(entities[1])}\n"                          # 12
        "techniques:\n"                                                  # 13
        f"  - story: {stories[1]}\n"                                     # 14
        "    remove: [AML.T0000]\n"                                      # 15
        "pins: []\n")                                                    # 16
    before = _files(db.parent)
    result = aiwire("curation", "check", "--curation", str(curation), "--db", str(db))
    assert result.returncode == 2, result.stderr
    out = result.stdout
    assert (f"{curation}:3: unknown story id {_typo(stories[0])!r} "
            f"(did you mean {stories[0]!r}?)") in out
    assert f"{curation}:6: stories[1].hid: Extra inputs are not permitted (did you mean " \
           f"'hide'?)" in out
    assert (f"{curation}:8: unknown contradiction id {_typo(flags[0])!r} "
            f"(did you mean {flags[0]!r}?)") in out
    assert (f"{curation}:12: unknown entity id {_typo(entities[1])!r} "
            f"(did you mean {entities[1]!r}?)") in out
    assert f"{curation}:15: unknown ATLAS technique 'AML.T0000'" in out
    assert f"{curation}:16: unknown section 'pins'" in out
    assert out.count("  fix: ") == 6
    assert "6 problem(s)" in result.stderr
    assert _files(db.parent) == before          # read-only: not a byte, not a -wal file


def test_check_of_a_good_file_exits_0(analysed_db, tmp_path):
    db = _private_db(analysed_db, tmp_path / "data")
    stories, flags, entities = _ids(db)
    curation = tmp_path / "curation.yaml"
    curation.write_text(f"merge:\n  - into: {stories[0]}\n    stories: [{stories[-1]}]\n"
                        f"dismiss:\n  - {{contradiction: {flags[0]!r}, reason: checked}}\n"
                        f"entities:\n  - {{id: {entities[-1]}, reject: true}}\n")
    before = _files(db.parent)
    result = aiwire("curation", "check", "--curation", str(curation), "--db", str(db))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 entries, valid" in result.stderr and result.stdout == ""
    assert _files(db.parent) == before


def test_check_without_a_database_checks_the_syntax_and_says_so(tmp_path):
    curation = tmp_path / "curation.yaml"
    curation.write_text("stories:\n  - id: a\n    pin: yes please\n")
    result = aiwire("curation", "check", "--curation", str(curation), "--db",
                    str(tmp_path / "none.db"))
    assert result.returncode == 2
    assert f"{curation}:3: stories[0].pin: Input should be a valid boolean" in result.stdout
    assert "no database, so ids were not checked" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_check_names_a_yaml_error_line(tmp_path):
    curation = tmp_path / "curation.yaml"
    curation.write_text("stories:\n  - id: a\n   pin: true\n")
    result = aiwire("curation", "check", "--curation", str(curation), "--db",
                    str(tmp_path / "none.db"))
    assert result.returncode == 2 and f"{curation}:3: not valid YAML" in result.stdout


def test_a_typo_is_caught_and_the_run_still_publishes_the_week(analysed_db, sample_server,
                                                               tmp_path):
    """The editor's acceptance case: one typo'd story id in curation.yaml."""
    db = _private_db(analysed_db, tmp_path)
    (tmp_path / "feeds.yaml").write_text(sample_feeds_yaml(sample_server.base_url))
    stories, _flags, _entities = _ids(db)
    typo = _typo(stories[0])
    curation = tmp_path / "curation.yaml"
    curation.write_text(f"# editors\nstories:\n  - id: {typo}\n    pin: true\n"
                        f"  - id: {stories[1]}\n    note: Still developing.\n")
    check = aiwire("curation", "check", "--curation", str(curation), "--db", str(db))
    assert check.returncode == 2
    assert f"{curation}:3: unknown story id {typo!r} (did you mean {stories[0]!r}?)" \
        in check.stdout

    result = run(tmp_path)
    assert result.returncode == 0, result.stderr           # the week is published
    assert f"curation: skipped {curation}:3: unknown story id {typo!r}" in result.stderr
    out = tmp_path / "public"
    export = json.loads((out / "export.json").read_text("utf-8"))
    noted = next(s for s in export["stories"] if s["id"] == stories[1])
    assert noted["editor_note"] == "Still developing."     # the rest of the file applied
    assert not any(s.get("pinned") for s in export["stories"])
    # the run report names the line: stored, on the editors' pages, and in the log
    conn = sqlite3.connect(db)
    report = json.loads(conn.execute("SELECT report FROM runs ORDER BY id DESC LIMIT 1")
                        .fetchone()[0])
    conn.close()
    assert report["curation"]["skipped"][0].startswith(f"{curation}:3: unknown story id")
    assert f"{curation}:3: unknown story id" in (out / "_editors/report.html").read_text()
    assert f"{curation}:3: unknown story id" in (out / "_editors/review.html").read_text()
    review = json.loads(aiwire("review", "--db", str(db), "--json").stdout)
    assert review["skipped"][0].startswith(f"{curation}:3: unknown story id {typo!r}")
    events = [json.loads(line) for line in (tmp_path / "aiwire.log.jsonl").read_text()
              .splitlines()]
    names = [e["event"] for e in events]
    # found before anything was collected
    assert names.index("curation_skipped") < names.index("stage")
    skipped = events[names.index("curation_skipped")]
    assert skipped["line"] == 3 and skipped["suggestion"] == stories[0]
