"""A labelled corpus of article files, served as a small web on loopback.

The format is the one of ``realworld-dev/README.md``: ``articles/<event>__<outlet>.txt``,
each a header (``url:``, ``outlet:``, ``date:``, ``title:``), a blank line and the page
text, plus a ``gold.yaml``. To score the real pipeline on such a corpus every file
becomes an HTML page and every outlet an RSS feed on 127.0.0.1, so the articles go
through the same fetch, extraction, relevance and dedupe steps as a weekly run.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import yaml

from aiwire.errors import InputError

HEADER_KEYS = ("url", "outlet", "date", "title")
LIST_ITEM = re.compile(r"^\s*(?:[-*•●▪]|\d{1,2}[.)])\s+")
SAME_WEEK_MONDAY = date(2026, 11, 16)


@dataclass
class CorpusArticle:
    key: str            # the file name, e.g. "some-event__outlet.txt"
    url: str            # the address the page had when it was stored
    outlet: str
    published: date
    title: str
    body: str

    @property
    def path(self) -> str:
        """Where the loopback web serves this article."""
        return f"/{feed_slug(self.outlet)}/{Path(self.key).stem}.html"


def feed_slug(outlet: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", outlet.lower()).strip("-")
    return slug or "outlet"


def parse_article(path: Path) -> CorpusArticle:
    """One article file: header lines, a blank line, then the page text verbatim."""
    text = path.read_text("utf-8")
    head, sep, body = text.partition("\n\n")
    if not sep:
        raise InputError(f"{path}:1: no blank line after the header; add one between the "
                         "`title:` line and the page text")
    fields: dict[str, str] = {}
    for number, line in enumerate(head.splitlines(), start=1):
        key, colon, value = line.partition(":")
        if not colon or key.strip() not in HEADER_KEYS:
            raise InputError(f"{path}:{number}: expected one of "
                             f"{', '.join(k + ':' for k in HEADER_KEYS)} but found {line!r}")
        fields[key.strip()] = value.strip()
    missing = [k for k in HEADER_KEYS if not fields.get(k)]
    if missing:
        raise InputError(f"{path}:1: header lacks {', '.join(missing)}; every article file "
                         "starts with url:, outlet:, date: (YYYY-MM-DD) and title:")
    try:
        published = date.fromisoformat(fields["date"])
    except ValueError:
        raise InputError(f"{path}: date {fields['date']!r} is not YYYY-MM-DD") from None
    return CorpusArticle(path.name, fields["url"], fields["outlet"], published,
                         fields["title"], body.strip("\n"))


def load_corpus(folder: Path) -> tuple[list[CorpusArticle], dict]:
    """The articles (sorted by file name) and the parsed gold file of a corpus folder."""
    folder = Path(folder)
    articles_dir = folder / "articles"
    gold_path = folder / "gold.yaml"
    if not articles_dir.is_dir() or not gold_path.is_file():
        raise InputError(f"{folder}: a corpus folder holds articles/*.txt and gold.yaml "
                         "(see the corpus format in README.md)")
    try:
        gold = yaml.safe_load(gold_path.read_text("utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise InputError(f"{gold_path}{line}: not valid YAML ({exc})") from None
    articles = [parse_article(p) for p in sorted(articles_dir.glob("*.txt"))]
    unknown = sorted(set((gold.get("articles") or {})) - {a.key for a in articles})
    if unknown:
        raise InputError(f"{gold_path}: labels for files that are not in articles/: "
                         f"{', '.join(unknown[:5])}")
    return articles, gold


def same_week(articles: list[CorpusArticle]) -> list[CorpusArticle]:
    """Every article re-dated into one week (a stable day from its file name)."""
    moved = []
    for article in articles:
        offset = int(hashlib.sha1(article.key.encode()).hexdigest(), 16) % 7
        moved.append(CorpusArticle(article.key, article.url, article.outlet,
                                   SAME_WEEK_MONDAY + timedelta(days=offset),
                                   article.title, article.body))
    return moved


def _timestamp(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=timezone.utc)


def article_html(article: CorpusArticle) -> str:
    """The page: the text's lines as paragraphs, runs of bulleted lines as a list."""
    parts, items = [], []

    def flush() -> None:
        if items:
            parts.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
            items.clear()

    for line in article.body.splitlines():
        line = line.strip()
        if not line:
            flush()
            continue
        if LIST_ITEM.match(line):
            items.append(html.escape(LIST_ITEM.sub("", line, count=1)))
            continue
        flush()
        parts.append(f"<p>{html.escape(line)}</p>")
    flush()
    stamp = _timestamp(article.published).isoformat()
    title = html.escape(article.title)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{title}</title>"
            f"<meta property=\"og:title\" content=\"{title}\">"
            f"<meta property=\"og:site_name\" content=\"{html.escape(article.outlet)}\">"
            f"<meta property=\"article:published_time\" content=\"{stamp}\">"
            f"</head><body><article>\n" + "\n".join(parts) +
            "\n</article></body></html>\n")


def outlet_feed(outlet: str, articles: list[CorpusArticle], origin: str) -> str:
    """An RSS 2.0 feed of one outlet's articles, newest first."""
    items = []
    for article in sorted(articles, key=lambda a: (a.published, a.key), reverse=True):
        items.append(
            "<item>"
            f"<title>{html.escape(article.title)}</title>"
            f"<link>{origin}{article.path}</link>"
            f"<guid isPermaLink=\"true\">{origin}{article.path}</guid>"
            f"<pubDate>{format_datetime(_timestamp(article.published))}</pubDate>"
            "</item>")
    return ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>"
            f"<title>{html.escape(outlet)}</title><link>{origin}/{feed_slug(outlet)}/</link>"
            "<description>labelled corpus</description>" + "".join(items) +
            "</channel></rss>\n")


def write_web(articles: list[CorpusArticle], root: Path, origin: str) -> dict[str, str]:
    """Write pages and feeds under ``root``; return feed id -> outlet name."""
    by_outlet: dict[str, list[CorpusArticle]] = {}
    for article in articles:
        by_outlet.setdefault(article.outlet, []).append(article)
    feeds = {}
    for outlet, members in sorted(by_outlet.items()):
        slug = feed_slug(outlet)
        folder = root / slug
        folder.mkdir(parents=True, exist_ok=True)
        for article in members:
            (root / article.path.lstrip("/")).write_text(article_html(article), "utf-8")
        (folder / "feed.xml").write_text(outlet_feed(outlet, members, origin), "utf-8")
        feeds[slug] = outlet
    return feeds


def corpus_feeds_yaml(feeds: dict[str, str], base_url: str) -> str:
    lines = ["# Generated by `aiwire eval --corpus` for a labelled corpus on loopback.",
             "settings:", "  allow_private_networks: true  # the corpus web is on 127.0.0.1",
             "  per_host_concurrency: 4", "  max_articles_per_feed: 500", "feeds:"]
    for slug, outlet in sorted(feeds.items()):
        name = outlet.replace("\\", "\\\\").replace('"', '\\"')
        lines += [f"  - id: {slug}", f"    name: \"{name}\"",
                  f"    url: {base_url}/{slug}/feed.xml", "    full_text: true"]
    return "\n".join(lines) + "\n"
