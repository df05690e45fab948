"""MITRE ATLAS tagging: which adversary techniques an article or a story describes.

Techniques, cue patterns and the word lists the rules lean on live in
``nlp/kb/atlas.yaml``. A single matching phrase is weak evidence on real pages (explainer
paragraphs, advice boxes and "via the API" in non-AI stories all match something), so a
tag needs *support*:

- a sentence counts only if it reports this incident rather than explains, advises,
  speculates or recalls another one (the KB's ``explainer``, ``elsewhere`` and
  ``hypothetical`` patterns), its cue is not negated ("no passwords were exposed"), and,
  for AI-specific techniques, it names an AI artifact in itself or in the sentence just
  before it;
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


@dataclass(frozen=True)
class Cue:
    pattern: re.Pattern
    weight: int = 1


@dataclass(frozen=True)
class Technique:
    id: str
    name: str
    cues: tuple[Cue, ...]
    needs_ai: bool = False
    unless: tuple[re.Pattern, ...] = ()


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


def _compile(pattern: str, where: str) -> re.Pattern:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"nlp/kb/atlas.yaml: bad pattern in {where}: {pattern!r} ({exc}); "
                         "fix the regular expression") from exc


def _cue(raw, where: str) -> Cue:
    if isinstance(raw, str):
        return Cue(_compile(raw, where))
    return Cue(_compile(raw["re"], where), int(raw.get("weight", 1)))


def parse_kb(data: dict) -> AtlasKB:
    """Build the KB from its YAML mapping (kept separate from loading so tests can feed one)."""
    techniques = tuple(
        Technique(t["id"], t["name"], tuple(_cue(c, t["id"]) for c in t["cues"]),
                  bool(t.get("ai", False)),
                  tuple(_compile(u, t["id"] + " unless") for u in t.get("unless") or ()))
        for t in data["techniques"])
    return AtlasKB(techniques,
                   tuple(_compile(p, "ai_terms") for p in data.get("ai_terms") or ()),
                   tuple(_compile(p, "explainer") for p in data.get("explainer") or ()),
                   tuple(_compile(p, "elsewhere") for p in data.get("elsewhere") or ()),
                   tuple(_compile(p, "hypothetical") for p in data.get("hypothetical") or ()),
                   tuple(_compile(p, "demonstrated") for p in data.get("demonstrated") or ()),
                   tuple(_compile(p, "classifies") for p in data.get("classifies") or ()),
                   int(data.get("article_threshold", 1)), int(data.get("story_threshold", 1)))


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
    subject is the incident itself classifies it ("This flaw is a form of ...")."""
    kb = kb or load_kb()
    if any(p.search(sentence) for p in kb.elsewhere):
        return True
    if any(p.search(sentence) for p in kb.explainer):
        return not any(p.search(sentence) for p in kb.classifies)
    return (any(p.search(sentence) for p in kb.hypothetical)
            and not any(p.search(sentence) for p in kb.demonstrated))


def names_ai(sentence: str, kb: AtlasKB | None = None) -> bool:
    """True when the sentence names an AI artifact (model, AI product, agent, ...)."""
    kb = kb or load_kb()
    return any(p.search(sentence) for p in kb.ai_terms)


_NEGATOR = re.compile(r"(\b(not|no|never|without|neither|nor|none of)|n't)\s+(\w+\s+)?$"
                      r"|\b(rather than|instead of)\b", re.IGNORECASE)
_NEGATED_VERB = re.compile(r"\b(was|were|is|are|been|be|had|has|have|did|does|do)\s+(not|never)\b"
                           r"|\b(wasn|weren|isn|aren|hadn|hasn|haven|didn|doesn|don)'?t\b"
                           r"|\b(fail(ed|s)?|refus(ed|es)?|declin(ed|es)?)\s+to\b",
                           re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:()\u2014]|\b(but|and|while|after|before)\b", re.IGNORECASE)


def _negated(sentence: str, match: re.Match, reach: int = 30) -> bool:
    """True when the cue describes what did not happen: a negation right before it ("no
    passwords were exposed", "rather than being jailbroken", "did not steal") or on its
    verb ("credentials were not exposed", "failed to disclose"). A negation two words
    or more away belongs to another verb ("never touched the malicious package").

    Cues anchored on the whole sentence (look-aheads) start at 0 and so are checked on
    their verbs only."""
    before = sentence[max(0, match.start() - reach):match.start()]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end():]
    return bool(_NEGATOR.search(before) or _NEGATED_VERB.search(match.group(0)))


def _weight(technique: Technique, sentence: str) -> int:
    if any(u.search(sentence) for u in technique.unless):
        return 0
    best = 0
    for cue in technique.cues:
        match = cue.pattern.search(sentence)
        if match and cue.weight > best and not _negated(sentence, match):
            best = cue.weight
    return best


def evidence_hits(sentences: Sequence[str], kb: AtlasKB | None = None) -> list[TechniqueHit]:
    """One hit per technique and distinct evidence sentence, its support the cue's weight.

    This is what the analyse stage stores (one ``article_techniques`` row each) so that
    ``story_techniques`` can weigh a story's evidence across all of its articles.
    """
    kb = kb or load_kb()
    texts = [" ".join(s.split()) for s in sentences]
    reporting = [bool(t) and not is_explainer(t, kb) for t in texts]
    ai = [names_ai(t, kb) for t in texts]
    hits = []
    for technique in kb.techniques:
        seen: set[str] = set()
        for i, text in enumerate(texts):
            if not reporting[i] or text.lower() in seen:
                continue
            if technique.needs_ai and not (ai[i] or (i > 0 and ai[i - 1])):
                continue
            weight = _weight(technique, text)
            if weight:
                seen.add(text.lower())
                hits.append(TechniqueHit(technique.id, technique.name, text, weight))
    return hits


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
    result = []
    for technique_id in sorted(kept, key=lambda t: (order.get(t, len(order)), t)):
        _, evidence, source = best[technique_id]
        result.append(StoryTechnique(technique_id, names.get(technique_id, technique_id),
                                     evidence, source, support[technique_id]))
    return result
