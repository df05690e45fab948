"""Figures written the way people write them: ``▼ 4.9%``, ``US$4 million``, ``1.1 TB``.

The export keeps values as numbers with a kind and a unit (a fall is ``-4.9`` percent,
``4000000`` ``USD``); outlets wrote them a dozen ways ("4.9 percent", "$4m"). Pages
show one spelling per value, so equal values look equal and different ones differ.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from aiwire.site.labels import humanise, qualifier_label

CURRENCY_PREFIX = {
    "USD": "US$", "HKD": "HK$", "AUD": "A$", "CAD": "C$", "SGD": "S$", "NZD": "NZ$",
    "EUR": "€", "GBP": "£", "CNY": "CN¥", "JPY": "JP¥", "INR": "₹", "KRW": "₩", "CHF": "CHF ",
}
DATA_UNITS = ("B", "KB", "MB", "GB", "TB", "PB", "EB")
_IRREGULAR = {"person": "people", "child": "children", "repository": "repositories",
              "company": "companies", "entry": "entries", "proxy": "proxies",
              "library": "libraries", "copy": "copies", "query": "queries", "family": "families"}
UP, DOWN = "▲", "▼"


def number(value: float) -> str:
    """A plain number: ``25,000``, ``4.9``, ``1.25`` (at most two decimals, no ``.0``)."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def large(value: float) -> str:
    """Millions and billions in words: ``4 million``, ``1.2 billion``, ``250,000``."""
    magnitude = abs(value)
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if magnitude >= size:
            return f"{number(round(value / size, 2))} {word}"
    return number(value)


def plural(noun: str, value: float) -> str:
    noun = noun.strip()
    if not noun or value == 1:
        return noun
    if noun in _IRREGULAR:
        return _IRREGULAR[noun]
    if noun.endswith("s"):
        return noun
    if noun.endswith(("x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def money(value: float, unit: str | None) -> str:
    code = (unit or "").upper()
    prefix = CURRENCY_PREFIX.get(code)
    amount = large(value)
    if prefix:
        return f"{prefix}{amount}"
    return f"{amount} {code}".strip() if code else amount


@lru_cache(maxsize=1 << 15, typed=True)      # typed: 1, 1.0 and True differ
def figure_text(kind: str | None, value: Any, unit: str | None = None,
                qualifier: str | None = None) -> str:
    """One figure as a reader would write it, the approximation first ("about 2 million
    users"); a value that is not a number is shown as it came. Kept per arguments: a
    large story writes the same figures thousands of times."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return humanise(value)
    body = _body(kind or "", float(value), unit or "")
    if qualifier:
        return f"{qualifier_label(qualifier)} {body}"
    return body


def _body(kind: str, value: float, unit: str) -> str:
    if kind == "stock_change":
        if value == 0:
            return "unchanged"
        return f"{DOWN if value < 0 else UP} {number(abs(value))}%"
    if kind in ("stock_low", "stock_high"):
        span = unit or "month"
        return f"{number(value)}-{span} {'low' if kind == 'stock_low' else 'high'}"
    if kind == "percent" or unit == "percent":
        return f"{number(value)}%"
    if kind == "money":
        return money(value, unit)
    if kind == "data_volume":
        return f"{number(value)} {unit or 'bytes'}"
    noun = {"account_count": "account", "user_count": "user",
            "request_count": "request"}.get(kind, unit)
    return f"{large(value)} {plural(humanise(noun), value)}".strip()


def direction_words(kind: str | None, value: Any) -> str:
    """A spoken form of a signed move, for a chart's description: "down 4.9%"."""
    if kind == "stock_change" and isinstance(value, (int, float)) and value:
        return f"{'down' if value < 0 else 'up'} {number(abs(float(value)))}%"
    return figure_text(kind, value)


def compact(kind: str | None, value: Any, unit: str | None = None) -> str:
    """The shortest honest spelling, for the ends of a small chart: ``US$4.2m``, ``24,000``."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return humanise(value)
    value = float(value)
    if kind in ("stock_change", "percent", "data_volume", "stock_low", "stock_high"):
        return _body(kind, value, unit or "")
    magnitude = abs(value)
    short = number(value)
    for size, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "m")):
        if magnitude >= size:
            short = f"{number(round(value / size, 1))}{suffix}"
            break
    if kind == "money":
        prefix = CURRENCY_PREFIX.get((unit or "").upper())
        return f"{prefix}{short}" if prefix else f"{short} {unit or ''}".strip()
    return short
