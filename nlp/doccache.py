"""Per-document caches: spaCy rebuilds ``doc.text`` and ``doc.sents`` on every access.

Both walk every token; the components ask for them per sentence and per mention, so
they are computed once per document and kept on ``doc.user_data``.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Sequence

from spacy.tokens import Doc, Span

SENTS = "aiwire_sents"
TEXT = "aiwire_text"


def doc_text(doc: Doc) -> str:
    cached = doc.user_data.get(TEXT)
    if cached is None:
        cached = doc.user_data[TEXT] = doc.text
    return cached


def make_doc_with_text(nlp, text: str) -> Doc:
    """``nlp.make_doc(text)`` with :func:`doc_text` already known: spaCy's tokenizer
    keeps every character, so ``doc.text == text`` and rebuilding it from the tokens
    (a walk over all of them) is not needed."""
    doc = nlp.make_doc(text)
    doc.user_data[TEXT] = text
    return doc


def span_text(span: Span) -> str:
    """``span.text`` without walking its tokens: a slice of the cached document text."""
    return doc_text(span.doc)[span.start_char:span.end_char]


def sentences(doc: Doc) -> list[Span]:
    cached = doc.user_data.get(SENTS)
    if cached is None:
        cached = doc.user_data[SENTS] = list(doc.sents)
    return cached


def sentence_ents(ents: Sequence[Span], starts: Sequence[int], sent: Span) -> list[Span]:
    """``sent.ents`` from the document's entities read once (``ents``, sorted, with
    ``starts`` their start tokens): ``Span.ents`` rebuilds every entity of the whole
    document on each call, which per sentence costs the document's length squared."""
    found = []
    for index in range(bisect_left(starts, sent.start), len(ents)):
        ent = ents[index]
        if ent.end > sent.end:
            break
        found.append(ent)
    return found


PARSES = "aiwire_parses"
# {sentence start token}: speaking sentences in which aiwire_parse found no figure pattern
FIGURELESS = "aiwire_figureless"


def parses(doc: Doc) -> dict[int, Doc]:
    """{sentence start token: parsed copy} for sentences aiwire_parse selected."""
    return doc.user_data.get(PARSES, {})
