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
