"""Collect throughput: 500 feeds x 20 articles on loopback, cold and warm (all 304).

A generated site is served by a separate process (so the server does not compete with
the collector for the GIL); each phase runs `collect` in its own subprocess and reports
wall time, CPU use (its page-reading workers included) and peak RSS (its own plus
its largest worker's). "db row changes" counts every
row SQLite changed: on the warm run it should be one health row per feed and nothing else.
Figures, not pass/fail: the machine is shared.

    python -m benchmarks collect          # BENCH_FEEDS / BENCH_ITEMS override the size
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FEEDS = int(os.environ.get("BENCH_FEEDS", "500"))
ITEMS = int(os.environ.get("BENCH_ITEMS", "20"))
WORDS = [f"{a}{b}" for a in ("model", "lab", "bank", "agent", "token", "cloud", "chip",
                             "audit", "leak", "patch", "weight", "vendor", "policy", "user")
         for b in ("", "s", "ing", "ed", "er", "ly", "ity", "ment", "ion", "al", "ous", "ive")]


def _article(feed: int, item: int) -> bytes:
    """A deterministic, distinct article page of about 300 words."""
    rng = random.Random(feed * 100_003 + item)
    paragraphs = []
    for _ in range(5):
        words = [rng.choice(WORDS) for _ in range(60)]
        words[0] = words[0].capitalize()
        paragraphs.append(f"<p>{' '.join(words)}. Article {feed}-{item} continues.</p>")
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Story "
            f"{feed}-{item}</title></head><body><nav>Home</nav><article><h1>Story {feed}-"
            f"{item}</h1>{''.join(paragraphs)}</article><footer>Outlet {feed}</footer>"
            f"</body></html>").encode()


def _feed(base: str, feed: int) -> bytes:
    items = "".join(f"<item><title>Story {feed}-{j}</title><link>{base}/a/{feed}/{j}</link>"
                    f"<pubDate>Wed, 18 Nov 2026 09:{j % 60:02d}:00 GMT</pubDate></item>"
                    for j in range(ITEMS))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>'
            f"Outlet {feed}</title><link>{base}/</link>{items}</channel></rss>").encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:
        return

    def do_GET(self) -> None:
        base = f"http://{self.headers.get('Host')}"
        parts = self.path.strip("/").split("/")
        if self.path == "/robots.txt":
            body, ctype = b"User-agent: *\nAllow: /\n", "text/plain"
        elif len(parts) == 2 and parts[0] == "feeds":
            body, ctype = _feed(base, int(parts[1].split(".")[0])), "application/rss+xml"
        elif len(parts) == 3 and parts[0] == "a":
            body, ctype = _article(int(parts[1]), int(parts[2])), "text/html; charset=utf-8"
        else:
            body, ctype = b"not found", "text/plain"
        etag = '"' + hashlib.blake2b(body, digest_size=8).hexdigest() + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200 if body != b"not found" else 404)
        self.send_header("Content-Type", ctype)
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _serve(port_out) -> None:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.request_queue_size = 256
    port_out.put(httpd.server_address[1])
    httpd.serve_forever()


CHILD = """
import json, resource, sys, time
from aiwire.collector.collect import collect
from aiwire.config import load_config
from aiwire.store import Store
config = load_config(sys.argv[1])
store = Store(sys.argv[2])
before = store.scalar("SELECT count(*) FROM articles")
changes = store.conn.total_changes
def cpu():
    # the collector's own CPU plus its page-reading workers' (reaped when collect ends)
    return sum(u.ru_utime + u.ru_stime for u in (
        resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)))
started, cpu_before = time.perf_counter(), cpu()
report = collect(config, store)
seconds, cpu_seconds = time.perf_counter() - started, cpu() - cpu_before
print(json.dumps({
    "seconds": seconds,
    "statuses": sorted({f.status for f in report.feeds}),
    "new": report.new_articles,
    "articles": store.scalar("SELECT count(*) FROM articles") - before,
    "db_changes": store.conn.total_changes - changes,
    # own peak plus the largest worker's (ru_maxrss of children is a maximum, not a sum)
    "maxrss_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss +
                  resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024,
    "cpu_seconds": cpu_seconds,
}))
"""


def _phase(feeds: Path, db: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(feeds), str(db)], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(console) -> list[dict]:
    context = multiprocessing.get_context("spawn")
    ports = context.Queue()
    server = context.Process(target=_serve, args=(ports,), daemon=True)
    server.start()
    try:
        port = ports.get(timeout=30)
        base = f"http://127.0.0.1:{port}"
        with tempfile.TemporaryDirectory() as tmp:
            feeds = Path(tmp) / "feeds.yaml"
            lines = ["settings:", "  allow_private_networks: true  # loopback benchmark",
                     "  concurrency: 16", "  per_host_concurrency: 16",
                     f"  max_articles_per_feed: {ITEMS}", "feeds:"]
            for i in range(FEEDS):
                lines += [f"  - id: feed-{i}", f"    name: Outlet {i}",
                          f"    url: {base}/feeds/{i}.xml"]
            feeds.write_text("\n".join(lines) + "\n")
            db = Path(tmp) / "bench.db"
            rows = []
            for phase in ("cold", "warm"):
                console.print(f"  {phase} run: {FEEDS} feeds x {ITEMS} items ...")
                result = _phase(feeds, db)
                pages = result["articles"]
                rows.append({
                    "phase": phase, "feeds": FEEDS, "article pages": pages,
                    "seconds": f"{result['seconds']:.1f}",
                    "feeds/s": f"{FEEDS / result['seconds']:.1f}",
                    "pages/s": f"{pages / result['seconds']:.1f}",
                    "peak RSS MB": f"{result['maxrss_mb']:.0f}",
                    "collector CPU %": f"{100 * result['cpu_seconds'] / result['seconds']:.0f}",
                    "feed statuses": ",".join(result["statuses"]),
                    "db row changes": result["db_changes"],
                })
            return rows
    finally:
        server.terminate()
        server.join(5)
