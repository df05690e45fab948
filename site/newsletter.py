"""The weekly digest as an email: ``digest/<week>/email.html`` and its twin ``email.txt``.

Mail clients strip ``<style>``, block scripts and remote fonts, and lay out tables far
better than anything else, so the HTML uses tables, inline styles and system fonts only,
at most 640 px wide. It leads with the week's disagreements (each position with the
outlets that took it), then lists the other stories. Links to aiwire's own pages need
``settings.site_url`` (a relative link means nothing in a mailbox); without it only the
sources are linked. The text part carries the same content, wrapped at 72 columns, and
its first line is the subject ``aiwire mail`` sends. Pure functions of the site model:
the same data gives the same bytes.

Questions, positions and the verdict are the story page's own
(:mod:`aiwire.site.disagreements`), so the email and the site say the same thing.
"""

from __future__ import annotations

import textwrap
from datetime import timedelta
from typing import Any

from jinja2 import Environment

from aiwire.site.model import Site, week_bounds
from aiwire.site.sanitize import xml_text
from aiwire.site.share import absolute

WIDTH = 640            # px: the email's maximum width
TEXT_COLUMNS = 72


def positions(contradiction: dict[str, Any]) -> list[dict[str, Any]]:
    """The positions of a contradiction as the site groups them
    (:func:`aiwire.site.disagreements.positions`): each value once, in words, with every
    outlet that reported it, the most widely reported first."""
    return [{"text": g["label"],
             "count": g["count"] + (", citing unnamed sources" if g["unnamed"] else ""),
             "value": int(g["value"]) if isinstance(g["value"], float)
             and g["value"].is_integer() else g["value"],
             "sources": [{"name": o["name"], "href": o["href"], "quote": o["quote"],
                          "published": o["published"]} for o in g["outlets"]]}
            for g in contradiction["groups"]]


def point(contradiction: dict[str, Any]) -> dict[str, Any]:
    """One disagreement as the email shows it: the question, how hard, the positions."""
    c = contradiction
    label = c["heading"] + (f" ({c['subject_name']})" if c["show_subject"] else "")
    return {"label": label, "severity": "hard" if c["hard"] else "soft",
            "why": c["severity_label"], "positions": positions(c)}


def week_view(site: Site, week: str, site_url: str | None) -> dict[str, Any]:
    """What the week's email (and its Atom entry) shows, with links made absolute."""
    start, end = week_bounds(week)
    last = end - timedelta(days=1)
    disputed, others = [], []
    n_points = 0
    for card in site.ranked_cards(week):
        story = site.stories[card["id"]]
        entry = {"title": card["title"], "lead": card["lead"],
                 "href": absolute(site_url, f"stories/{card['slug']}/index.html"),
                 "reports": f"{card['n_reports']} report{'s' if card['n_reports'] != 1 else ''}"
                            f" from {card['n_outlets']} outlet"
                            f"{'s' if card['n_outlets'] != 1 else ''}"}
        if story["contradictions"]:      # already hard first (disagreements.ordered)
            entry["verdict"] = story["verdict"]
            entry["points"] = [point(c) for c in story["contradictions"]]
            n_points += len(entry["points"])
            disputed.append(entry)
        else:
            others.append(entry)
    n_stories = len(disputed) + len(others)
    return {
        "week": week, "start": f"{start.day} {start:%B %Y}",
        "end": f"{last.day} {last:%B %Y}",
        "subject": (f"aiwire {week}: {n_points} disagreement{'s' if n_points != 1 else ''} "
                    f"in {n_stories} AI security stor{'ies' if n_stories != 1 else 'y'}"),
        "disputed": disputed, "others": others, "n_points": n_points,
        "digest_href": absolute(site_url, f"digest/{week}/index.html"),
        "site_href": absolute(site_url, "index.html"), "width": WIDTH,
    }


def email_html(env: Environment, view: dict[str, Any]) -> str:
    # control characters (a NUL in a feed's title) have no business in a mail body
    return xml_text(env.get_template("email.html").render(view))


def _wrap(text: str, indent: str = "", first: str | None = None) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), TEXT_COLUMNS, initial_indent=first or indent,
                         subsequent_indent=indent, break_on_hyphens=False,
                         break_long_words=False) or [first or indent]


def email_text(view: dict[str, Any]) -> str:
    """The plain-text part: the same content as the HTML, in reading order."""
    lines = [view["subject"], "=" * min(len(view["subject"]), TEXT_COLUMNS), "",
             f"Week of {view['start']} to {view['end']}."]
    if view["digest_href"]:
        lines.append(f"Read it on the web: {view['digest_href']}")
    lines.append("")
    if view["disputed"]:
        lines += ["WHERE SOURCES DISAGREE", ""]
    for story in view["disputed"]:
        lines += _wrap(story["title"]) + [f"{story['reports']}"]
        if story["href"]:
            lines.append(story["href"])
        lines += [""] + _wrap(story["verdict"])
        for item in story["points"]:
            lines += [""] + _wrap(f"{item['label']}: {item['why']}", "  ", "* ")
            for position in item["positions"]:
                names = ", ".join(s["name"] for s in position["sources"])
                lines += _wrap(f"{position['text']}: {position['count']} ({names})", "      ",
                               "    - ")
        lines.append("")
    if view["others"]:
        lines += ["OTHER STORIES THIS WEEK", ""]
    for story in view["others"]:
        lines += _wrap(story["title"], "  ", "* ") + [f"  {story['reports']}"]
        if story["lead"]:
            lines += _wrap(story["lead"], "  ")
        if story["href"]:
            lines.append(f"  {story['href']}")
        lines.append("")
    if not view["disputed"] and not view["others"]:
        lines += ["No stories this week.", ""]
    lines.append("-- ")
    lines += _wrap("aiwire: AI security incidents, reconciled across outlets. Every figure "
                   "and claim links to its source.")
    if view["site_href"]:
        lines.append(view["site_href"])
    return xml_text("\n".join(line.rstrip() for line in lines) + "\n")


def email_files(env: Environment, site: Site, week: str,
                site_url: str | None) -> dict[str, str]:
    """``digest/<week>/email.html`` and ``email.txt`` for one week."""
    view = week_view(site, week, site_url)
    return {f"digest/{week}/email.html": email_html(env, view),
            f"digest/{week}/email.txt": email_text(view)}
