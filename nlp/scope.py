"""Scope: how far an incident went, as asserted or denied.

One outlet writes "researchers accessed 64 million records", another "only a limited
number of records were actually accessed"; one says attackers exploited a flaw against
real victims, another that the vendor "has seen no sign of it being misused". Each such
statement becomes a scope assertion: the object (what was reached: records, data of a
kind, or exploitation in the wild) and whether it is asserted, bounded ("only a few") or
denied ("no", "not", "no evidence"). An assertion against a denial or a bound of the
same object, from different reports of one incident, is a ``scope`` contradiction.

Hypotheticals ("an attacker could access …") assert nothing and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aiwire.nlp.words import may_match

HARM = (r"(?:accessed|exposed|leaked|stolen|exfiltrated|compromised|viewed|visible|copied|"
        r"downloaded|scraped|breached|obtained|taken|sent\s+unencrypted|affected)")
DATA_NOUNS = (r"(?:records|data|information|files|emails|messages|credentials|passwords|"
              r"tokens|keys|conversations|chats|prompts|documents|accounts|details|"
              r"addresses|numbers|histories|logs|timestamps|counts|names|metadata|"
              r"transcripts|recordings|images|photos|videos|contacts|profiles)")
MODAL = re.compile(r"\b(could|can|may|might|would|should|if|potentially|theoretically|"
                   r"allows?\s+(?:an?\s+)?attackers?\s+to|enables?)\b", re.I)
WILD_NEGATED = re.compile(
    r"\b(?:(?:has|have|had|was|were|is|are)\s+not\s+been\s+(?:\w+\s+)?"
    r"(?:exploited|misused|abused|used\s+in\s+attacks|weaponi[sz]ed)|"
    r"no\s+(?:evidence|sign|signs|indication|reports?)\s+(?:of|that)\s+[^.]{0,60}?"
    r"(?:exploit\w*|misuse\w*|abuse\w*|attacks?|used\s+maliciously)|"
    r"(?:not|never)\s+(?:been\s+)?(?:exploited|misused|abused)\s+(?:in\s+the\s+wild|so\s+far)|"
    r"not\s+aware\s+of\s+(?:any\s+)?[^.]{0,40}?(?:exploit\w*|misuse|abuse|attacks?))", re.I)
WILD_ASSERTED = re.compile(
    r"\b(?:(?:was|were|has\s+been|have\s+been|is\s+being|are\s+being)\s+(?:actively\s+)?"
    r"(?:exploited|abused|misused)\s+(?:in\s+the\s+wild|by\s+attackers|against)|"
    r"exploited\s+in\s+the\s+wild|actively\s+exploited|"
    r"(?:attackers|hackers|criminals|threat\s+actors|fraudsters)\s+(?:have\s+|had\s+)?"
    r"(?:exploited|abused|used)\s+(?:the\s+|this\s+|a\s+)?(?:flaw|bug|vulnerability|"
    r"weakness|issue)\s+(?:against|to\s+(?:attack|target|hit))|victims\s+(?:only\s+)?(?:become|"
    r"became|noticed|reported|lost)|in-the-wild\s+(?:attacks|exploitation)|ransom\s+demands)",
    re.I)
DATA_NEGATED = re.compile(
    r"\b(?:no|none\s+of\s+the)\s+(?P<mods>(?:\w+\s+){0,3}?)(?P<noun>" + DATA_NOUNS +
    r")\b[^.]{0,40}?"
    r"\b(?:was|were|had\s+been|have\s+been|has\s+been)\s+" + HARM +
    r"|\b(?:did\s+not|didn['’]t|was\s+not\s+able\s+to)\s+(?:access|expose|obtain|steal)\s+"
    r"(?:any\s+)?(?:\w+\s+){0,2}?(?P<noun2>" + DATA_NOUNS + r")\b", re.I)
DATA_BOUNDED = re.compile(
    r"\bonly\s+(?:a\s+)?(?:small|limited|handful|few|tiny)\s+(?:number\s+|subset\s+|amount\s+"
    r"|portion\s+)?(?:of\s+)?(?P<mods>(?:\w+\s+){0,2}?)(?P<noun>" + DATA_NOUNS +
    r")\b[^.]{0,40}?"
    + HARM, re.I)
DATA_ASSERTED = re.compile(
    r"\b(?P<count>\d[\d,.]*\s*(?:million|billion|thousand)?)\s+(?P<mods>(?:\w+\s+){0,2}?)"
    r"(?P<noun>" + DATA_NOUNS + r")\b[^.]{0,40}?\b(?:were|was|had\s+been|have\s+been)\s+"
    + HARM + r"|\b" + r"(?:accessed|exposed|leaked|stole|exfiltrated|obtained|downloaded|copied|took|siphoned|"
    r"grabbed|scraped|viewed)\s+"
    r"(?P<count2>\d[\d,.]*\s*(?:million|billion|thousand)?)\s+(?P<mods2>(?:\w+\s+){0,2}?)"
    r"(?P<noun2>" + DATA_NOUNS + r")\b", re.I)
# What was reached, named without a count: "IP addresses, timestamps and usage counts of
# its customers were exposed". The named kinds are the object.
DATA_LISTED = re.compile(
    r"(?P<mods>(?:[\w-]+,?\s+){0,8}?)(?P<noun>" + DATA_NOUNS + r")\b"
    r"(?:\s+of\s+(?P<of>(?:[\w,.-]+\s+){0,4}?[\w-]+))?\s+(?:were|was|had\s+been|"
    r"have\s+been)\s+(?:\w+\s+)?" + HARM + r"\b", re.I)
# What every DATA_LISTED match contains ("had been" holds "been"): a cheap first test, as
# DATA_LISTED tries its lazy list of words at every position of the sentence.
LISTED_HINT = re.compile(r"(?:were|was|been)\s+(?:\w+\s+)?" + HARM + r"\b", re.I)
# Words that end a list's left side: what comes before them is another clause.
CLAUSE_WORDS = {"said", "says", "say", "that", "which", "who", "revealed", "reported",
                "found", "confirmed", "stated", "noted", "added", "showed", "shows", "where",
                "while", "when", "after", "because", "but", "the", "its", "their", "of",
                "in", "on", "from", "with", "by", "to", "as", "were", "was", "is", "are"}
NEGATION = re.compile(r"\b(?:no|not|never|none|nor|neither|nothing|without)\b", re.I)


@dataclass(frozen=True)
class ScopeStatement:
    object: str          # "in the wild", or the data noun ("records", "data")
    position: str        # asserted, bounded, denied
    quote: str
    start: int
    amount: str | None = None


def _noun(groups: dict) -> str:
    """The object as written: the kinds named before the data noun, then the noun
    ("api usage data", "customer records", "ip addresses timestamps usage counts")."""
    noun = (groups.get("noun") or groups.get("noun2") or "").lower()
    mods = (groups.get("mods") or groups.get("mods2") or "").lower()
    words = [w for w in re.findall(r"[a-z0-9][a-z0-9'-]*", mods) if w not in MODIFIER_STOP
             and not w[0].isdigit()]
    return " ".join(words + [noun])


MODIFIER_STOP = {"the", "a", "an", "and", "or", "of", "its", "their", "his", "her", "our",
                 "your", "any", "all", "some", "other", "such", "these", "those", "this",
                 "that", "no", "more", "than", "about", "around", "nearly", "over",
                 "actually", "million", "billion", "thousand"}


def _listed(text: str, lowered: str | None = None) -> dict | None:
    """A list of kinds of data said to be reached, with no count and no negation, as the
    groups ``_noun`` reads (its list cut to the data words and their owners).
    ``lowered``: ``text`` in lower case when it is ASCII (see ``find_scope``)."""
    if not may_match(LISTED_HINT, lowered) or not LISTED_HINT.search(text):
        return None      # (speed only) DATA_LISTED's tail is absent: skip its slow scan
    for match in DATA_LISTED.finditer(text):
        words = match.group("mods").split()
        cut = max((i + 1 for i, w in enumerate(words) if w.strip(",").lower()
                   in CLAUSE_WORDS), default=0)
        kept = " ".join(words[cut:])
        if NEGATION.search(text[:match.end()]) or MODAL.search(text[:match.end()]):
            continue
        # whose data it was, when the list says ("transcripts of 48,000 students")
        owners = [w for w in re.findall(r"[a-z]+", (match.group("of") or "").lower())
                  if w in POPULATION]
        if kept or match.group("noun").lower() not in ("data", "information", "details"):
            return {"noun": match.group("noun"), "mods": " ".join([kept] + owners).strip()}
    return None


def find_scope(text: str, offset: int = 0) -> list[ScopeStatement]:
    """Scope statements of one sentence (``offset``: where it starts in the article).

    (speed only) A pattern is not searched when the sentence lacks a word every match of
    it needs (``may_match``): most sentences hold none of the harm, exploitation or data
    words, and each pattern would otherwise try every position."""
    found: list[ScopeStatement] = []
    lowered = text.lower() if text.isascii() else None
    if may_match(WILD_NEGATED, lowered) and WILD_NEGATED.search(text):
        found.append(ScopeStatement("in the wild", "denied", text, offset))
    elif may_match(WILD_ASSERTED, lowered) and WILD_ASSERTED.search(text) and \
            not MODAL.search(text):
        found.append(ScopeStatement("in the wild", "asserted", text, offset))
    for pattern, position in ((DATA_NEGATED, "denied"), (DATA_BOUNDED, "bounded")):
        match = pattern.search(text) if may_match(pattern, lowered) else None
        if match:
            found.append(ScopeStatement(_noun(match.groupdict()), position, text, offset))
    match = DATA_ASSERTED.search(text) if may_match(DATA_ASSERTED, lowered) else None
    if match and not MODAL.search(text[:match.start()]) and not any(
            s.object == _noun(match.groupdict()) for s in found):
        amount = match.groupdict().get("count") or match.groupdict().get("count2")
        found.append(ScopeStatement(_noun(match.groupdict()), "asserted", text, offset,
                                    amount))
    elif not match and not found:
        listed = _listed(text, lowered)
        if listed:
            found.append(ScopeStatement(_noun(listed), "asserted", text, offset))
    return found


POPULATION = {"customer", "customers", "user", "users", "employee", "employees", "patient",
              "patients", "people", "member", "members", "subscriber", "subscribers",
              "client", "clients", "staff", "student", "students", "pupil", "pupils",
              "account", "accounts"}
GENERIC = {"data", "information", "details", "records", "files", "content"}


def kinds(obj: str) -> set[str]:
    """The kinds of data an object names, without whose data it is or generic nouns."""
    return {w for w in obj.split() if w not in POPULATION and w not in GENERIC}


def objects_meet(a: str, b: str) -> bool:
    """Do two scope objects speak of the same thing? The same kind of data named in both
    ("usage counts" and "usage data"), or the same noun where one names no kind
    ("records" and "customer records"). "Names and emails" and "payment card data" do
    not meet: a report may say the first was exposed and the second not, both true."""
    if a == b:
        return True
    if "in the wild" in (a, b):
        return False
    owners_a, owners_b = _owners(a), _owners(b)
    if owners_a and owners_b and not owners_a & owners_b:
        return False          # "patient data" and "staff data": whose data differs
    kinds_a, kinds_b = kinds(a), kinds(b)
    if kinds_a & kinds_b:
        return True
    return a.split()[-1] == b.split()[-1] and not (kinds_a and kinds_b)


def _owners(obj: str) -> set[str]:
    return {w.rstrip("s") for w in obj.split() if w in POPULATION}


def owners_told(a: str, b: str) -> bool:
    """Both objects say whose data it was, or neither does: then a meeting of the two
    is a hard contradiction. "No customer data was exposed" against "38 TB of private
    data were exposed" may be about different people's data: a soft one."""
    return bool(_owners(a)) == bool(_owners(b))
