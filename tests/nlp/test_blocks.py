"""Reading a page as structure: headlines, headings, boxes, captions and running text."""

from __future__ import annotations

from aiwire.nlp.blocks import BODY, CAPTION, CHROME, HEADING, HEADLINE, LIST, classify_lines

PAGE = [
    "Fjordline Accuses Rival Of Copying Its Routing Model",
    "Key Takeaways",
    "- Fjordline says a rival copied its model.",
    "- Shares moved.",
    "Fjordline said on Monday that 12,000 fake accounts queried its routing model.",
    "The affected data included:",
    "- customer names and email addresses,",
    "- delivery notes.",
    "What Happened Next",
    "Photo: a delivery van in Oslo (Getty Images)",
    "Share this article",
    "By Ingrid Holm | 3 min read",
    "The rival denied the claims in a statement.",
]


def test_roles_follow_the_shape_of_lines():
    roles = classify_lines(PAGE)
    assert roles[0] == HEADLINE
    assert roles[1] == CHROME and roles[2] == CHROME and roles[3] == CHROME   # a summary box
    assert roles[4] == BODY
    assert roles[6] == LIST and roles[7] == LIST       # items of a sentence ending in ':'
    assert roles[8] == HEADING
    assert roles[9] == CAPTION
    assert roles[10] == CHROME and roles[11] == CHROME
    assert roles[12] == BODY


def test_roles_reach_the_document(nlp):
    from aiwire.nlp.blocks import is_body

    doc = nlp("\n".join(PAGE))
    bodies = [s.text for s in doc.sents if is_body(s)]
    assert any("12,000 fake accounts" in s for s in bodies)
    assert not any("Key Takeaways" in s or "Share this" in s for s in bodies)


def test_share_prices_are_not_share_buttons():
    from aiwire.nlp.blocks import line_role

    assert line_role("Shares of Orchard Labs closed 3% lower on Friday.") == BODY
    assert line_role("Homeland security officials said the breach was contained.") == BODY
    assert line_role("Share this article") == CHROME


def test_a_long_paragraph_after_a_box_heading_is_the_lead():
    roles = classify_lines(["Vexa Sues Rival", "Quick take",
                            "Vexa, a Lisbon AI lab, said on Monday that a rival had used 18,000 "
                            "fake accounts to copy its model over six weeks, and that it had "
                            "filed a complaint in a Lisbon court seeking damages and an order to "
                            "stop the queries.", "The rival denied it."])
    assert roles[2] == BODY and roles[3] == BODY


def test_the_last_line_is_its_own_sentence(nlp):
    doc = nlp("First line of text.\nLast Heading\nA sentence after it.")
    assert [s.text.strip() for s in doc.sents][-2:] == ["Last Heading", "A sentence after it."]


def test_ends_sentence_is_the_terminal_pattern():
    """The fast end-of-sentence test agrees with TERMINAL on every short string of the
    characters that matter (stops, closers, Unicode spaces, letters), seeded."""
    import random

    from aiwire.nlp.blocks import TERMINAL, ends_sentence

    alphabet = list("a .!?…:;\"”’')](\n\t\x1c\x85\u200b\u2028\u3000")
    rng = random.Random(14)
    samples = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 7)))
               for _ in range(40000)]
    samples += ["It ended.", "It ended.)  ", "It ended. )", "No stop", "Quote: \u201cyes.\u201d\n"]
    assert sum(ends_sentence(s) for s in samples) > 1000       # both answers are exercised
    for sample in samples:
        assert ends_sentence(sample) == bool(TERMINAL.search(sample)), repr(sample)


def test_a_credit_line_is_still_found_through_its_word_gate():
    from aiwire.nlp.blocks import line_role

    assert line_role("A server room in Lisbon. (Photo: Dana Ruiz)") == CAPTION
    assert line_role("Engineers inspect the rack (file photo)") == CAPTION
    assert line_role("The rack was inspected by engineers on Monday morning.") == BODY
