"""Outlet pages are paginated by week: the newest week on the outlet's page, one page per
week, and a new week renders no older week's page again."""

from __future__ import annotations

import re
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repo root: benchmarks/

from benchmarks.site import Corpus  # noqa: E402

from aiwire.site.render import build  # noqa: E402
from aiwire.store import Store  # noqa: E402

WEEK_LINK = re.compile(r'href="\.\./\.\./outlets/([\w-]+)/(\d{4}-W\d{2})/index\.html"')


def test_outlet_pages_by_week(tmp_path):
    store = Store(tmp_path / "outlets.db")
    corpus = Corpus(store, outlets=3)
    corpus.fill(articles=160, stories=20)
    out = tmp_path / "public"
    build(store, out)
    outlet = "outlet-01"
    page = (out / "outlets" / outlet / "index.html").read_text("utf-8")
    weeks = sorted({w for o, w in WEEK_LINK.findall(page) if o == outlet}, reverse=True)
    assert len(weeks) >= 6                               # eight weeks of synthetic news
    rows = store.rows("SELECT url, published FROM articles WHERE feed_id = ?", (outlet,))
    newest = weeks[0]
    for row in rows:      # the outlet page lists exactly its newest week's reports
        in_newest = _week(row["published"]) == newest
        assert (row["url"] in page) == in_newest, row
    for week in weeks:
        week_page = (out / "outlets" / outlet / week / "index.html").read_text("utf-8")
        listed = {r["url"] for r in rows if r["url"] in week_page}
        assert listed == {r["url"] for r in rows if _week(r["published"]) == week}
    before = {w: (out / "outlets" / outlet / w / "index.html").read_bytes() for w in weeks}

    # a report in a new, later week: only the outlet page and the new week's page change
    later = max(corpus.story_start.values()) + timedelta(days=21)
    corpus.story_entities["story-late"] = corpus._entity_pool()
    corpus.story_start["story-late"] = later
    corpus.rng.seed(5)
    rows_new = corpus._article_rows("story-late", later)
    stamp = later.strftime("%Y-%m-%dT%H:%M:%SZ")
    rows_new["articles"] = [(*a[:3], outlet, "Outlet 01 News", *a[5:]) for a in
                            rows_new["articles"]]
    corpus._write({"stories": [("story-late", "Late incident", "[]", stamp, stamp, None, 0.0)],
                   **rows_new})
    report = build(store, out)
    rendered = {p for p in report.rendered if p.startswith(f"outlets/{outlet}/")}
    assert rendered == {f"outlets/{outlet}/index.html",
                        f"outlets/{outlet}/{later.strftime('%G-W%V')}/index.html"}
    assert {w: (out / "outlets" / outlet / w / "index.html").read_bytes()
            for w in weeks} == before
    store.close()


def _week(stamp: str) -> str:
    from aiwire.timeutil import parse_time

    return parse_time(stamp).strftime("%G-W%V")
