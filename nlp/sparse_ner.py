"""The statistical NER, run only on sentences that can hold a name or a date.

A sentence whose words after the first are all lower case (or known names, or words
that are never names: "AI", "API"), with no digits that can date, no date word and an
everyday opening word ("The attackers then moved on.") cannot give aiwire an entity:
the linker drops lower-case spans, known names come from the KB ruler (which still sees
every sentence and whose names the model keeps) and dates need a year, a month or a
date word. Such sentences are a quarter to a third of news text, and NER is the largest
cost of the analysis, so ``aiwire_ner`` hands the model a copy of the document without
them and maps the entities back. Sentences that stay keep their neighbours, so the
model sees the same context around every name except across a removed sentence.

Within a sentence that stays, the model reads a window of tokens around each reason it
is run for (a name, a date), and where a window reaches its sentence's start or end, the
neighbouring sentence's end or start it saw before: the model decides a token from the
four tokens either side (its convolution's reach) and the entity being built, so a long
stretch of lower-case words between two names changes nothing it finds (on the sample,
realworld-dev, the fixtures and 300 bench articles, one record changed: a version
number, "18.95.0", no longer read as a date), while it was over a third of the tokens
the model read.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Sequence

from spacy.attrs import ENT_IOB, IDX, IS_PUNCT, IS_SPACE, LENGTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc, Span

from aiwire.nlp.doccache import doc_text, sentences, span_text
from aiwire.nlp.entities import JUNK
from aiwire.nlp.evidence import zipf
from aiwire.nlp.parsing import BatchedComponent
from aiwire.nlp.words import may_match

# A word that dates an event ("last week", "two years ago", "yesterday", "March").
DATE_HINT = re.compile(r"day\b|week|month|year|quarter|decade|century", re.I)
EVERYDAY_OPENING = 5.6     # wordfreq zipf: "The", "It", "But", "This", "When", "After"
#                           (not "China" 5.1 or "Security" 5.2: those may be names)
WHOLE_DOC_SHARE = 0.9      # when this much of a document needs NER, run it on all of it
WINDOW = 6                 # tokens of its sentence the model reads either side of a reason
EDGE = 4                   # tokens of a neighbour sentence a window at a sentence end sees
# Digits that can be (part of) a date or a length of time: a year, a decade ("1990s",
# "'90s"), a day and month written with a slash ("9/11"), a number of days, hours or
# minutes ("for 11 days"). Other numbers give the model counts, money and percentages,
# which aiwire reads with its own patterns, never from the NER.
DATE_DIGITS = re.compile(r"(?<![0-9])(?:1[89][0-9][0-9]|20[0-9][0-9])(?![0-9])|[0-9]0s\b|"
                         r"[0-9]\s*/\s*[0-9]|['’][0-9][0-9]\b|"
                         r"[0-9][\s-]*(?:days|hours?|hrs?|minutes?|mins?|nights?|seconds?)\b",
                         re.I)
DIGIT = re.compile(r"[0-9]")    # what every DATE_DIGITS match holds
IN_ENTITY = (1, 3)         # ENT_IOB of a token inside an entity already set (I, B)
# In a sentence the model reads, more words a date or a length of time is made of ("three
# days later", "the next morning", "two hours ago"): its window must hold them all.
DATE_PARTS = re.compile(r"days\b|hours?\b|minutes?\b|nights?\b|mornings?\b|evenings?\b|"
                        r"afternoons?\b|later\b|ago\b|earlier\b", re.I)
# Capitalised words the linker never keeps as a name ("AI", "API", "UK", "CEO"); weekdays
# stay: the model's DATE entities are read.
NEVER_NAMES = frozenset(JUNK - {"monday", "tuesday", "wednesday", "thursday", "friday",
                                "saturday", "sunday"})


def token_columns(doc: Doc) -> list[list[int]]:
    """Per token: is space, is punctuation, character offset, length, trailing space,
    entity IOB (the KB ruler's names, set before the model runs); read in one pass over
    the C data (a ``Token`` object per token costs more than the test it is made for)."""
    return doc.to_array([IS_SPACE, IS_PUNCT, IDX, LENGTH, SPACY, ENT_IOB]).T.tolist() \
        if len(doc) else [[], [], [], [], [], []]


def needs_ner(sent: Span, columns: Sequence[list[int]] | None = None) -> bool:
    """Whether the model may find a name or a date in this sentence: a letter or digit
    outside ASCII (a script without capitals, or mojibake), digits that can date
    something, or a date word; a capitalised word after the first that no known name
    covers; or a capitalised first word that is not an everyday opening and no known
    name covers. Words are the tokens that are neither space nor punctuation.

    The rest cannot give aiwire an entity: the linker drops spans without a capital,
    the model keeps the KB ruler's names as they are, and only DATE entities are read
    among the model's numeric ones. A curly quote or a dash is no reason to run it.
    ``columns``: :func:`token_columns` of the document, when known."""
    return bool(reasons(sent, columns))


def reasons(sent: Span, columns: Sequence[list[int]] | None = None) -> list[int]:
    """The tokens that make :func:`needs_ner` say yes, in order (none: it says no), and
    when there are any, the sentence's other parts of dates (:data:`DATE_PARTS`)."""
    doc = sent.doc
    space, punct, idx, length, _, iob = columns if columns is not None \
        else token_columns(doc)
    full = doc_text(doc)
    text = span_text(sent)
    found: set[int] = set()
    # (speed only) the date patterns try every position: an ASCII sentence without one
    # of their words (``may_match``), or without a digit, is not scanned
    lowered = text.lower() if text.isascii() else None
    spans = [m.span() for m in DATE_HINT.finditer(text)] \
        if may_match(DATE_HINT, lowered) else []
    if DIGIT.search(text):
        spans += [m.span() for m in DATE_DIGITS.finditer(text)]
    if lowered is None:
        spans += [(at, at + 1) for at, ch in enumerate(text)
                  if ch.isalnum() and not ch.isascii()]
    if spans:
        found.update(_tokens_at(sent, idx, spans))
    first = -1
    for i in range(sent.start, sent.end):
        if space[i] or punct[i]:
            continue
        if first < 0:
            first = i
        elif full[idx[i]].isupper() and iob[i] not in IN_ENTITY and \
                full[idx[i]:idx[i] + length[i]].lower() not in NEVER_NAMES:
            found.add(i)
    if first >= 0 and iob[first] not in IN_ENTITY:
        word = full[idx[first]:idx[first] + length[first]]
        if word[:1].isupper() and zipf(word) < EVERYDAY_OPENING:
            found.add(first)
    if found and may_match(DATE_PARTS, lowered) and DATE_PARTS.search(text):
        # (window anchors, not reasons alone)
        found.update(_tokens_at(sent, idx, [m.span() for m in DATE_PARTS.finditer(text)]))
    return sorted(found)


def _tokens_at(sent: Span, idx: list[int], spans: list[tuple[int, int]]) -> set[int]:
    """The sentence's tokens that the character ``spans`` (in the sentence) fall in."""
    found: set[int] = set()
    offset = sent.start_char
    starts = idx[sent.start:sent.end]
    for lo, hi in spans:
        i = sent.start + max(bisect_right(starts, offset + lo) - 1, 0)
        while i < sent.end and idx[i] < offset + hi:
            found.add(i)
            i += 1
    return found


def ner_tokens(sent: Span, columns: Sequence[list[int]]) -> list[int]:
    """The sentence's tokens the model reads for its own sake: those within
    :data:`WINDOW` of a reason to run it (none when there is no reason). The model
    decides each token from the tokens up to four either side (its convolution) and the
    entity it is in, so a name or a date with six tokens of its sentence around it reads
    as in the whole sentence; a long stretch of lower-case words between two names is
    left out."""
    kept: list[int] = []
    for i in reasons(sent, columns):
        lo = max(sent.start, i - WINDOW, kept[-1] + 1 if kept else sent.start)
        kept.extend(range(lo, min(sent.end, i + WINDOW + 1)))
    return kept


def doc_ner_tokens(doc: Doc, columns: Sequence[list[int]]) -> list[int]:
    """The document's tokens the model reads: each needed sentence's :func:`ner_tokens`,
    and where a window reaches the start (end) of its sentence, the :data:`EDGE` last
    (first) tokens of the needed sentence before (after) it: what that window's reach
    saw when whole sentences were read."""
    needed = [(sent, kept) for sent in sentences(doc)
              if (kept := ner_tokens(sent, columns))]
    extra: list[set[int]] = [set() for _ in needed]
    for n in range(1, len(needed)):
        (before, before_kept), (after, after_kept) = needed[n - 1], needed[n]
        if after_kept[0] == after.start:
            extra[n - 1].update(range(max(before.start, before.end - EDGE), before.end))
        if before_kept[-1] == before.end - 1:
            extra[n].update(range(after.start, min(after.end, after.start + EDGE)))
    index: list[int] = []
    for (_, kept), more in zip(needed, extra):
        index.extend(sorted(more.union(kept)) if more else kept)
    return index


class SparseNER(BatchedComponent):
    """``ner`` over the tokens :func:`doc_ner_tokens` keeps, batched like ``ner.pipe``."""

    def __init__(self) -> None:
        self.ner = None

    def use_ner(self, ner) -> None:
        self.ner = ner

    def _run(self, docs: list[Doc]) -> list[Doc]:
        inputs: list[Doc] = []
        maps: list[list[int] | None] = []
        for doc in docs:
            columns = token_columns(doc)
            index = doc_ner_tokens(doc, columns)
            if len(index) >= WHOLE_DOC_SHARE * len(doc):
                inputs.append(doc)
                maps.append(None)
            else:
                inputs.append(_copy_of(doc, index, columns))
                maps.append(index)
        for doc, found, index in zip(docs, self.ner.pipe(inputs), maps):
            if index is not None:
                _map_back(doc, found, index)
        return docs


def _copy_of(doc: Doc, index: list[int], columns: Sequence[list[int]] | None = None) -> Doc:
    """A doc of the tokens ``index`` (ascending), with the KB ruler's entities that lie
    whole and unbroken among them."""
    _, _, idx, length, spacy, _ = columns if columns is not None else token_columns(doc)
    full = doc_text(doc)
    words = [full[idx[i]:idx[i] + length[i]] for i in index]
    spaces = [bool(spacy[i]) for i in index]
    copy = Doc(doc.vocab, words=words, spaces=spaces)
    at = {original: position for position, original in enumerate(index)}
    preset = [Span(copy, at[e.start], at[e.end - 1] + 1, label=e.label)
              for e in doc.ents if e.start in at and e.end - 1 in at
              and at[e.end - 1] - at[e.start] == e.end - 1 - e.start]
    copy.set_ents(preset)
    return copy


def _map_back(doc: Doc, found: Doc, index: list[int]) -> None:
    """The copy's entities onto ``doc``: the ruler's own spans stay as they were (they
    carry the knowledge-base id), the model's new ones are added."""
    ents: list[Span] = list(doc.ents)
    preset = {(e.start, e.end): e for e in ents}
    taken = {i for e in ents for i in range(e.start, e.end)}
    for ent in found.ents:
        start, end = index[ent.start], index[ent.end - 1] + 1
        if end - start != ent.end - ent.start or (start, end) in preset:
            continue      # across a removed sentence, or the ruler's entity itself
        if any(i in taken for i in range(start, end)):
            continue
        ents.append(Span(doc, start, end, label=ent.label))
        taken.update(range(start, end))
    doc.set_ents(sorted(ents, key=lambda e: e.start))


@Language.factory("aiwire_ner")
def make_sparse_ner(nlp: Language, name: str) -> SparseNER:
    return SparseNER()
