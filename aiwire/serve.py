"""`aiwire serve`: the built site on loopback, with the security headers a host should send.

A ``<meta http-equiv="Content-Security-Policy">`` cannot say ``frame-ancestors`` (browsers
ignore it there), so only a real header stops other sites from framing the pages. The
same headers are shown for nginx and Caddy in the README; a test keeps them equal to
:data:`SECURITY_HEADERS`.
"""

from __future__ import annotations

from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from aiwire.site.pages import CSP

SECURITY_HEADERS: dict[str, str] = {
    # the pages' own policy, plus what only a header can say: no framing anywhere
    "Content-Security-Policy": f"{CSP}; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",                # for browsers without frame-ancestors
    "Referrer-Policy": "no-referrer",         # readers' paths are nobody else's business
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
                          "interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files from the site folder, every response with :data:`SECURITY_HEADERS`."""

    def end_headers(self) -> None:
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return                                  # quiet: this is for browsing


def make_server(out: Path, port: int, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """A server for ``out`` on ``host:port`` (port 0 picks a free one)."""
    return ThreadingHTTPServer((host, port), partial(SiteHandler, directory=str(out)))
