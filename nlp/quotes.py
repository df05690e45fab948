"""Quote marks and brackets around a claim: whether a sentence opens or closes a quote,
whether an attribution closes one opened earlier, where a subject starts after a quote
the parser hung on it, whether a name sits in an aside."""

from __future__ import annotations

import re


def quote_balance(text: str) -> int:
    """+1 when the text opens a quote it does not close, -1 when it closes one opened
    before it, 0 otherwise."""
    opened, closed = text.count("\u201c"), text.count("\u201d")
    for at in (m.start() for m in re.finditer('"', text)):
        # a straight quote opens after a space or at the start, and closes after a word
        # or a stop: '"We ...' opens, '... company," a rep said' closes
        if at == 0 or text[at - 1].isspace() or text[at - 1] in "([":
            opened += 1
        else:
            closed += 1
    return (opened > closed) - (closed > opened)


def continues_quote(before: str) -> bool:
    """The text before the cue closes a quote it never opened: the quote began in an
    earlier sentence ('... fire first," a spokesperson said')."""
    if "\u201d" in before and "\u201c" not in before:
        return True
    return before.count('"') % 2 == 1


def after_quote(text: str, lo: int, hi: int, head: int) -> int:
    """Where a subject really starts when the parser hung a quote on it: its head word
    sits inside a quote that closes with a comma ('"... five individuals ...," a cable
    stated' starts at 'a cable'); a quoted nickname after the head is left alone."""
    before = text[lo:head]
    if not (before.count('"') % 2 or before.count("\u201c") > before.count("\u201d")):
        return lo
    closing = [m.end() for m in re.finditer(r",\s*[\"\u201d]", text[head:hi])]
    return head + closing[0] if closing else lo


def bracketed(text: str, lo: int, position: int) -> bool:
    """Whether a position sits inside brackets opened after ``lo`` ("the check (PyPI
    provenance, ...)"): an aside listing things, not who speaks."""
    before = text[lo:position]
    return before.count("(") > before.count(")")
