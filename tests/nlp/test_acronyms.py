"""Acronyms spelled out: what each report says the letters stand for, and two reports
that spell one acronym in different words set side by side (invented sentences)."""

from __future__ import annotations

from aiwire.nlp.acronyms import find_expansions, spells
from aiwire.nlp.contradictions import _claim_flags
from aiwire.site.labels import topic_question


def test_an_expansion_is_words_whose_initials_spell_the_acronym():
    assert spells("TCP", ["Token", "Courier", "Protocol"])
    assert spells("TCP", ["Token", "and", "Courier", "Protocol"])        # small word skipped
    assert spells("RAV", ["Retrieval-Augmented", "Validation"])           # hyphen parts
    assert not spells("TCP", ["Token", "Protocol"])
    assert not spells("TCP", ["the", "Token", "Courier", "Protocol"])    # not from "the"


def test_both_ways_of_writing_it_are_found():
    assert find_expansions("The Token Courier Protocol (TCP) links agents to tools.") == \
        [("TCP", "token courier protocol", 0)]
    after = find_expansions("Mail went through a fake TCP (Text and Copy Pipe) server.")
    assert [(a, e) for a, e, _ in after] == [("TCP", "text copy pipe")]
    # a plural is the same acronym and the same words
    assert [(a, e) for a, e, _ in find_expansions("Small Vision Models (SVMs) help.")] == \
        [("SVM", "small vision model")]


def test_brackets_that_spell_nothing_are_no_expansion():
    assert find_expansions("The flaw (CVE) was fixed, the paper (Harbour Post) said.") == []
    assert find_expansions("The toolkit (version two) shipped in May.") == []


def test_two_reports_spelling_one_acronym_differently_disagree(nlp):
    from aiwire.nlp.assertions import find_assertions

    one = [a for a in find_assertions(nlp(
        "Mail leak.\nThe Token Courier Protocol (TCP) lets assistants reach mailboxes."))
        if a.slot.startswith("stands_for:")]
    two = [a for a in find_assertions(nlp(
        "Mail leak.\nEvery message passed through the fake TCP (Text and Copy Pipe) server."))
        if a.slot.startswith("stands_for:")]
    assert [(a.slot, a.value) for a in one] == [("stands_for:TCP", "token courier protocol")]
    assert [(a.slot, a.value) for a in two] == [("stands_for:TCP", "text copy pipe")]

    def row(article, assertion):
        return {"article_id": article, "slot": assertion.slot, "value": assertion.value,
                "quote": assertion.quote, "url": f"https://o{article}.example/a",
                "source": f"Outlet {article}", "published": f"2026-11-1{article}T00:00:00Z"}

    [flag] = _claim_flags("s", [row(1, one[0]), row(2, two[0])])
    assert flag["kind"] == "claim" and flag["severity"] == "hard"
    assert [side["value"] for side in flag["sides"]] == ["token courier protocol",
                                                         "text copy pipe"]
    assert topic_question(flag["topic"]) == "what TCP stands for"
    # the same words, spelled either way round, agree
    same = find_assertions(nlp("Mail leak.\nTCP (token courier protocols) is the standard."))
    agree = [row(3, a) for a in same if a.slot.startswith("stands_for:")]
    assert _claim_flags("s", [row(1, one[0])] + agree) == []
