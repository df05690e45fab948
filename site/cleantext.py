"""Reader-facing text cleaned of what outlets wrap around it.

Headlines lose emoji (boxes without an emoji font) and shouted labels ("BREAKING:");
summary sentences that a page extractor glued to a breadcrumb and a headline are split
apart again; quotes lose stray quotation marks at their edges. Only pages use this:
the export keeps every string exactly as it was reported.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Emoji and pictographs, their joiners, variation selectors, keycaps and flags.
_EMOJI = re.compile(
    "[\U0001F000-\U0001FAFF\U00002600-\U000027BF\U00002B00-\U00002BFF\U0001F1E6-\U0001F1FF"
    "\U000025A0-\U000025FF\U00002190-\U000021FF\u203C\u2049\u2139\u231A-\u23FF"
    "\uFE0E\uFE0F\u200D\u20E3\U000E0020-\U000E007F]+")
_LABELS = (r"(?:breaking(?:\s+news)?|exclusive|just\s+in|updated?|developing|watch|live|"
           r"alert|new|opinion|analysis|explainer)")
# "BREAKING: ...", "EXCLUSIVE | ...", "[Breaking] ...", "(UPDATED) ..."
_DECORATION = re.compile(rf"^\s*(?:[\[(]\s*{_LABELS}\s*[\])]\s*[:|–—-]?|{_LABELS}\s*[:|–—-])\s*",
                         re.I)
_LEADING_PUNCT = re.compile(r"^[\s:|·•–—-]+")
_TAG = re.compile(r"^\s*\[[^\]\[]{1,30}\]\s*(?=\S)")     # "[openai-blog] March 20 ..."
_SPACES = re.compile(r"\s+")
_QUOTES = "\"“”„«»"   # double quotes only: an apostrophe may end a word (the firms')
_BREADCRUMB = re.compile(r"^(?:[A-Z][\w&'-]*(?:\s[A-Z&][\w&'-]*){0,2}\s*[·›»|>/]\s*)+"
                         r"[A-Z][\w&'-]*(?:\s[A-Z&][\w&'-]*){0,2}\s+(?=[A-Z])")


@lru_cache(maxsize=1 << 14)
def headline(text: str | None) -> str:
    """A headline without emoji or a leading "BREAKING:"-style label."""
    cleaned = _SPACES.sub(" ", _EMOJI.sub(" ", text or "")).strip()
    for _ in range(3):          # "🚨 BREAKING | EXCLUSIVE: ..." has more than one
        stripped = _LEADING_PUNCT.sub("", _TAG.sub("", _DECORATION.sub("", cleaned)))
        if stripped == cleaned:
            break
        cleaned = stripped
    cleaned = cleaned.strip(" :|·•–—-")
    return cleaned or (text or "").strip()


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text).strip().lower()


def split_summary(sentence: str, titles: list[str]) -> tuple[str, str]:
    """(headline, lead) of a summary sentence: a breadcrumb before the headline is
    dropped, the headline is returned apart, the lead is what follows it."""
    text = _SPACES.sub(" ", sentence or "").strip()
    low = text.lower()
    candidates = {t for t in titles if t} | {headline(t) for t in titles if t}
    for title in sorted(candidates, key=lambda t: (-len(t), t)):
        t = _norm(title)
        at = low.find(t)
        if len(t) < 12 or at < 0 or at > 60:
            continue
        rest = text[at + len(t):].strip(" -–—:|·")
        if rest:
            return headline(text[at:at + len(t)]), rest
    return "", _BREADCRUMB.sub("", text, count=1) if _BREADCRUMB.match(text) else text


_LIST_MARK = re.compile(r"^(?:[-*•●▪►–]\s+)+")
_DOUBLE = re.compile("[\"“”]")


@lru_cache(maxsize=1 << 16)
def quote(text: str | None) -> str:
    """A quotation with clean edges: no unmatched quotation mark at either end, inner
    double quotes made single (the page wraps the whole in double quotes).

    Kept per text: a story's page, its entity entries and its figure cells clean the
    same sentences many times over."""
    q = _SPACES.sub(" ", text or "").strip()
    q = _LIST_MARK.sub("", q)          # a quoted bullet point: not its bullet
    for _ in range(2):
        if q and q[-1] in _QUOTES and _count(q, q[-1]) % 2 == 1:
            q = q[:-1].rstrip()
        if q and q[0] in _QUOTES and _count(q, q[0]) % 2 == 1:
            q = q[1:].lstrip()
    if q.startswith(("\"", "“")) and q.endswith(("\"", "”")) and _count(q, "\"“”") == 2:
        q = q[1:-1].strip()
    if not _DOUBLE.search(q):        # most quotes: nothing left to turn
        return q.strip()
    out = []
    for i, ch in enumerate(q):
        if ch in "\"“”":
            before = q[i - 1] if i else " "
            ch = "‘" if before.isspace() or before in "([—–-" else "’"
        out.append(ch)
    return "".join(out).strip()


def _count(text: str, chars: str) -> int:
    if chars in ("\"", "“", "”"):
        chars = "\"“”"
    return sum(text.count(c) for c in set(chars))


def same_text(a: str, b: str) -> bool:
    """Two quotes that differ only in spacing, case or quotation marks."""
    return _key(a) == _key(b)


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text or "").strip().lower()


@lru_cache(maxsize=1 << 16)
def text_key(text: str) -> str:
    """The key under which repeated quotes count as one."""
    return _key(text)
