"""Rendered pieces of story pages kept between builds: a grown story renders only what is new.

A story of thousands of reports has a page of megabytes, and one new report changes a
few of its pieces: a timeline entry, some rows of the figure table, a speaker's quotes, a
disagreement. Each piece is a macro of ``_story_parts.html`` whose output is a function
of its arguments alone, so it is kept under a hash of the site's code and of those
arguments, and the page is assembled from kept pieces plus the few it renders. Same
arguments, same code: same bytes, so the page is the one a full render makes.

The pieces live in the site's build cache file (:func:`aiwire.site.parts.cache_path`,
never published), grouped by story: after a story's page is made, the pieces it did not use
are dropped, so the cache holds what the current pages are made of. A missing, locked or
damaged file only costs rendering.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from aiwire.site.pages import Page, fragment_macro, render

def _key(code: str, name: str, args: tuple) -> str:
    text = json.dumps([code, name, args], ensure_ascii=False, separators=(",", ":"),
                      default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class Fragments:
    """The kept pieces of one site's story pages (a table of its build cache file)."""

    def __init__(self, path: Path, code: str, live: set[str] | None = None) -> None:
        self.path = Path(path)
        self.code = code                     # the site's code fingerprint: part of each key
        self.live = live                     # the site's stories: others' pieces are dropped
        self._broken = False

    def _open(self) -> sqlite3.Connection | None:
        if self._broken:
            return None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=5)
            conn.execute("CREATE TABLE IF NOT EXISTS fragments (story TEXT NOT NULL, "
                         "key TEXT NOT NULL, html TEXT NOT NULL, "
                         "PRIMARY KEY (story, key)) WITHOUT ROWID")
            if self.live is not None:        # once per build: stories gone since
                gone = [(r[0],) for r in conn.execute("SELECT DISTINCT story FROM fragments")
                        if r[0] not in self.live]
                conn.executemany("DELETE FROM fragments WHERE story = ?", gone)
                self.live = None
            return conn
        except (sqlite3.Error, OSError):
            self._broken = True              # not a cache we can use: render everything
            return None

    def render(self, env: Environment, page: Page, story_id: str) -> str:
        """``page`` (a story's page), its pieces taken from the cache where kept."""
        conn = self._open()
        try:
            kept = _kept(conn, story_id) if conn is not None else {}
            used: dict[str, str] = {}

            def fragment(name: str, *args: Any) -> Markup:
                key = _key(self.code, name, args)
                html = used.get(key)
                if html is None:
                    html = kept.get(key)
                if html is None:
                    html = str(fragment_macro(env, name)(*args))
                used[key] = html
                return Markup(html)

            text = render(env, page, fragment=fragment)
            if conn is not None and kept.keys() != used.keys():
                _keep(conn, story_id, kept, used)
            return text
        finally:
            if conn is not None:
                conn.close()


def _kept(conn: sqlite3.Connection, story_id: str) -> dict[str, str]:
    try:
        return dict(conn.execute("SELECT key, html FROM fragments WHERE story = ?",
                                 (story_id,)).fetchall())
    except sqlite3.Error:
        return {}


def _keep(conn: sqlite3.Connection, story_id: str, kept: dict[str, str],
          used: dict[str, str]) -> None:
    """The story's pieces become the ones its page used: only the difference is written."""
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("DELETE FROM fragments WHERE story = ? AND key = ?",
                         [(story_id, k) for k in kept.keys() - used.keys()])
        conn.executemany("INSERT OR REPLACE INTO fragments (story, key, html) VALUES (?, ?, ?)",
                         [(story_id, k, used[k]) for k in used.keys() - kept.keys()])
        conn.execute("COMMIT")
    except sqlite3.Error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
