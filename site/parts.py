"""Per-story build parts kept between builds, so a build redoes only the stories that changed.

A story's part is its export entry (and the compact JSON ``export.json`` holds for it),
its page view (:func:`aiwire.site.model.story_view`) and what it adds to entity pages
(:func:`aiwire.site.model.entity_refs`): pure functions of the story's rows in the store
and of the code. Working them out is most of a build, so they are kept in a small SQLite
file beside the site (``.aiwire-build-cache/<site folder>.sqlite``, never published).

The cache is used only when it is the one this store last recorded: its fingerprint
(cache format, site and export code, store schema) is the current one, and the store's
watermark ``site-cache:<token>`` holds the change number the cache was written at. The
token is new whenever the cache starts afresh, so the cache of another database, or of
this one before a restore from backup, is never taken for this one. Then only the stories
the change log (``store.changed_stories``) names since that number are exported and
viewed again; anything else (first build, code change, a kill between the cache and the
watermark) starts afresh, which costs what a build without a cache costs.
"""

from __future__ import annotations

import gc
import hashlib
import json
import pickle
import secrets
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiwire import EXPORT_SCHEMA
from aiwire.store import Store

FORMAT = "aiwire.site-parts/1"
CACHE_DIR = ".aiwire-build-cache"
WATERMARK = "site-cache:"


@dataclass
class StoryPart:
    """One story as the build needs it."""

    id: str
    text: str                    # the export entry as compact JSON (as export.json has it)
    digest: str                  # sha256 of ``text``: the story's content key
    doc: dict[str, Any]          # the export entry
    view: dict[str, Any]         # story_view(doc), before the model adds weeks and scores
    refs: dict[str, list[tuple]]  # entity_refs(view, doc)


@dataclass
class Corpus:
    """The export document and its stories' parts, in the document's order."""

    document: dict[str, Any]
    parts: dict[str, StoryPart]
    made: list[str] = field(default_factory=list)   # stories worked out by this build
    fresh: bool = True                              # no usable cache: every story made
    token: str = ""                                 # names the cache
    content: str = ""                               # hash of the whole document's content


def compact(value: Any) -> str:
    """JSON as ``export.json`` writes it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def document_text(document: dict[str, Any], parts: dict[str, StoryPart]) -> str:
    """``compact(document)`` for an export document whose stories (its last key) all have
    parts, from their kept JSON: the same bytes without encoding the history again."""
    head = {k: v for k, v in document.items() if k != "stories"}
    if (not head or list(document)[-1] != "stories"
            or any(s.get("id") not in parts for s in document["stories"])):
        return compact(document)
    stories = ",".join(parts[s["id"]].text for s in document["stories"])
    return compact(head)[:-1] + ',"stories":[' + stories + "]}"


def make_part(doc: dict[str, Any]) -> StoryPart:
    from aiwire.site.model import entity_refs, story_view

    text = compact(doc)
    view = story_view(doc)
    return StoryPart(doc["id"], text, hashlib.sha256(text.encode("utf-8", "surrogatepass"))
                     .hexdigest(), doc, view, entity_refs(view, doc))


def cache_path(out: Path) -> Path:
    """Beside the site, not in it: nothing of it is published."""
    out = Path(out).resolve()
    return out.parent / CACHE_DIR / f"{out.name}.sqlite"


def fingerprint(store: Store) -> str:
    """What the parts are made with: the site's and the export's code (and the time
    parsing the views use), the store's schema and the cache format."""
    from aiwire.site.incremental import AIWIRE_DIR, _export_code
    from aiwire.site.render import code_fingerprint

    timeutil = hashlib.sha256((AIWIRE_DIR / "timeutil.py").read_bytes()).hexdigest()
    return hashlib.sha256(json.dumps([FORMAT, code_fingerprint(), _export_code(), timeutil,
                                      store.version]).encode()).hexdigest()


def _open(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(
        "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE IF NOT EXISTS parts (id TEXT PRIMARY KEY, digest TEXT NOT NULL,"
        " text TEXT NOT NULL, data BLOB NOT NULL);")
    return conn


def _connect(path: Path) -> sqlite3.Connection:
    """The cache, or a new empty one when the file is not a readable cache."""
    try:
        conn = _open(path)
        conn.execute("SELECT count(*) FROM parts").fetchone()
        return conn
    except sqlite3.DatabaseError:
        path.unlink(missing_ok=True)
        return _open(path)


def _meta(conn: sqlite3.Connection, name: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def kept_content(store: Store, out: Path, seq: int) -> str | None:
    """The content hash of this store at change number ``seq``, as the parts cache of
    ``out`` recorded it; None unless that cache is this store's, made at ``seq`` by the
    current code. (What lets a build be skipped: a change number alone does not name a
    state, a restored or copied database reaches the same number with other content.)"""
    path = cache_path(out)
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            meta = dict(conn.execute("SELECT name, value FROM meta").fetchall())
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None
    token = meta.get("token")
    if (meta.get("seq") != str(seq) or not token or meta.get("fingerprint") != fingerprint(store)
            or recorded(store, token) != seq):
        return None
    return meta.get("content")


def kept_seq(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE name = 'seq'").fetchone()
    return int(row[0]) if row else -1


def _count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM parts").fetchone()[0]


def recorded(store: Store, token: str) -> int | None:
    """The change number the store recorded for the cache named ``token`` (None: never)."""
    return store.scalar("SELECT seq FROM watermarks WHERE name = ?", (WATERMARK + token,))


def load_corpus(store: Store, out: Path, generated_at: str) -> Corpus:
    """The export document of ``store`` with every story's part: kept ones read back,
    changed ones (or all, without a usable cache) worked out and kept for next time."""
    from aiwire.curation import dismissals, story_curation

    seq = store.change_seq()          # before reading: a change made meanwhile is newer
    fp = fingerprint(store)
    path = cache_path(out)
    conn = _connect(path)
    try:
        meta = dict(conn.execute("SELECT name, value FROM meta").fetchall())
        token = meta.get("token", "")
        kept = kept_seq(conn)
        usable = (meta.get("fingerprint") == fp and bool(token) and 0 <= kept <= seq
                  and recorded(store, token) == kept)
        dirty = store.changed_stories(kept) if usable else None
        curated = story_curation(store)
        dismissed = dismissals(store)
        rows = [s for s in store.rows("SELECT * FROM stories ORDER BY first_seen, id")
                if not curated.get(s["id"], {}).get("hidden")]   # hidden by an editor
        clean = ({r["id"] for r in rows} - dirty) if dirty is not None else set()
        parts: dict[str, StoryPart] = {}
        if clean:
            marks = ",".join("?" * len(clean))
            collecting = gc.isenabled()
            gc.disable()   # millions of new containers, none of them garbage: a third faster
            try:
                for sid, digest, text, data in conn.execute(
                        f"SELECT id, digest, text, data FROM parts WHERE id IN ({marks})",
                        sorted(clean)):
                    doc, view, refs = pickle.loads(data)
                    parts[sid] = StoryPart(sid, text, digest, doc, view, refs)
            finally:
                if collecting:
                    gc.enable()
        from aiwire.export import story_document

        made = []
        for row in rows:
            if row["id"] not in parts:
                parts[row["id"]] = make_part(story_document(store, row, curated.get(row["id"]),
                                                            dismissed))
                made.append(row["id"])
        document = {"schema": EXPORT_SCHEMA, "generated_at": generated_at,
                    "redirects": {r["old_id"]: r["new_id"] for r in store.rows(
                        "SELECT * FROM story_redirects ORDER BY old_id")},
                    "stories": [parts[r["id"]].doc for r in rows]}
        content = hashlib.sha256(compact(
            [document["generated_at"], document["redirects"],
             [(r["id"], parts[r["id"]].digest) for r in rows]]).encode()).hexdigest()
        token = _save(conn, store, parts, made, usable, token, fp, seq, content)
    finally:
        conn.close()
    return Corpus(document, parts, made, fresh=not usable, token=token, content=content)


def _save(conn: sqlite3.Connection, store: Store, parts: dict[str, StoryPart],
          made: list[str], usable: bool, token: str, fp: str, seq: int,
          content: str) -> str:
    """Write the made parts, then record the cache's change number in the store; the
    cache's token. A kill between the two leaves numbers that differ: the next build
    starts afresh."""
    if (usable and not made and kept_seq(conn) == seq and len(parts) == _count(conn)
            and _meta(conn, "content") == content):
        return token                  # nothing new to keep: no write at all
    old = token
    if not usable:
        token = secrets.token_hex(16)
    conn.execute("BEGIN IMMEDIATE")
    try:
        if not usable:
            conn.execute("DELETE FROM parts")
        else:
            live = set(parts)
            gone = [r[0] for r in conn.execute("SELECT id FROM parts") if r[0] not in live]
            conn.executemany("DELETE FROM parts WHERE id = ?", [(g,) for g in gone])
        conn.executemany(
            "INSERT OR REPLACE INTO parts (id, digest, text, data) VALUES (?, ?, ?, ?)",
            [(sid, parts[sid].digest, parts[sid].text,
              pickle.dumps((parts[sid].doc, parts[sid].view, parts[sid].refs),
                           protocol=pickle.HIGHEST_PROTOCOL)) for sid in made])
        conn.executemany("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)",
                         [("token", token), ("seq", str(seq)), ("fingerprint", fp),
                          ("content", content)])
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    with store.transaction():
        if old and old != token:
            store.conn.execute("DELETE FROM watermarks WHERE name = ?", (WATERMARK + old,))
        store.set_watermark(WATERMARK + token, seq)
    return token
