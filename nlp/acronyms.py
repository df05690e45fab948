"""What an acronym stands for, as a report spells it out.

"MCP (Model Context Protocol)" and "the Mail and Collect Protocol (MCP)" cannot both name
the thing a story is about: one outlet got it wrong. Each spelled-out acronym becomes the
slot ``stands_for:<ACRONYM>``, valued by the expansion's content words, and the claim
comparison (``contradictions._claim_flags``) sets two different ones side by side. An
expansion counts only when its words' initials spell the acronym (small words such as
"and" or "of" may be skipped), so "the bug (CVE-2024-1)" or "the firm (Reuters)" are no
expansions.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from aiwire.nlp.doccache import sentences, span_text

ACRONYM = r"[A-Z]{2,6}s?"            # "LLMs": a plural is the same acronym
WORD = r"[A-Za-z][A-Za-z'’-]*"
# "MCP (Model Context Protocol)"
SPELLED_AFTER = re.compile(rf"\b({ACRONYM})\s*\(\s*({WORD}(?:\s+{WORD}){{1,7}})\s*\)")
# "the Model Context Protocol (MCP)"
SPELLED_BEFORE = re.compile(rf"((?:{WORD}\s+){{1,9}}?{WORD})\s*\(\s*({ACRONYM})\s*\)")
SMALL_WORDS = {"and", "of", "the", "for", "to", "in", "on", "a", "an", "with", "at", "by",
               "&"}


def _parts(words: list[str]) -> list[tuple[str, bool]]:
    """Each word's pieces ("Retrieval-Augmented" gives two) and whether it may be skipped."""
    out = []
    for word in words:
        pieces = [p for p in re.split(r"[-–]", word) if p]
        for piece in pieces:
            out.append((piece, piece.lower() in SMALL_WORDS))
    return out


def spells(acronym: str, words: list[str]) -> bool:
    """Do the words' initials spell ``acronym``, in order, using every word that is not a
    small word? ("Mail and Collect Protocol" spells MCP; "Model Protocol" does not.)"""
    parts = _parts(words)
    letters = acronym.lower()

    def match(i: int, j: int) -> bool:
        if j == len(parts):
            return i == len(letters)
        piece, small = parts[j]
        if i < len(letters) and piece[0].lower() == letters[i] and match(i + 1, j + 1):
            return True
        return small and match(i, j + 1)

    return bool(parts) and not parts[0][1] and match(0, 0)


def normalise(words: list[str]) -> str:
    """The expansion compared: its content words, lower case, a plain plural dropped
    ("Large Language Models" is "large language model")."""
    kept = []
    for piece, small in _parts(words):
        if small:
            continue
        piece = piece.lower().rstrip("'’")
        if len(piece) > 3 and piece.endswith("s") and not piece.endswith("ss"):
            piece = piece[:-1]
        kept.append(piece)
    return " ".join(kept)


def find_expansions(text: str) -> list[tuple[str, str, int]]:
    """(acronym, normalised expansion, where) for each acronym the sentence spells out."""
    found = []
    for match in SPELLED_AFTER.finditer(text):
        acronym, words = match.group(1).rstrip("s"), match.group(2).split()
        if spells(acronym, words):
            found.append((acronym, normalise(words), match.start()))
    for match in SPELLED_BEFORE.finditer(text):
        words, acronym = match.group(1).split(), match.group(2).rstrip("s")
        # the expansion is the shortest run of words before the bracket that spells it
        for size in range(1, len(words) + 1):
            if spells(acronym, words[-size:]):
                found.append((acronym, normalise(words[-size:]), match.start()))
                break
    return found


def expansion_assertions(doc: Doc, is_body) -> list[tuple]:
    """``stands_for:<ACRONYM>`` slot statements of the running text, each expansion once
    per article with its first sentence (an article spelling one acronym two ways is not
    a side: the comparison reads only articles with a single value)."""
    out: list[tuple] = []
    seen: set[tuple[str, str]] = set()
    for sent in sentences(doc):
        text = span_text(sent)
        if "(" not in text or not is_body(sent):
            continue
        for acronym, expansion, at in find_expansions(text):
            if expansion and (acronym, expansion) not in seen:
                seen.add((acronym, expansion))
                out.append((f"stands_for:{acronym}", expansion, None, text.strip(),
                            sent.start_char + at))
    return out
