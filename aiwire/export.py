"""The ``aiwire.export/1`` document: the analysed corpus as one JSON object.

This is the contract in DESIGN.md and the schema in ``aiwire/schema/export.schema.json``.
The site renders from the same structure, so what a reader sees is what a machine gets.
Ordering is deterministic: stories by first report then id; lists by a stable key.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timezone
from typing import Any

from aiwire import EXPORT_SCHEMA
from aiwire.store import Store


def _figure_value(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 6)


def story_document(store: Store, story: dict[str, Any],
                   curation: dict[str, Any] | None = None,
                   dismissed: dict[str, str] | None = None) -> dict[str, Any]:
    """One story as exported; ``curation`` and ``dismissed`` carry the editors' changes."""
    story_id = story["id"]
    dismissed = dismissed or {}
    articles = store.rows(
        "SELECT a.id, a.url, a.feed_id, a.source, a.title, a.published, a.author, a.summary "
        "FROM story_articles s JOIN articles a ON a.id = s.article_id WHERE s.story_id = ? "
        "ORDER BY a.published, a.url", (story_id,))
    ids = [a["id"] for a in articles]
    marks = ",".join("?" * len(ids))
    url_of = {a["id"]: a["url"] for a in articles}
    source_of = {a["id"]: a["source"] for a in articles}
    mention_counts: Counter = Counter()
    for row in store.rows(f"SELECT entity_id FROM mentions WHERE article_id IN ({marks})", ids):
        mention_counts[row["entity_id"]] += 1
    entity_rows = {r["id"]: r for r in store.rows(
        f"SELECT * FROM entities WHERE id IN ({','.join('?' * len(mention_counts))})",
        list(mention_counts))} if mention_counts else {}
    entities = sorted(
        ({"id": eid, "name": entity_rows[eid]["name"], "type": entity_rows[eid]["type"],
          "mentions": count} for eid, count in mention_counts.items() if eid in entity_rows),
        key=lambda e: (-e["mentions"], e["id"]))
    figures = [
        {"kind": r["kind"], "value": _figure_value(r["value"]), "unit": r["unit"],
         "subject": r["subject"], "qualifier": r["qualifier"], "text": r["text"],
         "quote": r["quote"], "url": url_of[r["article_id"]],
         "source": source_of[r["article_id"]]}
        for r in store.rows(f"SELECT f.* FROM figures f JOIN articles a ON a.id = f.article_id "
                            f"WHERE f.article_id IN ({marks}) "
                            "ORDER BY f.kind, f.subject, f.value, a.url, f.start", ids)]
    claims = [
        {"speaker": r["speaker"], "stance": r["stance"], "quote": r["quote"],
         "url": url_of[r["article_id"]], "source": source_of[r["article_id"]],
         "hedged": bool(r["hedged"])}
        for r in store.rows(f"SELECT c.* FROM claims c JOIN articles a ON a.id = c.article_id "
                            f"WHERE c.article_id IN ({marks}) "
                            "ORDER BY c.speaker, c.stance, a.url, c.start", ids)]
    contradictions = []
    for r in store.rows("SELECT * FROM contradictions WHERE story_id = ? "
                        "ORDER BY kind, topic, subject, id", (story_id,)):
        flag = {"id": r["id"], "kind": r["kind"], "topic": r["topic"], "subject": r["subject"],
                "severity": r["severity"], "sides": json.loads(r["sides"])}
        if r["id"] in dismissed:        # optional fields: only when an editor dismissed it
            flag.update(dismissed=True, dismissed_reason=dismissed[r["id"]])
        contradictions.append(flag)
    techniques = [
        {"id": r["technique_id"], "name": r["name"], "evidence": r["evidence"], "url": r["url"]}
        for r in store.rows("SELECT * FROM story_techniques WHERE story_id = ? "
                            "ORDER BY technique_id", (story_id,))]
    edits = curation or {}
    document = {
        "id": story_id, "title": edits.get("title") or story["title"],
        "first_seen": story["first_seen"],
        "last_seen": story["last_seen"], "first_outlet": story["first_outlet"],
        "summary": json.loads(story["summary"] or "[]"),
        "articles": [{"url": a["url"], "feed": a["feed_id"], "source": a["source"],
                      "title": a["title"], "published": a["published"], "author": a["author"],
                      "summary": a["summary"]}
                     for a in articles],
        "entities": entities, "figures": figures, "claims": claims,
        "contradictions": contradictions, "techniques": techniques,
    }
    # optional fields, present only when an editor set them (curation.yaml)
    if edits.get("title") and edits["title"] != story["title"]:
        document["original_title"] = story["title"]
    if edits.get("pinned"):
        document["pinned"] = True
    if edits.get("note"):
        document["editor_note"] = edits["note"]
    return document


def export_document(store: Store, since: str | None = None,
                    generated_at: str | None = None) -> dict[str, Any]:
    """The whole corpus (or stories seen since ``since``) as ``aiwire.export/1``.

    ``generated_at`` defaults to the newest report in the store, not the clock, so the
    same database always exports the same bytes.
    """
    from aiwire.curation import dismissals, story_curation

    curated = story_curation(store)
    dismissed = dismissals(store)
    stories = [s for s in store.rows("SELECT * FROM stories ORDER BY first_seen, id")
               if not curated.get(s["id"], {}).get("hidden")]   # hidden by an editor
    if since:
        stories = [s for s in stories if (s["last_seen"] or "") >= since]
    if generated_at is None:
        newest = store.scalar("SELECT max(published) FROM articles")
        generated_at = newest or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "schema": EXPORT_SCHEMA, "generated_at": generated_at,
        "redirects": {r["old_id"]: r["new_id"] for r in store.rows(
            "SELECT * FROM story_redirects ORDER BY old_id")},
        "stories": [story_document(store, story, curated.get(story["id"]), dismissed)
                    for story in stories],
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def story_weeks(story: dict[str, Any]) -> list[str]:
    """The ISO weeks (``2026-W47``) with a report of ``story``; the week of its first
    sighting when no report is dated. The same rule as the site's weekly digests."""
    from aiwire.timeutil import parse_time

    weeks = set()
    for article in story.get("articles") or []:
        moment = parse_time(article.get("published"))
        if moment is not None:
            weeks.add(moment.strftime("%G-W%V"))
    if not weeks:
        first = parse_time(story.get("first_seen"))
        weeks = {first.strftime("%G-W%V")} if first else set()
    return sorted(weeks)


def week_documents(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """One ``aiwire.export/1`` document per ISO week, holding only that week's stories.

    A week's ``generated_at`` is its newest report and its ``redirects`` point into its
    stories only, so a new week (or a change to one story) leaves every other week's file
    byte-identical: the history is never rewritten.
    """
    weeks: dict[str, list[dict[str, Any]]] = {}
    for story in document["stories"]:
        for week in story_weeks(story):
            weeks.setdefault(week, []).append(story)
    redirects = document.get("redirects") or {}
    out = {}
    for week in sorted(weeks):
        stories = weeks[week]
        ids = {s["id"] for s in stories}
        newest = max((a.get("published") or "" for s in stories for a in s["articles"]),
                     default="") or document.get("generated_at")
        out[week] = {"schema": EXPORT_SCHEMA, "generated_at": newest,
                     "redirects": {old: new for old, new in sorted(redirects.items())
                                   if new in ids},
                     "stories": stories}
    return out
