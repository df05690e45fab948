"""The export document reshaped into what pages show: weeks, ranked stories, indexes.

Pure functions of the ``aiwire.export/1`` document, with every list sorted, so the same
database always gives the same site. Nothing here escapes: templates do that, and
:mod:`aiwire.site.sanitize` decides which URLs may become links. Codes become words
here (:mod:`aiwire.site.labels`), figures get their usual spelling
(:mod:`aiwire.site.values`) and headlines lose outlets' decorations
(:mod:`aiwire.site.cleantext`); the export keeps the originals.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from aiwire.site import disagreements, labels
from aiwire.site.cleantext import headline, quote as clean_quote, split_summary, text_key
from aiwire.site.sanitize import safe_url, slug
from aiwire.site.values import figure_text, plural
from aiwire.timeutil import parse_time

STANCE_LABELS = labels.STANCE_LABELS
STANCE_ORDER = list(STANCE_LABELS)
FIGURE_LABELS = labels.FIGURE_LABELS
TOPIC_LABELS = labels.TOPIC_QUESTIONS
_ATLAS_ID = re.compile(r"^AML\.T\d{4}(\.\d{3})?$")
KEY_FIGURES = 3
KEY_KIND_ORDER = ["stock_change", "account_count", "user_count", "money", "data_volume",
                  "request_count", "stock_low", "stock_high", "percent", "count"]


def iso_week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(week: str) -> tuple[datetime, datetime]:
    """Monday 00:00 and the following Monday 00:00 (UTC) of an ``YYYY-Www`` week."""
    start = datetime.strptime(f"{week}-1", "%G-W%V-%u").replace(tzinfo=timezone.utc)
    return start, start + timedelta(days=7)


def topic_label(topic: str) -> str:
    return labels.topic_question(topic)


def atlas_url(technique_id: str) -> str | None:
    return (f"https://atlas.mitre.org/techniques/{technique_id}"
            if _ATLAS_ID.match(technique_id or "") else None)


@dataclass
class Site:
    """Everything the pages need, indexed once."""

    generated_at: str
    current_week: str | None
    stories: dict[str, dict[str, Any]]                  # id -> story view
    weeks: dict[str, list[str]]                         # week -> ranked story ids
    entities: dict[str, dict[str, Any]] = field(default_factory=dict)
    techniques: dict[str, dict[str, Any]] = field(default_factory=dict)
    outlets: dict[str, dict[str, Any]] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    raw: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> exported story

    def card(self, story_id: str) -> dict[str, Any]:
        """The short form of a story used by lists (digest, entity and outlet pages)."""
        s = self.stories[story_id]
        return {k: s[k] for k in ("id", "slug", "title", "lead", "first_seen", "last_seen",
                                  "n_reports", "n_outlets", "n_contradictions", "high",
                                  "verdict", "key_figures", "pinned", "editor_note")} \
            | {"updated": False}

    def ranked_cards(self, week: str) -> list[dict[str, Any]]:
        start, _ = week_bounds(week)
        cards = []
        for sid in self.weeks.get(week, []):
            card = dict(self.card(sid), score=self.stories[sid]["scores"][week])
            first = parse_time(card["first_seen"])
            # An incident first reported in an earlier week that has new reports this
            # week is shown as updated, with the day it was first reported.
            card["updated"] = bool(first and first < start)
            cards.append(card)
        return cards


def _outlet_key(article: dict[str, Any]) -> str:
    return slug(article.get("feed") or article.get("source") or "unknown")


def _number(value: Any) -> Any:
    """Values compare as numbers: 4.9 from one report equals 4.9 from another."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return round(float(value), 6)
    return value


def _figure_cell(figure: dict[str, Any], disputed: set[tuple] | None = None) -> dict[str, Any]:
    return {"text": figure_text(figure.get("kind"), figure.get("value"), figure.get("unit"),
                                figure.get("qualifier")) or figure.get("text") or "",
            "wording": figure.get("text") or "", "value": figure.get("value"),
            "quote": clean_quote(figure.get("quote")), "href": safe_url(figure.get("url")),
            "source": figure.get("source") or "",
            "disputed": _figure_key(figure) in (disputed or set())}


def _figure_key(figure: dict[str, Any]) -> tuple:
    return (figure.get("kind") or "", figure.get("url") or "", _number(figure.get("value")))


def row_label(kind: str, unit: str) -> str:
    """A figure row's name: the counted noun for a bare count ("downloads")."""
    if kind == "count" and unit:
        return plural(labels.humanise(unit), 2)
    return labels.figure_label(kind)


def _figure_table(story: dict[str, Any], outlets: list[str], names: dict[str, str],
                  disputed: set[tuple]) -> tuple[list[dict[str, Any]], int]:
    """One row per (kind, subject, unit); one column per outlet, in timeline order: the
    first ``FIGURE_ROWS`` rows, and how many there are."""
    rows: dict[tuple, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    shown: set[tuple] = set()
    for figure in story["figures"]:
        key = (figure.get("kind") or "", figure.get("subject") or "", figure.get("unit") or "")
        cell = _figure_cell(figure, disputed)
        source = figure.get("source") or ""
        if (key, source, cell["text"], cell["href"]) not in shown:
            # an article repeating its own figure shows it once
            shown.add((key, source, cell["text"], cell["href"]))
            rows[key][source].append(cell)
    # disputed rows first, then the most reported; the first FIGURE_ROWS are shown
    listed = set(outlets)
    ranked = sorted(rows.items(), key=lambda item: (
        not any(v["disputed"] for source, values in item[1].items() if source in listed
                for v in values),
        -len(listed.intersection(item[1])), row_label(item[0][0], item[0][2]), item[0]))
    table = []
    for (kind, subject, unit), by_source in ranked[:FIGURE_ROWS]:
        cells = [by_source.get(outlet, []) for outlet in outlets]
        table.append({
            "kind": kind, "label": row_label(kind, unit), "unit": unit,
            "subject": subject, "subject_name": names.get(subject, subject),
            "subject_slug": slug(subject) if subject in names else None,
            "disputed": any(v["disputed"] for cell in cells for v in cell),
            "cells": [{"outlet": outlet, "values": cell} for outlet, cell in zip(outlets, cells)],
        })
    return table, len(rows)


# Rows a story page's table of figures shows: a story of thousands of reports gives
# thousands of rows (9 MB of a 12 MB page in a 4,000-article bench week); the export and
# each entity's page keep every figure.
FIGURE_ROWS = 60


def _key_figures(story: dict[str, Any], names: dict[str, str],
                 disputed: set[tuple]) -> list[dict[str, Any]]:
    """A few figures worth a glance: disputed ones, then the most corroborated, then the
    most specific kinds (a share move or an account count says more than a bare count)."""
    sources: dict[tuple, set[str]] = defaultdict(set)
    for figure in story["figures"]:
        sources[(figure.get("kind"), figure.get("subject"), _number(figure.get("value")))].add(
            figure.get("source") or "")
    priority = {kind: i for i, kind in enumerate(KEY_KIND_ORDER)}
    seen, picked = set(), []
    ordered = sorted(story["figures"], key=lambda f: (
        _figure_key(f) not in disputed,
        -len(sources[(f.get("kind"), f.get("subject"), _number(f.get("value")))]),
        f.get("subject") is None, priority.get(f.get("kind"), len(priority)),
        f.get("kind") or "", f.get("subject") or "", str(f.get("text")), f.get("url") or ""))
    for figure in ordered:
        key = (figure.get("kind"), figure.get("subject"), _number(figure.get("value")))
        shown = (figure.get("kind"), figure.get("unit"), _number(figure.get("value")))
        if shown in seen:
            continue
        seen.add(shown)
        subject = figure.get("subject")
        # "about" only when the one outlet behind the figure said so
        qualifier = figure.get("qualifier") if len(sources[key]) == 1 else None
        picked.append({"text": figure_text(figure.get("kind"), figure.get("value"),
                                           figure.get("unit"), qualifier),
                       "label": row_label(figure.get("kind") or "", figure.get("unit") or ""),
                       "subject": names.get(subject, labels.humanise(subject) if subject
                                            else None),
                       "source": figure.get("source") or "",
                       "sources": len(sources[key]),
                       "disputed": _figure_key(figure) in disputed})
        if len(picked) == KEY_FIGURES:
            break
    return picked


def _claim_groups(story: dict[str, Any], names: dict[str, str]) -> list[dict[str, Any]]:
    """Claims by speaker (named speakers first, alphabetically), then by stance; a quote
    repeated (by one outlet or several) is shown once, with every outlet that carried it."""
    grouped: dict[str, dict[str, dict[str, dict]]] = defaultdict(lambda: defaultdict(dict))
    for claim in story["claims"]:
        text = clean_quote(claim.get("quote"))
        key = text_key(text)
        if not key:
            continue
        bucket = grouped[claim.get("speaker") or ""][claim.get("stance") or "reports"]
        entry = bucket.setdefault(key, {"quote": text, "sources": [],
                                        "hedged": bool(claim.get("hedged"))})
        source = {"name": claim.get("source") or "source", "href": safe_url(claim.get("url"))}
        if source["name"] not in [s["name"] for s in entry["sources"]]:
            entry["sources"].append(source)
    groups = []
    for speaker in sorted(grouped, key=lambda s: (s == "", names.get(s, s).lower(), s)):
        stances = grouped[speaker]
        order = sorted(stances, key=lambda st: (
            STANCE_ORDER.index(st) if st in STANCE_ORDER else len(STANCE_ORDER), st))
        groups.append({
            "speaker": speaker or None,
            "name": names.get(speaker, labels.humanise(speaker)) or "Unattributed",
            "slug": slug(speaker) if speaker in names else None,
            "stances": [{"stance": st, "label": labels.stance_label(st),
                         "claims": list(stances[st].values())} for st in order]})
    return groups


def _figure_units(story: dict[str, Any]) -> disagreements.FigureUnits:
    return {(f.get("kind") or "", f.get("url") or "", f.get("value")): f.get("unit") or ""
            for f in story["figures"]}


def _contradictions(story: dict[str, Any], names: dict[str, str]) -> list[dict[str, Any]]:
    units = _figure_units(story) if "figures" in story else {}
    return disagreements.ordered([disagreements.view(c, names, units)
                                  for c in story["contradictions"]])


def _summary(story: dict[str, Any], titles: dict[str, str]) -> list[dict[str, Any]]:
    """Summary bullets with the breadcrumb dropped and the headline apart from the lead."""
    out = []
    for s in story.get("summary") or []:
        url = s.get("url") or ""
        own = [titles[url]] if url in titles else []
        head, lead = split_summary(s.get("sentence") or "", own or list(titles.values()))
        out.append({"headline": head, "sentence": lead, "href": safe_url(url),
                    "source": s.get("source") or ""})
    return out


def story_view(story: dict[str, Any]) -> dict[str, Any]:
    """A story from the export, with everything a page shows worked out once."""
    names = {e["id"]: e["name"] for e in story["entities"]}
    timeline = sorted(
        ({"published": a.get("published") or "", "source": a.get("source") or "",
          "outlet": _outlet_key(a), "title": headline(a.get("title") or a.get("url") or ""),
          "url": a.get("url") or "", "href": safe_url(a.get("url")),
          "author": a.get("author") or "", "summary": a.get("summary") or ""}
         for a in story["articles"]), key=lambda a: (a["published"], a["url"]))
    outlets: list[str] = []
    for article in timeline:
        if article["source"] not in outlets:
            outlets.append(article["source"])
    # a flag an editor dismissed is shown apart, with the reason, and counts for nothing
    active = {**story, "contradictions": [c for c in story["contradictions"]
                                          if not c.get("dismissed")]}
    gone = [c for c in story["contradictions"] if c.get("dismissed")]
    reasons = {c.get("id") or "": c.get("dismissed_reason") or "" for c in gone}
    dismissed = [dict(view, reason=reasons.get(view["id"], ""))
                 for view in _contradictions({**story, "contradictions": gone}, names)]
    # a figure is disputed only when it is itself one side of an active flag
    disputed = {(c.get("topic") or "", side.get("url") or "", _number(side.get("value")))
                for c in active["contradictions"] if c.get("kind") == "figure"
                for side in c.get("sides") or []}
    contradictions = _contradictions(active, names)
    summary = _summary(story, {a.get("url") or "": a.get("title") or ""
                               for a in story["articles"]})
    figure_table, figure_rows = _figure_table(story, outlets, names, disputed)
    return {
        "id": story["id"], "slug": slug(story["id"]),
        "title": headline(story.get("title") or story["id"]),
        "first_seen": story.get("first_seen") or "", "last_seen": story.get("last_seen") or "",
        "first_outlet": story.get("first_outlet") or "",
        "lead": summary[0]["sentence"] if summary else "",
        "summary": summary, "timeline": timeline, "outlets": outlets,
        "n_reports": len(timeline), "n_outlets": len(outlets),
        "figure_table": figure_table, "figure_rows": figure_rows,
        "key_figures": _key_figures(story, names, disputed),
        "claim_groups": _claim_groups(story, names),
        "contradictions": contradictions, "n_contradictions": len(contradictions),
        "verdict": disagreements.verdict(contradictions, len(outlets)),
        "dismissed_contradictions": dismissed,
        "pinned": bool(story.get("pinned")), "editor_note": story.get("editor_note") or "",
        "high": sum(c["hard"] for c in contradictions),
        "entities": [{"id": e["id"], "slug": slug(e["id"]), "name": e["name"],
                      "type": e["type"], "type_label": labels.entity_type(e["type"]),
                      "mentions": e["mentions"]} for e in story["entities"]],
        "techniques": [{"id": t["id"], "slug": slug(t["id"]), "name": t.get("name") or t["id"],
                        "evidence": clean_quote(t.get("evidence")), "href": safe_url(t.get("url")),
                        "atlas": atlas_url(t["id"])} for t in story["techniques"]],
    }


def score(story: dict[str, Any], week: str, reference: datetime) -> float:
    """Rank within a week: outlets count most, then disagreement, then how recent.

    2 points per outlet; disagreement adds 0.75 per high- and 0.25 per low-severity
    contradiction, at most 1.5 (so it never outweighs another outlet); recency adds up
    to 1, falling linearly over the seven days before ``reference``.
    """
    start, end = week_bounds(week)
    times = [t for t in (parse_time(a["published"]) for a in story["timeline"])
             if t is not None and start <= t < end]
    last = max(times) if times else start
    age_days = max(0.0, (reference - last).total_seconds() / 86400)
    recency = max(0.0, 1.0 - age_days / 7)
    low = story["n_contradictions"] - story["high"]
    disagreement = min(1.5, 0.75 * story["high"] + 0.25 * low)
    return round(2 * story["n_outlets"] + disagreement + recency, 6)


def _story_weeks(story: dict[str, Any], fallback: str | None) -> list[str]:
    """Every ISO week with a report of the story (a story can lead two digests)."""
    weeks = {iso_week(t) for t in (parse_time(a["published"]) for a in story["timeline"]) if t}
    if not weeks:
        first = parse_time(story["first_seen"])
        weeks = {iso_week(first)} if first else ({fallback} if fallback else set())
    return sorted(weeks)


def entity_refs(view: dict[str, Any], raw: dict[str, Any]) -> dict[str, list[tuple]]:
    """What one story adds to its entities' pages: the claims its entities made and the
    figures about them, as ``(entity id, entry)`` pairs. A function of the story alone,
    so a build can keep it with the story's view and skip the quote cleaning next time."""
    own = {e["id"] for e in view["entities"]}
    published = {a["url"]: a["published"] for a in view["timeline"]}
    claims: list[tuple] = []
    figures: list[tuple] = []
    seen: set[tuple] = set()
    for claim in raw["claims"]:
        speaker = claim.get("speaker")
        if speaker not in own:
            continue
        text = clean_quote(claim.get("quote"))
        key = (speaker, claim.get("stance"), text_key(text))
        if key in seen:
            continue
        seen.add(key)
        claims.append((speaker, {
            "story": view["id"], "stance": claim.get("stance") or "",
            "label": labels.stance_label(claim.get("stance")),
            "quote": text, "href": safe_url(claim.get("url")),
            "source": claim.get("source") or "",
            "published": published.get(claim.get("url"), view["first_seen"])}))
    for figure in raw["figures"]:
        if figure.get("subject") in own:
            figures.append((figure["subject"], dict(
                _figure_cell(figure), story=view["id"], kind=figure.get("kind") or "",
                unit=figure.get("unit") or "",
                label=row_label(figure.get("kind") or "", figure.get("unit") or ""),
                published=published.get(figure.get("url"), view["first_seen"]))))
    return {"claims": claims, "figures": figures}


def _index_entities(site: Site, refs: dict[str, dict[str, list[tuple]]] | None = None) -> None:
    for sid in sorted(site.stories):
        story = site.stories[sid]
        for entity in story["entities"]:
            entry = site.entities.setdefault(entity["id"], {
                "id": entity["id"], "slug": entity["slug"], "name": entity["name"],
                "type": entity["type"], "type_label": entity["type_label"], "mentions": 0,
                "stories": [], "claims": [], "figures": []})
            entry["mentions"] += entity["mentions"]
            entry["stories"].append(sid)
        own = (refs or {}).get(sid) or entity_refs(story, site.raw[sid])
        for speaker, claim in own["claims"]:
            site.entities[speaker]["claims"].append(dict(claim))
        for subject, figure in own["figures"]:
            site.entities[subject]["figures"].append(dict(figure))
    for entry in site.entities.values():
        entry["stories"].sort(key=lambda s: (site.stories[s]["first_seen"], s))
        entry["claims"].sort(key=lambda c: (c["published"], c["story"], c["stance"], c["quote"]))
        entry["figures"].sort(key=lambda f: (f["published"], f["story"], f["label"], f["text"]))
        unique: dict[tuple, dict] = {}
        for f in entry["figures"]:   # one report repeating its figure counts once
            unique.setdefault((f["story"], f["href"], f["label"], f["text"]), f)
        entry["figures"] = list(unique.values())


def _index_techniques(site: Site) -> None:
    for sid in sorted(site.stories):
        for t in site.stories[sid]["techniques"]:
            entry = site.techniques.setdefault(t["id"], {
                "id": t["id"], "slug": t["slug"], "name": t["name"], "atlas": t["atlas"],
                "uses": []})
            entry["uses"].append({"story": sid, "evidence": t["evidence"], "href": t["href"]})
    for entry in site.techniques.values():
        entry["uses"].sort(key=lambda u: (site.stories[u["story"]]["first_seen"], u["story"]))


def _index_outlets(site: Site) -> None:
    for sid in sorted(site.stories):
        story = site.stories[sid]
        outlet_of_url = {a["url"]: a["outlet"] for a in story["timeline"]}
        for article in story["timeline"]:
            entry = site.outlets.setdefault(article["outlet"], {
                "id": article["outlet"], "slug": article["outlet"], "name": article["source"],
                "articles": [], "stories": [], "shared": [], "disagreements": []})
            entry["articles"].append(dict(article, story=sid))
            if sid not in entry["stories"]:
                entry["stories"].append(sid)
                if story["n_outlets"] > 1:
                    entry["shared"].append(sid)
        for c in story["contradictions"]:
            for outlet in sorted({outlet_of_url.get(s["url"]) for s in c["sides"]} - {None}):
                position = next((g["label"] for g in c["groups"] for o in g["outlets"]
                                 if outlet_of_url.get(o["url"]) == outlet), "")
                site.outlets[outlet]["disagreements"].append({
                    "story": sid, "kind": c["kind"], "topic_label": c["topic_label"],
                    "subject_name": c["subject_name"], "severity": c["severity"],
                    "severity_label": c["severity_label"], "position": position,
                    "versus": c["versus"]})
    for entry in site.outlets.values():
        entry["articles"].sort(key=lambda a: (a["published"], a["url"]))
        entry["disputed_stories"] = sorted({d["story"] for d in entry["disagreements"]})


def build_site_model(document: dict[str, Any],
                     views: dict[str, dict[str, Any]] | None = None,
                     refs: dict[str, dict[str, list[tuple]]] | None = None) -> Site:
    """Index the export once: story views, weekly rankings, entities, techniques, outlets.

    ``views`` and ``refs`` (by story id) are :func:`story_view` and :func:`entity_refs` of
    stories a previous build already worked out (:mod:`aiwire.site.parts`)."""
    generated = parse_time(document.get("generated_at"))
    current = iso_week(generated) if generated else None
    views = views or {}
    stories = {s["id"]: dict(views[s["id"]]) if s["id"] in views else story_view(s)
               for s in document["stories"]}
    site = Site(generated_at=document.get("generated_at") or "", current_week=current,
                stories=stories, weeks={},
                redirects=dict(sorted((document.get("redirects") or {}).items())),
                raw={s["id"]: s for s in document["stories"]})
    by_week: dict[str, list[str]] = defaultdict(list)
    for sid, view in stories.items():
        view["weeks"] = _story_weeks(view, current)
        view["scores"] = {}
        for week in view["weeks"]:
            by_week[week].append(sid)
    for week, ids in by_week.items():
        _, end = week_bounds(week)
        reference = min(end, generated) if generated else end
        for sid in ids:
            stories[sid]["scores"][week] = score(stories[sid], week, reference)
        # stories an editor pinned lead, then the ranking
        site.weeks[week] = sorted(ids, key=lambda s: (not stories[s]["pinned"],
                                                     -stories[s]["scores"][week],
                                                     stories[s]["title"], s))
    site.weeks = dict(sorted(site.weeks.items(), reverse=True))
    if current not in site.weeks and site.weeks:
        site.current_week = next(iter(site.weeks))
    _index_entities(site, refs)
    _index_techniques(site)
    _index_outlets(site)
    return site
