"""Contradictions: disagreements flagged with every side; agreeing values never."""

from __future__ import annotations

import pytest

from aiwire.nlp.contradictions import (_claim_flags, _figure_flags, _response_flags, agree,
                                       contradiction_id)


def _figure(article, value, *, kind="account_count", unit="account", subject="alibaba",
            qualifier=None, quote=None, text="x"):
    return {"article_id": article, "kind": kind, "unit": unit, "subject": subject,
            "value": value, "qualifier": qualifier, "text": text,
            "quote": quote or f"It used {value} accounts.", "url": f"https://o{article}.example/a",
            "source": f"Outlet {article}", "published": f"2026-11-1{article}T00:00:00Z"}


@pytest.mark.parametrize("a, b, expected", [
    ({"value": 4.9}, {"value": 4.9}, None),                                   # 4.9% vs 4.9 percent
    ({"value": 24000}, {"value": 25000}, "hard"),                             # flat disagreement
    ({"value": 24000, "qualifier": "approximately"}, {"value": 25000}, "soft"),  # hedged
    ({"value": 3000, "qualifier": "at_least"}, {"value": 3000}, None),        # "more than 3,000"
    ({"value": 3000, "qualifier": "at_least"}, {"value": 3500}, None),
    ({"value": 3000, "qualifier": "at_least"}, {"value": 2000}, "hard"),
    ({"value": 27}, {"value": 1_000_000}, None),                              # two different facts
    ({"value": -4.9}, {"value": -5.2}, "hard"),
    # "closed 3% lower" for a 3.2% fall: a last digit that is not a zero is rounding
    ({"value": -3.0, "text": "3%"}, {"value": -3.2, "text": "3.2%"}, None),
    ({"value": -3.0, "text": "3%"}, {"value": -3.6, "text": "3.6%"}, "hard"),
    # a round number must also be close: "20,000" is no rounding of 18,000
    ({"value": 20000, "text": "20,000"}, {"value": 18000, "text": "18,000"}, "hard"),
])
def test_agree(a, b, expected):
    assert agree(a, b) == expected


def test_figure_flag_has_every_side_with_quote_and_url():
    rows = [_figure(1, 25000), _figure(2, 25000), _figure(3, 24000)]
    [flag] = _figure_flags("s", rows)
    assert flag["kind"] == "figure" and flag["topic"] == "account_count"
    assert flag["subject"] == "alibaba" and flag["severity"] == "hard"
    assert [side["value"] for side in flag["sides"]] == [25000, 25000, 24000]
    assert all(side["quote"] and side["url"].startswith("https://") for side in flag["sides"])


def test_agreeing_values_are_never_flagged():
    rows = [_figure(1, 16, kind="stock_low", unit="month"),
            _figure(2, 16, kind="stock_low", unit="month"),
            _figure(3, 4.9, kind="stock_change", unit="percent"),
            _figure(4, 4.9, kind="stock_change", unit="percent")]
    assert _figure_flags("s", rows) == []


def test_money_of_different_purposes_is_not_compared():
    rows = [_figure(1, 4e6, kind="money", unit="USD", subject="p",
                    quote="The gang demands a ransom of $4 million.", text="$4 million"),
            _figure(2, 180e6, kind="money", unit="USD", subject="p",
                    quote="It raised $180m in a funding round.", text="$180m")]
    assert _figure_flags("s", rows) == []


def test_percentages_about_different_subjects_are_not_compared():
    rows = [_figure(1, 78, kind="percent", unit="percent", subject="chatgpt"),
            _figure(2, 71, kind="percent", unit="percent", subject="gemini")]
    assert _figure_flags("s", rows) == []


def _claim(article, speaker, stance):
    return {"article_id": article, "speaker": speaker, "stance": stance,
            "quote": f"{speaker} {stance}", "url": f"https://o{article}.example/a",
            "source": f"Outlet {article}", "published": f"2026-11-1{article}T00:00:00Z"}


def test_response_flag_denied_vs_no_statement():
    rows = [_claim(1, "alibaba", "denies"), _claim(2, "alibaba", "no_statement"),
            _claim(3, "alibaba", "declines_to_comment"), _claim(1, "anthropic", "alleges")]
    [flag] = _response_flags("s", rows)
    assert flag["subject"] == "alibaba"
    assert [side["value"] for side in flag["sides"]] == [
        "denies", "no_statement", "declines_to_comment"]
    assert flag["severity"] == "hard"


def test_confirming_against_declining_to_comment_is_soft():
    """It confirmed the incident and declined to discuss details: both may hold."""
    rows = [_claim(1, "arlo-works", "confirms"), _claim(2, "arlo-works", "declines_to_comment")]
    [flag] = _response_flags("s", rows)
    assert flag["severity"] == "soft"


def test_confirming_one_thing_and_denying_another_is_not_flagged():
    rows = [_claim(1, "parallax", "confirms"), _claim(1, "parallax", "denies"),
            _claim(2, "parallax", "confirms"), _claim(3, "parallax", "denies")]
    assert _response_flags("s", rows) == []


def _assertion(article, slot, value):
    return {"article_id": article, "slot": slot, "value": value, "quote": value,
            "url": f"https://o{article}.example/a", "source": f"Outlet {article}",
            "published": f"2026-11-1{article}T00:00:00Z"}


def test_claim_flags_skip_articles_reporting_both_sides():
    rows = [_assertion(1, "what_taken", "model_weights"),
            _assertion(2, "what_taken", "model_outputs"),
            _assertion(3, "what_taken", "model_outputs"),
            _assertion(3, "what_taken", "model_weights")]
    [flag] = _claim_flags("s", rows)
    assert [side["value"] for side in flag["sides"]] == ["model_weights", "model_outputs"]


def test_ids_are_stable():
    assert contradiction_id("s", "figure", "account_count", "alibaba") == \
        contradiction_id("s", "figure", "account_count", "alibaba")
    assert contradiction_id("s", "figure", "account_count", "alibaba") != \
        contradiction_id("t", "figure", "account_count", "alibaba")


def test_percentages_of_different_things_are_not_compared():
    from aiwire.nlp.contradictions import _figure_flags

    def row(article, value, quote, text):
        return {"article_id": article, "kind": "percent", "value": value, "unit": "percent",
                "subject": "kestrel", "qualifier": None, "text": text, "quote": quote,
                "url": f"http://o{article}.test/a", "source": f"O{article}",
                "published": "2026-11-18T00:00:00Z"}

    rows = [row(1, 78, "The kits worked 78% of the time in tests.", "78%"),
            row(2, 35, "Some 35% of the forum accounts that bought it posted in Thai.", "35%")]
    assert _figure_flags("s", rows) == []
    rows[1] = row(2, 64, "The kits worked 64% of the time in the lab.", "64%")
    assert len(_figure_flags("s", rows)) == 1


def test_small_counts_name_subsets_not_one_fact():
    from aiwire.nlp.contradictions import agree

    assert agree({"kind": "count", "value": 4}, {"kind": "count", "value": 2}) is None
    assert agree({"kind": "count", "value": 12000}, {"kind": "count", "value": 15000}) == "hard"


def test_injection_carriers_compare_only_single_carrier_reports():
    rows = [_assertion(1, "injection_carrier", "email"),
            _assertion(2, "injection_carrier", "url_parameter"),
            _assertion(3, "injection_carrier", "email"),
            _assertion(3, "injection_carrier", "web_page")]
    [flag] = _claim_flags("s", rows, "kestrel")
    assert flag["severity"] == "hard"
    assert [side["value"] for side in flag["sides"]] == ["email", "url_parameter"]
    # the same carrier in other words is one value, never a flag
    same = [_assertion(1, "injection_carrier", "calendar_invite"),
            _assertion(2, "injection_carrier", "calendar_invite")]
    assert _claim_flags("s", same, "kestrel") == []


def _percent(article, value, quote, text):
    return {"article_id": article, "kind": "percent", "value": value, "unit": "percent",
            "subject": "lumen", "qualifier": None, "text": text, "quote": quote,
            "url": f"http://o{article}.test/a", "source": f"O{article}",
            "published": f"2026-11-1{article}T00:00:00Z"}


def test_one_share_told_of_different_people_and_different_data():
    from aiwire.nlp.contradictions import _share_flags

    rows = [_percent(1, 3.4, "The glitch exposed billing details of 3.4% of Lumen Pro "
                             "subscribers during the outage.", "3.4%"),
            _percent(2, 3.4, "About 3.4% of users saw other people's chat titles.", "3.4%")]
    flags = {f["topic"]: f for f in _share_flags("s", rows)}
    assert set(flags) == {"population of the 3.4%", "exposed data of the 3.4%"}
    assert [s["value"] for s in flags["population of the 3.4%"]["sides"]] == ["paid", "all"]
    assert [s["value"] for s in flags["exposed data of the 3.4%"]["sides"]] == \
        ["payment", "conversations"]
    assert all(f["kind"] == "claim" and f["subject"] == "lumen" for f in flags.values())


@pytest.mark.parametrize("second", [
    # the same people and the same data in other words
    ("Card numbers of 3.4 percent of paying Lumen customers were visible to others.",
     "3.4 percent"),
    # no population and no data named: nothing to compare
    ("The bug hit 3.4% of the time.", "3.4%"),
])
def test_one_share_told_alike_is_no_flag(second):
    from aiwire.nlp.contradictions import _share_flags

    rows = [_percent(1, 3.4, "The glitch exposed billing details of 3.4% of Lumen Pro "
                             "subscribers during the outage.", "3.4%"),
            _percent(2, 3.4, *second)]
    assert _share_flags("s", rows) == []


def test_round_shares_and_reports_telling_both_are_not_compared():
    from aiwire.nlp.contradictions import _share_flags

    # 20% of one thing and 20% of another are often two facts
    rows = [_percent(1, 20, "Passwords of 20% of premium members were exposed.", "20%"),
            _percent(2, 20, "Chats of 20% of users were exposed.", "20%")]
    assert _share_flags("s", rows) == []
    # an article that says the share of both populations is no side
    rows = [_percent(1, 3.4, "Billing data of 3.4% of Pro subscribers was exposed.", "3.4%"),
            _percent(2, 3.4, "Billing data of 3.4% of users was exposed.", "3.4%"),
            _percent(2, 3.4, "That is 3.4% of paying subscribers.", "3.4%")]
    assert [f["topic"] for f in _share_flags("s", rows)] == []


def test_carriers_another_report_names_together_are_both_true():
    # one report: "hidden in emails and calendar invites"; others name one of the two
    rows = [_assertion(1, "injection_carrier", "email"),
            _assertion(2, "injection_carrier", "calendar_invite"),
            _assertion(3, "injection_carrier", "email"),
            _assertion(3, "injection_carrier", "calendar_invite")]
    assert _claim_flags("s", rows, "kestrel") == []
    # a third carrier nobody names alongside the others still conflicts
    rows.append(_assertion(4, "injection_carrier", "url_parameter"))
    [flag] = _claim_flags("s", rows, "kestrel")
    assert {side["value"] for side in flag["sides"]} == {"email", "calendar_invite",
                                                         "url_parameter"}


def test_two_accusers_counts_are_two_facts_even_in_one_story():
    """Two labs each accusing a rival land in one story: one lab's "30,000 accounts" and
    the other's "12,000 accounts" are two facts. Reports of the same accuser still
    compare; a report naming no accuser could be either's and is left out."""
    from aiwire.nlp.contradictions import _figure_flags

    rows = [_figure(1, 30000, text="30,000"), _figure(2, 12000, text="12,000"),
            _figure(3, 30000, text="30,000"), _figure(4, 25000, text="25,000")]
    accusers = {1: frozenset({"verdane"}), 2: frozenset({"cobalt-labs"}),
                3: frozenset({"verdane"})}
    assert _figure_flags("s", rows[:3], accusers) == []
    assert _figure_flags("s", rows[:3], {}) != []          # without accusers: one fact
    told_twice = rows[:3] + [_figure(5, 24000, text="24,000")]
    flags = _figure_flags("s", told_twice, accusers | {5: frozenset({"verdane"})})
    assert [sorted(s["value"] for s in f["sides"]) for f in flags] == [[24000, 30000, 30000]]


def test_accusers_of_a_story_skip_unnamed_speakers(store):
    from aiwire.nlp.contradictions import _accusers

    claims = [{"article_id": 1, "speaker": None, "stance": "alleges", "target": "brisk"},
              {"article_id": 2, "speaker": "quorvane", "stance": "alleges", "target": "brisk"},
              {"article_id": 3, "speaker": "tallow", "stance": "alleges", "target": "brisk"}]
    for name in ("quorvane", "tallow", "brisk"):
        store.conn.execute("INSERT INTO entities (id, name, type) VALUES (?, ?, 'ORG')",
                           (name, name.title()))
    assert _accusers(store, claims) == {2: frozenset({"quorvane"}), 3: frozenset({"tallow"})}
    # a gang claiming an attack and its victim blaming the attackers: one incident
    one = [{"article_id": 1, "speaker": "quorvane", "stance": "alleges", "target": "tallow"},
           {"article_id": 2, "speaker": "tallow", "stance": "alleges", "target": None}]
    assert _accusers(store, one) == {}


def test_a_figure_told_as_another_case_is_not_compared():
    from aiwire.nlp.contradictions import _figure_flags

    ours = _figure(1, 21e6, kind="money", unit="USD", text="21 million dollars",
                   quote="The fraudsters took 21 million dollars from the carmaker.")
    example = _figure(2, 26e6, kind="money", unit="USD", text="$26 million",
                      quote="Other firms were hit, such as a multinational that lost $26 "
                            "million after a fake video call.")
    assert _figure_flags("s", [ours, example]) == []
    told = dict(example, quote="The carmaker lost $26 million to the fraudsters.")
    assert _figure_flags("s", [ours, told]) != []
