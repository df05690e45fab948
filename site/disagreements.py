"""Contradictions as a reader weighs them: positions, who holds each, and one verdict.

A flag from the analysis lists one side per report; seven reports saying two things are
seven sides. Here equal values are merged into one position (``4.9%`` and ``4.9
percent`` are the same fall), each position lists its outlets and their count, hard
disagreements come before soft ones, and the whole story gets a one-sentence verdict
("Outlets disagree on 2 points: how many accounts (24,000 vs 25,000) and ...").
"""

from __future__ import annotations

import re
from typing import Any

from aiwire.site import labels
from aiwire.site.cleantext import quote as clean_quote
from aiwire.site.sanitize import safe_url
from aiwire.site.values import figure_text, large, plural

KIND_ORDER = ["figure", "claim", "response", "date", "scope"]
_UNNAMED = re.compile(r"\b(people familiar|sources? (?:said|say|says|close)|according to "
                      r"(?:two|three|several|multiple)? ?(?:people|sources|insiders)|"
                      r"anonymous|unnamed|who (?:asked|spoke) on condition)", re.I)
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?")
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

FigureUnits = dict[tuple[str, str, Any], str]


def _date_text(value: str) -> str | None:
    match = _ISO_DAY.match(value)
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    month = _MONTHS[int(match.group(2)) - 1]
    day = f"{int(match.group(3))} " if match.group(3) else ""
    return f"{day}{month} {match.group(1)}"


def _value_key(kind: str, value: Any, side: dict[str, Any]) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"n:{round(float(value), 6)!r}"
    if value is None or isinstance(value, (dict, list, tuple)):
        return f"t:{(side.get('text') or '').strip().lower()}"
    return f"s:{value}"


def side_label(c: dict[str, Any], side: dict[str, Any], unit: str | None) -> str:
    """How one position reads: a figure in its usual spelling, a code in words."""
    value, kind = side.get("value"), c.get("kind")
    if isinstance(value, (dict, list, tuple)):        # a structured value: its wording
        return side.get("text") or "a different account"
    if kind == "figure" or isinstance(value, (int, float)) and not isinstance(value, bool):
        return figure_text(c.get("topic") if kind == "figure" else None, value, unit)
    if kind == "response":
        return labels.response_side(value)
    if isinstance(value, str) and kind == "date":
        return _date_text(value) or side.get("text") or labels.humanise(value)
    if value is None:
        return side.get("text") or "not stated"
    if kind == "claim" or str(value) in labels.VALUE_LABELS or "_" in str(value):
        return labels.value_label(value)
    return side.get("text") or labels.humanise(value)


COUNTED = {"account_count", "user_count", "request_count", "count"}


def _short(c: dict[str, Any], side: dict[str, Any], unit: str | None) -> str:
    """A position without the counted noun, for a sentence that already names it."""
    value = side.get("value")
    if c.get("kind") == "figure" and c.get("topic") in COUNTED \
            and isinstance(value, (int, float)) and not isinstance(value, bool):
        return large(float(value))
    return side_label(c, side, unit)


def _unit(c: dict[str, Any], side: dict[str, Any], units: FigureUnits) -> str | None:
    if c.get("unit"):
        return c["unit"]
    value = side.get("value")
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    return units.get((c.get("topic") or "", side.get("url") or "", value))


def positions(c: dict[str, Any], units: FigureUnits) -> list[dict[str, Any]]:
    """The sides grouped by value, each outlet once per position, the most widely held
    position first (ties in the order they were first reported)."""
    groups: dict[str, dict[str, Any]] = {}
    for order, side in enumerate(c.get("sides") or []):
        value = side.get("value")
        key = _value_key(c.get("kind") or "", value, side)
        unit = _unit(c, side, units)
        group = groups.setdefault(key, {"label": side_label(c, side, unit), "outlets": [],
                                        "short": _short(c, side, unit), "value": value,
                                        "urls": [], "order": order, "qualifiers": []})
        group["qualifiers"].append(side.get("qualifier"))
        group["urls"].append(side.get("url") or "")
        name = side.get("source") or "unknown outlet"
        if any(o["name"] == name for o in group["outlets"]):
            continue
        group["outlets"].append({
            "name": name, "href": safe_url(side.get("url")), "url": side.get("url") or "",
            "quote": clean_quote(side.get("quote")), "published": side.get("published") or "",
            "wording": side.get("text") or ""})
    out = []
    for group in sorted(groups.values(), key=lambda g: (-len(g["outlets"]), g["order"])):
        qualifiers = set(group.pop("qualifiers"))
        if c.get("kind") == "figure" and len(qualifiers) == 1 and None not in qualifiers:
            qualifier = labels.qualifier_label(qualifiers.pop())
            group["label"] = f"{qualifier} {group['label']}"
            group["short"] = f"{qualifier} {group['short']}"
        n = len(group["outlets"])
        group["n"] = n
        group["count"] = f"{n} outlet{'s' if n != 1 else ''}"
        group["unnamed"] = all(_UNNAMED.search(o["quote"]) for o in group["outlets"])
        group.pop("order")
        out.append(group)
    return out


def question(c: dict[str, Any], subject_name: str | None, unit: str | None = None) -> str:
    """What the outlets answer differently, as a question without its question mark."""
    if c.get("kind") == "response" and subject_name:
        return f"how {subject_name} responded"
    if c.get("kind") == "figure" and c.get("topic") == "count" and unit:
        return f"how many {plural(labels.humanise(unit), 2)}"
    return labels.topic_question(c.get("topic") or c.get("kind") or "")


def view(c: dict[str, Any], names: dict[str, str], units: FigureUnits) -> dict[str, Any]:
    subject = c.get("subject")
    subject_name = names.get(subject, labels.humanise(subject) if subject else None)
    groups = positions(c, units)
    sides = c.get("sides") or []
    q = question(c, subject_name, _unit(c, sides[0], units) if sides else None)
    strength = labels.severity(c.get("severity"))
    flat = [dict(side, text=side_label(c, side, _unit(c, side, units)),
                 quote=clean_quote(side.get("quote")), href=safe_url(side.get("url")),
                 url=side.get("url") or "", source=side.get("source") or "",
                 published=side.get("published"))
            for side in c.get("sides") or []]
    return {"id": c.get("id") or "", "kind": c.get("kind") or "",
            "kind_label": labels.kind_label(c.get("kind")),
            "topic": c.get("topic") or "", "topic_label": q,
            "heading": q[:1].upper() + q[1:],
            "subject": subject, "subject_name": subject_name,
            "show_subject": bool(subject_name) and c.get("kind") != "response",
            "severity": c.get("severity") or "low", "hard": strength == "hard",
            "severity_label": labels.severity_label(strength),
            "severity_text": labels.severity_explained(strength),
            "groups": groups, "versus": " vs ".join(g["short"] for g in groups[:3]),
            "sides": flat}


def _merge(views: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Two flags asking the reader the same question with the same answers (the analysis
    may split one fact by the purpose of the money, say) are shown as one."""
    out: list[dict[str, Any]] = []
    seen: dict[tuple, dict[str, Any]] = {}
    for v in views:
        key = (v["kind"], v["topic_label"], v["subject"],
               frozenset(g["label"] for g in v["groups"]))
        if key not in seen:
            seen[key] = v
            out.append(v)
            continue
        into = seen[key]
        into["hard"] = into["hard"] or v["hard"]
        strength = "hard" if into["hard"] else "soft"
        into["severity_label"] = labels.severity_label(strength)
        into["severity_text"] = labels.severity_explained(strength)
        into["sides"] = into["sides"] + v["sides"]
        by_label = {g["label"]: g for g in into["groups"]}
        for g in v["groups"]:
            target = by_label[g["label"]]
            names = {o["name"] for o in target["outlets"]}
            target["outlets"] += [o for o in g["outlets"] if o["name"] not in names]
            target["urls"] += [u for u in g["urls"] if u not in target["urls"]]
            target["n"] = len(target["outlets"])
            target["count"] = f"{target['n']} outlet{'s' if target['n'] != 1 else ''}"
            target["unnamed"] = target["unnamed"] and g["unnamed"]
        into["groups"].sort(key=lambda g: -g["n"])
        into["versus"] = " vs ".join(g["short"] for g in into["groups"][:3])
    return out


def ordered(views: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Hard disagreements first, then by kind, then the widest (most outlets) first; the
    same question with the same answers only once."""
    return sorted(_merge(views), key=lambda v: (
        not v["hard"], KIND_ORDER.index(v["kind"]) if v["kind"] in KIND_ORDER else 9,
        -sum(g["n"] for g in v["groups"]), v["topic"], v["id"]))


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def verdict(views: list[dict[str, Any]], n_outlets: int) -> str:
    """One sentence a reader can stop at."""
    hard = [v for v in views if v["hard"]]
    soft = [v for v in views if not v["hard"]]
    if not views:
        if n_outlets <= 1:
            return "Only one outlet has reported this so far."
        return f"The {n_outlets} outlets agree on every figure and claim we compared."
    parts = []
    if hard:
        n = len(hard)
        parts.append(f"Outlets disagree on {n} point{'s' if n != 1 else ''}: "
                     + _join([f"{v['topic_label']} ({v['versus']})" for v in hard]) + ".")
    if soft:
        lead = "They also differ slightly on" if hard else "Outlets differ slightly on"
        parts.append(f"{lead} " + _join([f"{v['topic_label']} ({v['versus']})"
                                         for v in soft]) + ".")
    return " ".join(parts)
