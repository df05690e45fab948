"""Typed figures: "fell 4.9% to a 16-month low", "25,000 fake accounts", "$4m", "300 GB".

Each figure gets a kind from the export contract, a normalised value (a fall is
negative; "$1.2bn" is 1200000000 USD), a qualifier for approximations, the entity it
is about, and its sentence as the quote. Dates, years, versions, times, durations and
numbers inside entity names are never figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.attrs import LOWER
from spacy.language import Language
from spacy.strings import hash_string
from spacy.tokens import Doc, Span

from aiwire.nlp.doccache import (FIGURELESS, PARSES, SENTS, doc_text, parses, sentences,
                                 span_text)
from aiwire.nlp.entities import Mention
from aiwire.nlp.numbers import (DIGITS, NUMBER_WORD_START, NUMBER_WORDS, SCALE_WORD,
                                parse_number)
from aiwire.nlp.parsing import ROLE_CACHE, sentence_role, speaks, title_case

QUAL = (r"(?P<qual>~\s?|(?:about|around|roughly|some|nearly|almost|approximately|approx\.|"
        r"an\s+estimated|estimated|close\s+to|more\s+than|over|at\s+least|upwards\s+of|"
        r"in\s+excess\s+of|north\s+of|up\s+to|fewer\s+than|less\s+than|under|"
        r"just\s+over|just\s+under|as\s+many\s+as|as\s+much\s+as)\s+)?")
QUALIFIERS = {
    "approximately": ("~", "about", "around", "roughly", "some", "nearly", "almost",
                      "approximately", "approx.", "an estimated", "estimated", "close to"),
    "at_least": ("more than", "over", "at least", "upwards of", "in excess of", "north of",
                 "just over", "as many as", "as much as"),
    "at_most": ("up to", "fewer than", "less than", "under", "just under"),
}
NUM = rf"(?:(?P<digits>{DIGITS})|\b(?P<words>{NUMBER_WORDS})\b)"
# "US$ 499, 000": a stray space after the thousands comma, seen on hurried pages
SPACED = r"[0-9]{1,3}(?:,\s[0-9]{3})+(?![0-9])"

CURRENCY_SYMBOLS = {"us$": "USD", "$": "USD", "hk$": "HKD", "a$": "AUD", "c$": "CAD",
                    "s$": "SGD", "€": "EUR", "£": "GBP", "¥": "CNY", "rmb": "CNY",
                    "usd": "USD", "eur": "EUR", "gbp": "GBP", "cny": "CNY", "hkd": "HKD"}
CURRENCY_WORDS = {"dollars": "USD", "us dollars": "USD", "u.s. dollars": "USD",
                  "euro": "EUR", "euros": "EUR", "pounds": "GBP", "pounds sterling": "GBP",
                  "yuan": "CNY", "renminbi": "CNY", "rmb": "CNY", "hong kong dollars": "HKD",
                  "hk dollars": "HKD", "usd": "USD", "eur": "EUR", "gbp": "GBP",
                  "cny": "CNY", "hkd": "HKD"}
DATA_UNITS = {"kb": "KB", "mb": "MB", "gb": "GB", "tb": "TB", "pb": "PB",
              "kib": "KiB", "mib": "MiB", "gib": "GiB", "tib": "TiB", "pib": "PiB",
              "kilobyte": "KB", "megabyte": "MB", "gigabyte": "GB", "terabyte": "TB",
              "petabyte": "PB", "kibibyte": "KiB", "mebibyte": "MiB", "gibibyte": "GiB",
              "tebibyte": "TiB", "pebibyte": "PiB", "byte": "B"}

PATTERNS: list[tuple[str, re.Pattern]] = [
    ("stock_extreme", re.compile(
        rf"\b(?P<n>[0-9]+|{NUMBER_WORDS})[- ](?P<per>month|year|week|decade)[- ]"
        rf"(?P<lh>low|high)s?\b", re.I)),
    ("stock_extreme_long", re.compile(
        rf"\b(?P<lh>lowest|highest)\s+(?:level|close|point|price)?\s*(?:in|since)\s+"
        rf"(?:more\s+than\s+|nearly\s+|almost\s+)?(?P<n>[0-9]+|{NUMBER_WORDS})\s+"
        rf"(?P<per>month|year|week)s?\b", re.I)),
    ("money", re.compile(
        rf"{QUAL}(?P<cur>US\$|HK\$|A\$|C\$|S\$|\$|€|£|¥|RMB\s?|USD\s?|EUR\s?|GBP\s?|CNY\s?|"
        rf"HKD\s?)\s?(?P<digits>{SPACED}|{DIGITS})(?:\s?(?P<scale>{SCALE_WORD}))?", re.I)),
    ("money", re.compile(
        rf"{QUAL}{NUM}\s?(?:(?P<scale>{SCALE_WORD})\s)?(?P<curword>(?:U\.?S\.?\s)?dollars|"
        rf"euros?|pounds(?:\ssterling)?|yuan|renminbi|(?:Hong\sKong|HK)\sdollars|USD|EUR|"
        rf"GBP|CNY|HKD|RMB)\b", re.I)),
    ("data_volume", re.compile(
        rf"{QUAL}(?P<digits>{DIGITS})\s?(?P<du>[KMGTP]i?B|(?:kilo|mega|giga|tera|peta|kibi|mebi|"
        rf"gibi|tebi|pebi)?bytes?)\b",
        re.I)),
    ("percent", re.compile(
        rf"{QUAL}{NUM}\s?(?:%|\s?per\s?cent\b|\s?percent\b|\s?percentage\s+points?\b)", re.I)),
    ("times", re.compile(
        rf"\b(?P<verb>downloaded|pulled|fetched|installed|viewed|cloned|shared|forked|starred|accessed|"
        rf"used|called|queried)\s+{QUAL}{NUM}(?:\s(?P<scale>thousand|million|billion)\b)?"
        rf"\s+times\b", re.I)),
    ("count", re.compile(
        rf"{QUAL}{NUM}(?:\s(?P<scale>thousand|million|billion|trillion)\b|"
        rf"(?P<sfx>k|m|bn|mn)\b)?(?P<plus>\+)?(?=\s+[A-Za-z])", re.I)),
]

# One cheap search that every pattern above implies: most sentences hold no number.
HAS_NUMBER = re.compile(rf"[0-9]|\b(?:{NUMBER_WORD_START}|hundred|thousand|million|billion|"
                        rf"trillion)\b", re.I)
# (speed only) Per family, text that every pattern of the family requires (its currency,
# unit, "%"/"per cent", "times", "low"/"high"): a sentence without it is not scanned, as
# each pattern tries its optional qualifier at every position. A pattern added to one of
# these families must require the same text.
FAMILY_NEEDS = {
    "stock_extreme": re.compile(r"low|high", re.I),
    "stock_extreme_long": re.compile(r"low|high", re.I),
    "money": re.compile(r"[$€£¥]|rmb|usd|eur|gbp|cny|hkd|dollars|pounds|yuan|renminbi", re.I),
    "data_volume": re.compile(r"[kmgtp]i?b|byte", re.I),
    "percent": re.compile(r"%|per\s?cent", re.I),
    "times": re.compile(r"times", re.I),
}

# Figure families by how often a sentence with a number holds one: ``holds_figure``
# stops at the first hit, and the common "count" pattern answers for most sentences.
FAMILY_ORDER = ("count", "percent", "money", "data_volume", "times")
_SCAN: list[tuple[re.Pattern | None, re.Pattern]] = []


def holds_figure(text: str) -> bool:
    """Whether any of :data:`PATTERNS` matches ``text``: what the selective parser asks
    before parsing a sentence for its figures. Families likeliest first, each skipped,
    as :meth:`FigureExtractor._sentence` skips it, when its required text is absent."""
    if len(_SCAN) != len(PATTERNS):
        rank = {family: index for index, family in enumerate(FAMILY_ORDER)}
        _SCAN[:] = [(FAMILY_NEEDS.get(family), pattern) for family, pattern in
                    sorted(PATTERNS, key=lambda fp: rank.get(fp[0], len(rank)))]
    for needs, pattern in _SCAN:
        if (needs is None or needs.search(text)) and pattern.search(text):
            return True
    return False


# The kind a count takes from what it counts (the counted noun's lemma). Anything else
# is a ``count`` whose unit is the noun itself: messages, records, files, tokens,
# repositories, transfers.
COUNT_KINDS = {
    "account": "account_count",
    "user": "user_count", "customer": "user_count", "subscriber": "user_count",
    "member": "user_count", "subscription": "user_count", "patient": "user_count",
    "request": "request_count", "query": "request_count", "prompt": "request_count",
    "exchange": "request_count", "api call": "request_count",
    "conversation": "request_count",
}
# A modifier that changes what the noun means: a bank account is not a platform account.
COMPOUND_SENSE = {("bank", "account"): "count", ("email", "account"): "account_count"}
# Nouns that enumerate the text's own structure ("three categories", "5 lessons"), or
# parts of a written thing ("the last four digits"): never a figure.
ENUMERATION = {"approach", "category", "behavior", "behaviour", "lesson", "tip", "signal",
               "trend", "sin", "role", "weakness", "mitigation", "way", "step", "move",
               "reason", "type", "kind", "stage", "phase", "question", "factor", "principle",
               "pillar", "layer", "area", "takeaway", "thing", "point", "key", "idea",
               "option", "scenario", "pattern", "group", "class", "tier", "flavor", "flavour",
               "implication", "consequence", "example", "challenge", "insight",
               "recommendation", "practice", "measure", "pitfall", "myth"}
TEXT_UNITS = {"digit", "character", "letter", "word", "line", "page", "paragraph",
              "chapter", "slide", "sentence", "item", "section"}
VERB_NOUNS = {"downloaded": "download", "pulled": "download", "fetched": "download",
              "installed": "install", "viewed": "view",
              "cloned": "clone", "shared": "share", "forked": "fork", "starred": "star",
              "accessed": "access", "used": "use", "called": "request", "queried": "request"}
EMPLOYEES = {"staff", "employees", "employee", "workers", "personnel", "staffers"}
UNCOUNTED = re.compile(r"^\s*(?:people|sources|persons|officials)\s+(?:familiar|close|"
                       r"briefed|with\s+knowledge)", re.I)
DURATIONS = {"second", "minute", "hour", "day", "week", "month", "year", "decade",
             "quarter", "session", "time", "night", "weekend", "century", "point"}
STOP_WORDS = {"of", "and", "in", "to", "the", "a", "an", "that", "which", "was", "were",
              "is", "are", "had", "has", "have", "from", "on", "at", "by", "for", "with",
              "or", "per", "each", "than", "as", "it", "its", "their", "his", "her", "this",
              "these", "those", "who", "after", "before", "since", "over", "into", "out",
              "more", "less", "times", "percent", "%", "be", "been", "will", "would", "could",
              "across", "among", "through", "during", "while", "when", "then", "so", "but",
              "if", "not", "no", "up", "down", "about", "around", "between"}
MONTHS = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?$",
                    re.I)
MONTH_AFTER = re.compile(r"^\s*(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b",
                         re.I)
FALL = re.compile(r"\b(fell|fall|falls|falling|dropped|drop|drops|slid|slide|slides|sliding|"
                  r"slipped|slip|sank|sink|sinks|plunged|plunge|plunges|tumbled|tumble|"
                  r"lost|lose|loses|losing|shed|sheds|declined|decline|declines|down|lower|"
                  r"dipped|dip|retreated|eased|skidded|plummeted|crashed|sell-off|slump\w*)\b",
                  re.I)
RISE = re.compile(r"\b(rose|rise|rises|rising|jumped|jump|jumps|gained|gain|gains|climbed|"
                  r"climb|climbs|up|higher|surged|surge|surges|soared|soar|rallied|rally|"
                  r"added|advanced|spiked|leapt|leaped|rebounded|rebound)\b", re.I)
STOCK_CONTEXT = re.compile(r"\b(shares?|stock|stocks|share\s+price|ticker|traded|trading|"
                           r"listed|market\s+value|valuation|ADRs?|Hang\s+Seng|Nasdaq|NYSE|"
                           r"investors|sell-off)\b", re.I)
LOCALE_THOUSANDS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
# Words that may stand right before a count without making it part of a name.
NOT_NAMES = {"over", "about", "nearly", "some", "more", "than", "almost", "around", "roughly",
             "approximately", "just", "only", "all", "the", "its", "their", "total", "including",
             "exposed", "affecting", "across", "with", "from", "at", "by", "of", "and", "to",
             "in", "on", "for", "by", "an", "a", "another", "least", "up", "under", "below",
             "above", "exactly", "estimated", "scanned", "found", "leaked", "stole", "used"}
# A spelled-out number after a definite word points back to things already named:
# "the two companies", "these three documents", "both four-person teams".
ANAPHORIC = re.compile(r"\b(?:the|these|those|both|all|its|their)\s*$", re.I)
# "a million lines of sensitive data": lines that measure data, not a text's own lines
DATA_OF = re.compile(r"^\s+of\s+(?:[a-z-]+\s+){0,2}?(?:data|logs?|code|records?|text|"
                     r"information|chats?|messages|conversations)\b", re.I)
# People counted by what they are, in small spelled-out numbers, are a scene's cast.
PEOPLE_NOUNS = {"individual", "person", "head", "official", "leader", "lawmaker", "senator",
                "executive", "manager", "director", "spokesperson", "spokesman", "spokeswoman",
                "legislator", "colleague", "adviser", "advisor", "aide", "staffer",
                "researcher", "analyst", "expert", "investigator", "journalist", "reporter"}
# Conversations a system exposed, indexed or leaked are data, counted as such; the ones an
# actor ran against a model ("5,000 test conversations") are requests.
EXPOSED_DATA = re.compile(r"\b(?:expos\w+|index\w*|searchable|visible|leak\w*|public(?:ly)?|"
                          r"published|accessible|scraped|showed\s+up|appear\w*|surfac\w+|"
                          r"search\s+results|logged|stored)\b",
                          re.I)


def _is_title(noun: str) -> bool:
    """A job title from ``kb/roles.yaml`` ("executive", "engineer", "director")."""
    from aiwire.nlp.assertions import role_kinds

    return noun.lower() in role_kinds()[1]


# A count whose noun was said just before: "170 of them", "including 655 with write access".
ELIDED = re.compile(r"^\s*(?:of\s+(?:them|those|these)\b|with\b|were\b|are\b|had\b|have\b)",
                    re.I)
# Verbs that only markets use with a bare percentage: "closed 3% lower", "shed 5%".
MARKET_VERB = re.compile(r"\b(closed|closes|closing|ended|ends|finished|opened|opens|shed|"
                         r"sheds|shedding)\b[^.;]{0,25}$", re.I)
REPORTING_AFTER = re.compile(r"^\W{0,3}(?:'s\s+)?(?:\w+\s+)?(said|says|told|alleges|alleged|"
                             r"accused|claims|claimed|denied|declined|confirmed|estimated|"
                             r"reported|stated|added|noted|warned|wrote|argues|argued)\b", re.I)


@dataclass
class Figure:
    kind: str
    value: float
    unit: str | None
    subject: str | None
    qualifier: str | None
    text: str
    quote: str
    start: int          # character offset of the figure in doc.text


if not Doc.has_extension("figures"):
    Doc.set_extension("figures", default=None)


def _qualifier(match: re.Match) -> str | None:
    if match.groupdict().get("plus"):
        return "at_least"                # "170+ apps"
    qual = (match.groupdict().get("qual") or "").strip().lower()
    qual = re.sub(r"\s+", " ", qual)
    for name, words in QUALIFIERS.items():
        if qual in words:
            return name
    return None


def _singular(word: str) -> str:
    word = word.lower()
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if re.search(r"(ches|shes|sses|xes)$", word):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _counted_noun(tail: str, titled: bool = False) -> tuple[str, str] | None:
    """The noun a number counts: '25,000 fake accounts' -> ('accounts', 'account')."""
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", tail[:80])
    # "Hugging Face and GitHub tokens": names joined by "and" modify the noun after them
    words = [w for i, w in enumerate(words) if not (
        w.lower() in ("and", "or") and 0 < i < len(words) - 1 and words[i - 1][0].isupper()
        and words[i + 1][0].isupper())]
    if len(words) > 2 and words[0].lower() == "of" and words[1].lower() in (
            "those", "the", "these", "its", "their", "all"):
        words = words[2:]            # "some 1,800 of those downloads"
    for index, word in enumerate(words[:6]):
        lower = word.lower()
        if word[0].isupper() and not titled and index + 1 < len(words[:6]) and \
                words[index + 1].lower() not in STOP_WORDS:
            continue                 # "30,000 Teams messages", "30 New York Times employees"
        if lower in EMPLOYEES:
            following = words[index + 1].lower() if index + 1 < len(words) else ""
            if lower in ("employee", "staff") and following.endswith("s") and \
                    following not in STOP_WORDS and following not in EMPLOYEES:
                continue             # "two employee devices": devices, owned by staff
            return word, "employee"
        if lower == "people":
            return word, "person"
        if lower in STOP_WORDS:
            return None
        two = f"{lower} {words[index + 1].lower()}" if index + 1 < len(words) else ""
        if _singular(two.split(" ")[-1]) in ("call",) and two.startswith("api"):
            return two, "api call"
        singular = _singular(lower)
        if singular == lower and index + 1 < len(words[:4]):
            following = words[index + 1].lower()
            if following not in STOP_WORDS and _singular(following) != following:
                continue             # "patient records": the head noun comes last
        if singular in COUNT_KINDS or singular in DURATIONS:
            return word, singular
        if lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and len(lower) > 3:
            # a plural noun, unless the next word is a better noun ("security researchers")
            if index + 1 < len(words[:4]):
                following = words[index + 1].lower()
                if following not in STOP_WORDS and following.endswith("s") and \
                        _singular(following) in COUNT_KINDS:
                    continue
            return word, singular
    return None


SUBJECT_TYPES = {"ORG", "PRODUCT", "THREAT_ACTOR"}
CLAUSE_DEPS = {"acl", "relcl", "appos", "prep", "advcl", "agent", "conj", "cc", "punct"}
LOOSE_KINDS = {"account_count", "user_count", "request_count", "count", "money",
               "data_volume"}


def _path_to(token, root) -> list:
    """Tokens from ``token`` up to (not including) ``root``."""
    path = []
    while token.i != root.i and token.head.i != token.i:   # spaCy tokens compare by index
        path.append(token)
        token = token.head
    return path
PRODUCT_NOUNS = {"model", "kit", "tool", "toolkit", "assistant", "chatbot", "service", "app",
                 "product", "system", "bot", "fine-tune", "file", "upload"}
ORG_NOUNS = {"company", "firm", "group", "giant", "startup", "start-up", "bank", "lender",
             "gang", "crew", "lab", "developer", "maker", "business", "operator", "seller",
             "vendor", "provider", "platform", "hub", "account", "insurer", "retailer"}


STANDS_FOR_A_PARTY = frozenset(PRODUCT_NOUNS | ORG_NOUNS)
LOWER_CACHE = "aiwire_lower"      # the document's LOWER column, per document


def parse_can_name(sent: Span, mentions: list[Mention]) -> bool:
    """Whether the parse can tell whose figure this sentence holds: only through a party
    named in it (an organisation, product or threat group) or a word that stands for one
    ("the company", "the model"); without either, :meth:`FigureExtractor._parsed_subject`
    finds nobody whatever the parse says. Asked before parsing: such a sentence is not
    parsed for its figures (the parse costs more than the rest of the analysis)."""
    lo, hi = sent.start_char, sent.end_char
    if any(m.type in SUBJECT_TYPES and lo <= m.start < hi for m in mentions):
        return True
    doc = sent.doc
    lower = doc.user_data.get(LOWER_CACHE)
    if lower is None:
        lower = doc.user_data[LOWER_CACHE] = doc.to_array(LOWER).tolist() if len(doc) else []
    return any(lower[i] in _party_word_ids() for i in range(sent.start, sent.end))


_PARTY_WORD_IDS: set[int] = set()


def _party_word_ids() -> set[int]:
    """Hashes of :data:`STANDS_FOR_A_PARTY` as spaCy's LOWER column holds them."""
    if not _PARTY_WORD_IDS:
        _PARTY_WORD_IDS.update(hash_string(word) for word in STANDS_FOR_A_PARTY)
    return _PARTY_WORD_IDS


def _salient(mentions: list[Mention], position: int, types: set[str],
             exclude: set | None = None) -> str | None:
    """The most named entity of these types before ``position`` (ties: the latest)."""
    counts: dict[str, int] = {}
    last: dict[str, int] = {}
    exclude = exclude or set()
    for index, mention in enumerate(m for m in mentions if m.start < position
                                    and m.type in types and m.id not in exclude):
        counts[mention.id] = counts.get(mention.id, 0) + 1
        last[mention.id] = index
    return max(counts, key=lambda i: (counts[i], last[i])) if counts else None


def _speaking_org(sent, mentions: list[Mention]) -> str | None:
    """The organisation a sentence quotes ("..., X said", "according to X")."""
    text = doc_text(sent.doc)
    lo, hi = sent.start_char, sent.end_char
    for mention in mentions:
        if not (lo <= mention.start < hi) or mention.type != "ORG":
            continue
        if REPORTING_AFTER.match(text[mention.end:mention.end + 30]) or re.search(
                r"according\s+to\s*$", text[max(lo, mention.start - 20):mention.start], re.I):
            return mention.id
    return None


def main_actor(text: str, mentions: list[Mention]) -> str | None:
    """The organisation or product the article is about: named most, the headline's
    names counting three times (a bystander named twice in passing never wins)."""
    first_line = text.find("\n")
    first_line = len(text) if first_line < 0 else first_line
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for mention in mentions:
        if mention.type not in SUBJECT_TYPES:
            continue
        counts[mention.id] = counts.get(mention.id, 0) + (3 if mention.start < first_line else 1)
        first.setdefault(mention.id, mention.start)
    if not counts:
        return None
    return max(counts, key=lambda k: (counts[k], -first[k]))


def harmonise_subjects(figures: list["Figure"]) -> None:
    """The same figure repeated in one article is about one thing: its majority subject."""
    votes: dict[tuple, dict[str, int]] = {}
    for figure in figures:
        if figure.subject:
            key = (figure.kind, figure.value, figure.unit)
            votes.setdefault(key, {})
            votes[key][figure.subject] = votes[key].get(figure.subject, 0) + 1
    for figure in figures:
        choice = votes.get((figure.kind, figure.value, figure.unit))
        if choice:
            figure.subject = max(sorted(choice), key=lambda s: choice[s])


class FigureExtractor:
    def __init__(self) -> None:
        self.tok2vec = None
        self.parser = None
        self._parses: dict = {}
        self._last_noun: tuple[str, str] | None = None
        self._figureless: set[int] = set()

    def use_parser(self, tok2vec, parser) -> None:
        self.tok2vec, self.parser = tok2vec, parser

    def __call__(self, doc: Doc) -> Doc:
        self._parses = {}
        self._last_noun = None
        mentions: list[Mention] = doc._.mentions or []
        figures: list[Figure] = []
        blocked = [(m.start, m.end) for m in mentions]
        targets: dict[str, int] = {}
        for claim in doc._.claims or []:
            if claim.stance == "alleges" and claim.target:
                targets[claim.target] = targets.get(claim.target, 0) + 1
        accused = sorted(targets, key=lambda t: -targets[t])[:1]
        previous = ""
        self._main = main_actor(doc_text(doc), mentions)
        self._figureless = doc.user_data.get(FIGURELESS) or set()
        carried: str | None = None
        for sent in sentences(doc):
            if not speaks(sentence_role(doc, sent)):
                continue         # headings, other stories' headlines, captions, share boxes
            found = self._sentence(doc, sent, previous, mentions, blocked, accused, carried)
            figures.extend(found)
            subjects = [f.subject for f in found if f.subject]
            carried = subjects[-1] if subjects else None
            previous = span_text(sent)
        harmonise_subjects(figures)
        self._parses, self._figureless = {}, set()
        doc._.figures = figures
        for key in (PARSES, SENTS, ROLE_CACHE, LOWER_CACHE, FIGURELESS):   # the last user
            doc.user_data.pop(key, None)
        return doc

    def _sentence(self, doc: Doc, sent, previous: str, mentions, blocked,
                  accused, carried: str | None = None) -> list[Figure]:
        if sent.start in self._figureless:
            return []            # the selective parser's scan found no figure pattern here
        text = span_text(sent)
        if not HAS_NUMBER.search(text):
            return []            # every pattern needs a digit or a number word
        offset = sent.start_char
        taken: list[tuple[int, int]] = []
        found: list[Figure] = []
        for family, pattern in PATTERNS:
            needs = FAMILY_NEEDS.get(family)
            if needs is not None and not needs.search(text):
                continue         # (speed only) the family's required word is not here
            for match in pattern.finditer(text):
                start, end = match.start(), match.end()
                groups = match.groupdict()
                number_start = next((match.start(g) for g in ("digits", "words", "n")
                                     if groups.get(g)), start + len(groups.get("qual") or ""))
                if any(s < end and start < e for s, e in taken):
                    continue
                absolute = offset + number_start
                if any(s <= absolute < e for s, e in blocked):
                    continue      # inside a name: "Claude 3.5", "CVE-2026-41872"
                figure = self._build(family, match, text, previous)
                if figure is None:
                    continue
                kind, value, unit, extra_end = figure
                end = max(end, extra_end)
                taken.append((start, end))
                subject = self._parsed_subject(kind, sent, number_start, mentions)
                if kind == "user_count":
                    # a company's users are the company's figure: "2 million users were
                    # affected, Orchard said" is Orchard's, not the product's
                    subject = _speaking_org(sent, mentions) or subject
                if kind == "money" and re.search(r"\bransom", text, re.I) and subject and \
                        any(m.id == subject and m.type == "THREAT_ACTOR" for m in mentions):
                    subject = None       # a ransom is filed under the victim, not the gang
                if subject is None:
                    subject = self._subject(kind, offset + start, offset + end, sent, mentions,
                                            accused, self._main)
                if subject is None:
                    # nobody named here: the previous sentence's subject, else the actor
                    subject = carried or self._main
                found.append(Figure(kind=kind, value=value, unit=unit, subject=subject,
                                    qualifier=_qualifier(match), text=text[number_start:end],
                                    quote=text.strip(), start=offset + number_start))
        return found

    def _build(self, family: str, match: re.Match, text: str, previous: str):
        groups = match.groupdict()
        if family.startswith("stock_extreme"):
            n = parse_number(groups["n"] if groups["n"].isdigit() else None,
                             None if groups["n"].isdigit() else groups["n"])
            if n is None:
                return None
            kind = "stock_low" if groups["lh"].lower().startswith("low") else "stock_high"
            return kind, n, groups["per"].lower(), match.end()
        if family == "money":
            value = parse_number(groups.get("digits"), groups.get("words"), groups.get("scale"))
            if value is None:
                return None
            if groups.get("cur"):
                currency = CURRENCY_SYMBOLS.get(groups["cur"].strip().lower(), "USD")
            else:
                word = re.sub(r"\s+", " ", groups["curword"].lower())
                currency = CURRENCY_WORDS.get(word, CURRENCY_WORDS.get(word.split()[-1], "USD"))
                if word.startswith(("us ", "u.s")):
                    currency = "USD"
            return "money", value, currency, match.end()
        if family == "data_volume":
            unit = groups["du"].lower().rstrip("s")
            unit = DATA_UNITS.get(unit, DATA_UNITS.get(unit[:2], groups["du"].upper()))
            value = parse_number(groups["digits"], whole_units=unit == "B")
            return "data_volume", value, unit, match.end()
        if family == "percent":
            value = parse_number(groups.get("digits"), groups.get("words"))
            if value is None:
                return None
            sign = self._stock_sign(text, match, previous)
            if sign is not None:
                return "stock_change", round(sign * value, 6), "percent", match.end()
            if value == 100 and not re.match(r"^\s*of\b", text[match.end():]):
                return None          # "100% accuracy", "100% sure": emphasis, not a share
            return "percent", value, "percent", match.end()
        if family == "times":
            value = parse_number(groups.get("digits"), groups.get("words"), groups.get("scale"))
            if value is None:
                return None
            unit = VERB_NOUNS[groups["verb"].lower()]
            kind = "request_count" if unit == "request" else "count"
            return kind, value, unit if kind == "count" else "request", match.end()
        if family == "count":
            found = self._count(match, text, self._last_noun)
            if found is not None and found[0] in ("count", "account_count", "user_count",
                                                  "request_count"):
                self._last_noun = ("", found[2])
            return found
        return None

    @staticmethod
    def _stock_sign(text: str, match: re.Match, previous: str) -> int | None:
        """+1 / -1 when the percentage is a share-price move, else None."""
        before = text[max(0, match.start() - 45):match.start()]
        after = text[match.end():match.end() + 30]
        if re.match(r"^\s*of\b", after):
            return None                  # "shed 5% of its staff": a share of something
        context = STOCK_CONTEXT.search(text) or STOCK_CONTEXT.search(previous) or \
            MARKET_VERB.search(before)
        if not context:
            return None
        direction = re.match(r"^\s*(lower|higher|down|up)\b", after, re.I)
        if direction:                    # "closed 3% lower"
            return -1 if direction.group(1).lower() in ("lower", "down") else 1
        window_before = before.split(",")[-1]
        fall = list(FALL.finditer(window_before))
        rise = list(RISE.finditer(window_before))
        after_noun = re.match(r"^\s*(?:(?:stock|share|price)\s+)?(drop|fall|decline|slide|"
                              r"plunge|loss|slump|gain|jump|rise|rally|surge|climb|increase)\b",
                              after, re.I)
        if after_noun:
            word = after_noun.group(1).lower()
            return -1 if word in ("drop", "fall", "decline", "slide", "plunge", "loss",
                                  "slump") else 1
        if not fall and not rise:
            return None
        last_fall = fall[-1].start() if fall else -1
        last_rise = rise[-1].start() if rise else -1
        return -1 if last_fall > last_rise else 1

    @staticmethod
    def _count(match: re.Match, text: str, last_noun: tuple[str, str] | None = None):
        groups = match.groupdict()
        digits, words = groups.get("digits"), groups.get("words")
        scale = groups.get("scale") or groups.get("sfx")
        before = text[:match.start()].rstrip()
        after = text[match.end():]
        if digits:
            plain = digits.replace(",", "")
            if re.fullmatch(r"(19|20)\d\d", digits) and not scale:
                return None                      # a year
            if MONTHS.search(before) or MONTH_AFTER.match(after):
                return None                      # a date
            if re.match(r"^\s?(?:[ap]\.?m\.?|o'clock)(?![a-z])", after, re.I):
                return None                      # "at 1 AM PST": a time
            if re.match(r"^[:.]\d", after) or re.search(r"(?:No\.|#|version|v)\s*$", before,
                                                         re.I):
                return None
            if re.search(r"[-/]$", before) or re.match(r"^[-/]\d", after):
                return None                      # ranges, ids, dates like 11/17
            if not scale and "." in plain and not LOCALE_THOUSANDS.fullmatch(plain):
                return None                      # "3.5 Sonnet": a version, not a count
            name = re.search(r"(?:^|\s)([A-Z][A-Za-z&]+)$", before)
            if name and before.strip() != name.group(1) and \
                    name.group(1).lower() not in NOT_NAMES:
                return None                      # "Fortune 500", "Microsoft 365": a name
        elif words and not scale:
            value = parse_number(None, words)
            if value is None or value < 2 or words.lower() in ("one", "a"):
                return None                      # "one of the", "a few": not a count
            if ANAPHORIC.search(before):
                return None                      # "the two companies": named before
        if UNCOUNTED.match(after):
            return None                          # "two people familiar with": sourcing
        dozen = re.match(r"^\s+dozen\b", after, re.I) if not scale else None
        if dozen:
            after = after[dozen.end():]          # "two dozen charges": 24 charges
        ratio = re.match(r"^\s*of\s+(?:the\s+)?[0-9][0-9,.]*\+?\s+", after)
        noun = _counted_noun(after[ratio.end():] if ratio else after, title_case(text))
        if noun is None and last_noun and ELIDED.match(after):
            noun = last_noun                     # "170 of them", "655 with write access"
            word = ""
        if noun is None:
            return None
        word, singular = noun if noun is not last_noun else ("", noun[1])
        small = parse_number(digits, words, scale, whole_units=True)
        if dozen and small is not None:
            small *= 12
        if singular in DURATIONS:
            return None
        if singular in TEXT_UNITS and not (
                word and small is not None and small >= 1000 and (
                    re.search(r"[A-Za-z]{3,}\s+$", after[:after.find(word)]) or
                    DATA_OF.match(after[after.find(word) + len(word):]))):
            return None      # "the last four digits"; but "a million log lines" is data
        if words and not scale and small is not None and small < 10 and \
                (singular in PEOPLE_NOUNS or _is_title(singular)) and _qualifier(match) is None:
            # "alongside two committee heads": who was there, not a figure; a count told
            # with a qualifier ("at least five officials") is whom it reached
            return None
        if singular in ENUMERATION and small is not None and small < 10:
            return None                          # "three categories", "5 lessons"
        if word:
            modifier = re.findall(r"[A-Za-z]+", after[:after.find(word)])
            sense = COMPOUND_SENSE.get((modifier[-1].lower(), singular)) if modifier else None
        else:
            sense = None
        if singular == "person":
            following = after[after.find(word) + len(word):][:40].lower()
            if re.search(r"\bemploy\w*\s*(?:about|around|roughly|some|nearly|more than|over)?\s*$",
                         before.lower()):
                singular = "employee"
            elif re.match(r"^\s*(who\s+(use|pay|subscribe)|using|willing\s+to\s+pay|paying)",
                          following):
                singular = "user"
        value = parse_number(digits, words, scale, whole_units=True)
        if value is None:
            return None
        if dozen:
            value *= 12
        kind = sense or COUNT_KINDS.get(singular, "count")
        if singular in ("conversation", "chat") and EXPOSED_DATA.search(text):
            kind = "count"                       # conversations exposed: data, not requests
        unit = {"account_count": "account", "user_count": "user",
                "request_count": "request"}.get(kind, singular)
        noun_end = match.end() + (dozen.end() if dozen else 0) + \
            (after.find(word) + len(word) if word and not ratio else 0)
        if sense and word:
            unit = f"{modifier[-1].lower()} {singular}"        # "bank account"
        return kind, value, unit, noun_end

    def _parse(self, sent):
        cached = parses(sent.doc).get(sent.start) or self._parses.get(sent.start)
        if cached is None and self.tok2vec is not None:
            cached = self.parser(self.tok2vec(sent.as_doc()))
            self._parses[sent.start] = cached
        return cached

    def _parsed_subject(self, kind: str, sent, number_start: int,
                        mentions: list[Mention]) -> str | None:
        """Whose figure, from the parse: the possessor of the counted noun ("Alibaba's
        shares"), else the subject of the clause that holds it ("the Chinese technology
        giant used 25,000 accounts"), with "the giant"/"the kit" resolved to the most
        named fitting entity of the article so far."""
        if kind in ("stock_change", "stock_low", "stock_high"):
            return None          # the stock heuristic (nearest company) is more reliable
        if not parse_can_name(sent, mentions):
            return None          # nobody here for the parse to find
        parsed = self._parse(sent)
        if parsed is None:
            return None
        token = next((t for t in parsed if t.idx <= number_start < t.idx + len(t.text) + 1),
                     None)
        if token is None:
            return None
        offset = sent.start_char
        noun = token.head if token.dep_ in ("nummod", "quantmod", "compound") else token

        def mention_in(tok) -> str | None:
            # the phrase's core only: "The data, discovered by Keyhole," is about the data
            core = [t for t in tok.subtree if not any(
                a.dep_ in CLAUSE_DEPS for a in _path_to(t, tok))]
            spans = [(offset + t.idx, offset + t.idx + len(t.text)) for t in core]
            inside = [m for m in mentions if m.type in SUBJECT_TYPES and any(
                lo <= m.start < hi for lo, hi in spans)]
            return inside[0].id if inside else None

        for child in noun.children:
            if child.dep_ in ("poss",):
                found = mention_in(child)
                if found:
                    return found
        for child in noun.children:
            # the noun's own words name the owner: "1,645 Lovable-built apps",
            # "repositories published by nova-labs", "the Nx tool, downloaded 4m times"
            if child.dep_ in ("compound", "amod", "nmod") and child.i < noun.i:
                found = mention_in(child)
                if found:
                    return found
            if child.dep_ == "acl":
                agent = next((a for a in child.children if a.dep_ == "agent"), None)
                found = mention_in(agent) if agent is not None else None
                if found:
                    return found
        if noun.dep_ == "acl" or (noun.head.dep_ == "acl" and noun.dep_ in ("npadvmod",
                                                                           "dobj")):
            owner = noun.head if noun.dep_ == "acl" else noun.head.head
            owner = owner.head if owner.dep_ == "acl" else owner
            found = mention_in(owner)
            if found:
                return found
        verb = None
        for ancestor in noun.ancestors:
            if re.match(r"(accus|charg|blam)", ancestor.text, re.I):
                accused = next((c for c in ancestor.children if c.dep_ == "dobj"), None)
                if accused is None:
                    return None
                # "A accuses B of using 25,000 accounts": about B, never about the accuser
                accuser = next((c for c in ancestor.children if c.dep_ == "nsubj"), None)
                exclude = {mention_in(accuser)} if accuser is not None else set()
                return mention_in(accused) or (
                    _salient(mentions, offset + accused.idx, {"ORG", "THREAT_ACTOR"},
                             exclude) if accused.text.lower() in ORG_NOUNS else None)
            if any(c.dep_ in ("nsubj", "nsubjpass") for c in ancestor.children):
                verb = ancestor
                break
        if verb is None:
            return None
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None or subject.i == noun.i or subject.is_ancestor(token):
            return None
        found = mention_in(subject)
        if found and kind == "money" and re.match(r"(demand|seek|want|ask)", verb.text, re.I):
            # "Black Lattice demands $4 million": a ransom is filed under who must pay
            return _salient(mentions, len(doc_text(sent.doc)) + 1, {"ORG"}, {found})
        if found:
            return found
        head = subject.text.lower()
        position = offset + subject.idx
        if head in PRODUCT_NOUNS:
            return _salient(mentions, position, {"PRODUCT"}) or \
                _salient(mentions, position, {"ORG", "THREAT_ACTOR"})
        if head in ORG_NOUNS:
            return _salient(mentions, position, {"ORG", "THREAT_ACTOR"})
        return None

    @staticmethod
    def _subject(kind: str, start: int, end: int, sent, mentions: list[Mention],
                 accused: list[str], main: str | None = None) -> str | None:
        lo, hi = sent.start_char, sent.end_char
        text = doc_text(sent.doc)
        candidates = []
        for mention in mentions:
            if not (lo <= mention.start < hi) or mention.type in ("CVE", "TECHNIQUE", "PERSON"):
                continue
            if kind not in ("stock_change", "stock_low", "stock_high") and \
                    REPORTING_AFTER.match(text[mention.end:mention.end + 30]):
                continue                         # the speaker, not what the figure is about
            if re.search(r"according\s+to\s*$", text[max(lo, mention.start - 20):mention.start],
                         re.I):
                continue
            candidates.append(mention)
        if kind in ("stock_change", "stock_low", "stock_high"):
            orgs = [m for m in candidates if m.type == "ORG"]
            before = [m for m in orgs if m.start < start]
            if before:
                return before[-1].id
            return orgs[0].id if orgs else None
        if kind in ("account_count", "request_count") and accused:
            return accused[0]    # accounts and requests an accusation is about
        if kind in LOOSE_KINDS:
            primary = main or _salient(mentions, len(text) + 1, {"ORG"})
            if primary:
                return primary   # counts and money are mostly about the story's company
        before = [m for m in candidates if m.end <= start]
        if before:
            return before[-1].id
        after = [m for m in candidates if m.start >= end]
        if after:
            return after[0].id
        if kind in ("account_count", "request_count") and accused:
            return accused[0]
        return None



@Language.factory("aiwire_figures")
def make_figures(nlp: Language, name: str) -> FigureExtractor:
    return FigureExtractor()
