"""What a reader reads: labels for codes, figures as people write them, clean headlines
and quotes, contradictions grouped into positions, and a verdict."""

from __future__ import annotations

import re

import pytest

from aiwire.site import labels
from aiwire.site.cleantext import headline, quote, split_summary
from aiwire.site.disagreements import ordered, verdict, view
from aiwire.site.values import compact, figure_text


@pytest.mark.parametrize("args, expected", [
    (("stock_change", -4.9, "percent"), "▼ 4.9%"),
    (("stock_change", 2.25, "percent"), "▲ 2.25%"),
    (("stock_change", 0, "percent"), "unchanged"),
    (("money", 4_000_000, "USD"), "US$4 million"),
    (("money", 200_000_000, "HKD"), "HK$200 million"),
    (("money", 1_250_000_000, "EUR"), "€1.25 billion"),
    (("money", 300, "XYZ"), "300 XYZ"),
    (("data_volume", 1.1, "TB"), "1.1 TB"),
    (("account_count", 25000, "account"), "25,000 accounts"),
    (("user_count", 1, "user"), "1 user"),
    (("user_count", 2_100_000, "user"), "2.1 million users"),
    (("count", 3, "repository"), "3 repositories"),
    (("count", 200_000, "person"), "200,000 people"),
    (("stock_low", 16, "month"), "16-month low"),
    (("percent", 35.0, "percent"), "35%"),
])
def test_figures_read_as_people_write_them(args, expected):
    assert figure_text(*args) == expected


def test_approximations_come_first():
    assert figure_text("user_count", 2_000_000, "user", "approximately") == "about 2 million users"
    assert figure_text("count", 1800, "download", "at_least") == "at least 1,800 downloads"
    assert figure_text("money", 5e6, "GBP", "at_most") == "up to £5 million"
    assert compact("money", 4.2e6, "USD") == "US$4.2m" and compact("count", 24000) == "24,000"


def test_every_code_becomes_words_and_unknown_codes_are_humanised():
    assert labels.value_label("letter_to_officials") == "a letter to officials"
    assert labels.value_label("model_outputs") == "outputs used for training"
    assert labels.stance_label("declines_to_comment") == "declined to comment"
    assert labels.response_side("no_statement") == "made no statement"
    assert labels.topic_question("account_count") == "how many accounts"
    for kind in ("figure", "response", "claim", "date", "scope"):
        assert not labels.looks_like_code(labels.kind_label(kind))
    # a slot value or kind nobody has labelled yet still reads as words
    assert labels.value_label("sold_on_dark_forum") == "sold on dark forum"
    assert labels.kind_label("brand_new_kind") == "brand new kind"
    assert labels.entity_type("THREAT_ACTOR") == "threat group"
    assert labels.severity("high") == "hard" and labels.severity("soft") == "soft"
    assert "cannot" in labels.severity_explained("hard")
    assert "rounding" in labels.severity_explained("low")


@pytest.mark.parametrize("raw, clean", [
    ("👉 GhostPrompt: a $200-a-month kit", "GhostPrompt: a $200-a-month kit"),
    ("⚠️ Hidden instructions turned Quill into a thief", "Hidden instructions turned Quill into a thief"),
    ("🚨 BREAKING: Gang claims hit on robotics firm", "Gang claims hit on robotics firm"),
    ("EXCLUSIVE | Update: weights leaked 🔥🔥", "weights leaked"),
    ("[Breaking] Model hub pulls fake fine-tune", "Model hub pulls fake fine-tune"),
    ("[vendor-blog] March 20 outage: what happened", "March 20 outage: what happened"),
    ("New York Times sues over training data", "New York Times sues over training data"),
    ("Updates to the ™ policy", "Updates to the ™ policy"),
])
def test_headlines_lose_emoji_and_shouted_labels(raw, clean):
    assert headline(raw) == clean


def test_summary_sentences_are_split_into_headline_and_lead():
    title = "Lab accuses rival of copying its chatbot through 9,000 accounts"
    glued = f"News · Security {title} The lab says the accounts asked millions of questions."
    assert split_summary(glued, [title]) == (title, "The lab says the accounts asked millions "
                                                    "of questions.")
    assert split_summary("Tech › AI Models Rival denies any copying.", []) == (
        "", "Rival denies any copying.")
    assert split_summary("A plain sentence stays.", [title]) == ("", "A plain sentence stays.")


def test_quotes_have_clean_edges():
    assert quote('The firm rejected the claim. "') == "The firm rejected the claim."
    assert quote('"We did nothing wrong," she said.') == "‘We did nothing wrong,’ she said."
    assert quote('"All of it, quoted."') == "All of it, quoted."
    assert '"' not in quote('calling it "baseless and saying it was "fully compliant.')
    assert quote("- The filing cites a leaked key.") == "The filing cites a leaked key."
    assert quote("• – Both bullets go.") == "Both bullets go."
    assert quote("-40% is a value, not a bullet") == "-40% is a value, not a bullet"


SIDE = {"quote": "q", "published": "2026-11-17T09:00:00Z"}


def _side(value, source, **extra):
    return dict(SIDE, value=value, source=source, url=f"https://{source.lower()}.example/a",
                **extra)


def test_equal_values_merge_into_one_position_with_its_outlets():
    flag = {"id": "f", "kind": "figure", "topic": "stock_change", "subject": "alibaba",
            "severity": "high",
            "sides": [_side(-4.9, "A", text="4.9%"), _side(-5.2, "B", text="5.2%"),
                      _side(-4.9, "C", text="4.9 percent"), _side(-4.9, "A", text="4.9%")]}
    v = view(flag, {"alibaba": "Alibaba Group"}, {})
    labels_seen = [g["label"] for g in v["groups"]]
    assert labels_seen == ["▼ 4.9%", "▼ 5.2%"]
    assert [o["name"] for o in v["groups"][0]["outlets"]] == ["A", "C"]   # A once
    assert v["groups"][0]["count"] == "2 outlets" and v["groups"][1]["count"] == "1 outlet"
    assert v["hard"] and v["heading"] == "How far the shares moved"


def test_claim_positions_are_words_and_unnamed_sources_are_said():
    flag = {"id": "w", "kind": "claim", "topic": "what_taken", "subject": None,
            "severity": "high",
            "sides": [_side("model_outputs", n) for n in ("A", "B", "C")] +
                     [dict(_side("model_weights", "D"),
                           quote="According to two people familiar with the probe, weights "
                                 "were taken.")]}
    v = view(flag, {}, {})
    assert [(g["label"], g["n"], g["unnamed"]) for g in v["groups"]] == [
        ("outputs used for training", 3, False), ("model weights", 1, True)]


def test_new_kinds_date_and_scope_read_as_words():
    date = view({"id": "d", "kind": "date", "topic": "attack_date", "subject": None,
                 "severity": "hard", "sides": [_side("2026-11-12", "A"),
                                               _side("2026-11-13", "B")]}, {}, {})
    assert [g["label"] for g in date["groups"]] == ["12 Nov 2026", "13 Nov 2026"]
    scope = view({"id": "s", "kind": "scope", "topic": "records_accessed", "subject": None,
                  "severity": "soft", "sides": [_side(64_000_000, "A"),
                                                _side("bounded_denial", "B")]}, {}, {})
    assert [g["label"] for g in scope["groups"]] == ["64 million", "only a limited amount"]
    assert not scope["hard"]
    for v in (date, scope):
        text = " ".join([v["heading"], v["kind_label"], *(g["label"] for g in v["groups"])])
        assert not re.search(r"\b[a-z0-9]+_[a-z0-9_]+\b", text), text


def test_hard_first_and_one_sentence_verdict():
    soft = view({"id": "u", "kind": "figure", "topic": "user_count", "subject": None,
                 "severity": "low", "sides": [_side(2e6, "A", qualifier="approximately"),
                                              _side(2.1e6, "B")]}, {}, {})
    hard = view({"id": "a", "kind": "figure", "topic": "account_count", "subject": None,
                 "severity": "high", "sides": [_side(24000, "A"), _side(25000, "B")]}, {}, {})
    views = ordered([soft, hard])
    assert [v["id"] for v in views] == ["a", "u"]
    sentence = verdict(views, 2)
    assert sentence == ("Outlets disagree on 1 point: how many accounts (24,000 vs 25,000). "
                        "They also differ slightly on how many users (about 2 million vs "
                        "2.1 million).")
    assert verdict([], 1) == "Only one outlet has reported this so far."
    assert verdict([], 3).startswith("The 3 outlets agree")


def test_odd_side_values_still_read_as_words():
    """Structured or missing values (a future scope side) never crash nor show raw."""
    v = view({"id": "o", "kind": "scope", "topic": "records_accessed", "subject": None,
              "severity": "soft", "sides": [_side({"n": 64}, "A", text="64 million records"),
                                            _side(None, "B", text="only a limited number"),
                                            _side(["x"], "C")]}, {}, {})
    assert [g["label"] for g in v["groups"]] == ["64 million records", "only a limited number",
                                                 "a different account"]
    assert v["heading"] == "How many records were accessed"


def test_the_same_question_with_the_same_answers_is_shown_once():
    one = view({"id": "m1", "kind": "figure", "topic": "money", "subject": "arup",
                "severity": "hard", "sides": [_side(25.6e6, "A"), _side(25e6, "B")]},
               {"arup": "Arup"}, {})
    two = view({"id": "m2", "kind": "figure", "topic": "money", "subject": "arup",
                "severity": "soft", "sides": [_side(25e6, "C"), _side(25.6e6, "D"),
                                              _side(25.6e6, "E")]}, {"arup": "Arup"}, {})
    [merged] = ordered([one, two])
    assert merged["hard"]
    assert [(g["short"], [o["name"] for o in g["outlets"]]) for g in merged["groups"]] == [
        ("25.6 million", ["A", "D", "E"]), ("25 million", ["B", "C"])]
    assert verdict([merged], 5).count("how much money") == 1
