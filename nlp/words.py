"""Finding a whole word in a text without a leading look-behind.

``re.finditer(r"(?<![\\w-])Acme(?![\\w-])", text)`` is how the linker and the name
evidence ask "where does this word stand on its own". A pattern that opens with a
look-behind loses the regex engine's literal-prefix scan: it tries every position of
the text, about 30 times slower on an article than a pattern that opens with the word.
These helpers search for the pattern without the look-behind and test the character
before each match in Python, resuming one character further on a rejected match, so
they find exactly the matches the look-behind pattern finds.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

# The look-behinds the callers used: not after a word character or a hyphen (optionally
# an apostrophe either way); one character each.
WORD_OR_HYPHEN = re.compile(r"[\w-]")
WORD_APOSTROPHE_OR_HYPHEN = re.compile(r"[\w'’-]")
WORD_TAIL = r"(?![\w-])"


@lru_cache(maxsize=8192)
def compiled(pattern: str, flags: int = 0) -> re.Pattern:
    """``re.compile`` kept per pattern (``re``'s own cache holds only 512)."""
    return re.compile(pattern, flags)


def word_pattern(word: str, tail: str = WORD_TAIL, flags: int = 0) -> re.Pattern:
    """``word`` written literally, followed by ``tail`` (a look-ahead by default)."""
    return compiled(re.escape(word) + tail, flags)


def finditer_after(pattern: re.Pattern, text: str,
                   before: re.Pattern = WORD_OR_HYPHEN) -> Iterator[re.Match]:
    """What ``finditer`` of ``(?<!before)`` + ``pattern`` yields, in order, for a
    ``pattern`` that never matches the empty string (a word and a look-ahead).

    ``before`` matches the one character that must not precede a match."""
    pos, end = 0, len(text)
    while pos <= end:
        match = pattern.search(text, pos)
        if match is None:
            return
        start = match.start()
        if start and before.match(text, start - 1):
            pos = start + 1            # the look-behind failed here: try the next position
            continue
        yield match
        pos = match.end() if match.end() > start else match.end() + 1   # never stuck


def search_after(pattern: re.Pattern, text: str,
                 before: re.Pattern = WORD_OR_HYPHEN) -> re.Match | None:
    """What ``search`` of ``(?<!before)`` + ``pattern`` finds."""
    return next(finditer_after(pattern, text, before), None)


def whole_words(text: str, word: str, before: re.Pattern = WORD_OR_HYPHEN,
                tail: str = WORD_TAIL) -> Iterator[re.Match]:
    """Matches of ``(?<!before)`` + ``word`` (literal) + ``tail`` in ``text``, in order.

    An empty ``word`` may match empty, which :func:`finditer_after` does not mimic: it
    is searched with the look-behind pattern itself."""
    if not word:
        return compiled(f"(?<!{before.pattern}){tail}").finditer(text)
    return finditer_after(word_pattern(word, tail), text, before)


# Literal strings a pattern needs ------------------------------------------------------
#
# A cue pattern such as ``\b(stole|took)\b.{0,60}\bweights\b`` cannot match a sentence
# that lacks "weights" (or lacks both "stole" and "took"). Reading those necessary
# strings off the parsed pattern lets a caller skip the regex engine on most sentences.


def _sequence_needs(items) -> list[frozenset[str]]:
    """Sets of strings of which every match of the parsed sequence ``items`` holds at
    least one (each set on its own is necessary)."""
    from re import _constants as c   # the parser's opcodes (private, stable since 3.11)

    out: list[frozenset[str]] = []
    run = ""

    def flush() -> None:
        nonlocal run
        if run:
            out.append(frozenset([run]))
        run = ""

    for op, arg in items:
        if op is c.LITERAL and arg < 128:
            run += chr(arg).lower()
            continue
        flush()
        if op is c.SUBPATTERN:
            out += _sequence_needs(arg[3])
        elif op is c.BRANCH:
            choices = [_best(_sequence_needs(alternative)) for alternative in arg[1]]
            if all(choices):
                out.append(frozenset().union(*choices))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and arg[0] >= 1:
            out += _sequence_needs(arg[2])
        elif op is c.ASSERT:           # a look-ahead or -behind that must hold somewhere
            out += _sequence_needs(arg[1])
    flush()
    return out


def _best(sets: list[frozenset[str]]) -> frozenset[str] | None:
    """The most telling of several necessary sets: its shortest string the longest."""
    return max(sets, key=lambda s: min(map(len, s)), default=None)


@lru_cache(maxsize=4096)
def needed_strings(pattern: re.Pattern) -> tuple[frozenset[str], ...]:
    """Lower-case strings sets a match of ``pattern`` needs, each at least one of (none
    known: ``()``). Non-ASCII literals are left out: under IGNORECASE some of them match
    ASCII letters (the Kelvin sign matches "k")."""
    from re import _parser

    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:                  # noqa: BLE001 - no shortcut, the pattern still runs
        return ()
    return tuple(s for s in _sequence_needs(list(parsed)) if all(s))


_NEEDS: dict[int, tuple[re.Pattern, tuple[frozenset[str], ...]]] = {}


def may_match(pattern: re.Pattern, lowered: str | None) -> bool:
    """False only when ``pattern`` cannot match the text whose lower case (ASCII text
    only; None otherwise) is ``lowered``."""
    if lowered is None:
        return True
    known = _NEEDS.get(id(pattern))          # by identity: hashing a pattern is slow
    if known is None or known[0] is not pattern:
        known = _NEEDS[id(pattern)] = (pattern, needed_strings(pattern))
    for needed in known[1]:
        for string in needed:
            if string in lowered:
                break
        else:
            return False
    return True
