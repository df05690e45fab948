"""The weekly digest as an email: ``digest/<week>/email.html`` and its twin ``email.txt``.

Mail clients strip ``<style>``, block scripts and remote fonts, and lay out tables far
better than anything else, so the HTML uses tables, inline styles and system fonts only,
at most 640 px wide. It leads with the week's disagreements (each position with the
outlets that took it), then lists the other stories. Links to aiwire's own pages need
``settings.site_url`` (a relative link means nothing in a mailbox); without it only the
sources are linked. The text part carries the same content, wrapped at 72 columns, and
its first line is the subject ``aiwire mail`` sends. Pure functions of the site model:
the same data gives the same bytes.

Side values are shown as the outlets wrote them (the first wording of each value), with
codes spelled out in words; :mod:`aiwire.site.labels` is used for labels when present.
"""

from __future__ import annotations

import textwrap
from datetime import timedelta
from typing import Any

from jinja2 import Environment

from aiwire.site.model import STANCE_LABELS, Site, week_bounds
from aiwire.site.sanitize import safe_url, xml_text
from aiwire.site.share import absolute

WIDTH = 640            # px: the email's maximum width
TEXT_COLUMNS = 72
SEVERITY_WORDS = {"hard": "these cannot all be true",
                  "soft": "may be rounding, wording or timing"}


def hardness(severity: object) -> str:
    """``hard`` or ``soft``: the analysis has written ``high``/``low`` for the same."""
    return "hard" if severity in ("hard", "high") else "soft"


def _value_key(side: dict[str, Any]) -> str:
    value = side.get("value")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return repr(value) if value is not None else f"text:{side.get('text') or ''}"


def _value_label(side: dict[str, Any]) -> str:
    """How a side reads: the outlet's own wording of a figure, a code spelled out."""
    if side.get("text") and side.get("text") != side.get("value"):
        return str(side["text"])
    value = side.get("value")
    if isinstance(value, str):
        return STANCE_LABELS.get(value, value.replace("_", " "))
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def positions(contradiction: dict[str, Any]) -> list[dict[str, Any]]:
    """The sides grouped by value: each position once, with every outlet that took it,
    the most widely reported first (ties in the order they were reported)."""
    groups: dict[str, dict[str, Any]] = {}
    for side in contradiction["sides"]:
        value = side.get("value")
        group = groups.setdefault(_value_key(side), {
            "text": _value_label(side), "sources": [],
            "value": int(value) if isinstance(value, float) and value.is_integer() else value})
        name = side.get("source") or "unknown outlet"
        if name not in [s["name"] for s in group["sources"]]:
            group["sources"].append({"name": name, "href": safe_url(side.get("url")),
                                     "quote": side.get("quote") or "",
                                     "published": side.get("published") or ""})
    ordered = sorted(groups.values(), key=lambda g: -len(g["sources"]))
    for group in ordered:
        n = len(group["sources"])
        group["count"] = f"{n} outlet{'s' if n != 1 else ''}"
    return ordered


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
        points = sorted(story["contradictions"], key=lambda c: hardness(c["severity"]))
        if points:
            entry["points"] = [{
                "label": c["topic_label"] + (f" of {c['subject_name']}"
                                             if c.get("subject_name") else ""),
                "severity": hardness(c["severity"]),
                "why": SEVERITY_WORDS[hardness(c["severity"])],
                "positions": positions(c)} for c in points]
            n_points += len(points)
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
        for point in story["points"]:
            lines += [""] + _wrap(f"{point['label']} ({point['why']}):", "  ", "* ")
            for position in point["positions"]:
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
