"""Which HTML pages the site has, and the data each one is rendered from.

A page is a path, a template and a JSON-able context. Keeping the context explicit is
what makes the incremental build possible: a page whose context (and templates) did not
change need not be rendered again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from aiwire.site import charts
from aiwire.site.model import Site, parse_time, row_label, week_bounds
from aiwire.site.sanitize import clean_html, slug
from aiwire.site.values import compact

# 'self' only. No inline script or style anywhere, so none is allowed.
CSP = Markup("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
              "connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'")


@dataclass(frozen=True)
class Page:
    path: str                 # relative to the site root, always ending in a file name
    template: str
    context: dict[str, Any]


def _when(value: object) -> str:
    moment = parse_time(value)
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else str(value or "undated")


def _day(value: object) -> str:
    moment = parse_time(value)
    return moment.strftime("%Y-%m-%d") if moment else str(value or "undated")


def environment() -> Environment:
    """jinja2 with autoescaping on for every template, whatever its name."""
    env = Environment(loader=PackageLoader("aiwire.site", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["when"] = _when
    env.filters["day"] = _day
    env.globals["fragment"] = lambda name, *args: fragment_macro(env, name)(*args)
    return env


PARTS_TEMPLATE = "_story_parts.html"


def fragment_macro(env: Environment, name: str) -> Any:
    """A macro of the story page's pieces (``_story_parts.html``). Pages call them through
    ``fragment``: rendered on the spot, or taken from :mod:`aiwire.site.fragments`."""
    return getattr(env.get_template(PARTS_TEMPLATE).module, name)


def _root(path: str) -> str:
    return "../" * path.count("/")


def _page(site: Site, path: str, template: str, section: str, **context: Any) -> Page:
    """A page whose context is only what it shows: nothing build-wide (like the newest
    report's time) goes into every page, or one new article would re-render them all."""
    context.update(root=_root(path), section=section, csp=CSP)
    return Page(path, template, context)


def _titles(site: Site, story_ids: list[str]) -> dict[str, dict[str, str]]:
    return {sid: {"slug": site.stories[sid]["slug"], "title": site.stories[sid]["title"]}
            for sid in sorted(set(story_ids))}


def _week_summary(site: Site, week: str) -> dict[str, Any]:
    start, end = week_bounds(week)
    return {"week": week, "count": len(site.weeks[week]), "start": start.strftime("%Y-%m-%d"),
            "end": (end - timedelta(days=1)).strftime("%Y-%m-%d")}


def digest_pages(site: Site) -> list[Page]:
    pages = []
    summaries = [_week_summary(site, w) for w in site.weeks]
    for week in site.weeks or ([site.current_week] if site.current_week else []):
        summary = next((s for s in summaries if s["week"] == week), None)
        others = [s for s in summaries if s["week"] != week]
        common = dict(week=week, stories=site.ranked_cards(week), other_weeks=others,
                      week_start=summary["start"] if summary else "",
                      week_end=summary["end"] if summary else "")
        pages.append(_page(site, f"digest/{week}/index.html", "digest.html", "archive",
                           is_home=False, generated_at=None, **common))
        if week == site.current_week:
            pages.append(_page(site, "index.html", "digest.html", "home", is_home=True,
                               generated_at=site.generated_at, **common))
    if not site.weeks:
        pages.append(_page(site, "index.html", "digest.html", "home", is_home=True,
                           week=site.current_week or "", stories=[], other_weeks=[],
                           week_start="", week_end="", generated_at=site.generated_at))
    archive = [dict(s, top=[{"slug": c["slug"], "title": c["title"]}
                            for c in site.ranked_cards(s["week"])[:5]]) for s in summaries]
    per_week = [(w, len(site.weeks[w]), sum(site.stories[s]["high"] for s in site.weeks[w]))
                for w in site.weeks]
    pages.append(_page(site, "archive/index.html", "archive.html", "archive", weeks=archive,
                       generated_at=site.generated_at,
                       chart=charts.weekly_bars("weeks", per_week)))
    return pages


def story_charts(story: dict[str, Any]) -> dict[str, Any]:
    """The coverage strip (coloured by the positions on the widest hard disagreement) and
    one dot plot per disputed figure."""
    # the hard disagreement most outlets took a side in colours the strip
    main = min(story["contradictions"], default=None, key=lambda c: (
        not c["hard"], -sum(g["n"] for g in c["groups"])))
    sides = {url: g["label"] for g in (main["groups"] if main else []) for url in g["urls"]}
    coverage = charts.coverage_strip(
        "coverage", story["timeline"], sides,
        [g["label"] for g in main["groups"]] if main else [],
        main["topic_label"] if main else "")
    plots = []
    for i, c in enumerate(story["contradictions"]):
        points = [(o["name"], float(g["value"]), g["short"], g["label"])
                  for g in c["groups"] if isinstance(g["value"], (int, float))
                  for o in g["outlets"]]
        plots.append(charts.dot_plot(f"dots-{i + 1}", f"{c['heading']}: each outlet's figure",
                                     points) if c["kind"] == "figure" and len(points) >= 2
                     else Markup(""))
    return {"coverage": coverage, "dots": plots}


def story_path(site: Site, sid: str) -> str:
    return f"stories/{site.stories[sid]['slug']}/index.html"


def story_page(site: Site, sid: str) -> Page:
    """A story's own page: made from its view alone (and the weeks it ran in), so a build
    can tell it is unchanged from the story's export entry without making it."""
    story = dict(site.stories[sid])
    story["timeline"] = [dict(a, summary_html=Markup(clean_html(a["summary"])))
                         for a in story["timeline"]]
    story.pop("scores")
    return _page(site, story_path(site, sid), "story.html", "story", story=story,
                 charts=story_charts(story))


def story_pages(site: Site) -> list[Page]:
    return [story_page(site, sid) for sid in sorted(site.stories)] + redirect_pages(site)


def redirect_pages(site: Site) -> list[Page]:
    """Pages at merged-away stories' addresses, pointing to the story they became."""
    pages = []
    for old, new in site.redirects.items():
        if new in site.stories and old not in site.stories and slug(old) != slug(new):
            # what the page shows of the story, no more: its key (and so whether it is
            # written again) follows the title, not every new report of the story
            card = site.card(new)
            pages.append(_page(site, f"stories/{slug(old)}/index.html", "redirect.html",
                               "story", story={"slug": card["slug"], "title": card["title"]}))
    return pages


def entity_sparklines(entity: dict[str, Any]) -> list[dict[str, Any]]:
    """One small line per kind of figure reported about the entity at two or more times."""
    series: dict[tuple[str, str], dict[str, tuple]] = {}
    for f in entity["figures"]:   # one point a day: a line of thousands says no more
        if isinstance(f["value"], (int, float)) and not isinstance(f["value"], bool):
            points = series.setdefault((f["kind"], f["unit"]), {})
            points.setdefault(f["published"][:10], (f["published"], float(f["value"]),
                                                    compact(f["kind"], f["value"], f["unit"])))
    out = []
    for i, ((kind, unit), points) in enumerate(sorted(series.items())):
        if len(points) < 2 or len({p[1] for p in points.values()}) < 2:
            continue
        label = row_label(kind, unit)
        title = f"{label[:1].upper()}{label[1:]} reported for {entity['name']} over time"
        out.append({"label": label, "svg": charts.sparkline(
            f"spark-{i + 1}", title, [points[k] for k in sorted(points)])})
    return out


def entity_path(site: Site, eid: str) -> str:
    return f"entities/{site.entities[eid]['slug']}/index.html"


# Statements and figures an entity's page lists (the latest): a company in a large
# incident is quoted in thousands of reports, and each story's page keeps all of its own.
ENTITY_LATEST = 100


def entity_page(site: Site, eid: str) -> Page:
    """An entity's page: made from the stories that name it alone, so a build can tell it
    is unchanged from those stories' export entries without making it. Its lists hold the
    latest ``ENTITY_LATEST`` statements and figures, so the page (and a build that remakes
    it when one of its stories grows) stays the same size however large the history."""
    entity = site.entities[eid]
    head = {k: entity[k] for k in ("id", "slug", "name", "type", "type_label", "mentions")}
    claims, figures = entity["claims"][-ENTITY_LATEST:], entity["figures"][-ENTITY_LATEST:]
    return _page(
        site, entity_path(site, eid), "entity.html", "entities",
        entity=head, stories=[site.card(s) for s in entity["stories"]],
        claims=claims, figures=figures, n_claims=len(entity["claims"]),
        n_figures=len(entity["figures"]), sparklines=entity_sparklines(entity),
        titles=_titles(site, [c["story"] for c in claims] + [f["story"] for f in figures]))


def entity_listing(site: Site) -> Page:
    items = []
    for eid in sorted(site.entities, key=lambda e: (site.entities[e]["name"].lower(), e)):
        entity = site.entities[eid]
        n = len(entity["stories"])
        items.append({"href": entity_path(site, eid), "name": entity["name"],
                      "note": f"{entity['type_label']}, {n} stor{'ies' if n != 1 else 'y'}"})
    return _page(site, "entities/index.html", "listing.html", "entities",
                 heading="Entities", items=items,
                 intro="Organisations, models, people, threat actors and CVEs named "
                       "in the stories.")


def entity_pages(site: Site) -> list[Page]:
    order = sorted(site.entities, key=lambda e: (site.entities[e]["name"].lower(), e))
    return [entity_page(site, eid) for eid in order] + [entity_listing(site)]


def technique_pages(site: Site) -> list[Page]:
    pages, items = [], []
    for tid in sorted(site.techniques):
        t = site.techniques[tid]
        n = len(t["uses"])
        items.append({"href": f"techniques/{t['slug']}/index.html",
                      "name": f"{t['id']} {t['name']}",
                      "note": f"{n} stor{'ies' if n != 1 else 'y'}"})
        uses = [dict(u, slug=site.stories[u["story"]]["slug"],
                     title=site.stories[u["story"]]["title"]) for u in t["uses"]]
        pages.append(_page(site, f"techniques/{t['slug']}/index.html", "technique.html",
                           "techniques", technique={k: t[k] for k in ("id", "name", "atlas")},
                           uses=uses))
    pages.append(_page(site, "techniques/index.html", "listing.html", "techniques",
                       heading="MITRE ATLAS techniques", items=items,
                       intro="Adversarial-AI techniques the stories describe, with the "
                             "sentence that earned each tag."))
    return pages


def outlet_pages(site: Site) -> list[Page]:
    pages, items = [], []
    for oid in sorted(site.outlets):
        o = site.outlets[oid]
        shared, disputed = len(o["shared"]), len(o["disputed_stories"])
        head = {"id": o["id"], "name": o["name"], "n_articles": len(o["articles"]),
                "n_stories": len(o["stories"]), "n_shared": shared, "n_disputed": disputed,
                "rate": round(100 * disputed / shared) if shared else 0}
        items.append({"href": f"outlets/{o['slug']}/index.html", "name": o["name"] or oid,
                      "note": f"{head['n_articles']} reports, disagreed in {disputed} of "
                              f"{shared} shared stories"})
        by_week: dict[str, list[dict[str, Any]]] = {}
        for a in o["articles"]:
            moment = parse_time(a["published"])
            by_week.setdefault(moment.strftime("%G-W%V") if moment else "undated", []).append(
                {k: a[k] for k in ("published", "title", "href", "author", "story", "url")})
        weeks = sorted(by_week, reverse=True)
        # Paginated by week: the outlet's page lists its newest week; each week has a page
        # of its own that never changes once the week is over (history is not rewritten).
        latest = weeks[0] if weeks else ""
        newest = by_week.get(latest, [])
        pages.append(_page(site, f"outlets/{o['slug']}/index.html", "outlet.html", "outlets",
                           outlet=head, articles=newest, disagreements=o["disagreements"],
                           titles=_titles(site, [a["story"] for a in newest]
                                          + [d["story"] for d in o["disagreements"]]),
                           week="", latest_week=latest, outlet_slug=o["slug"],
                           weeks=[{"week": w, "count": len(by_week[w])} for w in weeks]))
        for week in weeks:
            ids = {a["story"] for a in by_week[week]}
            shared_here = len(ids & set(o["shared"]))
            disputed_here = len(ids & set(o["disputed_stories"]))
            week_head = {"id": o["id"], "name": o["name"], "n_articles": len(by_week[week]),
                         "n_stories": len(ids), "n_shared": shared_here,
                         "n_disputed": disputed_here,
                         "rate": round(100 * disputed_here / shared_here) if shared_here else 0}
            pages.append(_page(site, f"outlets/{o['slug']}/{week}/index.html", "outlet.html",
                               "outlets", outlet=week_head,
                               articles=by_week[week], disagreements=[],
                               titles=_titles(site, [a["story"] for a in by_week[week]]),
                               week=week, latest_week="",
                               outlet_slug=o["slug"], weeks=[]))
    pages.append(_page(site, "outlets/index.html", "listing.html", "outlets",
                       heading="Outlets", items=items,
                       intro="Every source, what it reported and how often it disagreed "
                             "with the others on the same story."))
    return pages


def all_pages(site: Site, stories: bool = True) -> list[Page]:
    """Every HTML page of the site, sorted by path (``stories=False``: all but the pages
    made from a known set of stories, the stories' and the entities' own, which
    :func:`story_page` and :func:`entity_page` make one by one)."""
    pages = (digest_pages(site) + (story_pages(site) if stories else redirect_pages(site))
             + (entity_pages(site) if stories else [entity_listing(site)])
             + technique_pages(site) + outlet_pages(site)
             + [_page(site, "search/index.html", "search.html", "search")])
    return sorted(pages, key=lambda p: p.path)


def render(env: Environment, page: Page, **extra: Any) -> str:
    """``extra``: names that are not part of the page's data (a kept ``fragment``)."""
    return env.get_template(page.template).render(page.context, **extra)
