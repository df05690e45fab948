"""OPML in and out of feeds.yaml: how readers move their subscriptions between tools.

Miniflux, FreshRSS and most feed readers export their subscriptions as OPML; editors
arrive with that file. Import reads it with ``listparser`` (every OPML dialect, nested
folders), skips feeds already listed, checks each new one the way ``feeds add`` does
(a fetched, parsable feed through the guard) and appends the good ones to feeds.yaml
without touching its other lines. Export writes OPML 2.0 from feeds.yaml.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import listparser

from aiwire.config import FeedsFile, check_http_url, load_config
from aiwire.editors import FoundFeed, _client, append_feeds, find_feed, new_entry
from aiwire.errors import InputError
from aiwire.nlp.kb import slugify


@dataclass
class ImportReport:
    added: list[dict] = field(default_factory=list)
    present: list[str] = field(default_factory=list)     # URLs feeds.yaml already has
    failed: list[str] = field(default_factory=list)      # "file:line: url: why" per feed


@dataclass
class Outline:
    url: str
    title: str
    tags: list[str]
    line: int | None


def read_opml(path: Path) -> list[Outline]:
    """The feeds an OPML file lists (folders become tags); InputError if it is not OPML."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", path=str(path),
                         fix="check the path") from None
    result = listparser.parse(data)
    if not result.feeds and (result.bozo or not result.version):
        why = f" ({result.bozo_exception})" if result.bozo_exception else ""
        raise InputError(f"not an OPML file{why}", path=str(path),
                         fix="export the subscriptions from your reader as OPML")
    text = data.decode("utf-8", "replace").splitlines()
    outlines = []
    for feed in result.feeds:
        url = str(feed.get("url") or "").strip()
        needle = url.replace("&", "&amp;")
        line = next((n for n, row in enumerate(text, 1) if needle in row or url in row), None)
        tags = [t for t in dict.fromkeys(slugify(t) for t in feed.get("tags", [])) if t]
        outlines.append(Outline(url, str(feed.get("title") or "").strip(), tags, line))
    return outlines


def import_opml(opml: Path, feeds_path: Path, *, allow_private: bool = False,
                full_text: bool = True) -> ImportReport:
    """Add every new, working feed of ``opml`` to feeds.yaml; report the rest."""
    config = load_config(feeds_path) if feeds_path.exists() else FeedsFile()
    present = {feed.url for feed in config.feeds}
    report = ImportReport()
    todo: list[Outline] = []
    for outline in read_opml(opml):
        where = f"{opml}:{outline.line}" if outline.line else str(opml)
        try:
            check_http_url(outline.url)
        except ValueError as exc:
            report.failed.append(f"{where}: {outline.url or '(no xmlUrl)'}: {exc}")
            continue
        if outline.url in present or any(o.url == outline.url for o in todo):
            report.present.append(outline.url)
            continue
        todo.append(outline)

    async def check_all() -> list[FoundFeed | InputError]:
        async with _client(config, allow_private) as client:
            async def one(outline: Outline) -> FoundFeed | InputError:
                try:
                    return await find_feed(client, outline.url)
                except InputError as exc:
                    return exc
            return list(await asyncio.gather(*(one(o) for o in todo)))

    taken = {feed.id for feed in config.feeds}
    for outline, found in zip(todo, asyncio.run(check_all()) if todo else []):
        where = f"{opml}:{outline.line}" if outline.line else str(opml)
        if isinstance(found, InputError):
            report.failed.append(f"{where}: {found.detail}")
            continue
        if found.url in present:                       # the page led to a listed feed
            report.present.append(outline.url)
            continue
        entry = new_entry(found, taken, name=outline.title or None, tags=outline.tags,
                          full_text=full_text)
        taken.add(entry["id"])
        present.add(found.url)
        report.added.append(entry)
    if report.added:
        append_feeds(feeds_path, report.added)
    return report


def export_opml(config: FeedsFile, title: str = "aiwire feeds") -> str:
    """feeds.yaml as OPML 2.0 (tags as the ``category`` attribute); same input, same bytes."""
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = title
    body = ElementTree.SubElement(root, "body")
    for feed in config.feeds:
        attributes = {"type": "rss", "text": feed.name, "title": feed.name,
                      "xmlUrl": feed.url}
        if feed.tags:
            attributes["category"] = ",".join(feed.tags)
        ElementTree.SubElement(body, "outline", attributes)
    ElementTree.indent(root, space="  ")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + ElementTree.tostring(root, encoding="unicode") + "\n")
