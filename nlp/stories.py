"""Stories are incidents: every report of one real-world event, whenever it appears.

Each analysed article gets an event signature, stored once (``article_signatures``) so
that clustering never reads article text again: who is involved (linked entities), what
happened (ATLAS techniques as the action), its distinctive terms, its distinctive
figures (a head count matches whatever noun it counts: "30 organisations" is "30 targets"),
and the years its events are dated to. A new report is compared only with
candidate stories found through an inverted index of rare signature keys
(``story_keys``), at most ``CANDIDATES`` of them, each through its latest
``RECENT_MEMBERS`` reports: the work per article is bounded, whatever the history.

Weights come from fixed backgrounds, never from the week in hand: general English
(``wordfreq``) and the field's own common words and names (``kb/field_background.yaml``).
Two look-alike incidents (same actors, different events) are told apart by what only
one of them has: its own rare central actor, its event year, its figures, a rare name
the story's reports share and the newcomer lacks while it has one of its own, its own
accuser (two labs each accusing rivals in the same words are two accusations), its own
doer (who leaked, paid or was fined, ``role_actors``: a lab's own engineer vs an agency's
staffer leaking the same lab's key), its headline's sum of money ($6M fine vs $1M
settlement); two stories whose doers differ are not bridged by a report naming none. Names the
whole field uses (``ENTITY_FLOOR``) count for little. Words are compared in their base
form ("hackers stole" ~ "a hacker stealing", ``fold``). Publication dates only soften a
match over months; a follow-up weeks later still joins its incident, and a report that
arrived before the rest of its incident joins the story once it has grown (placement
does not depend on arrival order as much). After placing a run's reports, a report that
joined too early and now shows another incident's own actors leaves its story, and two
stories merge when a report of each would join the other (``_merge_mutual``).
Story ids are stable: a story keeps the id of its first report; when a report bridges
two stories they merge and the absorbed id becomes a redirect.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from importlib import resources

import yaml

from aiwire.nlp.kb import slugify
from aiwire.nlp.techniques import story_techniques
from aiwire.store import Store

RECENT_MEMBERS = 8
CENTRAL_SAMPLE = 40     # the title comes from the report closest to the latest 40
TITLE_STICKINESS = 0.9  # a story keeps its title while that report is this close to the best
SECOND_OPINION = 0.8    # one member of a larger story vouches for it at this discount
LONE_OPINION = 0.75     # a story of one report: that pair alone must be this much surer
CANDIDATES = 24         # stories scored per new report, found through story_keys
JOIN_THRESHOLD = 0.13
KIND_FACTOR = 0.7       # two reports saying different things happened
MERGE_THRESHOLD = 0.20
MUTUAL_CANDIDATES = 6   # stories a touched story is checked against for a mutual fit
MAX_TERMS = 40
# Every entity weighs this much less when matching: a name common in the field (OpenAI,
# Microsoft, China: Zipf weight near 1) then says almost nothing on its own.
ENTITY_FLOOR = 1.0
ENTITY_SHARE = 0.4      # names vs running-text terms in a pair's score
# A story and a report that each have a rare name of their own (weight at least this,
# named by two of the story's reports) are two incidents that share a product.
OWN_NAME_WEIGHT = 3.0
OWN_NAMES_FACTOR = 0.6
ACCUSER_FACTOR = 0.6
SIGNATURE_VERSION = "s6"   # bumped when build_signature changes: old ones are rebuilt
KEY_TERMS = 12
KEY_WEIGHT = 1.5        # terms at least this rare index a story ("hack" yes, "report" no)
KEY_POSTINGS = 400      # stories read per key: a key that common says little anyway
MAX_KEYS = 400
ENTITY_TYPES = ("ORG", "PRODUCT", "PERSON", "THREAT_ACTOR", "CVE", "GPE", "EVENT")
FIGURE_KINDS = {"account_count", "user_count", "request_count", "money", "data_volume",
                "count"}
COUNT_KINDS = {"account_count", "user_count", "request_count", "count"}
MIN_COUNT = 10
# A shared figure confirms what names and words already suggest; two reports with nothing
# else in common ("1 million users" in a scam, "1 million records" in a leak) get no lift.
# Below this much other evidence, the lift shrinks in proportion.
FIGURE_BASE = 0.05
WORD = re.compile(r"[a-z][a-z0-9'-]+")
# Key amounts of an incident: two reports giving the same kind of amount with nothing
# within a factor of three of each other are counting different things.
AMOUNT_KINDS = {"account_count", "user_count", "money", "data_volume"}
AMOUNT_RATIO = 3.0
# What happened, as a small ontology of incident types read from the headline and lead.
# Two reports whose actions are both known and share none describe different events.
ACTIONS: dict[str, re.Pattern] = {
    "model theft": re.compile(r"\b(distil\w*|model\s+(?:theft|extraction|stealing)|"
                              r"(?:steal\w*|stole|extract\w*|cop\w+|clon\w+|siphon\w*)\s+"
                              r"(?:\w+\s+){0,3}?(?:models?|weights|capabilities|chatbot)|"
                              r"weights)\b", re.I),
    "prompt injection": re.compile(r"\b(prompt[- ]injection|injected\s+(?:prompts?|"
                                   r"instructions)|hidden\s+(?:instructions|prompts?|text)|"
                                   r"malicious\s+(?:invites?|emails?|instructions))\b", re.I),
    "jailbreak": re.compile(r"\b(jailbr\w+|guardrails?|safety\s+filters?)\b", re.I),
    "breach": re.compile(r"\b(hack\w*|breach\w*|intrusion|infiltrat\w*|compromis\w*|"
                         r"stolen\s+(?:tokens|credentials|keys)|leak\w*\s+(?:internal|"
                         r"employee|slack))\b", re.I),
    "exposure": re.compile(r"\b(expos\w+|bug|glitch|flaw\w*|vulnerab\w+|unencrypted|"
                           r"misconfigur\w+|leak\w*|visible\s+to\s+other)\b", re.I),
    "misuse": re.compile(r"\b(ban(?:s|ned|ning)?|influence\s+(?:operations?|"
                         r"campaigns?|networks?)|surveillance|propaganda|disinformation|misuse\w*|"
                         r"abus\w+|covert)\b", re.I),
    "fraud": re.compile(r"\b(deep[- ]?fak\w*|scam\w*|fraud\w*|impersonat\w*|"
                        r"voice[- ]clon\w*)\b", re.I),
    "supply chain": re.compile(r"\b(malicious\s+(?:packages?|versions?|models?|"
                               r"extensions?|files?)|supply[- ]chain|backdoor\w*|npm|pypi|"
                               r"pickle)\b", re.I),
}
# Kinds that one incident is often told as: the way in (an injected prompt), the break-in
# and what got out are one event seen from its two ends ("hidden instructions in a calendar
# invite" in one lead, "hackers hijack a smart home" in another). Other pairs stay apart.
SAME_EVENT_KINDS = (frozenset({"prompt injection", "breach"}),
                    frozenset({"prompt injection", "exposure"}),
                    frozenset({"breach", "exposure"}))
YEAR = re.compile(r"(?<![\d-])(20[0-3]\d)(?![\d-])")
# Whose deed or whose penalty it was: the party that leaked, exposed, posted or committed
# something, or that pays, settles or is fined. Two reports that name that party and name
# different ones tell two events with the same victim and setting (a vendor's own
# employee leaking a key vs a government staffer leaking one of the same vendor's keys).
ROLE_VERB = re.compile(r"\b(leak(?:s|ed)?|expos(?:es|ed|e)|posted|commit(?:s|ted)|"
                       r"upload(?:s|ed)|settl(?:es|ed|e)|pays|paid|fined|"
                       r"(?:agreed\s+to|agrees\s+to|to|will|must)\s+pay)\b", re.I)
PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be|got)\s+(?:\w+ly\s+)?$", re.I)
DASHED_ASIDE = re.compile(r"\s[\u2014\u2013-]{1,2}\s[^\u2014\u2013\n]{0,200}?"
                          r"\s[\u2014\u2013-]{1,2}\s")
ROLE_WORDS = 12          # an actor is read this many words before its verb at most
ROLE_FACTOR = 0.35       # as strong as two event years that differ
ROLE_TYPES = ("ORG", "PERSON", "THREAT_ACTOR")
# A headline's own sum of money: two headlines whose sums (same currency) are nowhere near
# each other report two events ("$6M fine" for one party, "$1 million" settlement for another).
HEADLINE_MONEY = re.compile(r"(?<![\w$])([A-Z]{0,3})\$\s?(\d+(?:[.,]\d+)?)\s*"
                            r"(million|billion|thousand|mn|bn|[mbk])?\b", re.I)
MONEY_SCALE = {"million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9,
               "thousand": 1e3, "k": 1e3}
HEADLINE_MONEY_FACTOR = 0.15
ENTITY_EVIDENCE = 12.0   # weight of shared names that fully vouches for one incident
TERM_EVIDENCE = 20.0
GRACE_DAYS = 21         # reports this close in time compare at full strength
DECAY_DAYS = 120        # then a match softens to 0.4 over four months (a look back: exempt)


@lru_cache(maxsize=1)
def field_background() -> tuple[dict[str, float], dict[str, float]]:
    """(term -> field Zipf, entity id -> field Zipf) from ``kb/field_background.yaml``."""
    text = resources.files("aiwire.nlp").joinpath("kb/field_background.yaml").read_text("utf-8")
    data = yaml.safe_load(text) or {}
    return ({str(k): float(v) for k, v in (data.get("terms") or {}).items()},
            {str(k): float(v) for k, v in (data.get("entities") or {}).items()})


@lru_cache(maxsize=200_000)
def term_weight(word: str) -> float:
    """How much sharing ``word`` says: rare in English and in the field -> high."""
    from wordfreq import zipf_frequency

    common = max(zipf_frequency(word, "en"), field_background()[0].get(word, 0.0))
    return max(0.0, min(4.0, 6.0 - common))


@lru_cache(maxsize=50_000)
def entity_weight(entity_id: str, name: str) -> float:
    from wordfreq import zipf_frequency

    common = max(zipf_frequency(name, "en"), field_background()[1].get(entity_id, 0.0),
                 field_background()[0].get(entity_id, 0.0))
    return max(0.5, min(5.0, 6.5 - common))


@dataclass
class Signature:
    """What one report says happened, as far as matching incidents needs."""
    id: int
    url: str
    published: str
    entities: dict[str, float] = field(default_factory=dict)   # id -> weight
    central: list[str] = field(default_factory=list)           # its own rare main actors
    terms: dict[str, float] = field(default_factory=dict)      # term -> tf
    figures: set[str] = field(default_factory=set)
    actions: set[str] = field(default_factory=set)
    years: set[int] = field(default_factory=set)
    digest: str = ""
    mentioned_years: set[int] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)          # incident types (ACTIONS)
    headline_kinds: set[str] = field(default_factory=set)  # the same, from the headline
    amounts: dict[str, list[float]] = field(default_factory=dict)   # kind -> values
    accusers: list[str] = field(default_factory=list)    # organisations alleging here
    actors: list[str] = field(default_factory=list)      # who leaked / paid / was fined
    headline_money: dict[str, list[float]] = field(default_factory=dict)  # currency -> sums

    def keys(self) -> set[str]:
        """The rare keys this report is found by in ``story_keys``."""
        keys = {f"e:{e}" for e, w in self.entities.items() if w >= 2.0}
        ranked = sorted(self.terms, key=lambda t: (-self.terms[t] * weight(t), t))
        keys |= {f"t:{t}" for t in ranked[:KEY_TERMS] if weight(t) >= KEY_WEIGHT}
        keys |= {f"f:{f}" for f in self.figures}
        return keys

    def to_json(self) -> str:
        return json.dumps({"entities": self.entities, "central": self.central,
                           "terms": self.terms, "figures": sorted(self.figures),
                           "actions": sorted(self.actions), "years": sorted(self.years),
                           "mentioned_years": sorted(self.mentioned_years),
                           "kinds": sorted(self.kinds),
                           "headline_kinds": sorted(self.headline_kinds),
                           "amounts": {k: sorted(v) for k, v in sorted(self.amounts.items())},
                           "digest": self.digest, "url": self.url,
                           "accusers": self.accusers, "actors": self.actors,
                           "headline_money": self.headline_money},
                          sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_row(cls, row: dict) -> "Signature":
        data = json.loads(row["signature"])
        return cls(row["article_id"], data.get("url", ""), row["published"],
                   data["entities"], data["central"], data["terms"], set(data["figures"]),
                   set(data["actions"]), set(data["years"]), data.get("digest", ""),
                   set(data.get("mentioned_years") or ()), set(data.get("kinds") or ()),
                   set(data.get("headline_kinds") or ()), data.get("amounts") or {},
                   data.get("accusers") or [], data.get("actors") or [],
                   data.get("headline_money") or {})


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def weight(term: str) -> float:
    """A word's weight, or a two-word phrase's: the mean of its words. (A bonus on top made
    one-off phrases like "sent shockwaves" outweigh the words reports actually share.)"""
    if " " in term:
        first, second = term.split(" ", 1)
        return min(4.0, 0.5 * (term_weight(first) + term_weight(second)))
    return term_weight(term)


def _running_text(title: str, text: str) -> tuple[str, str]:
    """(headline and lead, the rest) of the lines that are running text."""
    from aiwire.nlp.blocks import BODY, HEADLINE, LIST, classify_lines

    lines = text.split("\n")
    roles = classify_lines(lines)
    body = [line for line, role in zip(lines, roles) if role in (BODY, LIST, HEADLINE)]
    return f"{title}\n" + "\n".join(body[:3]), "\n".join(body[3:])


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """The base form two reports share when one writes "hackers stole" and the other
    "a hacker stealing": possessive, plural and -ed/-ing endings come off when what is
    left is a common English word (so "news" or "series" stay as they are)."""
    from wordfreq import zipf_frequency

    word = re.sub(r"['\u2019]s?$", "", word)
    if len(word) < 5 or "-" in word:
        return word
    if word.endswith(("ies", "ied")) and zipf_frequency(word[:-3] + "y", "en") >= 3.0:
        return word[:-3] + "y"
    options: list[str] = []
    if word.endswith(("sses", "xes", "ches", "shes")):
        options = [word[:-2]]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        options = [word[:-1]]
    elif word.endswith("ed"):
        stem = word[:-2]
        options = [word[:-1], stem] + ([stem[:-1]] if _doubled(stem) else [])
    elif word.endswith("ing") and len(word) >= 7:
        stem = word[:-3]
        options = [stem, stem + "e"] + ([stem[:-1]] if _doubled(stem) else [])
    # The base must be about as common as the word ("morning" is not a form of "morn"),
    # and the commonest candidate wins ("pointed" is "point", not "pointe").
    floor = max(3.0, zipf_frequency(word, "en") - 1.5)
    known = [(zipf_frequency(base, "en"), base) for base in options if len(base) >= 4]
    known = [(z, base) for z, base in known if z >= floor]
    return max(known)[1] if known else word


def _doubled(stem: str) -> bool:
    return len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] not in "lsz"


def _terms(lead: str, rest: str) -> dict[str, float]:
    """Frequencies of words and adjacent word pairs: headline+lead count double."""
    counts: Counter = Counter()
    for factor, part in ((2, lead), (1, rest)):
        words = [fold(w) for w in WORD.findall(part.lower()) if len(w) > 2]
        kept = [w if term_weight(w) > 0.3 else None for w in words]
        for index, word in enumerate(kept):
            if word is None:
                continue
            counts[word] += factor
            following = kept[index + 1] if index + 1 < len(kept) else None
            if following is not None:
                counts[f"{word} {following}"] += factor
    top = sorted(counts, key=lambda w: (-counts[w] * weight(w), w))[:MAX_TERMS]
    return {w: float(counts[w]) for w in top}


def _figure_key(kind: str, value: float, unit: str | None) -> str | None:
    """The key under which two reports give the same figure. A head count is one fact
    whatever noun it counts ("30 organisations", "30 targets", "30 entities"; "64 million
    records" and "64 million applicants"), so counts match on their value; money and data
    volumes keep their unit, a percentage is a percentage. Small counts ("two clusters")
    say nothing about which incident it is and are left out."""
    if kind in COUNT_KINDS:
        return f"n:{abs(value):g}" if abs(value) >= MIN_COUNT else None
    if kind == "percent":
        return f"percent:{abs(value):g}"
    if kind in FIGURE_KINDS and abs(value) >= 100:
        return f"{kind}:{value:g}:{unit or ''}"
    return None


def incident_kinds(lead: str) -> set[str]:
    """The incident types the headline and lead describe (``ACTIONS``)."""
    return {name for name, pattern in ACTIONS.items() if pattern.search(lead)}


def build_signature(store: Store, article: dict) -> Signature:
    """An article's signature from its stored analysis (the one time its text is read)."""
    from aiwire.nlp.dates import resolve

    article_id = article["id"]
    mentions = store.rows(
        "SELECT m.entity_id, e.name, e.type, count(*) AS n FROM mentions m JOIN entities e "
        "ON e.id = m.entity_id WHERE m.article_id = ? GROUP BY m.entity_id ORDER BY "
        "m.entity_id", (article_id,))
    entities, central = {}, []
    for row in mentions:
        if row["type"] not in ENTITY_TYPES:
            continue
        weight = entity_weight(row["entity_id"], row["name"])
        entities[row["entity_id"]] = weight
        if weight >= 3.0 and row["n"] >= 2 and row["type"] != "GPE":
            central.append(row["entity_id"])
    figures, amounts = set(), {}
    for row in store.rows("SELECT kind, value, unit FROM figures WHERE article_id = ?",
                          (article_id,)):
        key = _figure_key(row["kind"], row["value"], row["unit"])
        if key:
            figures.add(key)
        if row["kind"] in AMOUNT_KINDS and row["value"] > 0:
            amounts.setdefault(f"{row['kind']}:{row['unit'] or ''}", []).append(row["value"])
    actions = {".".join(r["technique_id"].split(".")[:2]) for r in store.rows(
        "SELECT technique_id FROM article_techniques WHERE article_id = ?", (article_id,))}
    years: set[int] = set()
    published = _parse_time(article["published"]).date()
    for row in store.rows("SELECT slot, value FROM assertions WHERE article_id = ? AND "
                          "slot LIKE 'date:%'", (article_id,)):
        # Only dates that name their year: "last year" hangs on a publication date that
        # is often an estimate (or a re-dating), and one wrong year splits an incident.
        if row["slot"].startswith("date:disclosure") or not YEAR.search(row["value"]):
            continue
        value = resolve(row["value"], published)
        if value and value.start.year == value.end.year:
            years.add(value.start.year)
    from aiwire.nlp.kb import domain_ids

    accusers = sorted({r["speaker"] for r in store.rows(
        "SELECT c.speaker FROM claims c JOIN entities e ON e.id = c.speaker WHERE "
        "c.article_id = ? AND c.stance = 'alleges' AND e.type = 'ORG'", (article_id,))}
        - domain_ids("news"))
    lead, rest = _running_text(article["title"] or "", article["clean_text"] or "")
    surfaces: dict[str, set[str]] = {}
    for row in store.rows(
            "SELECT DISTINCT m.entity_id, m.text FROM mentions m JOIN entities e ON "
            f"e.id = m.entity_id WHERE m.article_id = ? AND e.type IN "
            f"({','.join('?' * len(ROLE_TYPES))})", (article_id, *ROLE_TYPES)):
        surfaces.setdefault(row["entity_id"], set()).add(row["text"])
    mentioned = {int(y) for y in YEAR.findall(f"{lead}\n{rest}") if int(y) <= published.year}
    return Signature(article_id, article["url"], article["published"], entities,
                     sorted(central), _terms(lead, rest), figures, actions, years,
                     _digest(article["analyzed_hash"]), mentioned, incident_kinds(lead),
                     incident_kinds(article["title"] or ""), amounts, accusers,
                     role_actors(lead, surfaces, domain_ids("news")),
                     headline_money(article["title"] or ""))


def role_actors(lead: str, surfaces: dict[str, set[str]], outlets: set[str]) -> list[str]:
    """The named parties the headline and lead make the doer of a leak or the payer of a
    penalty (``ROLE_VERB``): the names in the words just before an active verb, or after
    "by" following a passive one ("leaked on GitHub by an xAI employee"). A possessor
    ("Elon Musk's company") and the outlets cited are settings, not the doer; a thing
    leaked ("the key was exposed") names nobody."""
    found: set[str] = set()
    lead = re.sub(DASHED_ASIDE, " ", lead)   # "an engineer at X — with access to Y — leaked"
    for sentence in re.split(r"(?<=[.!?])\s+|\n", lead):
        for match in ROLE_VERB.finditer(sentence):
            before, after = sentence[:match.start()], sentence[match.end():]
            if match.group(1).lower().startswith("leak") and re.match(
                    r"\s+(?:can|could|may|might|will|would|are|were|is|was|have|has|had|of|"
                    r"from|to|and|or)\b", after, re.I):
                continue   # "metadata leaks can do harm": a noun, not who leaked
            if match.group(1).lower() == "fined" and not PASSIVE.search(before) and \
                    re.match(r"\s+[A-Za-z]", after):
                # "the FCC fined a consultant $6M": the party fined follows the verb
                found |= _named_in(re.split(r"[$\d,;:]|\bfor\b", after)[0], surfaces)
                continue
            by = re.match(r"(?:\s+[^\s.;:,]+){0,6}?\s+by\s+([^.;:,]+)", after)
            if by:
                phrase = by.group(1)
            elif PASSIVE.search(before) or re.search(r"\b(?:an?|the)\s+$", before, re.I) \
                    or re.search(r"\b(?:leav\w*|left|kept|keeps?)\s+(?:\S+\s+){0,3}$", before):
                phrase = ""   # a thing leaked (or left exposed) names nobody who leaked it
            elif relative := re.search(r"([^,;:()]*)\b(?:that|which)\s+(?:\w+ly\s+)?$",
                                       before, re.I):
                phrase = relative.group(1)   # "CVE-X, a flaw that exposed": the flaw
            else:
                phrase = " ".join(re.split(r"[.;:]", before)[-1].split()[-ROLE_WORDS:])
            found |= _named_in(phrase, surfaces)
    return sorted(found - outlets)


def _named_in(phrase: str, surfaces: dict[str, set[str]]) -> set[str]:
    """Entities whose written forms occur in ``phrase``, not as a possessor, and its rare
    capitalised words the tagger left untagged ("DOGE staffer": ``doge``)."""
    phrase = re.sub(r"(?:\b[A-Z][\w-]*\s+){0,3}[\w-]+['\u2019]s\b", " ", phrase)  # possessors
    named = set()
    for entity, texts in surfaces.items():
        for text in sorted(texts, key=len, reverse=True):
            pattern = rf"(?<!\w){re.escape(text)}(?!\w)"
            if re.search(pattern, phrase):
                named.add(entity)
                phrase = re.sub(pattern, " ", phrase)
    words = re.findall(r"(?<![\w'\u2019])([A-Za-z]*[A-Z][\w-]*)(?![\w'\u2019-])", phrase)
    return named | {slugify(word) for word in words
                    if term_weight(word.lower()) >= 3.0 and not re.search(r"\d", word)}


def headline_money(title: str) -> dict[str, list[float]]:
    """Sums of money a headline states, by currency ("$6M" -> {"$": [6e6]})."""
    sums: dict[str, list[float]] = {}
    for match in HEADLINE_MONEY.finditer(title):
        value = float(match.group(2).replace(",", ""))
        value *= MONEY_SCALE.get((match.group(3) or "").lower(), 1.0)
        if value >= 1000:
            currency = match.group(1).upper()
            sums.setdefault(("" if currency == "US" else currency) + "$", []).append(value)
    return sums


class Similarity:
    """How likely two reports describe one incident (0 to about 1)."""

    def __init__(self, features: dict[int, Signature] | None = None,
                 grace_days: int = GRACE_DAYS) -> None:
        self._vectors: dict[int, dict[str, float]] = {}
        self.grace_days = grace_days

    def _vector(self, sig: Signature) -> dict[str, float]:
        vector = self._vectors.get(sig.id)
        if vector is None:
            vector = {t: (1 + math.log(c)) * weight(t) for t, c in sig.terms.items()}
            norm = math.sqrt(sum(x * x for x in vector.values())) or 1.0
            vector = self._vectors[sig.id] = {t: x / norm for t, x in vector.items()}
        return vector

    def score(self, a: Signature, b: Signature) -> float:
        named_a = a.entities | _named_as_word(b, a)
        named_b = b.entities | _named_as_word(a, b)
        keys_a, keys_b = set(named_a), set(named_b)
        both = {k: max(0.0, w - ENTITY_FLOOR) for k, w in (named_a | named_b).items()}
        union = sum(both[k] for k in keys_a | keys_b)
        shared = sum(both[k] for k in keys_a & keys_b)
        # Evidence must add up: two short reports that share only "Microsoft" and
        # "Copilot" are not one incident because there is nothing else to compare.
        entities = shared / max(union, ENTITY_EVIDENCE)
        va, vb = self._vector(a), self._vector(b)
        common = va.keys() & vb.keys()
        cosine = sum(va[t] * vb[t] for t in common)
        cosine *= min(1.0, sum(weight(t) for t in common) / TERM_EVIDENCE)
        score = ENTITY_SHARE * entities + (1 - ENTITY_SHARE) * cosine
        score += min(0.3, 0.15 * len(a.figures & b.figures)) * min(1.0, score / FIGURE_BASE)
        if a.years and b.years and not a.years & b.years:
            score *= 0.35     # dated to different years: different events
        if set(a.central) - keys_b and set(b.central) - keys_a:
            score *= 0.6      # each has a main actor of its own the other never names
        elif a.mentioned_years and b.mentioned_years and \
                not a.mentioned_years & b.mentioned_years:
            score *= 0.6      # the years each report names do not meet
        if a.accusers and b.accusers and not set(a.accusers) & set(b.accusers):
            score *= ACCUSER_FACTOR   # each accuses in its own name: two accusations
        if _amounts_differ(a.amounts, b.amounts):
            score *= 0.6      # 18,000 accounts here, 40 there: two different events
        if _amounts_differ(a.headline_money, b.headline_money):
            score *= HEADLINE_MONEY_FACTOR   # a $6M fine in one headline, $1M in the other
        if a.actors and b.actors and not set(a.actors) & set(b.actors):
            score *= ROLE_FACTOR   # different parties leaked / paid: two events
        if a.kinds and b.kinds and not _kinds_meet(a.kinds, b.kinds):
            score *= KIND_FACTOR   # what happened differs: a breach is not an influence campaign
            if a.headline_kinds and b.headline_kinds and \
                    not _kinds_meet(a.headline_kinds, b.headline_kinds):
                score *= KIND_FACTOR  # and both headlines say so, not just a lead's aside
        if a.actions and b.actions and not a.actions & b.actions:
            score *= 0.8
        gap = abs((_parse_time(a.published) - _parse_time(b.published)).days)
        if gap > self.grace_days and not _looks_back(a, b):
            score *= max(0.4, 1 - (gap - self.grace_days) / DECAY_DAYS)
        return score


    def story_score(self, sig: Signature, members: list[Signature]) -> float:
        """How well a report fits a story, through the story's best members.

        The best two reports speak for the story: one odd member cannot pull in a
        look-alike on its own, and a story of one report is joined only on a surer match.
        """
        told = set().union(*(m.kinds for m in members))
        headlines = set().union(*(m.headline_kinds for m in members))
        doers = set().union(*(m.actors for m in members))
        scores = sorted((self._in_story(sig, m, told, headlines, doers) for m in members),
                        reverse=True)
        if len(scores) == 1:
            return scores[0] * LONE_OPINION
        best = max(scores[0] * SECOND_OPINION, (scores[0] + scores[1]) / 2)
        return best * _own_names_factor(sig, members)


    def _in_story(self, sig: Signature, member: Signature, told: set[str],
                  headlines: set[str], doers: set[str] = frozenset()) -> float:
        """A report's match with one member; a member that says nothing of what happened
        (no incident kind of its own) is read with what its story's other reports say
        happened, so a terse report cannot vouch for a look-alike ("bots harvested its
        answers" would otherwise fit an account ban by the same lab as well as the
        distillation it belongs to). Likewise a member that names nobody as the one who
        leaked or paid is read with the parties its story's other reports name."""
        score = self.score(sig, member)
        if sig.actors and not member.actors and doers and not doers & set(sig.actors):
            score *= ROLE_FACTOR
        if member.kinds or not sig.kinds:
            return score
        if told and not _kinds_meet(sig.kinds, told):
            score *= KIND_FACTOR
            if sig.headline_kinds and headlines and \
                    not _kinds_meet(sig.headline_kinds, headlines):
                score *= KIND_FACTOR
        return score


def _named_as_word(other: Signature, sig: Signature) -> dict[str, float]:
    """``other``'s rare one-word names that ``sig`` carries only as a running-text word.

    The tagger misses a name now and then ("Arup" read as a common noun in one report);
    when the word itself is among the report's key terms, the report still names it, and
    counting it keeps one missed tag from splitting an incident."""
    return {e: w for e, w in other.entities.items()
            if w >= OWN_NAME_WEIGHT and "-" not in e and e not in sig.entities
            and e in sig.terms}


def _own_names_factor(sig: Signature, members: list[Signature]) -> float:
    """Two incidents each with a name of their own: the report names a rare actor no member
    of the story names, and the story has a rare actor (named by two or more of its reports)
    that the report never names. Sharing the product is not sharing the incident."""
    named: Counter = Counter(e for m in members for e in _actors(m))
    story_own = {e for e, n in named.items() if n >= 2} - set(sig.entities)
    report_own = _actors(sig) - {e for m in members for e in m.entities}
    return OWN_NAMES_FACTOR if story_own and report_own else 1.0


def _actors(sig: Signature) -> set[str]:
    """A report's rare names that can be an incident's own actors: not the outlets it
    cites ("told TechCrunch", "first reported by Reuters"), which many incidents share."""
    from aiwire.nlp.kb import domain_ids

    outlets = domain_ids("news")
    return {e for e, w in sig.entities.items() if w >= OWN_NAME_WEIGHT and e not in outlets}


def _looks_back(a: Signature, b: Signature) -> bool:
    """Whether the later report dates its event to a past year the earlier one names too
    (a look back at that incident, months or years on): then their publication dates say
    nothing about whether they tell one event, and the gap does not soften the match."""
    earlier, later = sorted((a, b), key=lambda s: s.published)
    later_year = _parse_time(later.published).year
    shared = (later.years or later.mentioned_years) & (earlier.years | earlier.mentioned_years)
    return any(year < later_year for year in shared)


def _kinds_meet(a: set[str], b: set[str]) -> bool:
    """Whether two reports' incident kinds can be one event (shared, or ``SAME_EVENT_KINDS``)."""
    return bool(a & b) or any(frozenset({x, y}) in SAME_EVENT_KINDS for x in a for y in b)


def _amounts_differ(a: dict[str, list[float]], b: dict[str, list[float]]) -> bool:
    for kind in a.keys() & b.keys():
        if not any(max(x, y) <= AMOUNT_RATIO * min(x, y) for x in a[kind] for y in b[kind]):
            return True
    return False


# --------------------------------------------------------------------- the index

ANALYSED = ("a.relevant = 1 AND a.duplicate_of IS NULL AND a.analyzed_hash IS NOT NULL")


def refresh_signatures(store: Store) -> list[int]:
    """Build signatures of newly analysed (or re-analysed) articles; their ids."""
    rows = store.rows(
        f"SELECT a.id, a.url, a.published, a.title, a.clean_text, a.analyzed_hash "
        f"FROM articles a LEFT JOIN article_signatures g ON g.article_id = a.id "
        f"WHERE {ANALYSED} AND (g.article_id IS NULL OR "
        f"json_extract(g.signature, '$.digest') IS NOT (a.analyzed_hash || ?)) ORDER BY a.id",
        (_digest(""),))
    for row in rows:
        signature = build_signature(store, row)
        store.conn.execute(
            "INSERT INTO article_signatures (article_id, published, signature) VALUES "
            "(?, ?, ?) ON CONFLICT(article_id) DO UPDATE SET published = excluded.published, "
            "signature = excluded.signature", (row["id"], row["published"],
                                               signature.to_json()))
    return [row["id"] for row in rows]


def _digest(analyzed_hash: str | None) -> str:
    """What a stored signature was built from: the analysis and the signature's own format."""
    return f"{analyzed_hash or ''}/{SIGNATURE_VERSION}"


class SignatureCache:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.cache: dict[int, Signature] = {}

    def get(self, ids: list[int]) -> dict[int, Signature]:
        missing = [i for i in ids if i not in self.cache]
        for start in range(0, len(missing), 500):
            chunk = missing[start:start + 500]
            for row in self.store.rows(
                    f"SELECT article_id, published, signature FROM article_signatures "
                    f"WHERE article_id IN ({','.join('?' * len(chunk))})", chunk):
                self.cache[row["article_id"]] = Signature.from_row(row)
        return {i: self.cache[i] for i in ids if i in self.cache}


def _candidates(store: Store, keys: set[str]) -> list[str]:
    """The stories sharing most of ``keys``; each key's postings are read up to
    ``KEY_POSTINGS`` rows, so the work per report stays bounded however long the history."""
    if not keys:
        return []
    ordered = sorted(keys)[:MAX_KEYS]     # SQLite joins at most 500 SELECTs in one query
    postings = " UNION ALL ".join(
        f"SELECT * FROM (SELECT story_id FROM story_keys WHERE key = ? LIMIT {KEY_POSTINGS})"
        for _ in ordered)
    rows = store.rows(
        f"SELECT story_id, count(*) AS n FROM ({postings}) GROUP BY story_id "
        f"ORDER BY n DESC, story_id LIMIT {CANDIDATES}", ordered)
    return [r["story_id"] for r in rows]


class RecentMembers:
    """Each story's latest ``RECENT_MEMBERS`` reports (newest first), read from the store
    once per story and then kept up to date as reports join: a story is a candidate for
    many reports in one run, and re-reading a large story's members each time cost more
    than all the scoring."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._latest: dict[str, list[tuple[str, int]]] = {}

    def of(self, story_id: str) -> list[int]:
        latest = self._latest.get(story_id)
        if latest is None:
            latest = self._latest[story_id] = [(r["published"], r["article_id"]) for r in
                                               self.store.rows(
                "SELECT s.article_id, a.published FROM story_articles s JOIN articles a ON "
                "a.id = s.article_id WHERE s.story_id = ? ORDER BY a.published DESC, "
                "a.id DESC LIMIT ?", (story_id, RECENT_MEMBERS))]
        return [article_id for _, article_id in latest]

    def joined(self, story_id: str, published: str, article_id: int) -> None:
        if story_id in self._latest:
            latest = self._latest[story_id] + [(published, article_id)]
            self._latest[story_id] = sorted(latest, reverse=True)[:RECENT_MEMBERS]

    def forget(self, *story_ids: str) -> None:
        for story_id in story_ids:
            self._latest.pop(story_id, None)


def _index(store: Store, story_id: str, signature: Signature) -> None:
    store.conn.executemany("INSERT OR IGNORE INTO story_keys (key, story_id) VALUES (?, ?)",
                           [(key, story_id) for key in sorted(signature.keys())])


def load_features(store: Store, ids: list[int] | None = None) -> dict[int, Signature]:
    """Stored signatures (of ``ids``, or of every clustered article)."""
    if ids is None:
        ids = [r["article_id"] for r in store.rows(
            "SELECT article_id FROM story_articles ORDER BY article_id")]
    return SignatureCache(store).get(ids)


def update_stories(store: Store, window_days: int = GRACE_DAYS,
                   force: bool = False) -> set[str]:
    """Place every unassigned analysed article; refresh the stories that changed.

    Returns the ids of the stories that changed (empty when nothing did). Reports up to
    ``window_days`` apart compare at full strength (``settings.story_window_days``);
    beyond that a match softens over four months (``DECAY_DAYS``) unless the later report
    looks back at a past year both name; it is never cut off.
    """
    touched: set[str] = set()
    existing = {r["id"] for r in store.rows("SELECT id FROM stories")}
    with store.transaction():
        gone = [r["article_id"] for r in store.rows(
            f"SELECT s.article_id, s.story_id FROM story_articles s JOIN articles a ON "
            f"a.id = s.article_id WHERE NOT ({ANALYSED})")]
        for article_id in gone:
            story = store.scalar("SELECT story_id FROM story_articles WHERE article_id = ?",
                                 (article_id,))
            touched.add(story)
            store.conn.execute("DELETE FROM story_articles WHERE article_id = ?", (article_id,))
        refreshed = refresh_signatures(store)
        pending = [r["id"] for r in store.rows(
            f"SELECT a.id FROM articles a WHERE {ANALYSED} AND NOT EXISTS (SELECT 1 FROM "
            f"story_articles s WHERE s.article_id = a.id) ORDER BY a.published, a.url")]
        if not pending and not gone and not refreshed and not force:
            return set()
        cache = SignatureCache(store)
        recent = RecentMembers(store)
        similarity = Similarity(grace_days=window_days)
        split_stories = {r["story_id"] for r in store.rows(
            "SELECT story_id FROM article_pins")}
        for article_id in refreshed:           # re-analysed members: their keys may change
            story = store.scalar("SELECT story_id FROM story_articles WHERE article_id = ?",
                                 (article_id,))
            if story:
                _index(store, story, cache.get([article_id])[article_id])
                touched.add(story)
        for article_id in pending:
            signature = cache.get([article_id]).get(article_id)
            if signature is None:
                continue
            scored, members_of = [], {}
            for story_id in _candidates(store, signature.keys()):
                members = cache.get(recent.of(story_id))
                if members:
                    members_of[story_id] = list(members.values())
                    scored.append((similarity.story_score(signature, members_of[story_id]),
                                   story_id))
            scored.sort(key=lambda item: (-item[0], item[1]))
            if scored and scored[0][0] >= JOIN_THRESHOLD:
                target = scored[0][1]
                store.conn.execute("INSERT INTO story_articles (story_id, article_id) "
                                   "VALUES (?, ?)", (target, article_id))
                recent.joined(target, signature.published, article_id)
                _index(store, target, signature)
                touched.add(target)
                grown = [signature] + members_of[target][:RECENT_MEMBERS - 1]
                for score, other in scored[1:]:
                    if {target, other} & split_stories or \
                            _doers_apart(members_of[target], members_of[other]):
                        continue
                    # The report bridges two stories; or a report that stood alone when
                    # it arrived (its incident's other reports came later) now fits the
                    # grown story as well as a newcomer would: order must not split one
                    # incident.
                    lone = members_of[other]
                    if score >= MERGE_THRESHOLD or (len(lone) == 1 and similarity.story_score(
                            lone[0], grown) >= JOIN_THRESHOLD):
                        # the story whose first report came first keeps its id (and its
                        # pages' addresses), as in _merge_mutual
                        keep, gone = sorted((target, other),
                                            key=lambda s: (_first_seen(store, s), s))
                        fold_story(store, keep=keep, absorb=gone)
                        recent.forget(keep, gone)
                        touched.discard(gone)
                        touched.add(keep)
                        target = keep
                continue
            new_id = _story_of_its_own(store, article_id)
            store.conn.execute("INSERT INTO story_articles (story_id, article_id) VALUES (?, ?)",
                               (new_id, article_id))
            _index(store, new_id, signature)
            touched.add(new_id)
        # Editors' merges and splits stand: no report leaves a story an editor shaped.
        curated = split_stories | {r["into_id"] for r in store.rows(
            "SELECT into_id FROM curation_merges")}
        _eject_strangers(store, touched, cache, recent, similarity, curated)
        _merge_mutual(store, touched, cache, recent, similarity, split_stories)
        drop_empty_stories(store)
        live = {r["id"] for r in store.rows("SELECT id FROM stories")}
        touched = {t for t in touched if t in live}
        refresh_story_metadata(store, story_ids=sorted(touched),
                               keep_titles=touched & existing)
    return touched


def _merge_mutual(store: Store, touched: set[str], cache: SignatureCache,
                  recent: RecentMembers, similarity: Similarity,
                  pinned: set[str]) -> None:
    """Merge two stories when each holds a report that would join the other as a newcomer.

    Reports join one at a time, so an incident whose first reports differ in wording can
    start as two stories that never meet again: each newcomer joins the closer half. When a
    report of each half fits the other half (``JOIN_THRESHOLD`` through ``story_score``),
    the halves agree from both sides, which one bridging report (``MERGE_THRESHOLD``)
    cannot say. Only stories this run touched are looked at, each against its
    ``MUTUAL_CANDIDATES`` nearest stories in ``story_keys``. The story whose first report
    came first keeps its id (the other becomes a redirect); ``touched`` is kept up to date.
    """
    absorbed: set[str] = set()
    for story_id in sorted(touched):
        if story_id in absorbed or story_id in pinned:
            continue
        keys = {r["key"] for r in store.rows("SELECT key FROM story_keys WHERE story_id = ?",
                                             (story_id,))}
        for other in _candidates(store, keys)[:MUTUAL_CANDIDATES]:
            if other == story_id or other in absorbed or other in pinned:
                continue
            mine = list(cache.get(recent.of(story_id)).values())
            theirs = list(cache.get(recent.of(other)).values())
            if mine and theirs and not _own_names_apart(mine, theirs) and \
                    not _doers_apart(mine, theirs) and \
                    _fits(similarity, mine, theirs) and _fits(similarity, theirs, mine):
                keep, gone = sorted((story_id, other), key=lambda s: (_first_seen(store, s), s))
                fold_story(store, keep=keep, absorb=gone)
                recent.forget(keep, gone)
                absorbed.add(gone)
                touched.discard(gone)
                touched.add(keep)
                if gone == story_id:
                    break


def _eject_strangers(store: Store, touched: set[str], cache: SignatureCache,
                     recent: RecentMembers, similarity: Similarity,
                     pinned: set[str]) -> None:
    """A report that joined a story early, before the story's other reports showed whose
    incident it is, leaves it when it now has a rare actor of its own, lacks the actors
    two of the others share, and no longer fits them as a newcomer would: a look-alike
    (another ban by the same lab, named after its own operation). At most one report per
    story and run, among its latest ``RECENT_MEMBERS``; stories an editor merged or split
    (``pinned``) are left alone. Runs before ``_merge_mutual``, which may then rejoin what
    truly fits."""
    for story_id in sorted(touched):
        if story_id in pinned:
            continue
        members = cache.get(recent.of(story_id))
        if len(members) < 3:
            continue
        for article_id, member in members.items():
            others = [m for i, m in members.items() if i != article_id]
            if _own_names_factor(member, others) < 1.0 and \
                    similarity.story_score(member, others) < JOIN_THRESHOLD:
                # The id may once have been absorbed elsewhere: it is a story again.
                new_id = _story_of_its_own(store, article_id, revive=True)
                store.conn.execute("UPDATE story_articles SET story_id = ? WHERE article_id = ?",
                                   (new_id, article_id))
                _index(store, new_id, member)
                recent.forget(story_id)
                touched.add(new_id)
                break


def _story_of_its_own(store: Store, article_id: int, revive: bool = False) -> str:
    """The story a report starts (named after its headline and url); ``revive``: an id
    once absorbed into another story is a story again, not a redirect."""
    row = store.conn.execute("SELECT title, url FROM articles WHERE id = ?",
                             (article_id,)).fetchone()
    new_id = story_id_for(row[0] or "", row[1])
    if revive:
        store.conn.execute("DELETE FROM story_redirects WHERE old_id = ?", (new_id,))
    store.conn.execute("INSERT OR IGNORE INTO stories (id, title) VALUES (?, ?)",
                       (new_id, row[0] or ""))
    return new_id


def _first_seen(store: Store, story_id: str) -> str:
    return store.scalar("SELECT min(a.published) FROM story_articles s JOIN articles a ON "
                        "a.id = s.article_id WHERE s.story_id = ?", (story_id,)) or ""


def _own_names_apart(mine: list[Signature], theirs: list[Signature]) -> bool:
    """Each story has a rare name of its own, named by two or more of its reports and by
    none of the other's (one team's finding and another team's finding in the same
    product): two incidents, however alike their wording."""
    def own(members: list[Signature], others: list[Signature]) -> set[str]:
        named = Counter(e for m in members for e in _actors(m))
        return {e for e, n in named.items() if n >= 2} - \
            {e for m in others for e in m.entities}
    return bool(own(mine, theirs)) and bool(own(theirs, mine))


def _doers_apart(mine: list[Signature], theirs: list[Signature]) -> bool:
    """Each story names who leaked or paid, and no party is in both: a report naming
    nobody that fits both (or each half) cannot make the two one incident."""
    doers, others = (set().union(*(m.actors for m in side)) for side in (mine, theirs))
    return bool(doers) and bool(others) and not doers & others


def _fits(similarity: Similarity, reports: list[Signature], members: list[Signature]) -> bool:
    """Whether one of ``reports`` would join the story of ``members`` as a newcomer.

    A report that names no kind of incident speaks for its story with what the story's
    other reports say happened, as a member does in ``_in_story``: a terse report of a
    distillation must not vouch, on names alone, that its story is the same lab's ban.
    """
    told = set().union(*(r.kinds for r in reports))
    headlines = set().union(*(r.headline_kinds for r in reports))
    return any(similarity.story_score(
        report if report.kinds else replace(report, kinds=told, headline_kinds=headlines),
        members) >= JOIN_THRESHOLD for report in reports)


def story_id_for(title: str, url: str) -> str:
    """At most 40 characters (33 of slug, cut at a word, + 6 of URL hash): short enough
    to copy from a terminal list into curation.yaml without wrapping."""
    slug = slugify(title)
    if len(slug) > 33:
        slug = slug[:34].rsplit("-", 1)[0] if "-" in slug[:34] else slug[:33]
    slug = slug.strip("-") or "story"
    return f"{slug}-{hashlib.sha1(url.encode()).hexdigest()[:6]}"


def fold_story(store: Store, keep: str, absorb: str) -> None:
    """Move ``absorb``'s reports into ``keep``; the old id becomes a redirect (tombstone)."""
    store.conn.execute("UPDATE story_articles SET story_id = ? WHERE story_id = ?",
                       (keep, absorb))
    store.conn.execute("INSERT OR IGNORE INTO story_keys (key, story_id) SELECT key, ? "
                       "FROM story_keys WHERE story_id = ?", (keep, absorb))
    store.conn.execute("UPDATE story_redirects SET new_id = ? WHERE new_id = ?", (keep, absorb))
    store.conn.execute("INSERT OR REPLACE INTO story_redirects (old_id, new_id) VALUES (?, ?)",
                       (absorb, keep))
    _delete_story(store, absorb)


def _delete_story(store: Store, story_id: str) -> None:
    for table in ("contradictions", "story_techniques", "story_keys"):
        store.conn.execute(f"DELETE FROM {table} WHERE story_id = ?", (story_id,))
    store.conn.execute("DELETE FROM stories WHERE id = ?", (story_id,))


def drop_empty_stories(store: Store) -> None:
    """Stories left with no reports (after merges, splits, dedupe) disappear."""
    for row in store.rows("SELECT id FROM stories WHERE id NOT IN "
                          "(SELECT story_id FROM story_articles)"):
        _delete_story(store, row["id"])


def refresh_story_metadata(store: Store, features: dict | None = None,
                           similarity: Similarity | None = None,
                           story_ids: list[str] | None = None,
                           keep_titles: set[str] | frozenset[str] = frozenset()) -> None:
    """Title, summary, first/last seen, first outlet, score and techniques of stories.

    Only ``story_ids`` when given (the stories a run touched), else every story. A story
    of ``keep_titles`` (one readers have already seen) keeps its title while the report
    it came from is still nearly as central as the best: a title that hops to another
    outlet's headline each week confuses readers and rewrites every page showing it.
    """
    similarity = similarity or Similarity()
    cache_source = features
    if story_ids is None:
        story_ids = [r["id"] for r in store.rows("SELECT id FROM stories ORDER BY id")]
    for story_id in story_ids:
        articles = store.rows(
            "SELECT a.id, a.url, a.title, a.published, a.source, a.clean_text "
            "FROM story_articles s JOIN articles a ON a.id = s.article_id "
            "WHERE s.story_id = ? ORDER BY a.published, a.url", (story_id,))
        if not articles:
            continue
        ids = [a["id"] for a in articles][-CENTRAL_SAMPLE:]
        signatures = {i: cache_source[i] for i in ids if cache_source and i in cache_source}
        if len(signatures) < len(ids):
            signatures.update(load_features(store, [i for i in ids if i not in signatures]))
        def centrality(article: dict) -> float:
            if article["id"] not in signatures:
                return 0.0
            return sum(similarity.score(signatures[article["id"]], signatures[o])
                       for o in ids if o != article["id"] and o in signatures)

        scored = [(centrality(a), -index, a) for index, a in enumerate(articles)]
        central = max(scored, key=lambda item: item[:2])[2]      # earliest of equals
        if story_id in keep_titles:
            current = store.scalar("SELECT title FROM stories WHERE id = ?", (story_id,))
            best = max(item[0] for item in scored)
            holder = next((item for item in scored if item[2]["title"] == current), None)
            if holder is not None and holder[0] >= TITLE_STICKINESS * best:
                central = holder[2]
        summary = _summary(store, articles)
        outlets = len({a["source"] for a in articles})
        severity = store.scalar("SELECT count(*) FROM contradictions WHERE story_id = ?",
                                (story_id,)) or 0
        store.conn.execute(
            "UPDATE stories SET title = ?, summary = ?, first_seen = ?, last_seen = ?, "
            "first_outlet = ?, score = ? WHERE id = ?",
            (central["title"], json.dumps(summary, ensure_ascii=False),
             articles[0]["published"], articles[-1]["published"], articles[0]["source"],
             outlets * 2 + len(articles) + severity, story_id))
        store.conn.execute("DELETE FROM story_techniques WHERE story_id = ?", (story_id,))
        rows = store.rows(
            "SELECT t.technique_id, t.evidence, a.url FROM article_techniques t "
            "JOIN story_articles s ON s.article_id = t.article_id "
            "JOIN articles a ON a.id = t.article_id WHERE s.story_id = ? "
            "ORDER BY a.published, a.url, t.rowid", (story_id,))
        for technique in story_techniques((r["technique_id"], r["evidence"], r["url"])
                                          for r in rows):
            store.conn.execute(
                "INSERT INTO story_techniques (story_id, technique_id, name, evidence, url) "
                "VALUES (?, ?, ?, ?, ?)",
                (story_id, technique.id, technique.name, technique.evidence, technique.source))


def _summary(store: Store, articles: list[dict], size: int = 3) -> list[dict]:
    """The story's best sentences: leads that carry its most shared facts, one per outlet."""
    figure_rows = store.rows(
        f"SELECT article_id, quote FROM figures WHERE article_id IN "
        f"({','.join(str(a['id']) for a in articles)})")
    figure_sentences = Counter(r["quote"] for r in figure_rows)
    picked: list[dict] = []
    used_outlets: set = set()
    candidates = []
    from aiwire.nlp.blocks import BODY, classify_lines

    for article in articles:
        lines = (article["clean_text"] or "").split("\n")
        # Running text only: no headline, byline, caption, box or bare date line. A
        # line's role depends on the lines before it alone (classify_lines reads
        # forward), so the first lines are classified, more only while three body lines
        # are missing: a large story's summary does not read every line of every report.
        shown = 5
        while True:
            body = [line for line, role in zip(lines, classify_lines(lines[:shown]))
                    if role == BODY]
            if len(body) >= 3 or shown >= len(lines):
                break
            shown *= 4
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", " ".join(body[:3]))
        for position, sentence in enumerate(sentences[:3]):
            if len(sentence) < 60 or len(sentence) > 400:
                continue
            score = 3 - position + 2 * figure_sentences.get(sentence, 0)
            candidates.append((-score, article["published"], article["url"], sentence,
                               article["source"]))
    for _neg, _published, url, sentence, source in sorted(candidates):
        if source in used_outlets:
            continue
        used_outlets.add(source)
        picked.append({"sentence": sentence, "url": url, "source": source})
        if len(picked) == size:
            break
    return picked
