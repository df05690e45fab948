"""Evidence that a capitalised span the knowledge base does not know is really a name.

The generic model labels anything capitalised: headings ("Key Takeaways"), Title-Case
headlines, jargon ("MFA", "CVSS"), descriptors glued to a name ("security firm Wiz"),
URL slugs and mojibake. A new entity needs evidence: a model label in running text (not a
heading-like line), not an everyday English phrase (general-English word frequencies from
``wordfreq``, a fixed background that does not depend on the articles in hand), not a
technical term (``kb/jargon.yaml``), and the descriptor in front of it stripped by
structure (lower-case common words before a capitalised head).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml
from spacy.tokens import Span
from wordfreq import zipf_frequency

from aiwire.nlp.words import WORD_APOSTROPHE_OR_HYPHEN, whole_words

# Words of this general-English Zipf frequency or more are everyday words ("Content",
# "Review", "Market Focus"): a name made only of them needs the knowledge base.
EVERYDAY = 4.0
# A single word between these is ambiguous ("Quill", "Vault", "Socket"): it needs to be
# seen capitalised in the middle of a sentence somewhere in running text.
AMBIGUOUS = 3.0
# A person's name has at least one word rarer than this ("Dark Reading", "Watch Next" and
# "Voice Mode" have not; "Emma Best" and "Andrew Bailey" have; "John Long" is lost). Given names are frequent
# words, so a person is judged by this looser test instead of the everyday one.
PERSON_COMMON = 4.3
MAX_WORDS = 6
HEADING_MAX_WORDS = 20
# Block roles (nlp/blocks.py) whose lines are running text; a line the roles call body is
# still checked against the Title-Case guess ("Did Zentrova Steal From Its Rival?").
RUNNING_ROLES = {"body", "list"}
CONNECTORS = {"of", "and", "for", "the", "de", "du", "la", "le", "von", "van", "der", "den",
              "&", "on", "in", "at", "y", "del", "da", "di", "al", "el", "bin", "ibn"}
SMALL_WORDS = CONNECTORS | {"a", "an", "to", "or", "by", "with", "from", "as", "vs", "vs.",
                            "via", "is", "its", "into", "over", "after", "about", "how",
                            "why", "what", "are", "was", "be", "but", "not", "no", "up"}
MOJIBAKE = re.compile(
    r"[\u0e00-\u0e7f\ufffd\u0080-\u009f]"      # Thai read from UTF-8 bytes; C1 controls
    r"|â[€\u0080-\u00bf™œž“”‘’]|Ã[\u0080-\u00ff]|Â[\u00a0-\u00bf ]"
    r"|[a-z]â(?:s|t|ve|ll|re|m|d)\b"           # "Weâve", "donât": an apostrophe lost
    r"|[A-Za-z][βγ€][A-Za-z]")
# An emoji read as cp874 starts with "๐" (its UTF-8 lead byte 0xF0): a line opened by one
# is a decorated section label ("🔮 Future Implications"), not running text.
EMOJI_AS_CP874 = "\u0e50"
SLUG = re.compile(r"(?:[a-z0-9]+-){2,}[a-z0-9]+|https?:|www\.|\.(?:com|org|net|io)\b|/"
                  r"|\w\.(?:md|json|ya?ml|py|js|ts|txt|sh|exe|dll|zip|pkl|pt|pth|bin|h5|gguf"
                  r"|toml|cfg|ini|html?|xml|csv|log)\b", re.IGNORECASE)
# A name at the start of a line (after a bullet) followed by a colon or a dash is the label
# of a list item or a run-in heading ("Key Findings: ...", "Data Handling – ...").
RUN_IN_LABEL = re.compile(r"\s*(?::|\s[–—-]\s)")
BULLETS = "#*-•·>|▪►✓✔ \t"
FINAL_PUNCT = ".!?:;…\"”’)»"
WORD = re.compile(r"[^\W\d_][\w'’.&-]*|\d[\w.-]*")


@lru_cache(maxsize=1)
def jargon() -> frozenset[str]:
    """Technical acronyms and terms (case-folded) that never name a party."""
    text = resources.files("aiwire.nlp").joinpath("kb/jargon.yaml").read_text("utf-8")
    data = yaml.safe_load(text) or {}
    terms = [str(t) for key in ("acronyms", "terms") for t in data.get(key) or ()]
    return frozenset(t.casefold() for t in terms)


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """General-English frequency of one word (0 when unknown), case-folded."""
    return zipf_frequency(word.casefold(), "en")


def looks_mojibake(text: str) -> bool:
    return bool(MOJIBAKE.search(text))


def is_jargon(text: str) -> bool:
    """The whole name, or every word of it, is a technical acronym or term."""
    terms = jargon()
    folded = re.sub(r"\s+", " ", text.strip()).casefold()
    if folded in terms or folded.rstrip("s") in terms:
        return True
    words = [w for w in WORD.findall(folded) if w not in SMALL_WORDS]
    return bool(words) and all(w in terms or w.rstrip("s") in terms for w in words)


def is_everyday(text: str) -> bool:
    """Every word is common general English: 'Key Insights', 'Customer Data', 'Target'."""
    words = [w for w in WORD.findall(text) if w.casefold() not in SMALL_WORDS]
    if not words:
        return True
    terms = jargon()
    return all(w.casefold() in terms
               or zipf(w.strip("'’.")) >= EVERYDAY and not _name_shaped(w) for w in words)


def _name_shaped(word: str) -> bool:
    """Capitals inside a word ('WikiLeaks', 'NASA') are how names are written, not words.

    Technical acronyms ('AI', 'API') are words of the trade, not name evidence.
    """
    return word.casefold() not in jargon() and any(ch.isupper() for ch in word[1:])


@lru_cache(maxsize=8192)         # asked again for each name on the same line
def is_heading_line(line: str) -> bool:
    """A line that is not running text: a heading, a Title-Case headline or chrome.

    Short lines without closing punctuation ("Select Page", "Market Focus") and lines
    whose content words are mostly capitalised ("Anthropic Accuses Alibaba of Theft")
    are headings. Structural block roles from the extractor, when present, take
    precedence over this guess (see :func:`line_role`).
    """
    stripped = line.strip().lstrip("#*-•·>|").strip()
    if not stripped:
        return True
    words = stripped.split()
    if len(words) <= 4 and stripped[-1] not in FINAL_PUNCT:
        return True
    content = [w for w in words if w[:1].isalpha() and w.casefold() not in SMALL_WORDS]
    if len(content) < 2 or len(words) > HEADING_MAX_WORDS:
        return False
    capitalised = sum(1 for w in content if w[0].isupper())
    return capitalised / len(content) >= 0.75


def line_at(text: str, offset: int) -> tuple[int, int]:
    """Start and end offsets of the line holding ``offset``."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end


def in_running_text(text: str, start: int, roles: list | None = None) -> bool:
    """Whether the character at ``start`` sits in body text (not a heading or chrome)."""
    role = line_role(roles, start)
    if role is not None and role not in RUNNING_ROLES:
        return False
    line_start, line_end = line_at(text, start)
    line = text[line_start:line_end]
    return not (is_heading_line(line) or line.lstrip().startswith(EMOJI_AS_CP874))


def line_role(roles: list | None, offset: int) -> str | None:
    """The block role ``aiwire_blocks`` gave the text at ``offset`` ((start, end, role))."""
    for block_start, block_end, role in roles or ():
        if block_start <= offset < block_end:
            return role
    return None


def strip_descriptor(span: Span) -> Span | None:
    """'security firm Wiz' -> 'Wiz'; 'Researcher Ada Quist' -> 'Ada Quist'.

    A name is a run of capitalised words (with connectors such as 'of'); lower-case
    common words before it are a descriptor. A capitalised first word that only starts a
    sentence, is an everyday word used in lower case elsewhere in the text ('Researcher',
    'Detect') is one too when what follows holds a word too rare to be everyday or is
    itself written as a name in the middle of a sentence elsewhere.
    """
    tokens = list(span)
    cut = 0
    for index, token in enumerate(tokens):
        if token.is_alpha and token.is_lower and token.text not in CONNECTORS:
            cut = index + 1
    while cut < len(tokens) and (tokens[cut].is_punct or tokens[cut].text.casefold()
                                 in CONNECTORS):
        cut += 1
    if cut >= len(tokens):
        return None
    first = tokens[cut]
    rest = tokens[cut + 1:]
    if rest and first.is_title and (first.is_sent_start or _line_start(first)) \
            and zipf(first.text) >= AMBIGUOUS \
            and _lowercase_elsewhere(span.doc, first.text) \
            and not _capitalised_elsewhere(span.doc, first.text, first.idx) \
            and (any(t.is_alpha and zipf(t.text) < AMBIGUOUS for t in rest)
                 or mid_sentence_capitalised(span.doc, span.doc[rest[0].i:span.end].text)):
        cut += 1
    return span.doc[span.start + cut:span.end] if cut else span


def _lowercase_elsewhere(doc, word: str) -> bool:
    """The word is used in lower case in this text: a common noun, not a given name."""
    from aiwire.nlp.doccache import doc_text

    return next(whole_words(doc_text(doc), word.lower()), None) is not None


def _line_start(token) -> bool:
    return token.i == 0 or "\n" in token.doc[token.i - 1].text_with_ws


def _capitalised_elsewhere(doc, word: str, not_at: int) -> bool:
    """``word`` capitalised in the middle of a sentence somewhere else in the text."""
    from aiwire.nlp.doccache import doc_text

    text = doc_text(doc)
    for match in whole_words(text, word, WORD_APOSTROPHE_OR_HYPHEN):
        if match.start() == not_at:
            continue
        before = text[:match.start()].rstrip(" \t\"“'‘(")
        if before and before[-1] not in ".!?:\n" and in_running_text(text, match.start()):
            return True
    return False


def mid_sentence_capitalised(doc, text: str) -> bool:
    """The name occurs capitalised mid-sentence in running text at least once."""
    return _capitalised_elsewhere(doc, text, -1)


def lowercase_in_text(doc_text_: str, phrase: str) -> bool:
    """The phrase also appears in lower case: a common phrase title-cased somewhere."""
    lowered = phrase.casefold()
    if lowered == phrase or " " not in phrase:
        return False
    return next(whole_words(doc_text_, lowered), None) is not None


def reject_reason(span: Span, text: str, label: str, doc_text_: str,
                  roles: list | None = None) -> str | None:
    """Why the (already descriptor-stripped) span is not a new name, or None if it is."""
    if looks_mojibake(text):
        return "mojibake"
    if SLUG.search(text):
        return "fragment"
    if not in_running_text(doc_text_, span.start_char, roles):
        return "heading"
    line_start, _ = line_at(doc_text_, span.start_char)
    if not doc_text_[line_start:span.start_char].strip(BULLETS) \
            and RUN_IN_LABEL.match(doc_text_, span.end_char):
        return "label"
    if not doc_text_[span.end_char:].strip():
        return "cut off"          # the excerpt ends inside this word
    words = [w for w in text.split() if w]
    if len(words) > MAX_WORDS:
        return "too long"
    if is_jargon(text):
        return "jargon"
    letters = re.sub(r"[^A-Za-z]", "", text)
    if letters.isupper() and len(letters) <= 3 and len(words) == 1 \
            and not (label == "ORG" and acronym_as_party(doc_text_, text)):
        return "short acronym"
    if all(not w[:1].isupper() for w in words if w[:1].isalpha()):
        return "lower case"
    if label == "PERSON" and person_by_role(doc_text_, text):
        return None               # "chief executive Ada Bell", "Mr Bell": a title says so
    if label == "PERSON" and len(words) > 1:
        alpha = [w for w in words if w[:1].isalpha()]
        if alpha and all(zipf(w) >= PERSON_COMMON for w in alpha):
            return "everyday"
    elif is_everyday(text):
        return "everyday"
    if lowercase_in_text(doc_text_, text):
        return "common phrase"
    if len(words) == 1 and zipf(text.strip("'’.")) >= AMBIGUOUS and not _name_shaped(text) \
            and not mid_sentence_capitalised(span.doc, text):
        return "everyday"
    return None


# Who speaks for an organisation, and honorifics: written for aiwire, general English.
SPEAKING_ROLES = r"spokes(?:person|man|woman)|representatives?|boss|chief|executives?|" \
                 r"officials?|leadership|staff|employees?"
HONORIFIC = re.compile(r"(?<![\w.])(?:Mr|Mrs|Ms|Mx|Dr|Prof|Sen|Rep|Gov)\.?\s+$")


@lru_cache(maxsize=1)
def _titles() -> str:
    """Job titles of ``kb/roles.yaml`` as one alternation (longest first)."""
    from aiwire.nlp.assertions import role_kinds

    return role_kinds()[0].pattern


def acronym_as_party(doc_text_: str, acronym: str) -> bool:
    """A short all-capitals word is an organisation when the text treats it as one: it
    owns something ("ACME's"), or a title or a spokesperson belongs to it ("an ACME
    spokesperson", "chief executive of ACME"). Jargon ("SQL injection") is never used so."""
    a = re.escape(acronym)
    roles = rf"(?i:{SPEAKING_ROLES}|{_titles()})"
    return re.search(rf"(?<![\w-]){a}(?:['’]s\b|\s+(?:senior\s+|top\s+|former\s+)?{roles}\b)"
                     rf"|\b{roles}\s+(?:of|at)\s+{a}(?![\w-])", doc_text_) is not None


def person_by_role(doc_text_: str, name: str) -> bool:
    """A person's name made of everyday words ("Mark Read") is still a name when the text
    gives it a title: an honorific or a job title right before it, or an appositive
    job title right after it ("Ada Bell, chief executive of ..."). A lone surname counts
    when a full name ending in it is introduced that way."""
    titles = _titles()
    n = re.escape(name)
    full = n if " " in name else rf"(?:[A-Z][\w'’-]+\s+)?{n}"
    # a full name opens with itself: found fast; a surname may follow a first name
    matches = whole_words(doc_text_, name, WORD_APOSTROPHE_OR_HYPHEN, r"(?![\w'’-])") \
        if " " in name else re.finditer(rf"(?<![\w'’-]){full}(?![\w'’-])", doc_text_)
    for match in matches:
        before = doc_text_[max(0, match.start() - 40):match.start()]
        after = doc_text_[match.end():match.end() + 80]
        surname_at = match.end() - len(name)
        if HONORIFIC.search(before) or HONORIFIC.search(doc_text_[max(0, surname_at - 8):
                                                                  surname_at]):
            return True
        if re.search(rf"\b(?:{titles})\s+$", before, re.I) and " " in match.group():
            return True
        if re.match(rf",\s+(?:the\s+|a\s+|an\s+|its\s+)?(?:[\w-]+\s+){{0,2}}?(?:{titles})"
                    rf"\s+(?:of|at)\b", after, re.I) and " " in match.group():
            return True
    return False
