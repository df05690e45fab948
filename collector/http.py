"""One HTTP client that owns every fetch policy.

Address guard (after DNS, on every redirect hop, connecting to the address that was
checked), robots.txt, per-host concurrency and spacing, conditional GET, redirects,
a size cap after decompression, timeouts plus an overall deadline, and retries with
Retry-After. Every fetch in aiwire goes through :class:`HttpClient`.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import ssl
import time
from dataclasses import dataclass, field
from typing import Any, Iterable
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from protego import Protego

from aiwire.collector.body import BodyDecoder, DecodeError
from aiwire.collector.guard import AddressPolicy, BlockedAddressError

MAX_REDIRECTS = 5
MAX_TRIES = 3
MAX_RETRY_AFTER = 30.0     # a server asking for a longer pause is not retried this run
MAX_CRAWL_DELAY = 60.0     # a robots.txt asking for more is refused, not sped up
REDIRECT_STATUSES = {301, 302, 303, 307, 308}


def is_retryable(status: int) -> bool:
    """429 and 5xx are worth another try; 501/505 (not implemented) never change."""
    return status == 429 or (500 <= status < 600 and status not in (501, 505))


class _RedirectSeen(Exception):
    """Raised from a response hook so httpx never parses a hostile Location itself."""

    def __init__(self, status: int, headers: dict[str, str]) -> None:
        super().__init__(status)
        self.status, self.headers = status, headers


async def _stop_at_redirect(response: httpx.Response) -> None:
    # httpx builds the next request from Location even with follow_redirects=False and
    # fails on spellings it rejects (0177.0.0.1) before the guard can name the reason.
    if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
        raise _RedirectSeen(response.status_code,
                            {k.lower(): v for k, v in response.headers.items()})


class FetchError(Exception):
    """A fetch that failed for a reason worth reporting to an editor."""

    def __init__(self, url: str, reason: str, status: int | None = None,
                 transient: bool = False, over_budget: bool = False) -> None:
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.status = url, reason, status
        self.transient = transient   # worth trying again next run
        self.over_budget = over_budget  # ran out of time: back off rather than retry


@dataclass
class FetchResult:
    url: str                      # final URL after redirects
    status: int
    content: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    not_modified: bool = False

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


@dataclass
class RobotsRules:
    """What one host's robots.txt says; ``disallow_all`` when it could not be read (5xx)."""

    parser: Protego | None = None
    disallow_all: bool = False
    note: str = "no robots.txt"


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves the host itself, checks every address, then connects to a checked one.

    Because the connection goes to the address we checked, a DNS answer that changes
    between the check and the connect (rebinding) cannot reach a private address.
    ``dialled`` lists every (address, port) a connection was attempted to, for tests.
    """

    def __init__(self, inner: httpcore.AsyncNetworkBackend, policy: AddressPolicy) -> None:
        self.inner, self.policy = inner, policy
        self.dialled: list[tuple[str, int]] = []

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Any = None) -> httpcore.AsyncNetworkStream:
        self.policy.check_literal(host, port)
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=1)  # SOCK_STREAM
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        addresses = list(dict.fromkeys(info[4][0].split("%", 1)[0] for info in infos))
        self.policy.check(host, port, addresses)
        failure: Exception | None = None
        for address in addresses:          # every one of them was checked above
            self.dialled.append((address, port))
            try:
                return await self.inner.connect_tcp(address, port, timeout=timeout,
                                                    local_address=local_address,
                                                    socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> Any:
        raise httpcore.ConnectError("unix sockets are not allowed")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def _guarded_transport(policy: AddressPolicy, ssl_context: ssl.SSLContext | None
                       ) -> tuple[httpx.AsyncHTTPTransport, GuardedBackend]:
    transport = httpx.AsyncHTTPTransport(retries=0, trust_env=False,
                                         verify=ssl_context or True)
    # httpx has no public hook for the network backend; the pool's is swapped once here,
    # and tests/collector/test_http.py fails loudly if a new httpx moves it.
    pool = transport._pool
    backend = GuardedBackend(pool._network_backend, policy)
    pool._network_backend = backend
    return transport, backend


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


class HttpClient:
    """Polite, guarded async fetching. Use as ``async with HttpClient(...) as client``.

    ``timeout`` is the overall deadline of one HTTP request (connect, headers and body
    together), so a server dripping one byte a second cannot hold a run.
    ``allowed_addresses`` is a test hook: exact ``127.0.0.1:PORT`` endpoints exempt from
    the guard (see :class:`AddressPolicy`); ``ssl_context`` lets a test trust its own
    certificate authority. Production code passes neither.
    """

    def __init__(self, *, user_agent: str, allow_private_networks: bool = False,
                 timeout: float = 20.0, max_bytes: int = 5_000_000, concurrency: int = 8,
                 per_host_concurrency: int = 2, per_host_interval: float = 0.0,
                 respect_robots: bool = True, backoff_base: float = 0.5,
                 allowed_addresses: Iterable[str] = (),
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self.user_agent = user_agent
        self.policy = AddressPolicy(allow_private_networks, frozenset(allowed_addresses))
        self.deadline = timeout
        self.max_bytes = max_bytes
        self.per_host_interval = per_host_interval
        self.respect_robots = respect_robots
        self.backoff_base = backoff_base
        self.requests = 0               # HTTP requests sent, robots.txt included
        # URLs (as passed to fetch) whose request is on the wire now, past every queue:
        # when a time budget runs out, these are the ones that used it up.
        self.in_progress: set[str] = set()
        self._global = asyncio.Semaphore(concurrency)
        self._per_host_limit = per_host_concurrency
        self._host_slots: dict[str, asyncio.Semaphore] = {}
        self._host_last: dict[str, float] = {}
        self._host_spacing: dict[str, asyncio.Lock] = {}
        self._robots: dict[str, RobotsRules] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}
        transport, self.backend = _guarded_transport(self.policy, ssl_context)
        self._client = httpx.AsyncClient(
            transport=transport, trust_env=False, follow_redirects=False,
            event_hooks={"response": [_stop_at_redirect]},
            timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
        )

    async def __aenter__(self) -> "HttpClient":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self._client.aclose()

    # --- politeness -------------------------------------------------------
    @staticmethod
    def _origin(url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc.lower()}"

    @staticmethod
    def _host(url: str) -> str:
        return (urlsplit(url).hostname or "").lower()

    async def robots_for(self, url: str) -> RobotsRules:
        """The robots.txt rules of ``url``'s origin, fetched once per client (RFC 9309)."""
        origin = self._origin(url)
        lock = self._robots_locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin not in self._robots:
                self._robots[origin] = await self._load_robots(origin)
            return self._robots[origin]

    async def _load_robots(self, origin: str) -> RobotsRules:
        try:
            result = await self._fetch_once(urljoin(origin, "/robots.txt"), {},
                                            check_robots=False)
        except FetchError as exc:
            # Unreachable: the fetch that follows fails with its own, clearer reason.
            return RobotsRules(note=f"robots.txt unreachable ({exc.reason})")
        if result.status == 200:
            text = result.content.decode("utf-8", "replace")
            return RobotsRules(parser=Protego.parse(text), note="robots.txt")
        if result.status >= 500:
            return RobotsRules(disallow_all=True,
                               note=f"robots.txt HTTP {result.status}: treated as disallow")
        return RobotsRules(note=f"no robots.txt (HTTP {result.status})")

    async def allowed_by_robots(self, url: str) -> bool:
        rules = await self.robots_for(url)
        if rules.disallow_all:
            return False
        return rules.parser is None or rules.parser.can_fetch(url, self.user_agent)

    async def robots_verdict(self, url: str) -> str:
        """A one-line answer for editors: allowed or not, and on what grounds."""
        allowed = await self.allowed_by_robots(url)
        rules = self._robots[self._origin(url)]
        delay = rules.parser.crawl_delay(self.user_agent) if rules.parser else None
        verdict = "allowed" if allowed else "disallowed"
        extra = f", crawl-delay {float(delay):g}s" if delay else ""
        return f"{verdict} ({rules.note}{extra})"

    def _crawl_delay(self, url: str) -> float:
        rules = self._robots.get(self._origin(url))
        if rules is None or rules.parser is None:
            return 0.0
        return float(rules.parser.crawl_delay(self.user_agent) or 0.0)

    async def _wait_turn(self, url: str) -> None:
        """Space requests to one host by the larger of our interval and its crawl-delay."""
        host = self._host(url)
        crawl_delay = self._crawl_delay(url)
        if crawl_delay > MAX_CRAWL_DELAY:
            raise FetchError(url, f"robots.txt asks for a crawl-delay of {crawl_delay:g}s, "
                                  f"more than the {MAX_CRAWL_DELAY:g}s aiwire will wait")
        delay = max(self.per_host_interval, crawl_delay)
        if delay <= 0:
            return
        lock = self._host_spacing.setdefault(host, asyncio.Lock())
        async with lock:
            wait = self._host_last.get(host, float("-inf")) + delay - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._host_last[host] = time.monotonic()

    # --- fetching ---------------------------------------------------------
    async def fetch(self, url: str, *, etag: str | None = None,
                    last_modified: str | None = None) -> FetchResult:
        """GET ``url`` under every policy; raise FetchError with a readable reason."""
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for attempt in range(1, MAX_TRIES + 1):
            result = await self._fetch_once(url, headers, check_robots=self.respect_robots)
            if not is_retryable(result.status) or attempt == MAX_TRIES:
                break
            asked = parse_retry_after(result.headers.get("retry-after"))
            if asked is not None and asked > MAX_RETRY_AFTER:
                raise FetchError(url, f"HTTP {result.status}, retry after {asked:.0f}s "
                                      "(longer than this run waits)", result.status,
                                 transient=True)
            await asyncio.sleep(self._retry_wait(asked, attempt))
        if result.status == 304:
            result.not_modified = True
            return result
        if result.status >= 400:
            tries = f" after {MAX_TRIES} tries" if is_retryable(result.status) else ""
            raise FetchError(url, f"HTTP {result.status}{tries}", result.status,
                             transient=is_retryable(result.status) or result.status == 408)
        return result

    def _retry_wait(self, asked: float | None, attempt: int) -> float:
        """Retry-After when given (never sooner), else jittered exponential backoff."""
        if asked is not None:
            return asked * random.uniform(1.0, 1.1)
        return self.backoff_base * 2 ** (attempt - 1) * random.uniform(0.5, 1.5)

    async def _fetch_once(self, url: str, headers: dict[str, str], *,
                          check_robots: bool) -> FetchResult:
        """One try: follow up to MAX_REDIRECTS hops, each one guarded and robots-checked."""
        current, seen = url, {url}
        for _hop in range(MAX_REDIRECTS + 1):
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise FetchError(url, f"refused non-http URL {current}")
            try:
                self.policy.check_literal(parts.hostname,
                                          parts.port or (443 if parts.scheme == "https" else 80))
            except BlockedAddressError as exc:
                raise FetchError(url, str(exc)) from None
            except ValueError:
                raise FetchError(url, f"invalid URL {current}") from None
            if check_robots and not await self.allowed_by_robots(current):
                raise FetchError(url, f"disallowed by robots.txt: {current}")
            result = await self._request(current, headers, for_url=url)
            if result.status not in REDIRECT_STATUSES:
                result.url = current
                return result
            location = result.headers.get("location")
            if not location:
                raise FetchError(url, f"HTTP {result.status} without Location")
            target = urljoin(current, location.strip())
            if parts.scheme == "https" and urlsplit(target).scheme == "http":
                raise FetchError(url, f"refused https to http downgrade: {target}")
            if target in seen:
                raise FetchError(url, f"redirect loop at {target}")
            seen.add(target)
            current = target
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")

    async def _request(self, url: str, headers: dict[str, str], *,
                       for_url: str | None = None) -> FetchResult:
        host = self._host(url)
        slot = self._host_slots.setdefault(host, asyncio.Semaphore(self._per_host_limit))
        async with slot:
            await self._wait_turn(url)      # never hold a global slot while waiting
            async with self._global:
                self.requests += 1
                self.in_progress.add(for_url or url)
                try:
                    return await self._guarded_stream(url, headers)
                finally:
                    self.in_progress.discard(for_url or url)

    async def _guarded_stream(self, url: str, headers: dict[str, str]) -> FetchResult:
        try:
            return await asyncio.wait_for(self._stream(url, headers), self.deadline)
        except asyncio.TimeoutError:
            raise FetchError(url, f"deadline of {self.deadline:g}s exceeded",
                             transient=True, over_budget=True) from None
        except BlockedAddressError as exc:
            raise FetchError(url, str(exc)) from None
        except httpx.InvalidURL as exc:
            raise FetchError(url, f"invalid URL: {exc}") from None
        except httpx.TimeoutException:
            raise FetchError(url, "timed out", transient=True, over_budget=True) from None
        except httpx.HTTPError as exc:
            cause = exc.__cause__ or exc.__context__
            if isinstance(cause, BlockedAddressError):
                raise FetchError(url, str(cause)) from None
            raise FetchError(url, f"{type(exc).__name__}: {exc}", transient=True) from None

    async def _stream(self, url: str, headers: dict[str, str]) -> FetchResult:
        try:
            return await self._stream_body(url, headers)
        except _RedirectSeen as seen:
            return FetchResult(url=url, status=seen.status, headers=seen.headers)

    async def _stream_body(self, url: str, headers: dict[str, str]) -> FetchResult:
        async with self._client.stream("GET", url, headers=headers) as response:
            head = {k.lower(): v for k, v in response.headers.items()}
            result = FetchResult(url=url, status=response.status_code, headers=head)
            if 200 <= response.status_code < 300 and response.status_code != 204:
                result.content = await self._read_capped(url, response, head)
            return result

    async def _read_capped(self, url: str, response: httpx.Response,
                           head: dict[str, str]) -> bytes:
        """The decoded body, refused as soon as it passes ``max_bytes`` (gzip bombs)."""
        too_big = FetchError(url, f"response larger than {self.max_bytes} bytes "
                                  "after decompression")
        length = head.get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes and \
                head.get("content-encoding", "identity").strip().lower() == "identity":
            raise too_big
        try:
            decoder = BodyDecoder(head.get("content-encoding", ""), piece=64 * 1024)
        except DecodeError as exc:
            raise FetchError(url, str(exc)) from None
        body = bytearray()
        try:
            async for raw in response.aiter_raw():
                for piece in decoder.feed(raw):
                    body += piece
                    if len(body) > self.max_bytes:
                        raise too_big
            for piece in decoder.flush():
                body += piece
                if len(body) > self.max_bytes:
                    raise too_big
        except DecodeError as exc:
            raise FetchError(url, str(exc)) from None
        return bytes(body)
