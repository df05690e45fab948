"""Headlines and standfirsts as claims: the name before the verb of a Title-Case
headline is its subject; the sentence under the headline speaks like it."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from aiwire.nlp.discourse import SPEAKER_TYPES
from aiwire.nlp.doccache import doc_text, span_text
from aiwire.nlp.entities import Mention
from aiwire.nlp.parsing import title_case


def is_standfirst(doc: Doc, sent: Span) -> bool:
    """The line right under the headline, written as a sentence ("Orbix won't say who
    was fooled by the call"): the page's summary of its news, set as a heading."""
    text = doc_text(doc)
    own = span_text(sent).strip()
    start = text.find(own, sent.start_char) if own else -1
    if start < 0:
        return False
    lines = [line for line in text[:start].split("\n") if line.strip()]
    if len(lines) != 1 or not text[:start].endswith("\n"):
        return False             # not the second line of the page
    return len(own.split()) >= 8 and not title_case(own) and not own.endswith("?")


def headline_subject(sent: Span, match: re.Match, mentions: list[Mention]) -> str | None:
    """In a Title-Case headline the name right before the verb is its subject ("Orbix
    Rejects Claims ..."), however the parser reads the capitalised line."""
    text = span_text(sent)
    if not title_case(text):
        return None
    cue_at = sent.start_char + match.start()
    starts = {sent.start_char + len(text) - len(text.lstrip())} | {
        sent.start_char + a.end() for a in re.finditer(r"[:,;]\s+", text)}
    before = [m for m in mentions if m.type in SPEAKER_TYPES and m.start in starts
              and 0 <= cue_at - m.end <= 1]
    return before[-1].id if before else None
