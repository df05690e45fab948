"""The fast word search and the pattern word gates are exact shortcuts: they must find
what the slow forms find (tests/nlp/test_techniques.py checks the tags themselves).

Sentences are invented for the test; the fixture articles are the repository's own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aiwire.nlp import techniques
from aiwire.nlp.techniques import evidence_hits, load_kb
from aiwire.nlp.words import (WORD_APOSTROPHE_OR_HYPHEN, finditer_after, may_match,
                              needed_strings, whole_words, word_pattern)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

TEXT = ("Acme Acme-Labs said Acme's unit, acme and Acme Acme Acme were hit; x-Acme, "
        "'Acme' and Acme_2 differ. Orb Orb Orb. O'Acme ’Acme Acme")


def _slow(word: str, text: str, before: str = r"[\w-]", tail: str = r"(?![\w-])"):
    return [(m.start(), m.end()) for m in
            re.finditer(rf"(?<!{before}){re.escape(word)}{tail}", text)]


@pytest.mark.parametrize("word", ["Acme", "Acme Acme", "Orb Orb", "acme", "Acme's", "A",
                                  "Labs", "said Acme", "nothing here"])
def test_finditer_after_finds_what_the_look_behind_finds(word):
    fast = [(m.start(), m.end()) for m in whole_words(TEXT, word)]
    assert fast == _slow(word, TEXT)
    fast = [(m.start(), m.end()) for m in whole_words(TEXT, word, WORD_APOSTROPHE_OR_HYPHEN)]
    assert fast == _slow(word, TEXT, r"[\w'’-]")


def test_a_rejected_match_does_not_hide_an_overlapping_one():
    # "xAcme Acme" is rejected at 0 (a letter before it); the word pair starting inside
    # that match, at "Acme Acme", must still be found.
    text = "xAcme Acme Acme."
    assert [m.start() for m in finditer_after(word_pattern("Acme Acme"), text)] == [1 + 5]
    assert [m.start() for m in finditer_after(word_pattern("Acme Acme"), text)] == \
        [s for s, _ in _slow("Acme Acme", text)]


def test_an_empty_word_falls_back_to_the_pattern_itself():
    assert [m.span() for m in whole_words("a b", "")] == \
        [m.span() for m in re.finditer(r"(?<![\w-])(?![\w-])", "a b")]


def test_needed_strings_read_off_the_pattern():
    needs = needed_strings(re.compile(r"\b(stole|took)\b.{0,60}\b(model\s+)?weights\b", re.I))
    assert set(needs) == {frozenset({"stole", "took"}), frozenset({"weights"})}
    assert needed_strings(re.compile(r"\w+|\d", re.I)) == ()        # nothing literal
    assert needed_strings(re.compile(r"^(?=.*\bworm\b)(?!.*\bnot\b)", re.I)) == \
        (frozenset({"worm"}),)                                       # look-ahead kept
    assert not may_match(re.compile(r"\bweights\b", re.I), "the model was copied")
    assert may_match(re.compile(r"\bweights\b", re.I), "the weights were copied")
    assert may_match(re.compile(r"\bweights\b", re.I), None)           # non-ASCII: run it


def test_kelvin_sign_text_is_never_gated():
    # Under IGNORECASE "k" matches the Kelvin sign, which lower() leaves alone: a
    # non-ASCII sentence must always reach the regex engine.
    pattern = re.compile(r"\bleak\b", re.I)
    sentence = "The bot would lea\u212a it."
    assert pattern.search(sentence)
    lowered = sentence.lower() if sentence.isascii() else None
    assert may_match(pattern, lowered)


def _fixture_sentences() -> list[str]:
    lines = []
    for folder in ("corpus-fresh-wording", "corpus-same-week"):
        for path in sorted((FIXTURES / folder / "articles").glob("*.txt")):
            lines += [line for line in path.read_text("utf-8").splitlines() if line.strip()]
    return lines


def test_no_kb_pattern_is_skipped_on_a_sentence_it_matches():
    """Every pattern of the ATLAS KB against every fixture line: the gate may only say
    no where the regex finds nothing."""
    kb = load_kb()
    assert all(cue.needs == needed_strings(cue.pattern) for t in kb.techniques
               for cue in t.cues)      # what _weight checks is what is tested here
    patterns = [cue.pattern for t in kb.techniques for cue in t.cues]
    patterns += [u for t in kb.techniques for u in t.unless]
    patterns += [*kb.ai_terms, *kb.explainer, *kb.elsewhere, *kb.hypothetical,
                 *kb.demonstrated, *kb.classifies]
    sentences = _fixture_sentences()
    assert len(sentences) > 100
    skipped = 0
    for sentence in sentences:
        text = " ".join(sentence.split())
        lowered = text.lower() if text.isascii() else None
        for pattern in patterns:
            if not may_match(pattern, lowered):
                skipped += 1
                assert pattern.search(text) is None, (pattern.pattern, text)
    assert skipped > len(sentences) * len(patterns) // 2     # the gate does skip work


def _reference_hits(sentences, kb):
    """evidence_hits as it was before the shortcuts: every technique's gate against every
    sentence, every cue through the regex engine."""
    texts = [" ".join(s.split()) for s in sentences]
    lowered = [t.lower() for t in texts]
    present = [techniques._present_gates(t, kb) for t in lowered]
    denied = techniques._under_negated_lead(texts)
    hits = []
    for technique, gate in zip(kb.techniques, kb.technique_gates):
        seen: set[str] = set()
        for i, text in enumerate(texts):
            if (gate is not None and gate.isdisjoint(present[i])) or lowered[i] in seen:
                continue
            weight = techniques._weight(technique, text, present[i])
            if not weight or denied[i] or not text or techniques.is_explainer(text, kb) or \
                    (technique.needs_ai and not (techniques.names_ai(text, kb) or (
                        i > 0 and techniques.names_ai(texts[i - 1], kb)))):
                continue
            seen.add(lowered[i])
            hits.append((technique.id, text, weight))
    return hits


def test_evidence_hits_equal_the_plain_loop(monkeypatch):
    kb = load_kb()
    tagged = 0
    for folder in ("corpus-fresh-wording", "corpus-same-week"):
        for path in sorted((FIXTURES / folder / "articles").glob("*.txt")):
            lines = path.read_text("utf-8").splitlines()
            fast = [(h.id, h.evidence, h.support) for h in evidence_hits(lines, kb)]
            with monkeypatch.context() as patched:
                patched.setattr(techniques, "may_match", lambda pattern, lowered: True)
                patched.setattr(techniques, "_holds", lambda needs, lowered: True)
                slow = _reference_hits(lines, kb)
            assert fast == slow, path.name
            tagged += bool(fast)
    assert tagged >= 10          # most fixture articles describe a technique
