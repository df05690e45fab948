"""The sentence copy aiwire_parse parses is the sentence: same words, same spacing.

Invented sentences; the copy is read from the document's token columns instead of
``Token`` objects, which must not change what the parser sees.
"""

from __future__ import annotations

from aiwire.nlp.doccache import make_doc_with_text, sentences
from aiwire.nlp.parsing import _copy, _spelling

TEXT = ("Quorvane Systems said on Tuesday that 40,000 records were exposed.\n"
        "“It was a mistake,” a spokesperson said — adding that the café's staff were "
        "not affected.  Two spaces, then a tab\tand a line.\n\nThe end")


def test_the_copy_spells_the_sentence_as_spacy_does(nlp):
    doc = make_doc_with_text(nlp, TEXT)
    doc = nlp.get_pipe("sentencizer")(doc)
    spelling = _spelling(doc)
    for sent in sentences(doc):
        expected = sent.as_doc()
        for copy in (_copy(sent), _copy(sent, spelling)):
            assert [t.text for t in copy] == [t.text for t in expected]
            assert [t.whitespace_ for t in copy] == [t.whitespace_ for t in expected]
            assert copy.text == expected.text and copy.text.strip() == sent.text.strip()
            assert len(list(copy.sents)) == 1
