"""Helpers for the weekly-run tests: the real CLI in a subprocess, and exact comparisons
of databases and built sites."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from aiwire.sampleweb import sample_feeds_yaml

EDITORS = "_editors/"


def workdir(tmp: Path, base_url: str) -> Path:
    """A folder with a feeds.yaml for the sample web at ``base_url``."""
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "feeds.yaml").write_text(sample_feeds_yaml(base_url), encoding="utf-8")
    return tmp


def run_args(folder: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "aiwire", "run", "--feeds", str(folder / "feeds.yaml"),
            "--db", str(folder / "aiwire.db"), "--out", str(folder / "public"), *extra]


def env() -> dict[str, str]:
    # no colour, a wide terminal: messages stay on one line for assertions
    return dict(os.environ, NO_COLOR="1", COLUMNS="200", TERM="dumb")


def aiwire(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aiwire", *args], capture_output=True,
                          text=True, timeout=timeout, env=env())


def run(folder: Path, *extra: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(run_args(folder, *extra), capture_output=True, text=True,
                          timeout=timeout, env=env())


def site_files(out: Path) -> dict[str, bytes]:
    """Every reader-facing file of a site by path (the editors' run report is left out:
    it records this run, so it differs by design), with the manifest minus its entry and
    minus its build state."""
    files = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if path.is_file() and not rel.startswith(EDITORS) and rel != ".manifest.json":
            files[rel] = path.read_bytes()
    manifest = json.loads((out / ".manifest.json").read_text("utf-8"))
    manifest["files"] = {k: v for k, v in manifest["files"].items()
                         if not k.startswith(EDITORS)}
    # The build state (store change number, newest run) is bookkeeping of how the site
    # was reached, not what it holds: an interrupted history counts changes differently.
    manifest.pop("state", None)
    files[".manifest.json"] = json.dumps(manifest, sort_keys=True).encode()
    return files


# Columns that record the last attempt rather than content: they change on every run
# (a feed's last status goes from "ok" to "unchanged" when the server answers 304).
CLOCK_COLUMNS = {"feeds": {"last_attempt", "last_success", "last_status", "last_error"},
                 "articles": {"fetched_at"}}
# stories.score (read by nothing: not exported, not shown) counts the flags that were in
# the table when the story was last refreshed, before flags are recomputed, so it
# depends on history; runs that take different paths to one state can disagree on it.
HISTORY_COLUMNS = {"stories": {"score"}}
# Change logs and their read marks (story_changes, watermarks) number the changes a
# database went through; two paths to one state number them differently by design.
HISTORY_TABLES = {"story_changes", "watermarks"}


def db_content(path: Path, *, by_url: bool = False) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, except the run log (``runs``) and clock columns.

    ``by_url`` compares two databases built along different paths: articles are named
    by URL instead of row id (ids depend on the order pages arrived in; URLs do not) and
    history-dependent columns are left out.
    """
    conn = sqlite3.connect(path)
    try:
        url_of = dict(conn.execute("SELECT id, url FROM articles"))
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'runs' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        content = {}
        for table in tables:
            if by_url and table in HISTORY_TABLES:
                continue
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            skip = CLOCK_COLUMNS.get(table, set())
            if by_url:
                skip = skip | HISTORY_COLUMNS.get(table, set())
            keep = [c for c in columns if c not in skip]
            rows = conn.execute(f"SELECT {', '.join(keep)} FROM {table}").fetchall()
            if by_url:
                refs = [i for i, c in enumerate(keep) if c in ("article_id", "duplicate_of")
                        or (table == "articles" and c == "id")]
                rows = [tuple(url_of.get(v, v) if i in refs else v for i, v in enumerate(r))
                        for r in rows]
            content[table] = sorted(rows, key=repr)
        return content
    finally:
        conn.close()
