"""Editors' tools: probe the feeds in feeds.yaml, and add a feed discovered on a page."""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml
from lxml import html as lxml_html

from aiwire.collector.extract import decode_html, extract_article
from aiwire.collector.feeds import parse_feed
from aiwire.collector.http import FetchError, HttpClient
from aiwire.config import FeedConfig, FeedsFile, check_http_url, load_config, parse_config
from aiwire.errors import InputError
from aiwire.nlp.kb import slugify
from aiwire.store import Store

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json",
              "application/json", "application/rdf+xml", "text/xml", "application/xml")


async def _probe(config: FeedsFile) -> list[dict]:
    settings = config.settings
    async with HttpClient(user_agent=settings.user_agent,
                          allow_private_networks=settings.allow_private_networks,
                          timeout=settings.timeout_seconds, max_bytes=settings.max_bytes,
                          concurrency=settings.concurrency,
                          per_host_concurrency=settings.per_host_concurrency,
                          per_host_interval=settings.per_host_interval_seconds) as client:
        return list(await asyncio.gather(*(_probe_one(client, feed)
                                           for feed in config.feeds)))


async def _probe_one(client: HttpClient, feed: FeedConfig) -> dict:
    """Fetch one feed and its newest article the way collect would, and say how it went."""
    row = {"id": feed.id, "ok": False, "status": "", "items": 0, "newest": None,
           "extraction": "-", "robots": await client.robots_verdict(feed.url)}
    try:
        result = await client.fetch(feed.url)
    except FetchError as exc:
        row["status"] = exc.reason
        return row
    parsed = parse_feed(result.content, result.url, result.content_type)
    row["items"] = len(parsed.entries)
    dates = sorted(e.published for e in parsed.entries if e.published)
    row["newest"] = dates[-1] if dates else None
    row["ok"] = bool(parsed.entries)
    row["status"] = f"HTTP {result.status}" + (f", {parsed.degraded}"
                                               if parsed.degraded else "")
    if not parsed.entries:
        return row
    if not feed.full_text:
        row["extraction"] = "feed content"
        return row
    newest = max(parsed.entries, key=lambda e: e.published or "")
    try:
        page = await client.fetch(newest.link)
    except FetchError as exc:
        row["extraction"] = f"failed: {exc.reason}"
        return row
    html = decode_html(page.content, page.content_type)
    found = await asyncio.to_thread(extract_article, html, page.url)
    row["extraction"] = f"ok ({len(found.text)} chars)" if found else "no text found"
    return row


def probe_feeds(config: FeedsFile, db: Path | None) -> list[dict]:
    """One row per feed: status, item count, newest date, extraction, robots, health."""
    rows = asyncio.run(_probe(config))
    health: dict[str, dict] = {}
    if db is not None:
        store = Store(db)
        try:
            health = {row["id"]: store.feed(row["id"]) for row in rows}
        finally:
            store.close()
    for row in rows:
        row["health"] = describe_health(health.get(row["id"]))
    return rows


def describe_health(state: dict | None) -> str:
    """A feed's record in the store as one line: last success, failures, last error."""
    if not state or not state.get("last_attempt"):
        return "never collected"
    if state["consecutive_failures"]:
        return (f"{state['consecutive_failures']} failure(s) in a row; last ok "
                f"{state['last_success'] or 'never'}; last error: {state['last_error']}")
    return f"ok, last success {state['last_success']}"


FEEDISH_HREF = re.compile(r"(/feed/?|/rss/?|/atom/?|\.rss|\.atom|/feed\.xml|/rss\.xml|"
                          r"/atom\.xml|/index\.xml|/feed\.json)$", re.I)
# where sites usually keep a feed, tried in this order when a page names none
USUAL_FEED_PATHS = ("feed", "rss", "atom.xml", "feed.xml", "index.xml", "rss.xml")


def discover_feed_url(page_html: str, base_url: str) -> str | None:
    """The page's first ``<link rel="alternate">`` feed, else a link that looks like one."""
    try:
        tree = lxml_html.fromstring(page_html)
    except (ValueError, lxml_html.etree.ParserError):
        return None
    for link in tree.xpath("//link[@href]"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        if "alternate" in rel and kind in FEED_TYPES:
            return urljoin(base_url, link.get("href").strip())
    for anchor in tree.xpath("//a[@href]"):
        href = anchor.get("href").strip()
        if FEEDISH_HREF.search(href.split("?")[0]):
            return urljoin(base_url, href)
    return None


def usual_feed_urls(page_url: str) -> list[str]:
    """The usual feed paths beside the page, then at the site's root, without repeats."""
    parts = urlsplit(page_url)
    folder = parts.path if parts.path.endswith("/") else parts.path.rsplit("/", 1)[0] + "/"
    bases = [f"{parts.scheme}://{parts.netloc}{folder}", f"{parts.scheme}://{parts.netloc}/"]
    urls: list[str] = []
    for base in bases:
        for path in USUAL_FEED_PATHS:
            url = urljoin(base, path)
            if url not in urls and url != page_url:
                urls.append(url)
    return urls


@dataclass
class FoundFeed:
    url: str
    title: str


async def find_feed(client: HttpClient, url: str) -> FoundFeed:
    """The feed at ``url``, or the one its page links, or one at a usual feed path.

    Raises InputError (what failed and what to do) when there is none.
    """
    try:
        first = await client.fetch(url)
    except FetchError as exc:
        raise InputError(f"{url}: {exc.reason}", fix="check the address") from None
    parsed = parse_feed(first.content, first.url, first.content_type)
    if parsed.entries or parsed.kind:
        return FoundFeed(first.url, parsed.title)
    text = decode_html(first.content, first.content_type)
    found = discover_feed_url(text, first.url)
    if found:
        try:
            feed = await client.fetch(found)
        except FetchError as exc:
            raise InputError(f"{found}: the page links a feed here, but {exc.reason}",
                             fix="pass the feed's own URL") from None
        parsed = parse_feed(feed.content, feed.url, feed.content_type)
        if not parsed.entries and not parsed.kind:
            raise InputError(f"{found}: the page links a feed here, but it is not one "
                             f"({parsed.degraded})", fix="pass the feed's own URL")
        return FoundFeed(found, parsed.title)
    for candidate in usual_feed_urls(first.url):
        try:
            feed = await client.fetch(candidate)
        except FetchError:
            continue
        parsed = parse_feed(feed.content, feed.url, feed.content_type)
        if parsed.entries or parsed.kind:
            return FoundFeed(candidate, parsed.title)
    raise InputError(f"{url}: no feed link found on this page, nor at "
                     f"{', '.join('/' + p for p in USUAL_FEED_PATHS)}",
                     fix="pass the feed's own URL")


def _client(config: FeedsFile, allow_private: bool) -> HttpClient:
    settings = config.settings
    return HttpClient(user_agent=settings.user_agent,
                      allow_private_networks=allow_private or settings.allow_private_networks,
                      timeout=settings.timeout_seconds, max_bytes=settings.max_bytes)


def new_entry(found: FoundFeed, taken: set[str], *, feed_id: str | None = None,
              name: str | None = None, tags: list[str] | None = None,
              keywords: list[str] | None = None, full_text: bool = True) -> dict:
    """A feeds.yaml entry for a found feed, with an id no other feed has."""
    name = re.sub(r"\s+", " ", name or found.title or "").strip() or \
        urlsplit(found.url).hostname or found.url
    new_id = feed_id or slugify(name) or "feed"
    if new_id in taken:
        if feed_id:
            raise InputError(f"feed id {new_id!r} already exists", fix="choose another --id")
        base, n = new_id, 2
        while f"{base}-{n}" in taken:
            n += 1
        new_id = f"{base}-{n}"
    entry: dict = {"id": new_id, "name": name, "url": found.url, "full_text": full_text}
    if tags:
        entry["tags"] = list(tags)
    if keywords:
        entry["keywords"] = list(keywords)
    return entry


def add_feed(url: str, feeds_path: Path, feed_id: str | None = None,
             allow_private: bool = False, *, tags: list[str] | None = None,
             keywords: list[str] | None = None, full_text: bool = True) -> dict:
    """Find the feed for ``url`` and append it to feeds.yaml, changing no other line."""
    try:
        check_http_url(url)
    except ValueError as exc:
        raise InputError(f"{url}: {exc}", fix="give an http(s) URL") from None
    config = load_config(feeds_path) if feeds_path.exists() else FeedsFile()

    async def find() -> FoundFeed:
        async with _client(config, allow_private) as client:
            return await find_feed(client, url)

    found = asyncio.run(find())
    if any(feed.url == found.url for feed in config.feeds):
        raise InputError(f"{found.url} is already in {feeds_path}", path=str(feeds_path),
                         fix="nothing to add")
    entry = new_entry(found, {f.id for f in config.feeds}, feed_id=feed_id, tags=tags,
                      keywords=keywords, full_text=full_text)
    append_feeds(feeds_path, [entry])
    return entry


def append_feeds(feeds_path: Path, entries: list[dict]) -> None:
    """Write ``entries`` after the last feed in feeds.yaml; every other byte stays.

    The new lines copy the indentation of the entries already there. The result is
    validated before it replaces the file (atomically).
    """
    # bytes, not read_text: universal newlines would turn a CRLF file into LF
    text = feeds_path.read_bytes().decode("utf-8") if feeds_path.exists() else ""
    updated = insert_feed_entries(text, entries)
    config = parse_config(updated, str(feeds_path))   # validate before touching the file
    written = [f.model_dump(include=set(e)) for f, e in
               zip(config.feeds[len(config.feeds) - len(entries):], entries)]
    if written != entries:     # the new lines must read back as exactly what was meant
        raise InputError("the new entries would not read back as written", path=str(feeds_path),
                         fix="report this; add the feed by hand meanwhile")
    partial = feeds_path.with_name(feeds_path.name + ".tmp")
    partial.write_text(updated, encoding="utf-8", newline="")
    partial.replace(feeds_path)


# --- feeds.yaml as text: add lines, touch nothing else -----------------------------------
PLAIN_SCALAR = re.compile(r"^[A-Za-z_][\w .,/()&+'=%?#~@;:-]*$")
YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "none", "~"}


def _scalar(value: object, in_list: bool = False) -> str:
    """``value`` as a YAML scalar: plain when that reads back the same, else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if in_list and "," in text:
        return json.dumps(text, ensure_ascii=False)
    if (PLAIN_SCALAR.match(text) and text.lower() not in YAML_WORDS
            and not text.endswith((" ", ":")) and " #" not in text and ": " not in text):
        return text
    return json.dumps(text, ensure_ascii=False)       # a JSON string is YAML too


def _entry_lines(entry: dict, dash: int, key: int) -> list[str]:
    lines = []
    for n, (name, value) in enumerate(entry.items()):
        if isinstance(value, list):
            value_text = "[" + ", ".join(_scalar(v, in_list=True) for v in value) + "]"
        else:
            value_text = _scalar(value)
        lead = " " * dash + "-" + " " * (key - dash - 1) if n == 0 else " " * key
        lines.append(f"{lead}{name}: {value_text}")
    return lines


def _last_line(node: yaml.Node) -> int:
    """The 0-based line where the last scalar under ``node`` ends (comments after it and
    the next key do not count)."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    mark = node.end_mark
    return mark.line - 1 if mark.column == 0 and mark.line > node.start_mark.line else mark.line


def insert_feed_entries(text: str, entries: list[dict]) -> str:
    """feeds.yaml text with ``entries`` added to its ``feeds:`` list, as new lines only."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    root = yaml.compose(text) if text.strip() else None
    feeds_key = feeds_value = None
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if key_node.value == "feeds":
                feeds_key, feeds_value = key_node, value_node
    dash, key = 2, 4
    if isinstance(feeds_value, yaml.SequenceNode) and feeds_value.value \
            and not feeds_value.flow_style:
        first = feeds_value.value[0]
        line = lines[first.start_mark.line]
        dash = line.rfind("-", 0, first.start_mark.column)
        key = first.start_mark.column
        at = _last_line(feeds_value) + 1
    elif feeds_key is not None and (
            (isinstance(feeds_value, yaml.ScalarNode) and feeds_value.value in ("", "~", "null"))
            or (isinstance(feeds_value, yaml.SequenceNode) and not feeds_value.value)):
        # `feeds:` with nothing, or `feeds: []`: the list starts on the next line
        at = feeds_key.start_mark.line + 1
        row = lines[feeds_key.start_mark.line]
        if isinstance(feeds_value, yaml.SequenceNode):
            cut = feeds_value.start_mark.column
            row = row[:cut].rstrip() + row[feeds_value.end_mark.column:]
        elif feeds_value.value:
            row = row[:feeds_value.start_mark.column].rstrip() + \
                row[feeds_value.end_mark.column:]
        lines[feeds_key.start_mark.line] = row
        indent = feeds_key.start_mark.column
        dash, key = indent + 2, indent + 4
    elif feeds_key is None:
        at = len(lines)
        lines.append("feeds:" + newline)
        at += 1
    else:
        raise InputError("`feeds:` is not a list this command can add to",
                         line=feeds_key.start_mark.line + 1,
                         fix="write the feeds as a block list (one `- id: ...` per entry)")
    added = [line + newline for entry in entries for line in _entry_lines(entry, dash, key)]
    return "".join(lines[:at] + added + lines[at:])
