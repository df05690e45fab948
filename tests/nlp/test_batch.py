"""The scale-out boundary: pure analyse_batch, a bulk loader, and a free no-op run."""

from __future__ import annotations

import json
import re

from aiwire.nlp.analyze import analyze
from aiwire.nlp.batch import analyse_batch, load_records
from aiwire.nlp.pipeline import ANALYZER_VERSION
from aiwire.store import Store

TABLES = ("mentions", "figures", "claims", "article_techniques", "assertions")


def _rows(store: Store) -> list[dict]:
    return store.rows("SELECT id, url, source, feed_id, published, clean_text, title, "
                      "content_hash FROM articles WHERE relevant = 1 AND duplicate_of IS NULL "
                      "ORDER BY id")


def _analysis(store: Store) -> dict[str, list]:
    return {t: store.rows(f"SELECT * FROM {t} ORDER BY article_id, rowid") for t in TABLES}


def test_records_from_a_batch_load_the_same_rows_as_the_stage(analysed_store, nlp, tmp_path):
    rows = _rows(analysed_store)[:6]
    records = analyse_batch(rows, nlp)
    # plain data: it crosses process and machine boundaries as JSON
    records = json.loads(json.dumps(records))
    assert [r["article_id"] for r in records] == [r["id"] for r in rows]
    assert all(r["version"] == ANALYZER_VERSION for r in records)
    assert sum(len(r["mentions"]) for r in records) > 10
    assert any(r["figures"] for r in records) and any(r["claims"] for r in records)
    expected = {t: [row for row in table if row["article_id"] in {r["id"] for r in rows}]
                for t, table in _analysis(analysed_store).items()}
    with analysed_store.transaction():
        for table in TABLES:
            analysed_store.conn.execute(f"DELETE FROM {table}")
        analysed_store.conn.execute("UPDATE articles SET analyzed_hash = NULL")
    assert load_records(analysed_store, records) == len(rows)
    assert _analysis(analysed_store) == expected
    marked = analysed_store.scalar(
        "SELECT count(*) FROM articles WHERE analyzed_hash = content_hash || ':' || ?",
        (ANALYZER_VERSION,))
    assert marked == len(rows)


def test_a_stale_record_is_refused(analysed_store, nlp):
    row = _rows(analysed_store)[0]
    (record,) = analyse_batch([row], nlp)
    analysed_store.conn.execute("UPDATE articles SET content_hash = 'edited since' "
                                "WHERE id = ?", (row["id"],))
    before = _analysis(analysed_store)
    assert load_records(analysed_store, [record]) == 0
    assert _analysis(analysed_store) == before


def test_a_run_with_nothing_new_reads_no_article_text(analysed_store):
    statements: list[str] = []
    analysed_store.conn.set_trace_callback(statements.append)
    try:
        report = analyze(analysed_store)
    finally:
        analysed_store.conn.set_trace_callback(None)
    assert report.analysed == 0 and report.skipped_model
    assert statements                                  # the stage did look
    # neither the extracted text nor the text given to NLP is read
    assert [s for s in statements if re.search(r"\b(clean_text|text|raw_html)\b", s)] == []


def test_the_analyser_version_is_read_without_importing_spacy():
    import subprocess
    import sys

    code = ("import sys; from aiwire.nlp.analyze import analyzer_version; "
            "v = analyzer_version(); print(v, 'spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == [ANALYZER_VERSION, "False"]


def test_worker_processes_give_the_same_records_and_report_a_bad_article(analysed_store, nlp):
    """The analyse stage's pool (spawned workers, records not docs) matches the
    in-process analysis, in order; an article whose analysis raises comes back as an
    error record and the articles after it are still analysed."""
    from aiwire.nlp.batch import iter_records_parallel

    rows = _rows(analysed_store)[:5]
    broken = dict(rows[2], clean_text=12345)          # not text: spaCy refuses it
    given = rows[:2] + [broken] + rows[3:]
    records = list(iter_records_parallel(given, 2, chunk_size=2))
    assert [r["article_id"] for r in records] == [r["id"] for r in given]
    assert "mentions" not in records[2] and records[2]["error"].split(":")[0].endswith("Error")
    expected = analyse_batch(rows[:2] + rows[3:], nlp)
    assert [r for r in records if "error" not in r] == expected
