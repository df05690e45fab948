"""Entities: KB ahead of NER, linking, junk filters, CVEs."""

from __future__ import annotations


def _ids(nlp, text):
    return {m.id for m in nlp(text)._.mentions}


def test_reference_case_names_are_linked(nlp):
    text = ("Anthropic accused Alibaba of distilling Claude into Qwen. Alibaba Cloud denied it, "
            "and BABA shares fell. The AI lab said Claude 3.5 Sonnet outputs were scraped.")
    ids = _ids(nlp, text)
    assert {"anthropic", "alibaba", "claude", "qwen"} <= ids
    assert not any(i in ids for i in ("ai", "the-ai-lab"))


def test_generic_model_junk_is_dropped(nlp):
    doc = nlp("AI firms use GPUs. The API served Ã©lÃ¨ve traffic via SSH and HTML pages.")
    assert {m.id for m in doc._.mentions} == set()


def test_cve_and_atlas_ids(nlp):
    doc = nlp("Orchard Labs patched CVE-2026-41872, an example of AML.T0051 in the wild.")
    by_id = {m.id: m.type for m in doc._.mentions}
    assert by_id.get("cve-2026-41872") == "CVE"
    assert by_id.get("aml.t0051") == "TECHNIQUE"
    assert "cve-2026" not in by_id


def test_short_forms_link_to_the_full_name(nlp):
    text = ("Parallax said the attack was contained. Parallax Robotics, a startup in Boston, "
            "builds robot arms. Dana Whitfield, Parallax's chief executive, said little. "
            "Whitfield declined to comment further.")
    doc = nlp(text)
    ids = [m.id for m in doc._.mentions]
    assert "parallax" not in ids
    assert ids.count("parallax-robotics") >= 3
    assert ids.count("dana-whitfield") >= 2


def test_account_handles(nlp):
    doc = nlp("The model was posted by an account named nova-ai-labs. The nova-ai-labs "
              "account is gone.")
    assert [m.id for m in doc._.mentions].count("nova-ai-labs") == 2


# --- evidence for names the knowledge base does not know (issue 10, item 4) -------------
# Every sentence below is invented for these tests.

from aiwire.nlp.evidence import (in_running_text, is_everyday, is_heading_line, is_jargon,  # noqa: E402
                                 looks_mojibake)


def _by_id(nlp, text):
    return {m.id: m.type for m in nlp(text)._.mentions}


def test_heading_lines_give_no_new_names_but_link_known_ones(nlp):
    text = ("Key Takeaways\n"
            "Velmora Systems Denies Anthropic Breach Claims\n"
            "The company said on Monday that the intrusion had been contained, and that "
            "no customer records had left its network.")
    ids = _ids(nlp, text)
    assert "anthropic" in ids                    # a known name still links in a heading
    assert not {"key-takeaways", "velmora-systems"} & ids


def test_a_name_in_running_text_is_kept(nlp):
    ids = _ids(nlp, "Investigators at Velmora Systems said the intrusion began in March, "
                    "and Velmora Systems has since rotated every key.")
    assert "velmora-systems" in ids


def test_heading_guess():
    assert is_heading_line("Select Page")
    assert is_heading_line("Quorvix Accuses Rival Of Copying Its Model Weights")
    assert not is_heading_line("Quorvix accused a rival of copying its model weights, "
                               "according to a filing seen on Tuesday.")


def test_block_roles_from_the_extractor_win_over_the_guess():
    text = "Follow the Velmora Systems team for more updates on this story today."
    assert in_running_text(text, 11)
    assert not in_running_text(text, 11, roles=[(0, len(text), "chrome")])


def test_everyday_phrases_by_general_english_frequency():
    assert is_everyday("Full Story") and is_everyday("Market Focus")
    assert not is_everyday("Velmora Systems") and not is_everyday("Quorvix")


def test_technical_jargon_is_never_an_entity(nlp):
    for term in ("MFA", "WAF", "CVSS", "PoC", "GDPR", "SOC", "KMS", "EDR", "OAuth", "Pickle"):
        assert is_jargon(term), term
    ids = _ids(nlp, "The intruders bypassed MFA, slipped past the WAF and an EDR agent, and "
                    "the flaw scored 9.1 on CVSS; a PoC appeared within days on a SOC forum.")
    assert not {"mfa", "waf", "edr", "cvss", "poc", "soc"} & ids


def test_descriptors_are_stripped_from_names(nlp):
    by_id = _by_id(nlp, "Cybersecurity company Velmora Systems said the kit was sold online. "
                        "Meanwhile the AI startup Quorvix Labs denied any involvement.")
    assert "velmora-systems" in by_id and "quorvix-labs" in by_id
    assert not any(i.startswith(("cybersecurity", "ai-startup")) for i in by_id)


def test_possessives_and_suffixes_normalise_to_the_known_name(nlp):
    ids = _ids(nlp, "Replit AI pushed a fix after Replit's agent deleted a database. "
                    "Alibaba's shares slid, and McDonald's said its hiring bot was offline.")
    assert {"replit", "alibaba", "mcdonalds"} <= ids
    assert not {"replit-ai", "mcdonald", "alibabas"} & ids


def test_a_common_word_does_not_link_to_a_company(nlp):
    ids = _ids(nlp, "Our threat-intel write-ups gather intel from many feeds every week.")
    assert "intel" not in ids
    assert "intel" in _ids(nlp, "Intel shares rose 2% after the chipmaker's results.")


def test_mojibake_fragments_are_never_entities(nlp):
    assert looks_mojibake("Weâve") and looks_mojibake("Analysisโธ Show")
    assert not looks_mojibake("Zürich") and not looks_mojibake("Renée Tan")
    ids = _ids(nlp, "Weâve tracked the group for months, Velmora Systems said.\n"
                    "Analysisโธ Show more about Velmora Systems below in this report.")
    assert not {"weave", "weve", "analysis-show"} & ids


def test_an_outlet_is_not_a_person(nlp):
    by_id = _by_id(nlp, "Dark Reading reported the flaw first, and Tom's Hardware later "
                        "confirmed it with the vendor.")
    assert by_id.get("dark-reading") == "ORG"
    assert by_id.get("toms-hardware") == "ORG"
    assert not [t for t in by_id.values() if t == "PERSON"]


def test_threat_groups_are_recognised_by_their_naming_scheme(nlp):
    by_id = _by_id(nlp, "Analysts tied Storm-0417 to UNC4821, and later to APT 61, while "
                        "APT28 kept its distance.")
    assert by_id.get("storm-0417") == "THREAT_ACTOR"
    assert by_id.get("unc4821") == "THREAT_ACTOR"
    assert by_id.get("apt61") == "THREAT_ACTOR"
    assert by_id.get("apt28") == "THREAT_ACTOR"


def test_run_in_labels_file_names_and_cut_off_words_are_not_names(nlp):
    ids = _ids(nlp, "• Velmora Findings: the scanner reads CLAUDE.md and settings.json "
                    "files for hidden instructions, Quorvix Labs said.\nThe last word is Zentr")
    assert "velmora-findings" not in ids and "zentr" not in ids
    assert not any("md" in i.split("-") for i in ids)
    assert "quorvix-labs" in ids


def test_a_rare_lone_name_the_model_calls_a_person_is_an_organisation(nlp):
    ids = _ids(nlp, "Zentrix said on Friday that it had been defrauded. Zentrix, an "
                    "engineering consultancy, told staff to verify every transfer request.")
    assert "zentrix" in ids


def test_names_in_page_furniture_are_dropped(nlp):
    ids = _ids(nlp, "Anthropic said on Monday that the accounts had been closed.\n"
                    "Follow us on Facebook and Instagram")
    assert "anthropic" in ids
    assert not {"facebook", "instagram"} & ids


def test_an_everyday_first_word_is_not_a_short_form(nlp):
    doc = nlp("The Bank of England held rates on Thursday. Bank officials gave no "
              "reason, and the Bank of England declined to comment.")
    assert [m.text for m in doc._.mentions if m.id == "bank-of-england"] == [
        "Bank of England", "Bank of England"]


def test_an_owner_before_a_possessive_splits_off(nlp):
    ids = _ids(nlp, "Brightfield Labs fixed it. Hidden text made Brightfield Labs' Pennant "
                    "assistant leak mail, and Pennant was updated.")
    assert {"brightfield-labs", "pennant"} <= ids
    assert "brightfield-labs-pennant" not in ids


def test_an_imperative_verb_is_not_part_of_a_name(nlp):
    ids = _ids(nlp, "Researchers said the Quarry Loop attack hides in config files. "
                    "Detect Quarry Loop attacks before you detect anything else.")
    assert "quarry-loop" in ids and "detect-quarry-loop" not in ids


def test_an_appositive_with_a_role_makes_a_person(nlp):
    by_id = _by_id(nlp, "Ines Caldera, a threat researcher at Velmora Systems, said the gang "
                        "had changed tactics. Caldera expects more attacks.")
    assert by_id.get("ines-caldera") == "PERSON"


def test_people_with_common_names_are_kept_but_not_everyday_pairs(nlp):
    ids = _ids(nlp, "The report was shared with journalists by Emma Best, who runs the "
                    "archive. Watch Next, the group said, would follow.")
    assert "emma-best" in ids and "watch-next" not in ids
    assert not is_everyday("WikiLeaks") and not is_everyday("NASA")


def test_a_handle_that_published_something_is_an_entity(nlp):
    ids = [m.id for m in nlp("Two more repositories published by quiet-fox-models were "
                             "removed. The quiet-fox-models uploads had 900 downloads.")._.mentions]
    assert ids.count("quiet-fox-models") == 2


def test_names_survive_mojibake_punctuation_but_not_garbled_emoji_labels(nlp):
    text = ("A model posing as a tuned version of Metaโs Llama was found by Quarrystone "
            "Security, the firm said.\n"
            "๐ฎ Outlook Summary Velmora analysis grounded in cited sources")
    ids = _ids(nlp, text)
    assert "quarrystone-security" in ids
    assert not any(i.startswith(("outlook-summary", "velmora")) for i in ids)


def test_known_names_in_a_takeaway_box_still_link(nlp):
    doc = nlp("Key Takeaways\n- Anthropic says fake accounts queried Claude\n"
              "Anthropic said on Monday that the accounts had been closed.")
    assert [m.id for m in doc._.mentions][:2] == ["anthropic", "claude"]


def test_an_acronym_of_the_trade_does_not_make_a_phrase_a_name():
    assert is_everyday("Applied AI") and is_everyday("AI Impression Tour")
    assert not is_everyday("Quorvix AI")


# --- out-of-sample patterns (a second real-page set, issue 10), in sentences written here --

def test_a_short_acronym_is_a_party_when_the_text_treats_it_as_one(nlp):
    from aiwire.nlp.evidence import acronym_as_party

    assert acronym_as_party("A KVR spokesperson said it was fixed.", "KVR")
    assert acronym_as_party("KVR's network was hit.", "KVR")
    assert acronym_as_party("Dana Holt, chief executive of KVR, resigned.", "KVR")
    assert not acronym_as_party("The KVR flaw was patched on Friday.", "KVR")
    assert "kvr" in _by_id(nlp, "A KVR spokesperson confirmed the incident on Monday.")
    assert "kvr" not in _by_id(nlp, "Attackers abused the KVR interface on Monday.")


def test_a_person_named_with_everyday_words_needs_a_title(nlp):
    from aiwire.nlp.evidence import person_by_role

    assert person_by_role("Chief executive Rose Hill said so.", "Rose Hill")
    assert person_by_role("Rose Hill, chief executive of KVR, said so.", "Rose Hill")
    assert person_by_role("In an email, Ms Hill wrote that it failed.", "Hill")
    assert not person_by_role("The Rose Hill estate was sold.", "Rose Hill")
    found = _by_id(nlp, "Rose Hill, chief executive of KVR, was targeted. Ms Hill said the "
                        "attempt failed.")
    assert found.get("rose-hill") == "PERSON"


def test_a_firm_the_model_took_for_a_people_is_an_organisation(nlp):
    """The small model calls unfamiliar one-word firms a nationality or a place now and
    then; an appositive that makes it a business, or its spokesperson, says it is an
    organisation. Real groups keep their label and stay out."""
    found = _by_id(nlp, "Database exposed.\nA database belonging to Vennis, the maker of the "
                        "Lumo coding assistant, exposed logs of customer traffic, a researcher "
                        "found.\n\"No customer files were touched,\" a Vennis spokesperson "
                        "said.")
    assert found.get("vennis") == "ORG"
    plain = _by_id(nlp, "Database exposed.\nSeveral Norwegian officials said the logs were "
                        "open for a week.")
    assert "norwegian" not in plain
    platform = _by_id(nlp, "Records leaked.\nResearchers reached 40 million applicant "
                           "records held by Quenta, a conversational hiring platform used by "
                           "large retailers. The test account had a weak password.")
    assert platform.get("quenta") == "ORG"


def test_in_a_text_the_model_cannot_read_only_names_stand(nlp):
    """A page in another language: its capitalised nouns are no names. Known names stay,
    and a word that is no common word in any of the usual news languages and recurs."""
    german = ("Betrug am Telefon.\nDer Anbieter Veltrano meldet einen Vorfall. Ein Anrufer "
              "gab sich mit einer geklonten Stimme als Chef aus und schrieb dem Mitarbeiter "
              "auch auf WhatsApp. Der Mitarbeiter von Veltrano meldete den Anruf sofort der "
              "Sicherheitsabteilung, und Veltrano sagt, es sei kein Schaden entstanden. Die "
              "Firma warnt alle Kunden vor solchen Anrufen und bittet um Vorsicht bei jeder "
              "Nachricht, die angeblich von der Geschäftsleitung kommt.")
    found = _by_id(nlp, german)
    assert "sicherheitsabteilung" not in found and "geschaftsleitung" not in found
    assert "whatsapp" in found
    assert set(found) <= {"whatsapp", "veltrano"}


def test_an_occupation_before_a_full_name_makes_a_person(nlp):
    found = _by_id(nlp, "Database exposed.\nA database belonging to Vennis exposed logs of "
                        "customer traffic, researcher Ivo Brandt found. Brandt said the logs "
                        "were public.")
    assert found.get("ivo-brandt") == "PERSON"


def test_a_name_on_the_next_line_is_no_tail_of_a_known_name(nlp):
    found = _by_id(nlp, "Agency chief speaks.\nPhoto: Reuters\nDana Mercer, chief executive "
                        "of the agency group, said staff had been warned about cloned voices.")
    assert found.get("dana-mercer") == "PERSON"


def test_a_service_known_by_its_lower_case_web_address_is_a_name(nlp):
    found = _by_id(nlp, "Companion app breached.\nA hacker copied the prompts of users of "
                        "velvi.ai, a companion chatbot site. The velvi.ai breach leaked "
                        "emails. Its help page is at https://docs.example.io/help once.")
    assert found.get("velviai") == "ORG"
    assert not any("example" in entity for entity in found)   # inside a URL, and once
