"""``date`` and ``scope`` contradictions: facts about an incident that cannot all hold.

* date: two reports date the same statement (the same event word, or the same party
  and no two different parties: disclosed, discovered, the breach itself, fixed, filed, released) in ways
  that cannot both be true at their precision: "Thursday" vs "Friday", "August 2024"
  vs "August 2025". "July 2024" and "July 4, 2024" agree, and so do two reports when any
  of their datings of that statement agree (an article may date several events).
* scope: one report asserts what was reached (records accessed, exploitation in the
  wild) and another denies it or bounds it ("only a limited number", "not misused so
  far"). An article that says both is not a side.

Two sides are always two different articles; the caller only passes one story, which
is one incident.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from functools import lru_cache

from aiwire.nlp.dates import (CALENDAR, DateValue, duration_days, durations_conflict,
                               resolve)


def _published(row: dict) -> date | None:
    try:
        return date.fromisoformat((row.get("published") or "")[:10])
    except ValueError:
        return None


def _side(row: dict, value, normalised: str) -> dict:
    return {"value": value, "normalised": normalised, "quote": row["quote"],
            "url": row["url"], "source": row["source"], "published": row["published"]}


def same_statement(a: dict, b: dict) -> bool:
    """Two dated sentences state the same event: the same event word ("reported" and
    "reported") and no two different parties doing it. "Researchers reported the flaw to
    the vendor in September" and "disclosed the flaw on Tuesday" are two events of one
    disclosure, not one event dated twice."""
    if not a.get("verb") or a.get("verb") != b.get("verb"):
        return False
    if not (a["subject"] and b["subject"] and a["subject"] != b["subject"]):
        return True
    # Two parties only when neither sentence names the other's: "Orin, the model Marlow
    # released in late 2023" and "Marlow's Orin model, released early last year" date
    # one release, whichever name the nearest-name rule picked as the subject.
    return _names(a["quote"], b["subject"]) or _names(b["quote"], a["subject"])


@lru_cache(maxsize=1 << 14)
def _names(quote: str, entity_id: str) -> bool:
    """Does the sentence name the entity (its id is the slug of its name)? Kept per
    sentence and entity: a large story asks about the same pairs many times."""
    pattern = _name_pattern(entity_id)
    return pattern is not None and pattern.search(quote) is not None


@lru_cache(maxsize=1 << 12)
def _name_pattern(entity_id: str) -> re.Pattern | None:
    words = [re.escape(w) for w in entity_id.split("-") if w]
    if not words:
        return None
    return re.compile(r"(?<![\w])" + r"[\s\-.]*".join(words) + r"(?![\w])", re.I)


Dated = tuple[DateValue, dict]


def _by_verb(datings: list[Dated]) -> dict[str, list[tuple[int, Dated]]]:
    """An article's datings by event word, each with its place in the article's list
    (a dating without an event word states nothing :func:`same_statement` can match)."""
    out: dict[str, list[tuple[int, Dated]]] = defaultdict(list)
    for i, dating in enumerate(datings):
        if dating[1].get("verb"):
            out[dating[1]["verb"]].append((i, dating))
    return out


NEWS_DAYS = 10


def _two_news_days(a: tuple, b: tuple) -> bool:
    """Each report dates its own news by the weekday ("announced on Wednesday", days
    before it was published) and the reports are more than a week apart: two announcements of a story
    that went on (a proposed fine, a settlement, a final fine), not one told twice. A
    calendar date ("November 9") states a fact any report can get wrong, so it always
    compares."""
    published_a, published_b = _published(a[1]), _published(b[1])
    if not published_a or not published_b or abs((published_a - published_b).days) <= 7:
        return False
    return all(value.precision == "day" and 0 <= (published - value.end).days <= NEWS_DAYS
               and not CALENDAR.search(row["value"])
               for (value, row), published in ((a, published_a), (b, published_b)))


def _agree_but_for_year(a: Dated, b: Dated) -> bool:
    """A date written without its year agrees with one written with it when the days
    meet in that year: "on March 24" and "four days after March 20, 2023" in a report
    published a year on (where "March 24" reads as the latest March 24)."""
    written = [bool(EXPLICIT_YEAR.search(dated[1].get("value", ""))) for dated in (a, b)]
    if written[0] == written[1]:
        return False
    bare, dated = (a[0], b[0]) if written[1] else (b[0], a[0])
    if bare.start.year != bare.end.year or bare.precision not in ("day", "month", "week"):
        return False
    try:
        moved = DateValue(bare.start.replace(year=dated.start.year),
                          bare.end.replace(year=dated.start.year), bare.precision)
    except ValueError:                      # February 29
        return False
    return moved.overlaps(dated)


def _disagreeing(left: dict[str, list[tuple[int, Dated]]],
                 right: dict[str, list[tuple[int, Dated]]]) -> list[tuple[Dated, Dated]]:
    """The pairs of two reports' datings that state the same event, in the reports' order,
    when every one of them disagrees; none when any agrees. Two reports conflict when
    every dating of the same statement disagrees; one agreeing pair means they tell the
    same date (perhaps among others)."""
    found = []
    for verb in left.keys() & right.keys():
        for i, a in left[verb]:
            for j, b in right[verb]:
                if not same_statement(a[1], b[1]) or _two_news_days(a, b):
                    continue
                if a[0].overlaps(b[0]) or _agree_but_for_year(a, b):
                    return []
                found.append((i, j, a, b))
    found.sort(key=lambda f: (f[0], f[1]))
    return [(a, b) for _, _, a, b in found]


def date_flags(story_id: str, rows: list[dict], main_subject: str | None,
               make_id) -> list[dict]:
    """Date contradictions among a story's ``date:<event>`` assertions."""
    per_key: dict[tuple[str, str | None], dict[int, list[tuple[DateValue, dict]]]] = \
        defaultdict(lambda: defaultdict(list))
    for row in rows:
        if not row["slot"].startswith("date:"):
            continue
        published = _published(row)
        value = resolve(row["value"], published) if published else None
        if value is None:
            continue
        event, _, verb = row["slot"][5:].partition(":")
        # Grouped by the kind of event; whether two dated sentences state the same event
        # is decided pairwise (same_statement), the flag is about the story's main party.
        per_key[(event, main_subject)][row["article_id"]].append((value, row | {"verb": verb}))
    flags = []
    for (event, subject), articles in sorted(per_key.items(), key=lambda kv: str(kv[0])):
        order = sorted(articles, key=lambda aid: (articles[aid][0][1]["published"],
                                                  articles[aid][0][1]["url"]))
        chosen: dict[int, tuple[DateValue, dict]] = {}
        by_verb = {aid: _by_verb(articles[aid]) for aid in order}
        # Two reports can only disagree on an event word both use: each report meets
        # the later ones sharing one of its words, in the same order as all of them.
        using: dict[str, list[int]] = defaultdict(list)
        for i, aid in enumerate(order):
            for verb in by_verb[aid]:
                using[verb].append(i)
        for i, left in enumerate(order):
            if not by_verb[left]:
                continue
            later = sorted({j for verb in by_verb[left] for j in using[verb] if j > i})
            for right in (order[j] for j in later):
                pairs = _disagreeing(by_verb[left], by_verb[right])
                if pairs:
                    a, b = min(pairs, key=lambda p: (p[0][0].end - p[0][0].start).days
                               + (p[1][0].end - p[1][0].start).days)
                    chosen.setdefault(left, a)
                    chosen.setdefault(right, b)
        if len(chosen) < 2:
            continue
        ordered = [chosen[aid] for aid in order if aid in chosen]
        sides = [_side(row, row["value"], value.iso()) | {"precision": value.precision}
                 for value, row in ordered]
        topic = f"{event} date"
        flags.append({"id": make_id(story_id, "date", topic, subject), "story_id": story_id,
                      "kind": "date", "topic": topic, "subject": subject,
                      "severity": "hard", "sides": sides})
    return flags


def order_flags(story_id: str, rows: list[dict], main_subject: str | None,
                make_id) -> list[dict]:
    """A party going public before it knew: one report dates its disclosure ("X
    disclosed the incident on November 9"), another dates its learning of it ("X was
    notified on November 25") later, and no report has it learn of it by the disclosure.
    Nobody announces what it has not yet heard, so one of the two dates is wrong. Only
    the party's own acts count: the subject of "disclosed", the one notified, alerted or
    who learned; two sides from one article are never a flag."""
    tells: dict[str, list[Dated]] = defaultdict(list)
    knows: dict[str, list[Dated]] = defaultdict(list)
    for row in rows:
        subject = row.get("subject")
        if not subject or not row["slot"].startswith("date:"):
            continue
        event, _, verb = row["slot"][5:].partition(":")
        into = tells if (event, verb) == ("disclosure", "discl") else \
            knows if (event, verb) == ("discovery", "learn") else None
        published = _published(row)
        value = resolve(row["value"], published) if into is not None and published else None
        if value is not None:
            into[subject].append((value, row))
    flags = []
    for subject in sorted(tells.keys() & knows.keys()):
        learned = min(value.start for value, _ in knows[subject])
        early = sorted((d for d in tells[subject] if d[0].end < learned),
                       key=lambda d: (d[0].end, d[1]["published"], d[1]["url"]))
        for tell in early:
            others = sorted((d for d in knows[subject]
                             if d[1]["article_id"] != tell[1]["article_id"]),
                            key=lambda d: (d[0].start, d[1]["published"], d[1]["url"]))
            if not others:
                continue
            pair = sorted((tell, others[0]), key=lambda d: (d[1]["published"], d[1]["url"]))
            sides = [_side(row, row["value"], value.iso()) | {"precision": value.precision}
                     for value, row in pair]
            topic = "disclosed before it learned"
            flags.append({"id": make_id(story_id, "date", topic, subject),
                          "story_id": story_id, "kind": "date", "topic": topic,
                          "subject": subject, "severity": "hard", "sides": sides})
            break
    return flags


YEAR_SLIP_EVENTS = {"incident", "disclosure", "discovery", "fix"}
YEAR_SLIP_DAYS = 7
EXPLICIT_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _year_slip(a: DateValue, b: DateValue) -> bool:
    """Two day-precise dates a year apart to within a week: one incident's timeline
    told with a wrong year ("August 20, 2024" vs "August 24, 2025"), not two events."""
    if a.precision != "day" or b.precision != "day" or abs(a.start.year - b.start.year) != 1:
        return False
    try:
        moved = a.start.replace(year=b.start.year)
    except ValueError:                       # February 29
        moved = a.start.replace(year=b.start.year, day=28)
    return abs((moved - b.start).days) <= YEAR_SLIP_DAYS


def year_flags(story_id: str, rows: list[dict], main_subject: str | None,
               make_id) -> list[dict]:
    """The incident's year told differently: one report dates a step of the incident in
    one year, another dates a step within a week of it, on the calendar, a year later or
    earlier. Any event words of the incident's timeline compare (the breach, its
    discovery, disclosure or fix), since a timeline does not repeat a year later to the
    week; to keep anniversaries and follow-ups out, neither report may date anything in
    the other's year, and the odd year must be written out."""
    dated: dict[int, list[tuple[DateValue, dict]]] = defaultdict(list)
    for row in rows:
        if not row["slot"].startswith("date:"):
            continue
        published = _published(row)
        value = resolve(row["value"], published) if published else None
        if value is not None:
            dated[row["article_id"]].append((value, row))
    order = sorted(dated, key=lambda aid: (dated[aid][0][1]["published"],
                                           dated[aid][0][1]["url"]))
    # Only day-precise datings of a timeline event can slip a year (what _year_slip and
    # the event test below require): the pairs are made of those alone, in the same order.
    slips = {aid: [(v, row) for v, row in dated[aid] if v.precision == "day"
                   and row["slot"].split(":")[1] in YEAR_SLIP_EVENTS] for aid in order}
    order = [aid for aid in order if slips[aid]]
    chosen: dict[int, tuple[DateValue, dict]] = {}
    for i, left in enumerate(order):
        for right in order[i + 1:]:
            for a, row_a in slips[left]:
                for b, row_b in slips[right]:
                    if not _year_slip(a, b):
                        continue
                    if not (EXPLICIT_YEAR.search(row_a["value"])
                            or EXPLICIT_YEAR.search(row_b["value"])):
                        continue
                    if any(v.start.year <= b.start.year <= v.end.year for v, _ in dated[left]) \
                            or any(v.start.year <= a.start.year <= v.end.year
                                   for v, _ in dated[right]):
                        continue      # each report knows the other's year: two events
                    chosen.setdefault(left, (a, row_a))
                    chosen.setdefault(right, (b, row_b))
    if len({value.start.year for value, _ in chosen.values()}) < 2:
        return []
    ordered = [chosen[aid] for aid in order if aid in chosen]
    sides = [_side(row, row["value"], value.iso()) | {"precision": value.precision}
             for value, row in ordered]
    topic = "incident year"
    return [{"id": make_id(story_id, "date", topic, main_subject), "story_id": story_id,
             "kind": "date", "topic": topic, "subject": main_subject, "severity": "hard",
             "sides": sides}]


def scope_flags(story_id: str, rows: list[dict], main_subject: str | None,
                make_id) -> list[dict]:
    """Scope contradictions: an asserted reach against a denial or bound of it.

    Objects are compared by what they name (``scope.objects_meet``): "usage counts were
    exposed" meets "no API usage data", "customer records" meets "records". An article
    that takes both positions on objects that meet is not a side."""
    from aiwire.nlp.scope import kinds, objects_meet, owners_told

    statements: dict[int, dict[tuple[str, str], dict]] = defaultdict(dict)
    for row in rows:
        if row["slot"].startswith("scope:"):
            position = row["value"].split(":", 1)[0]
            statements[row["article_id"]].setdefault((row["slot"][6:], position), row)

    def torn(article: int, obj: str) -> bool:       # says both about this object
        held = statements[article]
        return {p for (o, p) in held if objects_meet(o, obj)} >= {"asserted"} and any(
            p != "asserted" and objects_meet(o, obj) for (o, p) in held)

    per_topic: dict[str, dict[int, dict]] = defaultdict(dict)
    hard_topics: set[str] = set()
    articles = sorted(statements)
    for left in articles:
        for right in articles:
            if left == right:
                continue
            for (obj_a, pos_a), row_a in statements[left].items():
                if pos_a != "asserted" or torn(left, obj_a):
                    continue
                for (obj_b, pos_b), row_b in statements[right].items():
                    if pos_b == "asserted" or not objects_meet(obj_a, obj_b) \
                            or torn(right, obj_b):
                        continue
                    shared = sorted(kinds(obj_a) & kinds(obj_b))
                    topic = obj_a if obj_a == obj_b else (
                        " ".join(shared) if shared else obj_a.split()[-1])
                    per_topic[topic].setdefault(left, row_a)
                    per_topic[topic].setdefault(right, row_b)
                    if owners_told(obj_a, obj_b):
                        hard_topics.add(topic)
    flags = []
    for topic, chosen in sorted(per_topic.items()):
        rows_in = sorted(chosen.values(), key=lambda r: (r["published"], r["url"]))
        sides = [_side(r, r["value"].split(":", 1)[0], r["value"]) for r in rows_in]
        severity = "hard" if topic in hard_topics else "soft"
        topic = f"{topic} (scope)"
        flags.append({"id": make_id(story_id, "scope", topic, main_subject),
                      "story_id": story_id, "kind": "scope", "topic": topic,
                      "subject": main_subject, "severity": severity, "sides": sides})
    return flags


def role_flags(story_id: str, rows: list[dict], make_id) -> list[dict]:
    """A person given roles at one organisation that cannot both be theirs (a board seat
    vs a staff job, an executive post vs a staff job). An article naming two kinds of
    role for the person is not a side; kinds often held together are never compared."""
    from aiwire.nlp.assertions import role_kinds

    incompatible = {frozenset(pair) for pair in role_kinds()[2]}
    per_slot: dict[str, dict[int, dict[str, dict]]] = defaultdict(lambda: defaultdict(dict))
    for row in rows:
        if row["slot"].startswith("role:"):
            per_slot[row["slot"]][row["article_id"]].setdefault(row["value"], row)
    flags = []
    for slot, articles in sorted(per_slot.items()):
        single = {aid: next(iter(kinds.values())) for aid, kinds in articles.items()
                  if len(kinds) == 1}
        kinds = {row["value"] for row in single.values()}
        if not any(frozenset((a, b)) in incompatible for a in kinds for b in kinds):
            continue
        rows_in = sorted(single.values(), key=lambda r: (r["published"], r["url"]))
        sides = [_side(r, r["value"], r["value"]) for r in rows_in]
        person = slot.split(":")[1]
        topic = "role"                   # whose role: the flag's subject
        flags.append({"id": make_id(story_id, "claim", topic, person), "story_id": story_id,
                      "kind": "claim", "topic": topic, "subject": person,
                      "severity": "hard", "sides": sides})
    return flags


def duration_flags(story_id: str, rows: list[dict], main_subject: str | None,
                   make_id) -> list[dict]:
    """How long one thing lasted, told in lengths that cannot both hold ("within three
    weeks" vs "over a single year"), for the same event word. Bounds are honoured and
    close lengths ("five hours" vs "5 hours and 20 minutes") agree; an article giving two
    lengths for the event word is not a side."""
    per_slot: dict[str, dict[int, dict]] = defaultdict(dict)
    spoiled: set[tuple[str, int]] = set()
    for row in rows:
        if not row["slot"].startswith("duration:"):
            continue
        length = duration_days(row["value"])
        if length is None:
            continue
        held = per_slot[row["slot"]].get(row["article_id"])
        if held is not None and held["length"] != length:
            spoiled.add((row["slot"], row["article_id"]))
        per_slot[row["slot"]].setdefault(row["article_id"], row | {"length": length})
    flags = []
    for slot, articles in sorted(per_slot.items()):
        single = {aid: row for aid, row in articles.items() if (slot, aid) not in spoiled}
        involved = {aid for aid in single for other in single
                    if aid != other and durations_conflict(single[aid]["length"],
                                                           single[other]["length"])}
        if len(involved) < 2:
            continue
        rows_in = sorted((single[aid] for aid in involved),
                         key=lambda r: (r["published"], r["url"]))
        sides = [_side(r, r["value"], f"{r['length'][0]:g} days ({r['length'][1]})")
                 for r in rows_in]
        event = slot.split(":")[1]
        topic = f"{event} duration"
        # a length is a claim about the incident, not a date on the calendar
        flags.append({"id": make_id(story_id, "claim", slot, main_subject),
                      "story_id": story_id, "kind": "claim", "topic": topic,
                      "subject": main_subject, "severity": "hard", "sides": sides})
    return flags

