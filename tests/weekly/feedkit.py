"""A tiny feed on 127.0.0.1 for the weekly-run tests that need a run to succeed quickly.

Its one article is off-topic (a warehouse closing), so it is stored as not relevant and
no run loads the NLP model: the run is collect, curate, build in about a second.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from contextlib import contextmanager

ITEM_PATH = "/news/warehouse-closure"
FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Quiet Gazette</title><link>{base}/</link>
<item><title>Warehouse to close in the spring</title><link>{base}{item}</link>
<pubDate>Wed, 18 Nov 2026 09:00:00 GMT</pubDate>
<description>The logistics firm will close its northern warehouse next spring, the
company said on Tuesday, moving two hundred jobs to a new building forty miles away.
Local officials said they regretted the decision and would look for a new tenant.
</description></item></channel></rss>
"""


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        return

    def do_GET(self) -> None:
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if self.path in ("/feed.xml", "/big-feed.xml"):
            body = FEED.format(base=base, item=ITEM_PATH).encode("utf-8")
            if self.path == "/big-feed.xml":     # an article of many database pages
                filler = " The new building has room for more lorries." * 800
                body = body.replace(b"</description>", filler.encode() + b"</description>")
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
        else:
            body = b"not found"
            self.send_response(404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def quiet_feed() -> Iterator[str]:
    """Serve the feed (``/feed.xml``, and ``/big-feed.xml`` whose article is ~35 KB);
    yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def feeds_yaml(folder: Path, *urls: str, settings: str = "") -> Path:
    """A feeds.yaml in ``folder`` listing one full_text: false feed per URL."""
    lines = ["settings:", "  allow_private_networks: true", "  timeout_seconds: 5"]
    lines += [f"  {line}" for line in settings.splitlines() if line.strip()]
    lines.append("feeds:")
    for number, url in enumerate(urls):
        lines += [f"  - id: feed-{number}", f"    name: Feed {number}", f"    url: {url}",
                  "    full_text: false"]
    path = folder / "feeds.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
