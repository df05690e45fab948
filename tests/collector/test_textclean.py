"""Text repair: mojibake, emoji debris and AI-summary chrome out of what NLP reads."""

from __future__ import annotations

from aiwire.collector.textclean import (clean_text, is_glued_headlines, prune_chrome, repair,
                                        repair_keep_quotes)

ARTICLE = " ".join(["Anthropic said Alibaba used fake accounts to distil Claude."] * 12)


def test_mojibake_is_repaired():
    assert repair("Alibabaâ€™s shares fell 4.9% â€” a 16-month low") == \
        "Alibaba's shares fell 4.9% — a 16-month low"
    assert repair_keep_quotes("CafÃ© â€œAIâ€\x9d") == "Café “AI”"


def test_emoji_debris_is_stripped_and_chrome_paragraphs_dropped():
    text = ("🚨 Breaking 🔥 Alibaba shares slide\n30-Second TL;DR\nRelated Updates\n"
            "Weekly AI Recap\nNew phishing kit targets banksHospitals hit by ransomwareLab "
            "sues over scraping\nThe company denied the claims.")
    cleaned = clean_text(text)
    assert cleaned.splitlines() == ["Breaking Alibaba shares slide",
                                    "The company denied the claims."]


def test_glued_headlines_detection_spares_real_sentences():
    assert is_glued_headlines("Breach at bankNew phishing kitLab sued")
    assert not is_glued_headlines("OpenAI and DeepMind said the iPhone app was safe. "
                                  "McDonald's agreed.")


def test_prune_chrome_removes_summary_boxes_but_keeps_the_article():
    html = (f"<html><body><div class='tldr'><h3>30-Second TL;DR</h3><p>Short bot summary."
            f"</p></div><article><p>{ARTICLE}</p></article><aside><h3>Related Updates</h3>"
            f"<ul><li>Other story</li></ul></aside><section><h2>Weekly AI Recap</h2>"
            f"<p>Recap text</p></section></body></html>")
    pruned = prune_chrome(html)
    assert ARTICLE in pruned
    for gone in ("Short bot summary", "Other story", "Recap text"):
        assert gone not in pruned


def test_prune_chrome_never_drops_the_article_itself():
    html = f"<html><body><div><h2>Timeline</h2><p>{ARTICLE}</p></div></body></html>"
    assert ARTICLE in prune_chrome(html)


def test_prune_chrome_survives_garbage():
    assert prune_chrome("") == ""


def test_utf8_read_as_cp874_is_repaired_or_dropped():
    from aiwire.collector.textclean import clean_text

    # Our own sentences, mangled the way a UTF-8 page read as cp874 is: curly quotes and
    # dashes leave a lone U+0E42, emoji leave U+0E50 and a letter, bullets U+0E42+letter.
    mangled = ("\u0e50\u0e01Board of Harbour Bank met on Monday\n"
               "- \u0e42\u0e02The bank\u0e42s auditors found 300 forged invoices \u0e42 "
               "and flagged them.\n"
               "Officials called it \u0e42routine\u0e42 in a statement.")
    cleaned = clean_text(mangled)
    assert not any("\u0e00" <= ch <= "\u0e7f" for ch in cleaned)
    assert "bank's auditors found 300 forged invoices - and flagged them" in cleaned
    assert 'called it "routine" in' in cleaned
    thai = "\u0e02\u0e48\u0e32\u0e27\u0e27\u0e31\u0e19\u0e19\u0e35\u0e49"
    assert clean_text(thai) == thai          # a page in Thai is left alone


def test_other_stories_after_a_loose_heading_are_dropped():
    # Flat paragraphs: no box element holds the teasers, only their heading announces them.
    teasers = ["Floods closed two bridges in Norvale county on Sunday, Mayor Ida Brenn said.",
               "Ferry operator Calloway Lines won a port contract in Dunmere."]
    html = ("<html><body><article>" + "".join(f"<p>{ARTICLE}</p>" for _ in range(3)) +
            "<p>More from The Harbour Gazette</p><ul><li>Video</li></ul>" +
            "".join(f"<p>{t}</p>" for t in teasers) + "</article></body></html>")
    pruned = prune_chrome(html)
    assert ARTICLE in pruned
    for gone in ("More from", "Ida Brenn", "Calloway Lines", "Video"):
        assert gone not in pruned
    text = "\n".join([ARTICLE] * 3 + ["You may also like"] + teasers)
    assert clean_text(text) == "\n".join([ARTICLE] * 3)


def test_an_early_other_stories_heading_drops_only_itself():
    # When most of the page follows the heading, it is an inline link, not a trailing box.
    tail = "The lab said it had rotated every key the next morning."
    html = (f"<html><body><article><p>{ARTICLE}</p><p>Related stories</p>"
            + f"<p>{ARTICLE} {tail}</p>" * 2 + "</article></body></html>")
    pruned = prune_chrome(html)
    assert tail in pruned and "Related stories" not in pruned
    text = "\n".join([ARTICLE, "Read next", ARTICLE, tail, ARTICLE])
    assert clean_text(text) == "\n".join([ARTICLE, ARTICLE, tail, ARTICLE])
