"""Analyse-stage throughput against bare spaCy NER on the same texts, same run.

2,000 articles are made by recombining the bundled sample's sentences (fixed seed).
The baseline is ``nlp.pipe`` with the model's NER alone; the measured run is the whole
analyse stage (KB ruler, NER, linking, selective parsing, figures, claims, techniques,
writes, stories, contradictions) into a fresh SQLite store. Each run happens in its own
process so peak memory (ru_maxrss) is its own. Target: analyse >= 70% of the baseline.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import re
import resource
import tempfile
import time
from pathlib import Path

ARTICLES = int(os.environ.get("BENCH_ARTICLES", 2000))
SEED = 47


def synthetic_texts(count: int = ARTICLES) -> list[str]:
    """Articles of 12-20 sentences drawn from the sample web's article text."""
    from aiwire.collector.extract import extract_article
    from aiwire.collector.textclean import clean_text
    from aiwire.sampleweb import web_root

    sentences: list[str] = []
    for page in sorted(web_root().rglob("*.html")):
        found = extract_article(page.read_text("utf-8"), page.as_uri())
        if found:
            text = clean_text(found.text)
            sentences += [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s) > 40]
    rng = random.Random(SEED)
    texts = []
    for index in range(count):
        body = rng.sample(sentences, rng.randint(12, 20))
        texts.append(f"Synthetic report {index}\n" + "\n".join(body))
    return texts


def _peak_mb() -> float:
    """Peak resident memory of this process plus the largest worker it waited for
    (ru_maxrss of children is the largest one, not a sum: benchmarks/week.py samples
    the whole process tree for a true sum)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def _baseline(texts: list[str], queue) -> None:
    from aiwire.nlp.pipeline import load_ner_only

    from aiwire.nlp.analyze import PARALLEL_FROM

    nlp = load_ner_only()
    # the same number of processes as the analyse stage uses for this many texts: a
    # fair ratio compares like with like (benchmarks/week.py reports it per core)
    processes = 2 if len(texts) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1 else 1
    started = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=64, n_process=processes):
        pass
    queue.put((time.perf_counter() - started, _peak_mb()))


def _analyse(texts: list[str], queue) -> None:
    from aiwire.nlp.analyze import analyze
    from aiwire.store import Store, utcnow

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        with store.transaction():
            for index, text in enumerate(texts):
                week = index % 10
                store.insert_article({
                    "url": f"https://bench.example/{index}", "original_url": "x",
                    "feed_id": f"feed-{index % 20}", "source": f"Outlet {index % 20}",
                    "title": f"Synthetic report {index}",
                    "published": f"2026-{9 + week // 4:02d}-{1 + (week % 4) * 7:02d}T12:00:00Z",
                    "fetched_at": utcnow(), "text": text, "clean_text": text,
                    "content_hash": f"h{index}", "relevant": 1})
        started = time.perf_counter()
        report = analyze(store)
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = analyze(store)
        second = time.perf_counter() - started
        queue.put((first, _peak_mb(),
                   second, report.analysed, again.skipped_model, report.stories))
        store.close()


def _in_process(target, texts):
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(texts, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def run(console) -> list[dict]:
    texts = synthetic_texts()
    words = sum(len(t.split()) for t in texts)
    console.print(f"{len(texts)} synthetic articles, {words} words")
    base_time, base_rss = _in_process(_baseline, texts)
    full_time, full_rss, rerun, analysed, skipped, stories = _in_process(_analyse, texts)
    base_rate = len(texts) / base_time
    full_rate = analysed / full_time
    return [
        {"run": "baseline: nlp.pipe NER only", "articles/s": f"{base_rate:.1f}",
         "seconds": f"{base_time:.1f}", "peak MB (with workers)": f"{base_rss:.0f}", "ratio": "1.00"},
        {"run": "aiwire analyse (all stages)", "articles/s": f"{full_rate:.1f}",
         "seconds": f"{full_time:.1f}", "peak MB (with workers)": f"{full_rss:.0f}",
         "ratio": f"{full_rate / base_rate:.2f} (target >= 0.70)"},
        {"run": f"analyse again, nothing new (model loaded: {not skipped})",
         "articles/s": "-", "seconds": f"{rerun:.2f}", "peak MB (with workers)": "-",
         "ratio": f"{stories} stories"},
    ]
