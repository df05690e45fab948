"""Exit codes of `aiwire run` as DESIGN.md says, each with a message that names the file
and the fix and never a traceback:

0 ok; 1 some feeds failed (the site is still built, the report names the feed); 2 bad
input (an empty or feed-less feeds.yaml included), nothing written; 3 a storage or
output fault (corrupt or truncated database, unwritable output, disk full), nothing
published; 4 every feed failed, or nothing new for ``stale_after_weeks``.

How the faults are made, without root (CI runs as root, and root ignores chmod):
* read-only output: ``--out`` under a path whose parent is a regular file, which no
  user, root included, can create a folder in (ENOTDIR);
* disk full: a real ENOSPC from the kernel by pointing the run log at ``/dev/full``;
  a simulated ENOSPC raised by the site writer mid-build; SQLite's own "database or
  disk is full" (SQLITE_FULL) by capping the database with ``PRAGMA max_page_count``;
* corrupt and truncated databases: garbage bytes, and a real database cut in half.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from aiwire.cli import main
from aiwire.store import Store
from feedkit import ITEM_PATH, feeds_yaml, quiet_feed
from weeklykit import run


@pytest.fixture
def feed_url():
    with quiet_feed() as base:
        yield f"{base}/feed.xml"


def _no_traceback(result) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


def _previous_site(folder: Path) -> Path:
    """A site from an earlier run, to show that a failed run leaves it alone."""
    out = folder / "public"
    out.mkdir(parents=True)
    (out / "index.html").write_text("last week's site", encoding="utf-8")
    return out


# --- 0 and 1 -------------------------------------------------------------------------------

def test_a_good_run_exits_0(tmp_path, feed_url):
    feeds_yaml(tmp_path, feed_url)
    result = run(tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "public" / "index.html").exists()


def test_failed_feed_exits_1_and_still_publishes(tmp_path, feed_url):
    base = feed_url.rsplit("/", 1)[0]
    (tmp_path / "feeds.yaml").write_text(
        "settings:\n  allow_private_networks: true\nfeeds:\n"
        f"  - id: gone\n    name: Gone\n    url: {base}/no-such-feed.xml\n"
        f"  - id: quiet\n    name: Quiet\n    url: {feed_url}\n    full_text: false\n",
        encoding="utf-8")
    result = run(tmp_path)
    assert result.returncode == 1, result.stderr
    assert "1 feed(s) failed: gone" in result.stderr
    assert (tmp_path / "public" / "index.html").exists()
    page = (tmp_path / "public" / "_editors" / "report.html").read_text("utf-8")
    assert "1 feed failed: gone" in page
    conn = sqlite3.connect(tmp_path / "aiwire.db")
    status, report = conn.execute("SELECT status, report FROM runs").fetchone()
    conn.close()
    assert status == "failed_feeds"
    feeds = {f["id"]: f["status"] for f in json.loads(report)["feeds"]}
    assert feeds == {"gone": "failed", "quiet": "ok"}


# --- 2: bad input -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, line", [
    ("", None),                                        # an empty file
    ("# nothing yet\n", None),                         # comments only
    ("settings:\n  max_articles_per_feed: 10\n", None),  # settings, no feeds key
    ("settings:\n  concurrency: 2\nfeeds: []\n", 3),    # an empty list
    ("# editors' feeds\nfeeds:\n", 2),                 # a bare key
])
def test_an_empty_or_feed_less_feeds_file_exits_2_and_writes_nothing(tmp_path, text, line):
    (tmp_path / "feeds.yaml").write_text(text, encoding="utf-8")
    result = run(tmp_path)
    assert result.returncode == 2, result.stderr
    where = f"feeds.yaml:{line}:" if line else "feeds.yaml:"
    assert where in result.stderr
    assert "no feeds" in result.stderr or "no 'feeds:' list" in result.stderr
    assert "fix: add at least one feed under 'feeds:'" in result.stderr
    _no_traceback(result)
    assert not (tmp_path / "aiwire.db").exists() and not (tmp_path / "public").exists()


# --- 3: storage and output faults -----------------------------------------------------------

def _assert_fault(result, folder: Path, *words: str) -> None:
    assert result.returncode == 3, (result.returncode, result.stderr)
    _no_traceback(result)
    assert "nothing was published" in result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    assert (folder / "public" / "index.html").read_text("utf-8") == "last week's site"


def test_a_corrupt_database_exits_3_with_how_to_recover(tmp_path, feed_url):
    feeds_yaml(tmp_path, feed_url)
    _previous_site(tmp_path)
    (tmp_path / "aiwire.db").write_bytes(b"this is not an SQLite database\n" * 200)
    result = run(tmp_path)
    _assert_fault(result, tmp_path, "aiwire.db: the database is damaged", ".recover",
                  "sqlite3 fixed.db", "backup")


def _truncated_database(path: Path) -> None:
    """A real database of a few hundred KB, cut in half as a torn copy would be."""
    store = Store(path)
    with store.transaction():
        for n in range(1500):
            store.conn.execute("INSERT INTO feeds (id, name, url) VALUES (?, ?, ?)",
                               (f"feed-{n}", "An outlet " * 20, f"https://example.org/{n}"))
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    size = path.stat().st_size
    assert size > 100_000
    with open(path, "r+b") as handle:
        handle.truncate(size // 2)


def test_a_truncated_database_exits_3_with_how_to_recover(tmp_path, feed_url):
    feeds_yaml(tmp_path, feed_url)
    _previous_site(tmp_path)
    _truncated_database(tmp_path / "aiwire.db")
    result = run(tmp_path)
    _assert_fault(result, tmp_path, "aiwire.db: the database is damaged", ".recover")


def test_the_recover_advice_works_on_a_truncated_database(tmp_path):
    """The command the message gives really yields a usable database."""
    import shutil
    import subprocess
    if shutil.which("sqlite3") is None:
        pytest.skip("the sqlite3 command-line shell is not installed")
    probe = tmp_path / "probe.db"
    sqlite3.connect(probe).executescript("CREATE TABLE t (a); INSERT INTO t VALUES (1);")
    dumped = subprocess.run(["sqlite3", str(probe), ".recover"], capture_output=True,
                            text=True).stdout
    if "CREATE TABLE" not in dumped:      # Debian's 3.40.1 shell lacks sqlite_dbpage
        pytest.skip("this sqlite3 shell cannot .recover (built without sqlite_dbpage)")
    damaged = tmp_path / "aiwire.db"
    _truncated_database(damaged)
    fixed = tmp_path / "fixed.db"
    subprocess.run(f'sqlite3 "{damaged}" ".recover" | sqlite3 "{fixed}"', shell=True,
                   check=True, capture_output=True)
    store = Store(fixed)
    store.check_integrity()
    assert store.scalar("SELECT count(*) FROM feeds") > 100
    store.close()


def test_an_unwritable_output_folder_exits_3_naming_it(tmp_path, feed_url):
    feeds_yaml(tmp_path, feed_url)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a regular file where the output's parent should be")
    out = blocker / "public"
    result = run(tmp_path, "--out", str(out))
    assert result.returncode == 3, result.stderr
    _no_traceback(result)
    assert f"{blocker}" in result.stderr and "cannot write here" in result.stderr
    assert "nothing was published" in result.stderr and "--out" in result.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_a_full_disk_under_the_run_log_exits_3(tmp_path, feed_url):
    """A real ENOSPC from the kernel: /dev/full refuses every write."""
    feeds_yaml(tmp_path, feed_url)
    _previous_site(tmp_path)
    result = run(tmp_path, "--log", "/dev/full")
    _assert_fault(result, tmp_path, "/dev/full: no space left to write", "free space")


def _cli(folder: Path, *extra: str):
    runner = CliRunner()
    return runner.invoke(main, ["run", "--feeds", str(folder / "feeds.yaml"), "--db",
                                str(folder / "aiwire.db"), "--out", str(folder / "public"),
                                *extra])


def test_a_full_disk_while_writing_the_site_exits_3_and_keeps_the_old_site(
        tmp_path, feed_url, monkeypatch):
    feeds_yaml(tmp_path, feed_url)
    first = _cli(tmp_path)
    assert first.exit_code == 0, first.output
    before = {p.relative_to(tmp_path).as_posix(): p.read_bytes()
              for p in (tmp_path / "public").rglob("*") if p.is_file()}

    real = Path.write_bytes

    def full(self, data):       # every site file, in a staging copy or in place
        if str(self).startswith(str(tmp_path / ".public-build-")) or \
                str(self).startswith(str(tmp_path / "public")):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real(self, data)
    monkeypatch.setattr(Path, "write_bytes", full)
    second = _cli(tmp_path)
    assert second.exit_code == 3, second.output
    assert "no space left to write" in second.output and "Traceback" not in second.output
    after = {p.relative_to(tmp_path).as_posix(): p.read_bytes()
             for p in (tmp_path / "public").rglob("*") if p.is_file()}
    assert after == before                              # nothing published
    assert not list(tmp_path.glob(".public-build-*"))   # no staging left behind
    assert not list((tmp_path / "public").rglob("*.tmp"))


def test_a_full_database_disk_exits_3_not_as_a_failed_feed(tmp_path, feed_url, monkeypatch):
    """SQLite's own SQLITE_FULL ("database or disk is full"), from a page cap: the
    collect stage must stop the run, not record the feed as failed (exit 1)."""
    feeds_yaml(tmp_path, feed_url.replace("/feed.xml", "/big-feed.xml"))
    _previous_site(tmp_path)
    real = Store.migrate

    def capped(self):
        real(self)
        pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
        self.conn.execute(f"PRAGMA max_page_count = {pages}")
    monkeypatch.setattr(Store, "migrate", capped)
    result = _cli(tmp_path)
    assert result.exit_code == 3, result.output
    assert "disk is full" in result.output and "Traceback" not in result.output
    assert "aiwire.db" in result.output
    assert (tmp_path / "public" / "index.html").read_text("utf-8") == "last week's site"


def test_storage_faults_in_other_commands_exit_3_too(tmp_path):
    (tmp_path / "aiwire.db").write_bytes(b"garbage " * 100)
    runner = CliRunner()
    result = runner.invoke(main, ["build", "--db", str(tmp_path / "aiwire.db"), "--out",
                                  str(tmp_path / "public")])
    assert result.exit_code == 3, result.output
    assert "the database is damaged" in result.output and ".recover" in result.output


# --- 4: every feed failed, or a stale site --------------------------------------------------

def test_every_feed_failed_exits_4_and_still_builds(tmp_path, feed_url):
    base = feed_url.rsplit("/", 1)[0]
    feeds_yaml(tmp_path, f"{base}/gone-1.xml", f"{base}/gone-2.xml")
    result = run(tmp_path)
    assert result.returncode == 4, result.stderr
    _no_traceback(result)
    assert "every feed failed (2 of 2)" in result.stderr
    assert (tmp_path / "public" / "index.html").exists()
    conn = sqlite3.connect(tmp_path / "aiwire.db")
    status, report = conn.execute("SELECT status, report FROM runs").fetchone()
    conn.close()
    assert status == "all_feeds_failed"
    assert json.loads(report)["exit_code"] == 4
    assert "every feed failed" in json.loads(report)["alert"]


def _old_store(folder: Path, feed_url: str, when: str) -> None:
    """A store whose first run and newest article are from ``when``; the article is the
    quiet feed's only item, so a run now finds nothing new."""
    store = Store(folder / "aiwire.db")
    base = feed_url.rsplit("/", 1)[0]
    with store.transaction():
        store.conn.execute("INSERT INTO runs (started, finished, status) VALUES (?, ?, 'ok')",
                           (when, when))
        store.insert_article({"url": f"{base}{ITEM_PATH}", "original_url": f"{base}{ITEM_PATH}",
                              "feed_id": "feed-0", "title": "Warehouse", "fetched_at": when,
                              "published": when, "content_hash": "x", "relevant": 0,
                              "clean_text": "Warehouse to close."})
    store.close()


def test_nothing_new_for_longer_than_the_setting_exits_4(tmp_path, feed_url):
    feeds_yaml(tmp_path, feed_url, settings="stale_after_weeks: 3")
    _old_store(tmp_path, feed_url, "2026-01-05T06:17:00Z")
    result = run(tmp_path)
    assert result.returncode == 4, result.stderr
    assert "nothing new since 2026-01-05T06:17:00Z" in result.stderr
    assert "stale_after_weeks" in result.stderr
    assert (tmp_path / "public" / "index.html").exists()
    conn = sqlite3.connect(tmp_path / "aiwire.db")
    assert conn.execute("SELECT status FROM runs ORDER BY id DESC").fetchone() == ("stale",)
    conn.close()


def test_a_recent_article_or_a_new_store_is_not_stale(tmp_path, feed_url):
    from aiwire.store import utcnow
    recent = tmp_path / "recent"
    feeds_yaml(recent, feed_url, settings="stale_after_weeks: 3")
    _old_store(recent, feed_url, utcnow())
    assert run(recent).returncode == 0
    fresh = tmp_path / "fresh"                 # a first run: no history to be stale
    feeds_yaml(fresh, feed_url, settings="stale_after_weeks: 1")
    first = run(fresh)
    assert first.returncode == 0, first.stderr
    second = run(fresh)                        # nothing new, but only minutes old
    assert second.returncode == 0, second.stderr


def test_collect_alone_refuses_an_empty_feeds_file_too(tmp_path):
    (tmp_path / "feeds.yaml").write_text("feeds: []\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["collect", "--feeds", str(tmp_path / "feeds.yaml"),
                                       "--db", str(tmp_path / "aiwire.db")])
    assert result.exit_code == 2, result.output
    assert "feeds.yaml:1: lists no feeds" in result.output
