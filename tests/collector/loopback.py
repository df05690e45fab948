"""A scriptable HTTP server on 127.0.0.1 for the collector's tests.

Each test registers routes (path -> handler function) and reads ``server.log`` to see
exactly what the client sent. Handlers run in server threads, so slow or dripping
responses do not block the client under test.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import urlsplit

UA = "aiwire-test/1.0 (+https://example.org/aiwire)"


@dataclass
class Hit:
    path: str
    query: str
    headers: dict[str, str]
    at: float
    host: str
    wall: float = 0.0    # time.time() on arrival: for checks against HTTP dates


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

    def log_message(self, format: str, *args) -> None:   # tests read server.log instead
        return

    def do_GET(self) -> None:
        loop = self.server.owner
        parts = urlsplit(self.path)
        loop.log.append(Hit(parts.path, parts.query, {k.lower(): v for k, v in
                                                       self.headers.items()},
                            time.monotonic(), self.headers.get("Host", ""),
                            time.time()))
        with loop.lock:
            loop.active += 1
            loop.max_active = max(loop.max_active, loop.active)
        try:
            handler = loop.routes.get(parts.path) or loop.routes.get("*")
            if handler is None:
                self.reply(404, b"not found", {"Content-Type": "text/plain"})
            else:
                handler(self)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with loop.lock:
                loop.active -= 1

    def reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None
              ) -> None:
        """Send a complete response with Content-Length."""
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: "LoopServer"


@dataclass
class LoopServer:
    """A threaded loopback server whose routes a test sets."""

    routes: dict[str, Callable[[_Handler], None]] = field(default_factory=dict)
    log: list[Hit] = field(default_factory=list)
    active: int = 0
    max_active: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.owner = self
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def serve(self, path: str, body: bytes | str = b"", status: int = 200,
              headers: dict[str, str] | None = None) -> None:
        """A fixed response at ``path``."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = lambda h: h.reply(status, data, headers)

    def paths(self) -> list[str]:
        return [hit.path for hit in self.log]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


