"""Read a page as structure: which lines are running text and which are furniture.

Extraction leaves one block per line: the headline, section headings, list items,
captions, bylines, share / follow / newsletter prompts, boxes of an aggregator ("Key
takeaways", "Quick take") and the headlines of other stories. Only running text (and
the article's own headline, for who-accuses-whom) may give claims, figures, dates and
new entities; headings still help to link known names and to compare stories.

Roles come from the shape of a line, not from the words of one site: terminal
punctuation, length, the share of capitalised words, list markers, and a small
vocabulary of furniture that every news site uses (share, follow, subscribe, credit).
A list under a box heading belongs to the box.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from aiwire.nlp.doccache import doc_text
from aiwire.nlp.words import may_match

ROLES = "aiwire_roles"
BODY, HEADLINE, HEADING, LIST, CAPTION, CHROME = (
    "body", "headline", "heading", "list", "caption", "chrome")

TERMINAL = re.compile(r"[.!?…:;][\"”’')\]]*\s*$")
LIST_MARK = re.compile(r"^\s*(?:[-*•●▪►–]|\d{1,2}[.)])\s+")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
MINOR = {"a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "but", "with", "by",
         "at", "as", "from", "vs", "via", "into", "over", "after", "its", "is", "are"}
# Furniture that every news site prints; matched at the start of a short line.
FURNITURE = re.compile(
    r"^\W*(?:(?:share(?:\s+this)?|follow\s+us|follow|subscribe|sign\s+up|newsletter|"
    r"advertisement|sponsored|related(?:\s+\w+)?|read\s+more|more\s+from|recommended|"
    r"trending|most\s+read|popular|tags?|topics?|categories|filed\s+under|skip\s+to|"
    r"select\s+page|menu|search|log\s*in|sign\s+in|cookie|accept|privacy\s+policy|"
    r"all\s+rights\s+reserved|copyright|"
    r"click\s+here|listen|watch|download\s+the\s+app|anzeige|werbung|home)(?![a-z])|"
    r"(?:photo(?:graph)?|image|credit|source):|©)", re.I)
CREDIT = re.compile(r"(?:\((?:photo|image|credit)[^)]*\)|\b(?:getty\s+images|shutterstock|"
                    r"afp|reuters|ap\s+photo|file\s+photo)\)?)\s*$|^(?:photo|image|credit|"
                    r"illustration|screenshot)\b", re.I)
BYLINE = re.compile(r"^(?:by|written\s+by|posted\s+by|author:)\s+[A-Z]", re.I)
BOX_HEADING = re.compile(
    r"\b(?:take\s*aways?|tl;?\s*dr|summary|quick\s+(?:take|facts)|at\s+a\s+glance|"
    r"key\s+(?:points|facts|findings)|highlights|in\s+brief|related|read\s+(?:more|next)|"
    r"more\s+(?:from|stories|news)|trending|recommended|perspectives|what\s+to\s+watch|"
    r"you\s+may\s+also|latest|popular|newsletter)\b", re.I)


CLOSERS = "\"”’')]"
STOPS = ".!?…:;"


def ends_sentence(line: str) -> bool:
    """``TERMINAL.search(line)`` without the regex engine trying every position of a
    long line: a stop, then only closing quotes or brackets, then only white space."""
    kept = line.rstrip().rstrip(CLOSERS)
    return bool(kept) and kept[-1] in STOPS


BOX_SUMMARY_WORDS = 25      # a box's own one-line summary; a longer paragraph is the lead


@dataclass(frozen=True)
class Block:
    start: int
    end: int
    role: str


def _capital_share(words: list[str]) -> float:
    content = [w for w in words if w.lower() not in MINOR]
    if not content:
        return 0.0
    return sum(w[0].isupper() for w in content) / len(content)


def line_role(line: str, title: str | None = None) -> str:
    """The role of one line, judged alone (boxes are settled by ``classify_lines``)."""
    text = line.strip()
    words = WORD.findall(text)
    if not words:
        return CHROME
    if title and _same_words(text, title):
        return HEADLINE
    if LIST_MARK.match(text):
        return LIST
    if len(words) <= 25 and may_match(CREDIT, text.lower() if text.isascii() else None) \
            and CREDIT.search(text):
        return CAPTION
    if BYLINE.match(text) and len(words) <= 12:
        return CHROME
    if FURNITURE.match(text) and len(words) <= 12:
        return CHROME
    if text.count("|") >= 2 or text.count("›") + text.count("»") >= 2:
        return CHROME                           # breadcrumbs, menus, bylines with dates
    if not ends_sentence(text):
        # A line with no full stop: a heading, a headline of another story, a label.
        if len(words) <= 16 or _capital_share(words) >= 0.6:
            return HEADING
    return BODY


def _same_words(a: str, b: str) -> bool:
    wa = [w.lower() for w in WORD.findall(a)]
    wb = [w.lower() for w in WORD.findall(b)]
    return bool(wa) and wa == wb


def classify_lines(lines: list[str], title: str | None = None) -> list[str]:
    """Roles of an article's lines. The first heading-shaped line is the headline."""
    roles = [line_role(line, title) for line in lines]
    if title is None:
        for index, role in enumerate(roles):
            if role == HEADING:
                roles[index] = HEADLINE
                break
            if role == BODY:
                break
    in_box = False
    for index, role in enumerate(roles):
        if role in (HEADING, HEADLINE):
            in_box = role == HEADING and bool(BOX_HEADING.search(lines[index]))
            if in_box:
                roles[index] = CHROME
        elif role == LIST:
            if in_box:
                roles[index] = CHROME
            elif index and (roles[index - 1] == LIST or lines[index - 1].rstrip().endswith(":")) \
                    and (index == 1 or roles[index - 1] != HEADING):
                roles[index] = LIST      # the items of a sentence that ends with a colon
            else:
                item = LIST_MARK.sub("", lines[index])
                words = WORD.findall(item)
                # A bullet that is a sentence is running text; a short label is not.
                roles[index] = BODY if len(words) >= 6 and ends_sentence(item) else HEADING
        elif role == BODY and in_box:
            # Running text right under a box heading is the box's own summary; after the
            # box's list, running text is the article again.
            after_list = index and LIST_MARK.match(lines[index - 1])
            short = len(WORD.findall(lines[index])) <= BOX_SUMMARY_WORDS
            roles[index] = CHROME if short and not after_list else BODY
            in_box = roles[index] == CHROME
    return roles


def blocks_of(text: str, title: str | None = None) -> list[Block]:
    blocks, offset = [], 0
    lines = text.split("\n")
    for line, role in zip(lines, classify_lines(lines, title)):
        blocks.append(Block(offset, offset + len(line), role))
        offset += len(line) + 1
    return blocks


@Language.component("aiwire_blocks")
def mark_blocks(doc: Doc) -> Doc:
    """Give each line of the text its role, kept on ``doc.user_data``."""
    title = doc.user_data.get("aiwire_title")
    blocks = blocks_of(doc_text(doc), title)
    doc.user_data[ROLES] = [(b.start, b.end, b.role) for b in blocks]
    return doc


def role_at(doc: Doc, char: int) -> str:
    """The role of the line holding character ``char`` (body when unknown)."""
    blocks = doc.user_data.get(ROLES)
    if not blocks:
        return BODY
    starts = doc.user_data.get("aiwire_role_starts")
    if starts is None:
        starts = doc.user_data["aiwire_role_starts"] = [b[0] for b in blocks]
    index = bisect_right(starts, char) - 1
    return blocks[index][2] if index >= 0 else BODY


def is_body(span: Span) -> bool:
    """Running text: a sentence to take claims, figures, dates and new names from."""
    return role_at(span.doc, span.start_char) in (BODY, LIST)


def is_text_or_headline(span: Span) -> bool:
    return role_at(span.doc, span.start_char) in (BODY, HEADLINE)
