"""The stage boundary that scales out: pure per-article analysis, then a bulk loader.

:func:`analyse_batch` takes article rows (plain dicts: ``id``, ``url``, ``clean_text``,
``source``, ``content_hash`` …) and returns plain-dict records; it never touches the
store, so it can run anywhere Python and the model are installed (a Ray Data
``map_batches``, a Spark ``mapInPandas``, a process pool). :func:`load_records` writes
records to the store, one transaction per record as the analyse stage always has.
Story clustering and contradictions stay in the store's process: they need the corpus.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from aiwire.store import Store

RECORD_FORMAT = "aiwire.analysis/1"
TABLES = ("mentions", "figures", "claims", "article_techniques", "assertions")


def record_from_doc(article: dict[str, Any], doc: Any, version: str) -> dict[str, Any]:
    """One article's analysis as a JSON-able record (what :func:`load_record` stores)."""
    # imported here: a run with nothing to analyse never pays for importing spaCy
    from aiwire.nlp.assertions import find_assertions
    from aiwire.nlp.doccache import sentences, span_text
    from aiwire.nlp.kb import slugify
    from aiwire.nlp.techniques import evidence_hits

    own_name = slugify(article.get("source") or "")
    mentions = [{"entity_id": m.id, "name": m.name, "type": m.type, "text": m.text,
                 "start": m.start, "end": m.end}
                for m in doc._.mentions
                # an outlet naming itself ("told Byte Sentinel") is not news
                if not (own_name and m.id == own_name)]
    figures = [{"kind": f.kind, "value": f.value, "unit": f.unit, "subject": f.subject,
                "qualifier": f.qualifier, "text": f.text, "quote": f.quote, "start": f.start}
               for f in doc._.figures]
    claims = [{"speaker": c.speaker, "stance": c.stance, "verb": c.verb, "target": c.target,
               "hedged": int(c.hedged), "quote": c.quote, "start": c.start}
              for c in doc._.claims]
    techniques = [{"technique_id": hit.id, "evidence": hit.evidence}
                  for hit in evidence_hits([span_text(sent) for sent in sentences(doc)])]
    assertions = [{"slot": a.slot, "value": a.value, "subject": a.subject, "quote": a.quote,
                   "start": a.start} for a in find_assertions(doc)]
    return {"format": RECORD_FORMAT, "article_id": article["id"], "url": article.get("url"),
            "content_hash": article.get("content_hash"), "version": version,
            "mentions": mentions, "figures": figures, "claims": claims,
            "techniques": techniques, "assertions": assertions}


def analyse_batch(rows: list[dict[str, Any]], nlp: Any = None,
                  batch_size: int = 16) -> list[dict[str, Any]]:
    """Analyse article ``rows`` into records. Pure: no store, no network.

    ``nlp`` is a loaded :func:`aiwire.nlp.pipeline.load_pipeline` (loaded here, once per
    process, when not given: executors call this with the model cached per worker).
    """
    from aiwire.nlp.pipeline import ANALYZER_VERSION

    return list(iter_records(rows, nlp if nlp is not None else _model(),
                             ANALYZER_VERSION, batch_size=batch_size))


def iter_records(rows: list[dict[str, Any]], nlp: Any, version: str, *,
                 batch_size: int = 16) -> Iterator[dict[str, Any]]:
    """Records for ``rows`` in order, streamed from ``nlp.pipe`` in this process."""
    from aiwire.nlp.doccache import make_doc_with_text

    docs = nlp.pipe((make_doc_with_text(nlp, row.get("clean_text") or "") for row in rows),
                    batch_size=batch_size)
    for row, doc in zip(rows, docs):
        yield record_from_doc(row, doc, version)


def iter_records_parallel(rows: list[dict[str, Any]], processes: int, *,
                          chunk_size: int = 16) -> Iterator[dict[str, Any]]:
    """Records for ``rows`` in order, from ``processes`` worker processes.

    Each worker loads the model once and runs :func:`analyse_batch` on chunks of rows,
    returning plain records: no spaCy ``Doc`` crosses a process boundary (shipping docs
    cost more than the parent's share of the work), and the parent never loads the model.
    An article that makes the analysis fail comes back as ``{"article_id", "error"}``
    instead of stopping the others. Workers are spawned, not forked: the parent may hold
    threads (progress display, HTTP) that a fork would copy mid-state.
    """
    import multiprocessing

    chunks = [rows[i:i + chunk_size] for i in range(0, len(rows), chunk_size)]
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes) as pool:
        for records in pool.imap(_analyse_chunk, chunks):
            yield from records


def _analyse_chunk(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One worker's task: the chunk's records; one by one when the batch fails."""
    try:
        return analyse_batch(rows)
    except Exception:                                    # find the article that fails
        out = []
        for row in rows:
            try:
                out += analyse_batch([row])
            except Exception as exc:                     # noqa: BLE001 - reported upstream
                out.append({"format": RECORD_FORMAT, "article_id": row["id"],
                            "error": f"{type(exc).__name__}: {exc}"})
        return out


_MODEL: Any = None


def _model() -> Any:
    global _MODEL
    if _MODEL is None:
        from aiwire.nlp.pipeline import load_pipeline

        _MODEL = load_pipeline()
    return _MODEL


def clear_analysis(store: Store, article_id: int) -> None:
    """Remove one article's analysis rows (the caller holds the transaction)."""
    for table in TABLES:
        store.conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))


def load_record(store: Store, record: dict[str, Any]) -> bool:
    """Replace one article's analysis rows with ``record``, atomically.

    False (nothing written) when the article is gone or its text changed since the record
    was made (its ``content_hash`` differs): a stale record never marks new text analysed.
    A record whose ``content_hash`` is None is written as is (the in-process stage).
    """
    article_id = record["article_id"]
    if record.get("content_hash") is not None and record["content_hash"] != store.scalar(
            "SELECT content_hash FROM articles WHERE id = ?", (article_id,)):
        return False
    conn = store.conn
    with store.transaction():
        clear_analysis(store, article_id)
        for m in record["mentions"]:
            conn.execute(
                "INSERT INTO entities (id, name, type) VALUES (?, ?, ?) ON CONFLICT(id) DO "
                "UPDATE SET name = CASE WHEN length(excluded.name) > length(name) AND "
                "entities.type != 'ORG' THEN excluded.name ELSE name END",
                (m["entity_id"], m["name"], m["type"]))
            conn.execute("INSERT INTO mentions (article_id, entity_id, text, start, end) "
                         "VALUES (?, ?, ?, ?, ?)",
                         (article_id, m["entity_id"], m["text"], m["start"], m["end"]))
        conn.executemany(
            "INSERT INTO figures (article_id, kind, value, unit, subject, qualifier, text, "
            "quote, start) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(article_id, f["kind"], f["value"], f["unit"], f["subject"], f["qualifier"],
              f["text"], f["quote"], f["start"]) for f in record["figures"]])
        conn.executemany(
            "INSERT INTO claims (article_id, speaker, stance, verb, target, hedged, quote, "
            "start) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(article_id, c["speaker"], c["stance"], c["verb"], c["target"], c["hedged"],
              c["quote"], c["start"]) for c in record["claims"]])
        conn.executemany(
            "INSERT INTO article_techniques (article_id, technique_id, evidence) "
            "VALUES (?, ?, ?)",
            [(article_id, t["technique_id"], t["evidence"]) for t in record["techniques"]])
        conn.executemany(
            "INSERT INTO assertions (article_id, slot, value, subject, quote, start) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(article_id, a["slot"], a["value"], a["subject"], a["quote"], a["start"])
             for a in record["assertions"]])
        conn.execute("UPDATE articles SET analyzed_hash = content_hash || ':' || ? "
                     "WHERE id = ?", (record["version"], article_id))
    return True


def load_records(store: Store, records: Iterable[dict[str, Any]]) -> int:
    """Bulk-load records (from :func:`analyse_batch`, wherever it ran); how many landed."""
    return sum(load_record(store, record) for record in records)
