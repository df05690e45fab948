"""Who a passage is about and whom a role noun, a pronoun or a misspelt name stands for:
the document context the claims reader resolves speakers with ("the company", "the
security firm", "the official", "the group", "Philips" for a "Dean Phillips")."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from aiwire.nlp.doccache import doc_text
from aiwire.nlp.entities import Mention
from aiwire.nlp.kb import domain_ids


SPEAKER_TYPES = {"ORG", "PERSON", "THREAT_ACTOR"}


FIRST_PERSON = "\x00first-person"


# A subject headed by one of these is an organisation, whoever its modifiers name.
ORG_HEAD = re.compile(r"^(?:company|firm|startup|start-up|lab|maker|developer|business|"
                      r"group|giant|platform|provider|vendor)$", re.I)


GROUPISH = r"(?:group|gang|hackers?|hacktivists?|crew|collective|syndicate)"


GROUP_BEFORE = re.compile(rf"\b{GROUPISH}\s+(?:called\s+|named\s+|known\s+as\s+)?[\"“']?$",
                          re.I)


# "Nightjar gang", and the appositive "Nightjar, a hacking group,"
GROUP_AFTER = re.compile(rf"^[\"”']?(?:\s+|,\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,2}}?){GROUPISH}\b",
                         re.I)


def described_before(phrase: str, mentions: list[Mention], text: str,
                     position: int) -> str | None:
    """Who "the security firm" is: the organisation introduced earlier with those words
    ("cloud security firm Wiz", "Wiz, a security firm,"), the latest one so introduced."""
    words = re.findall(r"[A-Za-z-]+", phrase.lower())
    if words and words[0] in ("the", "a", "an", "this", "that"):
        words = words[1:]
    if len(words) < 2 or not ORG_HEAD.match(words[-1]):
        return None              # a bare "the company" is the passage's actor
    described = r"\s+".join(map(re.escape, words[-2:]))
    found = None
    for m in mentions:
        if m.start >= position or m.type not in ("ORG", "THREAT_ACTOR"):
            continue
        before = text[max(0, m.start - 40):m.start]
        after = text[m.end:m.end + 50]
        if re.search(rf"\b{described}\s+$", before, re.I) or \
                re.match(rf",\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,2}}?{described}\b", after, re.I):
            found = m.id
    return found


def edit_distance_one(a: str, b: str) -> bool:
    """Whether two words differ by one inserted, dropped or changed letter."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)):] == b[i + 1:]


def surname_match(word: str, mentions: list[Mention], position: int) -> str | None:
    """A person named earlier whose surname this bare name is, misspelt by one letter
    ("Philips" for a "Dean Phillips" named above): real pages carry such typos."""
    word = word.casefold()
    if len(word) < 5:
        return None
    found = None
    for m in mentions:
        if m.start >= position or m.type != "PERSON" or " " not in m.text.strip():
            continue
        surname = m.text.split()[-1].casefold()
        if surname[0] == word[0] and edit_distance_one(word, surname):
            found = m.id
    return found


def kb_name(phrase: str) -> str | None:
    """The KB id of a subject phrase's name, read without mojibake and case."""
    from aiwire.nlp.kb import load_kb

    words = re.sub(r"[^A-Za-z0-9.&'’ -]+", " ", phrase).split()
    kb = load_kb()
    for size in range(min(4, len(words)), 0, -1):
        for i in range(len(words) - size + 1):
            chunk = " ".join(words[i:i + size])
            if len(chunk) < 3 or chunk.lower() in ("the", "its", "company", "group"):
                continue
            found = kb.index.get(chunk.casefold()) or kb.exact.get(chunk)
            if found and kb.entities[found].type in SPEAKER_TYPES:
                return found
    return None


class Context:
    """Who a passage is about: "the company" and "it" mean the passage's actor, which is
    the organisation named most in its paragraph (else in the article so far), never
    simply the last one named."""

    def __init__(self, doc: Doc, mentions: list[Mention]) -> None:
        self.mentions = mentions
        self.text = doc_text(doc)
        orgs = [m for m in mentions if m.type in ("ORG", "THREAT_ACTOR")]
        news = domain_ids("news")
        # the passage is about a party, never the outlet that relays it ("told the FT")
        orgs = [m for m in orgs if m.id not in news] or orgs
        self.orgs = orgs
        first_line = self.text.find("\n")
        first_line = len(self.text) if first_line < 0 else first_line
        counts: dict[str, float] = {}
        for m in orgs:
            counts[m.id] = counts.get(m.id, 0) + (2 if m.start < first_line else 1)
        self.main_actor = max(counts, key=lambda k: (counts[k], -self._first(k))) \
            if counts else None

    def _first(self, entity: str) -> int:
        return next(m.start for m in self.orgs if m.id == entity)

    def actor_at(self, position: int) -> str | None:
        paragraph = self.text.rfind("\n", 0, position) + 1
        before = [m for m in self.orgs if m.start < position]
        if not before:
            return self.main_actor
        local: dict[str, int] = {}
        overall: dict[str, int] = {}
        for m in before:
            overall[m.id] = overall.get(m.id, 0) + 1
            if m.start >= paragraph:
                local[m.id] = local.get(m.id, 0) + 1
        pool = local or overall
        # most named in the paragraph; among equals, the article's actor, never simply
        # the last name (which is often whom the company was talking about)
        return max(pool, key=lambda k: (pool[k], overall.get(k, 0), k == self.main_actor))

    def group_at(self, position: int) -> str | None:
        """"The group": a threat actor, or a name introduced as a group ("the hacking group
        Nightjar", "Nightjar gang"); never the company the group went after."""
        counts: dict[str, int] = {}
        for m in self.orgs:
            if m.start >= position:
                break
            before = self.text[max(0, m.start - 30):m.start]
            after = self.text[m.end:m.end + 40]
            if m.type == "THREAT_ACTOR" or GROUP_BEFORE.search(before) or \
                    GROUP_AFTER.match(after):
                counts[m.id] = counts.get(m.id, 0) + 1
        if counts:
            return max(counts, key=lambda k: counts[k])
        return None

    def is_authority(self, entity: str) -> bool:
        """Governments, embassies, ministries, police: their denials count as denials."""
        from aiwire.nlp.kb import load_kb

        name = next((m.name for m in self.mentions if m.id == entity), entity)
        known = load_kb().entities.get(entity)
        names = [name] + ([known.name, *known.aliases] if known is not None else [])
        return any(AUTHORITY.search(n) for n in names)   # "FCC": Federal ... Commission


AUTHORITY = re.compile(r"\b(government|embassy|ministry|ministries|department|police|"
                       r"commission|regulator|attorney\s+general|prosecutors?|court|bureau|"
                       r"agency|spokes\w+|foreign\s+office|state\s+council|white\s+house|"
                       r"kremlin|beijing|washington)\b", re.I)


# People named by their role for an organisation; "the official" is the one introduced
# with the organisation before ("a senior State Department official told the paper").
ROLE_PEOPLE = {"spokesperson", "spokesman", "spokeswoman", "representative", "rep", "official",
               "executive", "lawyer", "attorney"}


def introduced_role(noun: str, text: str, mentions: list[Mention],
                    position: int) -> str | None:
    """The organisation whose ``noun`` was introduced last before ``position`` (within a few
    paragraphs): "Orbix's chief security official", "an official at Orbix"."""
    found = None
    for m in mentions:
        if m.type != "ORG" or m.start >= position or position - m.start > 800:
            continue
        after = text[m.end:m.end + 50]
        before = text[max(0, m.start - 40):m.start]
        if re.match(rf"(?:[’']s)?\s+(?:[\w-]+\s+){{0,3}}?{noun}\b", after, re.I) or \
                re.search(rf"\b{noun}\s+(?:for|at|of|from|with)\s+(?:the\s+)?$", before, re.I):
            found = m.id
    return found


def possessive(text: str, mention: Mention) -> bool:
    """Whether a name is written as an owner ("Ada Bell's reaction")."""
    return bool(re.search(r"[’']s$", mention.text) or
                re.match(r"[’']s\b", text[mention.end:mention.end + 3]))


DOCUMENT_AUTHOR = "\x00document-author"


def salient_before(mentions: list[Mention], position: int, types: set[str]) -> str | None:
    """What "the company" most likely means: the most-named fitting entity so far."""
    before = [m for m in mentions if m.start < position and m.type in types]
    if not before:
        return None
    counts: dict[str, int] = {}
    last: dict[str, int] = {}
    for index, mention in enumerate(before):
        counts[mention.id] = counts.get(mention.id, 0) + 1
        last[mention.id] = index
    return max(counts, key=lambda i: (counts[i], last[i]))


def last_before(mentions: list[Mention], position: int, types: set[str]) -> str | None:
    before = [m for m in mentions if m.start < position and m.type in types]
    return before[-1].id if before else None
