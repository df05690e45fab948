"""Reading numbers as news writes them: "25,000", "1.2bn", "$4m", "twenty-five thousand"."""

from __future__ import annotations

import re

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000}
SUFFIX_SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000,
                 "bn": 1_000_000_000, "b": 1_000_000_000, "tn": 1_000_000_000_000,
                 "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
                 "trillion": 1_000_000_000_000}

_WORD = "|".join(sorted(list(UNITS) + list(TENS), key=len, reverse=True))
NUMBER_WORD_START = _WORD          # every NUMBER_WORDS match begins with one of these
# "twenty-five thousand", "sixteen", "one hundred and twenty", "a million"
NUMBER_WORDS = (rf"(?:(?:{_WORD})(?:[- ](?:{_WORD}))*"
                rf"(?:[- ](?:and[- ])?(?:hundred|thousand|million|billion|trillion|{_WORD}))*"
                rf"|(?:half\s+)?an?\s+(?:hundred|thousand|million|billion|trillion))")
# Only ASCII digits make numbers: a Thai or Arabic-Indic digit inside mojibake is not a
# figure. "1.024" (a dot before exactly three digits) is kept whole for ``read_locale``.
DIGITS = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?![0-9])"
SCALE_WORD = r"(?:thousand|million|billion|trillion|bn|mn|mln|tn|[kmb])\b"


def words_to_number(text: str) -> float | None:
    """'twenty-five thousand' -> 25000; None when ``text`` is not a number in words."""
    tokens = [t for t in re.split(r"[\s-]+", text.lower().strip()) if t and t != "and"]
    factor = 1.0
    if tokens[:1] == ["half"]:                  # "half a million"
        factor, tokens = 0.5, tokens[1:]
    tokens = ["a" if t == "an" else t for t in tokens]
    if not tokens:
        return None
    total, current = 0, 0
    for token in tokens:
        if token in UNITS:
            current += UNITS[token]
        elif token in TENS:
            current += TENS[token]
        elif token == "hundred":
            current = max(current, 1) * 100
        elif token in SCALES:
            total += max(current, 1) * SCALES[token]
            current = 0
        elif token == "a":
            current = max(current, 1)
        else:
            return None
    return float(total + current) * factor


def read_locale(digits: str, whole_units: bool) -> float:
    """A digit string by its locale: in a count of indivisible things (bytes, records)
    "1.024" is a thousands separator, as European pages write it, not a decimal point."""
    if whole_units and re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+", digits):
        return float(digits.replace(".", ""))
    return float(re.sub(r"[,\s]", "", digits))


def parse_number(digits: str | None, words: str | None = None,
                 scale: str | None = None, whole_units: bool = False) -> float | None:
    """Combine a digit string or number words with an optional scale word or suffix."""
    if digits:
        value = read_locale(digits, whole_units and not scale)
    elif words:
        found = words_to_number(words)
        if found is None:
            return None
        value = found
    else:
        return None
    if scale:
        value *= SUFFIX_SCALES.get(scale.lower().rstrip("."), 1)
    return round(value, 6)
