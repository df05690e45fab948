"""Reading numbers as news writes them."""

from __future__ import annotations

import pytest

import re

from aiwire.nlp.numbers import NUMBER_WORDS, parse_number, words_to_number


@pytest.mark.parametrize("text, value", [
    ("twenty-five thousand", 25000), ("sixteen", 16), ("one hundred and twenty", 120),
    ("twelve thousand", 12000), ("a million", 1_000_000), ("three", 3),
])
def test_words(text, value):
    assert words_to_number(text) == value


def test_not_a_number():
    assert words_to_number("several") is None


@pytest.mark.parametrize("digits, scale, value", [
    ("25,000", None, 25000), ("1.2", "bn", 1.2e9), ("4", "m", 4e6), ("4.5", "million", 4.5e6),
    ("300", None, 300), ("16", "k", 16000),
])
def test_digits_and_scale(digits, scale, value):
    assert parse_number(digits, None, scale) == value


@pytest.mark.parametrize("digits, whole, value", [
    ("1.024", True, 1024),        # a European thousands separator in a count of bytes
    ("1.024", False, 1.024),      # a decimal everywhere else
    ("12.500.000", True, 12_500_000),
    ("2.5", True, 2.5),           # one or two decimals are never thousands
    ("672, 000", False, 672000),  # a stray space after the comma
])
def test_locale(digits, whole, value):
    assert parse_number(digits, None, None, whole_units=whole) == value


def test_only_ascii_digits_make_numbers():
    import re

    from aiwire.nlp.numbers import DIGITS

    assert re.search(DIGITS, "\u0e50\u0e51\u0e52") is None     # Thai digits
    assert re.search(DIGITS, "\u0663\u0664") is None           # Arabic-Indic digits
    assert re.search(DIGITS, "x 42 y").group() == "42"


@pytest.mark.parametrize("words, value", [
    ("a million", 1_000_000), ("an hundred", 100), ("half a million", 500_000),
    ("a thousand", 1_000),
])
def test_a_and_half_a_before_a_scale_word(words, value):
    assert re.fullmatch(NUMBER_WORDS, words)
    assert words_to_number(words) == value
