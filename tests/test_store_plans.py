"""Every per-story and per-article query is an index search, never a full table scan.

The store is filled with a synthetic corpus (benchmarks/site.py, no NLP), then
``EXPLAIN QUERY PLAN`` is run on (a) the hot queries the stages run once per story or
article, listed here, and (b) every keyed statement the export and the contradiction
detector actually execute (captured with SQLite's trace hook, so a new query in that
code is checked too). A plan step ``SCAN <large table>`` fails the test.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root: benchmarks/

from benchmarks.site import Corpus  # noqa: E402

from aiwire.store import Store  # noqa: E402

LARGE = {"articles", "mentions", "figures", "claims", "assertions", "article_techniques",
         "story_articles", "contradictions", "story_techniques", "stories",
         "dedupe_bands", "story_changes"}
# A statement is "keyed" when it selects by a story, an article or a row id.
KEYED = re.compile(r"\b(story_id|article_id|id|url|new_id|band_key|seq)\s*(=|IN\b|>)", re.I)

HOT = {
    "story members": ("SELECT a.id, a.url FROM story_articles s JOIN articles a "
                      "ON a.id = s.article_id WHERE s.story_id = ?", ("story-0001",)),
    "story of an article": ("SELECT story_id FROM story_articles WHERE article_id = ?", (3,)),
    "story contradictions": ("SELECT * FROM contradictions WHERE story_id = ?", ("s",)),
    "story techniques": ("SELECT * FROM story_techniques WHERE story_id = ?", ("s",)),
    "article techniques": ("SELECT * FROM article_techniques WHERE article_id = ?", (3,)),
    "article assertions": ("SELECT * FROM assertions WHERE article_id = ?", (3,)),
    "article mentions": ("SELECT * FROM mentions WHERE article_id = ?", (3,)),
    "article figures": ("SELECT * FROM figures WHERE article_id = ?", (3,)),
    "article claims": ("SELECT * FROM claims WHERE article_id = ?", (3,)),
    "url lookup": ("SELECT id FROM articles WHERE url = ? OR original_url = ?", ("u", "u")),
    "left to analyse": ("SELECT id FROM articles WHERE relevant = 1 AND duplicate_of IS NULL "
                        "AND (analyzed_hash IS NULL OR analyzed_hash != content_hash || ':' "
                        "|| ?) ORDER BY id", ("v",)),
    "stale analysis": ("SELECT id FROM articles WHERE relevant = 0 AND analyzed_hash IS NOT "
                       "NULL UNION SELECT id FROM articles WHERE relevant = 1 AND duplicate_of "
                       "IS NOT NULL AND analyzed_hash IS NOT NULL ORDER BY id", ()),
    "copies of an article": ("UPDATE articles SET duplicate_of = ? WHERE id = ? OR "
                             "duplicate_of = ?", (1, 2, 2)),
    "stories of a week": ("SELECT DISTINCT s.story_id FROM articles a JOIN story_articles s "
                          "ON s.article_id = a.id WHERE a.published >= ? AND a.published < ?",
                          ("2026-10-05T00:00:00Z", "2026-10-12T00:00:00Z")),
    "dedupe candidates": ("SELECT DISTINCT b.article_id FROM dedupe_bands b WHERE "
                          "b.band_key IN (?, ?, ?)", (1, 2, 3)),
    "dirty stories": ("SELECT story_id FROM story_changes WHERE seq > ?", (5,)),
    "redirects into a story": ("UPDATE story_redirects SET new_id = ? WHERE new_id = ?",
                               ("a", "b")),
    "pins of a story": ("SELECT from_story FROM article_pins WHERE story_id = ?", ("s",)),
    "newest report": ("SELECT max(published) FROM articles", ()),
}


def full_scans(store: Store, sql: str, params: tuple = ()) -> list[str]:
    plan = store.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    found = []
    for row in plan:
        match = re.match(r"SCAN (\w+)", row[-1])
        if match and match.group(1) in LARGE:
            found.append(row[-1])
    return found


@pytest.fixture(scope="module")
def populated(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("plans") / "plans.db")
    Corpus(store).fill(articles=600, stories=60)
    with store.transaction():
        store.conn.executemany(
            "INSERT INTO assertions (article_id, slot, value, subject, quote, start) "
            "VALUES (?, 'what_taken', 'weights', NULL, 'Weights were taken.', 0)",
            [(i,) for i in range(1, 601)])
        store.conn.executemany(
            "INSERT INTO article_techniques (article_id, technique_id, evidence) "
            "VALUES (?, 'AML.T0051', 'An injected prompt.')", [(i,) for i in range(1, 601)])
    yield store
    store.close()


def test_the_checker_sees_a_full_scan(populated):
    # the check itself can fail: an unindexed filter is reported as a scan
    assert full_scans(populated, "SELECT * FROM articles WHERE author = ?", ("x",))
    assert full_scans(populated, "SELECT * FROM figures WHERE quote = ?", ("x",))


@pytest.mark.parametrize("name", sorted(HOT))
def test_hot_query_uses_an_index(populated, name):
    sql, params = HOT[name]
    assert full_scans(populated, sql, params) == [], name


def test_every_keyed_query_of_export_and_contradictions_is_a_search(populated):
    from aiwire.export import export_document
    from aiwire.nlp.contradictions import story_contradictions

    seen: list[str] = []
    populated.conn.set_trace_callback(seen.append)
    try:
        document = export_document(populated)
        for story in document["stories"][:5]:
            story_contradictions(populated, story["id"])
    finally:
        populated.conn.set_trace_callback(None)
    keyed = sorted({s for s in seen if s.lstrip().upper().startswith("SELECT")
                    and KEYED.search(s)})
    assert len(keyed) > 20      # the export really ran its per-story queries
    offenders = {sql: scans for sql in keyed if (scans := full_scans(populated, sql))}
    assert offenders == {}
