"""The analyse stage: per-article extraction, then stories, contradictions and techniques.

Incremental: an article is analysed when its content hash (plus the analyser version)
differs from what was analysed last; nothing new means the NLP model is never loaded.
Each article's rows are replaced in one transaction.
"""

from __future__ import annotations

import os

from dataclasses import dataclass, field
from typing import Callable

from aiwire.nlp.doccache import sentences
from aiwire.nlp.kb import slugify
from aiwire.nlp.techniques import tag_sentences
from aiwire.store import Store

BATCH_SIZE = 16
PARALLEL_FROM = 200


@dataclass
class AnalyzeReport:
    analysed: int = 0
    stories: int = 0
    contradictions: int = 0
    skipped_model: bool = False
    errors: list[str] = field(default_factory=list)


def _clear(store: Store, article_id: int) -> None:
    for table in ("mentions", "figures", "claims", "article_techniques", "assertions"):
        store.conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))


def write_analysis(store: Store, article: dict, doc, version: str) -> None:
    """Replace one article's analysis rows, atomically."""
    from aiwire.nlp.assertions import find_assertions

    article_id = article["id"]
    sentence_texts = [sent.text for sent in sentences(doc)]
    with store.transaction():
        _clear(store, article_id)
        own_name = slugify(article.get("source") or "")
        for mention in doc._.mentions:
            if own_name and mention.id == own_name:
                continue         # an outlet naming itself ("told Byte Sentinel") is not news
            store.conn.execute(
                "INSERT INTO entities (id, name, type) VALUES (?, ?, ?) ON CONFLICT(id) DO "
                "UPDATE SET name = CASE WHEN length(excluded.name) > length(name) AND "
                "entities.type != 'ORG' THEN excluded.name ELSE name END",
                (mention.id, mention.name, mention.type))
            store.conn.execute(
                "INSERT INTO mentions (article_id, entity_id, text, start, end) "
                "VALUES (?, ?, ?, ?, ?)",
                (article_id, mention.id, mention.text, mention.start, mention.end))
        for figure in doc._.figures:
            store.conn.execute(
                "INSERT INTO figures (article_id, kind, value, unit, subject, qualifier, text, "
                "quote, start) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article_id, figure.kind, figure.value, figure.unit, figure.subject,
                 figure.qualifier, figure.text, figure.quote, figure.start))
        for claim in doc._.claims:
            store.conn.execute(
                "INSERT INTO claims (article_id, speaker, stance, verb, target, hedged, quote, "
                "start) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (article_id, claim.speaker, claim.stance, claim.verb, claim.target,
                 int(claim.hedged), claim.quote, claim.start))
        for hit in tag_sentences(sentence_texts):
            store.conn.execute(
                "INSERT INTO article_techniques (article_id, technique_id, evidence) "
                "VALUES (?, ?, ?)", (article_id, hit.id, hit.evidence))
        for assertion in find_assertions(doc):
            store.conn.execute(
                "INSERT INTO assertions (article_id, slot, value, subject, quote, start) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (article_id, assertion.slot, assertion.value, assertion.subject,
                 assertion.quote, assertion.start))
        store.conn.execute("UPDATE articles SET analyzed_hash = content_hash || ':' || ? "
                           "WHERE id = ?", (version, article_id))


def drop_stale(store: Store) -> None:
    """Remove analysis of articles that are now duplicates or off-topic."""
    # two index searches (articles_state) rather than one OR that scans every article
    stale = [row["id"] for row in store.rows(
        "SELECT id FROM articles WHERE relevant = 0 AND analyzed_hash IS NOT NULL "
        "UNION SELECT id FROM articles WHERE relevant = 1 AND duplicate_of IS NOT NULL "
        "AND analyzed_hash IS NOT NULL ORDER BY id")]
    for article_id in stale:
        with store.transaction():
            _clear(store, article_id)
            store.conn.execute("UPDATE articles SET analyzed_hash = NULL WHERE id = ?",
                               (article_id,))


def analyze(store: Store, progress: Callable[[int, int], None] | None = None,
            window_days: int = 10) -> AnalyzeReport:
    from aiwire.nlp.contradictions import update_contradictions
    from aiwire.nlp.pipeline import ANALYZER_VERSION
    from aiwire.nlp.stories import update_stories

    report = AnalyzeReport()
    drop_stale(store)
    pending = store.articles_to_analyze(ANALYZER_VERSION)
    if pending:
        from aiwire.nlp.pipeline import load_pipeline

        nlp = load_pipeline()
        texts = (row["clean_text"] or "" for row in pending)
        # A second process pays for itself once there is enough to analyse (model load
        # and doc transfer cost about as much as 100 articles on this class of machine).
        processes = 2 if len(pending) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1 else 1
        docs = nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=processes)
        for index, (article, doc) in enumerate(zip(pending, docs)):
            write_analysis(store, article, doc, ANALYZER_VERSION)
            report.analysed += 1
            if progress:
                progress(index + 1, len(pending))
    else:
        report.skipped_model = True
    changed = update_stories(store, window_days=window_days, force=bool(pending))
    report.stories = store.scalar("SELECT count(*) FROM stories") or 0
    if changed or pending:
        update_contradictions(store)
    report.contradictions = store.scalar("SELECT count(*) FROM contradictions") or 0
    return report
