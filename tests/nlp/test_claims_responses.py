"""Claims: answers and positions real pages give without the usual verbs. Sentences are
written for these tests."""

from __future__ import annotations

import pytest


def _claims(nlp, text):
    return {(c.speaker, c.stance) for c in nlp(text)._.claims}


def test_the_official_is_the_one_introduced_with_the_department(nlp):
    text = ('The Commerce Department runs the export registry. "We take the safety of the '
            'registry seriously," a senior Commerce Department official told the paper. The '
            'official said no further details of the breach could be shared, citing the inquiry.')
    claims = _claims(nlp, text)
    assert ("us-department-of-commerce", "declines_to_comment") in claims
    # holding back details "of the breach" denies no breach
    assert ("us-department-of-commerce", "denies") not in claims


def test_an_official_in_a_passage_about_an_agency_speaks_for_it(nlp):
    text = ('The Commerce Department alerted every export office about the fake calls. A '
            'senior official confirmed the department is "aware of this incident and is '
            'investigating."')
    assert _claims(nlp, text) == {("us-department-of-commerce", "confirms")}
    # an official another word places elsewhere, or a former one, does not
    other = text.replace("A senior official", "A Ruritanian official")
    assert _claims(nlp, other) == set()
    former = ("The Commerce Department alerted every export office about the fake calls. A "
              "former official said the department was slow to respond to the incident.")
    assert _claims(nlp, former) == set()


def test_responded_that_reports_what_was_said(nlp):
    text = ('The Commerce Department warned staff about fake calls. When asked about the '
            'calls, the Commerce Department responded that it would "conduct a thorough '
            'investigation into the incident."')
    assert _claims(nlp, text) == {("us-department-of-commerce", "confirms")}


def test_a_promise_to_update_when_they_answer_is_no_statement_yet(nlp):
    text = ("Orchard Labs hosts the Quill models. We have reached out to Orchard Labs for "
            "comment and will update this story if we hear back.")
    assert _claims(nlp, text) == {("orchard-labs", "no_statement")}


def test_a_bounded_count_of_what_was_accessed_is_the_firm_s_denial(nlp):
    text = ("Orchard Labs runs the Quill hiring bot. Orchard Labs has said that only a small "
            "number of records were actually accessed.")
    assert _claims(nlp, text) == {("orchard-labs", "denies")}
    # the same words from an outside firm, in a passage about another, deny nothing
    outside = ("Orchard Labs runs the Quill hiring bot. Orchard Labs hired auditors. Kestrel "
               "Security said that only a small number of records were actually accessed.")
    assert ("kestrel-security", "denies") not in _claims(nlp, outside)


def test_blame_turned_away_is_a_denial(nlp):
    text = ("Orchard Labs runs the Quill agent. Orchard Labs said the root cause was a "
            "misconfigured permission, not the Quill agent itself.")
    assert _claims(nlp, text) == {("orchard-labs", "denies")}


@pytest.mark.parametrize("said, stance", [
    ("attackers compromised the build pipeline of the Quill package", "alleges"),
    # a what-if accuses nobody
    ("attackers could have compromised the build pipeline of the Quill package", "reports"),
])
def test_a_finder_telling_of_attackers_alleges(nlp, said, stance):
    text = (f"Orchard Labs publishes the Quill package. According to researchers from Kestrel "
            f"Security, {said}.")
    assert _claims(nlp, text) == {("kestrel-security", stance)}


@pytest.mark.parametrize("text, expected", [
    # an apology owns up to what it is for
    ("Orbix runs a chat app. Orbix's chief executive Ada Bell apologised for the breach.",
     {("ada-bell", "confirms")}),
    # making less of an incident rejects the worse account of it
    ("Orbix runs a chat app. Orbix downplayed the incident, saying only test accounts were "
     "affected.", {("orbix", "denies")}),
])
def test_apologies_confirm_and_downplaying_denies(nlp, text, expected):
    assert _claims(nlp, text) == expected


def test_no_data_taken_is_a_denial_but_not_taking_steps(nlp):
    assert _claims(nlp, "Orbix runs a chat app. Orbix, a startup backed by Microsoft, said "
                        "that no data was taken.") == {("orbix", "denies")}
    # "taken" as an act the firm did not do is no denial of harm
    assert ("orbix", "denies") not in _claims(
        nlp, "Orbix runs a chat app. Orbix said it had not taken a decision on the feature.")


def test_claiming_responsibility_owns_the_attack(nlp):
    # it accuses nobody: the group owns up to its own act
    assert _claims(nlp, "Orbix runs a chat app. Nightjar claimed responsibility for the "
                        "attack on Orbix.") == {("nightjar", "confirms")}


def test_naming_a_known_threat_group_accuses_it(nlp):
    text = ("Orbix runs a chat app. Orbix explained that these attackers are members of "
            "Scattered Spider, a group it tracks.")
    assert _claims(nlp, text) == {("orbix", "alleges")}
    # attackers nobody names are accused of nothing
    assert _claims(nlp, "Orbix runs a chat app. Orbix said the attackers have not been "
                        "identified.") == {("orbix", "reports")}


def test_finding_malware_accuses_whoever_planted_it(nlp):
    text = ("Orbix runs a chat app. Researchers at Kestrel Security discovered a malicious "
            "plugin that copied every message to an outside server.")
    assert _claims(nlp, text) == {("kestrel-security", "alleges")}
    # finding something harmless accuses nobody
    assert _claims(nlp, "Orbix runs a chat app. Researchers at Kestrel Security discovered "
                        "a new plugin that sorts messages.") == set()


def test_the_person_impersonated_confirms_the_scam(nlp):
    text = ('Orbix runs a bank. "I am glad the money taken from a client using my falsified '
            'voice has been frozen," Ada Bell posted on X.')
    assert _claims(nlp, text) == {("ada-bell", "confirms")}
    # her own words about something else confirm nothing
    assert _claims(nlp, "Orbix runs a bank. Ada Bell said her team had blocked the "
                        "payment.") == {("ada-bell", "reports")}


def test_stolen_tokens_used_in_an_attack_accuse_no_victim(nlp):
    text = ("Orbix runs a chat app. Kestrel Security described a campaign in which attackers "
            "used stolen login tokens issued to Orbix to reach customer mailboxes.")
    assert _claims(nlp, text) == {("kestrel-security", "reports")}
    # stealing told of a named party still accuses it
    assert _claims(nlp, "Orbix runs a chat app. Kestrel Security said Orbix had stolen the "
                        "code from a rival.") == {("kestrel-security", "alleges")}


@pytest.mark.parametrize("text", [
    "Anthropic Says Chinese State Hackers Used Claude in Cyberattacks",
    "Google Says Gemini Was Abused by Iranian Hackers",
])
def test_a_title_case_headline_naming_a_nation_s_hackers_accuses(nlp, text):
    speaker = text.split()[0].lower()
    assert _claims(nlp, text) == {(speaker, "alleges")}


def test_a_commentator_explaining_attackers_accuses_nobody(nlp):
    text = ('Orbix runs a chat app. "Attackers compromised the vendor first, which is common," '
            "said Ada Bell, a professor at Northgate University.")
    assert ("ada-bell", "alleges") not in _claims(nlp, text)


def test_telling_of_a_complaint_over_one_s_forged_voice_confirms(nlp):
    text = ("Orbix runs a bank. Minister Ada Bell informed the news agency that she had filed "
            "a complaint over the unlawful use of her name and the forgery of her voice.")
    assert _claims(nlp, text) == {("ada-bell", "confirms")}
    # informing someone of anything else tells of no incident
    assert _claims(nlp, "Orbix runs a bank. Minister Ada Bell informed the news agency that "
                        "she had filed a complaint over the new tax.") == set()


def test_the_outlet_s_own_we_is_silent_for_nobody(nlp):
    # the paper waiting to hear back names no silent party
    text = ("Orbix runs a chat app. Orbix said the flaw was fixed. We will update this story "
            "if we hear back.")
    assert ("orbix", "no_statement") not in _claims(nlp, text)


def test_a_quoted_line_of_the_one_impersonated_confirms(nlp):
    # the quote's first sentence has no verb of its own; its speaker comes after it
    text = ('Orbix runs a bank. "I am very glad the money taken from a client by deception, '
            'using my falsified voice and name, has been blocked. Excellent work by the '
            'police," Ada Bell said.')
    assert _claims(nlp, text) == {("ada-bell", "confirms")}
