"""Cost against history: whole weekly runs (`aiwire run`) at two sizes, one run.

For each size (default 1,000 and 4,000 articles, ``BENCH_WEEK_SIZES=60,120`` for a quick
look) a week of news is served on 127.0.0.1 by a separate process: 100 feeds, every
article dated inside one ISO week, incidents of three to eight reports whose text is
recombined from the bundled sample's sentences (each incident has its own pool of
sentences, so its reports share facts without being copies). Then, each as a real
``python -m aiwire run`` subprocess on the same database:

* a cold run (collect, analyse, curate, build from nothing): seconds per article;
* a run after 10 new articles were added to the feeds;
* a run with nothing new.

Peak RSS is the largest sum of resident memory over the run's whole process tree (the
NLP workers included), sampled every 0.2 s from /proc. Last, the NLP per core: the whole
analysis (``analyse_batch``'s work, no store) against the model's bare NER on the same
texts, both with the same number of processes, as articles per second per process.

Targets (issue "Cost that grows with the work"): cold seconds per article at the larger
size within 1.2x of the smaller; the 10-new run within 1.5x; nothing new under 3 s;
peak RSS within 1.3x; NLP per core at least 0.80 of bare NER.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

SIZES = [int(n) for n in os.environ.get("BENCH_WEEK_SIZES", "1000,4000").split(",")]
NEW_ARTICLES = int(os.environ.get("BENCH_WEEK_NEW", "10"))
NLP_ARTICLES = int(os.environ.get("BENCH_NLP_ARTICLES", "400"))
NLP_PROCESSES = int(os.environ.get("BENCH_NLP_PROCESSES", "2"))
NLP_ROUNDS = int(os.environ.get("BENCH_NLP_ROUNDS", "3"))
FEEDS = 100
WARM_UP = 4          # texts each NLP worker analyses before the clock starts
SEED = 1147
WEEK_START = datetime(2026, 11, 16, tzinfo=timezone.utc)   # Monday of 2026-W47


# --- the synthetic week -----------------------------------------------------------------
def sample_sentences() -> list[str]:
    """Sentences of the bundled sample web's articles (our own invented pages)."""
    from aiwire.collector.extract import extract_article
    from aiwire.collector.textclean import clean_text
    from aiwire.sampleweb import web_root

    found: list[str] = []
    for page in sorted(web_root().rglob("*.html")):
        article = extract_article(page.read_text("utf-8"), page.as_uri())
        if article:
            found += [s for s in re.split(r"(?<=[.!?])\s+", clean_text(article.text))
                      if 40 < len(s) < 400]
    return sorted(set(found))


class Week:
    """Articles 0..n-1 of a synthetic week: deterministic, made on demand."""

    def __init__(self, sentences: list[str], total: int) -> None:
        self.sentences = sentences
        rng = random.Random(SEED)
        self.incident_of: list[int] = []
        incident = 0
        while len(self.incident_of) < total:
            self.incident_of += [incident] * rng.randint(3, 8)
            incident += 1
        del self.incident_of[total:]
        rng.shuffle(self.incident_of)

    def article(self, index: int) -> dict[str, Any]:
        incident = self.incident_of[index]
        pool = random.Random(SEED * 7 + incident).sample(self.sentences, 24)
        rng = random.Random(SEED * 13 + index)
        body = rng.sample(pool, 7) + rng.sample(self.sentences, 5)
        rng.shuffle(body)
        title = " ".join(pool[0].split()[:9]).rstrip(",.;:") + f" (report {index})"
        when = WEEK_START + timedelta(minutes=int(index * 7 * 24 * 60 / max(len(self.incident_of), 1)))
        return {"title": title, "body": body, "published": when, "feed": index % FEEDS}


def _page(article: dict[str, Any]) -> bytes:
    paragraphs = "".join(f"<p>{escape(s)}</p>" for s in article["body"])
    stamp = article["published"].strftime("%Y-%m-%dT%H:%M:%SZ")
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>"
            f"{escape(article['title'])}</title><meta property='article:published_time' "
            f"content='{stamp}'></head><body><nav>Home</nav><article><h1>"
            f"{escape(article['title'])}</h1>{paragraphs}</article><footer>Outlet "
            f"{article['feed']}</footer></body></html>").encode()


def _feed(week: Week, base: str, feed: int, count: int) -> bytes:
    items = []
    for index in range(feed, count, FEEDS):
        article = week.article(index)
        items.append(f"<item><title>{escape(article['title'])}</title><link>{base}/a/{index}"
                     f"</link><pubDate>{format_datetime(article['published'])}</pubDate>"
                     "</item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>'
            f"Outlet {feed}</title><link>{base}/</link>{''.join(reversed(items))}"
            "</channel></rss>").encode()


def _serve(total: int, count, port_out) -> None:
    week = Week(sample_sentences(), total)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args) -> None:
            return

        def do_GET(self) -> None:
            base = f"http://{self.headers.get('Host')}"
            parts = self.path.strip("/").split("/")
            status, ctype = 200, "text/html; charset=utf-8"
            if self.path == "/robots.txt":
                body, ctype = b"User-agent: *\nAllow: /\n", "text/plain"
            elif len(parts) == 2 and parts[0] == "feeds":
                body = _feed(week, base, int(parts[1].split(".")[0]), count.value)
                ctype = "application/rss+xml"
            elif len(parts) == 2 and parts[0] == "a" and int(parts[1]) < count.value:
                body = _page(week.article(int(parts[1])))
            else:
                status, body, ctype = 404, b"not found", "text/plain"
            etag = '"' + hashlib.blake2b(body, digest_size=8).hexdigest() + '"'
            if status == 200 and self.headers.get("If-None-Match") == etag:
                self.send_response(304)         # feeds answer conditional requests
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(status)
            self.send_header("ETag", etag)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.request_queue_size = 256
    port_out.put(httpd.server_address[1])
    httpd.serve_forever()


# --- measuring a run ----------------------------------------------------------------------
def _tree_rss_kb(root: int) -> int:
    """Resident memory of ``root`` and all its descendants, from /proc (Linux)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue
        parents[int(entry)] = int(fields.get("PPid", "0").strip() or 0)
        rss[int(entry)] = int((fields.get("VmRSS", "0 kB").split() or ["0"])[0])
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier += children
    return sum(rss.get(pid, 0) for pid in tree)


def _timed_run(folder: Path) -> dict[str, Any]:
    """One `aiwire run` in a subprocess: wall seconds, peak tree RSS, stage seconds."""
    args = [sys.executable, "-m", "aiwire", "run", "--feeds", str(folder / "feeds.yaml"),
            "--db", str(folder / "aiwire.db"), "--out", str(folder / "public")]
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=dict(os.environ, NO_COLOR="1"))
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(process.pid))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode not in (0, 1):
        raise RuntimeError(f"aiwire run exited {process.returncode}: {stderr[-2000:]}")
    stages: dict[str, float] = {}
    counts: dict[str, dict] = {}
    log = folder / "aiwire.log.jsonl"
    if log.is_file():
        events = [json.loads(line) for line in log.read_text("utf-8").splitlines() if line]
        last_run = max((e.get("run", 0) for e in events), default=0)
        mine = [e for e in events if e.get("event") == "stage" and e.get("run") == last_run]
        stages = {e["stage"]: e["seconds"] for e in mine}
        counts = {e["stage"]: e.get("counts") or {} for e in mine}
    return {"seconds": seconds, "peak_mb": peak / 1024, "stages": stages, "counts": counts}


def _detail(run: dict[str, Any]) -> str:
    """Where a run's time went: seconds per stage, and how much of the site it wrote
    (a run with little new work should render few files)."""
    parts = [f"{k} {v:.1f}" for k, v in run["stages"].items()]
    build = (run.get("counts") or {}).get("build") or {}
    if "rendered" in build and "files" in build:
        parts.append(f"rendered {build['rendered']} of {build['files']} files")
    return "; ".join(parts)


def _feeds_yaml(base: str, per_feed: int) -> str:
    lines = ["settings:", "  allow_private_networks: true  # loopback benchmark",
             "  concurrency: 16", "  per_host_concurrency: 16",
             f"  max_articles_per_feed: {per_feed}", "feeds:"]
    for i in range(FEEDS):
        lines += [f"  - id: outlet-{i:03d}", f"    name: Outlet {i:03d}",
                  f"    url: {base}/feeds/{i}.xml"]
    return "\n".join(lines) + "\n"


def measure_size(size: int, console=None) -> dict[str, Any]:
    """Cold run, a run with NEW_ARTICLES new, a run with nothing new, for ``size``."""
    context = multiprocessing.get_context("spawn")
    count = context.Value("i", size)
    ports = context.Queue()
    server = context.Process(target=_serve, args=(size + NEW_ARTICLES, count, ports),
                             daemon=True)
    server.start()
    try:
        base = f"http://127.0.0.1:{ports.get(timeout=120)}"
        with tempfile.TemporaryDirectory(prefix="aiwire-week-") as tmp:
            folder = Path(tmp)
            per_feed = (size + NEW_ARTICLES) // FEEDS + 5
            (folder / "feeds.yaml").write_text(_feeds_yaml(base, per_feed), "utf-8")
            if console:
                console.print(f"  {size} articles: cold run ...")
            cold = _timed_run(folder)
            count.value = size + NEW_ARTICLES
            if console:
                console.print(f"  {size} articles: +{NEW_ARTICLES} new ...")
            new = _timed_run(folder)
            if console:
                console.print(f"  {size} articles: nothing new ...")
            idle = _timed_run(folder)
            from aiwire.store import Store

            store = Store(folder / "aiwire.db")
            analysed = store.scalar("SELECT count(*) FROM articles WHERE analyzed_hash "
                                    "IS NOT NULL")
            stories = store.scalar("SELECT count(*) FROM stories")
            store.close()
    finally:
        server.terminate()
        server.join(5)
    return {"size": size, "cold": cold, "new": new, "idle": idle, "analysed": analysed,
            "stories": stories}


# --- NLP per core ---------------------------------------------------------------------------
def _nlp_worker(side: str, rows: list[dict[str, Any]]) -> tuple[int, float]:
    """One process: load the model and warm it up on a few texts of its own (lazy data
    such as word frequencies loads on first use), not timed; then analyse ``rows``.
    The time is the process's CPU time: what the work costs a core, which other load on
    the machine barely changes (wall time on a shared machine measures the neighbours)."""
    from aiwire.nlp.batch import iter_records
    from aiwire.nlp.pipeline import ANALYZER_VERSION, load_ner_only, load_pipeline

    warm = [dict(r, id=-1 - i) for i, r in enumerate(rows[:WARM_UP])]
    if side == "ner":
        nlp = load_ner_only()
        for _doc in nlp.pipe(r["clean_text"] for r in warm):
            pass
        started = time.process_time()
        for _doc in nlp.pipe((r["clean_text"] for r in rows), batch_size=64):
            pass
    else:
        nlp = load_pipeline()
        for _record in iter_records(warm, nlp, ANALYZER_VERSION):
            pass
        started = time.process_time()
        for _record in iter_records(rows, nlp, ANALYZER_VERSION, batch_size=16):
            pass
    return len(rows), time.process_time() - started


def nlp_per_core(count: int = NLP_ARTICLES, processes: int = NLP_PROCESSES,
                 rounds: int = NLP_ROUNDS) -> dict[str, Any]:
    """Articles per second per process: the whole analysis (what ``analyse_batch`` does,
    no store) against the model's bare NER, on the same texts, each side run as
    ``processes`` worker processes with a shard each. Model loading is not timed on
    either side; the rate is articles / summed CPU seconds of the workers.

    The sides take turns, ``rounds`` times (NER first, then the analysis first, ...),
    and the ratio is the median of the rounds' ratios: on a shared machine the load
    drifts, and two long runs one after the other would measure the drift."""
    from benchmarks.nlp import per_core     # the one fair comparison, shared with `nlp`

    return per_core(count, processes, rounds)


# --- the report -----------------------------------------------------------------------------
def _row(measure: str, value: str, target: str = "") -> dict[str, str]:
    return {"measure": measure, "value": value, "target": target}


def summarise(results: list[dict[str, Any]], nlp: dict[str, Any] | None) -> list[dict]:
    rows = []
    for r in results:
        n = r["size"]
        stages = ", ".join(f"{k} {v:.1f}" for k, v in r["cold"]["stages"].items())
        rows.append(_row(f"cold run, {n} articles",
                         f"{r['cold']['seconds']:.1f} s = {r['cold']['seconds'] / n:.4f} s/article "
                         f"({r['analysed']} analysed, {r['stories']} stories; {stages})"))
        detail = _detail(r["new"])
        rows.append(_row(f"+{NEW_ARTICLES} new articles on {n}",
                         f"{r['new']['seconds']:.1f} s" + (f" ({detail})" if detail else "")))
        idle = ", ".join(f"{k} {v:.2f}" for k, v in r["idle"]["stages"].items())
        rows.append(_row(f"nothing new on {n}", f"{r['idle']['seconds']:.2f} s wall, "
                         f"stages {sum(r['idle']['stages'].values()):.2f} s ({idle})",
                         "under 3 s"))
        peak = max(r[k]["peak_mb"] for k in ("cold", "new", "idle"))
        rows.append(_row(f"peak RSS with workers, {n}", f"{peak:.0f} MB"))
    if len(results) >= 2:
        small, large = results[0], results[-1]
        per = [r["cold"]["seconds"] / r["size"] for r in (small, large)]
        rows.append(_row(f"cold s/article ratio {large['size']} : {small['size']}",
                         f"{per[1] / per[0]:.2f}", "<= 1.2"))
        rows.append(_row(f"+{NEW_ARTICLES} new ratio {large['size']} : {small['size']}",
                         f"{large['new']['seconds'] / small['new']['seconds']:.2f}", "<= 1.5"))
        peaks = [max(r[k]["peak_mb"] for k in ("cold", "new", "idle")) for r in (small, large)]
        rows.append(_row(f"peak RSS ratio {large['size']} : {small['size']}",
                         f"{peaks[1] / peaks[0]:.2f}", "<= 1.3"))
    if nlp:
        spread = ", ".join(f"{r:.2f}" for r in nlp["ratios"])
        rows.append(_row(f"NLP per core ({nlp['processes']} processes each side, "
                         f"{nlp['articles']} articles, {nlp['rounds']} rounds)",
                         f"{nlp['full_per_core']:.2f} vs bare NER {nlp['ner_per_core']:.2f} "
                         f"articles/s/process; median ratio {nlp['ratio']:.2f} "
                         f"(rounds: {spread})", ">= 0.80"))
    return rows


def run(console) -> list[dict[str, str]]:
    results = [measure_size(size, console) for size in SIZES]
    console.print(f"  NLP per core: {NLP_ARTICLES} articles, {NLP_PROCESSES} processes ...")
    nlp = nlp_per_core() if NLP_ARTICLES else None
    return summarise(results, nlp)
