"""Loading the pipeline leaves the model out of the garbage collector's walks.

The analysis makes many small objects, which trigger collections; each full collection
would walk every object of the loaded model again. ``load_pipeline`` freezes what the
process holds once the model is loaded (``gc.freeze``), so collections only walk what
the analysis itself made.
"""

from __future__ import annotations

import gc


def test_the_loaded_model_is_frozen(nlp):
    assert gc.get_freeze_count() > 50_000          # the model's objects, at least
    doc = nlp("Lumatek said on Tuesday that 40,000 customer accounts were exposed.")
    assert doc._.mentions and doc._.figures          # the frozen model still works


def test_normalised_aliases_are_remembered():
    from aiwire.nlp.kb import normalise_alias

    first = normalise_alias("The  Acme Labs’s")
    assert first == "acme labs"
    assert normalise_alias("The  Acme Labs’s") is first
