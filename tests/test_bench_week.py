"""benchmarks/week.py: its parts, quickly (the whole benchmark runs under `make bench`)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root: benchmarks/

from benchmarks.week import FEEDS, Week, _feed, _page, _tree_rss_kb, summarise  # noqa: E402


def test_tree_memory_counts_the_workers():
    alone = _tree_rss_kb(os.getpid())
    child = subprocess.Popen([sys.executable, "-c",
                              "b = bytearray(150 * 1024 * 1024); import time; time.sleep(30)"])
    try:
        deadline = time.monotonic() + 20
        while _tree_rss_kb(os.getpid()) < alone + 120 * 1024:
            assert time.monotonic() < deadline, "the child's memory was never counted"
            time.sleep(0.1)
    finally:
        child.kill()
        child.wait()


def test_week_is_deterministic_one_week_and_incidents_share_facts():
    sentences = [f"Sentence number {i} says something about model weights and a breach."
                 for i in range(200)]
    week, again = Week(sentences, 300), Week(sentences, 300)
    assert [week.article(i) for i in range(300)] == [again.article(i) for i in range(300)]
    stamps = {week.article(i)["published"].strftime("%G-W%V") for i in range(300)}
    assert stamps == {"2026-W47"}
    a, b = [i for i in range(300) if week.incident_of[i] == week.incident_of[0]][:2]
    first, second = set(week.article(a)["body"]), set(week.article(b)["body"])
    assert len(first & second) < len(first) * 0.6          # related, never copies
    assert b"<article>" in _page(week.article(0))
    feed = _feed(week, "http://127.0.0.1:1", 3, 300)
    assert feed.count(b"<item>") == len(range(3, 300, FEEDS))


def test_summary_reports_every_figure_the_issue_asks_for():
    def result(size, cold, new):
        run = {"seconds": cold, "peak_mb": 300.0, "stages": {"analyse": cold / 2}}
        return {"size": size, "cold": run, "new": dict(run, seconds=new),
                "idle": dict(run, seconds=1.0), "analysed": size, "stories": size // 5}
    rows = summarise([result(1000, 50.0, 5.0), result(4000, 220.0, 6.0)],
                     {"articles": 400, "processes": 2, "rounds": 3, "ner_per_core": 10.0,
                      "full_per_core": 8.5, "ratio": 0.85, "ratios": [0.8, 0.85, 0.9]})
    text = {r["measure"]: r["value"] for r in rows}
    assert text["cold s/article ratio 4000 : 1000"] == "1.10"
    assert text["+10 new ratio 4000 : 1000"] == "1.20"
    assert text["peak RSS ratio 4000 : 1000"] == "1.00"
    assert any("nothing new on 4000" == m for m in text)
    assert any(m.startswith("NLP per core") and "median ratio 0.85" in v and
               v.endswith("(rounds: 0.80, 0.85, 0.90)") for m, v in text.items())


def test_the_new_articles_run_says_where_its_time_went():
    run = {"seconds": 9.0, "peak_mb": 300.0, "stages": {"collect": 1.0, "analyse": 5.0,
                                                         "build": 3.0},
           "counts": {"build": {"files": 1160, "rendered": 40, "reused": 1120}}}
    result = {"size": 1000, "cold": run, "new": run, "idle": run, "analysed": 1000,
              "stories": 200}
    text = {r["measure"]: r["value"] for r in summarise([result], None)}
    assert text["+10 new articles on 1000"] == (
        "9.0 s (collect 1.0; analyse 5.0; build 3.0; rendered 40 of 1160 files)")
