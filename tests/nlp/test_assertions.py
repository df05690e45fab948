"""Slot assertions: what was taken, and where an accusation was made."""

from __future__ import annotations

from aiwire.nlp.assertions import find_assertions


def _slots(nlp, text):
    return {(a.slot, a.value) for a in find_assertions(nlp(text))}


def test_weights_and_outputs(nlp):
    assert _slots(nlp, "Attackers used a compromised API key to pull Claude model weights.") \
        == {("what_taken", "model_weights")}
    assert _slots(nlp, "Fake accounts harvested Claude's answers to train Qwen.") \
        == {("what_taken", "model_outputs")}


def test_venue(nlp):
    assert _slots(nlp, "In a lawsuit filed in federal court, Anthropic accuses Alibaba.") \
        == {("venue", "legal_filing")}
    assert _slots(nlp, "Anthropic laid out its case not in a press release but in a letter "
                       "to officials at the department.") == {("venue", "letter_to_officials")}


def test_negated_is_not_asserted(nlp):
    assert _slots(nlp, "There is no evidence that model weights were stolen.") == set()


def test_extraction_of_weights_and_training_on_outputs(nlp):
    from aiwire.nlp.assertions import find_assertions

    slots = {(a.slot, a.value) for a in find_assertions(nlp(
        "The complaint cites the extraction of weights from the flagship model through a "
        "leaked key."))}
    assert ("what_taken", "model_weights") in slots
    slots = {(a.slot, a.value) for a in find_assertions(nlp(
        "The campaign served the fine-tuning of Brightline's own models using Halcyon's "
        "outputs."))}
    assert ("what_taken", "model_outputs") in slots


def test_who_broke_the_story_and_who_found_the_flaw(nlp):
    from aiwire.nlp.assertions import find_assertions

    def slots(text):
        return {(a.slot, a.value) for a in find_assertions(nlp(text))
                if not a.slot.startswith(("date:", "scope:"))}

    assert ("first_report", "gaming-press") in slots(
        "The leak first surfaced in the gaming press and was later picked up by wire services.")
    assert ("finder", "outside_researcher") in slots(
        "The flaw was discovered by a security researcher who received a $5,000 bounty.")
    assert ("finder", "internal") in slots(
        "Harbour Bank said it detected the issue through internal monitoring systems.")
    assert not any(slot == "first_report" for slot, _ in slots(
        "It was first reported in the trade press and first reported by a local radio "
        "station, depending on whom you ask."))
    # an excerpt that ends on "The": nobody is named
    assert not any(slot == "first_report" for slot, _ in slots(
        "In the email, first reported by The"))


def test_a_persons_role_before_the_name_and_in_an_appositive(nlp):
    def roles(text):
        return {(a.slot, a.value) for a in find_assertions(nlp("Breach at Corvex.\n" + text))
                if a.slot.startswith("role:")}

    assert roles("Ravi Menon, a now former Microsoft board member, said the company ignored "
                 "his warnings about the intrusion.") == {("role:ravi-menon:microsoft", "board")}
    assert roles("Following the intrusion, Microsoft staff engineer Ravi Menon wrote to the "
                 "company's leaders.") == {("role:ravi-menon:microsoft", "staff")}
    assert roles("Microsoft chief executive Ravi Menon said the company ignored the "
                 "warnings.") == {("role:ravi-menon:microsoft", "executive")}
    # a title that is no job of the person's at that organisation
    assert roles("Ravi Menon told Microsoft engineers about the intrusion.") == set()


def test_what_carried_a_prompt_injection(nlp):
    def carriers(text):
        return {a.value for a in find_assertions(nlp("Assistant flaw.\n" + text))
                if a.slot == "injection_carrier"}

    assert carriers("The prompt injection was simple. An attacker sends an email containing "
                    "an instruction to forward the code it finds.") == {"email"}
    assert carriers("In this prompt injection the q parameter in a search URL is read as an "
                    "executable instruction, not a search term.") == {"url_parameter"}
    assert carriers("The prompt injection used hidden instructions placed in a calendar "
                    "invite sent to the victim.") == {"calendar_invite"}
    # a list of carriers names them all, so the article is no side of one of them
    assert carriers("The prompt injection works like this: an attacker embeds hidden "
                    "instructions inside a document, email, or web page the assistant "
                    "reads.") == {"document", "email", "web_page"}
    # the technique in general, not the incident
    assert carriers("In a prompt injection, an attacker could send an email containing "
                    "instructions.") == set()
    assert carriers("Prompt injection, for example instructions hidden in a web page, is "
                    "common.") == set()
    # instructions in an email, with no injection anywhere: a scam's wording, not a carrier
    assert carriers("The bank sent an email containing instructions for resetting "
                    "passwords.") == set()
