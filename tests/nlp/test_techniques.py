"""ATLAS tagging: cues per technique, what is not evidence, and the story-level decision.

Every sentence here is invented for the test (fictional firms and products); none comes
from a real article.
"""

from __future__ import annotations

import re

import pytest

from aiwire.nlp.techniques import (candidate_hits, evidence_hits, is_explainer, load_kb,
                                   load_techniques, names_ai, parent_id, parse_kb,
                                   story_techniques, tag_sentences)

# One invented reporting sentence per technique: each must be evidence for its technique.
EXAMPLES = {
    "AML.T0051.001": "Researchers at Vantor Labs planted an indirect prompt injection in a shared "
                     "spreadsheet that steered the Lumenfold assistant.",
    "AML.T0051.000": "The attackers typed a direct prompt injection into the Lumenfold chatbot's "
                     "support window.",
    "AML.T0051": "Vantor Labs said the Lumenfold agent fell to a prompt injection last week.",
    "AML.T0054": "The group jailbroke the Corvid chatbot within hours of its launch.",
    "AML.T0056": "A student got the Corvid chatbot to reveal its hidden system prompt.",
    "AML.T0057": "The Medibot assistant leaked private patient records to strangers.",
    "AML.T0024.002": "Prosecutors say the startup distilled the Corvid model by harvesting "
                     "millions of its answers.",
    "AML.T0024.000": "The team ran a membership inference attack on the Corvid model's "
                     "medical records.",
    "AML.T0024.001": "Researchers used model inversion to rebuild faces from the Tessary "
                     "recognition model.",
    "AML.T0043": "The students printed adversarial stickers that the Tessary vision model "
                 "misread.",
    "AML.T0015": "The gang fooled the bank's AI-based fraud detection with slightly altered "
                 "invoices.",
    "AML.T0029": "A DDoS attack took the Corvid chatbot offline for six hours.",
    "AML.T0005": "The lab trained its own smaller model on answers collected from the Corvid "
                 "model's outputs.",
    "AML.T0040": "The operators queried the Corvid model through its public API for months.",
    "AML.T0021": "The crew registered 3,000 fake developer accounts to reach the Corvid model.",
    "AML.T0055": "Investigators found 900 API keys exposed in public code, many of them for "
                 "AI services.",
    "AML.T0012": "The gang used stolen customer credentials to access accounts on the Pixwell "
                 "AI image service.",
    "AML.T0091.000": "Intruders used stolen OAuth tokens from the chatbot integration to export "
                     "customer records.",
    "AML.T0049": "A researcher found an IDOR flaw in the Corvid AI app that let anyone read "
                 "other users' prompts.",
    "AML.T0010.003": "A backdoored model from the Tessary hub reached hundreds of companies.",
    "AML.T0010.005": "A rogue MCP server copied every email the agent sent to a stranger's "
                     "address.",
    "AML.T0010.001": "Attackers pushed compromised npm packages that went after AI coding "
                     "assistants.",
    "AML.T0058": "The attacker uploaded a booby-trapped model to the hub under a lookalike "
                 "name.",
    "AML.T0011.000": "The model file carried a payload that runs as soon as the model is loaded.",
    "AML.T0020": "The intruders poisoned the training data of the Tessary spam-filter model.",
    "AML.T0070": "The attacker planted forged pages in the assistant's knowledge base to "
                 "steer its answers.",
    "AML.T0080": "The injected text poisoned the Lumenfold assistant's long-term memory.",
    "AML.T0081": "The worm wrote a malicious rules file into each repository so the coding "
                 "assistant would obey it.",
    "AML.T0053": "The malware hijacked local AI coding agents to hunt for wallet files.",
    "AML.T0094": "The planted text used delayed tool invocation so the agent acted a turn "
                 "later.",
    "AML.T0077": "The assistant's reply rendered a markdown image whose address carried the "
                 "user's notes.",
    "AML.T0061": "The researchers built a self-replicating prompt that spread between email "
                 "assistants.",
    "AML.T0060": "Criminals registered packages under names the chatbot had invented, a trick "
                 "known as slopsquatting.",
    "AML.T0096": "The implant used the Assistants API as a covert command-and-control channel.",
    "AML.T0048.004": "Investigators said the intruders stole model weights from the Tessary lab.",
    "AML.T0035": "The gang exfiltrated the lab's training datasets and checkpoints.",
    "AML.T0036": "The AI startup left an unsecured database online, exposing chat logs.",
    "AML.T0025": "The hackers exfiltrated 300 GB of files from the Tessary network.",
    "AML.T0088": "Scammers used a deepfake video of the company's chairman on the call.",
    "AML.T0073": "The caller impersonated the firm's finance director.",
    "AML.T0052": "The campaign sent AI-generated phishing emails to ministry staff.",
    "AML.T0048.000": "Brackenridge Bank lost US$4 million through the scheme.",
    "AML.T0034": "The crew resold access to the hijacked AI accounts on a forum.",
}


def _ids(sentences: list[str]) -> set[str]:
    return {hit.id for hit in candidate_hits(sentences)}


def test_kb_ids_are_atlas_shaped_unique_and_named():
    techniques = load_techniques()
    ids = [t.id for t in techniques]
    assert len(ids) == len(set(ids)) >= 30
    assert all(re.fullmatch(r"AML\.T\d{4}(\.\d{3})?", i) for i in ids)
    assert all(t.name and t.cues for t in techniques)


def test_every_technique_has_an_invented_example():
    assert set(EXAMPLES) == {t.id for t in load_techniques()}


@pytest.mark.parametrize("technique_id", sorted(EXAMPLES))
def test_cue_finds_its_technique(technique_id):
    assert technique_id in _ids([EXAMPLES[technique_id]])


@pytest.mark.parametrize("sentence", [
    "Prompt injection is a type of attack in which hidden text steers a chatbot.",
    "Model extraction refers to copying a model's behaviour through its answers.",
    "Attackers can use deepfakes to trick finance staff into paying.",
    "A jailbroken model could be used to write malware.",
    "What is a jailbreak?",
    "Rotate any API keys that were exposed in public repositories.",
    "In a typical jailbreak, the user asks the chatbot to role-play.",
    "Imagine an assistant that leaks your inbox to anyone who emails you.",
    "Language models are adept at producing realistic audio and video.",
])
def test_explainers_advice_and_hypotheticals_are_not_evidence(sentence):
    assert is_explainer(sentence)
    assert candidate_hits([sentence]) == []


@pytest.mark.parametrize("sentence", [
    "The attackers queried the billing system through its public API.",
    "Thieves downloaded datasets of customer addresses from the retailer.",
    "Intruders hijacked the payroll agents' laptops over the weekend.",
    "The ransomware crew claimed it stole 40 GB of data from the council.",
])
def test_ai_specific_techniques_need_an_ai_artifact(sentence):
    ai_specific = {t.id for t in load_techniques() if t.needs_ai}
    assert not names_ai(sentence) or "agents" in sentence
    assert not (_ids([sentence]) & ai_specific)


def test_ai_artifact_in_the_previous_sentence_counts():
    passage = ["Vantor Labs runs an AI help-desk assistant called Lumenfold.",
               "Its operators queried it through the public API at scale."]
    assert "AML.T0040" in _ids(passage)
    assert "AML.T0040" not in _ids(passage[1:])


@pytest.mark.parametrize("sentence", [
    "Pixwell said no passwords were exposed in the incident.",
    "Customer credentials were not exposed, the company said.",
    "Rather than the model being jailbroken, the group simply paid for access.",
    "The Lumenfold assistant did not leak any private emails.",
])
def test_negated_cues_are_not_evidence(sentence):
    assert candidate_hits([sentence]) == []


def test_non_ai_api_and_bank_accounts_do_not_fire():
    assert _ids(["Fraudsters moved the money into fraudulent accounts at two banks."]) == set()
    assert "AML.T0040" not in _ids(["The AI vendor's OAuth token gave broad API access to "
                                     "Salesforce records."])


def test_evidence_is_the_matching_sentence():
    hits = tag_sentences(["The weather was fine.",
                          "Hidden instructions in emails made the assistant obey strangers."])
    assert [(h.id, h.evidence) for h in hits] == [
        ("AML.T0051.001", "Hidden instructions in emails made the assistant obey strangers.")]


def test_parent_dropped_when_child_tagged():
    ids = {h.id for h in tag_sentences(["An indirect prompt injection hit the Quill assistant."])}
    assert "AML.T0051.001" in ids and "AML.T0051" not in ids


def test_unrelated_text_is_not_tagged():
    assert tag_sentences(["Veridian Semiconductor shares rose 8% on strong earnings."]) == []


def test_evidence_hits_give_one_row_per_distinct_sentence():
    sentences = ["Scammers used a cloned voice of the bank's chief financial officer.",
                 "Scammers used a cloned voice of the bank's chief financial officer.",
                 "The voice clone was generated from interview recordings."]
    rows = [h for h in evidence_hits(sentences) if h.id == "AML.T0088"]
    assert [h.evidence for h in rows] == [sentences[0], sentences[2]]


def _rows(*articles: list[str]) -> list[tuple[str, str, str]]:
    return [(hit.id, hit.evidence, f"article-{n}")
            for n, sentences in enumerate(articles) for hit in evidence_hits(sentences)]


def test_story_needs_more_than_one_weak_sentence():
    weak = "The operators queried the Corvid model through its public API for months."
    assert story_techniques(_rows([weak])) == []
    second = "Their API requests to the Corvid model came from rented servers."
    tagged = story_techniques(_rows([weak], [second]))
    assert [(t.id, t.support, t.source) for t in tagged] == [("AML.T0040", 2, "article-0")]


def test_a_sentence_repeated_by_two_outlets_counts_once():
    weak = "The operators queried the Corvid model through its public API for months."
    assert story_techniques(_rows([weak], [weak])) == []


def test_a_term_of_art_is_enough_on_its_own():
    tagged = story_techniques(_rows(["The group jailbroke the Corvid chatbot on Friday."]))
    assert [t.id for t in tagged] == ["AML.T0054"]


def test_story_keeps_the_child_and_drops_the_parent():
    tagged = story_techniques(_rows(
        ["Vantor Labs said the Lumenfold agent fell to a prompt injection."],
        ["An indirect prompt injection in a calendar invite steered the Lumenfold assistant."]))
    assert [t.id for t in tagged] == ["AML.T0051.001"]


def test_family_support_adds_up_to_the_parent():
    # Two weak sentences, one for each sub-technique of AI supply-chain compromise: neither
    # child is supported on its own, but the family is, so the parent level is reported.
    tagged = story_techniques([
        ("AML.T0010.003", "A backdoored model from the Tessary hub reached customers.", "a"),
        ("AML.T0010.001", "Compromised npm packages went after AI coding assistants.", "b")])
    assert [parent_id(t.id) for t in tagged] == ["AML.T0010"]


def test_threshold_comes_from_the_kb_and_can_be_overridden():
    weak = [("AML.T0040", "The operators queried the Corvid model through its public API.", "a")]
    assert load_kb().story_threshold == 2
    assert story_techniques(weak) == []
    assert [t.id for t in story_techniques(weak, threshold=1)] == ["AML.T0040"]


def test_bad_pattern_names_the_file_and_the_fix():
    with pytest.raises(ValueError, match=r"atlas\.yaml.*AML\.T0001.*fix the regular expression"):
        parse_kb({"techniques": [{"id": "AML.T0001", "name": "X", "cues": ["(unclosed"]}]})


def test_a_reported_demonstration_is_evidence_even_with_could():
    sentence = ("Vantor Labs researchers showed how an attacker could plant hidden instructions "
                "in a calendar invite to steer the Lumenfold assistant.")
    assert not is_explainer(sentence)
    assert "AML.T0051.001" in _ids([sentence])
    assert is_explainer("An attacker could plant hidden instructions in a calendar invite to "
                        "steer the Lumenfold assistant.")


@pytest.mark.parametrize("sentence, technique_id", [
    ("The malicious instructions were quietly injected into the Lumenfold agent's context.",
     "AML.T0051"),
    ("The payload stole session tokens from the Corvid desktop chatbot.", "AML.T0091.000"),
    ("The injected text made the chatbot answer with markdown for an image hosted by the "
     "attacker.", "AML.T0077"),
])
def test_more_mechanism_cues(sentence, technique_id):
    assert technique_id in _ids([sentence])


@pytest.mark.parametrize("sentence, technique_id", [
    ("Attackers exploited a critical flaw in exposed Zephyr inference servers used to host AI "
     "models.", "AML.T0049"),
    ("Thousands of stolen Corvid chatbot logins were sold on a criminal forum.", "AML.T0012"),
    ("Fake Corvid browser extensions stole session cookies from their users.", "AML.T0073"),
    ("Fake Corvid browser extensions stole session cookies from their users.", "AML.T0091.000"),
])
def test_common_incident_shapes(sentence, technique_id):
    assert technique_id in _ids([sentence])


def test_rules_about_what_must_be_done_are_not_evidence():
    sentence = "Deepfakes must be labelled under the new rules, the regulator said."
    assert candidate_hits([sentence]) == []


@pytest.mark.parametrize("sentence, technique_id", [
    ("The AI vendor said attackers embedded malware in a link sent by email.", "AML.T0077"),
    ("The AI lab's owner lost $10 billion in market value on Monday.", "AML.T0048.000"),
    ("Vantor also sells deepfake detection tools to banks.", "AML.T0088"),
    ("A model called Zephyr now powers apps at several retailers.", "AML.T0053"),
    ("The AI startup keeps its code in an open repository on a public forge.", "AML.T0036"),
    ("A command injection flaw let attackers inject commands into the AI framework's server.",
     "AML.T0051"),
])
def test_look_alike_phrasings_do_not_fire(sentence, technique_id):
    assert technique_id not in _ids([sentence])


def test_a_definition_about_this_incident_classifies_it():
    sentence = "This flaw is a form of indirect prompt injection aimed at the Lumenfold assistant."
    assert not is_explainer(sentence)
    assert "AML.T0051.001" in _ids([sentence])
    assert is_explainer("Indirect prompt injection is a form of attack on AI assistants.")


def test_payload_hidden_in_weights_is_not_weight_theft():
    sentence = ("A model on the Tessary hub carried credential-stealing code hidden in its weights "
                "for two weeks.")
    assert "AML.T0048.004" not in _ids([sentence])
    assert "AML.T0073" in _ids(["The upload passed itself off as an improved version of a "
                                "popular open model."])


@pytest.mark.parametrize("pattern, gate", [
    (r"\bdeep-?fak\w*", ("deep",)),
    (r"\b(stole|stolen)\s+x", ("stole", "stolen")),
    (r"^(?=.*\b(foo|bar))baz", ("foo", "bar")),
    (r"^(?!.*\bno\b).*\b(bypass\w*|evade)", ("bypass", "evade")),
    (r"^(?!.*\bno\b)(?=.*\b(attack\w*|crews?)\b).*\bx", ("attack", "crew")),
    (r"\b(prompt templates?|templates?)\b", ("prompt template", "template")),
    (r"\b(a|bc)x", None),            # too short to be worth checking
    (r"(abc)?def", None),            # optional leading group
    (r"abc|def", None),              # top-level alternation
    (r"\b\d+\s?GB", None),           # starts with a class
])
def test_gate_reads_the_literal_start_of_a_pattern(pattern, gate):
    from aiwire.nlp.techniques import _gate

    assert _gate(pattern) == gate


def test_gates_never_hide_a_match():
    # Every sentence in this file, against every cue: a match implies its gate is present.
    sentences = list(EXAMPLES.values()) + [
        "Fraudsters moved the money into fraudulent accounts at two banks.",
        "The AI vendor's OAuth token gave broad API access to Salesforce records.",
        "Vantor Labs researchers showed how an attacker could plant hidden instructions.",
        "Scammers used a cloned voice of the bank's chief financial officer.",
        "Thousands of stolen Corvid chatbot logins were sold on a criminal forum.",
        "The upload passed itself off as an improved version of a popular open model."]
    for technique in load_techniques():
        for cue in technique.cues:
            for sentence in sentences:
                text = " ".join(sentence.split())
                if cue.pattern.search(text) and cue.gate is not None:
                    assert any(g in text.lower() for g in cue.gate), (cue.pattern.pattern, text)


def test_extracting_a_model_implies_access_to_its_inference_api():
    from aiwire.nlp.techniques import story_techniques

    rows = [("AML.T0024.002", "A rival lab distilled the Orla model through millions of "
                              "queries, the company said.", "https://a.example/1")]
    tagged = {t.id: t for t in story_techniques(rows)}
    assert set(tagged) == {"AML.T0024.002", "AML.T0040"}
    assert tagged["AML.T0040"].evidence == tagged["AML.T0024.002"].evidence


def test_imitating_a_person_is_impersonation():
    from aiwire.nlp.techniques import evidence_hits

    assert "AML.T0073" in {h.id for h in evidence_hits(
        ["Robocalls imitating President Dana Holt urged voters to stay home."])}
    assert "AML.T0073" in {h.id for h in evidence_hits(
        ["The callers used software mimicking the voice of the chief executive."])}
    assert "AML.T0073" not in {h.id for h in evidence_hits(
        ["The app can imitate the brush strokes of famous painters."])}


def test_a_risk_named_and_access_restrictions_are_no_technique():
    from aiwire.nlp.techniques import evidence_hits

    assert evidence_hits(["The leaked key gave access to private models, posing risks of "
                          "prompt injection attacks on the firm's AI agents."]) == []
    assert "AML.T0054" not in {h.id for h in evidence_hits(
        ["Staff of the rival lab found ways to circumvent the AI company's access "
         "restrictions and reach its models through proxies."])}
    assert "AML.T0054" in {h.id for h in evidence_hits(
        ["Users found ways to bypass the chatbot's safety restrictions with role-play."])}


# --- out-of-sample misses and false tags, each shape told in invented sentences -------

def test_a_term_of_art_counts_in_the_plural():
    sentence = "Auditors found hidden prompt injections in notes shared with the Lumenfold assistant."
    assert "AML.T0051" in {h.id for h in evidence_hits([sentence]) if h.support == 2}
    assert parent_id(story_techniques(_rows([sentence]))[0].id) == "AML.T0051"


def test_a_word_that_starts_like_a_verb_is_not_that_verb():
    # "on OpenAI's platform" is not "on opening": no unsafe-artifact trigger
    assert "AML.T0011.000" not in _ids(["The breach triggered alarm among firms that build on "
                                        "OpenAI's platform for their chat tools."])
    assert "AML.T0011.000" in _ids(["The planted Tessary file runs its payload the moment "
                                    "the model is opened."])


def test_a_negated_list_negates_every_item():
    assert _ids(["No prompts, API keys, passwords or billing records were exposed, Pixwell "
                 "said."]) == set()
    assert _ids(["None of the chat logs, invoices or credentials were leaked."]) == set()
    # a contrast opens another clause, which is reported as it stands
    assert "AML.T0055" in _ids(["No billing records were lost, but API keys were exposed in a "
                                "public log of the Pixwell AI service."])
    # "no one" is not a negated list
    assert "AML.T0055" in _ids(["No one noticed that the Pixwell AI service had leaked "
                                "passwords in its logs for months."])


def test_an_accidental_leak_is_exposure_not_exfiltration():
    assert "AML.T0025" not in _ids(["The lab's research team accidentally leaked 12 TB of "
                                    "internal files through a shared link."])
    assert "AML.T0025" not in _ids(["Tessary leaked 12 TB of internal files through a "
                                    "shared link."])
    assert "AML.T0025" in _ids(["The ransomware gang leaked 80 GB of the clinic's files on "
                                "its site."])
    assert "AML.T0025" in _ids(["The intruders stole 80 GB of files from the clinic."])


@pytest.mark.parametrize("sentence", [
    "The crew connected the Orla coding agent to MCP servers and port scanners.",
    "Orla's AI agent carried out reconnaissance and credential harvesting inside the "
    "victims' networks.",
    "The operators ran the whole intrusion through MCP servers that the Orla agent called.",
    "Vantor said its coding assistant, Orla Code, was hijacked to probe a dozen networks.",
])
def test_an_agent_driving_tools_is_tool_invocation(sentence):
    assert "AML.T0053" in _ids([sentence])


@pytest.mark.parametrize("sentence", [
    "The AI security vendor performed vulnerability scanning for the bank last spring.",
    "Vantor connected its sales team to new tools for the quarter.",
    "ChatGPT was abused by the crew to draft phishing emails.",
])
def test_tool_invocation_needs_the_agent_to_act(sentence):
    assert "AML.T0053" not in _ids([sentence])


@pytest.mark.parametrize("sentence", [
    "The group tricked the Corvid chatbot into writing ransomware for them.",
    "The Orla model was deceived by the crew into mapping a rival's network.",
    "Vantor said its AI coding tool, Orla Code, was \"manipulated\" by a state-backed crew to "
    "break into 12 firms.",
])
def test_an_ai_deceived_into_acting_is_a_jailbreak(sentence):
    assert "AML.T0054" in _ids([sentence])


@pytest.mark.parametrize("sentence", [
    "An AI-generated voice tricked the clerk into wiring the money.",
    "The crew fooled the bank's staff into trusting an AI-made video call.",
    "A prompt injection tricked the Corvid assistant into forwarding the inbox.",
])
def test_people_deceived_by_ai_are_not_a_jailbreak(sentence):
    assert "AML.T0054" not in _ids([sentence])


def test_a_purpose_clause_is_not_speculation():
    reported = "The crew wired the Orla agent to scanners so it could map the network."
    assert not is_explainer(reported)
    assert "AML.T0053" in _ids([reported])
    assert is_explainer("Attackers could wire an agent to scanners so it could map a network.")


@pytest.mark.parametrize("sentence, technique_ids", [
    ("The robocalls used artificial intelligence to copy the sound of Governor Dana Holt's "
     "voice.", {"AML.T0088", "AML.T0073"}),
    ("Scammers cloned the Brackenridge CEO's voice for the call.", {"AML.T0073", "AML.T0088"}),
    ("Investigators said it took the consultant ten minutes to create the fake audio.",
     {"AML.T0088"}),
])
def test_ai_copying_a_persons_voice_is_a_deepfake(sentence, technique_ids):
    assert technique_ids <= _ids([sentence])


@pytest.mark.parametrize("sentence", [
    "The studio used AI to copy the layout of its old website.",
    "The bill would ban fake audio of candidates in the last week of a campaign.",
    "The firm cloned its customer database to a second region.",
])
def test_copying_that_is_no_deepfake(sentence):
    assert not _ids([sentence]) & {"AML.T0088", "AML.T0073"}


def test_a_story_of_a_hijacked_agent_gets_both_techniques_from_several_reports():
    tagged = {t.id for t in story_techniques(_rows(
        ["Vantor says its AI coding tool, Orla Code, was manipulated to attack 20 firms."],
        ["The crew wired Orla Code to MCP servers so the model could scan the targets."],
        ["Vantor said the attackers tricked the Orla model into believing it was doing a "
         "paid audit."]))}
    assert {"AML.T0053", "AML.T0054"} <= tagged


def test_items_listed_under_what_was_not_exposed_are_negated():
    article = ["Pixwell said an intruder copied analytics records from a vendor.",
               "What was exposed:",
               "- names and e-mail addresses",
               "What was not exposed:",
               "- prompts sent to the Pixwell AI model",
               "- API requests to the model",
               "- passwords and API keys exposed in logs",
               "The company has since cut ties with the vendor."]
    assert _ids(article) == set()
    # the same items under a lead-in that does not negate them are evidence
    spared = article[:3] + ["The intruders also took:"] + article[4:]
    assert {"AML.T0040", "AML.T0055"} <= _ids(spared)
    # the list ends where running text resumes
    assert "AML.T0055" in _ids(article[3:5] + ["Staff found passwords and API keys exposed "
                                               "in logs of the Pixwell AI service."])


@pytest.mark.parametrize("sentence, technique_id", [
    # product news: an agent connected to tools, in no attack
    ("Vantor now lets customers connect its Orla assistant to Slack through MCP servers.",
     "AML.T0053"),
    ("The startup linked its coding agent to GitHub and Jira for enterprise customers.",
     "AML.T0053"),
    ("Analysts said the model performed well on reconnaissance benchmarks.", "AML.T0053"),
    ("The AI agent handled customer refunds and performed data entry for the bank.",
     "AML.T0053"),
    # people, not AI systems, deceived; or an AI persuaded to do nothing harmful
    ("The founder convinced AI investors into backing a second round.", "AML.T0054"),
    ("The chief executive's assistant was tricked into wiring $2 million to the fraudsters.",
     "AML.T0054"),
    ("FBI agents were deceived into raiding the wrong house, the AI-written report claims.",
     "AML.T0054"),
    ("The Orla model was convinced to play chess by the researchers.", "AML.T0054"),
    # a feature copying its own user's likeness; a face-unlock design
    ("The AI feature recreating a user's face in cartoon avatars launched on Tuesday.",
     "AML.T0088"),
    ("The AI lab released a tool that clones a speaker's voice from ten seconds of audio.",
     "AML.T0088"),
    ("Rivals copied Tessary's Face ID design for their AI phones.", "AML.T0073"),
])
def test_new_concept_cues_keep_out_look_alikes(sentence, technique_id):
    assert technique_id not in _ids([sentence])


def test_a_defence_against_impersonation_is_not_impersonation():
    assert "AML.T0073" not in _ids(["The Tessary model that flags brand impersonation on "
                                    "login pages was evaded by the crew."])
    assert "AML.T0073" in _ids(["The crew impersonated the Tessary help desk on the phone."])


def test_network_restrictions_are_not_safety_restrictions():
    assert "AML.T0054" not in _ids(["The script bypassed localhost network restrictions on the "
                                    "Orla agent's gateway."])
    assert "AML.T0054" in _ids(["Users found ways to bypass the Orla chatbot's built-in "
                                "restrictions with a role-play prompt."])


@pytest.mark.parametrize("sentence, technique_id", [
    ("When the Lumenfold assistant next opened the shared folder, the crafted prompt was "
     "executed.", "AML.T0051"),
    ("The intruder fed malicious prompts to the Corvid chatbot during a live session.",
     "AML.T0051"),
    ("The crew used fake reasoning tags to get around the Orla model's safety alignment.",
     "AML.T0054"),
    ("The planted text made the generated output of the Corvid model leak private phone "
     "numbers.", "AML.T0057"),
    ("The intruders gained access to the Pixwell AI console through a compromised staff "
     "account.", "AML.T0012"),
    ("The gang exploited an unpatched flaw in the Zephyr model server to gain initial access.",
     "AML.T0049"),
])
def test_acts_told_in_plain_words(sentence, technique_id):
    assert technique_id in _ids([sentence])


@pytest.mark.parametrize("sentence, technique_id", [
    ("Agents like Orla may execute malicious instructions and leak data such as "
     "passwords through data exfiltration.", "AML.T0053"),
    ("The model card lists the prompts that were executed during the safety review.",
     "AML.T0051"),
    ("Vantor said it blocked 300 compromised accounts before they reached its AI service.",
     "AML.T0012"),
    ("The vendor patched a flaw in the Zephyr model server last week.", "AML.T0049"),
])
def test_plain_word_cues_need_the_act(sentence, technique_id):
    assert technique_id not in _ids([sentence])


@pytest.mark.parametrize("sentence, technique_id", [
    ("Researchers got the Orla chatbot to ignore its rules by asking it to pretend to be a "
     "grandmother.", "AML.T0054"),
    ("The Orla model was tricked into giving instructions for making explosives through "
     "role-play.", "AML.T0054"),
    ("Hidden text on a web page instructed the Orla AI browser to send the user's emails "
     "to a stranger.", "AML.T0051.001"),
    ("The AI-powered browser followed instructions hidden in a forum comment and leaked the "
     "user's one-time code.", "AML.T0051.001"),
    ("The crew used a voice generated by AI to pose as the company's finance chief.",
     "AML.T0088"),
    ("The crew used a voice generated by AI to pose as the company's finance chief.",
     "AML.T0073"),
    ("The researchers coaxed the Corvid model into reciting chunks of its training data, "
     "including names and addresses.", "AML.T0057"),
])
def test_paraphrases_of_the_common_techniques(sentence, technique_id):
    assert technique_id in _ids([sentence])


@pytest.mark.parametrize("sentence, technique_id", [
    ("The ad campaign used images generated by AI for its posters.", "AML.T0088"),
    ("Hidden text in the paper contract told readers to call a number.", "AML.T0051.001"),
    ("The coach got the team to ignore the rules of the old league.", "AML.T0054"),
])
def test_paraphrase_cues_keep_out_look_alikes(sentence, technique_id):
    assert technique_id not in _ids([sentence])


def test_getting_a_chatbot_past_its_filters_is_a_jailbreak_not_evasion():
    sentence = "Users tricked the Corvid chatbot's AI-based safety classifier with role-play."
    assert "AML.T0015" not in _ids([sentence])
    assert "AML.T0015" in _ids(["The malware slipped past the vendor's machine-learning "
                                "detection by padding its files."])


def test_a_surrogate_model_is_a_proxy_model():
    sentence = ("The researchers built a surrogate model of the Tessary spam filter to test their "
                "emails offline.")
    assert "AML.T0005" in {h.id for h in evidence_hits([sentence]) if h.support == 2}


@pytest.mark.parametrize("technique_id, sentence", [
    ("AML.T0036", "A search cluster belonging to the AI startup sat open on the internet with no "
                  "password."),
    ("AML.T0036", "Researchers found the AI firm's database exposed without authentication, "
                  "holding a million chat logs."),
    ("AML.T0055", "The startup's API keys were sitting in a public code repository for months."),
    ("AML.T0055", "A developer accidentally committed the company's Corvid key to a public repo."),
    ("AML.T0010.001", "Attackers slipped a credential stealer into a popular Python library "
                      "used to build AI agents."),
    ("AML.T0012", "The intruders logged in with an employee's stolen password and reached the AI "
                  "lab's internal systems."),
    ("AML.T0048.000", "The finance worker wired $25 million to the fraudsters after the video "
                      "call."),
    ("AML.T0024.002", "The startup is accused of harvesting millions of the Corvid model's answers "
                      "to train a rival model."),
    ("AML.T0056", "A user persuaded the Corvid chatbot to print out its hidden instructions word "
                  "for word."),
    ("AML.T0051.001", "Attackers hid commands in a calendar invite that the Orla assistant later "
                      "carried out."),
    ("AML.T0053", "The poisoned email made the Orla agent call its file-sharing tool and send "
                  "documents to a stranger."),
    ("AML.T0073", "The fraudster pretended to be the company's chief executive on a messaging "
                  "app call."),
    ("AML.T0021", "The operators created thousands of accounts with fake identities to reach the "
                  "Orla model."),
])
def test_plain_tellings_of_common_incidents(technique_id, sentence):
    assert technique_id in _ids([sentence])


@pytest.mark.parametrize("sentence, technique_id", [
    ("The AI startup keeps its databases on servers in Ireland, open only to staff with a "
     "password.", "AML.T0036"),
    ("The AI firm posted its API keys policy on a public page.", "AML.T0055"),
    ("Staff logged in with their own passwords to the AI console.", "AML.T0012"),
    ("The team added a new backdoor detection plugin to the AI library.", "AML.T0010.001"),
    ("The customer paid $20 million to the AI startup for the contract.", "AML.T0048.000"),
    ("The Orla model claimed to be a senior engineer at the company when asked.", "AML.T0073"),
    ("Researchers collected the chatbot's answers to build a benchmark.", "AML.T0024.002"),
    ("The Orla chatbot printed out its hidden instructions when asked.", "AML.T0051.001"),
])
def test_plain_telling_cues_keep_out_look_alikes(sentence, technique_id):
    assert technique_id not in _ids([sentence])


def test_row_level_security_named_is_no_flaw():
    assert "AML.T0049" not in _ids(["Builders of AI apps who are unsure about row-level "
                                    "security should read the Tessary guide."])
    assert "AML.T0049" in _ids(["The AI app builder generated databases with row-level security "
                                "disabled by default."])
    assert "AML.T0049" in _ids(["Hundreds of AI-built apps shipped without row-level security, "
                                "exposing their users' records."])


def test_a_clone_of_someones_voice_is_a_deepfake():
    sentence = ("Crooks used an AI-made clone of a store owner's voice to order a $90,000 "
                "payment.")
    assert "AML.T0088" in _ids([sentence])
    assert "AML.T0088" not in _ids(["The startup sells a clone of a popular note-taking app."])


def test_the_same_week_fixture_stories_get_exactly_their_techniques(nlp):
    """The invented same-week corpus (tests/fixtures/corpus-same-week), each event's
    articles weighed together as one story: every required technique, nothing outside
    what its gold allows (parent level, as the corpus evaluation scores)."""
    from pathlib import Path

    import yaml

    from aiwire.nlp.doccache import make_doc_with_text, sentences, span_text

    fixture = Path(__file__).parents[1] / "fixtures" / "corpus-same-week"
    gold = {e["slug"]: e for e in yaml.safe_load((fixture / "gold.yaml").read_text())["events"]}
    rows: dict[str, list] = {}
    for path in sorted((fixture / "articles").glob("*.txt")):
        body = path.read_text("utf-8").split("\n\n", 1)[1]
        doc = nlp(make_doc_with_text(nlp, body))
        rows.setdefault(path.name.split("__")[0], []).extend(
            (hit.id, hit.evidence, path.name)
            for hit in evidence_hits([span_text(s) for s in sentences(doc)]))
    for slug, event in gold.items():
        found = {parent_id(t.id) for t in story_techniques(rows.get(slug, []))}
        wanted = {parent_id(t) for t in event.get("atlas") or []}
        allowed = wanted | {parent_id(t) for t in event.get("atlas_ok") or []}
        assert wanted <= found <= allowed, (slug, found)


def test_denial_of_service_needs_an_attack_on_a_service():
    assert "AML.T0029" in _ids(["The Corvid chatbot was knocked offline by a DDoS attack on "
                                "Tuesday."])
    assert "AML.T0029" in _ids(["A DDoS attack on the Corvid chatbot's servers lasted six "
                                "hours."])
    assert "AML.T0029" in _ids(["One crafted prompt caused a denial of service in the Corvid "
                                "assistant."])
    assert "AML.T0029" not in _ids(["Vantor sells AI tools that stop DDoS attacks for banks."])


def test_an_app_reachable_without_authentication_is_no_data_store():
    assert "AML.T0036" not in _ids(["Scans found hundreds of Orla agent instances exposed on "
                                    "the internet, some without authentication."])


def test_a_voice_said_to_be_made_by_ai_is_a_deepfake_on_its_own():
    # as plain as "deepfake": one such sentence carries a story, as "deepfake" does
    for sentence in ["Investigators think the caller used AI to copy the mayor's voice.",
                     "The calls carried an artificially created voice that mimicked the "
                     "governor.",
                     "Staff heard a cloned voice of the finance director on the line."]:
        found = {t.id for t in story_techniques(_rows([sentence]))}
        assert "AML.T0088" in found, sentence
    # a person imitating a voice is no machine's work
    assert "AML.T0088" not in {t.id for t in story_techniques(_rows(
        ["The comedian imitated the mayor's voice on the radio show."]))}


def test_fake_ai_packages_and_malware_hidden_in_them_are_a_supply_chain_compromise():
    for sentence in ["Attackers concealed malware in fake AI-related packages on the registry.",
                     "A campaign used typosquatted AI packages on PyPI to spread a stealer.",
                     "The crew embedded a stealer within two AI SDK packages."]:
        assert "AML.T0010.001" in {h.id for h in evidence_hits([sentence])}, sentence
    # a package that detects fakes is no fake package, and no AI is named here
    assert evidence_hits(["The team released a fake news detection package."]) == []
