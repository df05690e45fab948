"""Scope: what was reached, asserted, bounded or denied."""

from __future__ import annotations

import pytest

from aiwire.nlp.scope import find_scope, objects_meet


@pytest.mark.parametrize("sentence, obj, position", [
    ("Investigators say the intruders copied 3.2 million records from the loyalty database.",
     "records", "asserted"),
    ("The insurer said only a small number of records were actually viewed.",
     "records", "bounded"),
    ("No patient data was accessed during the intrusion, the clinic said.", "patient data",
     "denied"),
    ("Phone numbers, device IDs and location histories of app users were exposed, the "
     "researcher said.", "phone numbers device ids location users histories", "asserted"),
    ("The insurer said only a small number of policy documents were viewed.",
     "policy documents", "bounded"),
    ("The vendor says the bug has not been exploited in the wild.", "in the wild", "denied"),
    ("The flaw was actively exploited against two regional banks.", "in the wild",
     "asserted"),
])
def test_scope_statements(sentence, obj, position):
    found = {(s.object, s.position) for s in find_scope(sentence)}
    assert (obj, position) in found


def test_hypotheticals_assert_nothing():
    assert find_scope("An attacker could download 40,000 files with a single request.") == []


def test_a_list_said_both_ways_or_in_a_hypothetical_is_no_assertion():
    assert find_scope("Names and emails of staff could have been exposed.") == []
    assert find_scope("Names and emails of staff were never exposed, it said.") == []


@pytest.mark.parametrize("a, b, meet", [
    ("ip addresses timestamps usage counts", "api usage data", True),   # a kind in both
    ("records", "customer records", True),           # one names no kind: the same noun
    ("customer data", "data", True),
    ("names email addresses", "payment card data", False),   # both true at once
    ("patient data", "customer data", False),        # whose data differs
    ("customer email addresses", "user email addresses", False),
    ("data", "records", False),                      # different nouns, no kind
    ("in the wild", "records", False),
])
def test_objects_meet(a, b, meet):
    assert objects_meet(a, b) is meet


def test_what_was_reached_named_before_whose_it_was():
    found = find_scope("Transcripts of 48,000 pupils were exposed, the researcher said.")
    assert [(s.object, s.position) for s in found] == [("pupils transcripts", "asserted")]
    denied = find_scope("\"No pupil transcripts were exposed,\" a spokesperson said.")
    assert [(s.object, s.position) for s in denied] == [("pupil transcripts", "denied")]
    assert objects_meet("pupils transcripts", "pupil transcripts")


def test_whose_data_said_on_one_side_only_is_a_soft_disagreement():
    from aiwire.nlp.contradictions import contradiction_id
    from aiwire.nlp.fact_conflicts import scope_flags

    def row(article, obj, value):
        return {"article_id": article, "slot": f"scope:{obj}", "value": value,
                "subject": None, "quote": "q", "url": f"http://o{article}.test/a",
                "source": f"Outlet {article}", "published": "2026-03-06T12:00:00Z"}

    [flag] = scope_flags("s", [row(1, "private data", "asserted"),
                              row(2, "customer data", "denied")], "x", contradiction_id)
    assert flag["severity"] == "soft"
    [flag] = scope_flags("s", [row(1, "pupils transcripts", "asserted"),
                              row(2, "pupil transcripts", "denied")], "x", contradiction_id)
    assert flag["severity"] == "hard"
