"""MITRE ATLAS tagging: which adversary techniques an article or a story describes.

Techniques, cue patterns and the word lists the rules lean on live in
``nlp/kb/atlas.yaml``. A single matching phrase is weak evidence on real pages (explainer
paragraphs, advice boxes and "via the API" in non-AI stories all match something), so a
tag needs *support*:

- a sentence counts only if it reports this incident rather than explains, advises,
  speculates or recalls another one (the KB's ``explainer``, ``elsewhere`` and
  ``hypothetical`` patterns), its cue is not negated ("no passwords were exposed", "No
  logs, keys or prompts were exposed", or an item listed under "Not exposed:"), and, for
  AI-specific techniques, it names an AI artifact in itself or in the sentence just
  before it;
- cues describe concepts (an act and its object: a verb of deceiving with an AI system
  as its object, a secret put somewhere public), and many require the sentence to be
  about an attack (a look-ahead for an adversary or a harm), so product news that uses
  the same nouns does not count;
- each distinct evidence sentence adds its cue's weight; an article is tagged when the
  total reaches ``article_threshold``, a story (all of its articles) when it reaches
  ``story_threshold`` (see ``story_techniques``);
- a sub-technique says more than its parent, so the parent is then dropped.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Sequence

import yaml

from aiwire.nlp.words import may_match, needed_strings


@dataclass(frozen=True)
class Cue:
    pattern: re.Pattern
    weight: int = 1
    gate: frozenset[str] | None = None   # one of these is in every match (see _gate)
    # Sets of lower-case words; every match holds one word of each set (words.needed_strings)
    needs: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True)
class Technique:
    id: str
    name: str
    cues: tuple[Cue, ...]
    needs_ai: bool = False
    unless: tuple[re.Pattern, ...] = ()
    implies: tuple[str, ...] = ()      # tagged with this one, on its evidence

    def gate(self) -> frozenset[str] | None:
        """Every gate string of its cues, or None if some cue has no gate."""
        if any(cue.gate is None for cue in self.cues):
            return None
        return frozenset().union(*(cue.gate for cue in self.cues))


@dataclass(frozen=True)
class TechniqueHit:
    id: str
    name: str
    evidence: str
    support: int = 1      # weighted count of distinct evidence sentences behind the tag


@dataclass(frozen=True)
class AtlasKB:
    techniques: tuple[Technique, ...]
    ai_terms: tuple[re.Pattern, ...]
    explainer: tuple[re.Pattern, ...]
    elsewhere: tuple[re.Pattern, ...]
    hypothetical: tuple[re.Pattern, ...]
    demonstrated: tuple[re.Pattern, ...]
    classifies: tuple[re.Pattern, ...]
    article_threshold: int
    story_threshold: int
    technique_gates: tuple[frozenset[str] | None, ...] = ()   # per technique (Technique.gate)
    gates: frozenset[str] = frozenset()     # every cue's gate strings, checked once a sentence


def _compile(pattern: str, where: str) -> re.Pattern:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"nlp/kb/atlas.yaml: bad pattern in {where}: {pattern!r} ({exc}); "
                         "fix the regular expression") from exc


_META = set("\\.^$*+?{}[]|()")


def _literal_prefix(fragment: str) -> str:
    """The literal text a pattern fragment starts with (lower case, ``\\s`` as a space),
    up to the first metacharacter. A quantifier after the last character makes that
    character optional, so it is dropped."""
    out, i = "", 0
    while i < len(fragment):
        char = fragment[i]
        if char == "\\":
            nxt = fragment[i + 1:i + 2]
            if nxt == "s":
                out += " "
            elif nxt and not nxt.isalnum():
                out += nxt
            else:
                break
            i += 2
            continue
        if char in _META:
            break
        out += char
        i += 1
    if i < len(fragment) and fragment[i] in "?*{+" and out:
        out = out[:-1]
    return out.lower()


def _group_end(pattern: str, start: int) -> tuple[int, list[str]] | None:
    """Index after the group opening at ``start`` and its top-level alternatives."""
    depth, i, begin, parts = 0, start, start + 1, []
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            close = pattern.find("]", i + 2)
            if close < 0:
                return None
            i = close + 1
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                parts.append(pattern[begin:i])
                return i + 1, parts
        elif char == "|" and depth == 1:
            parts.append(pattern[begin:i])
            begin = i + 1
        i += 1
    return None


def _gate(pattern: str, shortest: int = 2) -> tuple[str, ...] | None:
    """Strings of which every match of ``pattern`` contains one, read off its start: a
    leading literal, or a leading group whose alternatives all start with one (also after
    ``^(?!...)``/``.*`` or inside a leading ``^(?=.*...)``). ``None`` when the start is
    anything else: the cue is then always tried. Checking a few substrings is much
    cheaper than running ~120 patterns over every sentence."""
    if _group_end("(" + pattern + ")", 0) is None or \
            len(_group_end("(" + pattern + ")", 0)[1]) > 1:
        return None                                    # top-level alternation
    i = 0
    if pattern.startswith("^"):
        i = 1
        if pattern.startswith("(?=.*", i):             # a leading positive look-ahead
            return _gate(pattern[i + 5:_group_end(pattern, i)[0] - 1], shortest) \
                if _group_end(pattern, i) else None
        while pattern.startswith("(?!", i):            # skip negative look-aheads
            end = _group_end(pattern, i)
            if end is None:
                return None
            i = end[0]
        if pattern.startswith("(?=.*", i):             # a positive one after them
            end = _group_end(pattern, i)
            return _gate(pattern[i + 5:end[0] - 1], shortest) if end else None
        if pattern.startswith(".*", i):
            i += 2
    if pattern.startswith("\\b", i):
        i += 2
    if pattern.startswith("(", i) and not pattern.startswith("(?", i):
        end = _group_end(pattern, i)
        if end is None or pattern[end[0]:end[0] + 1] in ("?", "*", "{"):
            return None
        prefixes = tuple(_literal_prefix(part) for part in end[1])
    else:
        prefixes = (_literal_prefix(pattern[i:]),)
    if any(len(p) < shortest for p in prefixes):
        return None
    return prefixes


def _cue(raw, where: str) -> Cue:
    text, weight = (raw, 1) if isinstance(raw, str) else (raw["re"], int(raw.get("weight", 1)))
    gate = _gate(text)
    pattern = _compile(text, where)
    return Cue(pattern, weight, frozenset(gate) if gate else None, needed_strings(pattern))


def parse_kb(data: dict) -> AtlasKB:
    """Build the KB from its YAML mapping (kept separate from loading so tests can feed one)."""
    techniques = tuple(
        Technique(t["id"], t["name"], tuple(_cue(c, t["id"]) for c in t["cues"]),
                  bool(t.get("ai", False)),
                  tuple(_compile(u, t["id"] + " unless") for u in t.get("unless") or ()),
                  tuple(t.get("implies") or ()))
        for t in data["techniques"])
    return AtlasKB(techniques,
                   tuple(_compile(p, "ai_terms") for p in data.get("ai_terms") or ()),
                   tuple(_compile(p, "explainer") for p in data.get("explainer") or ()),
                   tuple(_compile(p, "elsewhere") for p in data.get("elsewhere") or ()),
                   tuple(_compile(p, "hypothetical") for p in data.get("hypothetical") or ()),
                   tuple(_compile(p, "demonstrated") for p in data.get("demonstrated") or ()),
                   tuple(_compile(p, "classifies") for p in data.get("classifies") or ()),
                   int(data.get("article_threshold", 1)), int(data.get("story_threshold", 1)),
                   tuple(t.gate() for t in techniques),
                   frozenset(g for t in techniques for c in t.cues if c.gate for g in c.gate))


@lru_cache(maxsize=1)
def load_kb() -> AtlasKB:
    text = resources.files("aiwire.nlp").joinpath("kb/atlas.yaml").read_text("utf-8")
    return parse_kb(yaml.safe_load(text))


def load_techniques() -> tuple[Technique, ...]:
    return load_kb().techniques


def technique_names() -> dict[str, str]:
    return {t.id: t.name for t in load_techniques()}


def parent_id(technique_id: str) -> str:
    """``AML.T0024.002`` -> ``AML.T0024``: the level analysts usually compare at."""
    return ".".join(technique_id.split(".")[:2])


def is_explainer(sentence: str, kb: AtlasKB | None = None) -> bool:
    """True for definitions, advice, questions, speculation and asides about other incidents:
    sentences that do not report what happened in this one.

    Speculation ("attackers could ...") still counts when the sentence reports that someone
    demonstrated it ("researchers showed how attackers could ..."), and a definition whose
    subject is the incident itself classifies it ("This flaw is a form of ..."). A purpose
    clause ("wired the model to scanners so it could map the network") says why something
    was done, not that it might be: it is not read as speculation."""
    kb = kb or load_kb()
    low = sentence.lower() if sentence.isascii() else None

    def found(patterns: Sequence[re.Pattern], text: str, lowered: str | None) -> bool:
        return any(may_match(p, lowered) and p.search(text) for p in patterns)

    if found(kb.elsewhere, sentence, low):
        return True
    if found(kb.explainer, sentence, low):
        return not found(kb.classifies, sentence, low)
    modal = _PURPOSE.sub(" ", sentence)
    return (found(kb.hypothetical, modal, modal.lower() if modal.isascii() else None)
            and not found(kb.demonstrated, sentence, low))


# "..., so (that) the model could ...": the modal of a purpose clause after a main clause.
_PURPOSE = re.compile(r"(?<=\w)\s*,?\s+so\s+(that\s+)?(\w+\s+){1,3}(could|would|might)\b",
                      re.IGNORECASE)


def names_ai(sentence: str, kb: AtlasKB | None = None) -> bool:
    """True when the sentence names an AI artifact (model, AI product, agent, ...)."""
    kb = kb or load_kb()
    low = sentence.lower() if sentence.isascii() else None
    return any(may_match(p, low) and p.search(sentence) for p in kb.ai_terms)


_NEGATOR = re.compile(r"(\b(not|no|never|without|neither|nor|none of)|n't)\s+(\w+\s+)?$"
                      r"|\b(rather than|instead of)\b", re.IGNORECASE)
_NEGATED_VERB = re.compile(r"\b(was|were|is|are|been|be|had|has|have|did|does|do)\s+(not|never)\b"
                           r"|\b(wasn|weren|isn|aren|hadn|hasn|haven|didn|doesn|don)'?t\b"
                           r"|\b(fail(ed|s)?|refus(ed|es)?|declin(ed|es)?)\s+to\b",
                           re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:()\u2014]|\b(but|and|while|after|before)\b", re.IGNORECASE)
# A sentence that opens by negating a list ("No chat logs, API keys or passwords were
# exposed"): every item, however far from its verb, is negated, until a contrast starts
# another clause.
_LIST_NEGATION = re.compile(r"^\W*(no|none of|neither)\s+(?!(one|doubt|longer|matter|sooner|"
                            r"wonder)\b)[^.;:!?]*$", re.IGNORECASE)
_CONTRAST = re.compile(r"\b(but|however|although|though|yet|instead|while|whereas)\b",
                       re.IGNORECASE)


def _negated(sentence: str, match: re.Match, reach: int = 30) -> bool:
    """True when the cue describes what did not happen: a negation right before it ("no
    passwords were exposed", "rather than being jailbroken", "did not steal") or on its
    verb ("credentials were not exposed", "failed to disclose"). A negation two words
    or more away belongs to another verb ("never touched the malicious package"). A
    sentence that opens by negating a list negates every item of it ("No chat logs, API
    requests or credentials were exposed").

    Cues anchored on the whole sentence (look-aheads) start at 0 and so are checked on
    their verbs only."""
    opening = sentence[:match.start()]
    if _LIST_NEGATION.search(opening) and not _CONTRAST.search(opening):
        return True
    before = sentence[max(0, match.start() - reach):match.start()]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end():]
    return bool(_NEGATOR.search(before) or _NEGATED_VERB.search(match.group(0)))


def _present_gates(lowered: str, kb: AtlasKB) -> frozenset[str]:
    """The KB gate strings ``lowered`` holds anywhere (as ``g in lowered`` finds them).

    One pass of a trie-shaped pattern instead of a substring test per gate (several
    hundred per sentence): at each position it finds the longest gate starting there,
    and every gate inside that one is present too. The gates starting at a position
    are all prefixes of the longest one, so nothing is missed."""
    if not kb.gates:
        return frozenset()
    pattern, inside = _gate_matcher(kb.gates)
    found: set[str] = set()
    for match in pattern.finditer(lowered):
        found |= inside[match.group(1)]
    return frozenset(found)


@lru_cache(maxsize=4)
def _gate_matcher(gates: frozenset[str]) -> tuple[re.Pattern, dict[str, frozenset[str]]]:
    """A look-ahead over a trie of ``gates`` (so the engine follows one path per
    position, not one alternative per gate) and, per gate, the gates it contains."""
    trie: dict = {}
    for gate in gates:
        node = trie
        for char in gate:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: dict) -> str:
        alternatives = [re.escape(char) + branch(node[char]) for char in sorted(node) if char]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else \
            "(?:" + "|".join(alternatives) + ")"
        return f"(?:{body})?" if "" in node else body

    inside = {gate: frozenset(g for g in gates if g in gate) for gate in gates}
    return re.compile(f"(?=({branch(trie)}))"), inside


def _weight(technique: Technique, sentence: str, present: frozenset[str] | None = None,
            lowered: str | None = None) -> int:
    """The highest weight of a cue that matches ``sentence`` un-negated (0 if none, or if
    an ``unless`` pattern matches). ``present``: the KB gate strings the sentence holds;
    ``lowered``: the sentence in lower case when it is ASCII (a pattern missing one of
    the words it needs is then not run, see :func:`aiwire.nlp.words.may_match`)."""
    if present is None:
        present = _present_gates(sentence.lower(), load_kb())
    best = 0
    for cue in technique.cues:
        if cue.weight <= best or (cue.gate is not None and cue.gate.isdisjoint(present)) \
                or (lowered is not None and not _holds(cue.needs, lowered)):
            continue
        match = cue.pattern.search(sentence)
        if match and not _negated(sentence, match):
            best = cue.weight
    if best and any(may_match(u, lowered) and u.search(sentence) for u in technique.unless):
        return 0
    return best


def _holds(needs: tuple[frozenset[str], ...], lowered: str) -> bool:
    """Whether ``lowered`` holds a word of every set in ``needs`` (a cue may match)."""
    for needed in needs:
        for word in needed:
            if word in lowered:
                break
        else:
            return False
    return True


_LIST_ITEM = re.compile(r"^\s*([-\u2022*\u2013\u25aa\u25cf]|\d+[.)])\s+")
_NEGATED_LEAD = re.compile(r"(\b(not|never)\s+|n't\s+)(\w+\s+)?(exposed|affected|accessed|impacted"
                           r"|compromised|leaked|stolen|taken|involved|included)\b"
                           r"|\b(safe|unaffected|untouched)\b", re.IGNORECASE)


def _under_negated_lead(texts: Sequence[str]) -> list[bool]:
    """Per sentence: whether it is a list item under a lead-in that says what was *not*
    touched ("Not exposed:", "What the intruders did not access:"). Breach reports list
    what was spared as plainly as what was taken; the items carry no negation of their
    own, so the lead-in's negation is carried down the list until the list ends."""
    out, state = [], False
    for text in texts:
        stripped = text.strip()
        if not stripped or _LIST_ITEM.match(stripped):
            out.append(state and bool(stripped))
            continue
        state = stripped.endswith(":") and bool(_NEGATED_LEAD.search(stripped))
        out.append(False)
    return out


def evidence_hits(sentences: Sequence[str], kb: AtlasKB | None = None) -> list[TechniqueHit]:
    """One hit per technique and distinct evidence sentence, its support the cue's weight.

    This is what the analyse stage stores (one ``article_techniques`` row each) so that
    ``story_techniques`` can weigh a story's evidence across all of its articles.
    """
    kb = kb or load_kb()
    texts = [" ".join(s.split()) for s in sentences]
    lowered = [t.lower() for t in texts]
    ascii_text = [t.isascii() for t in texts]
    present = [_present_gates(t, kb) for t in lowered]
    # Whether a sentence reports, and names an AI artifact, is only asked of sentences a
    # cue matched (a few per article), and remembered.
    reporting: dict[int, bool] = {}
    ai: dict[int, bool] = {}

    def reports(i: int) -> bool:
        if i not in reporting:
            reporting[i] = bool(texts[i]) and not is_explainer(texts[i], kb)
        return reporting[i]

    def near_ai(i: int) -> bool:
        for j in (i, i - 1):
            if j >= 0 and j not in ai:
                ai[j] = names_ai(texts[j], kb)
        return ai[i] or (i > 0 and ai[i - 1])

    denied = _under_negated_lead(texts)
    # Per technique, the sentences holding one of its gate strings, in order: read off
    # each sentence's few gate strings instead of testing every technique's gate against
    # every sentence.
    gated_by, ungated = _techniques_by_gate(kb)
    candidates: list[list[int]] = [[] for _ in kb.techniques]
    for i, strings in enumerate(present):
        for index in sorted(ungated.union(*(gated_by.get(g, ()) for g in strings))):
            candidates[index].append(i)
    hits = []
    for technique, sentence_indices in zip(kb.techniques, candidates):
        seen: set[str] = set()
        for i in sentence_indices:
            text = texts[i]
            if lowered[i] in seen:
                continue
            weight = _weight(technique, text, present[i],
                             lowered[i] if ascii_text[i] else None)
            if not weight or denied[i] or not reports(i) or \
                    (technique.needs_ai and not near_ai(i)):
                continue
            seen.add(lowered[i])
            hits.append(TechniqueHit(technique.id, technique.name, text, weight))
    return hits


_BY_GATE: dict[int, tuple[AtlasKB, dict[str, frozenset[int]], frozenset[int]]] = {}


def _techniques_by_gate(kb: AtlasKB) -> tuple[dict[str, frozenset[int]], frozenset[int]]:
    """{gate string: indices of the techniques it opens} and the techniques no gate
    guards (tried on every sentence). Kept per KB object (hashing a KB walks all of it)."""
    known = _BY_GATE.get(id(kb))
    if known is not None and known[0] is kb:
        return known[1], known[2]
    gated_by: dict[str, set[int]] = defaultdict(set)
    ungated = set()
    for index, gate in enumerate(kb.technique_gates):
        if gate is None:
            ungated.add(index)
            continue
        for string in gate:
            gated_by[string].add(index)
    by_gate = {g: frozenset(i) for g, i in gated_by.items()}
    if len(_BY_GATE) > 8:
        _BY_GATE.clear()
    _BY_GATE[id(kb)] = (kb, by_gate, frozenset(ungated))
    return by_gate, frozenset(ungated)


def candidate_hits(sentences: Sequence[str], kb: AtlasKB | None = None) -> list[TechniqueHit]:
    """Per technique: the summed support of its evidence in ``sentences`` and its best
    (first highest-weight) sentence, in KB order. No threshold is applied."""
    merged: dict[str, TechniqueHit] = {}
    for hit in evidence_hits(sentences, kb):
        old = merged.get(hit.id)
        if old is None:
            merged[hit.id] = hit
        else:
            best = hit if hit.support > old.support else old
            merged[hit.id] = TechniqueHit(hit.id, hit.name, best.evidence,
                                          old.support + hit.support)
    return list(merged.values())


def _drop_parents(ids: Iterable[str]) -> list[str]:
    ids = list(ids)
    return [i for i in ids if not any(other.startswith(i + ".") for other in ids)]


def tag_sentences(sentences: Sequence[str], threshold: int | None = None) -> list[TechniqueHit]:
    """Techniques one article supports (weighted evidence >= ``threshold``), in KB order.

    ``threshold`` defaults to the KB's ``article_threshold``. The story-level decision,
    which sees every outlet's evidence, is ``story_techniques``.
    """
    kb = load_kb()
    threshold = kb.article_threshold if threshold is None else threshold
    hits = [hit for hit in candidate_hits(sentences, kb) if hit.support >= threshold]
    keep = set(_drop_parents(hit.id for hit in hits))
    return [hit for hit in hits if hit.id in keep]


def evidence_weight(technique_id: str, evidence: str) -> int:
    """The weight a stored evidence sentence carries now (at least 1: it was evidence when
    it was analysed, even if the KB has changed since)."""
    for technique in load_techniques():
        if technique.id == technique_id:
            return max(1, _weight(technique, " ".join(evidence.split())))
    return 1


@dataclass(frozen=True)
class StoryTechnique:
    id: str
    name: str
    evidence: str
    source: Any           # whatever the caller passed with the evidence row (e.g. its url)
    support: int


def story_techniques(rows: Iterable[tuple[str, str, Any]],
                     threshold: int | None = None) -> list[StoryTechnique]:
    """A story's techniques from its articles' evidence rows, weighed together.

    ``rows`` are ``(technique_id, evidence sentence, source)`` for every article of the
    story, oldest first (e.g. ``article_techniques`` joined to article urls). The same
    sentence counts once however many outlets repeat it; each distinct sentence adds its
    cue weight. A sub-technique is kept when its own support reaches ``threshold`` (the
    KB's ``story_threshold`` by default); a parent when the whole family's does and no
    child is kept. The evidence shown is the first sentence of the highest weight.
    """
    kb = load_kb()
    threshold = kb.story_threshold if threshold is None else threshold
    names = {t.id: t.name for t in kb.techniques}
    order = {t.id: i for i, t in enumerate(kb.techniques)}
    support: dict[str, int] = defaultdict(int)
    best: dict[str, tuple[int, str, Any]] = {}
    seen: set[tuple[str, str]] = set()
    for technique_id, evidence, source in rows:
        key = (technique_id, " ".join(evidence.split()).lower())
        if key in seen:
            continue
        seen.add(key)
        weight = evidence_weight(technique_id, evidence)
        support[technique_id] += weight
        if technique_id not in best or weight > best[technique_id][0]:
            best[technique_id] = (weight, evidence, source)
    family: dict[str, int] = defaultdict(int)
    for technique_id, value in support.items():
        family[parent_id(technique_id)] += value
    kept = {t for t, value in support.items() if value >= threshold and t != parent_id(t)}
    for parent, value in family.items():
        if value < threshold or any(parent_id(t) == parent for t in kept):
            continue
        members = [t for t in support if parent_id(t) == parent]
        # The parent itself when it has evidence, else the best-supported sub-technique.
        kept.add(parent if parent in support else max(members, key=lambda t: support[t]))
    implied = {t.id: t.implies for t in kb.techniques}
    for technique_id in sorted(kept):
        for other in implied.get(technique_id, ()):
            if other in names and other not in kept:
                kept.add(other)
                best.setdefault(other, best[technique_id])
                support[other] = max(support.get(other, 0), support[technique_id])
    result = []
    for technique_id in sorted(kept, key=lambda t: (order.get(t, len(order)), t)):
        _, evidence, source = best[technique_id]
        result.append(StoryTechnique(technique_id, names.get(technique_id, technique_id),
                                     evidence, source, support[technique_id]))
    return result
