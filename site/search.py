"""Search with no server: a small index written as a script, and a client that filters it.

Why our own and not pagefind: the index is one deterministic file we control, the client
is a few lines of DOM code (no eval, no wasm, so the CSP stays ``script-src 'self'``), and
it works from file:// as well as over HTTP, since it is loaded by a script tag, not fetch.
"""

from __future__ import annotations

import json
from typing import Any

from aiwire.site.model import Site

INDEX_PATH = "search/data.js"


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


def entries(site: Site) -> list[dict[str, Any]]:
    """One entry per story, entity, technique and outlet; hrefs are relative to the root."""
    out = []
    for sid in sorted(site.stories):
        s = site.stories[sid]
        words = _story_words(site, sid)
        out.append({"k": "story", "t": s["title"], "u": f"stories/{s['slug']}/index.html",
                    "m": f"{s['n_outlets']} outlets, {s['last_seen'][:10]}",
                    "x": " ".join(w for w in words if w)})
    for eid in sorted(site.entities):
        e = site.entities[eid]
        out.append({"k": "entity", "t": e["name"], "u": f"entities/{e['slug']}/index.html",
                    "m": f"{e['type_label']}, {len(e['stories'])} stories", "x": eid})
    for tid in sorted(site.techniques):
        t = site.techniques[tid]
        out.append({"k": "technique", "t": f"{t['id']} {t['name']}",
                    "u": f"techniques/{t['slug']}/index.html",
                    "m": f"ATLAS, {len(t['uses'])} stories", "x": ""})
    for oid in sorted(site.outlets):
        o = site.outlets[oid]
        bylines = sorted({a["author"] for a in o["articles"] if a["author"]})
        out.append({"k": "outlet", "t": o["name"] or oid, "u": f"outlets/{o['slug']}/index.html",
                    "m": f"outlet, {len(o['articles'])} reports",
                    "x": " ".join([oid, *bylines])})
    return out


def index_script(site: Site) -> str:
    """The index as a script assigning one global; ASCII-only JSON, so it is inert text."""
    data = json.dumps(entries(site), ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return f"window.AIWIRE_SEARCH = {data};\n"


def search_files(site: Site) -> dict[str, str]:
    return {INDEX_PATH: index_script(site)}
