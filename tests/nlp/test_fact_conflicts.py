"""date, scope and role contradictions within one story."""

from __future__ import annotations

import pytest

from aiwire.nlp.contradictions import contradiction_id, written_precision_agrees
from aiwire.nlp.fact_conflicts import date_flags, role_flags, scope_flags, year_flags


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


def test_a_timeline_told_a_year_off_is_an_incident_year_flag():
    # "On June 3, 2024, an intruder merged a change" vs "on June 8, 2025 the tainted
    # release was published": the same week of the calendar, a year apart.
    rows = [_row(1, "date:incident:merge", "June 3, 2024", published="2025-06-20T08:00:00Z"),
            _row(2, "date:disclosure:publi", "June 8, 2025", published="2025-06-12T08:00:00Z"),
            _row(3, "date:incident:attac", "June 8", published="2025-06-10T08:00:00Z")]
    flags = year_flags("s", rows, "foo", contradiction_id)
    assert len(flags) == 1 and flags[0]["kind"] == "date" and flags[0]["topic"] == "incident year"
    assert {side["normalised"][:4] for side in flags[0]["sides"]} == {"2024", "2025"}


@pytest.mark.parametrize("rows", [
    # one report dates steps in both years: a follow-up a year on, not a wrong year
    [_row(1, "date:incident:breac", "June 3, 2024"),
     _row(1, "date:filing:filed", "June 5, 2025"),
     _row(2, "date:disclosure:publi", "June 8, 2025")],
    # a year apart but two months off: two events
    [_row(1, "date:incident:breac", "April 3, 2024"),
     _row(2, "date:disclosure:publi", "June 8, 2025")],
    # agreeing dates
    [_row(1, "date:incident:breac", "June 8, 2025"),
     _row(2, "date:disclosure:publi", "June 2025")],
    # a release a year before an attack is ordinary
    [_row(1, "date:release:relea", "June 3, 2024"),
     _row(2, "date:incident:attac", "June 5, 2025")],
    # no year written out on either side
    [_row(1, "date:incident:breac", "June 3", published="2024-06-20T08:00:00Z"),
     _row(2, "date:incident:breac", "June 5", published="2025-06-20T08:00:00Z")],
])
def test_no_incident_year_flag(rows):
    assert year_flags("s", rows, "foo", contradiction_id) == []


def test_incompatible_roles_of_one_person_at_one_organisation():
    rows = [_row(1, "role:ravi-menon:corvex", "board", "ravi-menon"),
            _row(2, "role:ravi-menon:corvex", "staff", "ravi-menon")]
    flags = role_flags("s", rows, contradiction_id)
    assert len(flags) == 1 and flags[0]["kind"] == "claim" and flags[0]["subject"] == "ravi-menon"
    assert [side["value"] for side in flags[0]["sides"]] == ["board", "staff"]


@pytest.mark.parametrize("rows", [
    # a board seat and an executive post are often held together
    [_row(1, "role:ravi-menon:corvex", "board", "ravi-menon"),
     _row(2, "role:ravi-menon:corvex", "executive", "ravi-menon")],
    # "engineer" and "developer": one kind of role in different words
    [_row(1, "role:ravi-menon:corvex", "staff", "ravi-menon"),
     _row(2, "role:ravi-menon:corvex", "staff", "ravi-menon")],
    # two organisations: two jobs
    [_row(1, "role:ravi-menon:corvex", "board", "ravi-menon"),
     _row(2, "role:ravi-menon:halden", "staff", "ravi-menon")],
    # an article that names both kinds is not a side
    [_row(1, "role:ravi-menon:corvex", "board", "ravi-menon"),
     _row(1, "role:ravi-menon:corvex", "staff", "ravi-menon"),
     _row(2, "role:ravi-menon:corvex", "staff", "ravi-menon")],
])
def test_no_role_flag(rows):
    assert role_flags("s", rows, contradiction_id) == []


def test_a_memo_and_a_letter_are_two_events():
    rows = [_row(1, "date:communication:memo", "Thursday"),
            _row(2, "date:communication:memo", "on Friday", published="2026-03-07T09:00:00Z"),
            _row(3, "date:communication:lette", "Monday")]
    [flag] = date_flags("s", rows, "corvex", contradiction_id)
    assert flag["topic"] == "communication date" and len(flag["sides"]) == 2
    same = [_row(1, "date:communication:memo", "Thursday"),
            _row(2, "date:communication:memo", "March 5, 2026")]
    assert date_flags("s", same, "corvex", contradiction_id) == []


def test_lengths_of_one_event_that_cannot_both_hold():
    from aiwire.nlp.fact_conflicts import duration_flags

    rows = [_row(1, "duration:incident:leake", "within three weeks"),
            _row(2, "duration:incident:leake", "over a single year"),
            _row(3, "duration:incident:leake", "three weeks")]
    [flag] = duration_flags("s", rows, "corvex", contradiction_id)
    assert flag["kind"] == "claim" and flag["topic"] == "incident duration"
    assert [side["value"] for side in flag["sides"]] == ["within three weeks",
                                                         "over a single year", "three weeks"]
    # agreeing lengths in other words, and different events, are no flag
    calm = [_row(1, "duration:incident:live", "five hours"),
            _row(2, "duration:incident:live", "5 hours and 20 minutes"),
            _row(3, "duration:fix:fixed", "two months")]
    assert duration_flags("s", calm, "corvex", contradiction_id) == []


def test_a_product_and_its_maker_date_one_release():
    """The nearest-name rule may make the maker the subject in one report and the product
    in another; when each sentence names the other's subject, it is one release."""
    first = _row(1, "date:release:relea", "late 2023", subject="corvane",
                 published="2025-06-10T09:00:00Z")
    first["quote"] = "Weights of Talon, the model Corvane released in late 2023, leaked."
    second = _row(2, "date:release:relea", "early last year", subject="talon",
                  published="2025-06-11T09:00:00Z")
    second["quote"] = "Corvane said its Talon model, released early last year, was stolen."
    flags = date_flags("s", [first, second], "corvane", contradiction_id)
    assert len(flags) == 1 and {s["normalised"][:4] for s in flags[0]["sides"]} == \
        {"2023", "2024"}
    # two parties, neither named by the other's sentence: two events, no flag
    other = dict(second, subject="ostry-labs",
                 quote="Ostry Labs said its own model, released early last year, was safe.")
    assert date_flags("s", [first, other], "corvane", contradiction_id) == []


def test_scope_objects_meet_by_the_kind_of_data_they_name():
    rows = [_row(1, "scope:ip addresses timestamps usage counts", "asserted"),
            _row(2, "scope:api usage data", "denied"),
            _row(3, "scope:payment card data", "denied")]
    flags = scope_flags("s", rows, "velmora", contradiction_id)
    assert [f["topic"] for f in flags] == ["usage (scope)"]
    assert [s["source"] for s in flags[0]["sides"]] == ["Outlet 1", "Outlet 2"]
    # names exposed and no payment data: both can be true, no flag
    both_true = [_row(1, "scope:names email addresses", "asserted"),
                 _row(2, "scope:payment card data", "denied")]
    assert scope_flags("s", both_true, "velmora", contradiction_id) == []
    # a report that asserts and denies the same kind of data is no side
    torn = [_row(1, "scope:usage logs", "asserted"), _row(1, "scope:usage data", "denied"),
            _row(2, "scope:usage data", "denied")]
    assert scope_flags("s", torn, "velmora", contradiction_id) == []


def test_each_report_dating_its_own_news_weeks_apart_is_no_flag():
    """A regulator announced a settlement "on Wednesday" in August and a fine "on
    Thursday" in September: two announcements of a story that went on, not one
    announcement dated twice. Days apart, the same words are a disagreement."""
    august = _row(1, "date:disclosure:annou", "Wednesday", published="2026-08-21T12:00:00Z")
    september = _row(2, "date:disclosure:annou", "Thursday",
                     published="2026-09-26T12:00:00Z")
    assert date_flags("s", [august, september], "regulator", contradiction_id) == []
    next_day = _row(3, "date:disclosure:annou", "Thursday", published="2026-08-22T12:00:00Z")
    assert len(date_flags("s", [august, next_day], "regulator", contradiction_id)) == 1
    # dates on the calendar are facts any report can get wrong, however far apart
    ninth = _row(4, "date:disclosure:discl", "on November 9", published="2026-11-10T12:00:00Z")
    later = _row(5, "date:disclosure:discl", "November 26", published="2026-11-27T12:00:00Z")
    assert len(date_flags("s", [ninth, later], "regulator", contradiction_id)) == 1


def test_going_public_before_learning_of_it_is_a_hard_date_flag():
    from aiwire.nlp.fact_conflicts import order_flags

    rows = [_row(1, "date:disclosure:discl", "On November 9, 2025", "orrin",
                 published="2025-12-01T10:00:00Z"),
            _row(2, "date:discovery:learn", "November 25, 2025", "orrin",
                 published="2025-11-28T10:00:00Z")]
    flags = order_flags("s", rows, "orrin", contradiction_id)
    assert len(flags) == 1 and flags[0]["severity"] == "hard" and flags[0]["kind"] == "date"
    assert [side["normalised"] for side in flags[0]["sides"]] == ["2025-11-25", "2025-11-09"]


@pytest.mark.parametrize("rows", [
    # learned first, then went public: the normal order
    [_row(1, "date:disclosure:discl", "November 27, 2025", "orrin"),
     _row(2, "date:discovery:learn", "November 25, 2025", "orrin")],
    # another report has it learn of it before it went public: a later notice is news
    [_row(1, "date:disclosure:discl", "November 9, 2025", "orrin"),
     _row(2, "date:discovery:learn", "November 25, 2025", "orrin"),
     _row(3, "date:discovery:learn", "November 2, 2025", "orrin")],
    # two parties: the supplier learned late, the customer went public
    [_row(1, "date:disclosure:discl", "November 9, 2025", "orrin"),
     _row(2, "date:discovery:learn", "November 25, 2025", "hollin")],
    # one article saying both is no pair of reports
    [_row(1, "date:disclosure:discl", "November 9, 2025", "orrin"),
     _row(1, "date:discovery:learn", "November 25, 2025", "orrin")],
])
def test_no_disclosed_before_learned_flag(rows):
    from aiwire.nlp.fact_conflicts import order_flags

    assert order_flags("s", rows, "orrin", contradiction_id) == []


def test_a_date_without_its_year_agrees_with_the_same_day_written_with_one():
    # a report published years later reads a bare "March 24" as the latest March 24
    rows = [_row(1, "date:disclosure:publi", "On March 24", published="2026-11-19T12:00:00Z"),
            _row(2, "date:disclosure:publi", "four days later, after March 20, 2023",
                 published="2026-11-20T12:00:00Z")]
    assert date_flags("s", rows, "x", contradiction_id) == []
    rows[1] = _row(2, "date:disclosure:publi", "six days later, after March 20, 2023",
                   published="2026-11-20T12:00:00Z")
    assert len(date_flags("s", rows, "x", contradiction_id)) == 1
