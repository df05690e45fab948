"""Per-document caches: spaCy rebuilds ``doc.text`` and ``doc.sents`` on every access.

Both walk every token; the components ask for them per sentence and per mention, so
they are computed once per document and kept on ``doc.user_data``.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

SENTS = "aiwire_sents"


def doc_text(doc: Doc) -> str:
    cached = doc.user_data.get("aiwire_text")
    if cached is None:
        cached = doc.user_data["aiwire_text"] = doc.text
    return cached


def span_text(span: Span) -> str:
    """``span.text`` without walking its tokens: a slice of the cached document text."""
    return doc_text(span.doc)[span.start_char:span.end_char]


def sentences(doc: Doc) -> list[Span]:
    cached = doc.user_data.get(SENTS)
    if cached is None:
        cached = doc.user_data[SENTS] = list(doc.sents)
    return cached


PARSES = "aiwire_parses"


def parses(doc: Doc) -> dict[int, Doc]:
    """{sentence start token: parsed copy} for sentences aiwire_parse selected."""
    return doc.user_data.get(PARSES, {})
