"""The analyse stage: per-article extraction, then stories, contradictions and techniques.

Incremental: an article is analysed when its content hash (plus the analyser version)
differs from what was analysed last; nothing new means the NLP model is never loaded.
Each article's rows are replaced in one transaction.
"""

from __future__ import annotations

import importlib.util
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from aiwire.nlp.batch import clear_analysis, iter_records, iter_records_parallel, load_record
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


def drop_stale(store: Store) -> int:
    """Remove analysis of articles that are now duplicates or off-topic; how many."""
    # two index searches (articles_state) rather than one OR that scans every article
    stale = [row["id"] for row in store.rows(
        "SELECT id FROM articles WHERE relevant = 0 AND analyzed_hash IS NOT NULL "
        "UNION SELECT id FROM articles WHERE relevant = 1 AND duplicate_of IS NOT NULL "
        "AND analyzed_hash IS NOT NULL ORDER BY id")]
    for article_id in stale:
        with store.transaction():
            clear_analysis(store, article_id)
            store.conn.execute("UPDATE articles SET analyzed_hash = NULL WHERE id = ?",
                               (article_id,))
    return len(stale)


def unassigned_exists(store: Store) -> bool:
    """Is an analysed article waiting for a story? Answered from indexes, no text read."""
    return store.scalar(
        "SELECT 1 FROM articles a WHERE relevant = 1 AND duplicate_of IS NULL AND "
        "analyzed_hash IS NOT NULL AND NOT EXISTS (SELECT 1 FROM story_articles s "
        "WHERE s.article_id = a.id) LIMIT 1") is not None


_VERSION_LINE = re.compile(r'^ANALYZER_VERSION\s*=\s*"([^"\n]+)"', re.M)


def analyzer_version() -> str:
    """``aiwire.nlp.pipeline.ANALYZER_VERSION``, read without importing the pipeline.

    Why: importing it imports spaCy, wordfreq and every component (about 2 s), and a run
    with nothing new needs only the constant. The source line is read when it has the
    plain form; otherwise (or if the file is not there) the module is imported.
    tests/nlp/test_batch.py checks both ways agree.
    """
    spec = importlib.util.find_spec("aiwire.nlp.pipeline")
    try:
        found = _VERSION_LINE.search(Path(spec.origin).read_text("utf-8")) if (
            spec and spec.origin) else None
    except OSError:
        found = None
    if found:
        return found.group(1)
    from aiwire.nlp.pipeline import ANALYZER_VERSION

    return ANALYZER_VERSION


def analyze(store: Store, progress: Callable[[int, int], None] | None = None,
            window_days: int = 21, executor: str = "local", ray_address: str | None = None,
            ray_actors: int | None = None) -> AnalyzeReport:
    """Analyse what is pending, then place it in stories and re-flag what changed.

    ``executor="ray"`` runs the NLP on Ray actors (``nlp/ray_executor.py``; a local Ray
    instance unless ``ray_address`` names a cluster) instead of local worker processes.
    """
    from aiwire.nlp.contradictions import update_contradictions
    from aiwire.nlp.stories import update_stories

    version = analyzer_version()
    report = AnalyzeReport()
    dropped = drop_stale(store)
    pending = store.articles_to_analyze(version)
    if pending:
        # Worker processes pay for themselves once there is enough to analyse (starting
        # one and loading its model cost about as much as 100 articles on this class of
        # machine); below that, the model is loaded here.
        processes = min(2, os.cpu_count() or 1) if len(pending) >= PARALLEL_FROM else 1
        if executor == "ray":
            from aiwire.nlp.ray_executor import iter_records_ray

            records = iter_records_ray(pending, actors=ray_actors or min(2, os.cpu_count() or 1),
                                       chunk_size=BATCH_SIZE, address=ray_address)
        elif processes > 1:
            records = iter_records_parallel(pending, processes, chunk_size=BATCH_SIZE)
        else:
            from aiwire.nlp.pipeline import load_pipeline

            records = iter_records(pending, load_pipeline(), version, batch_size=BATCH_SIZE)
        for index, record in enumerate(records):
            if "error" in record:
                report.errors.append(f"article {record['article_id']}: {record['error']}")
            else:
                record["content_hash"] = None   # the text just read is the text stored
                load_record(store, record)
                report.analysed += 1
            if progress:
                progress(index + 1, len(pending))
    else:
        report.skipped_model = True
    # Nothing analysed, dropped or waiting: stories cannot change, and update_stories
    # (which reads every article's features) is not called at all.
    changed = (update_stories(store, window_days=window_days, force=bool(pending))
               if pending or dropped or unassigned_exists(store) else False)
    report.stories = store.scalar("SELECT count(*) FROM stories") or 0
    if changed or pending:
        # Only the stories this run touched (a set from update_stories) are re-flagged.
        update_contradictions(store, changed if isinstance(changed, set) and changed
                              else None)
    report.contradictions = store.scalar("SELECT count(*) FROM contradictions") or 0
    return report
