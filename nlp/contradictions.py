"""Contradictions: where a story's sources disagree, side by side with their evidence.

Three kinds, per the export contract:

* ``figure``: same story, subject, kind, unit and purpose ("ransom" vs "funding round"
  are different facts), values that do not agree. Equal values never flag; a hedged
  value ("about 24,000") against a close flat one is a low-severity discrepancy;
  "more than 3,000" agrees with 3,000.
* ``response``: a party's response as reported differs (denied vs declined to comment vs
  did not respond). Denies vs confirms is not flagged: outlets often report a party
  confirming one thing and denying another.
* ``claim``: slot assertions that cannot both hold (model weights vs model outputs taken;
  a legal filing vs a letter to officials).

Precision first: an article that reports both sides of a slot is not a side.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from bisect import bisect_left, insort
from collections import defaultdict

from aiwire.nlp.fact_conflicts import (date_flags, duration_flags, order_flags, role_flags,
                                       scope_flags, year_flags)
from aiwire.store import Store

PURPOSES = re.compile(
    r"\b(ransom|funding|round|revenue|sales|bounty|reward|fine|penalty|loss|losses|stolen|"
    r"transfer\w*|market\s+value|valuation|spend\w*|invest\w*|price|subscription|plan|"
    r"annual|monthly|a\s+month|per\s+month|a\s+year|salary|budget|damages|settlement|"
    r"profit|earnings|cost\w*|worth|value\s+of|paid|payment|raised)\b", re.I)
RESPONSE_STANCES = ("denies", "confirms", "declines_to_comment", "no_statement")
RELATIVE_TOLERANCE = 0.001
SOFT_TOLERANCE = 0.15
MAX_RATIO = 3.0
# Where an accusation was made (a filing vs a letter) can both be true: wording or timing.
CLAIM_SEVERITY = {"venue": "soft"}
SMALL_COUNT = 20
# Slots whose values can all hold of one incident when some report says so.
TOLD_TOGETHER = {"injection_carrier"}
ROUNDING_SHARE = 0.05   # "5%" for 4.9% is rounding; "$4 million" for $4.5 million is not


def contradiction_id(story_id: str, kind: str, topic: str, subject: str | None) -> str:
    raw = f"{story_id}|{kind}|{topic}|{subject or ''}"
    return hashlib.sha1(raw.encode()).hexdigest()[:12]


def _purpose(quote: str, text: str) -> str | None:
    """The word that says what a money figure is (nearest to the figure in its sentence)."""
    at = quote.find(text)
    best = None
    for match in PURPOSES.finditer(quote):
        distance = abs(match.start() - at) if at >= 0 else match.start()
        word = re.sub(r"\s+", " ", match.group().lower())
        word = {"a month": "monthly", "per month": "monthly", "a year": "annual"}.get(word, word)
        word = re.sub(r"(ing|s|ed)$", "", word) if word not in ("loss", "sales") else word
        if best is None or distance < best[0]:
            best = (distance, word)
    return best[1] if best else None


SHARE_OF = re.compile(r"(?:%|\bper\s*cent|\bpercent)\s+of\s+(?:the\s+|all\s+|its\s+|their\s+)?"
                      r"([a-z][\w-]*)", re.I)


def _share_of(quote: str, text: str) -> str | None:
    """What a percentage is a share of ("78% of the time", "35% of the forum accounts"):
    two percentages of different things are two facts."""
    at = quote.find(text)
    match = SHARE_OF.search(quote, max(at, 0))
    return match.group(1).lower() if match else None


def agree(a: dict, b: dict) -> str | None:
    """None when two figure values agree, else the severity of the disagreement."""
    x, y = a["value"], b["value"]
    if abs(x - y) <= RELATIVE_TOLERANCE * max(abs(x), abs(y), 1e-9):
        return None
    qa, qb = a.get("qualifier"), b.get("qualifier")
    for q, low, high in ((qa, x, y), (qb, y, x)):
        if q == "at_least" and high >= low:
            return None
        if q == "at_most" and high <= low:
            return None
    if x * y > 0 and max(abs(x), abs(y)) > MAX_RATIO * min(abs(x), abs(y)):
        return None   # 27 vs 1 million: two different facts, not one fact misreported
    relative = abs(x - y) / max(abs(x), abs(y))
    if "approximately" in (qa, qb) and relative <= SOFT_TOLERANCE:
        return "soft"
    if written_precision_agrees(a, b):
        return None   # 4.9% and "5%": one outlet rounded
    if a.get("kind") == "count" and max(abs(x), abs(y)) < SMALL_COUNT:
        return None    # "four individuals" vs "two individuals": two subsets, not one fact
    return "hard"


def _ends_in_zero(row: dict) -> bool:
    match = re.search(r"\d[\d,]*(?:\.\d+)?", row.get("text") or "")
    return match is None or match.group().replace(",", "").split(".")[0].endswith("0") \
        and "." not in match.group()


def _step(row: dict) -> float | None:
    """The rounding step a value was written with: "5%" -> 1, "4.9%" -> 0.1, "$25mn" ->
    1 million. None when the figure's words are unknown."""
    text = row.get("text") or ""
    match = re.search(r"\d[\d,]*(?:\.(\d+))?", text)
    if not match or not row.get("value"):
        return None
    digits = match.group().replace(",", "")
    written = float(digits)
    if written == 0:
        return None
    scale = abs(row["value"]) / written          # "25mn" -> 1e6; "4.9%" -> 1
    if match.group(1):
        return scale * 10 ** -len(match.group(1))
    whole = digits.split(".")[0]
    zeros = len(whole) - len(whole.rstrip("0"))
    return scale * 10 ** zeros


def written_precision_agrees(a: dict, b: dict) -> bool:
    """True when the coarser of two values is the finer one rounded ("5%" vs 4.9%)."""
    for coarse, fine in ((a, b), (b, a)):
        step, fine_step = _step(coarse), _step(fine)
        if not step or not fine_step or step <= fine_step:
            continue
        rounded = math.floor(fine["value"] / step + 0.5) * step
        # A round number ("20,000") may be an estimate, not a rounding: it must also be
        # close. A last digit that is not a zero ("3%" for 3.2%) is rounding as written.
        close = not _ends_in_zero(coarse) or \
            abs(fine["value"] - coarse["value"]) <= ROUNDING_SHARE * abs(coarse["value"])
        if close and abs(rounded - coarse["value"]) <= step * 1e-6:
            return True
    return False


# Kinds where one story rarely holds two different facts of the same kind, unit and
# purpose: subjects found by the extractor are noisy ("the model" vs its publisher), so
# these group on (kind, unit, purpose) and take the majority subject. Percentages and
# share moves are about many things at once and keep the subject in the key.
SUBJECT_LOOSE_KINDS = {"account_count", "user_count", "request_count", "count", "money",
                       "data_volume"}


def _group_figures(rows: list[dict]) -> dict[tuple, list[dict]]:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        purpose = (_purpose(row["quote"], row["text"]) if row["kind"] == "money"
                   else _share_of(row["quote"], row["text"]) if row["kind"] == "percent"
                   else None)
        if row["kind"] in SUBJECT_LOOSE_KINDS:
            groups[(None, row["kind"], row["unit"], purpose)].append(row)
        elif row["subject"] is not None:
            groups[(row["subject"], row["kind"], row["unit"], purpose)].append(row)
    # A money figure whose sentence names no purpose joins the one purpose group of the
    # same order of magnitude ("demands $4m" joins "a ransom of $4.5m", not "$180m round").
    purposed: dict[tuple, list[tuple]] = defaultdict(list)   # (subject, kind, unit) -> keys
    for k in groups:
        if k[3] is not None:
            purposed[k[:3]].append(k)
    positive: dict[tuple, list[float]] = {}                  # key -> its values > 0, sorted
    for key in [k for k in groups if k[3] is None and k[1] == "money"]:
        keep = []
        for item in groups[key]:
            for k in purposed.get(key[:3], ()):
                if k not in positive:
                    positive[k] = sorted(o["value"] for o in groups[k] if o["value"] > 0)
            near = [k for k in purposed.get(key[:3], ())
                    if _within_ratio(item["value"], positive[k])]
            if len(near) == 1:
                groups[near[0]].append(item)
                insort(positive[near[0]], item["value"])
            else:
                keep.append(item)
        groups[key] = keep
        if not keep:
            del groups[key]
    out: dict[tuple, list[dict]] = {}
    for (subject, kind, unit, purpose), items in groups.items():
        if subject is None:
            votes: dict[str, set] = defaultdict(set)
            for item in items:
                if item["subject"]:
                    votes[item["subject"]].add(item["article_id"])
            if not votes:
                continue      # a figure about nobody in particular cannot be compared
            subject = max(sorted(votes), key=lambda s: len(votes[s]))
        out[(subject, kind, unit, purpose)] = items
    return out


def _within_ratio(value: float, ordered: list[float]) -> bool:
    """Whether some value of ``ordered`` (positive, sorted) is within MAX_RATIO of
    ``value``: ``max(a, b) <= MAX_RATIO * min(a, b)``. Only the nearest value above and
    the nearest below can be (the test is monotone on each side)."""
    if value <= 0 or not ordered:
        return False
    at = bisect_left(ordered, value)
    if at < len(ordered) and ordered[at] <= MAX_RATIO * value:
        return True
    return at > 0 and value <= MAX_RATIO * ordered[at - 1]


def _severities(values: list[dict]) -> set[str]:
    """How the values disagree, pair by pair. Outlets repeat one another's figures, so
    each distinct way of writing a value is compared once (``agree`` depends only on
    these fields, and equal ones agree); the search stops at the first hard pair."""
    distinct = list({(v["value"], v.get("qualifier"), v.get("text"), v.get("kind")): v
                     for v in values}.values())
    found: set[str] = set()
    for i, left in enumerate(distinct):
        for right in distinct[i + 1:]:
            severity = agree(left, right)
            if severity == "hard":
                return {"hard"}
            if severity:
                found.add(severity)
    return found


def _accuser_camps(items: list[dict], accusers: dict[int, frozenset[str]]
                   ) -> list[tuple[str, list[dict]]]:
    """The figures of one group, split by who makes the accusation. Two labs each
    accusing a rival are two accusations even in one story: "30,000 accounts" in one and
    "12,000 accounts" in the other are two facts, not one fact told twice. With two or
    more accusers, only reports of the same accuser compare (a report naming none could
    belong to either and is left out); with one or none, the group stays whole."""
    camps: dict[frozenset[str], list[dict]] = defaultdict(list)
    for item in items:
        camps[accusers.get(item["article_id"], frozenset())].append(item)
    named = [key for key in camps if key]
    disjoint = any(not a & b for i, a in enumerate(named) for b in named[i + 1:])
    if not disjoint:
        return [("", items)]
    return [("|" + ",".join(sorted(key)), camps[key]) for key in sorted(named, key=sorted)]


# A figure told as an example of other cases ("companies have fallen victim, such as a
# multinational that lost $26 million") is about another incident, not this one's.
OTHER_CASES = re.compile(r"\b(?:such\s+as|for\s+(?:example|instance)|in\s+a\s+similar|"
                         r"(?:a|one)\s+similar\s+(?:case|scam|attack|incident)|another\s+"
                         r"(?:company|firm|victim|case|incident|scam)|other\s+(?:companies|"
                         r"firms|victims|cases|incidents))\b", re.I)


def _figure_flags(story_id: str, rows: list[dict],
                  accusers: dict[int, frozenset[str]] | None = None) -> list[dict]:
    groups = _group_figures([r for r in rows if not OTHER_CASES.search(r["quote"] or "")])
    flags = []
    for (subject, kind, unit, purpose), group in sorted(groups.items(),
                                                        key=lambda kv: str(kv[0])):
        for camp, items in _accuser_camps(group, accusers or {}):
            flag = _figure_flag(story_id, subject, kind, unit, purpose, items, camp)
            if flag:
                flags.append(flag)
    return flags


def _figure_flag(story_id: str, subject, kind, unit, purpose, items: list[dict],
                 camp: str = "") -> dict | None:
    by_article: dict[int, list[dict]] = defaultdict(list)
    for item in items:
        by_article[item["article_id"]].append(item)
    if len(by_article) < 2:
        return None
    # One value per article: an article that gives two values for one fact is
    # describing two things, and is left out rather than guessed at.
    single = {aid: vals[0] for aid, vals in by_article.items()
              if len({v["value"] for v in vals}) == 1}
    articles = sorted(single.values(), key=lambda v: (v["published"], v["url"]))
    severities = _severities(articles)
    if not severities:
        return None
    sides = [_side(v, v["value"]) | {"qualifier": v["qualifier"], "text": v["text"]}
             for v in articles]
    topic_key = "|".join(str(p) for p in (kind, unit, purpose)) + camp
    return {"id": contradiction_id(story_id, "figure", topic_key, subject),
            "story_id": story_id, "kind": "figure", "topic": kind,
            "subject": subject, "unit": unit,
            "severity": "hard" if "hard" in severities else "soft", "sides": sides}


# What a share is a share of, and what it lost. Two reports giving one distinctive
# percentage (1.2%, not 20%) of one story describe one fact; they conflict when they
# say it of different populations ("of all users" vs "of paying subscribers") or of
# different data ("payment details" vs "chat titles").
BASE = re.compile(r"(?:%|\bper\s*cent|\bpercent)\s+of\s+(?:the\s+|all\s+|its\s+|their\s+)?"
                  r"(?P<base>(?:[\w'’-]+\s+){0,3}?)(?P<head>users?|subscribers?|customers?|"
                  r"members?|accounts?|clients?|players?|visitors?|people|owners?)\b", re.I)
PAID_TIER = re.compile(r"\b(?:plus|pro|premium|paid|paying|enterprise|business|team|"
                       r"subscription|gold|platinum)\b", re.I)
FREE_TIER = re.compile(r"\b(?:free|trial|unpaid|guest)\b", re.I)
EXPOSURE = re.compile(r"\b(?:expos\w*|visib\w*|visible|leak\w*|breach\w*|access\w*|"
                      r"reveal\w*|view\w*|seen|saw|stolen|compromis\w*|affected)\b", re.I)
DATA_CLASSES: list[tuple[str, re.Pattern]] = [
    ("payment", re.compile(r"\b(?:payment\w*|billing|credit\s+cards?|card\s+numbers?|"
                           r"bank\s+details|expiration\s+dates?)\b", re.I)),
    ("conversations", re.compile(r"\b(?:conversation\w*|chats?|chat\s+(?:titles?|histor\w+)|"
                                 r"messages?|prompts?)\b", re.I)),
    ("credentials", re.compile(r"\b(?:passwords?|credentials?|tokens?|api\s+keys?|"
                               r"session\s+cookies?)\b", re.I)),
    ("identity", re.compile(r"\b(?:names?|e-?mail\s+addresses?|phone\s+numbers?|"
                            r"home\s+addresses?|dates?\s+of\s+birth)\b", re.I)),
]
DISTINCTIVE_STEP = 5       # 20% or 25% may be two facts by chance; 1.2% or 37% hardly


def _population(quote: str, text: str) -> str | None:
    """paid, free or all: the tier of the people a percentage counts."""
    at = max(quote.find(text), 0)
    match = BASE.search(quote, at)
    if not match or match.start() - at > len(text) + 2:
        return None
    words = match.group("base") + " " + match.group("head")
    if FREE_TIER.search(words):
        return "free"
    if PAID_TIER.search(words) or match.group("head").lower().startswith("subscriber"):
        return "paid"
    return "all"


def _data_classes(quote: str) -> frozenset[str]:
    if not EXPOSURE.search(quote):
        return frozenset()
    return frozenset(name for name, pattern in DATA_CLASSES if pattern.search(quote))


def _share_flags(story_id: str, rows: list[dict]) -> list[dict]:
    """One distinctive percentage told of different populations or different data."""
    by_value: dict[float, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if row["kind"] == "percent" and row["value"] and \
                abs(row["value"]) % DISTINCTIVE_STEP:
            by_value[round(row["value"], 3)][row["article_id"]].append(row)
    flags = []
    for value, articles in sorted(by_value.items()):
        if len(articles) < 2:
            continue
        subjects = [r["subject"] for items in articles.values() for r in items if r["subject"]]
        subject = max(sorted(set(subjects)), key=subjects.count) if subjects else None
        shown = f"{value:g}%"
        checks = (("population", lambda r: _population(r["quote"], r["text"]),
                   lambda a, b: a != b),
                  ("exposed data", lambda r: _data_classes(r["quote"]) or None,
                   lambda a, b: not a & b))
        for name, read, differ in checks:
            told: dict[int, tuple] = {}
            for aid, items in articles.items():
                values = {read(r) for r in items} - {None}
                if name == "exposed data" and values:
                    values = {frozenset().union(*values)}
                if len(values) == 1:
                    told[aid] = (values.pop(), next(r for r in items if read(r) is not None))
            pairs = [(a, b) for a in told for b in told if a < b and differ(told[a][0], told[b][0])]
            if not pairs:
                continue
            involved = sorted({aid for pair in pairs for aid in pair},
                              key=lambda aid: (told[aid][1]["published"], told[aid][1]["url"]))
            sides = []
            for aid in involved:
                said, row = told[aid]
                label = " and ".join(sorted(said)) if isinstance(said, frozenset) else said
                sides.append(_side(row, label) | {"text": row["text"]})
            topic = f"{name} of the {shown}"
            flags.append({"id": contradiction_id(story_id, "claim", topic, subject),
                          "story_id": story_id, "kind": "claim", "topic": topic,
                          "subject": subject, "severity": "hard", "sides": sides})
    return flags


def _side(row: dict, value) -> dict:
    return {"value": value, "quote": row["quote"], "url": row["url"], "source": row["source"],
            "published": row["published"]}


def _response_flags(story_id: str, rows: list[dict]) -> list[dict]:
    per_speaker: dict[str, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if row["speaker"] and row["stance"] in RESPONSE_STANCES:
            per_speaker[row["speaker"]][row["article_id"]].append(row)
    flags = []
    for speaker, articles in sorted(per_speaker.items()):
        signatures = {}
        for article_id, claims in articles.items():
            stances = {c["stance"] for c in claims}
            substantive = stances & {"denies", "confirms"}
            if substantive:
                signature = "+".join(sorted(substantive))
            elif "declines_to_comment" in stances:
                signature = "declines_to_comment"
            else:
                signature = "no_statement"
            signatures[article_id] = (signature, claims)
        distinct = {s for s, _ in signatures.values()}
        # denies vs confirms alone is not a conflict: often different questions.
        if len(distinct) < 2 or distinct <= {"denies", "confirms", "confirms+denies"}:
            continue
        sides = []
        for article_id, (signature, claims) in sorted(
                signatures.items(), key=lambda kv: (kv[1][1][0]["published"], kv[1][1][0]["url"])):
            best = next((c for c in claims if c["stance"] in signature.split("+")), claims[0])
            sides.append(_side(best, signature))
        # A denial against silence cannot both hold; a confirmation against "declined to
        # comment" often can (it confirmed the incident, declined to discuss details).
        silent = distinct & {"declines_to_comment", "no_statement"}
        severity = "hard" if silent and any("denies" in d for d in distinct) else "soft"
        flags.append({"id": contradiction_id(story_id, "response", "response", speaker),
                      "story_id": story_id, "kind": "response", "topic": "response",
                      "subject": speaker, "severity": severity, "sides": sides})
    return flags


def _claim_flags(story_id: str, rows: list[dict], subject: str | None = None) -> list[dict]:
    per_slot: dict[str, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if row["slot"].startswith(("date:", "duration:", "scope:", "role:")):
            continue         # facts with their own comparison (fact_conflicts.py)
        per_slot[row["slot"]][row["article_id"]].append(row)
    flags = []
    for slot, articles in sorted(per_slot.items()):
        single = {aid: items[0] for aid, items in articles.items()
                  if len({i["value"] for i in items}) == 1}
        if slot in TOLD_TOGETHER:
            # values one report gives together are both true of this incident ("in
            # emails and calendar invites"): a report naming one of them is partial
            together = [{i["value"] for i in items} for items in articles.values()]
            told = {item["value"] for item in single.values()}
            clash = {x for x in told for y in told
                     if x != y and not any({x, y} <= values for values in together)}
            single = {aid: item for aid, item in single.items() if item["value"] in clash}
        if len({item["value"] for item in single.values()}) < 2:
            continue
        sides = [_side(item, item["value"]) for item in
                 sorted(single.values(), key=lambda i: (i["published"], i["url"]))]
        flags.append({"id": contradiction_id(story_id, "claim", slot, None),
                      "story_id": story_id, "kind": "claim", "topic": slot, "subject": subject,
                      "severity": CLAIM_SEVERITY.get(slot, "hard"), "sides": sides})
    return flags


def story_contradictions(store: Store, story_id: str) -> list[dict]:
    join = ("JOIN story_articles s ON s.article_id = x.article_id "
            "JOIN articles a ON a.id = x.article_id WHERE s.story_id = ?")
    cols = "a.url, a.source, a.published"
    figures = store.rows(f"SELECT x.*, {cols} FROM figures x {join}", (story_id,))
    claims = store.rows(f"SELECT x.*, {cols} FROM claims x {join}", (story_id,))
    assertions = store.rows(f"SELECT x.*, {cols} FROM assertions x {join}", (story_id,))
    subject = main_subject(store, story_id)
    facts = _latest_reports(assertions)
    return (_figure_flags(story_id, figures, _accusers(store, claims))
            + _share_flags(story_id, figures)
            + _response_flags(story_id, claims)
            + _claim_flags(story_id, assertions, subject)
            + date_flags(story_id, facts, subject, contradiction_id)
            + year_flags(story_id, facts, subject, contradiction_id)
            + order_flags(story_id, facts, subject, contradiction_id)
            + role_flags(story_id, assertions, contradiction_id)
            + duration_flags(story_id, facts, subject, contradiction_id)
            + scope_flags(story_id, facts, subject, contradiction_id))


# Dates, lengths and scope are compared report against report: a story's latest
# ``MAX_FACT_REPORTS`` reports that state any are read, so a run that adds one report to
# a story of thousands costs what a large incident's does, not what the story's history
# does. No real incident in the labelled sets comes near (the largest has six reports).
MAX_FACT_REPORTS = 300


def _latest_reports(rows: list[dict]) -> list[dict]:
    """``rows`` of the story's latest ``MAX_FACT_REPORTS`` articles that have any."""
    latest: dict[int, tuple[str, str]] = {}
    for row in rows:
        latest[row["article_id"]] = (row["published"] or "", row["url"])
    if len(latest) <= MAX_FACT_REPORTS:
        return rows
    kept = set(sorted(latest, key=lambda aid: latest[aid], reverse=True)[:MAX_FACT_REPORTS])
    return [row for row in rows if row["article_id"] in kept]


def _accusers(store: Store, claims: list[dict]) -> dict[int, frozenset[str]]:
    """Per article, the organisations in it accusing a party another organisation of the
    story also accuses (news outlets relay, never accuse)."""
    from aiwire.nlp.kb import domain_ids

    speakers = sorted({c["speaker"] for c in claims
                       if c["stance"] == "alleges" and c["speaker"]})
    if not speakers:
        return {}
    marks = ",".join("?" * len(speakers))
    orgs = {r["id"] for r in store.rows(
        f"SELECT id FROM entities WHERE type = 'ORG' AND id IN ({marks})", speakers)}
    orgs -= domain_ids("news")
    # Only accusers of a common target are rivals: two labs accusing one rival are two
    # accusations; a gang claiming an attack and its victim blaming the attackers are one.
    targets: dict[str, set[str]] = defaultdict(set)
    for claim in claims:
        if claim["stance"] == "alleges" and claim["speaker"] in orgs and claim.get("target"):
            targets[claim["speaker"]].add(claim["target"])
    rivals = {a for a in targets for b in targets if a != b and targets[a] & targets[b]}
    out: dict[int, set[str]] = defaultdict(set)
    for claim in claims:
        if claim["stance"] == "alleges" and claim["speaker"] in rivals:
            out[claim["article_id"]].add(claim["speaker"])
    return {aid: frozenset(found) for aid, found in out.items()}


def main_subject(store: Store, story_id: str) -> str | None:
    """The party a story is about: the organisation or product most of its reports name."""
    row = store.conn.execute(
        "SELECT m.entity_id FROM mentions m JOIN story_articles s ON s.article_id = "
        "m.article_id JOIN entities e ON e.id = m.entity_id WHERE s.story_id = ? AND "
        "e.type IN ('ORG', 'PRODUCT', 'THREAT_ACTOR') GROUP BY m.entity_id "
        "ORDER BY count(DISTINCT m.article_id) DESC, count(*) DESC, m.entity_id LIMIT 1",
        (story_id,)).fetchone()
    return row[0] if row else None


def update_contradictions(store: Store, story_ids: list[str] | set[str] | None = None) -> int:
    """Recompute the flags of ``story_ids`` (the stories a run touched), or of every story."""
    total = 0
    with store.transaction():
        if story_ids is None:
            store.conn.execute("DELETE FROM contradictions")
            targets = [r["id"] for r in store.rows("SELECT id FROM stories ORDER BY id")]
        else:
            targets = sorted(story_ids)
            for story_id in targets:
                store.conn.execute("DELETE FROM contradictions WHERE story_id = ?",
                                   (story_id,))
        for story_id in targets:
            for flag in story_contradictions(store, story_id):
                store.conn.execute(
                    "INSERT OR REPLACE INTO contradictions (id, story_id, kind, topic, subject, "
                    "severity, sides) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (flag["id"], flag["story_id"], flag["kind"], flag["topic"],
                     flag["subject"], flag["severity"],
                     json.dumps(flag["sides"], ensure_ascii=False)))
                total += 1
    return total
