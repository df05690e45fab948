"""The knowledge base: aliases, possessives and tickers resolve to one id."""

from __future__ import annotations

import pytest

from aiwire.errors import InputError
from aiwire.nlp.kb import load_kb, parse_kb, slugify


@pytest.mark.parametrize("surface, entity", [
    ("Alibaba Cloud", "alibaba"), ("Alibaba's", "alibaba"), ("BABA", "alibaba"),
    ("Claude 3.5 Sonnet", "claude"), ("the Commerce Department", "us-department-of-commerce"),
    ("OpenAI", "openai"), ("Hugging Face", "hugging-face"), ("Federal Bureau of Investigation", "fbi"),
])
def test_lookup(surface, entity):
    assert load_kb().lookup(surface) == entity


def test_short_forms_are_case_sensitive():
    kb = load_kb()
    assert kb.lookup("Meta") == "meta"
    assert kb.lookup("meta") is None


def test_slugify():
    assert slugify("Renée Tan") == "renee-tan"
    assert slugify("U.S. Department of Commerce") == "us-department-of-commerce"


def test_bad_kb_entries_are_input_errors():
    with pytest.raises(InputError, match="unknown type"):
        parse_kb([{"id": "x", "name": "X", "type": "PLACE"}], "kb.yaml")
    with pytest.raises(InputError, match="duplicate id"):
        parse_kb([{"id": "x", "name": "X", "type": "ORG"}] * 2, "kb.yaml")


# --- the grown knowledge base (issue 10, item 4) -------------------------------------------

import yaml  # noqa: E402

from aiwire.nlp.entities import surface_variants  # noqa: E402
from aiwire.nlp.kb import KB_TYPES, normalise_alias  # noqa: E402


def _entries():
    from importlib import resources

    text = resources.files("aiwire.nlp").joinpath("kb/entities.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def test_the_kb_covers_the_field():
    kb = load_kb()
    assert len(kb.entities) >= 300
    for entity_id in ("openai", "anthropic", "google-deepmind", "meta-ai", "azure-openai",
                      "mandiant", "crowdstrike", "wiz", "jfrog", "cisa", "ncsc",
                      "chinese-government", "chinese-embassy", "scattered-spider",
                      "shinyhunters", "reuters", "the-new-york-times", "hong-kong-police-force",
                      "singapore-police-force", "npm", "pypi", "supabase", "cursor"):
        assert entity_id in kb.entities, entity_id
    assert {e.type for e in kb.entities.values()} <= KB_TYPES


@pytest.mark.parametrize("surface, entity", [
    ("Unit 42", "palo-alto-networks"), ("NYT", "the-new-york-times"),
    ("Wall Street Journal", "the-wall-street-journal"), ("Azure OpenAI", "azure-openai"),
    ("GPT-3.5 Turbo", "gpt-35"), ("Chinese embassy", "chinese-embassy"), ("DPRK", "north-korea"),
    ("Midnight Blizzard", "apt29"), ("McDonald's", "mcdonalds"), ("Tom's Hardware", "toms-hardware"),
])
def test_aliases_and_short_forms(surface, entity):
    assert load_kb().lookup(surface) == entity


def test_ids_are_slugs_and_no_alias_names_two_entities():
    owners: dict[str, set] = {}
    for entry in _entries():
        assert entry["id"] == entry["id"].lower() and " " not in entry["id"], entry["id"]
        for surface in (entry["name"], *(entry.get("aliases") or ())):
            key = surface if len(surface) <= 4 else normalise_alias(surface)
            owners.setdefault(key, set()).add(entry["id"])
    # "The Hacker News" (an outlet) and "Hacker News" (a forum) differ only by "The",
    # which the alias index drops; the entity ruler keeps the two apart.
    clashes = {k: v for k, v in owners.items() if len(v) > 1 and k != "hacker news"}
    assert not clashes


def test_name_with_a_suffix_resolves_to_the_known_name():
    kb = load_kb()
    assert kb.lookup_variant("Replit AI") == "replit"
    assert kb.lookup_variant("Varonis Threat Labs") == "varonis"
    assert kb.lookup_variant("Quorvix Labs") is None
    assert kb.lookup("Meta AI") == "meta-ai"            # a product, not a suffixed Meta


def test_patterns_keep_the_case_of_capitalised_names():
    assert surface_variants("Intel") == {"Intel", "INTEL"}
    assert "Hong Kong Police" in surface_variants("Hong Kong police")
    assert "npm" in surface_variants("npm") and "NPM" in surface_variants("npm")


def test_countries_are_a_kb_type():
    kb = parse_kb([{"id": "atlantis", "name": "Atlantis", "type": "GPE"}], "kb.yaml")
    assert kb.entities["atlantis"].type == "GPE"


def test_every_domain_id_is_a_knowledge_base_entity():
    """kb/domains.yaml names entities by id; a typo would silently drop one."""
    import yaml
    from importlib import resources

    from aiwire.nlp.kb import load_kb

    domains = yaml.safe_load(resources.files("aiwire.nlp").joinpath("kb/domains.yaml")
                             .read_text("utf-8"))
    kb = load_kb()
    assert {"ai", "news"} <= set(domains)
    missing = {d: [i for i in ids if i not in kb.entities] for d, ids in domains.items()}
    assert all(not m for m in missing.values()), missing
