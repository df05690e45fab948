"""Human words for every code the analysis writes, so no snake_case reaches a reader.

The export speaks in codes (``declines_to_comment``, ``letter_to_officials``,
``account_count``); pages speak English. Every code a page shows goes through one of
the functions here. A code nobody has written a label for yet (a new slot value, a new
contradiction kind) is still turned into words by :func:`humanise`, never shown raw.
"""

from __future__ import annotations

import re
from functools import lru_cache

# What each kind of contradiction compares, as a reader would ask it.
KIND_LABELS = {
    "figure": "a number", "response": "how a party responded", "claim": "what happened",
    "date": "when it happened", "scope": "how far it reached",
}

# Contradiction topics and figure kinds: as the question the outlets answer differently.
TOPIC_QUESTIONS = {
    "stock_change": "how far the shares moved", "stock_low": "how low the shares fell",
    "stock_high": "how high the shares rose", "account_count": "how many accounts",
    "user_count": "how many users", "request_count": "how many requests",
    "money": "how much money", "data_volume": "how much data", "percent": "what share",
    "count": "how many", "response": "how the party responded", "what_taken": "what was taken",
    "venue": "where the accusation was made", "method": "how it was done",
    "event_date": "when it happened", "date": "when it happened", "scope": "how far it reached",
    "records_accessed": "how many records were accessed", "disclosure_date": "when it was disclosed",
    "attack_date": "when the attack happened", "discovery_date": "when it was discovered",
}

# Figure kinds as the name of a row in a table of figures.
FIGURE_LABELS = {
    "stock_change": "share price move", "stock_low": "share price low",
    "stock_high": "share price high", "account_count": "accounts", "user_count": "users",
    "request_count": "requests", "money": "money", "data_volume": "data volume",
    "percent": "percentage", "count": "count",
}

STANCE_LABELS = {
    "alleges": "alleges", "denies": "denies", "confirms": "confirms",
    "declines_to_comment": "declined to comment", "no_statement": "made no statement",
    "reports": "says",
}
# A response as one side of a disagreement: what the outlet says the party did.
RESPONSE_SIDES = {
    "denies": "denied it", "confirms": "confirmed it", "alleges": "made the accusation",
    "declines_to_comment": "declined to comment", "no_statement": "made no statement",
    "reports": "said something else",
}

# Values of claim slots (and any other coded side value).
VALUE_LABELS = {
    "model_outputs": "outputs used for training", "model_weights": "model weights",
    "letter_to_officials": "a letter to officials", "legal_filing": "a lawsuit",
    "press_release": "a press release", "blog_post": "a blog post",
    "asserted": "the full figure", "bounded_denial": "only a limited amount",
    "negated": "none at all",
}

ENTITY_TYPES = {
    "ORG": "organisation", "PERSON": "person", "PRODUCT": "product or model",
    "THREAT_ACTOR": "threat group", "CVE": "vulnerability", "GPE": "place", "LOC": "place",
    "NORP": "group",
}

SEVERITY = {
    "hard": ("cannot both be true", "these accounts cannot all be right."),
    "soft": ("may be rounding or wording",
             "these may differ only in rounding, wording or timing."),
}
_SEVERITY_ALIASES = {"high": "hard", "hard": "hard", "low": "soft", "soft": "soft"}

@lru_cache(maxsize=1 << 14, typed=True)
def humanise(code: object) -> str:
    """Words for a code nobody wrote a label for: ``sold_on_forum`` -> ``sold on forum``."""
    text = str(code if code is not None else "").strip()
    if not text:
        return ""
    if "_" in text or (text.isupper() and len(text) > 4):
        text = text.replace("_", " ").lower()
    return re.sub(r"\s+", " ", text)


def severity(code: object) -> str:
    """``hard`` or ``soft`` (the analysis has also written ``high`` and ``low``)."""
    return _SEVERITY_ALIASES.get(str(code or "").lower(), "soft")


def severity_label(code: object) -> str:
    return SEVERITY[severity(code)][0]


def severity_explained(code: object) -> str:
    return SEVERITY[severity(code)][1]


def kind_label(code: object) -> str:
    return KIND_LABELS.get(str(code), humanise(code))


def topic_question(code: object) -> str:
    key = str(code).strip().lower().replace(" ", "_").replace("-", "_")
    if key.startswith("stands_for:"):            # nlp/acronyms.py
        return f"what {str(code).split(':', 1)[1].strip()} stands for"
    return TOPIC_QUESTIONS.get(key, humanise(code))


def figure_label(code: object) -> str:
    return FIGURE_LABELS.get(str(code), humanise(code))


def stance_label(code: object) -> str:
    return STANCE_LABELS.get(str(code), humanise(code))


def response_side(code: object) -> str:
    return RESPONSE_SIDES.get(str(code), humanise(code))


def value_label(code: object) -> str:
    return VALUE_LABELS.get(str(code), humanise(code))


def entity_type(code: object) -> str:
    return ENTITY_TYPES.get(str(code), humanise(code))


def qualifier_label(code: object) -> str:
    """How a figure's approximation reads before the number."""
    return {"approximately": "about", "at_least": "at least", "at_most": "up to",
            "more_than": "more than", "less_than": "less than"}.get(str(code), humanise(code))


def looks_like_code(text: str) -> bool:
    """True for snake_case tokens (the test for leaked codes uses the same rule)."""
    return bool(re.search(r"\b[a-z0-9]+_[a-z0-9_]+\b", text))
