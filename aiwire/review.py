"""The editors' review queue: what the last run brought, each item with a curation line.

"New" means collected since the start of the last run that brought any article (or
everything, before the first run): new and updated stories, contradiction flags with a
side quoted from a new report (hard ones first), entities seen for the first time, and
ATLAS techniques a new report put on a story. Each item carries lines ready to paste
into curation.yaml under their section (one flow-style entry per line), so correcting
the machine takes a copy and a paste. The queue only reads the database; it is shown
by ``aiwire review`` and written to ``_editors/review.html`` on every build.
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path
from typing import Any

from aiwire.curation import dismissals, story_curation

REVIEW_PATH = "_editors/review.html"
OTHER_TYPE = {"ORG": "PRODUCT", "PRODUCT": "ORG", "PERSON": "ORG", "THREAT_ACTOR": "ORG",
              "CVE": "PRODUCT", "GPE": "ORG"}
WORD = re.compile(r"[a-z0-9]{3,}")
SEVERITY_ORDER = {"hard": 0, "high": 0, "soft": 1}
MERGE_HINT = 0.2      # title-word overlap from which another story is offered as a merge


def _q(value: str) -> str:
    """A string quoted for a flow-style YAML entry (JSON strings are YAML)."""
    return json.dumps(value, ensure_ascii=False)


def line(section: str, action: str, entry: str) -> dict[str, str]:
    """One suggestion: paste ``entry`` under ``section:`` in curation.yaml."""
    return {"section": section, "action": action, "entry": f"- {{{entry}}}"}


def since(store: Any) -> str | None:
    """When the last run that brought articles started (None: no run yet, all is new)."""
    return store.scalar("SELECT max(started) FROM runs WHERE started <= "
                        "(SELECT max(fetched_at) FROM articles)")


def review_queue(store: Any) -> dict[str, Any]:
    """The queue as plain data: ``since``, ``stories``, ``flags``, ``entities``,
    ``techniques``; deterministic for one database."""
    start = since(store)
    new_ids = {r["id"] for r in store.rows(
        "SELECT id FROM articles WHERE fetched_at >= ?" if start else "SELECT id FROM articles",
        (start,) if start else ())}
    hidden = {sid for sid, edits in story_curation(store).items() if edits.get("hidden")}
    members: dict[str, list[dict]] = {}
    for row in store.rows("SELECT s.story_id, a.id, a.url, a.title, a.published FROM "
                          "story_articles s JOIN articles a ON a.id = s.article_id "
                          "ORDER BY a.published, a.url"):
        members.setdefault(row["story_id"], []).append(row)
    stories = {r["id"]: r for r in store.rows("SELECT id, title FROM stories ORDER BY id")}
    touched = sorted(sid for sid, rows in members.items()
                     if sid in stories and sid not in hidden
                     and any(r["id"] in new_ids for r in rows))
    new_urls = {r["url"] for rows in members.values() for r in rows if r["id"] in new_ids}
    hints = MergeHints({sid: row["title"] for sid, row in stories.items() if sid in members})
    return {
        "since": start,
        "stories": [_story_item(sid, stories, members, new_ids, hints) for sid in touched],
        "flags": _flags(store, touched, new_urls),
        "entities": _entities(store, new_ids),
        "techniques": _techniques(store, touched, new_urls),
        "skipped": _last_skipped(store),
    }


def _last_skipped(store: Any) -> list[str]:
    """The curation entries the newest recorded run skipped (bad lines to fix)."""
    raw = store.scalar("SELECT report FROM runs WHERE report IS NOT NULL ORDER BY id DESC "
                       "LIMIT 1")
    try:
        return skipped_lines(json.loads(raw)) if raw else []
    except (ValueError, AttributeError):
        return []


def _words(title: str) -> set[str]:
    return set(WORD.findall((title or "").lower()))


class MergeHints:
    """The other story whose title shares the most words (Jaccard), through an index of
    words, so a first review of a large store stays linear-ish rather than quadratic."""

    def __init__(self, titles: dict[str, str]) -> None:
        self.words = {sid: _words(title) for sid, title in titles.items()}
        self.index: dict[str, set[str]] = {}
        for sid, words in self.words.items():
            for word in words:
                self.index.setdefault(word, set()).add(sid)

    def best(self, sid: str) -> str | None:
        mine = self.words.get(sid, set())
        candidates = set().union(*(self.index[w] for w in mine)) - {sid} if mine else set()
        scored = sorted((-len(mine & self.words[o]) / len(mine | self.words[o]), o)
                        for o in candidates)
        return scored[0][1] if scored and -scored[0][0] >= MERGE_HINT else None


def _story_item(sid: str, stories: dict, members: dict, new_ids: set[int],
                hints: MergeHints) -> dict[str, Any]:
    rows = members[sid]
    fresh = [r for r in rows if r["id"] in new_ids]
    title = stories[sid]["title"]
    lines = [line("stories", "hide (off-topic)", f"id: {sid}, hide: true")]
    best = hints.best(sid)          # the likeliest merge
    if best is not None:
        lines.append(line("merge", f"merge into {best}", f"into: {best}, stories: [{sid}]"))
    if len(rows) > 1:
        newest = fresh[-1] if fresh else rows[-1]
        lines.append(line("split", "split out the newest report",
                          f"article: {_q(newest['url'])}, from: {sid}"))
    return {"id": sid, "title": title, "status": "new" if len(fresh) == len(rows)
            else "updated", "reports": len(rows), "new_reports": len(fresh), "lines": lines}


def _flags(store: Any, touched: list[str], new_urls: set[str]) -> list[dict[str, Any]]:
    dismissed = dismissals(store)
    wanted = set(touched)
    out = []
    for row in store.rows("SELECT * FROM contradictions ORDER BY story_id, id"):
        if row["story_id"] not in wanted or row["id"] in dismissed:
            continue
        sides = json.loads(row["sides"])
        if not any(side.get("url") in new_urls for side in sides):
            continue
        out.append({
            "id": row["id"], "story": row["story_id"], "kind": row["kind"],
            "topic": row["topic"], "subject": row["subject"], "severity": row["severity"],
            "sides": [{"value": s.get("text") or s.get("value"), "quote": s.get("quote"),
                       "source": s.get("source"), "url": s.get("url")} for s in sides],
            "lines": [line("dismiss", "dismiss",
                           f"contradiction: {_q(row['id'])}, reason: "
                           f"{_q('Checked by the editors: the sides do not disagree.')}")]})
    out.sort(key=lambda f: (SEVERITY_ORDER.get(f["severity"], 2), f["story"], f["id"]))
    return out


def _entities(store: Any, new_ids: set[int]) -> list[dict[str, Any]]:
    first: dict[str, list[dict]] = {}
    old: set[str] = set()
    for row in store.rows("SELECT m.entity_id, m.article_id, m.text FROM mentions m "
                          "ORDER BY m.entity_id, m.article_id, m.start"):
        if row["article_id"] in new_ids:
            first.setdefault(row["entity_id"], []).append(row)
        else:
            old.add(row["entity_id"])
    entities = {r["id"]: r for r in store.rows("SELECT id, name, type FROM entities")}
    seen_before = {eid: entities[eid]["name"] for eid in old if eid in entities}
    out = []
    for eid in sorted(set(first) - old):
        if eid not in entities:
            continue
        entity = entities[eid]
        lines = [line("entities", "reject", f"id: {eid}, reject: true"),
                 line("entities", f"retype as {OTHER_TYPE.get(entity['type'], 'ORG')}",
                      f"id: {eid}, type: {OTHER_TYPE.get(entity['type'], 'ORG')}")]
        close = difflib.get_close_matches(entity["name"].lower(),
                                          [n.lower() for n in seen_before.values()], n=1,
                                          cutoff=0.75)
        if close:
            target = next(i for i, n in sorted(seen_before.items()) if n.lower() == close[0])
            lines.append(line("entities", f"alias of {target}", f"id: {eid}, alias_to: {target}"))
        mentions = first[eid]
        out.append({"id": eid, "name": entity["name"], "type": entity["type"],
                    "mentions": len(mentions),
                    "articles": len({m["article_id"] for m in mentions}),
                    "example": mentions[0]["text"], "lines": lines})
    return out


def _techniques(store: Any, touched: list[str], new_urls: set[str]) -> list[dict[str, Any]]:
    from aiwire.curation import known_techniques

    names = known_techniques()
    out = []
    wanted = set(touched)
    on_story: dict[str, set[str]] = {}
    for row in store.rows("SELECT * FROM story_techniques ORDER BY story_id, technique_id"):
        on_story.setdefault(row["story_id"], set()).add(row["technique_id"])
        if row["story_id"] in wanted and row["url"] in new_urls:
            out.append({"story": row["story_id"], "id": row["technique_id"],
                        "name": row["name"], "evidence": row["evidence"], "on_story": True,
                        "lines": [line("techniques", "remove",
                                       f"story: {row['story_id']}, "
                                       f"remove: [{row['technique_id']}]")]})
    # techniques a story's reports carry but the story does not (an editor removed it,
    # or it was dropped): the line to put it back
    for row in store.rows("SELECT DISTINCT s.story_id, t.technique_id FROM article_techniques "
                          "t JOIN story_articles s ON s.article_id = t.article_id "
                          "ORDER BY s.story_id, t.technique_id"):
        sid, tid = row["story_id"], row["technique_id"]
        if sid in wanted and tid not in on_story.get(sid, set()) and tid in names:
            out.append({"story": sid, "id": tid, "name": names[tid], "evidence": None,
                        "on_story": False,
                        "lines": [line("techniques", "add", f"story: {sid}, add: [{tid}]")]})
    return out


def review_counts(queue: dict[str, Any]) -> dict[str, int]:
    return {key: len(queue[key]) for key in ("stories", "flags", "entities", "techniques")}


def review_page(queue: dict[str, Any], skipped: list[str] | None = None) -> str:
    """``_editors/review.html``: the queue with its lines, for editors (noindex)."""
    from aiwire.site.pages import CSP, environment

    context = {"root": "../", "section": "editors", "csp": CSP, "queue": queue,
               "counts": review_counts(queue), "skipped": skipped or []}
    return environment().get_template("editors_review.html").render(context)


def plain_review(queue: dict[str, Any]) -> str:
    """The queue as tab-separated lines: kind, id, what, section, entry (a skipped
    curation line: ``skipped``, then the problem)."""
    out = [f"skipped\t\t{' '.join(line.split())}\t\t" for line in queue.get("skipped", [])]
    for kind, key, what in (("story", "stories", lambda s: f"{s['status']}: {s['title']}"),
                            ("flag", "flags", lambda f: f"{f['severity']} {f['kind']}: "
                                                        f"{f['topic']} in {f['story']}"),
                            ("entity", "entities", lambda e: f"{e['type']} {e['name']}"),
                            ("technique", "techniques", lambda t: f"{t['id']} {t['name']} "
                                                                  f"on {t['story']}")):
        for item in queue[key]:
            ident = item["id"]
            for suggestion in item["lines"]:
                out.append("\t".join((kind, ident, " ".join(what(item).split()),
                                      suggestion["section"], suggestion["entry"])))
    return "".join(f"{row}\n" for row in out)


def skipped_lines(report: dict[str, Any] | None) -> list[str]:
    """The curation entries a run report says were skipped (stored as a list, or joined
    into one line for the report page)."""
    skipped = ((report or {}).get("curation") or {}).get("skipped") or []
    return skipped.split(" | ") if isinstance(skipped, str) else list(skipped)


def review_output(store: Any, report: dict[str, Any] | None):
    """The page as a site output, keyed by what it shows: an unchanged queue is reused,
    so a run with nothing new re-renders nothing but its own report."""
    from aiwire.site.render import Output, _key

    queue = review_queue(store)
    skipped = skipped_lines(report) if report is not None else queue["skipped"]
    return Output(REVIEW_PATH, _key("review", queue, skipped),
                  lambda: review_page(queue, skipped))


def needs_writing(out: Path, output: Any) -> bool:
    """True unless ``out`` already holds this output (same key in its manifest, on disk)."""
    from aiwire.site.render import MANIFEST

    try:
        entry = json.loads((Path(out) / MANIFEST).read_text("utf-8"))["files"][output.path]
    except (OSError, ValueError, KeyError, TypeError):
        return True
    return entry.get("key") != output.key or not (Path(out) / output.path).is_file()
