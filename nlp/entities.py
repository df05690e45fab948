"""Entities: the KB ruler ahead of the statistical NER, then linking and junk filters.

The generic model calls "AI" a place, "Anthropic" a person and mojibake a number. The
ruler labels every KB name first (NER keeps what the ruler set), and the linker gives
each mention a canonical id, drops junk, links surnames and short forms to their full
name earlier in the article, and adds CVE and ATLAS ids found by pattern.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc, Span

from aiwire.nlp.doccache import doc_text, span_text
from aiwire.nlp.blocks import FURNITURE
from aiwire.nlp.evidence import (AMBIGUOUS, EVERYDAY, line_at, line_role, reject_reason,
                                 strip_descriptor, zipf)
from aiwire.nlp.language import is_english
from aiwire.nlp.kb import KnowledgeBase, load_kb, slugify
from aiwire.nlp.words import finditer_after, may_match, search_after, word_pattern

CVE = re.compile(r"\bCVE-\d{4}-\d{4,7}\b", re.IGNORECASE)
ATLAS_ID = re.compile(r"\bAML\.T\d{4}(?:\.\d{3})?\b")
# A lower-case web address used as a name: not inside a URL, an e-mail or a path.
DOMAIN_NAME = re.compile(r"(?<![\w./@:-])([a-z][a-z0-9-]{1,30}\.(?:ai|io|app|chat))(?![\w/@.-])")
HANDLE = re.compile(r"\b(?:(?:account|user|uploader|publisher|handle|username|profile)\s+"
                    r"(?:named|called|known\s+as)?|(?:published|uploaded|posted|pushed|shared)"
                    r"\s+by(?:\s+the\s+account)?)"
                    r"\s*[\"'“‘`]?([a-z0-9][a-z0-9_.]*(?:[-_][a-z0-9_.]+)+)")
KEPT_LABELS = {"ORG", "PERSON", "PRODUCT", "THREAT_ACTOR"}
# Things the generic model labels as names that are never entities here.
JUNK = {
    "ai", "a.i.", "llm", "llms", "api", "apis", "ceo", "cfo", "cto", "ciso", "gpu", "gpus",
    "ml", "it", "us", "u.s.", "uk", "eu-based", "tl;dr", "deep insight", "faq", "q&a",
    "nasdaq", "nyse", "hong kong", "reuters", "gmt", "utc", "inc", "ltd", "llc", "plc",
    "chinese", "american", "european", "twitter", "x", "linkedin", "wednesday", "monday",
    "tuesday", "thursday", "friday", "saturday", "sunday", "ip", "ssh", "gp", "tb", "gb",
    "mb", "html", "url", "vpn", "dns", "pdf", "sdk", "ransomware", "malware", "cfo",
    "ciso", "cio", "coo", "hr", "pr", "faq", "rss", "json", "http", "https",
}
ORG_SUFFIX = re.compile(
    r"\b(Labs?|Inc\.?|Corp\.?|Group|Robotics|Capital|Partners|Institute|Security|Health|AI|"
    r"Technologies|Technology|LLP|Ltd\.?|LLC|Bank|University|Systems|Research|Networks|"
    r"Holdings|Ventures|Intelligence|Analytics|Cyber|Foundation|Agency|Office|Commission|"
    r"Police|Ministry|Department|Council|Authority|Association|Hospital|Clinic|Trust)$")
DEMONYM_START = re.compile(r"^(American|Chinese|European|British|Japanese|Korean|Indian|"
                           r"French|German|Western|Asian|U\.?S\.?|Global)\b")
MOJIBAKE = re.compile(r"[ÃÂâ€™œ\ufffd]{2,}|Ã.|â€")
# Labels the model gives names that may still be organisations ("Hong Kong Police Force" as
# GPE); they are kept only when an organisation suffix says so.
RELABELLED = {"GPE", "NORP", "LOC", "FAC", "WORK_OF_ART"}
INNER_POSSESSIVE = re.compile(r"\w['’]s\s+[A-Z]")
# Naming schemes of threat groups: Microsoft's Storm-NNNN / DEV-NNNN, Mandiant's UNCnnnn,
# APTnn, Proofpoint's TAnnn, FINnn.
ACTOR_TEXT = re.compile(r"(?<![\w-])(?:(?:Storm|STORM|DEV)-\d{3,4}|APT ?\d{1,3}|UNC\d{3,5}"
                        r"|TA\d{3,4}|FIN\d{1,2})(?![\w-])")
# ACTOR_TEXT without its look-behind, for finditer_after (fast on a whole article).
ACTOR_SCAN = re.compile(ACTOR_TEXT.pattern.removeprefix(r"(?<![\w-])"))
# Where ``aiwire_blocks`` put the role of each line (headline, heading, list, caption,
# chrome, body): a list of (start, end, role) character ranges on ``doc.user_data``.
BLOCKS = "aiwire_roles"


@dataclass(frozen=True)
class Mention:
    id: str
    name: str
    type: str
    text: str
    start: int       # character offsets in doc.text
    end: int
    from_kb: bool = False


if not Doc.has_extension("mentions"):
    Doc.set_extension("mentions", default=None)



@Language.factory("aiwire_kb_ruler", default_config={"kb_path": None})
def make_kb_ruler(nlp: Language, name: str, kb_path: str | None) -> EntityRuler:
    """An EntityRuler whose patterns are every KB name, alias and ticker."""
    kb = load_kb(kb_path)
    ruler = EntityRuler(nlp, name=name, phrase_matcher_attr=None, overwrite_ents=True)
    patterns = []
    for surface, entity_id, entity_type, _exact in kb.surfaces():
        for variant in sorted(surface_variants(surface)):
            patterns.append({"label": entity_type, "pattern": variant, "id": entity_id})
    ruler.add_patterns(patterns)
    return ruler


def surface_variants(surface: str) -> set[str]:
    """The written forms a name is matched in, case-sensitively (a fast phrase matcher).

    A name matches as written, in capitals ("INTEL") and with its lower-case words
    capitalised as Title-Case headlines write them ("Hong Kong Police", "Npm"); never in
    lower case when it has capitals, so "threat-intel" is not Intel and "cursor" is not
    Cursor.
    """
    titled = " ".join(w[:1].upper() + w[1:] if w.islower() else w for w in surface.split(" "))
    return {surface, surface.upper(), titled}


class EntityLinker:
    """Turns doc.ents into linked :class:`Mention` objects on ``doc._.mentions``."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def __call__(self, doc: Doc) -> Doc:
        mentions: list[Mention] = []
        people: dict[str, str] = {}      # surname / first token -> full-name id
        orgs: dict[str, str] = {}        # first word of a multiword org -> id
        names: dict[str, str] = {}
        patterned = (self._pattern_mentions(doc, CVE, "CVE", lambda t: t.upper())
                     + self._pattern_mentions(doc, ATLAS_ID, "TECHNIQUE", lambda t: t)
                     + self._actor_mentions(doc) + self._handles(doc)
                     + self._domain_names(doc))
        text = doc_text(doc)
        previous: Mention | None = None
        for ent in doc.ents:
            if any(p.start < ent.end_char and ent.start_char < p.end for p in patterned):
                continue         # "CVE-2026" cut out of "CVE-2026-41872" by the NER
            mention = self._link(ent, people, orgs, names)
            if mention is None:
                continue
            gap = text[previous.end:mention.start] if previous is not None else "\n"
            if previous is not None and previous.from_kb and not mention.from_kb \
                    and not gap.strip() and "\n" not in gap \
                    and _is_name_tail(mention.text):
                continue         # "Threat Labs" right after a known name is part of it
                                 # (on the same line: a credit line's name is not)
            mentions.append(mention)
            previous = mention
        mentions = _complete_names(doc_text(doc), mentions)
        if not is_english(text):
            # the model reads English: in other languages its capitalised nouns are no
            # names; only known names stand, and name-like words (_brand_part)
            mentions = [kept for kept in (_brand_part(m, text) for m in mentions) if kept]
        mentions.extend(self._repeat_mentions(doc, mentions + patterned))
        mentions.extend(patterned)
        mentions = _unify_short_forms(mentions)
        roles = doc.user_data.get(BLOCKS)
        if roles:      # share / follow / newsletter furniture names no party to the story
            mentions = [m for m in mentions if not _in_furniture(text, m.start, roles)]
        mentions.sort(key=lambda m: m.start)
        doc._.mentions = mentions
        return doc

    def _repeat_mentions(self, doc: Doc, mentions: list[Mention]) -> list[Mention]:
        """Names the model found once, found everywhere they recur in the article.

        The statistical NER often labels "Parallax Robotics" in one sentence and misses
        "Parallax" or even the full name in another; a name found once is a name. The
        first word of a multiword organisation ("Orchard" for Orchard Labs) counts too.
        """
        taken = [(m.start, m.end) for m in mentions]
        forms: dict[str, Mention] = {}
        for mention in mentions:
            if mention.type in ("CVE", "TECHNIQUE"):
                continue
            forms.setdefault(mention.text.strip(), mention)
            words = mention.name.split()
            if mention.type in ("ORG", "PRODUCT", "THREAT_ACTOR") and len(words) > 1 \
                    and len(words[0]) > 3 and words[0][0].isupper() \
                    and zipf(words[0]) < EVERYDAY \
                    and words[0].lower() not in JUNK and not DEMONYM_START.match(words[0]):
                forms.setdefault(words[0], mention)
            if mention.type == "PERSON" and len(words) > 1:
                forms.setdefault(words[-1], mention)
        extra: list[Mention] = []
        for form, source in sorted(forms.items(), key=lambda kv: -len(kv[0])):
            if len(form) < 3:
                continue
            for match in finditer_after(word_pattern(form), doc_text(doc)):
                span = (match.start(), match.end())
                if any(s < span[1] and span[0] < e for s, e in taken):
                    continue
                taken.append(span)
                extra.append(Mention(source.id, source.name, source.type, form, span[0],
                                     span[1], source.from_kb))
        return extra

    def _actor_mentions(self, doc: Doc) -> list[Mention]:
        """Threat groups named by scheme (Storm-2139, UNC3944, APT 41), known or not."""
        out = []
        for match in finditer_after(ACTOR_SCAN, doc_text(doc)):
            found = self.kb.lookup(match.group()) or self.kb.lookup(
                re.sub(r"\s+", "", match.group()))
            if found:
                entity = self.kb.entities[found]
                entity_id, name, kind = entity.id, entity.name, entity.type
            else:
                entity_id, name = threat_actor_id(match.group()) or ("", "")
                kind = "THREAT_ACTOR"
            if entity_id:
                out.append(Mention(entity_id, name, kind, match.group(), match.start(),
                                   match.end(), bool(found)))
        return out

    @staticmethod
    def _handles(doc: Doc) -> list[Mention]:
        """Account names that publish things ("an account named nova-ai-labs")."""
        out = []
        if not may_match(HANDLE, _ascii_lowered(doc)):
            return out
        for match in HANDLE.finditer(doc_text(doc)):
            handle = match.group(1).rstrip(".")
            out.append(Mention(slugify(handle), handle, "ORG", handle, match.start(1),
                               match.start(1) + len(handle), False))
        return out

    def _domain_names(self, doc: Doc) -> list[Mention]:
        """A service known by its web address and written in lower case ("the muah.ai
        breach"): a name the model never tags, named twice or more."""
        text = doc_text(doc)
        if ".a" not in text and ".i" not in text and ".c" not in text:
            return []      # no ".ai", ".io", ".app" or ".chat": skip the pattern
        found = list(DOMAIN_NAME.finditer(text))
        counts = Counter(match.group(1).lower() for match in found)
        out = []
        for match in found:
            name = match.group(1)
            if counts[name.lower()] < 2:
                continue
            entity_id = self.kb.lookup(name) or slugify(name)
            kb_entity = self.kb.entities.get(entity_id)
            out.append(Mention(entity_id, kb_entity.name if kb_entity else name,
                               kb_entity.type if kb_entity else "ORG", name, match.start(1),
                               match.end(1), kb_entity is not None))
        return out

    def _pattern_mentions(self, doc: Doc, pattern: re.Pattern, kind: str, norm) -> list[Mention]:
        out = []
        if not may_match(pattern, _ascii_lowered(doc)):
            return out
        for match in pattern.finditer(doc_text(doc)):
            text = norm(match.group())
            out.append(Mention(id=text.lower(), name=text, type=kind, text=match.group(),
                               start=match.start(), end=match.end(), from_kb=False))
        return out

    def _link(self, ent: Span, people: dict, orgs: dict, names: dict) -> Mention | None:
        ent_text = span_text(ent)    # ``Span.text`` walks the tokens on every access
        if ent.ent_id_:
            kb_entity = self.kb.entities.get(ent.ent_id_)
            if kb_entity:
                return Mention(kb_entity.id, kb_entity.name, kb_entity.type, ent_text,
                               ent.start_char, ent.end_char, True)
        label = ent.label_
        if not any(ch.isupper() for ch in ent_text):
            return None          # "intel" in "threat-intel" is a word, not Intel
        found = self.kb.lookup(ent_text.strip()) or self.kb.lookup_variant(ent_text.strip())
        if found:
            return self._kb_mention(found, ent)
        if label not in KEPT_LABELS and label not in RELABELLED:
            return None
        span = strip_descriptor(_owned_part(ent, self.kb))
        if span is None:
            return None
        own_text = span_text(span)
        found = self.kb.lookup(own_text.strip()) or self.kb.lookup_variant(own_text.strip())
        if found:
            return self._kb_mention(found, span)
        structural = threat_actor_id(own_text)
        if structural:
            return Mention(structural[0], structural[1], "THREAT_ACTOR", own_text,
                           span.start_char, span.end_char, False)
        text = doc_text(ent.doc)
        clean = _own_name(own_text.strip(" .,;:\"'“”‘’()"), text)
        clean = re.sub(r"^(?:the|The)\s+", "", clean)
        if not self._plausible(clean):
            return None
        if reject_reason(span, clean, label, text, ent.doc.user_data.get(BLOCKS)):
            return None
        if label in ("GPE", "NORP", "LOC", "FAC", "WORK_OF_ART") and ORG_SUFFIX.search(clean):
            label = "ORG"
        elif label in ("GPE", "LOC", "FAC", "NORP") and _introduced_as_person(span, clean):
            label = "PERSON"
        elif label in ("NORP", "GPE") and _acts_as_company(text, clean):
            label = "ORG"     # "Tallis, the maker of ...": the model's guess of a people
        elif label == "ORG" and _titled_person(text, clean):
            label = "PERSON"  # "researcher Ada Quist": an occupation introduces a person
        if label == "PERSON" and (ORG_SUFFIX.search(clean) and len(clean.split()) > 1
                                  or INNER_POSSESSIVE.search(clean)):
            label = "ORG"    # "Tom's Hardware" is a publication, never a person
        if label not in KEPT_LABELS:
            return None
        words = clean.split()
        if label == "PERSON":
            if len(words) == 1 and clean in people:
                entity_id, name = people[clean], names[people[clean]]
            elif len(words) == 1 and clean in orgs:
                entity_id, name, label = orgs[clean], names[orgs[clean]], "ORG"
            elif len(words) == 1 and _stands_alone(clean, text):
                entity_id, name, label = slugify(clean), clean, "ORG"
                names[entity_id] = clean
            elif len(words) == 1:
                return None      # a lone first or last name with no full name: too weak
            else:
                entity_id, name = slugify(clean), clean
                people.setdefault(words[-1], entity_id)
                names[entity_id] = clean
        else:
            if len(words) == 1 and clean in orgs:
                entity_id, name = orgs[clean], names[orgs[clean]]
            elif len(words) == 1 and clean in people:
                entity_id, name, label = people[clean], names[people[clean]], "PERSON"
            else:
                entity_id, name = slugify(clean), clean
                if len(words) > 1:
                    orgs.setdefault(words[0], entity_id)
                names[entity_id] = clean
        if not entity_id:
            return None
        return Mention(entity_id, name, label, own_text, span.start_char, span.end_char,
                       False)

    def _kb_mention(self, entity_id: str, span: Span) -> Mention:
        entity = self.kb.entities[entity_id]
        return Mention(entity.id, entity.name, entity.type, span_text(span), span.start_char,
                       span.end_char, True)

    @staticmethod
    def _plausible(text: str) -> bool:
        if len(text) < 2 or text.casefold() in JUNK or "\n" in text:
            return False
        if MOJIBAKE.search(text) or not re.search(r"[A-Za-z]", text):
            return False
        if text[0].isdigit() or text.islower() or DEMONYM_START.match(text):
            return False
        return True


def _foreign_name(word: str, text: str) -> bool:
    from wordfreq import zipf_frequency

    if not word[:1].isupper() or len(word) < 3 or "-" in word:
        return False
    if len(re.findall(rf"\b{re.escape(word)}\b", text)) < 3:
        return False
    return max(zipf_frequency(word.lower(), lang) for lang in NEWS_LANGUAGES) < 3.0


NEWS_LANGUAGES = ("en", "de", "fr", "it", "es", "nl", "pt")
# One word with a capital inside it ("LastPass", "YouTube"): a brand in any language.
CAMEL_CASE = re.compile(r"[A-Z]?[a-z]+(?:[A-Z][a-z0-9]+)+")


def _brand_part(mention: Mention, text: str) -> Mention | None:
    """In a text the model cannot read: a known name, or the one name-like word of a
    mention ("Lastpass" out of "Passwortmanagers Lastpass"); else nothing. A word is
    name-like when it has a capital inside ("WhatsApp"), or when it is no common word in
    the languages news is most often written in and the text names it three times (a
    compound noun is rare too, but seldom repeated word for word)."""
    if mention.from_kb:
        return mention
    brands = [m for m in re.finditer(r"[^\W\d_][\w-]*", mention.text)
              if CAMEL_CASE.fullmatch(m.group()) or _foreign_name(m.group(), text)]
    if len(brands) != 1:
        return None
    word, at = brands[0].group(), mention.start + brands[0].start()
    return Mention(slugify(word), word, mention.type, word, at, at + len(word), False)


def _ascii_lowered(doc: Doc) -> str | None:
    """The article in lower case when it is ASCII (see :func:`may_match`), else None."""
    text = doc_text(doc)
    return text.lower() if text.isascii() else None


POSSESSIVE_TOKENS = {"'s", "’s", "'", "’"}
# "Ada Quist, a threat researcher at Acme, said": a name, an appositive that gives a role
# at an organisation, and a reporting verb make a person whatever the model called it.
APPOSITIVE = re.compile(r",\s+(?:a|an|the)\s+(?:[a-z][\w-]*\s+){0,4}(?:at|of|for|with|from)"
                        r"\s+(?:the\s+)?[A-Z][^.;]{0,80}?,\s+(?:said|says|told|added|wrote|"
                        r"warned|explained|noted)\b")


# A name's appositive that makes it a business ("Velmora, the maker of the Quill app",
# "Kestra, a hiring platform used by retailers"), and
# the people who speak for one ("a Velmora spokesperson"): evidence enough that a name the
# model took for a nationality or group is an organisation.
COMPANY_APPOSITIVE = r",\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,3}?(?:maker|developer|creator|" \
                     r"owner|operator|provider|vendor|publisher|company|firm|start-?up|" \
                     r"platform|service|marketplace|chatbot)\b"
COMPANY_VOICE = r"\s+(?:spokes(?:person|man|woman)|representative|press\s+office)\b"
DEMONYM_ENDING = re.compile(r"(?:an|ians?|ese|ish|i|ic|ch|ans)$")
# Occupations that introduce a person right before a full name ("researcher Ada Quist").
OCCUPATION = re.compile(r"\b(?:researcher|analyst|engineer|scientist|professor|"
                        r"investigator|journalist|reporter|developer|founder|hacker|"
                        r"consultant|lawyer|attorney)\s+$", re.I)


def _acts_as_company(text: str, name: str) -> bool:
    if DEMONYM_ENDING.search(name) or " " in name:
        return False
    return search_after(word_pattern(name, f"(?:{COMPANY_APPOSITIVE}|{COMPANY_VOICE})"),
                        text) is not None


def _titled_person(text: str, name: str) -> bool:
    words = name.split()
    if len(words) != 2 or not all(w[:1].isupper() and w[1:].islower() for w in words):
        return False
    return any(OCCUPATION.search(text[max(0, m.start() - 30):m.start()])
               for m in finditer_after(word_pattern(name), text))


def _introduced_as_person(span: Span, clean: str) -> bool:
    words = clean.split()
    if not 2 <= len(words) <= 3 or not all(w[:1].isupper() for w in words):
        return False
    return APPOSITIVE.match(doc_text(span.doc), span.end_char) is not None


def _owned_part(ent: Span, kb: KnowledgeBase) -> Span:
    """'Orchard Labs' Quill' -> 'Quill' when the owner is a name in its own right.

    The owner counts as a name when the knowledge base knows it or the article names it
    again elsewhere; otherwise the possessive belongs to the name ("Tom's Hardware").
    """
    for token in ent[:-1]:
        if token.text not in POSSESSIVE_TOKENS or token.i == ent.start:
            continue
        owner = ent.doc[ent.start:token.i].text
        text = doc_text(ent.doc)
        seen = sum(1 for _ in finditer_after(word_pattern(owner), text))
        if kb.lookup(owner) or seen >= 2:
            return ent.doc[token.i + 1:ent.end]
        break
    return ent


def _own_name(text: str, doc_text_: str) -> str:
    """Drop a trailing possessive unless it belongs to the name ("McDonald's").

    The 's is part of a one-word name when general English writes the word with it at
    least as often as without (wordfreq) and the article never uses the bare form.
    """
    match = re.search(r"['’]s$", text)
    if not match:
        return text
    bare = text[:match.start()]
    if " " in bare or not zipf(bare + "'s") or zipf(bare + "'s") < zipf(bare):
        return bare
    alone = search_after(word_pattern(bare, r"(?!['’]s\b)(?![\w-])"), doc_text_) if bare \
        else re.search(r"(?<![\w-])(?!['’]s\b)(?![\w-])", doc_text_)
    return bare if alone else text


def threat_actor_id(text: str) -> tuple[str, str] | None:
    """Threat-group names recognised by their naming scheme: Storm-0558, UNC3944, APT41."""
    match = ACTOR_TEXT.fullmatch(text.strip())
    if not match:
        return None
    name = match.group(0)
    if not name.startswith(("Storm", "STORM", "DEV")):
        name = re.sub(r"\s+", "", name)
    return slugify(name), name


def _in_furniture(text: str, offset: int, roles: list) -> bool:
    """A share / follow / subscribe line ("Follow us on Facebook"), not a summary box.

    Takeaway and TL;DR boxes are chrome too, but they name the story's parties: known
    names there still link, as they do in headings.
    """
    if line_role(roles, offset) != "chrome":
        return False
    start, end = line_at(text, offset)
    return FURNITURE.match(text[start:end]) is not None


def _stands_alone(word: str, text: str) -> bool:
    """A one-word "person" used again and again on its own is an organisation.

    The model often calls a rare company name a person ("Zentrix said on Friday"); a
    person's one-word mention sits next to a full name somewhere (a first name followed
    by a surname, a surname after a first name or a title). Twice or more, never beside
    another capitalised word and too rare to be a common first name, it names a firm.
    """
    if zipf(word) >= AMBIGUOUS:
        return False
    hits = list(finditer_after(word_pattern(word), text))
    if len(hits) < 2:
        return False
    for hit in hits:
        after = text[hit.end():hit.end() + 40]
        before = text[max(0, hit.start() - 40):hit.start()]
        if re.match(r"\s+[A-Z][a-z]", after) or re.search(
                r"(?:\b(?:Mr|Ms|Mrs|Dr|Prof)\.?|[A-Z][a-z]+)\s+$", before):
            return False
    return True


def _is_name_tail(text: str) -> bool:
    """Words that continue a known name ("Threat Labs", "Security Research", "AI")."""
    words = [w for w in re.findall(r"[A-Za-z]+", text)]
    return bool(words) and all(w[0].isupper() and zipf(w) >= AMBIGUOUS for w in words)


def _complete_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """'Parallax' when the article also says 'Parallax Robotics': use the full name."""
    out = []
    for mention in mentions:
        if not mention.from_kb and mention.type == "ORG" and len(mention.name.split()) == 1:
            found = re.search(rf"\b{re.escape(mention.name)}\s+([A-Z][a-z]+)\b", text)
            if found and ORG_SUFFIX.search(found.group(1)):
                name = f"{mention.name} {found.group(1)}"
                mention = Mention(slugify(name), name, "ORG", mention.text, mention.start,
                                  mention.end, False)
        out.append(mention)
    return out


def _unify_short_forms(mentions: list[Mention]) -> list[Mention]:
    """'Parallax' before 'Parallax Robotics' is the same company: one id for both."""
    full: dict[str, Mention] = {}
    for mention in mentions:
        words = mention.name.split()
        if not mention.from_kb and len(words) > 1 and mention.type in (
                "ORG", "PRODUCT", "THREAT_ACTOR"):
            full.setdefault(words[0].lower(), mention)
    out = []
    for mention in mentions:
        target = full.get(mention.name.lower()) if len(mention.name.split()) == 1 \
            and not mention.from_kb else None
        if target is not None and target.id != mention.id:
            mention = Mention(target.id, target.name, target.type, mention.text,
                              mention.start, mention.end, False)
        out.append(mention)
    return out


@Language.component("aiwire_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A line break always ends a sentence: headlines and list items have no full stop."""
    text = doc_text(doc)
    if "\n" not in text:
        return doc
    if doc.has_annotation("DEP"):          # the setter's own refusal (E043), kept
        for index in doc.to_array("IS_SPACE").nonzero()[0]:
            if index + 1 < len(doc) and "\n" in doc[int(index)].text:
                doc[int(index) + 1].is_sent_start = True
        return doc
    # Written as one array: ``Token.is_sent_start = True`` checks the whole document
    # for a parse on every call, a walk over all tokens per line.
    starts = doc.to_array([SENT_START])
    for index in doc.to_array("IS_SPACE").nonzero()[0]:
        if index + 1 < len(doc) and "\n" in doc[int(index)].text:
            starts[int(index) + 1] = 1
    doc.from_array([SENT_START], starts)
    return doc


@Language.factory("aiwire_linker", default_config={"kb_path": None})
def make_linker(nlp: Language, name: str, kb_path: str | None) -> EntityLinker:
    return EntityLinker(load_kb(kb_path))


def mention_counts(doc: Doc) -> dict[str, int]:
    counts: dict[str, int] = {}
    for mention in doc._.mentions or []:
        counts[mention.id] = counts.get(mention.id, 0) + 1
    return counts
