"""Selective dependency parsing: only the sentences where a parse pays for itself.

The statistical NER runs on every token; the parser runs only on sentences with a
reporting cue (claims) or a number (figures), batched across the documents that
``nlp.pipe`` hands over. Parses are kept per sentence on ``doc.user_data`` for the
claims and figures components to share.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator, Sequence

from spacy.attrs import IDX, LENGTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc, Span

from aiwire.nlp.doccache import (FIGURELESS, PARSES, doc_text, sentence_ents, sentences,
                                 span_text)
from aiwire.nlp.words import may_match


def wants_parse(sent: Span, ents: Sequence[Span] | None = None,
                starts: Sequence[int] | None = None,
                figureless: set[int] | None = None) -> bool:
    """Whether a consumer will read this sentence's parse. The parse costs more than the
    rest of the analysis, so the tests are the consumers' own, up to where they read it:

    * claims: a sentence of a speaking block (headline, body, list) with a stance cue,
      unless it is in Title Case (claims parses those itself, lower-cased);
    * figures: a sentence of a speaking block with a figure pattern (whose figure) and
      someone for the parse to find (``figures.parse_can_name``);
    * dates: running text with a date that passes every check made before the parse is
      read (``dates.date_candidates``: which event it dates).

    A sentence left out that a consumer still asks for gets parsed on its own by that
    consumer (the same parse, unbatched); dates read no parse they were not given, so
    their test here is theirs exactly. ``ents`` and ``starts`` are the document's
    entities and their start tokens, read once per document by the caller
    (``sent.ents`` rebuilds them all on every call). ``figureless``: a set to which the
    start of a speaking sentence no figure pattern matches is added (figures then skip
    it instead of scanning it again)."""
    from aiwire.nlp.blocks import is_body
    from aiwire.nlp.dates import date_candidates
    from aiwire.nlp.figures import HAS_NUMBER, holds_figure, parse_can_name

    text = span_text(sent)
    if speaks(sentence_role(sent.doc, sent)):
        # (figures first: most sentences have no number, and a stance scan costs more)
        if HAS_NUMBER.search(text) and holds_figure(text):
            if parse_can_name(sent, sent.doc._.mentions or []):
                return True
        elif figureless is not None:
            figureless.add(sent.start)
        if not title_case(text) and has_stance_cue(text):
            return True
    if not is_body(sent):
        return False
    if ents is None:
        ents = sent.doc.ents
        starts = [ent.start for ent in ents]
    return next(date_candidates(sent, text, True, ents, starts), None) is not None


# Stances by how often a sentence holds one: ``any`` stops at the first hit, and most
# sentences with a cue have a reporting verb ("said").
STANCE_ORDER = ("reports", "alleges", "denies", "confirms", "no_statement",
                "declines_to_comment")


def has_stance_cue(text: str) -> bool:
    """``any(p.search(text) for _, p in claims.STANCE_CUES)``, what claims reads a
    sentence's parse for, at a third of the cost: the likeliest cue first, and a cue
    that needs a word an ASCII sentence lacks (:func:`aiwire.nlp.words.may_match`) is
    not searched (no cue has a literal prefix, so a search tries every position)."""
    from aiwire.nlp.claims import STANCE_CUES     # claims imports this module's roles

    lowered = text.lower() if text.isascii() else None
    for pattern in likeliest_first(STANCE_CUES, STANCE_ORDER):
        if may_match(pattern, lowered) and pattern.search(text):
            return True
    return False


_ORDERED: dict[int, tuple] = {}


def likeliest_first(patterns: list[tuple[str, re.Pattern]],
                    order: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    """The regexes of ``(kind, regex)`` ``patterns``, kinds in ``order`` first (the same
    answer for ``any``, sooner); kept per list object, rebuilt when its length changes."""
    found = _ORDERED.get(id(patterns))
    if found is None or len(found) != len(patterns):
        rank = {kind: index for index, kind in enumerate(order)}
        found = _ORDERED[id(patterns)] = tuple(
            p for _, p in sorted(patterns, key=lambda kp: rank.get(kp[0], len(rank))))
    return found


class BatchedComponent:
    """A component that works on batches of docs (a model call per batch pays off):
    ``nlp.pipe`` hands it docs through ``pipe``, a single doc goes as a batch of one."""

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _run(self, docs: list[Doc]) -> list[Doc]:
        raise NotImplementedError


class SelectiveParser(BatchedComponent):
    def __init__(self) -> None:
        self.tok2vec = None
        self.parser = None

    def use_parser(self, tok2vec, parser) -> None:
        self.tok2vec, self.parser = tok2vec, parser

    def _run(self, docs: list[Doc]) -> list[Doc]:
        targets: list[tuple[Doc, int, Doc]] = []
        for doc in docs:
            doc.user_data[PARSES] = {}
            figureless = doc.user_data[FIGURELESS] = set()
            ents = doc.ents
            starts = [ent.start for ent in ents]
            columns = None
            for sent in sentences(doc):
                if wants_parse(sent, ents, starts, figureless):
                    if columns is None:
                        columns = _spelling(doc)
                    targets.append((doc, sent.start, _copy(sent, columns)))
        if targets and self.parser is not None:
            sentence_docs = [t[2] for t in targets]
            parsed = list(self.parser.pipe(self.tok2vec.pipe(sentence_docs, batch_size=256),
                                           batch_size=256))
            for (doc, start, _), result in zip(targets, parsed):
                doc.user_data[PARSES][start] = result
        return docs


def _spelling(doc: Doc) -> tuple[str, list[int], list[int], list[int]]:
    """The document's text and, per token, its offset, length and trailing space, read in
    one pass over the C data (a ``Token`` object per token costs more than its text)."""
    idx, length, spacy = doc.to_array([IDX, LENGTH, SPACY]).T.tolist() if len(doc) \
        else ([], [], [])
    return doc_text(doc), idx, length, spacy


def _copy(sent: Span, spelling: tuple | None = None) -> Doc:
    """The sentence as a doc of its own, to parse: words, spacing and one sentence
    (cheaper than ``Span.as_doc``, which also copies annotations the parser ignores).
    ``spelling``: :func:`_spelling` of the document, when known."""
    text, idx, length, spacy = spelling if spelling is not None else _spelling(sent.doc)
    span = range(sent.start, sent.end)
    words = [text[idx[i]:idx[i] + length[i]] for i in span]
    spaces = [bool(spacy[i]) for i in span]
    return Doc(sent.doc.vocab, words=words, spaces=spaces,
               sent_starts=[True] + [False] * (len(sent) - 1))


@Language.factory("aiwire_parse")
def make_selective_parser(nlp: Language, name: str) -> SelectiveParser:
    return SelectiveParser()


# --- block roles -------------------------------------------------------------------------
# ``aiwire_blocks`` gives each line a role (heading, caption, list, body, chrome); when a
# doc has none (a component used alone) ``sentence_role`` infers it from the line a
# sentence sits on. Claims and figures only ask ``speaks(role)``.

TERMINAL = re.compile(r"[.!?:;\"”’)\]…]\s*$")
CHROME_LINE = re.compile(
    r"^\W*(?:follow\s+us|share\s+(?:this|on)|subscribe|sign\s+up|read\s+more|related\b|"
    r"advertisement|sponsored|photo(?:graph)?\s*(?::|by|credit)|image\s*(?::|by|credit)|"
    r"credit\s*:|source\s*:|getty\s+images|all\s+rights\s+reserved|copyright\b|©)", re.I)
BULLET = re.compile(r"^\s*(?:[-*•●▪◦]|\d{1,2}[.)])\s+")
ROLES_KEY = "aiwire_roles"          # block roles from aiwire.nlp.blocks, when present
ROLE_CACHE = "aiwire_sentence_roles"   # {sentence start token: role}, per document


def title_case(text: str) -> bool:
    """Most longer words capitalised: a headline or a heading, whose parse is unreliable."""
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", text)
    longer = [w for w in words if len(w) > 3]
    if len(words) < 3 or len(longer) < 2:
        return False
    return sum(w[0].isupper() for w in longer) / len(longer) >= 0.75


def sentence_role(doc: Doc, sent: Span) -> str:
    """'headline', 'heading', 'list', 'chrome' or 'body' for one sentence.

    The first line is the headline. A whole line without closing punctuation that is
    short or in Title Case is a heading (section titles, other stories' headlines, photo
    captions set as lines); a line opened by a bullet is a list item.
    """
    known = doc.user_data.setdefault(ROLE_CACHE, {})
    role = known.get(sent.start)
    if role is None:        # asked by claims, facts and figures for every sentence
        role = known[sent.start] = _sentence_role(doc, sent)
    return role


def _sentence_role(doc: Doc, sent: Span) -> str:
    own_text = span_text(sent)
    if doc.user_data.get(ROLES_KEY):
        from aiwire.nlp.blocks import role_at     # the collector's / block reader's roles

        first = sent.start_char + (len(own_text) - len(own_text.lstrip()))
        role = role_at(doc, first)
        if role == "chrome" and _stated_item(doc, first):
            return "list"        # a box's full-sentence line is the page's own reporting
        return role
    text = doc.text if "aiwire_text" not in doc.user_data else doc.user_data["aiwire_text"]
    own = own_text.strip()
    start = sent.start_char + (len(own_text) - len(own_text.lstrip()))
    end = start + len(own)
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if CHROME_LINE.match(own):
        return "chrome"
    whole_line = not text[line_start:start].strip() and not text[end:line_end].strip()
    if not text[:line_start].strip():
        return "headline"
    if BULLET.match(text[line_start:start] + own):
        return "list"
    if whole_line and not TERMINAL.search(own):
        if title_case(own) or len(own.split()) <= 6:
            return "heading"
    return "body"


def _stated_item(doc: Doc, start: int) -> bool:
    """A bulleted line that is furniture only because it sits in a box, yet is a whole
    sentence: a takeaway box on an aggregator page states the page's news in such lines,
    while share, follow and related-link boxes hold names and headlines (short, no
    closing full stop). A line that is furniture by its own words stays furniture."""
    from aiwire.nlp.blocks import line_role

    text = doc.user_data.get("aiwire_text") or doc.text
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start:len(text) if line_end < 0 else line_end].strip()
    if line_role(line) not in ("body", "list"):
        return False
    return bool(BULLET.match(line)) and len(line.split()) >= 8 and \
        line.rstrip("\"”’)").endswith((".", "!", "?"))


def speaks(role: str) -> bool:
    """Whether claims and figures may come from a block of this role."""
    return role in ("headline", "body", "list")
