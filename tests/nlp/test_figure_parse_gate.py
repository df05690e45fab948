"""A figure's sentence is parsed only when the parse can name whose figure it is.

Invented sentences. Without a named organisation, product or threat group in the
sentence, and without a word standing for one ("the company", "the model"), the parse
reading of ``figures`` finds nobody, so neither ``aiwire_parse`` nor ``figures`` parses
the sentence for its figures; the figures come out as with the parse.
"""

from __future__ import annotations

from aiwire.nlp import figures
from aiwire.nlp.doccache import sentences, span_text
from aiwire.nlp.parsing import wants_parse

TEXT = ("Quorvane Systems said the intruders copied 40,000 customer records.\n"
        "About 12,000 files were copied in total.\n"
        "Investigators counted 3,000 phishing emails sent to staff.\n"
        "The company had already lost $2 million to a similar scheme.\n"
        "Shares of Quorvane fell 4% in early trading.\n")


def _figures(doc) -> list[tuple]:
    return [(f.kind, f.value, f.unit, f.subject, f.start) for f in doc._.figures]


def test_sentences_without_a_party_are_not_parsed_for_their_figures(nlp):
    doc = nlp(TEXT)
    gated = [span_text(s).strip() for s in sentences(doc) if span_text(s).strip()
             and not figures.parse_can_name(s, doc._.mentions)]
    assert gated == ["About 12,000 files were copied in total.",
                     "Investigators counted 3,000 phishing emails sent to staff."]
    for sent in sentences(doc):
        if span_text(sent).strip() in gated:
            assert not wants_parse(sent)
    named = next(s for s in sentences(doc) if span_text(s).startswith("Quorvane"))
    stands_for = next(s for s in sentences(doc) if span_text(s).startswith("The company"))
    assert figures.parse_can_name(named, doc._.mentions)
    assert figures.parse_can_name(stands_for, doc._.mentions)


def test_the_gate_changes_no_figure(nlp, monkeypatch):
    gated = _figures(nlp(TEXT))
    assert len(gated) >= 4
    monkeypatch.setattr(figures, "parse_can_name", lambda sent, mentions: True)
    assert _figures(nlp(TEXT)) == gated       # every sentence parsed, same figures


def test_figures_parse_nothing_on_their_own(nlp, monkeypatch):
    """Every parse the figures read was made in aiwire_parse's batch (a sentence parsed
    alone costs more): none is made inside the figures component."""
    alone = []
    original = figures.FigureExtractor._parse

    def spy(self, sent):
        before = len(self._parses)
        found = original(self, sent)
        if len(self._parses) > before:
            alone.append(span_text(sent))
        return found

    monkeypatch.setattr(figures.FigureExtractor, "_parse", spy)
    doc = nlp(TEXT)
    assert doc._.figures and alone == []
