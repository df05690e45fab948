"""The collect stage: every feed in feeds.yaml to articles in the store.

Feeds are fetched concurrently through the one :class:`HttpClient`, and so are the
article pages of one feed (within the client's per-host limits); pages are read (text,
cleaning, fingerprints) off the event loop by a :class:`PageReader`, in threads or, for
many pages, in worker processes. A feed's articles are then written in the feed's order,
each one atomic (a savepoint) and the feed's batch committed together: one commit per
feed, not per article. A crash loses at most the articles in hand (fetched, not yet
committed), never one already stored; the feed's validators are only updated after its
batch is committed, so the next run fetches what was lost. A feed that fails is recorded
with its reason and never stops the others. Time budgets bound the stage: no feed takes
longer than ``feed_budget_seconds``, the whole stage no longer than
``run_budget_seconds``; a page that used up its budget is skipped for a back-off period
(:mod:`.backoff`). Storage faults (disk full, a corrupt database) are not a feed's
failure: they stop the stage.
"""

from __future__ import annotations

import asyncio
import errno
import hashlib
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from aiwire.collector.backoff import PageBackoff
from aiwire.collector.dedupe import (backfill, candidates, find_near_duplicate,
                                     index_article, unindex_article)
from aiwire.collector.extract import Extracted, decode_html, extract_article, extract_plain
from aiwire.collector.feeds import FeedEntry, parse_feed
from aiwire.collector.http import FetchError, FetchResult, HttpClient
from aiwire.collector.pages import (PageJob, PageRead, PageReader, Prepared, content_hash,
                                    prepare)
from aiwire.collector.relevance import second_look
from aiwire.collector.urls import canonical_url
from aiwire.config import FeedConfig, FeedsFile
from aiwire.errors import InputError
from aiwire.store import Store, utcnow
from aiwire.timeutil import format_utc

# content_hash and PageReader moved to .pages; importers of this module still find them
__all__ = ["ArticleWriter", "CollectReport", "FeedReport", "PageReader", "collect",
           "collect_async", "collect_feed", "content_hash", "import_files"]


@dataclass
class FeedReport:
    feed_id: str
    status: str = "ok"            # ok | unchanged | degraded | failed
    new_articles: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)
    backed_off: int = 0           # pages skipped: over their time budget on a past run
    over_budget: int = 0          # pages that ran over the time budget on this run
    consecutive_failures: int = 0  # health after this run, from the store
    last_success: str | None = None

    @property
    def health(self) -> str:
        if self.consecutive_failures:
            return (f"{self.consecutive_failures} failure(s) in a row, last ok "
                    f"{self.last_success or 'never'}")
        return "ok"


@dataclass
class CollectReport:
    feeds: list[FeedReport] = field(default_factory=list)

    @property
    def failed(self) -> list[FeedReport]:
        return [feed for feed in self.feeds if feed.status == "failed"]

    @property
    def new_articles(self) -> int:
        return sum(feed.new_articles for feed in self.feeds)


class ArticleWriter:
    """Stores articles, resolving near-duplicates so the earliest copy is the original."""

    def __init__(self, store: Store) -> None:
        self.store = store
        backfill(store)   # near-duplicate candidates come from the band index (dedupe.py)
        # Every stored URL, canonical and as linked: `known` runs for every feed entry on
        # every run, and articles.original_url has no index (a table scan each time).
        self.urls: set[str] = set()
        for row in store.rows("SELECT url, original_url FROM articles"):
            self.urls.update((row["url"], row["original_url"]))

    def _text(self, article_id: int) -> str:
        return self.store.scalar("SELECT clean_text FROM articles WHERE id = ?",
                                 (article_id,)) or ""

    def known(self, url: str) -> bool:
        return url in self.urls

    def write(self, *, url: str, original_url: str, feed: FeedConfig | None, source: str,
              extracted: Extracted, raw_html: str | None, summary: str = "",
              published: str | None = None, keywords: list[str] | None = None
              ) -> int | None:
        """Store one article atomically; None if its URL is already stored."""
        if url in self.urls:
            return None         # another feed stored the same page meanwhile
        return self.add(prepare(extracted, raw_html, keywords), url=url,
                        original_url=original_url, feed=feed, source=source,
                        summary=summary, published=published)

    def add(self, prepared: Prepared, *, url: str, original_url: str,
            feed: FeedConfig | None, source: str, summary: str = "",
            published: str | None = None) -> int | None:
        """Store one article read by :mod:`.pages`, atomically: in its own transaction,
        or as a savepoint inside a :meth:`batch`. None if its URL is already stored."""
        if url in self.urls:
            return None         # another feed stored the same page meanwhile
        extracted = prepared.extracted
        record = {
            "url": url, "original_url": original_url, "feed_id": feed.id if feed else None,
            "source": source, "title": extracted.title or "", "author": extracted.author,
            "published": extracted.published or published or utcnow(),
            "fetched_at": utcnow(), "site_name": extracted.site_name,
            "language": extracted.language, "summary": summary,
            "raw_html": prepared.raw_html, "text": extracted.text,
            "clean_text": prepared.clean, "content_hash": prepared.content_hash,
            "simhash": prepared.simhash, "relevant": int(prepared.relevant),
        }
        with self._atomic():
            article_id = self._insert(record, prepared.clean, prepared.simhash,
                                      prepared.band_keys)
        self.urls.update((url, original_url))
        return article_id

    @contextmanager
    def _atomic(self) -> Iterator[None]:
        """One article: its own transaction, or a savepoint inside a batch."""
        conn = self.store.conn
        if not conn.in_transaction:
            with self.store.transaction():
                yield
            return
        conn.execute("SAVEPOINT article")
        try:
            yield
        except BaseException:
            if conn.in_transaction:     # SQLite may have rolled back by itself
                conn.execute("ROLLBACK TO article")
                conn.execute("RELEASE article")
            raise
        conn.execute("RELEASE article")

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Articles written inside are committed together: one commit (one WAL append of
        each touched page) for a feed's batch instead of one per article.

        Each article stays atomic (:meth:`_atomic`). When something other than a storage
        fault stops the batch, the articles written before it are still committed, as
        they were when every article had its own transaction; a storage fault rolls the
        batch back (those articles were in hand, not stored, and the stage stops).
        """
        conn = self.store.conn
        if conn.in_transaction:
            yield
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK" if is_storage_fault(exc) else "COMMIT")
            raise
        conn.execute("COMMIT")

    def _insert(self, record: dict, clean: str, fingerprint: int, keys: list[int]) -> int:
        duplicate = find_near_duplicate(fingerprint, clean, candidates(self.store, keys),
                                        self._text)
        if duplicate is None:
            article_id = self.store.insert_article(record)
            index_article(self.store, article_id, keys)
            return article_id
        other = self.store.rows("SELECT id, published, url FROM articles WHERE id = ?",
                                (duplicate,))[0]
        if (record["published"], record["url"]) < (other["published"], other["url"]):
            # The newcomer is the earlier copy: it becomes the original.
            article_id = self.store.insert_article(record)
            self.store.conn.execute(
                "UPDATE articles SET duplicate_of = ? WHERE id = ? OR duplicate_of = ?",
                (article_id, duplicate, duplicate))
            unindex_article(self.store, duplicate)
            index_article(self.store, article_id, keys)
            return article_id
        record["duplicate_of"] = duplicate
        return self.store.insert_article(record)


# errno values that mean the disk, not the network: never one feed's failure
STORAGE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO}


def is_storage_fault(exc: BaseException) -> bool:
    """A fault of the store or the disk, which must stop the run rather than fail a feed."""
    if isinstance(exc, sqlite3.Error):
        return True
    return isinstance(exc, OSError) and exc.errno in STORAGE_ERRNOS


async def collect_feed(client: HttpClient, store: Store, writer: ArticleWriter,
                       feed: FeedConfig, limit: int, in_flight: set[str] | None = None,
                       *, budget: float = 120.0, backoff: PageBackoff | None = None,
                       reader: PageReader | None = None) -> FeedReport:
    """One feed: conditional fetch, parse, its new pages fetched concurrently, then each
    new article written in the feed's order (one commit for the feed's batch).

    ``budget`` (seconds) bounds the whole feed. When it runs out, pages still on the wire
    are over budget and backed off; pages still queued behind them are retried next run.
    The feed's new validators (ETag, Last-Modified, content hash) are only stored once
    every entry was handled or failed for good; after a transient article failure, or
    while a page is backed off, the old ones stay, which no longer match, so the next run
    re-reads the feed and retries the missing articles when their time comes.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + budget
    report = FeedReport(feed.id)
    in_flight = set() if in_flight is None else in_flight
    backoff = backoff or PageBackoff(store, 14.0)
    reader = reader or PageReader(pool_after=None)     # threads only: nothing to close
    store.upsert_feed(feed.id, feed.name, feed.url)
    state = store.feed(feed.id) or {}
    try:
        result = await asyncio.wait_for(
            client.fetch(feed.url, etag=state.get("etag"),
                         last_modified=state.get("last_modified")),
            max(0.0, deadline - loop.time()))
    except (FetchError, asyncio.TimeoutError) as exc:
        reason = (exc.reason if isinstance(exc, FetchError)
                  else f"feed not fetched within its time budget ({budget:g}s left)")
        report.status = "failed"
        report.errors.append(reason)
        store.record_feed_result(feed.id, ok=False, status="failed", error=reason)
        return _with_health(report, store)
    if result.not_modified:
        report.status = "unchanged"
        store.record_feed_result(feed.id, ok=True, status="unchanged")
        return _with_health(report, store)
    digest = hashlib.sha256(result.content).hexdigest()
    if digest == state.get("content_hash"):
        report.status = "unchanged"
        store.record_feed_result(feed.id, ok=True, status="unchanged", etag=result.etag,
                                 last_modified=result.last_modified)
        return _with_health(report, store)
    parsed = parse_feed(result.content, result.url, result.content_type)
    if parsed.degraded:
        report.status = "degraded" if parsed.entries else "failed"
        report.errors.append(parsed.degraded)
    todo: list[tuple[FeedEntry, str]] = []
    for entry in parsed.entries[:limit]:
        url = canonical_url(entry.link)
        if url in in_flight or writer.known(url):
            report.skipped += 1
            continue
        until = backoff.until(url)
        if until is not None:
            report.skipped += 1
            report.backed_off += 1
            continue
        in_flight.add(url)
        todo.append((entry, url))
    try:
        retry_later = await _fetch_and_store(client, writer, reader, feed, todo, report,
                                             backoff, deadline, budget)
    finally:
        in_flight.difference_update(url for _entry, url in todo)
    if report.errors and report.status == "ok":
        report.status = "degraded"
    ok = report.status != "failed"
    # a page skipped or over budget keeps the feed un-validated too: the feed (one cheap
    # request) is re-read every run, so the page is tried again once its back-off ends
    keep = ok and not retry_later and not (report.backed_off or report.over_budget)
    store.record_feed_result(feed.id, ok=ok, status=report.status,
                             error="; ".join(report.errors[:3]) or None,
                             etag=result.etag if keep else None,
                             last_modified=result.last_modified if keep else None,
                             content_hash=digest if keep else None)
    return _with_health(report, store)


async def _fetch_and_store(client: HttpClient, writer: ArticleWriter, reader: PageReader,
                           feed: FeedConfig, todo: list[tuple[FeedEntry, str]],
                           report: FeedReport, backoff: PageBackoff, deadline: float,
                           budget: float) -> bool:
    """Fetch and read the pages of ``todo`` concurrently until ``deadline``, then store
    them in order, in one batch; True if some page failed in a way worth retrying next
    run."""
    if not todo:
        return False
    reader.expect(len(todo))
    loop = asyncio.get_running_loop()
    tasks = [asyncio.create_task(_read_entry(client, reader, feed, entry))
             for entry, _url in todo]
    _done, pending = await asyncio.wait(tasks, timeout=max(0.0, deadline - loop.time()))
    on_the_wire = set(client.in_progress)   # what used the budget up
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    with writer.batch():        # no await inside: other feeds never write in between
        return _store_all(writer, feed, todo, tasks, report, backoff, on_the_wire, budget)


def _store_all(writer: ArticleWriter, feed: FeedConfig, todo: list[tuple[FeedEntry, str]],
               tasks: list[asyncio.Task], report: FeedReport, backoff: PageBackoff,
               on_the_wire: set[str], budget: float) -> bool:
    """Record each page of ``todo`` in order: stored, known, backed off or a problem;
    True if some page failed in a way worth retrying next run."""
    retry_later = False
    for (entry, url), task in zip(todo, tasks):
        if task.cancelled():
            if entry.link in on_the_wire:
                until = backoff.record(url, feed.id, f"over the feed's time budget of "
                                                     f"{budget:g}s")
                report.over_budget += 1
                report.errors.append(f"{entry.link}: over the feed's time budget of "
                                     f"{budget:g}s; skipped until {until}")
            else:
                retry_later = True
                report.errors.append(f"{entry.link}: not reached within the feed's time "
                                     f"budget of {budget:g}s; tried again next run")
            continue
        error = task.exception()
        if isinstance(error, FetchError):
            if error.over_budget:
                until = backoff.record(url, feed.id, error.reason)
                report.over_budget += 1
                report.errors.append(f"{entry.link}: {error.reason}; skipped until {until}")
            else:
                report.errors.append(f"{entry.link}: {error.reason}")
                retry_later = retry_later or error.transient
            continue
        if error is not None:
            raise error
        page, read = task.result()
        outcome = _store_entry(writer, feed, entry, url, page, read)
        if outcome == "new":
            report.new_articles += 1
            backoff.clear(url)      # a page once over budget came in full
        elif outcome == "known":
            report.skipped += 1
        else:
            report.errors.append(f"{entry.link}: {outcome}")
    return retry_later


async def _read_entry(client: HttpClient, reader: PageReader, feed: FeedConfig,
                      entry: FeedEntry) -> tuple[FetchResult | None, PageRead]:
    """Fetch (full_text) or take one entry's article, and read it; nothing is written."""
    if not feed.full_text:
        return None, await reader.read(PageJob(entry.link, entry.title, feed.keywords,
                                               entry=entry))
    page = await client.fetch(entry.link)
    return page, await reader.read(PageJob(page.url, entry.title, feed.keywords,
                                           page.content, page.content_type))


def _store_entry(writer: ArticleWriter, feed: FeedConfig, entry: FeedEntry, url: str,
                 page: FetchResult | None, read: PageRead) -> str:
    """Store one read entry: "new", "known" or a problem."""
    if page is not None:
        final = canonical_url(page.url)
        if final != url and writer.known(final):
            return "known"          # a redirect to a page we already have
    if isinstance(read, str):
        return read                 # the page could not be read
    if read is None:
        return "no article text found"
    stored = writer.add(read, url=url, original_url=entry.link, feed=feed,
                        source=feed.name, summary=entry.summary, published=entry.published)
    return "new" if stored is not None else "known"


def _with_health(report: FeedReport, store: Store) -> FeedReport:
    state = store.feed(report.feed_id) or {}
    report.consecutive_failures = state.get("consecutive_failures") or 0
    report.last_success = state.get("last_success")
    return report


async def collect_async(config: FeedsFile, store: Store,
                        on_feed_done: Callable[[FeedReport], None] | None = None,
                        *, reader: PageReader | None = None) -> CollectReport:
    """Collect every feed. ``reader`` reads the pages; one made here is closed here, one
    passed in is the caller's to close."""
    if reader is None:
        with PageReader() as own:
            return await collect_async(config, store, on_feed_done, reader=own)
    settings = config.settings
    writer = ArticleWriter(store)
    backoff = PageBackoff(store, settings.page_backoff_days)
    report = CollectReport()
    last_before = store.scalar("SELECT max(id) FROM articles") or 0
    loop = asyncio.get_running_loop()
    run_deadline = loop.time() + settings.run_budget_seconds
    async with HttpClient(user_agent=settings.user_agent,
                          allow_private_networks=settings.allow_private_networks,
                          timeout=settings.timeout_seconds, max_bytes=settings.max_bytes,
                          concurrency=settings.concurrency,
                          per_host_concurrency=settings.per_host_concurrency,
                          per_host_interval=settings.per_host_interval_seconds) as client:

        in_flight: set[str] = set()     # URLs being fetched now, by any feed

        async def one(feed: FeedConfig) -> FeedReport:
            budget = min(settings.feed_budget_seconds, run_deadline - loop.time())
            try:
                done = await collect_feed(client, store, writer, feed,
                                          settings.max_articles_per_feed, in_flight,
                                          budget=max(0.0, budget), backoff=backoff,
                                          reader=reader)
            except Exception as exc:  # a broken feed must never stop the others
                if is_storage_fault(exc):
                    raise               # the disk or the database: stop the run (exit 3)
                done = FeedReport(feed.id, status="failed",
                                  errors=[f"{type(exc).__name__}: {exc}"])
                store.record_feed_result(feed.id, ok=False, status="failed",
                                         error=done.errors[0])
                _with_health(done, store)
            if on_feed_done:
                on_feed_done(done)
            return done

        results = await asyncio.gather(*(one(feed) for feed in config.feeds))
    # pages about an AI system that only other reports of the run name as one
    second_look(store, last_before, {f.id: f.keywords for f in config.feeds if f.keywords})
    report.feeds = list(results)
    return report


def collect(config: FeedsFile, store: Store,
            on_feed_done: Callable[[FeedReport], None] | None = None,
            *, reader: PageReader | None = None) -> CollectReport:
    return asyncio.run(collect_async(config, store, on_feed_done, reader=reader))


def import_files(path: Path, store: Store) -> int:
    """Import pages an editor saved by hand: .html/.htm/.txt files or a folder of them."""
    if not path.exists():
        raise InputError("no such file or folder", path=str(path),
                         fix="pass a saved .html/.txt file or a folder of them")
    files = sorted(p for p in ([path] if path.is_file() else path.rglob("*"))
                   if p.is_file() and p.suffix.lower() in (".html", ".htm", ".txt"))
    if not files:
        raise InputError("no .html, .htm or .txt files here", path=str(path),
                         fix="save pages with one of these extensions")
    writer = ArticleWriter(store)
    added = 0
    for file in files:
        url = file.resolve().as_uri()
        if writer.known(url):
            continue
        raw = decode_html(file.read_bytes())
        if file.suffix.lower() == ".txt":
            extracted, html = extract_plain(raw), None
        else:
            extracted, html = extract_article(raw, url), raw
        if extracted is None:
            continue
        stamp = datetime.fromtimestamp(file.stat().st_mtime, timezone.utc)
        stored = writer.write(url=url, original_url=url, feed=None, source="Imported",
                              extracted=extracted, raw_html=html,
                              published=format_utc(stamp))
        added += stored is not None
    return added
