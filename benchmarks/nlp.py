"""NLP per core: aiwire's whole per-article analysis against bare spaCy NER, same texts.

The fair comparison (issue "Cost that grows with the work", item 5): both sides run as
the same number of worker processes (``BENCH_NLP_PROCESSES``, default 2) on the same
shards of the same synthetic articles (benchmarks/week.py's week, recombined from the
bundled sample's sentences), model loading and a short warm-up not timed. A side's rate
is articles per CPU second of its workers (per core, what the work costs whatever the
neighbours on a shared machine do); the sides take turns for ``BENCH_NLP_ROUNDS``
rounds and the ratio is the median of the rounds' ratios. Peak memory is summed over
each side's workers. Target: the analysis at least 0.80 of bare NER per core.

A second part runs the whole analyse stage (workers, writes into a fresh SQLite store,
stories, contradictions) on ``BENCH_ARTICLES`` articles, wall time, then again with
nothing new: the stage as a user sees it, not a per-core figure.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

ARTICLES = int(os.environ.get("BENCH_ARTICLES", 2000))
NLP_ARTICLES = int(os.environ.get("BENCH_NLP_ARTICLES", 400))
PROCESSES = int(os.environ.get("BENCH_NLP_PROCESSES", 2))
ROUNDS = int(os.environ.get("BENCH_NLP_ROUNDS", 3))


def _rows(count: int) -> list[dict[str, Any]]:
    from benchmarks.week import Week, sample_sentences

    week = Week(sample_sentences(), count)
    rows = []
    for index in range(count):
        article = week.article(index)
        rows.append({"id": index, "url": f"https://bench.example/{index}",
                     "source": f"Outlet {article['feed']}", "content_hash": str(index),
                     "title": article["title"],
                     "published": article["published"].strftime("%Y-%m-%dT%H:%M:%SZ"),
                     "clean_text": article["title"] + "\n" + "\n".join(article["body"])})
    return rows


def _worker(side: str, rows: list[dict[str, Any]]) -> tuple[int, float, float]:
    """benchmarks/week.py's worker (CPU seconds for ``rows``), plus this process's peak
    resident memory in MB."""
    from benchmarks.week import _nlp_worker

    done, seconds = _nlp_worker(side, rows)
    return done, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def per_core(count: int = NLP_ARTICLES, processes: int = PROCESSES,
             rounds: int = ROUNDS) -> dict[str, Any]:
    """Per-core rates of both sides, the rounds' ratios and their median, and each
    side's largest peak memory summed over its workers."""
    rows = _rows(count)
    shards = [rows[i::processes] for i in range(processes)]
    context = multiprocessing.get_context("spawn")
    ratios: list[float] = []
    totals = {"ner": [0, 0.0], "full": [0, 0.0]}
    memory = {"ner": 0.0, "full": 0.0}
    for round_ in range(rounds):
        rates = {}
        for side in (("ner", "full") if round_ % 2 == 0 else ("full", "ner")):
            with context.Pool(processes) as pool:
                done = pool.starmap(_worker, [(side, shard) for shard in shards])
            rates[side] = sum(d[0] for d in done) / sum(d[1] for d in done)
            totals[side][0] += sum(d[0] for d in done)
            totals[side][1] += sum(d[1] for d in done)
            memory[side] = max(memory[side], sum(d[2] for d in done))
        ratios.append(rates["full"] / rates["ner"])
    ordered = sorted(ratios)
    return {"articles": count, "processes": processes, "rounds": rounds,
            "ner_per_core": totals["ner"][0] / totals["ner"][1],
            "full_per_core": totals["full"][0] / totals["full"][1],
            "ratio": ordered[len(ordered) // 2], "ratios": ratios, "memory": memory}


def _analyse(count: int, queue) -> None:
    from aiwire.nlp.analyze import analyze
    from aiwire.store import Store, utcnow

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        with store.transaction():
            for row in _rows(count):
                store.insert_article({
                    "url": row["url"], "original_url": row["url"],
                    "feed_id": row["source"], "source": row["source"], "title": row["title"],
                    "published": row["published"], "fetched_at": utcnow(),
                    "text": row["clean_text"], "clean_text": row["clean_text"],
                    "content_hash": row["content_hash"], "relevant": 1})
        started = time.perf_counter()
        report = analyze(store)
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = analyze(store)
        second = time.perf_counter() - started
        queue.put((first, second, report.analysed, again.skipped_model, report.stories))
        store.close()


def _stage(count: int) -> tuple:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_analyse, args=(count, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def run(console) -> list[dict]:
    console.print(f"  per core: {NLP_ARTICLES} articles, {PROCESSES} processes a side, "
                  f"{ROUNDS} rounds ...")
    found = per_core()
    spread = ", ".join(f"{r:.2f}" for r in found["ratios"])
    rows = [
        {"run": f"bare NER (nlp.pipe, ner only), {PROCESSES} processes",
         "articles/s per core": f"{found['ner_per_core']:.2f}",
         "peak MB (workers summed)": f"{found['memory']['ner']:.0f}", "ratio": "1.00"},
        {"run": f"aiwire analysis (analyse_batch's work), {PROCESSES} processes",
         "articles/s per core": f"{found['full_per_core']:.2f}",
         "peak MB (workers summed)": f"{found['memory']['full']:.0f}",
         "ratio": f"median {found['ratio']:.2f} of {ROUNDS} rounds ({spread}); "
                  "target >= 0.80"},
    ]
    if ARTICLES:
        console.print(f"  analyse stage: {ARTICLES} articles into a fresh store ...")
        first, second, analysed, skipped, stories = _stage(ARTICLES)
        rows.append({"run": f"analyse stage, {analysed} articles (wall, with store "
                            "writes, stories, contradictions)",
                     "articles/s per core": f"{analysed / first:.1f} articles/s wall",
                     "peak MB (workers summed)": "-", "ratio": f"{first:.1f} s"})
        rows.append({"run": f"analyse again, nothing new (model loaded: {not skipped})",
                     "articles/s per core": "-", "peak MB (workers summed)": "-",
                     "ratio": f"{second:.2f} s, {stories} stories"})
    return rows
