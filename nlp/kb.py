"""The domain knowledge base: canonical entities, their aliases and tickers.

Loaded from ``nlp/kb/entities.yaml``. It gives the entity ruler its patterns and the
linker its alias index, so ``Alibaba Cloud``, ``Alibaba's`` and ``BABA`` are one id.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from aiwire.errors import InputError

KB_TYPES = {"ORG", "PRODUCT", "PERSON", "THREAT_ACTOR", "GPE"}
# Words that follow a known name without making a different one: "Replit AI" is Replit,
# "Acme Threat Labs" is Acme's research team ("Meta AI", a product, is its own alias).
NAME_SUFFIXES = {"ai", "inc", "inc.", "corp", "corp.", "corporation", "ltd", "ltd.", "llc",
                 "plc", "co", "co.", "holdings", "group", "technologies", "technology",
                 "labs", "lab", "security", "research", "team", "threat", "intelligence",
                 "unit", "platform", "platforms", "app", "apps", "company", "firm"}


def slugify(text: str) -> str:
    """A stable lowercase id: 'Renée Tan' -> 'renee-tan', 'U.S. Dept.' -> 'us-dept'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.lower().replace("'s ", " ").replace("&", " and ")
    text = re.sub(r"[.'’]", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


@lru_cache(maxsize=65536)
def normalise_alias(text: str) -> str:
    """How a surface form is looked up: case-folded, no possessive, no leading 'the'.
    (Kept per surface: the linker looks up the same names over and over.)"""
    text = unicodedata.normalize("NFKC", text).strip()
    text = re.sub(r"['’]s?$", "", text)
    text = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", text).casefold()


@dataclass(frozen=True)
class KBEntity:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    tickers: tuple[str, ...] = ()


@dataclass
class KnowledgeBase:
    entities: dict[str, KBEntity] = field(default_factory=dict)
    index: dict[str, str] = field(default_factory=dict)      # normalised alias -> id
    exact: dict[str, str] = field(default_factory=dict)      # case-sensitive short forms

    def add(self, entity: KBEntity) -> None:
        self.entities[entity.id] = entity
        for surface in (entity.name, *entity.aliases):
            if len(surface) <= 4:
                self.exact[surface] = entity.id
            else:
                self.index.setdefault(normalise_alias(surface), entity.id)
        for ticker in entity.tickers:
            self.exact[ticker] = entity.id

    def lookup(self, surface: str) -> str | None:
        stripped = re.sub(r"['’]s?$", "", surface.strip())
        if stripped in self.exact:
            return self.exact[stripped]
        return self.index.get(normalise_alias(surface))

    def lookup_variant(self, surface: str) -> str | None:
        """A known name with a suffix ("Replit AI", "Acme Inc.", "Acme Threat Labs")."""
        words = re.sub(r"['’]s$", "", surface.strip()).split()
        while len(words) > 1 and words[-1].casefold() in NAME_SUFFIXES:
            words.pop()
            found = self.lookup(" ".join(words))
            if found:
                return found
        return None

    def surfaces(self) -> list[tuple[str, str, str, bool]]:
        """(surface, id, type, case_sensitive) for every name, alias and ticker."""
        out = []
        for entity in self.entities.values():
            for surface in (entity.name, *entity.aliases):
                out.append((surface, entity.id, entity.type, len(surface) <= 4))
            for ticker in entity.tickers:
                out.append((ticker, entity.id, entity.type, True))
        return out


def parse_kb(entries: object, source: str) -> KnowledgeBase:
    if not isinstance(entries, list):
        raise InputError("the knowledge base must be a list of entities", path=source,
                         fix="start each entry with '- {id: ..., name: ..., type: ...}'")
    kb = KnowledgeBase()
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not {"id", "name", "type"} <= set(entry):
            raise InputError(f"entry {number} needs id, name and type", path=source,
                             fix="add the missing keys")
        if entry["type"] not in KB_TYPES:
            raise InputError(f"entry {number} ({entry['id']}) has unknown type "
                             f"{entry['type']!r}", path=source,
                             fix=f"use one of {', '.join(sorted(KB_TYPES))}")
        if entry["id"] in kb.entities:
            raise InputError(f"duplicate id {entry['id']!r}", path=source,
                             fix="merge the two entries")
        kb.add(KBEntity(id=entry["id"], name=entry["name"], type=entry["type"],
                        aliases=tuple(str(a) for a in entry.get("aliases") or ()),
                        tickers=tuple(str(t) for t in entry.get("tickers") or ())))
    return kb


@lru_cache(maxsize=4)
def load_kb(path: str | None = None) -> KnowledgeBase:
    """The bundled KB, or the one at ``path``."""
    if path is None:
        text = resources.files("aiwire.nlp").joinpath("kb/entities.yaml").read_text("utf-8")
        source = "nlp/kb/entities.yaml"
    else:
        text, source = Path(path).read_text("utf-8"), path
    return parse_kb(yaml.safe_load(text), source)


@lru_cache(maxsize=8)
def domain_ids(domain: str) -> frozenset[str]:
    """Ids of the entities ``kb/domains.yaml`` files under ``domain`` ("ai", "news")."""
    text = resources.files("aiwire.nlp").joinpath("kb/domains.yaml").read_text("utf-8")
    return frozenset((yaml.safe_load(text) or {}).get(domain) or ())


@lru_cache(maxsize=8)
def domain_surfaces(domain: str) -> tuple[str, ...]:
    """Names and aliases of the entities ``kb/domains.yaml`` files under ``domain``."""
    ids = domain_ids(domain)
    kb = load_kb()
    out = []
    for entity_id in sorted(ids):
        entity = kb.entities.get(entity_id)
        if entity is not None:
            out += [s for s in (entity.name, *entity.aliases) if len(s) >= 3]
    return tuple(sorted(set(out)))
