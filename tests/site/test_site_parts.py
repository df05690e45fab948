"""A build after a small change does the work of the change: only changed stories are
exported and viewed again (their parts are kept beside the site), only changed files are
written (in place, each atomically), and the result is byte for byte what a build from
scratch of the same store writes."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from aiwire.export import export_document
from aiwire.site import render
from aiwire.site.parts import cache_path, compact
from aiwire.site.render import MANIFEST, build, site_corpus
from aiwire.store import Store


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file()}


def _scratch(store: Store, where: Path) -> dict[str, bytes]:
    """What a build with no previous site and no kept parts writes."""
    out = where / "scratch" / "public"
    assert not cache_path(out).exists()
    build(store, out)
    return _files(out)


def _stories(store: Store) -> list[str]:
    return [r["id"] for r in store.rows("SELECT id FROM stories ORDER BY first_seen, id")]


def test_an_incremental_build_writes_what_a_build_from_scratch_writes(analysed_store,
                                                                      tmp_path):
    store, out = analysed_store, tmp_path / "site" / "public"
    ids = _stories(store)
    assert len(ids) >= 4
    first = build(store, out)
    assert first.rendered and cache_path(out).is_file()
    # three kinds of change: a story retitled, an article's headline, a story hidden
    retitled, hidden = ids[0], ids[-1]
    article = store.scalar("SELECT article_id FROM story_articles WHERE story_id = ? "
                           "ORDER BY article_id LIMIT 1", (ids[1],))
    with store.transaction():
        store.conn.execute("UPDATE stories SET title = 'Retitled by a test' WHERE id = ?",
                           (retitled,))
        store.conn.execute("UPDATE articles SET title = 'A corrected headline' WHERE id = ?",
                           (article,))
        store.conn.execute("INSERT INTO story_curation (story_id, hidden) VALUES (?, 1)",
                           (hidden,))
    untouched = [p for p in _files(out) if p.startswith("static/")][0]
    inode = (out / untouched).stat().st_ino
    report = build(store, out)
    assert report.rendered and report.removed       # the hidden story's page went away
    assert any(p.startswith(f"stories/{hidden}") for p in report.removed)
    # written in place: an untouched file is the very same file, not a re-linked copy
    assert (out / untouched).stat().st_ino == inode
    assert not list(out.parent.glob(f".{out.name}-build-*"))
    incremental = _files(out)
    assert incremental == _scratch(store, tmp_path)
    assert b"Retitled by a test" in incremental["export.json"]
    assert not any(p.startswith(f"stories/{hidden}/") for p in incremental)
    # the kept JSON of each story joins into the same bytes as encoding the document
    document = export_document(store, generated_at=json.loads(
        incremental["export.json"])["generated_at"])
    assert incremental["export.json"].decode("utf-8") == compact(document) + "\n"


def test_only_the_changed_story_is_worked_out_again(analysed_store, tmp_path):
    store, out = analysed_store, tmp_path / "public"
    ids = _stories(store)
    build(store, out)
    again = site_corpus(store, out)
    assert not again.fresh and again.made == []          # nothing changed: all kept
    with store.transaction():
        store.conn.execute("UPDATE stories SET title = title || ' (updated)' WHERE id = ?",
                           (ids[1],))
    corpus = site_corpus(store, out)
    assert not corpus.fresh and corpus.made == [ids[1]]
    assert [s["id"] for s in corpus.document["stories"]] == ids


def test_a_story_changed_twice_in_a_row_is_rebuilt_both_times(analysed_store, tmp_path):
    # the change log once gave a story that held the newest change number that same
    # number again, so its second change looked like no change at all
    store, out = analysed_store, tmp_path / "public"
    story = _stories(store)[0]
    build(store, out)
    for title in ("First correction", "Second correction"):
        mark = store.change_seq()
        with store.transaction():
            store.conn.execute("UPDATE stories SET title = ? WHERE id = ?", (title, story))
        assert store.change_seq() > mark and store.changed_stories(mark) == {story}
        build(store, out)
        shown = json.loads((out / "export.json").read_text("utf-8"))
        assert [s["title"] for s in shown["stories"] if s["id"] == story] == [title]


def test_parts_of_another_database_state_are_never_used(analysed_store, tmp_path):
    """A database restored from a backup taken before the last build must not get the
    parts of the newer state, even though its change numbers look plausible."""
    store, out = analysed_store, tmp_path / "site" / "public"
    story = _stories(store)[0]
    build(store, out)
    backup = tmp_path / "backup.db"
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(store.path, backup)
    with store.transaction():
        store.conn.execute("UPDATE stories SET title = 'Only in the newer state' WHERE id = ?",
                           (story,))
    build(store, out)
    restored = Store(backup)
    try:
        with restored.transaction():   # a different change with the same change number
            restored.conn.execute("UPDATE stories SET title = 'The restored state' "
                                  "WHERE id = ?", (_stories(restored)[1],))
        assert restored.change_seq() == store.change_seq()
        assert build(restored, out).rendered         # not taken for the site it has
        assert _files(out) == _scratch(restored, tmp_path)
        assert b"Only in the newer state" not in (out / "export.json").read_bytes()
    finally:
        restored.close()


def test_a_code_change_starts_the_parts_afresh(analysed_store, tmp_path, monkeypatch):
    store, out = analysed_store, tmp_path / "public"
    build(store, out)
    monkeypatch.setattr("aiwire.site.parts.FORMAT", "aiwire.site-parts/test")
    corpus = site_corpus(store, out)
    assert corpus.fresh and sorted(corpus.made) == sorted(_stories(store))


def test_a_build_killed_while_replacing_files_leaves_an_honest_manifest(analysed_store,
                                                                         tmp_path,
                                                                         monkeypatch):
    store, out = analysed_store, tmp_path / "site" / "public"
    ids = _stories(store)
    build(store, out)
    article = store.scalar("SELECT article_id FROM story_articles WHERE story_id = ? "
                           "ORDER BY article_id LIMIT 1", (ids[0],))
    with store.transaction():   # a small change: published in place
        store.conn.execute("UPDATE articles SET title = 'A corrected headline' WHERE id = ?",
                           (article,))
    real_replace, calls = os.replace, []

    def dies_on_the_third_file(src, dst):
        calls.append(dst)
        if len(calls) == 3:          # the pending manifest, one file, then the kill
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(render.os, "replace", dies_on_the_third_file)
    with pytest.raises(KeyboardInterrupt):
        build(store, out)
    monkeypatch.setattr(render.os, "replace", real_replace)
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    assert manifest["state"] is None                    # the next build cannot skip
    pending = [p for p, e in manifest["files"].items() if e["key"] is None]
    assert pending
    for path, entry in manifest["files"].items():       # every claim made is true
        if entry["key"] is not None:
            data = (out / path).read_bytes()
            assert (len(data), hashlib.sha256(data).hexdigest()) == (
                entry["size"], entry["sha256"]), path
    build(store, out)
    assert _files(out) == _scratch(store, tmp_path)


def test_a_deleted_or_damaged_cache_only_costs_a_full_build(analysed_store, tmp_path):
    store, out = analysed_store, tmp_path / "site" / "public"
    build(store, out)
    shutil.rmtree(cache_path(out).parent)
    again = build(store, out)      # not skipped (the content is unproven), nothing new
    assert cache_path(out).is_file() and again.rendered == []
    cache_path(out).write_bytes(b"not a database at all")
    with store.transaction():
        store.conn.execute("UPDATE stories SET title = 'After the damage' WHERE id = ?",
                           (_stories(store)[0],))
    assert site_corpus(store, out).fresh
    build(store, out)
    assert _files(out) == _scratch(store, tmp_path)


def test_up_to_half_the_files_changed_are_written_in_place(tmp_path):
    """A build that changes some files writes just those into the live folder (its cost is
    what changed); only when more than half change is the whole site staged and swapped."""
    from aiwire.site.render import Output, publish

    out = tmp_path / "public"

    def outputs(changed: int, edition: str) -> list[Output]:
        def text(i: int) -> str:
            return f"page {i} {edition if i < changed else 'first'}"
        return [Output(f"p/{i}.html", text(i), lambda i=i: text(i)) for i in range(10)]

    publish(outputs(0, "first"), out)
    folder = out.stat().st_ino
    report = publish(outputs(5, "second"), out)
    assert sorted(report.rendered) == [f"p/{i}.html" for i in range(5)]
    assert out.stat().st_ino == folder                     # the same folder: in place
    assert (out / "p/4.html").read_text() == "page 4 second"
    report = publish(outputs(10, "third"), out)             # all ten change: swapped
    assert len(report.rendered) == 10 and out.stat().st_ino != folder
    assert not list(tmp_path.glob(".public-*"))
