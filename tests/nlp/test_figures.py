"""Figures: kind, signed value, unit, qualifier, subject; nothing from dates or names."""

from __future__ import annotations

import pytest


def _figures(nlp, text):
    return [(f.kind, f.value, f.unit, f.qualifier) for f in nlp(text)._.figures]


@pytest.mark.parametrize("text, expected", [
    ("Alibaba shares fell 4.9% to a 16-month low.",
     [("stock_low", 16, "month", None), ("stock_change", -4.9, "percent", None)]),
    ("Orchard Labs stock jumped 3.4 percent on Monday.", [("stock_change", 3.4, "percent", None)]),
    ("The company used 25,000 fake accounts.", [("account_count", 25000, "account", None)]),
    ("It used roughly twenty-five thousand accounts.",
     [("account_count", 25000, "account", "approximately")]),
    ("The gang demands $4m.", [("money", 4e6, "USD", None)]),
    ("Alibaba pledged 1.2bn yuan.", [("money", 1.2e9, "CNY", None)]),
    ("It asked for US$4.5 million.", [("money", 4.5e6, "USD", None)]),
    ("Attackers took 300 gigabytes of files.", [("data_volume", 300, "GB", None)]),
    ("More than 3,000 subscribers pay for it.", [("user_count", 3000, "user", "at_least")]),
    ("It sent 16 million requests.", [("request_count", 16e6, "request", None)]),
    ("The model was downloaded 12,000 times.", [("count", 12000, "download", None)]),
    ("The bank employs about 2,300 people.", [("count", 2300, "employee", "approximately")]),
    ("About 3% of answers leaked notes.", [("percent", 3, "percent", "approximately")]),
    ("The files held 1.2 million patient records.", [("count", 1.2e6, "record", None)]),
])
def test_kinds(nlp, text, expected):
    assert sorted(_figures(nlp, text)) == sorted(expected)


@pytest.mark.parametrize("text", [
    "On 17 Nov 2026 the firm spoke.",
    "Claude 3.5 Sonnet and GPT-4o were tested in 2025.",
    "CVE-2026-41872 was fixed at 15:20 GMT.",
    "The deadline is seven days and the review took three weeks.",
    "According to two people familiar with the matter, it was a second attempt.",
])
def test_not_figures(nlp, text):
    assert _figures(nlp, text) == []


def test_subjects(nlp):
    doc = nlp("Anthropic accused Alibaba of using 25,000 fake accounts. "
              "Alibaba's shares fell 4.9%. Tencent lost 1.1% in sympathy.")
    subjects = {(f.kind, f.value): f.subject for f in doc._.figures}
    assert subjects[("account_count", 25000)] == "alibaba"
    assert subjects[("stock_change", -4.9)] == "alibaba"
    assert subjects[("stock_change", -1.1)] == "tencent"


def test_each_figure_keeps_its_sentence(nlp):
    doc = nlp("Markets were calm. Alibaba shares fell 4.9% on Tuesday.")
    figure = doc._.figures[0]
    assert figure.quote == "Alibaba shares fell 4.9% on Tuesday."
    assert doc.text[figure.start:].startswith("4.9%")


# --- patterns seen on real reporting, in sentences written for these tests -------------

@pytest.mark.parametrize("text, expected", [
    ("The intruders copied 30,000 Slack messages and 2,400 files.",
     [("count", 30000, "message", None), ("count", 2400, "file", None)]),
    ("The bot sent 16 million queries to the model.",
     [("request_count", 16e6, "request", None)]),
    ("The leak exposed 12,000 customer records.", [("count", 12000, "record", None)]),
    ("Scanners found 1,200 valid Hugging Face and GitHub tokens.",
     [("count", 1200, "token", None)]),
    ("The money went to 12 bank accounts.", [("count", 12, "bank account", None)]),
    ("It affected more than 40 New York Times employees.",
     [("count", 40, "employee", "at_least")]),
])
def test_kind_comes_from_the_counted_noun(nlp, text, expected):
    assert sorted(_figures(nlp, text)) == sorted(expected)


@pytest.mark.parametrize("text, expected", [
    ("The dump held 2.5 TiB of mail.", [("data_volume", 2.5, "TiB", None)]),
    ("Each leaked row was 1.024 bytes long.", [("data_volume", 1024, "B", None)]),
    ("The buffer overflowed at 1024 bytes.", [("data_volume", 1024, "B", None)]),
    ("The archive listed 2.048 records.", [("count", 2048, "record", None)]),
])
def test_bytes_and_locale(nlp, text, expected):
    assert _figures(nlp, text) == expected


@pytest.mark.parametrize("text, value", [
    ("Alibaba's shares closed 3% lower on Friday.", -3.0),
    ("Alibaba shed 5% in early Hong Kong trading.", -5.0),
    ("Alibaba stock was down 4.9% at the close.", -4.9),
    ("The 2.1% share decline worried investors in Alibaba.", -2.1),
    ("Alibaba stock ended 1.5% higher.", 1.5),
])
def test_stock_moves_in_market_phrasings(nlp, text, value):
    assert [(f.kind, f.value) for f in nlp(text)._.figures] == [("stock_change", value)]


def test_shedding_a_share_of_something_is_not_a_stock_move(nlp):
    assert _figures(nlp, "The firm shed 5% of its staff.") == [("percent", 5, "percent", None)]


@pytest.mark.parametrize("text, expected", [
    ("The fraud cost US$ 499,000 (S$ 672, 000) in one afternoon.",
     [("money", 499000, "USD", None), ("money", 672000, "SGD", None)]),
    ("The clerk lost HK$200mn ($25mn).",
     [("money", 2e8, "HKD", None), ("money", 2.5e7, "USD", None)]),
    ("It has annual revenues of more than £2bn.", [("money", 2e9, "GBP", "at_least")]),
    ("The fine was €3.5 million.", [("money", 3.5e6, "EUR", None)]),
])
def test_money_with_currency(nlp, text, expected):
    assert _figures(nlp, text) == expected


@pytest.mark.parametrize("text", [
    "Key facts \u0e50 and \u0e53 sections were garbled.",      # Thai digits from mojibake
    "The form showed \u0663\u0664 fields.",                      # Arabic-Indic digits
    "The kit works in three stages and teaches five lessons.",
    "Over 70 percent of Fortune 500 companies use it.",
    "At 1 AM PST the outage began.",
    "Users saw the last four digits of card numbers.",
])
def test_not_figures_on_real_pages(nlp, text):
    assert [f for f in _figures(nlp, text) if f[0] != "percent"] == []


def test_plus_ratio_and_elided_counts(nlp):
    figures = _figures(nlp, "Researchers found 170+ packages. They scanned 1,645 apps, and "
                            "310 of them leaked data, including 55 with admin keys.")
    assert ("count", 170, "package", "at_least") in figures
    assert ("count", 1645, "app", None) in figures
    assert ("count", 310, "app", None) in figures
    assert ("count", 55, "app", None) in figures


def test_ratio_counts_both_numbers(nlp):
    values = {f[1] for f in _figures(nlp, "Only 170 of 1,645 apps were locked down.")}
    assert values == {170, 1645}


def test_no_figures_from_headings_or_other_headlines(nlp):
    text = ("Weekly breach notes\nFive Lessons From 40 Breaches\nAnthropic lost 3,000 "
            "accounts in May.\nMore next week.")
    assert _figures(nlp, text) == [("account_count", 3000, "account", None)]


def test_subject_carried_from_the_previous_sentence_not_a_bystander(nlp):
    doc = nlp("Anthropic disclosed the breach on Monday, a day after Apple held its keynote. "
              "About 4,000 customer records were exposed.")
    figure = next(f for f in doc._.figures if f.value == 4000)
    assert figure.subject == "anthropic"


def test_owners_named_by_the_counted_noun_or_the_quoted_company(nlp):
    doc = nlp("Researchers scanned 1,645 OpenAI-built apps. Hugging Face removed three other "
              "repositories published by Mistral AI. The flaw affected 2.1 million users of "
              "the assistant, Anthropic said.")
    subjects = {(f.kind, f.value): f.subject for f in doc._.figures}
    assert subjects[("count", 1645)] == "openai"
    assert subjects[("count", 3)] == "mistral-ai"
    assert subjects[("user_count", 2.1e6)] == "anthropic"


def test_a_hundred_percent_is_emphasis_unless_it_is_a_share(nlp):
    assert _figures(nlp, "No store can remove risky apps with 100% accuracy.") == []
    assert _figures(nlp, "The bug hit 100% of paying users.") == \
        [("percent", 100, "percent", None)]


@pytest.mark.parametrize("text, expected", [
    ("Researchers found over a million log lines in the open database.",
     ("count", 1_000_000, "at_least")),
    ("The app had nearly a million users, the company said.",
     ("user_count", 1_000_000, "approximately")),
    ("The attack hit half a million accounts.", ("account_count", 500_000, None)),
])
def test_a_million_and_lines_of_data(nlp, text, expected):
    assert [(f.kind, f.value, f.qualifier) for f in nlp(text)._.figures] == [expected]


@pytest.mark.parametrize("text", ["Only the last four digits of each card were shown.",
                                  "The report runs to 300 pages.",
                                  "It was a thousand times worse than feared."])
def test_parts_of_a_text_are_not_figures(nlp, text):
    assert nlp(text)._.figures == []


# --- out-of-sample patterns (a second real-page set, issue 10), in sentences written here --

@pytest.mark.parametrize("text", [
    "The two companies had blocked the accounts months earlier.",
    "Chairing the hearing is Senator Ada Brook alongside two committee heads.",
    "Three senior executives joined the call.",
])
def test_things_named_before_and_a_scene_s_cast_are_not_figures(nlp, text):
    assert nlp(text)._.figures == []


def test_a_staff_word_before_the_counted_noun_is_a_modifier(nlp):
    assert _figures(nlp, "The breach affected two employee devices.") == \
        [("count", 2, "device", None)]


def test_lines_of_data_are_data(nlp):
    assert _figures(nlp, "The database held over 1 million lines of leaked chat data.") == \
        [("count", 1_000_000, "line", "at_least")]


def test_dozens_count_in_twelves(nlp):
    assert _figures(nlp, "The consultant faces two dozen criminal charges in the state.") == \
        [("count", 24, "charge", None)]


@pytest.mark.parametrize("text, expected", [
    # conversations a product left open are data; ones an actor ran are requests
    ("The assistant made 52,000 shared conversations searchable on the web.",
     [("count", 52000, "conversation", None)]),
    ("The study found nearly 2,300 Orla conversations in Google search results.",
     [("count", 2300, "conversation", "approximately")]),
    ("Tallow Labs ran 5,000 test conversations against the assistant.",
     [("request_count", 5000, "request", None)]),
    # a people count told as a bound is whom it reached; a bare small one is a scene's cast
    ("The impostor reached at least six senior officials by text.",
     [("count", 6, "official", "at_least")]),
])
def test_what_a_count_counts_depends_on_its_clause(nlp, text, expected):
    assert _figures(nlp, text) == expected


@pytest.mark.parametrize("text", [
    "Two executives joined the video call with the fake finance chief.",
    "Two security researchers found the open admin page.",
    "The breach comes with three critical implications for buyers.",
])
def test_finders_and_the_texts_own_points_are_no_figures(nlp, text):
    assert _figures(nlp, text) == []
