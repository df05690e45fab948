"""The selective parser's quick scans answer exactly what the consumers' own scans answer.

``parsing.has_stance_cue`` stands for "any of claims' stance cues matches" and
``figures.holds_figure`` for "any figure pattern matches"; both only skip work (a cue
that cannot match, a family whose required text is absent) and change the order of
the search. Each is compared with the plain definition on invented sentences and on
seeded random strings built from the words the patterns look for.
"""

from __future__ import annotations

import random

from aiwire.nlp.claims import STANCE_CUES
from aiwire.nlp.figures import PATTERNS, holds_figure
from aiwire.nlp.parsing import STANCE_ORDER, has_stance_cue, likeliest_first

SENTENCES = [
    "Velmora declined to comment on the report.",
    "A spokesperson for Tarn did not immediately respond to a request for comment.",
    "The company has not issued a statement since the leak.",
    "Orbix denied that any customer data was taken.",
    "It called the allegations baseless and politically motivated.",
    "The firm confirmed the breach on Friday.",
    "The lab is aware of the incident and is investigating.",
    "Regulators accused the startup of hiding the flaw.",
    "The researchers said the weights were copied over three nights.",
    "According to the filing, about 24,000 accounts were created.",
    "The attackers then moved on to the build server.",
    "Nothing in the logs pointed to the intruders.",
    "Die Firma lehnte einen Kommentar ab, sagte ein Sprecher.",
    "“We cannot share further details,” Ms. Okafor said.",
    "Shares of Lumatek fell 4.2% to a 16-month low.",
    "The gang asked for US$ 499,000 in bitcoin.",
    "Roughly 3.5 GB of chat logs leaked.",
    "The package was downloaded more than 12,000 times.",
    "Two million pounds sterling was moved overnight.",
    "Version 2 of the tool ships next month.",
    "It hit a 52-week high before the news broke.",
    "The stock closed at its lowest level in more than 10 years.",
    "Nine of the ten staff were told on the day.",
]

# Words and phrases the cues and figure patterns look for, and everyday filler.
PIECES = [
    "said", "says", "told", "according to", "declined", "to", "comment", "refused",
    "would not", "confirm", "did not", "respond", "has not", "issued", "a statement",
    "denied", "rejects", "called", "the claims", "baseless", "were", "exaggerated",
    "confirmed", "admits", "is aware of", "the", "incident", "accused", "alleged",
    "claims", "blamed", "attributed", "unreachable", "remained", "silent", "no",
    "further", "details", "could", "be", "shared", "went", "unanswered", "n't", "’t",
    "wouldn’t", "can’t", "say", "found", "suggests", "there", "made it clear",
    "4.9%", "per cent", "percent", "$", "US$", "€", "£", "¥", "RMB", "dollars",
    "million", "billion", "thousand", "25,000", "3", "twelve", "accounts", "users",
    "GB", "TiB", "bytes", "times", "downloaded", "16-month", "low", "high", "lowest",
    "in", "since", "years", "week", "and", "of", "it", "company", "firm", "Velmora",
    "data", "records", "was", "taken", ",", ".", "\"", "“", "”", "—", "é", "straße",
]


def _random_texts(count: int, seed: int = 14) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(PIECES) for _ in range(rng.randint(1, 14)))
            for _ in range(count)]


def test_stance_scan_answers_as_any_stance_cue():
    texts = SENTENCES + _random_texts(6000)
    answers = [has_stance_cue(text) for text in texts]
    assert answers == [any(p.search(text) for _, p in STANCE_CUES) for text in texts]
    assert sum(answers) > 1000 and len(answers) - sum(answers) > 1000   # both occur


def test_every_stance_is_scanned_once():
    ordered = likeliest_first(STANCE_CUES, STANCE_ORDER)
    assert sorted(map(id, ordered)) == sorted(id(p) for _, p in STANCE_CUES)
    assert ordered[0] is dict(STANCE_CUES)["reports"]


def test_figure_scan_answers_as_any_figure_pattern():
    texts = SENTENCES + _random_texts(6000, seed=15)
    answers = [holds_figure(text) for text in texts]
    assert answers == [any(p.search(text) for _, p in PATTERNS) for text in texts]
    assert sum(answers) > 1000 and len(answers) - sum(answers) > 1000


def test_scope_patterns_are_searched_whenever_they_can_match():
    """scope.find_scope skips a pattern when ``may_match`` says the sentence lacks a word
    it needs; on every string a pattern matches, ``may_match`` must say it may."""
    from aiwire.nlp import scope
    from aiwire.nlp.words import may_match

    rng = random.Random(16)
    slots = [["", "No", "none of the", "only a small number of", "64 million", "Attackers",
              "it did not access", "there is no evidence that", "hackers have"],
             ["", "customer", "IP", "any", "the"],
             ["records", "emails", "data", "flaw", "passwords", "addresses", "bug"],
             ["", "were", "was", "had been", "have been", "has not been", "is being"],
             ["accessed", "exposed", "exploited", "misused", "leaked", "abused", "taken",
              "used against", "exploited in the wild", "stolen"],
             ["", "in the wild", "so far", "by attackers", ".", "victims noticed"]]
    texts = []
    for _ in range(6000):
        words = [rng.choice(slot) for slot in slots]
        for _ in range(rng.randint(0, 3)):                  # noise anywhere
            words.insert(rng.randint(0, len(words)), rng.choice(PIECES))
        text = " ".join(w for w in words if w)
        texts.append(text.upper() if rng.random() < 0.1 else text)
    patterns = [scope.WILD_NEGATED, scope.WILD_ASSERTED, scope.DATA_NEGATED,
                scope.DATA_BOUNDED, scope.DATA_ASSERTED, scope.LISTED_HINT]
    matched = 0
    for text in texts:
        for pattern in patterns:
            if pattern.search(text):
                matched += 1
                assert may_match(pattern, text.lower()), (pattern.pattern[:40], text)
    assert matched > 1000


def test_date_patterns_are_searched_whenever_they_can_match():
    """sparse_ner.reasons skips DATE_HINT and DATE_PARTS when ``may_match`` rules them
    out, and DATE_DIGITS when the sentence has no digit."""
    from aiwire.nlp.sparse_ner import DATE_DIGITS, DATE_HINT, DATE_PARTS, DIGIT
    from aiwire.nlp.words import may_match

    pieces = ["three", "days", "later", "Monday", "yesterday", "last", "week", "2024",
              "'90s", "1990s", "9/11", "for 11 days", "12-hour", "the next morning", "ago",
              "earlier", "two", "years", "a decade", "QUARTER", "Century", "this", "month",
              "overnight", "hours", "minutes", "evening", "afternoon", "it", "moved", "on",
              "Tuesday", "’99", "24 hrs", "30 mins", "5 nights", "10 seconds", ","]
    rng = random.Random(17)
    texts = [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 10)))
             for _ in range(6000)]
    counted = 0
    for text in texts:
        lowered = text.lower() if text.isascii() else None
        for pattern in (DATE_HINT, DATE_PARTS):
            if pattern.search(text):
                counted += 1
                assert may_match(pattern, lowered), (pattern.pattern[:30], text)
        if DATE_DIGITS.search(text):
            counted += 1
            assert DIGIT.search(text), text
    assert counted > 3000


ARTICLE = (
    "Lumatek Says 40,000 Accounts Were Exposed\n"
    "Lumatek said on Tuesday that 40,000 customer accounts were exposed in March.\n"
    "The company has 12 offices and two of them were closed.\n"
    "Shares of Lumatek fell 4.2% to a 16-month low, and the firm paid a $2 million fine.\n"
    "Nine engineers worked on the fix for three weeks.\n"
    "It said it had no further comment.\n"
    "Version 2 of the tool ships next month, one person said.\n")


def test_figures_skipping_the_gates_figureless_sentences_find_the_same(nlp):
    """aiwire_parse marks the speaking sentences where no figure pattern matches;
    figures skip them and find exactly what a full scan finds."""
    from aiwire.nlp.doccache import FIGURELESS, make_doc_with_text

    parser = nlp.get_pipe("aiwire_parse")
    original = parser._run
    marked: list[set[int]] = []

    def keep(docs, clear: bool):
        out = original(docs)
        for doc in out:
            marked.append(set(doc.user_data[FIGURELESS]))
            if clear:
                doc.user_data.pop(FIGURELESS)
        return out

    found = []
    for clear in (False, True):
        parser._run = lambda docs, clear=clear: keep(docs, clear)
        try:
            doc = nlp(make_doc_with_text(nlp, ARTICLE))
        finally:
            parser._run = original
        found.append([(f.kind, f.value, f.unit, f.subject, f.start) for f in doc._.figures])
        assert FIGURELESS not in doc.user_data          # dropped with the other caches
    assert found[0] == found[1] and len(found[0]) >= 4
    sents = {s.start: s.text for s in doc.sents}
    assert marked[0] and all(not holds_figure(sents[start]) for start in marked[0])
