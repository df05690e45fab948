"""Claims: who is NOT speaking. Real pages name things, asides and quoted people in the
subject position of a reporting verb; none of them is a party taking a stance. Sentences
are written for these tests."""

from __future__ import annotations

import pytest

from aiwire.nlp.quotes import after_quote


def _claims(nlp, text):
    return {(c.speaker, c.stance) for c in nlp(text)._.claims}


@pytest.mark.parametrize("text", [
    # an outlet nobody linked whose name ends in a role noun is not "the company"
    "Orchard Labs runs the Quill chatbot. Fast Company reported that thousands of Quill "
    "chats were visible online.",
    "Orchard Labs runs the Quill chatbot. Swift Company found that thousands of Quill chats "
    "were visible online.",
    # the press's "report" is nobody's filing
    "Orchard Labs makes the Quill assistant. The report notes that Quill answers were shown "
    "to strangers.",
    # a search or a check is a thing used, not its maker speaking
    "Orchard Labs makes the Quill assistant. A quick Orchard Labs search revealed thousands "
    "of private chats.",
    "Every safeguard check (Orchard Labs signatures, release notes) reported the package as "
    "valid.",
    # "added" with an object adds a thing, it says nothing
    "The package was published on GitHub. With version 1.0.16, the developer added a plain "
    "line of code: a BCC field that sent all emails to an outside server.",
])
def test_things_and_unlinked_names_do_not_speak(nlp, text):
    assert _claims(nlp, text) == set()


def test_a_quote_hung_on_the_subject_is_not_the_speaker():
    text = ('Messages went to "at least five individuals, including a member of Congress," '
            'a diplomatic cable stated.')
    lo = text.index('"at least')
    head = text.index("individuals")
    start = after_quote(text, lo, text.index(" stated"), head)
    assert text[start:].lstrip().startswith("a diplomatic cable")
    # a quoted nickname after the head stays part of the subject
    nick = 'Ada Bell, one of the "founders of the field," said'
    assert after_quote(nick, 0, nick.index(" said"), nick.index("Bell")) == 0


def test_she_is_not_the_person_asked_about(nlp):
    text = ("Dana Whitfield speaks for Orchard Labs. When asked by reporters about Marco "
            "Bellweather's reaction to the fake calls, she said, \"We are not at a point where "
            "I will discuss it.\"")
    assert _claims(nlp, text) == {("dana-whitfield", "reports")}


def test_access_without_authorization_is_no_denial(nlp):
    text = ("In a blog post, Orchard Labs said that some secrets could have been accessed by "
            "a third party without authorization.")
    assert ("orchard-labs", "denies") not in _claims(nlp, text)


def test_the_owner_s_own_officer_telling_of_an_exposure_accuses_nobody(nlp):
    text = ("Orchard Labs runs Quill. Orchard Labs' security chief, Dana Whitfield, explained "
            "that all users whose chats were exposed had chosen to share them.")
    assert ("dana-whitfield", "alleges") not in _claims(nlp, text)
    # an outside finder saying the same of the firm's data still accuses it
    outside = ("Orchard Labs runs Quill. Kestrel Security said the chats had been exposed "
               "since May.")
    assert ("kestrel-security", "alleges") in _claims(nlp, outside)


def test_would_suspect_is_an_expectation(nlp):
    text = ('Orchard Labs runs Quill. "I would suspect that at some point we will have more '
            'for you," Dana Whitfield added.')
    assert ("dana-whitfield", "alleges") not in _claims(nlp, text)
    suspicion = ("Orchard Labs runs Quill. Dana Whitfield said she suspects Nightjar hackers "
                 "stole the keys.")
    assert ("dana-whitfield", "alleges") in _claims(nlp, suspicion)


@pytest.mark.parametrize("text, expected", [
    # the subject's own name speaks, not the backer named in its modifier
    ("Orbix runs a chat app. Microsoft-backed Orbix said that no data was taken.",
     {("orbix", "denies")}),
    # "the company" in what a firm's spokesperson says is that firm, not the passage's
    ("Orbix runs a chat app. A Microsoft spokesperson said the company was aware of the "
     "incident and was investigating.", {("microsoft", "confirms")}),
    # a chief executive telling of "the company" fixing it: the firm's own incident
    ("Orbix runs a chat app. Orbix CEO Ada Bell wrote on LinkedIn that the company had fixed "
     "the issue.", {("ada-bell", "confirms")}),
    # a finder named in a "which said" clause still speaks
    ("Orbix runs a chat app. The attack was first spotted by Kestrel Security, which said the "
     "hackers were linked to the Nightjar gang.", {("kestrel-security", "alleges")}),
])
def test_who_speaks_inside_the_sentence(nlp, text, expected):
    assert _claims(nlp, text) == expected
