"""The shortcuts that keep a large story's flags cheap give what the plain rules give:
checked against the rules written out directly, on many random cases."""

from __future__ import annotations

import random
from datetime import date, timedelta

from aiwire.nlp.contradictions import MAX_RATIO, _within_ratio
from aiwire.nlp.dates import DateValue
from aiwire.nlp.fact_conflicts import _by_verb, _disagreeing, same_statement


def test_the_nearest_values_decide_whether_any_is_within_the_ratio():
    rng = random.Random(7)
    for _ in range(3000):
        values = [rng.choice([0.0, -5.0, rng.uniform(0.1, 100), rng.choice([1.0, 3.0, 9.0])])
                  for _ in range(rng.randint(0, 8))]
        value = rng.choice([0.0, -1.0, 1.0, 3.0, 1 / 3, rng.uniform(0.01, 300)])
        plain = any(max(value, o) <= MAX_RATIO * min(value, o)
                    for o in values if o > 0 and value > 0)
        assert _within_ratio(value, sorted(v for v in values if v > 0)) == plain


def _dating(rng: random.Random, article: int) -> tuple[DateValue, dict]:
    start = date(2026, 3, 1) + timedelta(days=rng.randint(0, 12))
    end = start + timedelta(days=rng.choice([0, 0, 0, 6, 30]))
    row = {"verb": rng.choice(["", "reported", "disclosed", "found"]),
           "subject": rng.choice([None, None, "acme", "orbit"]),
           "quote": rng.choice(["Acme said so on Monday.", "It was found on Friday."]),
           "article_id": article}
    return DateValue(start, end, "day" if start == end else "week"), row


def test_two_reports_disagree_exactly_when_every_same_statement_pair_does():
    rng = random.Random(11)
    for case in range(3000):
        left = [_dating(rng, 1) for _ in range(rng.randint(0, 4))]
        right = [_dating(rng, 2) for _ in range(rng.randint(0, 4))]
        pairs = [(a, b) for a in left for b in right if same_statement(a[1], b[1])]
        plain = pairs if pairs and all(not a[0].overlaps(b[0]) for a, b in pairs) else []
        assert _disagreeing(_by_verb(left), _by_verb(right)) == plain, case


def _plain_date_flags(rows: list[dict]) -> list[tuple]:
    """Which reports date_flags picks, by the rule written out: every later report is
    compared with every earlier one."""
    from aiwire.nlp.dates import resolve
    from aiwire.nlp.fact_conflicts import _published

    per_key: dict = {}
    for row in rows:
        event, _, verb = row["slot"][5:].partition(":")
        value = resolve(row["value"], _published(row))
        if value is not None:
            per_key.setdefault(event, {}).setdefault(row["article_id"], []).append(
                (value, row | {"verb": verb}))
    found = []
    for event, articles in sorted(per_key.items()):
        order = sorted(articles, key=lambda a: (articles[a][0][1]["published"],
                                                articles[a][0][1]["url"]))
        chosen: dict = {}
        for i, left in enumerate(order):
            for right in order[i + 1:]:
                pairs = [(a, b) for a in articles[left] for b in articles[right]
                         if same_statement(a[1], b[1])]
                if pairs and all(not a[0].overlaps(b[0]) for a, b in pairs):
                    a, b = min(pairs, key=lambda p: (p[0][0].end - p[0][0].start).days
                               + (p[1][0].end - p[1][0].start).days)
                    chosen.setdefault(left, a)
                    chosen.setdefault(right, b)
        if len(chosen) >= 2:
            found.append(tuple((aid, chosen[aid][1]["value"]) for aid in order
                               if aid in chosen))
    return found


def test_date_flags_meet_only_reports_that_share_an_event_word_and_miss_nothing():
    from aiwire.nlp.contradictions import contradiction_id
    from aiwire.nlp.fact_conflicts import date_flags

    rng = random.Random(5)
    days = ["on March 3, 2026", "on March 4, 2026", "in March 2026", "on March 10, 2026"]
    for case in range(150):
        rows = []
        for article in range(rng.randint(2, 7)):
            for _ in range(rng.randint(1, 3)):
                rows.append({"article_id": article, "url": f"https://e.example/{article}",
                             "source": f"Outlet {article}", "quote": "Acme said so.",
                             "published": f"2026-03-{12 + article:02d}T10:00:00Z",
                             "subject": rng.choice([None, "acme", "orbit"]),
                             "slot": rng.choice(["date:disclosure:reported",
                                                 "date:disclosure:disclosed",
                                                 "date:incident:leaked", "date:incident:"]),
                             "value": rng.choice(days)})
        flags = date_flags("s", rows, None, contradiction_id)
        got = [tuple((side["url"], side["value"]) for side in f["sides"]) for f in flags]
        want = [tuple((f"https://e.example/{aid}", value) for aid, value in sides)
                for sides in _plain_date_flags(rows)]
        assert got == want, case


def test_a_huge_story_compares_the_facts_of_its_latest_reports():
    """Dates and scope are compared report against report; past MAX_FACT_REPORTS a story's
    latest reports are read (by publication time), and a smaller story is read whole."""
    from aiwire.nlp.contradictions import MAX_FACT_REPORTS, _latest_reports

    rows = [{"article_id": i, "published": f"2026-03-{1 + i % 28:02d}T{i % 24:02d}:00:00Z",
             "url": f"https://e.example/{i}", "slot": "date:incident:breac", "value": "May"}
            for i in range(MAX_FACT_REPORTS + 50)]
    kept = _latest_reports(rows)
    assert len({r["article_id"] for r in kept}) == MAX_FACT_REPORTS
    newest = sorted(rows, key=lambda r: (r["published"], r["url"]))[-MAX_FACT_REPORTS:]
    assert {r["article_id"] for r in kept} == {r["article_id"] for r in newest}
    assert _latest_reports(rows[:10]) == rows[:10]
