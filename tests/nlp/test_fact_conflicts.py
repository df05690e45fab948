"""date and scope contradictions within one story."""

from __future__ import annotations

from aiwire.nlp.contradictions import contradiction_id, written_precision_agrees
from aiwire.nlp.fact_conflicts import date_flags, scope_flags


def _row(article, slot, value, subject=None, published="2026-03-06T12:00:00Z"):
    return {"article_id": article, "slot": slot, "value": value, "subject": subject,
            "quote": f"sentence {article}", "url": f"http://outlet{article}.test/a",
            "source": f"Outlet {article}", "published": published}


def test_weekday_against_weekday_is_a_hard_date_flag():
    rows = [_row(1, "date:disclosure:repor", "Thursday"),
            _row(2, "date:disclosure:repor", "on Friday", published="2026-03-07T09:00:00Z"),
            _row(3, "date:disclosure:repor", "March 2026")]
    flags = date_flags("s", rows, "teller-labs", contradiction_id)
    assert len(flags) == 1 and flags[0]["kind"] == "date" and flags[0]["severity"] == "hard"
    assert {side["normalised"] for side in flags[0]["sides"]} >= {"2026-03-05", "2026-03-06"}


def test_dates_that_agree_at_their_precision_are_no_flag():
    rows = [_row(1, "date:incident:breac", "March 2026"),
            _row(2, "date:incident:breac", "March 4, 2026")]
    assert date_flags("s", rows, "x", contradiction_id) == []


def test_different_statements_are_not_compared():
    # "reported to the vendor in January" and "published the write-up on Friday"
    rows = [_row(1, "date:disclosure:repor", "January"),
            _row(2, "date:disclosure:publi", "Friday")]
    assert date_flags("s", rows, "x", contradiction_id) == []


def test_an_article_with_two_dates_for_one_event_is_not_a_side():
    rows = [_row(1, "date:incident:breac", "January 2026"),
            _row(1, "date:incident:breac", "June 2025"),
            _row(2, "date:incident:breac", "June 2025")]
    assert date_flags("s", rows, "x", contradiction_id) == []


def test_scope_asserted_against_bounded():
    rows = [_row(1, "scope:records", "asserted:3.2 million"),
            _row(2, "scope:records", "bounded"),
            _row(3, "scope:data", "denied")]
    flags = scope_flags("s", rows, "harbour-bank", contradiction_id)
    assert [f["topic"] for f in flags] == ["records (scope)"]
    assert [s["value"] for s in flags[0]["sides"]] == ["asserted", "bounded"]


def test_rounding_is_agreement():
    assert written_precision_agrees({"value": -4.9, "text": "4.9%"}, {"value": -5, "text": "5%"})
    assert not written_precision_agrees({"value": 4.5e6, "text": "$4.5 million"},
                                        {"value": 4e6, "text": "$4 million"})
    assert not written_precision_agrees({"value": 24000, "text": "24,000"},
                                        {"value": 25000, "text": "25,000"})
