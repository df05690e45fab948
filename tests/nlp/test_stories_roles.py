"""Look-alike incidents in one busy week: who leaked or paid, and the headline's sum.

Invented reports only: two leaks of one AI lab's keys in the same week, one by the lab's
own engineer and one by a staffer of a government agency, and a regulator's fine of one
party against another party's settlement over the same calls.
"""

from __future__ import annotations

from aiwire.nlp.stories import (HEADLINE_MONEY_FACTOR, JOIN_THRESHOLD, ROLE_FACTOR,
                                Similarity, headline_money, role_actors)

from test_stories_incidents import _place
from test_stories_matching import _sig

NAMES = {"quillmark": {"Quillmark"}, "quillmark-labs": {"Quillmark Labs"},
         "orvane-baskett": {"Orvane Baskett", "Baskett"}, "fcc": {"FCC"},
         "brightwire-telecom": {"Brightwire Telecom"}, "tally-watch": {"Tally Watch"}}


def _actors(text: str) -> list[str]:
    return role_actors(text, NAMES, {"tally-watch"})


def test_the_party_that_leaked_is_read_before_an_active_verb():
    assert _actors("A Quillmark engineer leaked a live access key on a code-sharing "
                   "site.") == ["quillmark"]
    # a possessor is the setting, not the doer; an untagged rare capitalised word counts
    assert _actors("A contractor at Orvane Baskett's agency ZEPHRO accidentally exposed "
                   "the key.") == ["zephro"]


def test_a_passive_verb_names_the_doer_after_by_or_nobody():
    assert _actors("The key was leaked on a forum by a Quillmark intern.") == ["quillmark"]
    assert _actors("The key was exposed for two months, researchers at Tally Watch "
                   "said.") == []
    assert _actors("A leaked Quillmark key could open private models.") == []
    # a "by" past the clause is someone else's deed (who found it), not the leak's
    assert _actors("Quillmark exposed a chat archive, found by Tally Watch readers.") == \
        ["quillmark"]
    # "leaks" as a noun names no doer
    assert _actors("The FCC case is a reminder that Quillmark leaks can hurt anyone.") == []
    # the outlet that reported it is never the doer
    assert _actors("The secret was exposed by Tally Watch reporters.") == []


def test_the_party_fined_follows_the_verb_and_the_payer_precedes_it():
    assert _actors("The FCC fined political consultant Orvane Baskett $4 million for "
                   "the calls.") == ["orvane-baskett"]
    assert _actors("Consultant Orvane Baskett fined $4M over voice-cloned calls") == \
        ["orvane-baskett"]
    assert _actors("Brightwire Telecom will pay $300,000 to settle the case.") == \
        ["brightwire-telecom"]


def test_a_flaw_that_exposed_data_or_data_left_exposed_names_no_doer():
    assert _actors("Researcher Orvane Baskett described QM-2291, a flaw that exposed "
                   "thousands of apps.") == []
    assert _actors("Weak rules under the FCC leave customers exposed.") == []


def test_headline_sums_are_read_per_currency():
    assert headline_money("Regulator fines consultant $4M over cloned calls") == \
        {"$": [4e6]}
    assert headline_money("Carrier pays US$300,000 and HK$2.5 million") == \
        {"$": [300000.0], "HK$": [2.5e6]}
    assert headline_money("Consultant fined over robocalls") == {}


LEAK = "A Quillmark key leaked."
OWN = (" A Quillmark engineer committed the secret in a test file; a scanning firm warned the "
       "lab twice over eight weeks before the company revoked it")
AGENCY = (" A staffer at a federal agency with access to tax and payroll systems uploaded a "
          "helper program over the weekend; lawmakers demanded answers from the agency "
          "about vetting")


def _leak(ident: int, day: int, actors: list[str], told: str = OWN):
    sig = _sig(ident, {"quillmark": 4.5}, LEAK + told, f"2026-03-0{day}T09:00:00+00:00")
    sig.actors = actors
    return sig


def test_different_doers_weigh_less_and_a_report_naming_none_is_unchanged():
    similarity = Similarity()
    own, other = _leak(1, 2, ["quillmark"]), _leak(2, 3, ["zephro"])
    silent = _leak(3, 4, [])
    full = similarity.score(own, _leak(4, 2, ["quillmark"]))
    assert full >= JOIN_THRESHOLD
    assert similarity.score(own, other) == full * ROLE_FACTOR
    assert similarity.score(own, silent) == full
    assert similarity.score(other, silent) == full


def test_headline_sums_far_apart_weigh_less():
    similarity = Similarity()
    fine, settlement, same = _leak(1, 2, []), _leak(2, 2, []), _leak(3, 2, [])
    fine.headline_money = {"$": [4e6]}
    settlement.headline_money = {"$": [3e5]}
    same.headline_money = {"$": [4.2e6]}
    full = similarity.score(fine, same)
    assert similarity.score(fine, settlement) == full * HEADLINE_MONEY_FACTOR
    hk = _leak(4, 2, [])
    hk.headline_money = {"HK$": [3e7]}     # another currency: not compared
    assert similarity.score(fine, hk) == full


def _week(with_doers: bool) -> list:
    """Two reports of each leak (told in their own words) and a terse one naming nobody."""
    own, agency = (["quillmark"], ["zephro"]) if with_doers else ([], [])
    return [_leak(1, 2, own), _leak(2, 3, agency, AGENCY), _leak(3, 3, own, OWN + " later"),
            _leak(4, 4, agency, AGENCY + " later"), _leak(5, 5, [], "")]


def test_two_leaks_of_one_labs_keys_in_one_week_are_two_stories(store):
    """Two reports blame the lab's own engineer, two an agency staffer, and one names
    nobody: the two incidents stay apart, and the silent report joins one of them. Without
    the doers, the same five reports fold into one story."""
    story_of = _place(store, _week(with_doers=True))
    assert story_of[1] == story_of[3]
    assert story_of[2] == story_of[4]
    assert story_of[1] != story_of[2]
    assert story_of[5] in (story_of[1], story_of[2])


def test_without_doers_the_same_reports_fold_into_one_story(store):
    assert len(set(_place(store, _week(with_doers=False)).values())) == 1
