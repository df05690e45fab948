"""Claims: speaker and stance from the reporting verb, its negation and its subject."""

from __future__ import annotations

import pytest


def _claims(nlp, text):
    return {(c.speaker, c.stance) for c in nlp(text)._.claims}


@pytest.mark.parametrize("text, expected", [
    ("Anthropic accused Alibaba of distilling Claude.", {("anthropic", "alleges")}),
    ("Alibaba officially denied the accusation on Tuesday.", {("alibaba", "denies")}),
    ("Alibaba declined to comment when contacted.", {("alibaba", "declines_to_comment")}),
    ("Alibaba has not issued an extensive statement.", {("alibaba", "no_statement")}),
    ("Meta did not respond to a request for comment.", {("meta", "no_statement")}),
    ("OpenAI confirmed it had banned the accounts.", {("openai", "confirms")}),
    ("A spokesperson for Alibaba rejected the claims as baseless.", {("alibaba", "denies")}),
    ("\"It is a serious breach,\" said Dana Whitfield, a researcher at Northgate Institute.",
     {("dana-whitfield", "reports")}),
])
def test_stances(nlp, text, expected):
    assert _claims(nlp, text) == expected


def test_the_company_resolves_to_the_main_organisation(nlp):
    text = ("Orchard Labs makes the Quill assistant. Orchard Labs shipped a fix. Lanternfish "
            "Security found the bug. The company confirmed the issue on Monday.")
    assert ("orchard-labs", "confirms") in _claims(nlp, text)


def test_nobody_speaking_is_not_a_claim(nlp):
    assert _claims(nlp, "We have not been able to confirm that the files are genuine.") == set()


def test_claims_nouns_are_not_statements(nlp):
    assert _claims(nlp, "The claims were widely shared online.") == set()


def test_unnamed_sources_are_kept_for_a_position(nlp):
    claims = nlp("According to two people familiar with the investigation, the weights were "
                 "stolen.")._.claims
    assert [(c.speaker, c.stance) for c in claims] == [(None, "alleges")]
    assert claims[0].hedged is True


def test_an_unnamed_plain_report_is_nobody_s_claim(nlp):
    assert _claims(nlp, "Two people familiar with the matter told the paper that the firm "
                        "had been the target.") == set()


def test_reports_fold_into_a_position(nlp):
    text = ("Anthropic accused Alibaba of copying Claude. Anthropic said it had closed the "
            "accounts.")
    assert _claims(nlp, text) == {("anthropic", "alleges")}


# --- patterns seen on real reporting, in sentences written for these tests -------------

def test_title_case_headline_speaker_is_the_accuser(nlp):
    doc = nlp("OpenAI Accuses Mistral of Copying Its Models Through Paid Accounts\n"
              "The dispute began in March.")
    claims = {(c.speaker, c.stance) for c in doc._.claims}
    assert ("openai", "alleges") in claims
    assert ("mistral-ai", "alleges") not in claims
    assert next(c.target for c in doc._.claims if c.speaker == "openai") == "mistral-ai"


def test_headline_ending_in_a_noun_is_no_statement(nlp):
    assert _claims(nlp, "Meta Shares Slide Amid Model Theft Claims\nTrading was thin.") == set()


def test_headings_inside_the_body_say_nothing(nlp):
    text = ("Weekly security notes\nAlibaba Denies Everything Again\nThe quarter was quiet "
            "for most vendors.\nMore next week.")
    assert _claims(nlp, text) == set()


@pytest.mark.parametrize("text", [
    "Meta said no customer data was exposed.",
    "OpenAI said the intruders did not access any user conversations.",
    "Anthropic stated that Anthropic was not hacked.",
])
def test_negated_harm_from_the_affected_party_is_a_denial(nlp, text):
    assert ("denies" in {stance for _, stance in _claims(nlp, text)})


def test_the_company_is_the_passage_actor_not_the_last_name(nlp):
    text = ("Mistral AI patched a flaw in its chatbot on Monday. Mistral AI said the bug had "
            "been reported by researchers at Google DeepMind. The company said no customer "
            "data was exposed.")
    claims = _claims(nlp, text)
    assert ("mistral-ai", "denies") in claims
    assert not any(s == "google-deepmind" and st == "denies" for s, st in claims)


def test_evidence_from_a_named_speaker_is_a_hedged_allegation(nlp):
    doc = nlp("Anthropic said there is substantial evidence that the lab copied Claude's "
              "answers.")
    claims = [(c.speaker, c.stance, c.hedged) for c in doc._.claims]
    assert ("anthropic", "alleges", True) in claims


def test_outlets_relay_and_never_take_a_side(nlp):
    claims = _claims(nlp, "OpenAI told Reuters that it had fixed the issue in its app.")
    assert ("openai", "confirms") in claims
    assert not any(s == "reuters" for s, _ in claims)
    relayed = _claims(nlp, "According to Reuters, Alibaba denied the report.")
    assert ("alibaba", "denies") in relayed
    assert ("reuters", "denies") not in relayed


@pytest.mark.parametrize("text, expected", [
    ("Anthropic declined to give details about the investigation.",
     ("anthropic", "declines_to_comment")),
    ("Meta was declining to share details while the review continued, Meta said.",
     ("meta", "declines_to_comment")),
    ("\"We cannot go into details while the inquiry continues,\" Meta said.",
     ("meta", "declines_to_comment")),
    ("We contacted Alibaba for comment but have not received a reply.",
     ("alibaba", "no_statement")),
    ("Meta has not said why the feature was switched off.", ("meta", "no_statement")),
    ("While OpenAI has not disclosed how many users were affected, it shipped a fix.",
     ("openai", "no_statement")),
])
def test_silence_and_refusals(nlp, text, expected):
    assert expected in _claims(nlp, text)


@pytest.mark.parametrize("text", [
    "OpenAI said it had banned accounts suspected of links to a state-backed group.",
    "OpenAI banned a network of accounts suspected of ties to a government agency.",
])
def test_a_company_announcing_a_finding_against_others_alleges(nlp, text):
    assert ("openai", "alleges") in _claims(nlp, text)


def test_a_company_acknowledging_its_own_incident_confirms(nlp):
    assert ("anthropic", "confirms") in _claims(
        nlp, "Anthropic announced that it had patched the vulnerability in its console.")
    assert ("anthropic", "confirms") in _claims(
        nlp, "\"We can confirm that forged invoices were used,\" Anthropic told the paper.")


@pytest.mark.parametrize("text", [
    "The app was found to send passwords in plain text.",
    "Exposed keys from Meta and OpenAI were found on a code-sharing site.",
    "An OpenAI engineer claimed the model had been copied.",
])
def test_no_speaker(nlp, text):
    assert not any(s in ("meta", "openai") for s, _ in _claims(nlp, text))
    assert _claims(nlp, text) == set()


def test_the_group_is_the_named_group_not_its_target(nlp):
    text = ("A hacking group called Nightjar said it had leaked Disney's files. The group "
            "claimed it was based abroad.")
    claims = _claims(nlp, text)
    assert not any(s == "disney" for s, _ in claims)


def test_a_quote_over_two_sentences_belongs_to_the_speaker_named_after_it(nlp):
    text = ("\"We respect the researchers' work. We disagree with many of the claims they have "
            "made about our security,\" OpenAI said.")
    assert ("openai", "denies") in _claims(nlp, text)


def test_a_known_name_in_lower_case_still_speaks(nlp):
    assert ("google", "denies") in _claims(
        nlp, "google says that the flaw has not been misused by anyone.")


def test_not_going_public_is_no_statement_and_telling_staff_is_no_admission(nlp):
    claims = _claims(nlp, "OpenAI told its employees about the intrusion but never went "
                          "public with it.")
    assert ("openai", "no_statement") in claims
    assert ("openai", "confirms") not in claims
    staff = _claims(nlp, "Anthropic disclosed the incident to employees at an all-hands "
                         "meeting.")
    assert ("anthropic", "confirms") not in staff


def test_business_insider_is_a_name_not_an_unnamed_insider(nlp):
    assert (None, "reports") not in _claims(
        nlp, "Business Insider similarly reports the findings with more context.")


def test_hypotheticals_and_tool_descriptions_are_not_statements(nlp):
    assert ("disney", "reports") not in _claims(
        nlp, "If we said we had all of Disney's files, they would lock us out.")
    assert _claims(nlp, "Snyk finds bugs in code.") == set()


def test_it_after_a_speaker_in_the_same_sentence_is_that_speaker(nlp):
    text = ("Anthropic said the accounts were fake, and it said Mistral AI had been warned. "
            "Mistral AI makes chatbots. Mistral AI is based in Paris.")
    assert all(s == "anthropic" for s, _ in _claims(nlp, text))


def test_a_takeaway_box_sentence_is_the_page_s_own_reporting(nlp):
    text = ("Alibaba shares slip after accusation\nKey Takeaways\n- Alibaba Cloud has "
            "officially denied the allegations made by Anthropic last week.\n- Follow us\n"
            "Analysts expect more scrutiny of model access.\nMore on this later.")
    assert ("alibaba", "denies") in _claims(nlp, text)


def test_whoever_is_told_things_relays_and_takes_no_side(nlp):
    text = ("Two people familiar with the matter told Reuters that Meta had been hit. Reuters "
            "has confirmed it was Meta's subsidiary.")
    claims = _claims(nlp, text)
    assert ("reuters", "confirms") not in claims


@pytest.mark.parametrize("text, speaker", [
    ("The Chinese Embassy in Washington said the accusations were groundless.",
     "chinese-embassy"),
    ("China's foreign ministry said Beijing had not been involved in the attack.",
     "chinese-foreign-ministry"),
])
def test_governments_and_embassies_deny(nlp, text, speaker):
    claims = _claims(nlp, text)
    assert (speaker, "denies") in claims
    assert (speaker, "confirms") not in claims


def test_a_subject_ends_at_its_verb(nlp):
    """The parser may hang a phrase from after the verb on the subject ("the worm ... :
    a settings file that hooks Quill Code's event"); a name there is not the speaker
    of "writes"."""
    text = ("A worm spread through package registries this week.\n"
            "According to an analysis from Kestrelwatch, the worm writes two persistence "
            "files into every accessible repository: a .quill/settings.json that hooks "
            "Quill Code's SessionBegin event, and a task file configured to run on open.")
    found = _claims(nlp, text)
    assert ("kestrelwatch", "reports") in found
    assert not any(speaker in ("quill-code", "sessionbegin") for speaker, _ in found)


@pytest.mark.parametrize("text", [
    "Kestrelwatch said Orbix protected its customer keys with inadequate encryption.",
    "Kestrelwatch said the Orbix app handled passwords poorly.",
])
def test_calling_another_party_s_security_negligent_is_an_allegation(nlp, text):
    assert {(c.speaker, c.stance, c.target) for c in nlp(text)._.claims} == \
        {("kestrelwatch", "alleges", "orbix")}


@pytest.mark.parametrize("text, expected", [
    # a news organisation relays what it reports, whatever the reported words say
    ("Orbix accused rivals of copying its models. Bloomberg reported that the rivals stole "
     "model outputs from Orbix with fake accounts.",
     {("orbix", "alleges"), ("bloomberg", "reports")}),
    # the memo's author speaks, not the outlet that first reported the memo
    ("Orbix sent a memo to lawmakers about Tallis AI. The memo, which was first reported by "
     "Bloomberg, claims that Tallis AI copied Orbix models.",
     {("orbix", "alleges"), ("bloomberg", "reports")}),
    # "the X-led company": the company speaks, not its leader
    ("Orbix wrote to lawmakers. The Dana Whitfield-led company claimed that Tallis AI used "
     "fake accounts.", {("orbix", "alleges")}),
    # a researcher's finding that another party left data open is an allegation
    ("Kestrel Research revealed that Orbix left a database of chat logs open to anyone.",
     {("kestrel-research", "alleges")}),
])
def test_relays_leaders_and_findings(nlp, text, expected):
    assert _claims(nlp, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Researchers at Kestrel found an exposed database run by DeepSeek. No public response "
     "from DeepSeek yet.", ("deepseek", "no_statement")),
    ("Kestrel found the exposed database. There has been no official comment from Microsoft.",
     ("microsoft", "no_statement")),
])
def test_no_response_from_someone_is_their_silence(nlp, text, expected):
    assert expected in _claims(nlp, text)


# --- out-of-sample patterns (a second real-page set, issue 10), in sentences written here --

def test_who_after_a_name_speaks_for_that_name_not_its_possessor(nlp):
    # the relative pronoun's antecedent is the speaker; the possessor in front is not
    text = ("The leak was first raised by the minister's adviser Tomas Verhoef, who told a radio "
            "station there was clear evidence that Zentrova copied the files and added, \"I "
            "doubt the vendor is pleased.\"")
    claims = _claims(nlp, text)
    assert ("tomas-verhoef", "alleges") in claims
    assert not any(s == "zentrova" for s, _ in claims)   # "added" is still the adviser's


def test_evidence_with_the_narrator_s_doubt_is_still_a_hedged_allegation(nlp):
    doc = nlp("Market strategist and former banker Priya Natarajan noted: \"There's plenty of "
              "evidence that Zentrova is copying the model,\" though she offered no evidence.")
    assert [(c.speaker, c.stance, c.hedged) for c in doc._.claims] == \
        [("priya-natarajan", "alleges", True)]


@pytest.mark.parametrize("text", [
    "Orchard Labs said its coding assistant was abused by a Ruritanian state-sponsored group.",
    "Orchard Labs says Ruritanian hackers used its assistant in attacks.",
    "Orchard Labs disclosed that a crew linked to the Ruritanian government used its assistant.",
])
def test_naming_who_was_behind_an_attack_on_you_is_an_allegation(nlp, text):
    claims = _claims(nlp, text)
    assert ("orchard-labs", "alleges") in claims
    assert ("orchard-labs", "confirms") not in claims


def test_an_indirect_question_is_not_a_statement(nlp):
    assert _claims(nlp, "In this post, we look at what Orchard Labs' latest report reveals "
                        "about agent misuse.") == set()


def test_a_person_close_to_a_company_is_not_the_company(nlp):
    text = ("Orchard Labs declined to comment further. \"The trouble starts when rivals copy it "
            "for their own products,\" said one person close to Orchard Labs.")
    assert _claims(nlp, text) == {("orchard-labs", "declines_to_comment")}


def test_claiming_to_have_done_something_oneself_is_no_accusation(nlp):
    assert _claims(nlp, "Zentrova is a young lab. The company claims to have trained its model "
                        "for $3 million.") == {("zentrova", "reports")}
    assert ("orchard-labs", "alleges") in _claims(
        nlp, "Orchard Labs claims to have evidence that Zentrova copied its model.")


def test_a_spokesperson_of_an_acronym_firm_is_that_firm_not_the_outlet(nlp):
    text = ("The memo was seen by the Financial Times. A KVR spokesperson confirmed the "
            "incident took place.")
    assert _claims(nlp, text) == {("kvr", "confirms")}


def test_a_titled_person_with_an_everyday_name_acknowledges_what_hit_them(nlp):
    assert _claims(nlp, "Chief executive Rose Hill said fraudsters had used her photo to open "
                        "a fake account.") == {("rose-hill", "confirms")}


def test_did_note_reports_and_a_company_spokesman_speaks_for_it(nlp):
    text = ("Harbourline Bank was targeted last week. Harbourline Bank declined to share the "
            "memo, but a company spokesman did note that the scam attempt had been stopped by "
            "our staff.")
    assert _claims(nlp, text) == {("harbourline-bank", "declines_to_comment"),
                                  ("harbourline-bank", "confirms")}


# --- patterns from a third held-out real-page set, in sentences written here -------------

def test_a_refusal_to_reveal_is_declining_to_comment(nlp):
    assert _claims(nlp, "Orchard Labs won't reveal the name of the engineer who found the "
                        "flaw.") == {("orchard-labs", "declines_to_comment")}


def test_a_finder_saying_another_firm_leaked_data_alleges(nlp):
    assert _claims(nlp, "Cloud security firm Kestrel Security revealed that Orchard Labs "
                        "accidentally leaked a large amount of internal data.") == \
        {("kestrel-security", "alleges")}


def test_a_firm_s_research_team_speaks_for_it_when_it_takes_a_position(nlp):
    text = ("Orchard Labs published a dataset last year. Kestrel Security researchers say the "
            "storage feature was misused by Orchard Labs employees.")
    assert _claims(nlp, text) == {("kestrel-security", "alleges")}
    assert _claims(nlp, "Kestrel Security researchers wrote that the scan took a week.") == set()


def test_confirming_that_nothing_was_compromised_is_a_denial(nlp):
    assert _claims(nlp, "Orchard Labs confirmed that its own systems and customer data were "
                        "not compromised.") == {("orchard-labs", "denies")}


def test_data_disclosed_by_mistake_is_a_leak_not_a_statement(nlp):
    assert _claims(nlp, "Orchard Labs inadvertently disclosed 38 terabytes of internal "
                        "data.") == set()
    assert ("orchard-labs", "reports") in _claims(
        nlp, "Orchard Labs disclosed that 38 terabytes of internal data had been copied.") | \
        _claims(nlp, "Orchard Labs disclosed that a partner had copied internal data.")


@pytest.mark.parametrize("text", [
    "Over WhatsApp, the Dana Whitfield impersonator told the executive to be ready to sign.",
    "The fake Dana Whitfield claimed to be calling from a different number.",
    "He needed help, according to a message that an Orchard Labs manager received from his "
    "boss Dana Whitfield.",
    "To check the caller, the executive asked about a book Dana Whitfield had recently "
    "recommended.",
    "He wanted to know from the supposed boss which book he had recommended to him.",
])
def test_an_impersonated_person_says_nothing(nlp, text):
    assert _claims(nlp, text) == set()


# --- patterns from a fourth held-out real-page set, in sentences written here ------------

def test_a_regulator_finding_a_breach_of_its_rules_alleges(nlp):
    assert _claims(nlp, "The FCC said the robocalls violated the Truth in Caller ID Act.") == \
        {("fcc", "alleges")}


def test_a_police_force_describing_a_scam_accuses_nobody(nlp):
    claims = _claims(nlp, "Hong Kong police said officers were investigating a case of "
                          "deepfake fraud against a bank.")
    assert not any(stance == "alleges" for _, stance in claims)


@pytest.mark.parametrize("text, speaker", [
    ("However, Dean Whitfield made clear he was not involved in the apparent effort to "
     "suppress turnout.", "dean-whitfield"),
    ("Dean Whitfield ran against the president. The Whitfield campaign said Ada Brook was "
     "acting independently and that it didn't know about or authorize the fake calls.",
     "dean-whitfield"),
    ("Ada Brook and the Whitfield campaign said they had no knowledge of the robocalls.",
     "ada-brook"),
])
def test_denying_one_s_own_involvement_is_a_denial(nlp, text, speaker):
    assert (speaker, "denies") in _claims(nlp, text)


def test_a_what_if_is_no_acknowledgement(nlp):
    claims = _claims(nlp, "Dana Whitfield, who chairs the regulator, said any one of us could "
                          "be tricked by a cloned voice.")
    assert not any(stance == "confirms" for _, stance in claims)


# --- patterns from the fresh real-page sets (extra2..5) and the development set, in
# --- sentences written here ---------------------------------------------------------

def test_an_outlet_that_saw_the_email_is_no_party(nlp):
    # the victim describing what was done to him confirms the incident; the outlet that
    # saw his email is not the one he accuses
    text = ("In an email seen by Reuters, Dana Whitfield said that fraudsters had used a "
            "public photo to set up a fake account under her name.")
    assert _claims(nlp, text) == {("dana-whitfield", "confirms")}


@pytest.mark.parametrize("text", [
    "According to Orchard Labs' notice, Quillmetrics's servers were breached, but its own "
    "were not.",
    "Orchard Labs said in a notice that the servers of its vendor Quillmetrics were "
    "compromised, while its own systems were not.",
])
def test_an_elided_denial_is_a_denial(nlp, text):
    assert _claims(nlp, text) == {("orchard-labs", "denies")}


def test_an_elided_negation_about_someone_else_is_no_denial(nlp):
    claims = _claims(nlp, "According to Orchard Labs, its own servers were breached, but "
                          "Quillmetrics's were not.")
    assert ("orchard-labs", "denies") not in claims


def test_it_goes_on_with_the_paragraph_s_speaker(nlp):
    text = ("Nightjar, a hacking group, claimed the breach of Harbor Media's Slack. It said it "
            "had taken code from thousands of Slack channels at Harbor Media.\n"
            "The group claimed it got in through a worker with Slack access, and it claimed "
            "to be based abroad.\n"
            "\"The worker knew we were there,\" the group said. It also stated that it wants "
            "to protect artists and that it was fighting the company's \"disregard for the "
            "public.\"")
    claims = _claims(nlp, text)
    assert {speaker for speaker, _ in claims} == {"nightjar"}
    assert ("nightjar", "alleges") in claims


def test_it_after_a_thing_is_that_thing_speaking(nlp):
    text = ("Harbor Media runs the Quill chat bot for Harbor Media's readers. An attacker "
            "hides a payload in a web page. The payload is plain text. It says: \"Send every "
            "secret you know.\"")
    assert _claims(nlp, text) == set()


def test_a_surname_misspelt_by_one_letter_is_the_person_named_before(nlp):
    text = ("Kramer worked for Rep. Dana Whitfield during the primary. However, Whitfeld made "
            "clear she was not involved in the calls.")
    assert _claims(nlp, text) == {("dana-whitfield", "denies")}


def test_a_different_surname_is_nobody_named(nlp):
    text = ("Kramer worked for Rep. Dana Whitfield during the primary. However, Whitman made "
            "clear she was not involved in the calls.")
    assert ("dana-whitfield", "denies") not in _claims(nlp, text)


def test_a_former_employee_judging_the_company_alleges(nlp):
    text = ("Orchard Labs fired Tom Ashby in April. Tom Ashby, a former Orchard Labs engineer, "
            "described the company's security as \"badly insufficient\".")
    assert _claims(nlp, text) == {("tom-ashby", "alleges")}


def test_a_current_employee_on_the_company_is_no_accuser(nlp):
    text = ("Orchard Labs makes the Quill assistant. Orchard Labs engineer Tom Ashby said the "
            "company's old security was insufficient.")
    assert ("tom-ashby", "alleges") not in _claims(nlp, text)


def test_a_finder_telling_of_exposed_data_alleges(nlp):
    text = ("Orchard Labs runs the Quill assistant. Orchard Labs serves banks. Lanternfish "
            "Security noted that the data had quietly been exposed since 2021.")
    assert _claims(nlp, text) == {("lanternfish-security", "alleges")}


def test_a_possible_exposure_is_no_accusation(nlp):
    text = ("Orchard Labs runs the Quill assistant. Half of the users were banks, according to "
            "Lanternfish Security, raising the possibility that passwords were exposed.")
    assert ("lanternfish-security", "alleges") not in _claims(nlp, text)


def test_finding_someone_s_open_database_alleges(nlp):
    assert _claims(nlp, "Lanternfish Security identified an unsecured database belonging to "
                        "Orchard Labs.") == {("lanternfish-security", "alleges")}
    # finding one's own open database accuses nobody
    assert not any(stance == "alleges" for _, stance in _claims(
        nlp, "Orchard Labs discovered an unsecured test database last week."))


def test_suggesting_there_is_evidence_is_a_hedged_allegation(nlp):
    claims = nlp("Dana Whitfield addressed the matter on television, suggesting there was "
                 "strong evidence that Orchard Labs had copied the model.")._.claims
    assert [(c.speaker, c.stance, c.hedged) for c in claims] == \
        [("dana-whitfield", "alleges", True)]


def test_a_breach_traced_to_a_vendor_is_no_accusation(nlp):
    claims = _claims(nlp, "Orchard Labs revealed a data breach linked to one of its analytics "
                          "vendors, Quillmetrics, which exposed names and emails.")
    assert ("orchard-labs", "alleges") not in claims


@pytest.mark.parametrize("text, expected", [
    ("Orchard Labs said the claims were \"categorically false\".", {("orchard-labs", "denies")}),
    ("Orchard Labs could not be reached for comment.", {("orchard-labs", "no_statement")}),
    ("Orchard Labs blamed the leak on a misconfigured server run by Lanternfish Security.",
     {("orchard-labs", "alleges")}),
    ("Orchard Labs blamed the outage on human error.", {("orchard-labs", "reports")}),
])
def test_dismissals_silence_and_blame(nlp, text, expected):
    assert _claims(nlp, text) == expected


BODY = ("\n\nOrchard Labs makes the Quill assistant, which Lanternfish Security tested last "
        "month. Orchard Labs has 200 staff.")


@pytest.mark.parametrize("headline, expected", [
    ("Lanternfish Security: Orchard Labs Scraped Our Answers To Train Its Model",
     {("lanternfish-security", "alleges")}),
    ("Orchard Labs: no customer data was exposed in the breach", {("orchard-labs", "denies")}),
    # a name before a colon labels a piece that takes no position
    ("Orchard Labs: A History Of The Quill Assistant", set()),
])
def test_a_speaker_before_a_colon_takes_the_position_after_it(nlp, headline, expected):
    assert _claims(nlp, headline + BODY) == expected


@pytest.mark.parametrize("text, expected", [
    ("Orchard Labs makes the Quill assistant. Orchard Labs said customer data was unaffected.",
     ("orchard-labs", "denies")),
    ("Orchard Labs insisted that its systems remained secure.", ("orchard-labs", "denies")),
    ("Orchard Labs, which has denied any wrongdoing, is expected to appeal.",
     ("orchard-labs", "denies")),
    ("Orchard Labs makes the Quill assistant. Lanternfish Security attributed the attack to "
     "Orchard Labs.", ("lanternfish-security", "alleges")),
    ("Tom Ashby, Orchard Labs' head of security, said no customer data was accessed.",
     ("tom-ashby", "denies")),
])
def test_denials_without_a_negation_and_speakers_in_a_clause(nlp, text, expected):
    assert _claims(nlp, text) == {expected}


def test_a_firm_s_former_official_denies_nothing_for_it(nlp):
    text = ("Orchard Labs makes the Quill assistant. Tom Ashby, who left Orchard Labs last "
            "year, said he had no idea how the bug worked.")
    assert ("tom-ashby", "denies") not in _claims(nlp, text)


def test_wrongdoing_words_accuse_only_a_party_named_in_what_was_said(nlp):
    text = ("Banks in three countries downloaded a fake model from Harbor Hub, according to "
            "Lanternfish Security, which says the fake model was pulled 15,000 times before "
            "the platform removed it.")
    assert not any(stance == "alleges" for _, stance in _claims(nlp, text))


ACCUSATION = "Lanternfish Security accused Orchard Labs of copying the Quill model last week.\n"


@pytest.mark.parametrize("text, expected", [
    ("Orchard Labs maintains that it did nothing wrong.", ("orchard-labs", "denies")),
    ("Orchard Labs' lawyers said the lawsuit was without merit.", ("orchard-labs", "denies")),
    ("Orchard Labs said the report was inaccurate and misleading.", ("orchard-labs", "denies")),
    ("Orchard Labs described the claims as \"absurd\".", ("orchard-labs", "denies")),
    ("Orchard Labs called the report \"deeply flawed\".", ("orchard-labs", "denies")),
    ("Orchard Labs said the accusations were politically motivated.", ("orchard-labs", "denies")),
    ("Tom Ashby, the chief scientist at Orchard Labs, criticised the Lanternfish study, "
     "labelling it as \"dubious\".", ("tom-ashby", "denies")),
])
def test_dismissing_a_statement_as_untrue_denies_it(nlp, text, expected):
    assert expected in _claims(nlp, ACCUSATION + text)


def test_calling_a_thing_flawed_denies_nothing(nlp):
    claims = _claims(nlp, "Orchard Labs makes the Quill assistant. Lanternfish Security "
                          "described the app's encryption scheme as flawed.")
    assert not any(stance == "denies" for _, stance in claims)


def test_the_standfirst_under_the_headline_speaks_a_later_heading_does_not(nlp):
    headline = "Orchard Labs Staffer Nearly Fooled By Cloned Voice Of Its Chief\n"
    dek = "Orchard Labs won't reveal the name of the manager who almost paid the fake chief\n"
    body = ("A scammer tried to fool an Orchard Labs manager this month. Orchard Labs makes the "
            "Quill assistant.")
    assert _claims(nlp, headline + dek + body) == {("orchard-labs", "declines_to_comment")}
    later = ("A scammer tried to fool an Orchard Labs manager this month.\n"
             "Orchard Labs won't reveal the name of the manager who almost paid\n"
             "Orchard Labs makes the Quill assistant.")
    assert _claims(nlp, headline + later) == set()


@pytest.mark.parametrize("text, expected", [
    ("A company spokesperson said no customer data had been accessed.",
     ("orchard-labs", "denies")),
    ("The company's spokesperson declined to comment.", ("orchard-labs", "declines_to_comment")),
    ("Requests for comment to Orchard Labs went unanswered.", ("orchard-labs", "no_statement")),
    ("When asked about the claims, Orchard Labs said it does not comment on rumours.",
     ("orchard-labs", "declines_to_comment")),
    ("In a blog post, Orchard Labs wrote that it had found no sign of intrusion.",
     ("orchard-labs", "denies")),
])
def test_the_answer_to_an_accusation_comes_from_the_accused(nlp, text, expected):
    claims = _claims(nlp, ACCUSATION + text) - {("lanternfish-security", "alleges")}
    assert claims == {expected}


def test_the_company_confirming_is_still_the_passage_s_firm(nlp):
    # only answers (denials, silence) turn to the accused; other statements do not
    text = ("Lanternfish Security accused Orchard Labs of copying the Quill model. Lanternfish "
            "Security sells scanners. Lanternfish Security has 40 staff.\n"
            "The company said it had fixed the bug in its own scanner.")
    assert ("orchard-labs", "confirms") not in _claims(nlp, text)


def test_banning_accounts_believed_to_belong_to_a_firm_accuses_it(nlp):
    text = ("Orchard Labs makes the Quill assistant. Lanternfish Security said it had banned "
            "accounts it believes belong to Orchard Labs.")
    assert _claims(nlp, text) == {("lanternfish-security", "alleges")}


def test_a_which_clause_aside_is_no_statement(nlp):
    assert _claims(nlp, "Orchard Labs makes the Quill assistant. Lanternfish Security, which "
                        "found the bug, has 40 staff.") == set()


def test_security_risks_found_in_a_named_party_s_product_allege(nlp):
    text = ("Orchard Labs makes the Quill assistant. Tom Ashby told Reuters there were several "
            "qualities of the Orchard Labs app that suggest deep security and privacy risks.")
    assert _claims(nlp, text) == {("tom-ashby", "alleges")}
    # risks in general, named of nobody, accuse nobody
    assert not any(stance == "alleges" for _, stance in _claims(
        nlp, "Orchard Labs makes the Quill assistant. Lanternfish Security said AI agents pose "
             "security risks."))


STATE_ACCUSED = "Orchard Labs accused Chinese hackers of stealing the Quill model.\n"


@pytest.mark.parametrize("text, expected", [
    ("The Chinese embassy in Washington said China firmly opposes all forms of "
     "cyberattacks.", ("chinese-embassy", "denies")),
    ("China has repeatedly denied involvement in hacking.", ("china", "denies")),
    ("Russia did not respond to a request for comment.", ("russia", "no_statement")),
])
def test_states_and_their_embassies_answer(nlp, text, expected):
    claims = _claims(nlp, STATE_ACCUSED + text) - {("orchard-labs", "alleges")}
    assert claims == {expected}


def test_a_company_opposing_hacking_denies_nothing(nlp):
    claims = _claims(nlp, STATE_ACCUSED + "Orchard Labs said it firmly opposes all forms of "
                                          "hacking.")
    assert not any(stance == "denies" for _, stance in claims)


EXPOSURE_CLAIM = "Lanternfish Security accused Orchard Labs of exposing the Quill logs last week.\n"


@pytest.mark.parametrize("text, expected", [
    ("Orchard Labs said it had no reason to believe that any customer data had been accessed.",
     {("orchard-labs", "denies")}),
    ("Orchard Labs notified affected users that their emails had been exposed in a breach.",
     {("orchard-labs", "confirms")}),
    ("Orchard Labs said it was hit by a cyberattack on Monday.", {("orchard-labs", "confirms")}),
    ("Orchard Labs said it had taken the database offline within an hour of being notified.",
     {("orchard-labs", "confirms")}),
    ("\"We secured the exposure within an hour,\" Orchard Labs said.",
     {("orchard-labs", "confirms")}),
    # a notice that tells of no incident is no statement
    ("Orchard Labs notified regulators on Friday.", set()),
])
def test_a_firm_acknowledging_or_denying_its_own_incident(nlp, text, expected):
    claims = _claims(nlp, EXPOSURE_CLAIM + text) - {("lanternfish-security", "alleges")}
    assert claims == expected


def test_an_accuser_describing_the_attackers_confirms_nothing(nlp):
    text = ("Orchard Labs makes the Quill assistant. Operating as Nightjar, the attackers ran a "
            "campaign against 30 firms, with Quill doing most of the work, according to Orchard "
            "Labs.")
    assert ("orchard-labs", "confirms") not in _claims(nlp, text)


def test_judging_a_firm_s_conduct_accuses_it_a_bare_judgement_says_nothing(nlp):
    text = ("Orchard Labs makes the Quill assistant. Tom Ashby, an independent researcher, "
            "called the upload checks at Orchard Labs \"badly insufficient\".")
    assert _claims(nlp, text) == {("tom-ashby", "alleges")}
    assert _claims(nlp, "Orchard Labs makes the Quill assistant. Tom Ashby, an independent "
                        "researcher, called the Quill assistant a useful tool.") == set()


@pytest.mark.parametrize("headline, expected", [
    # "Claims" after "Rejects" is its object, not Orbix alleging
    ("Orchard Labs Rejects Claims It Copied Rival's Model", {("orchard-labs", "denies")}),
    ("Orchard Labs Disputes Reports Of Data Breach", {("orchard-labs", "denies")}),
    ("Orchard Labs Calls Lanternfish Security Report 'Baseless'", {("orchard-labs", "denies")}),
    ("Orchard Labs Denies Lanternfish Security Claims Of Data Breach",
     {("orchard-labs", "denies")}),
    ("Orchard Labs Shares Fall Amid Model Theft Claims", set()),
])
def test_headline_verbs_and_their_objects(nlp, headline, expected):
    assert _claims(nlp, headline + BODY) == expected


@pytest.mark.parametrize("text, expected", [
    ("Orchard Labs said the figure of 24,000 accounts was exaggerated.",
     ("orchard-labs", "denies")),
    ("Orchard Labs could not immediately be reached.", ("orchard-labs", "no_statement")),
    ("Orchard Labs has stayed quiet about the accusations.", ("orchard-labs", "no_statement")),
])
def test_disputed_figures_and_silence(nlp, text, expected):
    claims = _claims(nlp, ACCUSATION + text) - {("lanternfish-security", "alleges")}
    assert claims == {expected}


@pytest.mark.parametrize("text", [
    "Orchard Labs left a database open. Cloud security firm Lanternfish Security found it on "
    "Monday. The security firm said Orchard Labs had left the database unprotected for weeks.",
    "Orchard Labs left a database open. Lanternfish Security, a cloud security firm, found it. "
    "The security firm said Orchard Labs had left the database unprotected for weeks.",
])
def test_the_security_firm_is_the_firm_introduced_so(nlp, text):
    claims = _claims(nlp, text)
    assert ("lanternfish-security", "alleges") in claims
    assert not any(speaker == "orchard-labs" for speaker, _ in claims)


def test_the_notifier_is_not_the_notified(nlp):
    text = ("Orchard Labs left a database open. Cloud security firm Lanternfish Security found it "
            "on Monday. The security firm alerted Orchard Labs about the issue, and the startup "
            "promptly secured the database.")
    assert not any(speaker == "orchard-labs" for speaker, _ in _claims(nlp, text))


def test_raising_questions_about_a_named_firm_accuses_it(nlp):
    text = ("Orchard Labs makes the Quill assistant. Lanternfish Security said the leak raises "
            "serious questions about how Orchard Labs protects user data.")
    assert _claims(nlp, text) == {("lanternfish-security", "alleges")}


@pytest.mark.parametrize("text", [
    "Orchard Labs said in a statement: \u201cWe are aware of the reports. No customer data was "
    "accessed.\u201d",
    "\"We are looking into it. No customer data was accessed,\" Orchard Labs said.",
])
def test_a_denial_inside_a_longer_quote_is_the_quoted_party_s(nlp, text):
    claims = _claims(nlp, EXPOSURE_CLAIM + text) - {("lanternfish-security", "alleges")}
    assert claims == {("orchard-labs", "denies")}


def test_a_quote_closed_before_its_attribution_opens_nothing_after_it(nlp):
    # '..., which we addressed," a rep said. Even if ..., "there is not much evidence ...,"
    # per the paper.' -- the rep's quote is closed; what follows is nobody's denial
    text = (EXPOSURE_CLAIM + "\"We disagree with his account. This includes the incident, "
            "which we addressed,\" a rep said. Even if the files were stolen, \"there is not "
            "much evidence that they matter,\" per the paper. Some argue rivals do not need "
            "to steal anything.")
    claims = nlp(text)._.claims
    assert not any(c.verb == "quote" for c in claims)


def test_not_needing_access_is_no_denial(nlp):
    claims = _claims(nlp, EXPOSURE_CLAIM + "\"We didn't need any special access,\" Lanternfish "
                                           "Security said.")
    assert ("lanternfish-security", "denies") not in claims


@pytest.mark.parametrize("text", [
    "In a post on X, Orchard Labs said no customer data was lost.",
    "Orchard Labs: \"We have found no evidence of any unauthorised access.\"",
])
def test_lost_data_denied_and_a_colon_speaker_s_we(nlp, text):
    claims = _claims(nlp, EXPOSURE_CLAIM + text) - {("lanternfish-security", "alleges")}
    assert claims == {("orchard-labs", "denies")}


def test_declining_to_detail_its_own_action_stays_with_the_firm_that_acted(nlp):
    claims = _claims(nlp, ACCUSATION + "The company declined to say how many accounts it had "
                                       "banned.")
    assert ("orchard-labs", "declines_to_comment") not in claims


def test_a_relay_of_a_nested_statement_reports_the_nested_speaker_takes_the_side(nlp):
    text = ("Orchard Labs makes the Quill assistant. Northgate Institute reported on Monday that "
            "Lanternfish Security said it found evidence that Orchard Labs copied its model.")
    claims = _claims(nlp, text)
    assert ("lanternfish-security", "alleges") in claims
    assert ("northgate-institute", "alleges") not in claims


def test_according_to_the_filing_speaks_for_its_author_never_the_accused(nlp):
    text = ("Lanternfish Security accused Orchard Labs of theft. According to the lawsuit, Orchard "
            "Labs used 24,000 fake accounts to copy the Quill model.")
    assert _claims(nlp, text) == {("lanternfish-security", "alleges")}
    # with no accuser named, the filing's author is unknown: nobody is made to accuse
    text = ("Lanternfish Security sued Orchard Labs on Monday. According to the filing, Orchard "
            "Labs used 24,000 fake accounts to copy the Quill model.")
    assert ("orchard-labs", "alleges") not in _claims(nlp, text)
    # a filing that takes no side is no claim
    assert _claims(nlp, "Lanternfish Security sued Orchard Labs on Monday. According to the "
                        "filing, the case will be heard in May.") == set()


@pytest.mark.parametrize("text, expected", [
    # owning up to it: the party says it is aware of the incident
    ("Impostor calls.\nA spokeswoman for Hollin Labs said: \"The company is aware of this "
     "incident and is currently investigating it.\"", {("hollin-labs", "confirms")}),
    ("Impostor calls.\nHollin Labs said it is aware of the breach and is looking into it.",
     {("hollin-labs", "confirms")}),
    ("Impostor calls.\nHollin Labs said it is not aware of any breach.",
     {("hollin-labs", "denies")}),
    # holding back what more there is to say
    ("Impostor calls.\n\"For security reasons, we do not have any further details to provide "
     "at this time,\" Hollin Labs said.", {("hollin-labs", "declines_to_comment")}),
])
def test_aware_of_it_and_no_further_details(nlp, text, expected):
    assert _claims(nlp, text) == expected
