"""Reading fetched pages away from the event loop: text, cleaning, fingerprints.

Everything an article costs in CPU before it is stored (trafilatura extraction, the text
repair of :mod:`.textclean`, SimHash and band keys, relevance, compressing the raw HTML)
is one pure function of the page: :func:`read_page` for a fetched page,
:func:`read_entry` for an article the feed carries. Neither touches the store or the
network, so either runs anywhere, and the collect stage's event loop only fetches and
writes.

:class:`PageReader` reads each page (a :class:`PageJob`) as soon as it is fetched, in a
thread for a handful of pages and, once a run has many, in a small pool of spawned
processes. On threads this work holds the GIL, so it queues behind (and delays) the
event loop's fetching and writing; in processes it runs beside it on the other cores.
Pages cross the process boundary in batches that grow with the load: a page goes to a
worker at once when one is idle, and pages that arrive while every worker is busy go
together (up to ``CHUNK`` per task) when one frees up. Each hand-off wakes threads that
contend for the parent's GIL: one per page costs the event loop about five times more
per page than batches of eight. A worker that dies, or a task that runs so long that a
page must be spinning the extractor, sends its pages back to threads (as before there
was a pool); a page that fails to read is that page's problem only.
"""

from __future__ import annotations

import asyncio
import hashlib
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.connection import wait as wait_for_sentinels
from typing import Any, Union

from aiwire.collector.dedupe import fingerprint
from aiwire.collector.extract import Extracted, decode_html, extract_article
from aiwire.collector.feeds import FeedEntry
from aiwire.collector.relevance import is_relevant
from aiwire.collector.textclean import clean_text
from aiwire.store import compress

POOL_AFTER = 32        # pages a run reads in threads before it starts the process pool
MAX_WORKERS = 3
CHUNK = 8              # most pages one worker task reads
TASK_SECONDS = 30.0    # a worker task (up to CHUNK pages) running longer is taken for stuck
SHUTDOWN_GRACE = 5.0   # seconds a worker may finish its page at the end before it is ended
IDLE_GRACE = 0.3       # ... and an idle one to exit by itself


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Prepared:
    """One article read and fingerprinted: all of its row but ids, URLs and the clock."""

    extracted: Extracted
    clean: str
    simhash: int
    band_keys: list[int]
    relevant: bool
    content_hash: str
    raw_html: bytes | None      # zlib-compressed, as stored (``store.compress``)


def prepare(extracted: Extracted, raw_html: str | None,
            keywords: list[str] | None = None) -> Prepared:
    """The stored form of an extracted article: cleaned text, fingerprints, relevance."""
    title = extracted.title or ""
    body = extracted.text
    if title and not body.lstrip().startswith(title.strip()):
        body = f"{title}\n{body}"     # NLP reads the headline too
    clean = clean_text(body)
    simhash, keys = fingerprint(clean)
    return Prepared(extracted=extracted, clean=clean, simhash=simhash, band_keys=keys,
                    relevant=is_relevant(clean, keywords), content_hash=content_hash(clean),
                    raw_html=compress(raw_html))


def read_page(content: bytes, content_type: str | None, url: str, fallback_title: str,
              keywords: list[str] | None = None) -> Prepared | None:
    """A fetched article page ready to store; None when it has no article text."""
    html = decode_html(content, content_type)
    extracted = extract_article(html, url)
    if extracted is None:
        return None
    if not extracted.title:
        extracted.title = fallback_title or None
    return prepare(extracted, html, keywords)


def wrap(html: str) -> str:
    return f"<html><body><article>{html}</article></body></html>"


def entry_as_extracted(entry: FeedEntry) -> Extracted | None:
    """Text for a feed that carries its articles (full_text: false)."""
    html = entry.content or entry.summary
    if not html:
        return None
    found = extract_article(wrap(html), entry.link)
    text = found.text if found else clean_text(html)
    return Extracted(text=text, title=entry.title or None, author=entry.author or None,
                     published=entry.published)


def read_entry(entry: FeedEntry, keywords: list[str] | None = None) -> Prepared | None:
    """An article the feed itself carries, ready to store; None when it has no text."""
    extracted = entry_as_extracted(entry)
    if extracted is None:
        return None
    raw = entry.content or entry.summary
    return prepare(extracted, wrap(raw) if raw else None, keywords)


@dataclass
class PageJob:
    """One page to read: a fetched page (``content``) or an ``entry`` the feed carries."""

    url: str                         # the page's final URL (a fetched page)
    title: str = ""                  # the feed entry's title: used when the page has none
    keywords: list[str] | None = None
    content: bytes = b""
    content_type: str | None = None
    entry: FeedEntry | None = None   # an article the feed carries (full_text: false)


# What reading a page gives: the article, None (no article text), or a problem (str).
PageRead = Union[Prepared, None, str]


def read_job(job: PageJob) -> Prepared | None:
    if job.entry is not None:
        return read_entry(job.entry, job.keywords)
    return read_page(job.content, job.content_type, job.url, job.title, job.keywords)


def read_jobs(jobs: list[PageJob]) -> list[PageRead]:
    """Each job read in turn; a page that raises becomes a problem, never stops the rest."""
    out: list[PageRead] = []
    for job in jobs:
        try:
            out.append(read_job(job))
        except Exception as exc:  # noqa: BLE001 - reported as the page's problem
            out.append(f"the page could not be read ({type(exc).__name__}: {exc})")
    return out


def _warm_up() -> None:
    """Each worker compiles the relevance patterns once, before its first page."""
    is_relevant("")


class _PoolFailed(Exception):
    """The pool could not read a batch (a worker died, or it was shut down)."""


class PageReader:
    """Reads pages (:func:`read_jobs`) off the event loop, each as soon as it is fetched.

    The first ``pool_after`` pages of a run are read in threads (a pool costs a second or
    so to start, more than a handful of pages), unless the run :meth:`expect` s more than
    that: then none is, and the parent never pays the extractor's warm-up (lazy imports,
    the relevance patterns) that the workers pay anyway. The rest are read in
    ``workers`` spawned processes (spawned, not forked: the parent holds threads and
    sockets that a fork would copy mid-state), at most one task per worker in flight,
    the pages that wait meanwhile going together, up to ``CHUNK`` per task.
    ``pool_after=None`` keeps every page on threads; so does a one-core machine unless
    ``workers`` is given. Use as a context manager, or call :meth:`close`: the pool
    never outlives the stage.
    """

    def __init__(self, *, pool_after: int | None = POOL_AFTER,
                 workers: int | None = None) -> None:
        cpus = os.cpu_count() or 1
        # one core stays with the event loop (fetching, parsing feeds, writing)
        self.workers = (workers if workers is not None
                        else max(1, min(MAX_WORKERS, cpus - 1)))
        self.pool_after = pool_after if (workers is not None or cpus > 1) else None
        self.pooled = 0            # pages read in the process pool
        self.threaded = 0          # pages read in threads
        self.tasks = 0             # tasks (batches of pages) sent to the pool
        self._seen = 0
        self._expected = 0
        self._pool: ProcessPoolExecutor | None = None
        self._broken = False
        self._closed = False
        self._waiting: list[tuple[PageJob, asyncio.Future]] = []
        self._in_flight = 0

    def __enter__(self) -> "PageReader":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def expect(self, pages: int) -> None:
        """``pages`` more pages are coming (a feed's new entries), to decide early."""
        self._expected += pages

    def _pool_now(self) -> ProcessPoolExecutor | None:
        self._seen += 1
        if (self._broken or self._closed or self.pool_after is None or self.workers < 1
                or max(self._seen, self._expected) <= self.pool_after):
            return None
        if self._pool is None:
            try:
                self._pool = ProcessPoolExecutor(
                    self.workers, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_warm_up)
            except Exception:  # noqa: BLE001 - no processes here (no semaphores, limits)
                self._broken = True
                return None
        return self._pool

    async def read(self, job: PageJob) -> PageRead:
        """What ``job`` reads to: the article, None (no text), or the page's problem."""
        if self._pool_now() is not None:
            waiting = asyncio.get_running_loop().create_future()
            self._waiting.append((job, waiting))
            self._send_waiting()
            try:
                read = await waiting
            except _PoolFailed:
                pass                    # read here instead
            else:
                self.pooled += 1
                return read
        self.threaded += 1
        return (await asyncio.to_thread(read_jobs, [job]))[0]

    def _send_waiting(self) -> None:
        """Hand waiting pages to the workers that are free, up to ``CHUNK`` per task."""
        self._waiting = [(job, waiting) for job, waiting in self._waiting
                         if not waiting.done()]        # cancelled: over the budget
        while self._waiting and self._in_flight < self.workers:
            batch, self._waiting = self._waiting[:CHUNK], self._waiting[CHUNK:]
            try:
                if self._pool is None:
                    raise RuntimeError("the page pool is closed")
                sent = asyncio.wrap_future(self._pool.submit(read_jobs,
                                                             [job for job, _ in batch]))
            except Exception:  # noqa: BLE001 - broken or shut down: read in threads
                self._broken = True
                self._fail(batch + self._waiting)
                self._waiting = []
                return
            self._in_flight += 1
            self.tasks += 1
            timer = asyncio.get_running_loop().call_later(TASK_SECONDS, self._stuck, sent)
            sent.add_done_callback(lambda done, batch=batch, timer=timer:
                                   self._delivered(done, batch, timer))

    def _stuck(self, sent: asyncio.Future) -> None:
        """A task ran past ``TASK_SECONDS``: with one worker it would hold every later page
        of the run. The pool is dropped and its workers ended; its pages and the rest of
        the run are read in threads."""
        if sent.done():
            return
        self._broken = True
        pool, self._pool = self._pool, None
        if pool is not None:
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.terminate()
            pool.shutdown(wait=False, cancel_futures=True)

    def _delivered(self, done: asyncio.Future, batch: list[tuple[PageJob, asyncio.Future]],
                   timer: asyncio.TimerHandle) -> None:
        timer.cancel()
        self._in_flight -= 1
        if done.cancelled() or done.exception() is not None:
            # a worker died (killed, out of memory) or the pool was shut down: these
            # pages and the rest of the run are read in threads
            self._broken = True
            self._fail(batch + self._waiting)
            self._waiting = []
            return
        for (_job, waiting), read in zip(batch, done.result()):
            if not waiting.done():
                waiting.set_result(read)
        self._send_waiting()

    @staticmethod
    def _fail(batch: list[tuple[PageJob, asyncio.Future]]) -> None:
        for _job, waiting in batch:
            if not waiting.done():
                waiting.set_exception(_PoolFailed())

    def close(self) -> None:
        """Stop the pool and reap its workers before returning.

        Pages still waiting are dropped (their feeds ran out of time). A worker reading a
        page gets ``SHUTDOWN_GRACE`` seconds, an idle or still-starting one
        ``IDLE_GRACE``; then it is ended rather than waited for, so a page that makes the
        extractor spin cannot hold the run at its end.
        """
        self._closed = True
        self._fail(self._waiting)
        self._waiting = []
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        manager = getattr(pool, "_executor_manager_thread", None)
        pool.shutdown(wait=False, cancel_futures=True)
        grace = SHUTDOWN_GRACE if self._in_flight else IDLE_GRACE
        deadline = time.monotonic() + grace
        running = {sentinel: p for p in processes if (sentinel := _sentinel(p)) is not None}
        while running:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            for ended in wait_for_sentinels(list(running), left):
                running.pop(ended, None)
        for process in running.values():
            process.terminate()
        if manager is not None:
            manager.join(SHUTDOWN_GRACE)    # it joins (reaps) every worker, then ends


def _sentinel(process: Any) -> int | None:
    try:
        return process.sentinel
    except ValueError:          # closed meanwhile by the pool's own bookkeeping
        return None
