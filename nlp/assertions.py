"""Slot assertions: statements about one fact that outlets may report differently.

``what_taken`` (model weights vs model outputs) and ``venue`` (a legal filing vs a letter
to officials) are the slots the reference case disagrees on. Each assertion keeps its
sentence; contradictions compare slot values across a story's articles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from aiwire.nlp.doccache import doc_text, sentences, span_text
from aiwire.nlp.words import may_match

NEGATED = re.compile(r"\b(no evidence|not|never|nor|denied|deny|denies|without)\b", re.I)

SLOTS: list[tuple[str, str, re.Pattern]] = [
    ("what_taken", "model_weights", re.compile(
        r"\b(?:stole|stolen|steal\w*|exfiltrat\w*|took|taken|copied|downloaded|obtained|"
        r"theft\s+of|siphoned|pull(?:ed)?|lifted|grabbed|extract\w*)\b[^.]{0,80}\b"
        r"(?:model\s+)?weights\b"
        r"|\bweights\b[^.]{0,60}\b(?:were|was|had\s+been|have\s+been)\s+(?:stolen|taken|"
        r"exfiltrated|copied|downloaded|obtained|lifted)", re.I)),
    ("what_taken", "model_outputs", re.compile(
        r"\b(?:collect\w*|scrap\w*|harvest\w*|gather\w*|quer\w*|distil\w*|copied|siphon\w*|"
        r"fold\w*|fed|feed\w*)\b[^.]{0,80}\b(?:outputs?|answers|responses|completions)\b"
        r"|\b(?:outputs?|answers|responses|completions)\b[^.]{0,80}\b(?:used\s+to\s+train|"
        r"to\s+train|collected|scraped|harvested|distil\w*|fed\s+into|folded\s+into)"
        r"|\b(?:train\w*|fine-tun\w*)\b[^.]{0,100}\b(?:using|with|on|from)\s+"
        r"(?:[\w.-]+['’]s\s+|the\s+|its\s+)?(?:outputs?|answers|responses|completions)\b",
        re.I)),
    ("venue", "legal_filing", re.compile(
        r"\b(?:lawsuit|legal\s+filing|court\s+filing|filed\s+(?:a\s+)?(?:suit|complaint|"
        r"lawsuit|claim)|(?:federal|district|high)\s+court|sued)\b", re.I)),
    ("venue", "letter_to_officials", re.compile(
        r"\bletter\s+(?:sent\s+)?to\s+(?:[\w.-]+\s+){0,4}?(?:officials|department|commerce|"
        r"congress|lawmakers|government|regulators|administration|senators|ministers)\b"
        r"|\b(?:wrote|written)\s+to\b[^.]{0,40}\b(?:officials|lawmakers|commerce|department|"
        r"regulators)\b", re.I)),
    # Who found the flaw: the vendor's own checks, or someone outside.
    ("finder", "internal", re.compile(
        r"\b(?:discovered|detected|found|identified|caught|spotted)\b[^.]{0,40}\b(?:during|"
        r"through|via|by|in|with)\s+(?:its\s+|their\s+|the\s+company['’]s\s+)?(?:own\s+)?"
        r"internal\s+(?:checks?|monitoring|reviews?|testing|audits?|teams?|systems?)", re.I)),
    ("finder", "outside_researcher", re.compile(
        r"\b(?:discovered|found|reported|identified|uncovered|flagged|spotted)\s+by\s+"
        r"(?:a\s+|an\s+)?(?:independent\s+|external\s+|outside\s+|ethical\s+)?(?:security\s+)?"
        r"(?:researchers?|hackers?|bug\s+hunters?)\b", re.I)),
]
# Per slot value: words one of which every match of its pattern holds (lower case). A
# sentence holding none is not searched; only checked on ASCII sentences, where case-
# insensitive matching is plain lower-casing (Unicode has letters like the Kelvin sign
# that match "k" without lower-casing to it).
SLOT_WORDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("what_taken", "model_weights"): ("weights",),
    ("what_taken", "model_outputs"): ("output", "answers", "responses", "completions"),
    ("venue", "legal_filing"): ("lawsuit", "legal", "court", "filed", "sued"),
    ("venue", "letter_to_officials"): ("letter", "wrote", "written"),
    ("finder", "internal"): ("internal",),
    ("finder", "outside_researcher"): ("researcher", "hacker", "hunter"),
}
FIRST_REPORT = re.compile(
    r"\b(?:first|originally|initially)\s+(?:reported|revealed|surfaced|disclosed)\s+"
    r"(?:\w+\s+){0,3}?(?:by|in|on)\s+(?P<who>(?:the\s+)?[\w .&'’-]{3,60}?)"
    r"(?=[,.;(]|\s+and\b|\s+which\b|\s+on\b|\s+in\b|$)"
    r"|(?P<who2>[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,5})\s*(?:\([A-Z]{2,5}\)\s*)?,?\s+"
    r"(?:which\s+)?(?:first\s+)?broke\s+the\s+(?:news|story)")



@dataclass(frozen=True)
class Assertion:
    slot: str
    value: str
    subject: str | None
    quote: str
    start: int


def find_assertions(doc: Doc) -> list[Assertion]:
    """Each (slot, value) once per article, with its first sentence as evidence."""
    found: dict[tuple[str, str], Assertion] = {}
    for sent in sentences(doc):
        text = span_text(sent)
        lowered = text.lower() if text.isascii() else None
        for slot, value, pattern in SLOTS:
            if lowered is not None and not any(w in lowered for w in SLOT_WORDS[slot, value]):
                continue
            match = pattern.search(text)
            if not match or (slot, value) in found:
                continue
            before = text[max(0, match.start() - 40):match.start()]
            before = re.split(r"\bbut\b", before)[-1]     # "not in a press release but in"
            if NEGATED.search(before):
                continue
            found[(slot, value)] = Assertion(slot, value, None, text.strip(), sent.start_char)
    return list(found.values()) + fact_assertions(doc)


FACTS = "aiwire_facts"


def fact_assertions(doc: Doc) -> list[Assertion]:
    """Event dates (``date:<event>:<verb>``), lengths of time (``duration:<event>:<verb>``),
    scope statements (``scope:<object>``), roles and injection carriers.

    Computed by the ``aiwire_facts`` component while the sentence parses are still on the
    document (plain tuples on ``doc.user_data``, so they cross process boundaries); the
    date is kept as written and resolved against each article's publication date when
    stories are compared. Only running text counts (``aiwire.nlp.blocks``).
    """
    stored = doc.user_data.get(FACTS)
    if stored is None:
        stored = doc.user_data[FACTS] = _facts(doc)
    return [Assertion(*item) for item in stored]


def _facts(doc: Doc) -> list[tuple]:
    from aiwire.nlp.acronyms import expansion_assertions
    from aiwire.nlp.blocks import is_body
    from aiwire.nlp.dates import find_event_dates
    from aiwire.nlp.scope import find_scope

    out = [(f"{'duration' if event.duration else 'date'}:{event.predicate}:{event.verb}",
            event.expression, event.subject, event.quote, event.start)
           for event in find_event_dates(doc, is_body)]
    out += _first_reports(doc, is_body)
    out += expansion_assertions(doc, is_body)
    out += _roles(doc, is_body)
    out += _carriers(doc, is_body)
    seen = set()
    for sent in sentences(doc):
        if not is_body(sent):
            continue
        for statement in find_scope(span_text(sent).strip(), sent.start_char):
            key = (statement.object, statement.position)
            if key in seen:
                continue
            seen.add(key)
            value = statement.position + (f":{statement.amount}" if statement.amount else "")
            out.append((f"scope:{statement.object}", value, None, statement.quote,
                        statement.start))
    return out


def _first_reports(doc: Doc, is_body) -> list[tuple]:
    """Who broke the story: "first reported by X", "X, which broke the news". The value
    is the linked organisation named there, else the words ("gaming-press")."""
    from aiwire.nlp.kb import slugify

    mentions = doc._.mentions or []
    out: list[tuple] = []
    for sent in sentences(doc):
        if not is_body(sent):
            continue
        text = span_text(sent)
        if not may_match(FIRST_REPORT, text.lower() if text.isascii() else None):
            continue            # none of the words the pattern needs ("reported", "broke")
        for match in FIRST_REPORT.finditer(text):
            group = "who" if match.group("who") else "who2"
            start = sent.start_char + match.start(group)
            end = sent.start_char + match.end(group)
            named = [m for m in mentions if start <= m.start < end and m.type == "ORG"]
            words = re.sub(r"^the\s*$|^the\s+", "", match.group(group).strip(), flags=re.I)
            value = named[0].id if named else slugify(words)
            if not named and not re.search(r"[a-z]{3}", words.lower()):
                continue         # "first reported by The" (the excerpt ends): nobody named
            if value and value not in {item[1] for item in out}:
                out.append(("first_report", value, None, span_text(sent).strip(), sent.start_char))
    return out if len(out) == 1 else []      # two different "firsts": not a side


# How injected instructions reached the model: the thing that carried them.
CARRIERS: list[tuple[str, str]] = [
    ("email", r"e-?mails?|inbox\s+messages?"),
    ("url_parameter", r"(?:url|query|search|link)\s+parameters?|query\s+strings?|"
                      r"parameters?\s+(?:of|in)\s+(?:an?\s+|the\s+)?[\w\s-]{0,30}?(?:url|link)s?"),
    ("calendar_invite", r"(?:calendar\s+)?invit(?:e|es|ation|ations)|calendar\s+events?|"
                        r"meeting\s+requests?"),
    ("document", r"documents?|pdfs?|spreadsheets?|shared\s+files?|attachments?"),
    ("web_page", r"web\s*pages?|websites?|web\s+content|search\s+results?"),
]
CARRIER = re.compile(r"\b(?:" + "|".join(f"(?P<{name}>{words})" for name, words in CARRIERS)
                     + r")\b", re.I)
INSTRUCTION = r"(?:(?:hidden|malicious|injected|embedded|crafted|rogue)\s+)?" \
              r"(?:instructions?|commands?|prompts?)"
CARRIER_HOLDS = re.compile(
    r"\b(?:contain\w*|carr(?:y|ies|ying|ied)|hid\w*|embedd\w*|laced\s+with|with)\s+"
    r"(?:an?\s+|the\s+|some\s+)?" + INSTRUCTION + r"\b", re.I)
IN_CARRIER = re.compile(
    r"\b" + INSTRUCTION + r"\s+(?:\w+\s+){0,2}?(?:were\s+|was\s+|are\s+|is\s+)?(?:embedded|hidden|"
    r"placed|planted|concealed|inserted|smuggled|tucked|buried)\s+(?:in|inside|within|into)\s+"
    r"(?P<where>[^.;]{0,60})", re.I)
PUT_IN_CARRIER = re.compile(
    r"\b(?:embed\w*|hid(?:e|es|ing)|plant\w*|plac(?:e|es|ing)|insert\w*|smuggl\w*|"
    r"conceal\w*|tuck\w*|bur(?:y|ies|ying))\s+(?:an?\s+|the\s+|some\s+)?" + INSTRUCTION +
    r"\s+(?:in|inside|within|into)\s+(?P<where>[^.;]{0,60})", re.I)
READ_AS = re.compile(r"\b(?:read|interpreted|treated|executed|processed|parsed)\s+as\s+"
                     r"(?:an?\s+)?(?:\w+\s+)?(?:instructions?|commands?|prompts?)\b", re.I)
PARAMETER_TO_PROMPT = re.compile(r"\bparameter[- ]to[- ]prompt\b", re.I)
GENERIC = re.compile(r"\b(?:for\s+example|e\.g\.|such\s+as|any|every|could|can|may|might|"
                     r"would|if)\b", re.I)


def _carrier_kinds(region: str) -> set[str]:
    return {name for match in CARRIER.finditer(region)
            for name, words in match.groupdict().items() if words}


def _carriers(doc: Doc, is_body) -> list[tuple]:
    """What carried a prompt injection, as the article tells it: "an email containing an
    instruction", "instructions hidden inside a calendar invite", "the search parameter is
    read as a command". A sentence naming several carriers ("a document, email or web
    page") gives them all, so the article is no side; explanations of the technique in
    general (examples, "any", "could") are not statements about the incident."""
    if "injection" not in doc_text(doc).lower():
        return []
    out: list[tuple] = []
    seen: set[str] = set()
    for sent in sentences(doc):
        if not is_body(sent):
            continue
        text = span_text(sent).strip()
        kinds: set[str] = set()
        for pattern, window in ((CARRIER_HOLDS, 60), (READ_AS, 80)):
            for match in pattern.finditer(text):
                before = text[max(0, match.start() - window):match.start()]
                carriers = list(CARRIER.finditer(before))
                if carriers and not GENERIC.search(text[:carriers[-1].start()
                                                        + match.start() - len(before)]):
                    kinds |= _carrier_kinds(carriers[-1].group())
        for pattern in (IN_CARRIER, PUT_IN_CARRIER):
            for match in pattern.finditer(text):
                if not GENERIC.search(text[:match.start()]):
                    kinds |= _carrier_kinds(match.group("where"))
        match = PARAMETER_TO_PROMPT.search(text)
        if match and not GENERIC.search(text[:match.start()]):
            kinds.add("url_parameter")
        for kind in sorted(kinds - seen):
            seen.add(kind)
            out.append(("injection_carrier", kind, None, text, sent.start_char))
    return out


@lru_cache(maxsize=1)
def role_kinds() -> tuple[re.Pattern, dict[str, str], list[tuple[str, str]]]:
    """Job titles from ``nlp/kb/roles.yaml``: one pattern, title -> kind, and the pairs
    of kinds one person cannot hold at one organisation."""
    import yaml
    from importlib import resources

    text = resources.files("aiwire.nlp").joinpath("kb/roles.yaml").read_text("utf-8")
    data = yaml.safe_load(text) or {}
    kind_of = {title.lower(): kind for kind, titles in data["kinds"].items()
               for title in titles}
    words = sorted(kind_of, key=len, reverse=True)
    pattern = re.compile(r"(?:" + "|".join(re.escape(w) for w in words) + r")", re.I)
    return pattern, kind_of, [tuple(pair) for pair in data.get("incompatible") or []]


# What may stand between an organisation's name and a title, or open an appositive.
ROLE_LEAD = r"(?:(?:now[- ])?former\s+|ex-|then-?\s*)?(?:(?:senior|lead|principal|junior|" \
            r"head|top|longtime|veteran)\s+)*"


def _roles(doc: Doc, is_body) -> list[tuple]:
    """A person's job at a named organisation, from the two shapes news writing uses:
    the title before the name ("Acme staff engineer Jo Bloggs") and the appositive after
    it ("Jo Bloggs, a former Acme board member,"). The value is the title's kind from
    ``kb/roles.yaml``; the slot names the person and the organisation."""
    pattern, kind_of, _ = role_kinds()
    mentions = sorted(doc._.mentions or [], key=lambda m: m.start)
    text = doc_text(doc)
    out: list[tuple] = []
    seen: set[tuple[str, str, str]] = set()
    for sent in sentences(doc):
        if not is_body(sent):
            continue
        inside = [m for m in mentions if sent.start_char <= m.start < sent.end_char]
        for person in (m for m in inside if m.type == "PERSON"):
            for org in (m for m in inside if m.type == "ORG"):
                role = None
                if org.end <= person.start:          # "Acme staff engineer Jo Bloggs"
                    match = re.fullmatch(r"(?:['’]s)?\s+" + ROLE_LEAD + r"(" +
                                         pattern.pattern + r")\s+",
                                         text[org.end:person.start], re.I)
                    role = match.group(1) if match else None
                elif org.start >= person.end and re.fullmatch(
                        r",\s+(?:(?:a|an|the)\s+)?" + ROLE_LEAD, text[person.end:org.start],
                        re.I):                       # "Jo Bloggs, a former Acme board member"
                    match = re.match(r"(?:['’]s)?\s+" + ROLE_LEAD + r"(" + pattern.pattern +
                                     r")\b", text[org.end:sent.end_char], re.I)
                    role = match.group(1) if match else None
                if role is None:
                    continue
                kind = kind_of[re.sub(r"\s+", " ", role.lower())]
                key = (person.id, org.id, kind)
                if key in seen:
                    continue
                seen.add(key)
                out.append((f"role:{person.id}:{org.id}", kind, person.id,
                            span_text(sent).strip(), sent.start_char))
    return out


@Language.component("aiwire_facts")
def mark_facts(doc: Doc) -> Doc:
    """Dates and scope statements, taken while the selective parses exist."""
    doc.user_data[FACTS] = _facts(doc)
    return doc
