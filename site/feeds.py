"""Atom 1.0 feeds: the newest stories, one per entity, and the weekly digest.

Built with ElementTree, so every string is escaped by the serializer; characters XML
cannot carry are dropped first. Ids are ``urn:uuid`` derived from story ids (and weeks),
and every timestamp comes from the data, so a rebuild gives the same bytes. Links are
relative to the feed file, or absolute under ``settings.site_url`` when it is set (what
feed readers and aggregators need). ``feeds/weekly.xml`` has one entry per weekly digest
whose HTML content carries the week's disagreements, sanitised by nh3 like any HTML that
reaches a reader.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from typing import Any

from markupsafe import Markup, escape

from aiwire.site.model import Site, parse_time, week_bounds
from aiwire.site.newsletter import week_view
from aiwire.site.sanitize import clean_html, xml_text
from aiwire.site.share import absolute

ATOM = "http://www.w3.org/2005/Atom"
NAMESPACE = uuid.UUID("6f0b7c52-3c0e-5d4c-9a55-1f5e2f0a7a11")  # aiwire's, fixed forever
DIGEST_ENTRIES = 50
EPOCH = "1970-01-01T00:00:00Z"


def _stamp(value: object) -> str:
    moment = parse_time(value)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else EPOCH


def _urn(kind: str, key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def entry_data(story: dict[str, Any]) -> dict[str, Any]:
    """Exactly what an entry shows of a story (and so what the feed depends on)."""
    facts = f"{story['n_reports']} reports from {story['n_outlets']} outlets"
    if story["n_contradictions"]:
        facts += f"; {story['n_contradictions']} contradiction(s)"
    return {"id": story["id"], "urn": _urn("story", story["id"]),
            "path": f"stories/{story['slug']}/index.html", "title": story["title"],
            "updated": _stamp(story["last_seen"]), "published": _stamp(story["first_seen"]),
            "summary": "\n".join([s["sentence"] for s in story["summary"]] + [facts]),
            "categories": [(e["id"], e["name"]) for e in story["entities"][:10]]}


def _href(path: str, root: str, site_url: str | None) -> str:
    """A link to a site path: absolute under the site URL, else relative to the feed."""
    return absolute(site_url, path) or f"{root}{path}"


def _entry(feed: ET.Element, entry_: dict[str, Any], root: str, site_url: str | None) -> None:
    entry = _add(feed, "entry")
    _add(entry, "id", entry_["urn"])
    _add(entry, "title", entry_["title"], type="text")
    _add(entry, "updated", entry_["updated"])
    _add(entry, "published", entry_["published"])
    _add(entry, "link", rel="alternate", type="text/html",
         href=_href(entry_["path"], root, site_url))
    _add(entry, "summary", entry_["summary"], type="text")
    if entry_.get("content_html"):
        _add(entry, "content", entry_["content_html"], type="html")
    for term, label in entry_["categories"]:
        _add(entry, "category", term=term, label=label)


def atom(*, key: str, title: str, entries: list[dict[str, Any]], self_path: str,
         fallback_updated: str, site_url: str | None = None) -> str:
    """One Atom document; links are relative to where the feed itself is written, or
    absolute under ``site_url``."""
    root = "../" * self_path.count("/")
    feed = ET.Element("feed", {"xmlns": ATOM})
    _add(feed, "id", _urn("feed", key))
    _add(feed, "title", title, type="text")
    _add(feed, "updated", max((e["updated"] for e in entries), default=fallback_updated))
    author = _add(feed, "author")
    _add(author, "name", "aiwire")
    _add(feed, "generator", "aiwire")
    _add(feed, "link", rel="self", type="application/atom+xml",
         href=absolute(site_url, self_path) or self_path.rsplit("/", 1)[-1])
    _add(feed, "link", rel="alternate", type="text/html",
         href=_href("index.html", root, site_url))
    for entry in entries:
        _entry(feed, entry, root, site_url)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, "unicode") + "\n"


def _newest_first(site: Site, ids: list[str]) -> list[str]:
    return sorted(ids, key=lambda s: (site.stories[s]["last_seen"], s), reverse=True)


def _digest_html(view: dict[str, Any]) -> str:
    """The week's disagreements as an HTML fragment: escaped here, then cleaned by nh3."""
    parts = []
    if view["disputed"]:
        parts.append(Markup("<p><strong>Where sources disagree</strong></p>"))
    for story in view["disputed"]:
        title = (Markup('<a href="{}">{}</a>').format(story["href"], story["title"])
                 if story["href"] else escape(story["title"]))
        parts.append(Markup("<p><strong>{}</strong> ({})</p><ul>").format(title,
                                                                           story["reports"]))
        for point in story["points"]:
            sides = Markup("</li><li>").join(
                Markup("<b>{}</b>: {} ({})").format(
                    p["text"], p["count"], Markup(", ").join(
                        Markup('<a href="{}">{}</a>').format(s["href"], s["name"])
                        if s["href"] else escape(s["name"]) for s in p["sources"]))
                for p in point["positions"])
            parts.append(Markup("<li>{} <em>({})</em><ul><li>{}</li></ul></li>").format(
                point["label"], point["why"], sides))
        parts.append(Markup("</ul>"))
    if view["others"]:
        parts.append(Markup("<p><strong>Other stories</strong></p><ul>"))
        parts += [Markup("<li>{}</li>").format(
            Markup('<a href="{}">{}</a>').format(s["href"], s["title"]) if s["href"]
            else s["title"]) for s in view["others"]]
        parts.append(Markup("</ul>"))
    return clean_html(str(Markup("").join(parts)))


def weekly_entry(site: Site, week: str, site_url: str | None) -> dict[str, Any]:
    """One Atom entry for a weekly digest; updated = its newest report in that week."""
    view = week_view(site, week, site_url)
    start, end = week_bounds(week)
    times = [t for sid in site.weeks[week] for a in site.stories[sid]["timeline"]
             if (t := parse_time(a["published"])) is not None and start <= t < end]
    updated = _stamp(max(times)) if times else _stamp(start)
    lines = [view["subject"] + "."]
    for story in view["disputed"]:
        lines.append(f"{story['title']}: " + "; ".join(p["label"] for p in story["points"]))
    return {"id": week, "urn": _urn("week", week), "path": f"digest/{week}/index.html",
            "title": view["subject"], "updated": updated, "published": updated,
            "summary": "\n".join(lines), "content_html": _digest_html(view),
            "categories": []}


def feed_specs(site: Site, site_url: str | None = None) -> list[tuple[str, dict[str, Any]]]:
    """(path, arguments of :func:`atom`) for the story feed, the weekly digest feed and
    one feed per entity.

    The arguments are plain data, so the build can key each feed by them and skip
    writing feeds whose entries did not change.
    """
    fallback = _stamp(site.generated_at)

    def spec(key: str, title: str, ids: list[str], path: str) -> tuple[str, dict[str, Any]]:
        entries = [entry_data(site.stories[s]) for s in _newest_first(site, ids)[:DIGEST_ENTRIES]]
        return path, {"key": key, "title": title, "entries": entries, "self_path": path,
                      "fallback_updated": fallback if not entries else EPOCH,
                      "site_url": site_url}

    specs = [spec("digest", "aiwire: AI security digest", list(site.stories),
                  "feeds/digest.xml")]
    weeks = [weekly_entry(site, week, site_url) for week in list(site.weeks)[:DIGEST_ENTRIES]]
    specs.append(("feeds/weekly.xml", {
        "key": "weekly", "title": "aiwire: weekly digest", "entries": weeks,
        "self_path": "feeds/weekly.xml", "fallback_updated": fallback if not weeks else EPOCH,
        "site_url": site_url}))
    for eid, entity in sorted(site.entities.items()):
        specs.append(spec(f"entity:{eid}", f"aiwire: {entity['name']}", entity["stories"],
                          f"feeds/entities/{entity['slug']}.xml"))
    return specs


def feed_files(site: Site, site_url: str | None = None) -> dict[str, str]:
    return {path: atom(**args) for path, args in feed_specs(site, site_url)}
