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
from aiwire.queries import Queries

SCHEMA_VERSION = 7

# Change-log triggers: any write that can alter what a story shows marks it in
# story_changes with a new sequence number (see migration "cost that grows with the work").
# (Delete then insert, not INSERT OR REPLACE: an outer statement's own conflict clause,
# e.g. an upsert, would override the trigger's and turn the replace into an abort.)
_MARK = ("DELETE FROM story_changes WHERE story_id IN (SELECT story FROM ({story}));"
         "INSERT INTO story_changes (story_id, seq) SELECT DISTINCT story, "
         "(SELECT coalesce(max(seq), 0) + 1 FROM story_changes) FROM ({story}) "
         "WHERE story IS NOT NULL;")
# Schema 7 marks without the delete: a story that already held the newest number was
# deleted and re-inserted with that same number, so changing it again moved nothing and
# every consumer (the site build, which then skipped) missed the change. Existing rows
# move past the newest number; new ones are inserted after them.
_MARK_7 = ("UPDATE story_changes SET seq = (SELECT max(seq) + 1 FROM story_changes) "
           "WHERE story_id IN (SELECT story FROM ({story}));"
           "INSERT INTO story_changes (story_id, seq) SELECT DISTINCT story, "
           "(SELECT coalesce(max(seq), 0) + 1 FROM story_changes) FROM ({story}) "
           "WHERE story IS NOT NULL AND story NOT IN (SELECT story_id FROM story_changes);")
_ONE = "SELECT {value} AS story"
_OF_ARTICLE = "SELECT story_id AS story FROM story_articles WHERE article_id = {row}"
_OF_ENTITY = ("SELECT DISTINCT s.story_id AS story FROM mentions m JOIN story_articles s "
              "ON s.article_id = m.article_id WHERE m.entity_id = {row}")
_STORY_COLUMNS = ("title", "summary", "first_seen", "last_seen", "first_outlet", "score")
_ARTICLE_COLUMNS = ("url", "feed_id", "source", "title", "author", "published", "summary")


def _changed(columns: tuple[str, ...]) -> str:
    return "WHEN " + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns) + " "


_CHANGE_TRIGGERS: list[tuple[str, str, str, str, tuple[str, ...]]] = [
    ("sa_ins", "INSERT", "story_articles", "", (_ONE.format(value="NEW.story_id"),)),
    ("sa_del", "DELETE", "story_articles", "", (_ONE.format(value="OLD.story_id"),)),
    ("sa_upd", "UPDATE", "story_articles", "",
     (_ONE.format(value="OLD.story_id"), _ONE.format(value="NEW.story_id"))),
    ("st_ins", "INSERT", "stories", "", (_ONE.format(value="NEW.id"),)),
    ("st_del", "DELETE", "stories", "", (_ONE.format(value="OLD.id"),)),
    ("st_upd", "UPDATE", "stories", _changed(_STORY_COLUMNS), (_ONE.format(value="NEW.id"),)),
    ("ar_upd", "UPDATE", "articles", _changed(_ARTICLE_COLUMNS),
     (_OF_ARTICLE.format(row="NEW.id"),)),
    ("en_upd", "UPDATE", "entities", _changed(("name", "type")),
     (_OF_ENTITY.format(row="NEW.id"),)),
    *[(f"{short}_{ev[:3].lower()}", ev, table, "",
       (_OF_ARTICLE.format(row=f"{row}.article_id"),))
      for short, table in (("mn", "mentions"), ("fg", "figures"), ("cl", "claims"),
                           ("as", "assertions"), ("at", "article_techniques"))
      for ev, row in (("INSERT", "NEW"), ("DELETE", "OLD"))],
    *[(f"{short}_{ev[:3].lower()}", ev, table, "", (_ONE.format(value=f"{row}.story_id"),))
      for short, table in (("ct", "contradictions"), ("tq", "story_techniques"),
                           ("cu", "story_curation"), ("tc", "technique_curation"),
                           ("mt", "merge_titles"))
      for ev, row in (("INSERT", "NEW"), ("DELETE", "OLD"))],
    *[(f"{short}_upd", "UPDATE", table, "",
       (_ONE.format(value="OLD.story_id"), _ONE.format(value="NEW.story_id")))
      for short, table in (("ct", "contradictions"), ("cu", "story_curation"),
                           ("tc", "technique_curation"), ("mt", "merge_titles"))],
    *[(f"ec_{ev[:3].lower()}", ev, "entity_curation", "",
       (_OF_ENTITY.format(row=f"{row}.entity_id"),))
      for ev, row in (("INSERT", "NEW"), ("DELETE", "OLD"), ("UPDATE", "NEW"))],
    ("rd_ins", "INSERT", "story_redirects", "", (_ONE.format(value="NEW.new_id"),)),
    ("rd_del", "DELETE", "story_redirects", "", (_ONE.format(value="OLD.new_id"),)),
    ("rd_upd", "UPDATE", "story_redirects", "",
     (_ONE.format(value="OLD.new_id"), _ONE.format(value="NEW.new_id"))),
    *[(f"dm_{ev[:3].lower()}", ev, "contradiction_dismissals", "",
       ("SELECT story_id AS story FROM contradictions WHERE id = "
        f"{row}.contradiction_id",))
      for ev, row in (("INSERT", "NEW"), ("DELETE", "OLD"))],
]


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
    # 4: time budgets. An article page that ran over its budget (a server dripping bytes)
    # is skipped until `until` instead of costing every run its whole deadline again.
    4: """
    CREATE TABLE page_backoff (
        url TEXT PRIMARY KEY,              -- canonical URL of the article page
        feed_id TEXT,
        reason TEXT NOT NULL,
        failures INTEGER NOT NULL DEFAULT 1,
        first_failed TEXT NOT NULL,
        until TEXT NOT NULL                -- ISO-8601 UTC: not fetched before this
    );
    """,
    # 5: cost that grows with the work, not the history. Every per-story and per-article
    # query gets an index (tests/test_store_plans.py fails on a full scan); near-duplicate
    # candidates come from MinHash LSH band keys; story_changes is a change log filled by
    # triggers, so consumers (site build, contradictions, story metadata) can ask which
    # stories changed since their own watermark instead of redoing every story.
    5: """
    CREATE INDEX story_articles_story ON story_articles(story_id);
    CREATE INDEX contradictions_story ON contradictions(story_id);
    CREATE INDEX article_techniques_article ON article_techniques(article_id);
    CREATE INDEX assertions_article ON assertions(article_id);
    CREATE INDEX story_techniques_story ON story_techniques(story_id);
    CREATE INDEX story_redirects_new ON story_redirects(new_id);
    CREATE INDEX article_pins_story ON article_pins(story_id);
    CREATE INDEX articles_original_url ON articles(original_url);
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_duplicate ON articles(duplicate_of)
        WHERE duplicate_of IS NOT NULL;
    -- covers "what is left to analyse" without reading a single article text
    CREATE INDEX articles_state ON articles(relevant, duplicate_of, analyzed_hash,
                                            content_hash);
    CREATE TABLE dedupe_bands (            -- MinHash LSH band keys of original articles
        band_key INTEGER NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        PRIMARY KEY (band_key, article_id)
    ) WITHOUT ROWID;
    CREATE INDEX dedupe_bands_article ON dedupe_bands(article_id);
    CREATE TABLE story_changes (           -- the dirty set: last change seq per story id
        story_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL
    );
    CREATE INDEX story_changes_seq ON story_changes(seq);
    CREATE TABLE watermarks (              -- how far each consumer has read story_changes
        name TEXT PRIMARY KEY,
        seq INTEGER NOT NULL
    );
    """ + "".join(
        f"CREATE TRIGGER changes_{name} AFTER {event} ON {table} {when}BEGIN "
        + "".join(_MARK.format(story=story) for story in stories) + "END;\n"
        for name, event, table, when, stories in _CHANGE_TRIGGERS),
    # 6: stories are incidents. Each analysed article keeps an event signature (actors,
    # action, distinctive terms and figures, event years), so clustering never re-reads
    # article text; story_keys is the inverted index that finds a new report's candidate
    # stories by their rare keys instead of scoring every story ever made.
    6: """
    CREATE TABLE article_signatures (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id),
        published TEXT NOT NULL,
        signature TEXT NOT NULL            -- JSON: entities, terms, figures, actions, years
    );
    CREATE TABLE story_keys (              -- rare signature keys -> stories holding them
        key TEXT NOT NULL,
        story_id TEXT NOT NULL,
        PRIMARY KEY (key, story_id)
    ) WITHOUT ROWID;
    CREATE INDEX story_keys_story ON story_keys(story_id);
    """,
    # 7: change triggers that always move the change number forward (see _MARK_7)
    7: "".join(
        f"DROP TRIGGER changes_{name};\n"
        f"CREATE TRIGGER changes_{name} AFTER {event} ON {table} {when}BEGIN "
        + "".join(_MARK_7.format(story=story) for story in stories) + "END;\n"
        for name, event, table, when, stories in _CHANGE_TRIGGERS),
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


class Store(Queries):
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
            # SQLite rolls back by itself on some errors (SQLITE_FULL, SQLITE_IOERR); a
            # second ROLLBACK would then raise and hide the error that matters
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    def check_integrity(self) -> None:
        """Refuse a damaged database before a run writes to it (a truncated copy, a torn
        restore). ``quick_check`` reads every page, so a missing or mangled page shows
        here, as a :class:`StorageError` that says how to recover, not halfway through."""
        from aiwire.errors import StorageError, recover_database_fix

        problems = [row[0] for row in self.conn.execute("PRAGMA quick_check(5)")]
        if problems != ["ok"]:
            raise StorageError(f"the database is damaged ({'; '.join(problems)})",
                               path=str(self.path), fix=recover_database_fix(str(self.path)))

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

    def ids_to_analyze(self, version: str) -> list[int]:
        """Ids only, answered from the ``articles_state`` index: no article text is read,
        so a run with nothing new costs an index walk, not a pass over every text."""
        return [row[0] for row in self.conn.execute(
            "SELECT id FROM articles WHERE relevant = 1 AND duplicate_of IS NULL "
            "AND (analyzed_hash IS NULL OR analyzed_hash != content_hash || ':' || ?) "
            "ORDER BY id", (version,))]

    def articles_by_id(self, ids: list[int]) -> list[dict[str, Any]]:
        """The rows the analyser reads, for ``ids`` (in that order), in chunks."""
        out: list[dict[str, Any]] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            found = {row["id"]: row for row in self.rows(
                "SELECT id, url, source, feed_id, published, clean_text, title, content_hash "
                f"FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk)}
            out += [found[i] for i in chunk if i in found]
        return out

    def articles_to_analyze(self, version: str) -> list[dict[str, Any]]:
        return self.articles_by_id(self.ids_to_analyze(version))

    def json_rows(self, sql: str, params: Any = (), *json_columns: str) -> list[dict[str, Any]]:
        out = self.rows(sql, params)
        for row in out:
            for column in json_columns:
                row[column] = json.loads(row[column])
        return out

    # --- the dirty set (story_changes, filled by triggers) ------------------------------
    def change_seq(self) -> int:
        """The newest change number: 0 on a store where no story ever changed."""
        return self.scalar("SELECT max(seq) FROM story_changes") or 0

    def changed_stories(self, since: int) -> set[str]:
        """Story ids (live, deleted or merged away) changed after change number ``since``."""
        return {row[0] for row in self.conn.execute(
            "SELECT story_id FROM story_changes WHERE seq > ?", (since,))}

    def watermark(self, name: str) -> int:
        """How far consumer ``name`` has read the change log (0: never, so everything)."""
        return self.scalar("SELECT seq FROM watermarks WHERE name = ?", (name,)) or 0

    def set_watermark(self, name: str, seq: int) -> None:
        self.conn.execute("INSERT INTO watermarks (name, seq) VALUES (?, ?) ON CONFLICT(name) "
                          "DO UPDATE SET seq = excluded.seq", (name, seq))
