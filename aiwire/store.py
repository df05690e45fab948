"""The one SQLite file every stage reads from and writes to.

Schema changes are forward migrations keyed by ``PRAGMA user_version``: a database
written by an older aiwire is upgraded in place, never rebuilt.
"""

from __future__ import annotations

import json
import zlib
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import sqlite_utils

from aiwire.timeutil import format_utc

SCHEMA_VERSION = 3

MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE feeds (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        url TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        content_hash TEXT,
        last_status TEXT,
        last_attempt TEXT,
        last_success TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
    );
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,          -- canonical URL
        original_url TEXT NOT NULL,
        feed_id TEXT,
        source TEXT,                       -- outlet name
        title TEXT,
        author TEXT,
        published TEXT,                    -- ISO-8601 UTC
        fetched_at TEXT NOT NULL,
        site_name TEXT,
        language TEXT,
        summary TEXT,
        raw_html BLOB,                     -- zlib-compressed page, for re-extraction
        text TEXT,                         -- extracted main text, as found
        clean_text TEXT,                   -- repaired text given to NLP
        content_hash TEXT NOT NULL,
        simhash INTEGER,                   -- near-duplicate fingerprint of clean_text
        relevant INTEGER NOT NULL DEFAULT 1,
        duplicate_of INTEGER REFERENCES articles(id),
        analyzed_hash TEXT                 -- content_hash + analyser version when analysed
    );
    CREATE INDEX articles_feed ON articles(feed_id);
    CREATE INDEX articles_hash ON articles(content_hash);
    CREATE TABLE entities (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        type TEXT NOT NULL
    );
    CREATE TABLE mentions (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        entity_id TEXT NOT NULL REFERENCES entities(id),
        text TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL
    );
    CREATE INDEX mentions_article ON mentions(article_id);
    CREATE INDEX mentions_entity ON mentions(entity_id);
    CREATE TABLE figures (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        kind TEXT NOT NULL,
        value REAL NOT NULL,
        unit TEXT,
        subject TEXT,
        qualifier TEXT,
        text TEXT NOT NULL,                -- the figure as written
        quote TEXT NOT NULL,               -- its sentence
        start INTEGER NOT NULL
    );
    CREATE INDEX figures_article ON figures(article_id);
    CREATE TABLE claims (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        speaker TEXT,
        stance TEXT NOT NULL,
        verb TEXT,
        target TEXT,                       -- who the statement is about, when known
        slot TEXT,                         -- e.g. what_taken, venue
        slot_value TEXT,
        hedged INTEGER NOT NULL DEFAULT 0,
        quote TEXT NOT NULL,
        start INTEGER NOT NULL
    );
    CREATE INDEX claims_article ON claims(article_id);
    CREATE TABLE assertions (              -- slot statements: what was taken, where filed
        article_id INTEGER NOT NULL REFERENCES articles(id),
        slot TEXT NOT NULL,
        value TEXT NOT NULL,
        subject TEXT,
        quote TEXT NOT NULL,
        start INTEGER NOT NULL
    );
    CREATE TABLE article_techniques (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        technique_id TEXT NOT NULL,
        evidence TEXT NOT NULL
    );
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        summary TEXT NOT NULL DEFAULT '[]', -- JSON list of {sentence, url, source}
        first_seen TEXT,
        last_seen TEXT,
        first_outlet TEXT,
        score REAL NOT NULL DEFAULT 0
    );
    CREATE TABLE story_articles (
        story_id TEXT NOT NULL REFERENCES stories(id),
        article_id INTEGER NOT NULL UNIQUE REFERENCES articles(id)
    );
    CREATE TABLE story_redirects (
        old_id TEXT PRIMARY KEY,
        new_id TEXT NOT NULL
    );
    CREATE TABLE contradictions (
        id TEXT PRIMARY KEY,               -- stable hash of story, kind, topic, subject
        story_id TEXT NOT NULL REFERENCES stories(id),
        kind TEXT NOT NULL,
        topic TEXT NOT NULL,
        subject TEXT,
        severity TEXT NOT NULL,
        sides TEXT NOT NULL                -- JSON list of {value, quote, url, source}
    );
    CREATE TABLE story_techniques (
        story_id TEXT NOT NULL REFERENCES stories(id),
        technique_id TEXT NOT NULL,
        name TEXT NOT NULL,
        evidence TEXT NOT NULL,
        url TEXT NOT NULL
    );
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started TEXT NOT NULL,
        finished TEXT,
        report TEXT
    );
    """,
    # 2: the editors' desk. curation.yaml is stored as intent (what editors asked for),
    # kept apart from the analysis tables so re-analysis never erases it; builds re-apply
    # it idempotently. Merges themselves are tombstones in story_redirects.
    2: """
    CREATE TABLE story_curation (          -- pin, hide, retitle, note (by story id)
        story_id TEXT PRIMARY KEY,
        pinned INTEGER NOT NULL DEFAULT 0,
        hidden INTEGER NOT NULL DEFAULT 0,
        title TEXT,
        note TEXT
    );
    CREATE TABLE curation_merges (         -- absorb -> into, re-asserted on every build
        absorb TEXT PRIMARY KEY,
        into_id TEXT NOT NULL
    );
    CREATE TABLE article_pins (            -- split: this article stays in this story
        article_id INTEGER PRIMARY KEY REFERENCES articles(id),
        story_id TEXT NOT NULL,
        from_story TEXT
    );
    CREATE TABLE contradiction_dismissals (
        contradiction_id TEXT PRIMARY KEY,
        reason TEXT NOT NULL
    );
    ALTER TABLE runs ADD COLUMN status TEXT;   -- running | ok | failed_feeds | error
    """,
    # 3: the editors' desk, part two: entity and technique corrections (curation.yaml
    # `entities:` and `techniques:`), and the title a merge target keeps.
    3: """
    CREATE TABLE entity_curation (         -- reject | retype | alias, by entity id
        entity_id TEXT PRIMARY KEY,
        action TEXT NOT NULL,
        value TEXT                         -- the new type, or the id it is an alias of
    );
    CREATE TABLE technique_curation (      -- add | remove an ATLAS technique on a story
        story_id TEXT NOT NULL,
        technique_id TEXT NOT NULL,
        action TEXT NOT NULL,
        PRIMARY KEY (story_id, technique_id)
    );
    CREATE TABLE merge_titles (            -- a story editors merged others into keeps this
        story_id TEXT PRIMARY KEY,
        title TEXT NOT NULL
    );
    """,
}


def utcnow() -> str:
    return format_utc(datetime.now(timezone.utc))


def compress(html: str | bytes | None) -> bytes | None:
    if html is None:
        return None
    data = html.encode("utf-8") if isinstance(html, str) else html
    return zlib.compress(data, 6)


def decompress(blob: bytes | None) -> str | None:
    return None if blob is None else zlib.decompress(blob).decode("utf-8", "replace")


class Store:
    """A thin layer over sqlite-utils: schema, migrations and the queries stages share."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.db = sqlite_utils.Database(self.path)
        self.conn = self.db.conn
        self.conn.isolation_level = None  # we open every transaction ourselves
        self.conn.execute("PRAGMA busy_timeout = 10000")
        if str(path) != ":memory:":
            self.db.enable_wal()
            # Under WAL, NORMAL never corrupts: a power cut may lose the last commits, a
            # killed process loses nothing committed. It saves an fsync per article.
            self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.migrate()

    # --- schema -------------------------------------------------------------
    @property
    def version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        current = self.version
        if current > SCHEMA_VERSION:
            from aiwire.errors import InputError

            raise InputError(f"database schema {current} is newer than this aiwire "
                             f"({SCHEMA_VERSION})", path=str(self.path),
                             fix="upgrade aiwire or use another --db")
        for version in range(current + 1, SCHEMA_VERSION + 1):
            # executescript runs the whole step, version bump included, in one transaction
            self.conn.executescript(f"BEGIN IMMEDIATE;{MIGRATIONS[version]}"
                                    f"PRAGMA user_version = {version};COMMIT;")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit of work: all of it lands, or none of it."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    # --- generic helpers ------------------------------------------------------
    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    # --- feeds ----------------------------------------------------------------
    def upsert_feed(self, feed_id: str, name: str, url: str) -> None:
        self.conn.execute(
            "INSERT INTO feeds (id, name, url) VALUES (?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET name = excluded.name, url = excluded.url "
            "WHERE name != excluded.name OR url != excluded.url",
            (feed_id, name, url))

    def feed(self, feed_id: str) -> dict[str, Any] | None:
        found = self.rows("SELECT * FROM feeds WHERE id = ?", (feed_id,))
        return found[0] if found else None

    def record_feed_result(self, feed_id: str, *, ok: bool, status: str,
                           error: str | None = None, etag: str | None = None,
                           last_modified: str | None = None,
                           content_hash: str | None = None) -> None:
        now = utcnow()
        if ok:
            self.conn.execute(
                "UPDATE feeds SET last_status = ?, last_attempt = ?, last_success = ?, "
                "consecutive_failures = 0, last_error = ?, etag = COALESCE(?, etag), "
                "last_modified = COALESCE(?, last_modified), "
                "content_hash = COALESCE(?, content_hash) WHERE id = ?",
                (status, now, now, error, etag, last_modified, content_hash, feed_id))
        else:
            self.conn.execute(
                "UPDATE feeds SET last_status = ?, last_attempt = ?, "
                "consecutive_failures = consecutive_failures + 1, last_error = ? WHERE id = ?",
                (status, now, error, feed_id))

    # --- articles -------------------------------------------------------------
    def article_id_for_url(self, url: str) -> int | None:
        return self.scalar("SELECT id FROM articles WHERE url = ? OR original_url = ?",
                           (url, url))

    def insert_article(self, record: dict[str, Any]) -> int:
        cursor = self.conn.execute(
            f"INSERT INTO articles ({', '.join(record)}) VALUES ({', '.join('?' * len(record))})",
            tuple(record.values()))
        return int(cursor.lastrowid)

    def articles_to_analyze(self, version: str) -> list[dict[str, Any]]:
        return self.rows(
            "SELECT id, url, source, clean_text, title, content_hash FROM articles "
            "WHERE relevant = 1 AND duplicate_of IS NULL "
            "AND (analyzed_hash IS NULL OR analyzed_hash != content_hash || ':' || ?) "
            "ORDER BY id", (version,))

    def json_rows(self, sql: str, params: Any = (), *json_columns: str) -> list[dict[str, Any]]:
        out = self.rows(sql, params)
        for row in out:
            for column in json_columns:
                row[column] = json.loads(row[column])
        return out
