"""Regenerate the sample web's feeds from its article pages' <meta> tags.

Run after adding or editing a sample article:  .venv/bin/python scripts/build_sample_feeds.py
Each outlet gets its own dialect (RSS 2.0, RSS 1.0/RDF, Atom, JSON Feed) so the collector
is exercised on all of them; Broken Beat's feed is written ill-formed on purpose.
"""

from __future__ import annotations

import json
from datetime import datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path

from lxml import html as lxml_html

WEB = Path(__file__).resolve().parent.parent / "aiwire" / "sample" / "web"
ORIGIN = "http://aiwire-sample.test"
OUTLETS = {
    "signal-desk": ("Signal Desk", "rss2"),
    "circuit-ledger": ("The Circuit Ledger", "atom-full"),
    "markets-wire": ("Markets Wire", "json"),
    "byte-sentinel": ("Byte Sentinel", "rss2"),
    "asia-tech-daily": ("Asia Tech Daily", "rdf"),
    "model-report": ("The Model Report", "atom"),
    "wirefeed": ("WireFeed Syndicate", "rss2"),
    "broken-beat": ("Broken Beat", "broken"),
    "newsgrid": ("NewsGrid", "rss2"),
}


def meta(page: Path) -> dict:
    tree = lxml_html.fromstring(page.read_bytes())
    get = lambda xpath: (tree.xpath(xpath) or [""])[0]  # noqa: E731
    article = tree.xpath("//article")
    return {
        "title": get("//meta[@property='og:title']/@content"),
        "summary": get("//meta[@name='description']/@content"),
        "author": get("//meta[@name='author']/@content"),
        "published": datetime.fromisoformat(
            get("//meta[@property='article:published_time']/@content")),
        "url": f"{ORIGIN}/{page.relative_to(WEB).as_posix()}",
        "content": lxml_html.tostring(article[0], encoding="unicode") if article else "",
    }


def rss2(name: str, outlet: str, items: list[dict], broken: bool = False) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">', "<channel>",
           f"<title>{escape(name)}</title>", f"<link>{ORIGIN}/{outlet}/</link>",
           f"<description>Latest from {escape(name)}</description>"]
    for item in items:
        title = item["title"] if broken else escape(item["title"])
        out += ["<item>", f"<title>{title}</title>",
                f"<link>{item['url']}?utm_source=rss&amp;utm_medium=feed</link>",
                f"<guid isPermaLink=\"false\">{item['url']}</guid>",
                f"<pubDate>{format_datetime(item['published'])}</pubDate>",
                f"<dc:creator>{escape(item['author'])}</dc:creator>",
                f"<description>{escape(item['summary'])}</description>", "</item>"]
    if broken:
        # Ill-formed on purpose: an unclosed item and a stray end tag, no </channel>.
        out += ["<item><title>Site maintenance & downtime notice", "<link>", "</rss>"]
        return "\n".join(out) + "\n"
    out += ["</channel>", "</rss>"]
    return "\n".join(out) + "\n"


def rdf(name: str, outlet: str, items: list[dict]) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
           'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
           f'<channel rdf:about="{ORIGIN}/{outlet}/"><title>{escape(name)}</title>'
           f"<link>{ORIGIN}/{outlet}/</link><description>{escape(name)}</description>"
           "<items><rdf:Seq>"]
    out += [f'<rdf:li rdf:resource="{i["url"]}"/>' for i in items]
    out += ["</rdf:Seq></items></channel>"]
    for item in items:
        out += [f'<item rdf:about="{item["url"]}">', f"<title>{escape(item['title'])}</title>",
                f"<link>{item['url']}</link>",
                f"<description>{escape(item['summary'])}</description>",
                f"<dc:date>{item['published'].isoformat()}</dc:date>",
                f"<dc:creator>{escape(item['author'])}</dc:creator>", "</item>"]
    out.append("</rdf:RDF>")
    return "\n".join(out) + "\n"


def atom(name: str, outlet: str, items: list[dict], full: bool) -> str:
    updated = max(i["published"] for i in items).isoformat()
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom">', f"<title>{escape(name)}</title>",
           f'<link href="{ORIGIN}/{outlet}/"/>', f"<id>{ORIGIN}/{outlet}/</id>",
           f"<updated>{updated}</updated>"]
    for item in items:
        out += ["<entry>", f"<title>{escape(item['title'])}</title>",
                f'<link rel="alternate" href="{item["url"]}"/>', f"<id>{item['url']}</id>",
                f"<published>{item['published'].isoformat()}</published>",
                f"<updated>{item['published'].isoformat()}</updated>",
                f"<author><name>{escape(item['author'])}</name></author>",
                f"<summary>{escape(item['summary'])}</summary>"]
        if full:
            out.append(f'<content type="html">{escape(item["content"])}</content>')
        out.append("</entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"


def json_feed(name: str, outlet: str, items: list[dict]) -> str:
    return json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": name,
        "home_page_url": f"{ORIGIN}/{outlet}/", "feed_url": f"{ORIGIN}/{outlet}/feed.json",
        "items": [{"id": i["url"], "url": i["url"], "title": i["title"],
                   "summary": i["summary"], "date_published": i["published"].isoformat(),
                   "authors": [{"name": i["author"]}]} for i in items],
    }, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    for outlet, (name, dialect) in OUTLETS.items():
        pages = sorted((WEB / outlet).rglob("*.html"))
        items = sorted((meta(p) for p in pages), key=lambda i: i["published"], reverse=True)
        if dialect == "rss2":
            path, text = "feed.xml", rss2(name, outlet, items)
        elif dialect == "broken":
            path, text = "feed.xml", rss2(name, outlet, items, broken=True)
        elif dialect == "rdf":
            path, text = "index.rdf", rdf(name, outlet, items)
        elif dialect == "json":
            path, text = "feed.json", json_feed(name, outlet, items)
        else:
            path, text = "atom.xml", atom(name, outlet, items, full=dialect == "atom-full")
        (WEB / outlet / path).write_text(text, encoding="utf-8")
        print(f"{outlet}/{path}: {len(items)} items")


if __name__ == "__main__":
    main()
