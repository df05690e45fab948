"""Search with no server: a small index written as a script, and a client that filters it.

Why our own and not pagefind: the index is one deterministic file we control, the client
is a few lines of DOM code (no eval, no wasm, so the CSP stays ``script-src 'self'``), and
it works from file:// as well as over HTTP, since it is loaded by a script tag, not fetch.

Sharded by week so a new week does not rewrite history: ``search/data.js`` holds the
entities, techniques and outlets and the list of weeks; each story's entry lives in
``search/weeks/<week of its first report>.js``, which the client loads with a script tag
per week. An older week's shard changes only when one of its stories does.
"""

from __future__ import annotations

import json
import re
from typing import Any

from aiwire.site.model import Site

INDEX_PATH = "search/data.js"
SHARD_DIR = "search/weeks"
UNDATED = "undated"
_WEEK = re.compile(r"^\d{4}-W\d{2}$")


def _story_words(site: Site, sid: str) -> list[str]:
    """What a reader may remember of a story: any report's headline, who wrote it, what
    was said and every figure, in the outlets' words and in ours."""
    s, raw = site.stories[sid], site.raw.get(sid, {})
    words = [s["lead"], s["verdict"], *(e["name"] for e in s["entities"]), *s["outlets"],
             *(t["id"] + " " + t["name"] for t in s["techniques"])]
    for a in raw.get("articles") or []:
        words += [a.get("title") or "", a.get("author") or ""]
    words += [a["title"] for a in s["timeline"]]
    words += [c.get("quote") or "" for c in raw.get("claims") or []]
    for f in raw.get("figures") or []:
        words += [f.get("text") or "", f.get("quote") or ""]
    for row in s["figure_table"]:
        words += [row["label"], *(v["text"] for cell in row["cells"] for v in cell["values"])]
    for c in s["contradictions"]:
        words += [c["topic_label"], *(g["label"] for g in c["groups"])]
    seen, out = set(), []
    for word in words:
        if word and word not in seen:
            seen.add(word)
            out.append(word)
    return out


def _stories(n: int) -> str:
    return f"{n} stor{'y' if n == 1 else 'ies'}"


def story_entry(site: Site, sid: str) -> dict[str, Any]:
    s = site.stories[sid]
    words = _story_words(site, sid)
    return {"k": "story", "t": s["title"], "u": f"stories/{s['slug']}/index.html",
            "m": f"{s['n_outlets']} outlets, {s['last_seen'][:10]}",
            "x": " ".join(w for w in words if w)}


def entries(site: Site, stories: bool = True) -> list[dict[str, Any]]:
    """One entry per story, entity, technique and outlet; hrefs are relative to the root."""
    out = [story_entry(site, sid) for sid in sorted(site.stories)] if stories else []
    for eid in sorted(site.entities):
        e = site.entities[eid]
        out.append({"k": "entity", "t": e["name"], "u": f"entities/{e['slug']}/index.html",
                    "m": f"{e['type_label']}, {_stories(len(e['stories']))}", "x": eid})
    for tid in sorted(site.techniques):
        t = site.techniques[tid]
        out.append({"k": "technique", "t": f"{t['id']} {t['name']}",
                    "u": f"techniques/{t['slug']}/index.html",
                    "m": f"ATLAS, {_stories(len(t['uses']))}", "x": ""})
    for oid in sorted(site.outlets):
        o = site.outlets[oid]
        bylines = sorted({a["author"] for a in o["articles"] if a["author"]})
        out.append({"k": "outlet", "t": o["name"] or oid, "u": f"outlets/{o['slug']}/index.html",
                    "m": f"outlet, {len(o['articles'])} reports",
                    "x": " ".join([oid, *bylines])})
    return out


def _json(value: Any) -> str:
    """ASCII-only JSON, so the script is inert text whatever the entries hold."""
    return json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":"))


def story_shard(site: Site, story_id: str) -> str:
    """The week whose shard holds a story: the week of its first report (stable)."""
    weeks = [w for w in site.stories[story_id].get("weeks") or [] if _WEEK.match(w)]
    return weeks[0] if weeks else UNDATED


def index_script(site: Site) -> str:
    """Everything in one script (entities, techniques, outlets and stories): for tools."""
    return f"window.AIWIRE_SEARCH = {_json(entries(site))};\n"


def search_files(site: Site) -> dict[str, str]:
    """``search/data.js`` (all but stories, plus the weeks) and one shard per week."""
    shards: dict[str, list[dict[str, Any]]] = {}
    for sid in sorted(site.stories):
        shards.setdefault(story_shard(site, sid), []).append(story_entry(site, sid))
    rest = entries(site, stories=False)
    weeks = sorted(shards)
    files = {INDEX_PATH: f"window.AIWIRE_SEARCH = {_json(rest)};\n"
                         f"window.AIWIRE_SEARCH_WEEKS = {_json(weeks)};\n"}
    for week in weeks:
        files[f"{SHARD_DIR}/{week}.js"] = (
            "(window.AIWIRE_SEARCH_PARTS = window.AIWIRE_SEARCH_PARTS || [])"
            f".push({_json(shards[week])});\n")
    return files
