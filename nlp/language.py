"""Is a text English? The share of its words that are English function words.

The pipeline's model reads English: on a German or Italian page every capitalised noun
looks like a name ("Stimme", "Beitrag"), and those rows would be junk. English running
text has a fifth or more of its words among a few dozen function words; the German and
Italian pages of the labelled sets have 2-3%, code-heavy English pages 12% and up.
"""

from __future__ import annotations

import re

FUNCTION_WORDS = frozenset(
    "the of and to a in is that for it on was with as by at from has have be are this "
    "said an or not but its their were which".split())
MIN_SHARE = 0.06
MIN_WORDS = 40           # shorter texts say too little: taken as English
WORDS = re.compile(r"[A-Za-z]+")


def english_share(text: str, limit: int = 600) -> float | None:
    """The share of the first ``limit`` words that are English function words; None when
    the text has fewer than ``MIN_WORDS`` words."""
    words = WORDS.findall(text[:limit * 12].lower())[:limit]
    if len(words) < MIN_WORDS:
        return None
    return sum(word in FUNCTION_WORDS for word in words) / len(words)


def is_english(text: str) -> bool:
    share = english_share(text)
    return share is None or share >= MIN_SHARE
