"""What a link preview shows: absolute URLs, canonical links and a one-line description.

A page pasted into a chat or a newsletter is previewed from its ``<meta>`` tags (Open
Graph and ``description``). Without ``settings.site_url`` the site stays relative: pages
still describe themselves, but carry no canonical or ``og:url`` (a relative one would be
wrong wherever the page is read). Everything here is a pure function of the page's own
context, so pages that did not change keep their build keys.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from aiwire.site.pages import Page

DESCRIPTION_CHARS = 200
SITE_DESCRIPTION = ("AI security incidents reconciled across outlets: every figure and claim "
                    "with its source, and where the reporting disagrees.")


def absolute(site_url: str | None, path: str) -> str | None:
    """``path`` (relative to the site root) under ``site_url``; ``index.html`` is dropped,
    so shared links look like ``https://host/stories/x/``. None without a site URL."""
    if not site_url:
        return None
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return site_url.rstrip("/") + "/" + path


def clip(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """``text`` on one line, cut at a word boundary with an ellipsis if too long."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.-")
    return cut + "…"


def _story(story: dict[str, Any]) -> str:
    count = (f"{story['n_reports']} report{'s' if story['n_reports'] != 1 else ''} from "
             f"{story['n_outlets']} outlet{'s' if story['n_outlets'] != 1 else ''}.")
    if story["contradictions"]:   # the page's own one-sentence verdict leads
        return f"{story['verdict']} {count}"
    return f"{story['lead']} {count}" if story["lead"] else count


def _digest(context: dict[str, Any]) -> str:
    stories = context["stories"]
    if not stories:
        return SITE_DESCRIPTION
    disputed = sum(1 for s in stories if s["n_contradictions"])
    head = (f"AI security week {context['week']}: {len(stories)} "
            f"stor{'ies' if len(stories) != 1 else 'y'}, {disputed} with sources that "
            f"disagree.")
    return f"{head} Top: {stories[0]['title']}."


def description(page: Page) -> str:
    """One or two sentences saying what the page holds, from its own context."""
    c = page.context
    template = page.template
    if template == "story.html":
        text = _story(c["story"])
    elif template == "digest.html":
        text = _digest(c)
    elif template == "redirect.html":
        text = f"This story moved: {c['story']['title']}."
    elif template == "entity.html":
        n = len(c["stories"])
        text = (f"{c['entity']['name']}: {n} stor{'ies' if n != 1 else 'y'}, "
                f"{len(c['claims'])} attributed statements and {len(c['figures'])} figures, "
                f"each with its source.")
    elif template == "technique.html":
        n = len(c["uses"])
        text = (f"MITRE ATLAS {c['technique']['id']} {c['technique']['name']}: "
                f"{n} stor{'ies' if n != 1 else 'y'} and the sentence that tagged each.")
    elif template == "outlet.html":
        o = c["outlet"]
        text = (f"{o['name']}: {o['n_articles']} reports; disagreed with other outlets in "
                f"{o['n_disputed']} of {o['n_shared']} shared stories.")
    elif template == "listing.html":
        text = f"{c['heading']}. {c['intro']}"
    elif template == "archive.html":
        text = f"Every weekly digest of aiwire: {len(c['weeks'])} weeks. {SITE_DESCRIPTION}"
    elif template == "search.html":
        text = f"Search every story, report, quote and figure. {SITE_DESCRIPTION}"
    else:
        text = SITE_DESCRIPTION
    return clip(text)


def page_meta(page: Page, site_url: str | None) -> dict[str, Any]:
    """The ``meta`` context base.html turns into description, canonical and og: tags."""
    path = page.path
    if page.template == "redirect.html":  # a moved story's preview is the new story's
        path = f"stories/{page.context['story']['slug']}/index.html"
    return {"description": description(page), "canonical": absolute(site_url, path),
            "og_type": "article" if page.template == "story.html" else "website"}


def with_meta(page: Page, site_url: str | None) -> Page:
    return replace(page, context={**page.context, "meta": page_meta(page, site_url)})
