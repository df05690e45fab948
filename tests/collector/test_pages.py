"""Reading pages off the event loop: the process pool stores exactly what threads store,
a page that fails to read is its own problem, a dead worker hands its pages back, and a
feed's batch keeps every article atomic."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3

import pytest

from aiwire.collector.collect import ArticleWriter, collect
from aiwire.collector.extract import Extracted
from aiwire.collector.feeds import FeedEntry
from aiwire.collector.pages import PageJob, PageReader, Prepared, prepare, read_jobs
from aiwire.store import Store, decompress

from test_collect import OFF_TOPIC, RELEVANT, config_for, page, rss

COLUMNS = ", ".join(f"a.{name}" for name in (
    "original_url", "feed_id", "source", "title", "author", "published", "site_name",
    "language", "summary", "text", "clean_text", "content_hash", "simhash", "relevant"))


WORDS = ["amber", "birch", "cobalt", "delta", "ember", "fjord", "garnet", "harbor",
         "indigo", "juniper", "kelp", "lumen", "marble"]


def _words(n: int) -> str:
    """Forty words of their own for page ``n``: pages that share no passage of text."""
    return " ".join(f"{WORDS[(n * k + k) % len(WORDS)]}{k}" for k in range(40))


def _outlet(server, count: int) -> list[str]:
    """One full-text feed of ``count`` pages (every third off-topic, one a syndicated
    copy of the first) and one feed that carries its articles."""
    server.serve("/robots.txt", "User-agent: *\nAllow: /\n")
    items = []
    for n in range(count):
        n_or_copy = 0 if n == count - 1 else n         # the last page copies the first
        own = _words(n_or_copy)
        theme = OFF_TOPIC if n_or_copy % 3 == 2 else RELEVANT
        paragraphs = [theme[0], f"Case notes: {own}.", theme[1]]
        if n == count - 1:
            paragraphs = paragraphs + ["This report first ran elsewhere."]
        path = f"/a/{n}"
        server.serve(path, page(f"Report {n}: chatbot leak at a bank", paragraphs),
                     headers={"Content-Type": "text/html; charset=utf-8"})
        items.append((f"Report {n}", server.url(path)))
    server.serve("/feed.xml", rss(items))
    carried = "".join(
        f"<item><title>Wire {n}</title><link>{server.url(f'/wire/{n}')}</link>"
        f"<description>&lt;p&gt;{RELEVANT[n % 3]} Wire notes: {_words(n + 20)}.&lt;/p&gt;"
        "</description>"
        "<pubDate>Thu, 19 Nov 2026 08:00:00 GMT</pubDate></item>" for n in range(4))
    server.serve("/wire.xml", '<?xml version="1.0" encoding="utf-8"?><rss version="2.0">'
                 f"<channel><title>Wire</title><link>http://x/</link>{carried}"
                 "</channel></rss>")
    return [server.url("/feed.xml"), server.url("/wire.xml")]


def _stored(store: Store) -> dict[str, tuple]:
    """Every stored article by URL, with its raw HTML, its original's URL and band keys."""
    out = {}
    for row in store.conn.execute(
            f"SELECT a.url, {COLUMNS}, a.raw_html, o.url FROM articles a "
            "LEFT JOIN articles o ON o.id = a.duplicate_of"):
        keys = sorted(k for (k,) in store.conn.execute(
            "SELECT band_key FROM dedupe_bands b JOIN articles a ON a.id = b.article_id "
            "WHERE a.url = ?", (row[0],)))
        out[row[0]] = (*row[1:-2], decompress(row[-2]), row[-1], keys)
    return out


def test_a_batch_of_pages_is_read_in_the_pool_and_stored_as_threads_store_it(server,
                                                                            tmp_path):
    feeds = _outlet(server, 12)
    config = config_for([{"id": "outlet", "url": feeds[0]},
                         {"id": "wire", "url": feeds[1], "full_text": False}])
    by_threads, by_pool = Store(tmp_path / "threads.db"), Store(tmp_path / "pool.db")
    with PageReader(pool_after=None) as threads:
        first = collect(config, by_threads, reader=threads)
    with PageReader(pool_after=0, workers=2) as pool:
        second = collect(config, by_pool, reader=pool)
        processes = list(pool._pool._processes.values())   # noqa: SLF001 - checked below
    assert (threads.pooled, threads.threaded) == (0, 16)
    assert (pool.pooled, pool.threaded) == (16, 0) and pool.tasks >= 1
    assert first.new_articles == second.new_articles == 16
    assert not any(process.is_alive() for process in processes)   # closed, not leaked
    stored = _stored(by_pool)
    assert stored == _stored(by_threads)
    assert sum(row[-2] is not None for row in stored.values()) == 1     # the copy
    assert {row[13] for row in stored.values()} == {0, 1}               # relevance read
    assert all(row[-1] for url, row in stored.items() if row[-2] is None)


def test_a_page_that_fails_to_read_is_its_own_problem(server):
    good = PageJob("https://x.test/a", "Fallback title", None,
                   page("Bank chatbot leaks data", RELEVANT).encode(), "text/html")
    broken = PageJob("https://x.test/b", entry="not an entry")  # type: ignore[arg-type]
    reads = read_jobs([broken, good])
    assert reads[0].startswith("the page could not be read (AttributeError")
    assert isinstance(reads[1], Prepared) and reads[1].extracted.title

    async def in_the_pool():
        with PageReader(pool_after=0, workers=1) as reader:
            return await asyncio.gather(reader.read(broken), reader.read(good)), reader

    (bad, fine), reader = asyncio.run(in_the_pool())
    assert reader.pooled == 2
    assert bad == reads[0] and fine.clean == reads[1].clean


def test_a_worker_that_dies_hands_its_pages_back_to_threads():
    job = PageJob("https://x.test/a", "", None,
                  page("Bank chatbot leaks data", RELEVANT).encode(), "text/html")

    async def run():
        with PageReader(pool_after=0, workers=1) as reader:
            before = await reader.read(job)
            for process in reader._pool._processes.values():   # noqa: SLF001
                os.kill(process.pid, signal.SIGKILL)
                process.join(10)
            after = await reader.read(job)
            later = await reader.read(job)
            return before, after, later, reader

    before, after, later, reader = asyncio.run(run())
    assert isinstance(before, Prepared)
    assert after == before and later == before
    assert reader.pooled == 1 and reader.threaded == 2


def _prepared(text: str) -> Prepared:
    return prepare(Extracted(text=text, title="A title"), "<p>x</p>")


def test_a_feed_batch_keeps_each_article_atomic(store):
    writer = ArticleWriter(store)
    good = _prepared(" ".join(RELEVANT))
    bad = _prepared(" ".join(OFF_TOPIC))
    bad.simhash = 1 << 70            # cannot be stored: fails inside the article's insert
    with pytest.raises(OverflowError):
        with writer.batch():
            writer.add(good, url="https://x.test/1", original_url="https://x.test/1",
                       feed=None, source="t")
            writer.add(bad, url="https://x.test/2", original_url="https://x.test/2",
                       feed=None, source="t")
    # not a storage fault: what was written before it stays, nothing of it is left
    stored = [r["url"] for r in store.rows("SELECT url FROM articles")]
    assert stored == ["https://x.test/1"]
    assert store.scalar("SELECT count(DISTINCT article_id) FROM dedupe_bands") == 1
    assert not store.conn.in_transaction


def test_a_storage_fault_rolls_the_feed_batch_back(store):
    writer = ArticleWriter(store)
    with pytest.raises(sqlite3.OperationalError):
        with writer.batch():
            writer.add(_prepared(" ".join(RELEVANT)), url="https://x.test/1",
                       original_url="https://x.test/1", feed=None, source="t")
            raise sqlite3.OperationalError("disk I/O error")
    assert store.scalar("SELECT count(*) FROM articles") == 0
    assert not store.conn.in_transaction


def test_feed_entries_read_in_the_pool_match_threads():
    entry = FeedEntry(link="https://x.test/w", title="Wire item",
                      summary=f"<p>{RELEVANT[0]}</p>", published="2026-11-19T08:00:00Z")
    job = PageJob(entry.link, entry.title, None, entry=entry)

    async def run(reader):
        with reader:
            return await reader.read(job)

    pooled = asyncio.run(run(PageReader(pool_after=0, workers=1)))
    threaded = asyncio.run(run(PageReader(pool_after=None)))
    assert isinstance(pooled, Prepared) and pooled == threaded
    assert pooled.extracted.title == "Wire item"


def test_a_run_that_expects_many_pages_uses_the_pool_from_its_first_page():
    job = PageJob("https://x.test/a", "", None,
                  page("Bank chatbot leaks data", RELEVANT).encode(), "text/html")

    async def run():
        with PageReader(pool_after=4, workers=1) as reader:
            small = await reader.read(job)          # one page so far: a thread
            reader.expect(10)                       # feeds announce ten new pages
            big = await reader.read(job)
            return small, big, reader

    small, big, reader = asyncio.run(run())
    assert (reader.threaded, reader.pooled) == (1, 1)
    assert small == big


def test_a_worker_task_that_runs_too_long_sends_its_pages_to_threads(monkeypatch):
    import aiwire.collector.pages as pages

    monkeypatch.setattr(pages, "TASK_SECONDS", 0.0)     # every task is overdue at once
    job = PageJob("https://x.test/a", "", None,
                  page("Bank chatbot leaks data", RELEVANT).encode(), "text/html")

    async def run():
        with PageReader(pool_after=0, workers=1) as reader:
            read = await reader.read(job)
            again = await reader.read(job)
            return read, again, reader

    read, again, reader = asyncio.run(run())
    assert isinstance(read, Prepared) and again == read
    assert (reader.pooled, reader.threaded) == (0, 2)
