"""HttpClient policies against real loopback servers: one test (or a few) per policy."""

from __future__ import annotations

import asyncio
import gzip
import shutil
import socket
import ssl
import subprocess
import threading
import time
import tracemalloc
import zlib
from email.utils import formatdate

import pytest

from aiwire.collector.http import (MAX_REDIRECTS, FetchError, GuardedBackend, HttpClient,
                                   parse_retry_after)

from loopback import UA, LoopServer


def _raises(fetch, server, url, **options) -> FetchError:
    async def body(client):
        with pytest.raises(FetchError) as info:
            await client.fetch(url)
        return info.value
    return fetch(server, body, **options)


# --- plumbing ---------------------------------------------------------------------------

def test_guarded_backend_is_installed_in_the_pool():
    async def main():
        async with HttpClient(user_agent=UA) as client:
            return client._client._transport._pool._network_backend
    assert isinstance(asyncio.run(main()), GuardedBackend)


def test_user_agent_from_settings_is_sent(server, fetch):
    server.serve("/feed", "ok")
    result = fetch(server, lambda c: c.fetch(server.url("/feed")),
                   user_agent="aiwire-probe/9 (+mailto:ed@example.org)")
    assert result.content == b"ok"
    assert {hit.headers["user-agent"] for hit in server.log} == {
        "aiwire-probe/9 (+mailto:ed@example.org)"}


# --- conditional GET ----------------------------------------------------------------------

def test_304_when_validators_match(server, fetch):
    stamp = formatdate(1795000000, usegmt=True)

    def feed(h):
        if h.headers.get("If-None-Match") == '"v1"':
            return h.reply(304, b"", {"ETag": '"v1"'})
        h.reply(200, b"<rss/>", {"ETag": '"v1"', "Last-Modified": stamp})
    server.routes["/feed"] = feed

    async def body(client):
        first = await client.fetch(server.url("/feed"))
        second = await client.fetch(server.url("/feed"), etag=first.etag,
                                    last_modified=first.last_modified)
        return first, second
    first, second = fetch(server, body)
    assert (first.status, first.not_modified, first.etag) == (200, False, '"v1"')
    assert (second.status, second.not_modified, second.content) == (304, True, b"")
    conditional = [h for h in server.log if h.path == "/feed"][1]
    assert conditional.headers["if-none-match"] == '"v1"'
    assert conditional.headers["if-modified-since"] == stamp


# --- retries ---------------------------------------------------------------------------

def _flaky(server: LoopServer, path: str, failures: list[tuple[int, dict]]) -> None:
    """Answer with each scripted failure in turn, then 200."""
    script = list(failures)

    def handler(h):
        if script:
            status, headers = script.pop(0)
            return h.reply(status, b"busy", headers)
        h.reply(200, b"finally")
    server.routes[path] = handler


def test_retry_after_seconds_is_honoured(server, fetch):
    _flaky(server, "/f", [(503, {"Retry-After": "1"})])
    result = fetch(server, lambda c: c.fetch(server.url("/f")))
    hits = [h for h in server.log if h.path == "/f"]
    assert result.content == b"finally" and len(hits) == 2
    assert hits[1].at - hits[0].at >= 0.95


def test_retry_after_http_date_on_429(server, fetch):
    not_before = int(time.time()) + 2      # an HTTP date has one-second resolution
    _flaky(server, "/f", [(429, {"Retry-After": formatdate(not_before, usegmt=True)})])
    result = fetch(server, lambda c: c.fetch(server.url("/f")))
    hits = [h for h in server.log if h.path == "/f"]
    assert result.status == 200 and len(hits) == 2
    # never sooner than the date the server named (a slow start cannot shorten the check)
    assert hits[1].wall >= not_before - 0.05


def test_5xx_gives_up_after_three_tries_with_backoff(server, fetch):
    server.serve("/f", "down", status=500)
    error = _raises(fetch, server, server.url("/f"), backoff_base=0.2)
    hits = [h for h in server.log if h.path == "/f"]
    assert len(hits) == 3 and error.status == 500 and error.transient
    assert "after 3 tries" in error.reason
    # backoff doubles; jitter never goes below half of it
    assert hits[1].at - hits[0].at >= 0.09 and hits[2].at - hits[1].at >= 0.19


@pytest.mark.parametrize("status", [400, 403, 404, 410, 501])
def test_no_retry_on_other_4xx(server, fetch, status):
    server.serve("/f", "no", status=status)
    error = _raises(fetch, server, server.url("/f"))
    assert error.status == status and f"HTTP {status}" in error.reason
    assert [h.path for h in server.log].count("/f") == 1


def test_retry_after_beyond_the_cap_is_not_waited_for(server, fetch):
    server.serve("/f", "later", status=503, headers={"Retry-After": "3600"})
    started = time.monotonic()
    error = _raises(fetch, server, server.url("/f"))
    assert time.monotonic() - started < 10     # far from the 30 s cap, let alone an hour
    assert "retry after 3600s" in error.reason and error.transient
    assert [h.path for h in server.log].count("/f") == 1


def test_parse_retry_after_forms():
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(formatdate(1000 + 30, usegmt=True), now=1000) == pytest.approx(30)
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


# --- redirects ---------------------------------------------------------------------------

def _chain(server: LoopServer, length: int) -> None:
    for i in range(length):
        server.serve(f"/r{i}", status=302, headers={"Location": f"/r{i + 1}"})
    server.serve(f"/r{length}", "arrived")


def test_five_redirects_are_followed(server, fetch):
    _chain(server, MAX_REDIRECTS)
    result = fetch(server, lambda c: c.fetch(server.url("/r0")))
    assert result.content == b"arrived" and result.url == server.url(f"/r{MAX_REDIRECTS}")


def test_a_sixth_redirect_is_refused(server, fetch):
    _chain(server, MAX_REDIRECTS + 1)
    error = _raises(fetch, server, server.url("/r0"))
    assert "more than 5 redirects" in error.reason
    assert f"/r{MAX_REDIRECTS + 1}" not in server.paths()


def test_redirect_loop_is_detected(server, fetch):
    server.serve("/a", status=301, headers={"Location": "/b"})
    server.serve("/b", status=307, headers={"Location": "/a"})
    error = _raises(fetch, server, server.url("/a"))
    assert "redirect loop" in error.reason
    assert server.paths().count("/a") == 1


def test_redirect_without_location(server, fetch):
    server.serve("/a", status=302)
    assert "without Location" in _raises(fetch, server, server.url("/a")).reason


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    """A throwaway self-signed certificate for 127.0.0.1 (needs the openssl CLI)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl CLI not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


def test_https_to_http_downgrade_is_refused(make_server, fetch, tls_files):
    cert, key = tls_files
    plain = make_server()
    plain.serve("/feed", "insecure copy")
    secure = make_server()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    secure.httpd.socket = context.wrap_socket(secure.httpd.socket, server_side=True)
    secure.serve("/feed", status=301, headers={"Location": plain.url("/feed")})
    secure.serve("/ok", "secure")
    client_context = ssl.create_default_context(cafile=str(cert))
    https = f"https://127.0.0.1:{secure.port}"

    async def body(client):
        ok = await client.fetch(f"{https}/ok")
        with pytest.raises(FetchError) as info:
            await client.fetch(f"{https}/feed")
        return ok, info.value
    ok, error = fetch([plain, secure], body, ssl_context=client_context)
    assert ok.content == b"secure"                      # TLS itself works
    assert "downgrade" in error.reason
    assert plain.log == []                              # the http hop was never sent


# --- size cap and encodings ---------------------------------------------------------------

def test_gzip_bomb_is_cut_off_with_little_memory(server, fetch):
    bomb = gzip.compress(b"\0" * 64_000_000, 9)        # ~62 KB on the wire, 64 MB inflated
    assert len(bomb) < 100_000
    server.serve("/bomb", bomb, headers={"Content-Encoding": "gzip",
                                         "Content-Type": "application/rss+xml"})
    tracemalloc.start()
    try:
        error = _raises(fetch, server, server.url("/bomb"), max_bytes=1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "larger than 1000000 bytes after decompression" in error.reason
    assert peak < 8_000_000, peak


def test_gzip_deflate_and_raw_deflate_bodies_decode(server, fetch):
    text = b"<rss><channel><title>caf\xc3\xa9</title></channel></rss>" * 50
    raw = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    server.serve("/gz", gzip.compress(text), headers={"Content-Encoding": "gzip"})
    server.serve("/zlib", zlib.compress(text), headers={"Content-Encoding": "deflate"})
    server.serve("/raw", raw.compress(text) + raw.flush(), headers={"Content-Encoding":
                                                                      "deflate"})
    server.serve("/two", gzip.compress(text[:100]) + gzip.compress(text[100:]),
                 headers={"Content-Encoding": "gzip"})

    async def body(client):
        return [(await client.fetch(server.url(p))).content
                for p in ("/gz", "/zlib", "/raw", "/two")]
    assert fetch(server, body) == [text] * 4


def test_unknown_encoding_and_corrupt_gzip_are_reported(server, fetch):
    server.serve("/br", b"xx", headers={"Content-Encoding": "br"})
    server.serve("/bad", b"\x1f\x8bnot really gzip", headers={"Content-Encoding": "gzip"})
    assert "unsupported Content-Encoding br" in _raises(fetch, server, server.url("/br")).reason
    assert "corrupt gzip" in _raises(fetch, server, server.url("/bad")).reason


def test_plain_body_over_the_cap_by_content_length(server, fetch):
    server.serve("/big", b"x" * 20_000)
    error = _raises(fetch, server, server.url("/big"), max_bytes=10_000)
    assert "larger than 10000 bytes" in error.reason


def test_plain_body_over_the_cap_without_content_length(server, fetch):
    def chunked(h):
        h.send_response(200)
        h.send_header("Connection", "close")
        h.end_headers()
        for _ in range(40):
            h.wfile.write(b"y" * 1000)
    server.routes["/stream"] = chunked
    error = _raises(fetch, server, server.url("/stream"), max_bytes=10_000)
    assert "larger than 10000 bytes" in error.reason


# --- deadline ------------------------------------------------------------------------------

def test_slow_drip_server_is_stopped_by_the_deadline(server, fetch):
    stop = threading.Event()

    def drip(h):
        h.send_response(200)
        h.send_header("Content-Length", "1000")
        h.end_headers()
        for _ in range(1000):
            if stop.wait(1.0):
                return
            h.wfile.write(b"x")
            h.wfile.flush()
    server.routes["/drip"] = drip
    started = time.monotonic()
    try:
        error = _raises(fetch, server, server.url("/drip"), timeout=2.0)
    finally:
        stop.set()
    elapsed = time.monotonic() - started
    assert "deadline of 2s exceeded" in error.reason
    assert error.over_budget and error.transient      # the collector backs the page off
    assert elapsed < 8.0, elapsed                      # the drip would last 1000 s


def test_only_running_out_of_time_counts_as_over_budget(server, fetch):
    server.serve("/gone", "no", status=404)
    error = _raises(fetch, server, server.url("/gone"))
    assert not error.over_budget


def test_in_progress_names_the_requests_on_the_wire(server, fetch):
    """What a time budget inspects when it runs out: requests past every queue."""
    seen = {}

    release = threading.Event()

    def slow(h):
        release.wait(10)
        h.reply(200, b"ok")
    server.routes["/slow"] = slow

    async def body(client):
        task = asyncio.ensure_future(client.fetch(server.url("/slow")))
        for _ in range(500):                   # until the request reaches the server
            if any(hit.path == "/slow" for hit in server.log):
                break
            await asyncio.sleep(0.01)
        seen["during"] = set(client.in_progress)
        release.set()
        await task
        return set(client.in_progress)
    after = fetch(server, body)
    assert seen["during"] == {server.url("/slow")}
    assert after == set()


def test_slow_headers_are_stopped_by_the_deadline(server, fetch):
    def stall(h):
        h.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for _ in range(10):
            time.sleep(0.5)
            h.wfile.write(b"X-Drip: 1\r\n")
            h.wfile.flush()
    server.routes["/stall"] = stall
    started = time.monotonic()
    error = _raises(fetch, server, server.url("/stall"), timeout=1.5)
    assert "deadline" in error.reason and time.monotonic() - started < 3.5


# --- robots.txt ----------------------------------------------------------------------------

def test_robots_disallow_is_honoured_for_our_user_agent(server, fetch):
    server.serve("/robots.txt", "User-agent: aiwire-test\nDisallow: /private\n\n"
                                "User-agent: *\nDisallow: /\n")
    server.serve("/private/page", "secret")
    server.serve("/public/page", "public")

    async def body(client):
        ok = await client.fetch(server.url("/public/page"))
        with pytest.raises(FetchError) as info:
            await client.fetch(server.url("/private/page"))
        return ok, info.value
    ok, error = fetch(server, body)
    assert ok.content == b"public"
    assert "disallowed by robots.txt" in error.reason
    assert "/private/page" not in server.paths()
    assert server.paths().count("/robots.txt") == 1      # cached per origin


def test_robots_disallow_applies_to_a_redirect_target(server, fetch):
    server.serve("/robots.txt", "User-agent: *\nDisallow: /hidden\n")
    server.serve("/go", status=302, headers={"Location": "/hidden/x"})
    error = _raises(fetch, server, server.url("/go"))
    assert "disallowed by robots.txt" in error.reason and "/hidden/x" not in server.paths()


def test_crawl_delay_spaces_requests(server, fetch):
    server.serve("/robots.txt", "User-agent: *\nCrawl-delay: 1\n")
    server.serve("/a", "a")

    async def body(client):
        await asyncio.gather(*(client.fetch(server.url("/a")) for _ in range(3)))
        return await client.robots_verdict(server.url("/a"))
    verdict = fetch(server, body, per_host_concurrency=3)
    starts = [h.at for h in server.log if h.path == "/a"]
    assert len(starts) == 3
    assert min(b - a for a, b in zip(starts, starts[1:])) >= 0.95
    assert verdict == "allowed (robots.txt, crawl-delay 1s)"


def test_crawl_delay_beyond_the_cap_refuses(server, fetch):
    server.serve("/robots.txt", "User-agent: *\nCrawl-delay: 3600\n")
    server.serve("/a", "a")
    error = _raises(fetch, server, server.url("/a"))
    assert "crawl-delay of 3600s" in error.reason and "/a" not in server.paths()


def test_robots_5xx_means_disallow_and_404_means_allow(make_server, fetch):
    down, missing = make_server(), make_server()
    down.serve("/robots.txt", "oops", status=503)
    down.serve("/a", "a")
    missing.serve("/a", "a")

    async def body(client):
        with pytest.raises(FetchError) as info:
            await client.fetch(down.url("/a"))
        ok = await client.fetch(missing.url("/a"))
        return info.value, ok, await client.robots_verdict(down.url("/a"))
    error, ok, verdict = fetch([down, missing], body)
    assert "disallowed by robots.txt" in error.reason and "/a" not in down.paths()
    assert ok.content == b"a"
    assert verdict == "disallowed (robots.txt HTTP 503: treated as disallow)"


def test_respect_robots_false_skips_robots(server, fetch):
    server.serve("/robots.txt", "User-agent: *\nDisallow: /\n")
    server.serve("/a", "a")
    assert fetch(server, lambda c: c.fetch(server.url("/a")), respect_robots=False).content \
        == b"a"
    assert "/robots.txt" not in server.paths()


# --- concurrency and spacing -------------------------------------------------------------

def _slow(server: LoopServer, path: str, seconds: float) -> None:
    def handler(h):
        time.sleep(seconds)
        h.reply(200, b"slow")
    server.routes[path] = handler


def test_per_host_concurrency_limit(server, fetch):
    _slow(server, "/s", 0.3)

    async def body(client):
        await asyncio.gather(*(client.fetch(server.url("/s")) for _ in range(6)))
    fetch(server, body, per_host_concurrency=2, concurrency=10)
    assert server.max_active == 2


def test_global_concurrency_limit_across_hosts(make_server, fetch):
    servers = [make_server() for _ in range(3)]
    spans: list[tuple[float, float]] = []
    for s in servers:
        def handler(h, spans=spans):
            start = time.monotonic()
            time.sleep(0.2)
            h.reply(200, b"ok")
            spans.append((start, time.monotonic()))
        s.routes["/s"] = handler

    async def body(client):
        await asyncio.gather(*(client.fetch(s.url("/s")) for s in servers for _ in range(2)))
    fetch(servers, body, concurrency=2, per_host_concurrency=2, respect_robots=False)
    points = sorted([(a, 1) for a, _ in spans] + [(b, -1) for _, b in spans])
    level = peak = 0
    for _, step in points:
        level += step
        peak = max(peak, level)
    assert len(spans) == 6 and peak == 2


def test_per_host_interval_spaces_requests(server, fetch):
    server.serve("/a", "a")

    async def body(client):
        await asyncio.gather(*(client.fetch(server.url("/a")) for _ in range(4)))
    fetch(server, body, per_host_interval=0.3, per_host_concurrency=4, respect_robots=False)
    starts = [h.at for h in server.log if h.path == "/a"]
    # spacing is enforced when a request is sent; connection set-up blurs it a little
    assert min(b - a for a, b in zip(starts, starts[1:])) >= 0.2
    assert starts[-1] - starts[0] >= 0.85


def test_non_http_urls_are_refused(fetch, server):
    for url in ("file:///etc/passwd", "ftp://example.org/x", "gopher://127.0.0.1/"):
        assert "non-http" in _raises(fetch, server, url).reason


def test_connection_refused_is_a_transient_error(fetch):
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()                              # nothing listens on this port now

    async def body(client):
        with pytest.raises(FetchError) as info:
            await client.fetch(f"http://127.0.0.1:{port}/")
        return info.value
    error = fetch([], body, allowed_addresses={f"127.0.0.1:{port}"})
    assert error.transient and "ConnectError" in error.reason
