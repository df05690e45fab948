"""Dates as facts: expressions resolved against the publication day, with precision."""

from __future__ import annotations

from datetime import date

import pytest

from aiwire.nlp.dates import DateValue, find_event_dates, is_duration, resolve

FRIDAY = date(2024, 7, 5)


@pytest.mark.parametrize("words, start, end, precision", [
    ("Thursday (July 4", date(2024, 7, 4), date(2024, 7, 4), "day"),
    ("on Thursday", date(2024, 7, 4), date(2024, 7, 4), "day"),
    ("Friday", FRIDAY, FRIDAY, "day"),                 # said on a Friday: that day
    ("July 2024", date(2024, 7, 1), date(2024, 7, 31), "month"),
    ("early June 2024", date(2024, 6, 1), date(2024, 6, 10), "early month"),
    ("late 2023", date(2023, 9, 2), date(2023, 12, 31), "late year"),
    ("early last year", date(2023, 1, 1), date(2023, 5, 1), "early year"),
    ("in 2022", date(2022, 1, 1), date(2022, 12, 31), "year"),
    ("Q3 2024", date(2024, 7, 1), date(2024, 9, 30), "quarter"),
    ("August 26, 2025", date(2025, 8, 26), date(2025, 8, 26), "day"),
])
def test_resolve(words, start, end, precision):
    value = resolve(words, FRIDAY)
    assert value == DateValue(start, end, precision)


@pytest.mark.parametrize("words", ["three weeks", "five hours", "a single year",
                                   "about two months"])
def test_durations_are_not_dates(words):
    assert is_duration(words)
    assert resolve(words, FRIDAY) is None


def test_precision_decides_agreement():
    month = resolve("July 2024", FRIDAY)
    assert month.overlaps(resolve("July 4, 2024", FRIDAY))          # agree at their precision
    assert not resolve("Thursday", FRIDAY).overlaps(resolve("Friday", FRIDAY))
    assert resolve("April 2023", FRIDAY).overlaps(resolve("early 2023", FRIDAY))


def test_event_dates_in_running_text(nlp):
    doc = nlp("Harbour Bank Loses Millions\n"
              "Teller Labs disclosed the flaw on Tuesday, March 3, 2026, after a review.\n"
              "The attackers first breached the payment portal in January 2026.\n"
              "The quarterly report said revenue rose for three weeks.\n"
              "Its post, titled 'March 9 outage: what we learned', blamed a cache.")
    found = {(e.predicate, e.expression) for e in find_event_dates(doc)}
    assert ("disclosure", "Tuesday, March 3, 2026") in found or \
        ("disclosure", "Tuesday") in found
    assert ("incident", "January 2026") in found
    assert not any("three weeks" in words for _, words in found)     # a duration
    assert not any("March 9" in words for _, words in found)         # inside a title


def _dated(nlp, text):
    """(event, words, verb) of the dates the pipeline's facts component found, while the
    sentence parses existed."""
    from aiwire.nlp.assertions import find_assertions

    found = set()
    for a in find_assertions(nlp(text)):
        if a.slot.startswith("date:"):
            _, event, verb = a.slot.split(":")
            found.add((event, a.value, verb))
    return found


def test_a_date_passes_to_the_verb_coordinated_with_its_clause(nlp):
    # The parser may hang the date from the participle ("fetched") and make the event
    # word its conjunct; the date is the publication's all the same.
    found = _dated(nlp, "Registry incident.\nOn May 4, 2026, tampered builds of the popular "
                        "Foo toolkit, fetched 2 million times a week, were published to the "
                        "package registry, exposing secrets from developers everywhere.")
    assert ("disclosure", "May 4, 2026", "publi") in found


def test_going_public_in_other_words_and_a_when_clause(nlp):
    found = _dated(nlp, "Token exposure.\nAnalysts at Kestrel Labs stunned the security "
                        "community early in March when they found that 900 cloud keys were "
                        "exposed online.")
    assert ("disclosure", "early in March", "discl") in found      # the part of the month kept
    assert resolve("early in March", date(2024, 3, 20)) == DateValue(
        date(2024, 3, 1), date(2024, 3, 10), "early month")


def test_an_impact_verb_without_an_audience_is_no_event(nlp):
    found = _dated(nlp, "Token exposure.\nAnalysts at Kestrel Labs rattled their own staff "
                        "early in March when they moved offices.")
    assert not any(predicate == "disclosure" for predicate, _, _ in found)


def test_a_sent_document_is_dated_by_what_was_sent(nlp):
    assert ("communication", "Thursday", "memo") in _dated(
        nlp, "Memo leak.\nThe chief executive sent a memo to staff on Thursday warning "
             "about the intrusion.")
    assert ("communication", "Friday", "memo") in _dated(
        nlp, "Memo leak.\nThe memo, sent on Friday to all employees, warned of the intrusion.")
    # a participle set off by commas after the document, whatever the parser hangs it on
    assert ("communication", "Friday", "memo") in _dated(
        nlp, "Memo leak.\nIn the memo, sent on Friday, the firm said it had locked 900 "
             "accounts tied to the scheme.")
    # sending something that is no document, or telling a reporter, is no dated event
    assert _dated(nlp, "Memo leak.\nThe company sent engineers to the site on Monday.") == set()
    assert _dated(nlp, "Memo leak.\nIn the end, sent home on Friday, the staff waited.") \
        == set()


def test_a_date_run_together_with_a_length_of_time_ends_at_the_comma(nlp):
    # "April 9, two weeks after ...": the tagger may take both as one date
    found = _dated(nlp, "Chatbot breach.\nPellam Rail disclosed the breach on April 9, two "
                        "weeks after it first saw odd queries to its assistant.")
    assert ("disclosure", "April 9", "discl") in found
    assert not any("weeks" in words for _, words, _ in found)


@pytest.mark.parametrize("a, b, conflict", [
    ("within three weeks", "over a single year", True),
    ("five hours", "5 hours and 20 minutes", False),      # close lengths agree
    ("three weeks", "a month", False),                    # wording
    ("within a month", "two days", False),                # a bound the other meets
    ("more than a year", "three years", False),
    ("two days", "ten days", True),
])
def test_lengths_of_time(a, b, conflict):
    from aiwire.nlp.dates import duration_days, durations_conflict

    assert durations_conflict(duration_days(a), duration_days(b)) is conflict


def test_vague_lengths_are_not_read():
    from aiwire.nlp.dates import duration_days

    assert duration_days("several weeks") is None and duration_days("a few days") is None


def test_a_length_tied_to_its_event_word(nlp):
    from aiwire.nlp.assertions import find_assertions

    found = {(a.slot, a.value) for a in find_assertions(nlp(
        "Data leak.\nStaff data leaked within three weeks of the breach, the company said."))}
    assert ("duration:incident:leake", "within three weeks") in found


def test_going_public_in_two_words_and_its_synonyms_compare_as_one_act(nlp):
    found = _dated(nlp, "Clinic breach.\nOrrin Health made the intrusion public on Wednesday "
                        "and took its chatbot offline.\nThe group announced a review on "
                        "Friday.")
    assert ("disclosure", "Wednesday", "discl") in found
    assert ("disclosure", "Friday", "discl") in found       # announced: the same act


def test_a_length_of_access_is_tied_to_having_access(nlp):
    from aiwire.nlp.assertions import find_assertions

    found = {(a.slot, a.value) for a in find_assertions(nlp(
        "Voice fraud.\nThe attackers had access to the payment line for about six weeks, "
        "investigators said."))}
    assert ("duration:incident:acces", "for about six weeks") in found


def test_learning_of_it_exposure_lengths_and_fixes(nlp):
    found = _dated(nlp, "Bucket left open.\nThe firm said it learned of the problem on "
                        "June 2.\nIt was alerted by a researcher on June 6, the firm said.\n"
                        "The vendor patched the app on June 9.")
    assert ("discovery", "June 2", "learn") in found
    assert ("discovery", "June 6", "learn") in found         # alerted: learning of it too
    assert ("fix", "June 9", "fix") in found                 # patched and fixed: one act
    told = _dated(nlp, "Bucket left open.\nThe firm alerted customers on June 8.")
    assert ("disclosure", "June 8", "notif") in told          # telling them: going public
    from aiwire.nlp.assertions import find_assertions

    lengths = {(a.slot, a.value) for a in find_assertions(nlp(
        "Bucket left open.\nThe firm said the bucket had been open for 11 days.\nAnother "
        "report said it was publicly readable for nearly four months."))}
    assert ("duration:incident:expos", "for 11 days") in lengths
    assert ("duration:incident:expos", "for nearly four months") in lengths


def test_access_and_openness_that_are_no_incident(nlp):
    assert _dated(nlp, "Product news.\nCustomers have access to the new assistant from "
                       "Monday, the firm said.") == set()
    assert _dated(nlp, "Inquiry.\nThe regulator will open an inquiry on Monday into the "
                       "leak.") == set()
    found = _dated(nlp, "Bank fraud.\nThe hackers gained unauthorised access to the "
                        "payments system on March 3.")
    assert ("incident", "March 3", "acces") in found


def test_a_date_counted_from_the_calendar_date_before_it(nlp):
    same = _dated(nlp, "Token leak.\nHollin Labs reported the exposed folder to Varden on "
                       "June 22, 2023, and the company closed the hole two days later.")
    assert ("fix", "two days later, after June 22, 2023", "close") in same
    previous = _dated(nlp, "Token leak.\nHollin Labs found the folder on June 22 and alerted "
                           "Varden. The token was revoked the next day, Varden said.")
    assert ("fix", "the next day, after June 22", "close") in previous
    published = date(2023, 9, 18)
    assert resolve("two days later, after June 22, 2023", published) == \
        DateValue(date(2023, 6, 24), date(2023, 6, 24), "day")
    assert resolve("the next day, after June 22", published).start == date(2023, 6, 23)
    week = resolve("a week later, after June 22", published)
    assert week.precision == "week" and week.start <= date(2023, 6, 29) <= week.end


def test_a_relative_date_with_nothing_to_count_from_names_no_day(nlp):
    # no calendar date in its paragraph: nothing to count from
    assert not any("later" in words for _, words, _ in _dated(
        nlp, "Token leak.\nHollin Labs found the folder in June.\nVarden closed the hole "
             "two days later, the firm said."))
    assert resolve("two days later", date(2023, 9, 18)) is None
    assert resolve("the next day, after June 2023", date(2023, 9, 18)) is None


def test_closing_needs_something_left_open(nlp):
    assert _dated(nlp, "Deal news.\nVarden signed the contract on March 3 and closed the "
                       "deal two days later.") == set()
    assert ("fix", "March 5", "close") in _dated(
        nlp, "Bucket left open.\nVarden secured the database on March 5, the firm said.")


def test_who_was_notified_learned_and_who_alerted_told(nlp):
    learned = _dated(nlp, "Vendor breach.\nOrrin was notified on November 25, 2025, after "
                          "the supplier finished its review.")
    assert ("discovery", "November 25, 2025", "learn") in learned
    # the party alerted learned of it that day, and is the event's subject
    from aiwire.nlp.assertions import find_assertions

    alerted = {(a.slot, a.value, a.subject) for a in find_assertions(nlp(
        "Vendor breach.\nResearchers at Hollin Labs alerted Orrin Corp on June 6, the firm "
        "said."))}
    assert ("date:discovery:learn", "June 6", "orrin-corp") in alerted
    customers = _dated(nlp, "Vendor breach.\nCustomers were notified on June 9.")
    assert ("disclosure", "June 9", "notif") in customers


def test_a_later_date_is_found_by_its_words_when_the_tagger_misses_it(nlp):
    from aiwire.nlp.dates import _merged_dates

    doc = nlp("Token leak.\nVarden closed the hole on May 2, 2024, and rotated keys three "
              "days later.")
    doc.set_ents([e for e in doc.ents if "later" not in e.text])   # as the tagger may
    sent = list(doc.sents)[-1]
    assert [words for _, _, words in _merged_dates(sent)][-1] == "three days later"


def test_a_date_that_modifies_a_noun_dates_that_thing(nlp):
    # the paper revealed it today; the cable is the one dated July 3
    found = _dated(nlp, "Cable leak.\nThe Harbour Post today revealed the contents of a "
                        "July 3 cable from the minister's office to staff.")
    assert ("communication", "July 3", "cable") in found
    assert not any(event == "disclosure" for event, _, _ in found)
    breach = _dated(nlp, "Clinic breach.\nOrrin Health disclosed the March 2024 breach on "
                         "Tuesday.")
    assert ("incident", "March 2024", "breac") in breach
    assert ("disclosure", "Tuesday", "discl") in breach


def test_published_software_is_a_release_compared_per_version(nlp):
    # "published" of a package or a version puts software out: a release, not the
    # disclosure it is for a report; a release is of its versions, so two sentences
    # dating releases of different versions are two events.
    package = _dated(nlp, "Registry incident.\nVersion 4.2.7, published in March 2026, "
                          "quietly copied every outgoing invoice to a stranger.")
    assert package == {("release", "March 2026", "relea@4.2.7")}
    shipped = _dated(nlp, "Registry incident.\nThen version 4.2.7 shipped on September 17, "
                          "2025.")
    assert shipped == {("release", "September 17, 2025", "relea@4.2.7")}
    two = _dated(nlp, "Registry incident.\nOn June 4, 2025, two releases (3.1.8 and 3.1.9) "
                      "shipped a coin miner to every user.")
    assert ("release", "June 4, 2025", "relea@3.1.8+3.1.9") in two
    uploaded = _dated(nlp, "Registry incident.\nThe attackers uploaded a poisoned package to "
                           "the registry on May 3, 2025.")
    assert uploaded == {("release", "May 3, 2025", "relea")}
    report = _dated(nlp, "Registry incident.\nThe researchers published their findings on "
                         "May 3, 2025.")
    assert report == {("disclosure", "May 3, 2025", "publi")}


def test_an_issued_or_dated_document_is_dated_by_that_document(nlp):
    # "issued a cable in June" and "the cable, dated July 3" date one cable twice: a fact
    # two reports can disagree on; a statement issued is no document sent.
    issued = _dated(nlp, "Voice scam.\nIn June 2025, the Harbour Ministry issued a "
                         "confidential cable to its embassies.")
    assert issued == {("communication", "June 2025", "cable")}
    warning = _dated(nlp, "Voice scam.\nIn June 2025, the Harbour Ministry issued a "
                          "confidential cable warning that a caller was cloning voices.")
    assert warning == {("communication", "June 2025", "cable")}
    dated = _dated(nlp, "Voice scam.\nThe ministry's cable, dated July 3, said the caller "
                        "used a cloned voice.")
    assert dated == {("communication", "July 3", "cable")}
    assert not any(event == "communication" for event, _, _ in _dated(
        nlp, "Voice scam.\nThe regulator issued a statement on May 3, 2025."))
