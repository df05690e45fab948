"""aiwire_ner: the model's NER on the sentences that can hold a name or a date only.

Invented sentences. A sentence of lower-case words after an everyday opening word is
left out; names, digits, date words and capitalised openings keep a sentence in; the
names linked are those linked when the model reads the whole document.
"""

from __future__ import annotations

import pytest

from aiwire.nlp.sparse_ner import needs_ner


@pytest.mark.parametrize("sentence, expected", [
    ("The attackers then moved on to the next target.", False),
    ("It was not clear how long the access lasted.", False),
    ("But the stolen tokens still worked for hours.", False),
    ("The flaw was fixed by Quorvane engineers.", True),          # a name mid-sentence
    ("Quorvane declined to comment.", True),                      # a rare opening word
    ("The bucket held 40,000 files.", False),                     # a count, no date
    ("The bucket was opened in 2023.", True),                     # a year
    ("The logs go back to 9/14.", True),                          # a day and month
    ("The scheme dates from the 1990s.", True),                   # a decade
    ("The bucket had been open for 11 days.", True),              # a length of time
    ("The intrusion began last week.", True),                     # a date word
    ("The intrusion began yesterday.", True),
    ("The café's staff were not affected.", True),                # a letter outside ASCII
    ("The “patch” was not enough — it failed.", False),           # only quotes and a dash
    ("The attackers then moved to the UK and used an API.", False),   # never names
    ("The attackers left on Friday.", True),                      # a weekday dates
])
def test_which_sentences_need_the_model(nlp, sentence, expected):
    doc = nlp.make_doc(sentence)
    for pipe in ("sentencizer",):
        doc = nlp.get_pipe(pipe)(doc)
    assert needs_ner(next(iter(doc.sents))) is expected


@pytest.mark.parametrize("sentence, expected", [
    ("The flaw was fixed by Anthropic engineers.", False),        # a known name: the ruler's
    ("The flaw was fixed by Anthropic and Quorvane engineers.", True),
    ("Anthropic said the flaw was fixed.", False),
])
def test_known_names_are_no_reason_to_run_the_model(nlp, sentence, expected):
    """The model keeps the KB ruler's names as they are: a sentence whose only capitals
    are known names (and an everyday opening) has nothing left for it to find."""
    doc = nlp.make_doc(sentence)
    for pipe in ("sentencizer", "aiwire_kb_ruler"):
        doc = nlp.get_pipe(pipe)(doc)
    assert any(ent.ent_id_ == "anthropic" for ent in doc.ents)
    assert needs_ner(next(iter(doc.sents))) is expected


TEXT = ("Quorvane Systems said on Tuesday that an outside researcher, Maren Tollefsen, found "
        "the exposed database.\n"
        "The attackers then moved on to the next target.\n"
        "It was not clear how long the access lasted.\n"
        "the stolen tokens still worked for hours, and nobody noticed.\n"
        "Tollefsen told reporters that about 40,000 records were readable.\n"
        "the logs were deleted afterwards, and nobody was blamed.\n")


def test_the_sparse_run_links_what_the_whole_document_run_links(nlp, monkeypatch):
    """Names, not raw spans, are what aiwire keeps: a name the model misses without its
    neighbour sentence ("Tollefsen" here) is still linked from where it was found."""
    from aiwire.nlp import sparse_ner

    doc = nlp(TEXT)
    skipped = [s for s in doc.sents if not needs_ner(s)]
    assert len(skipped) >= 2                          # the sparse path is really taken
    sparse = {(m.id, m.start, m.end) for m in doc._.mentions}
    monkeypatch.setattr(sparse_ner, "WHOLE_DOC_SHARE", 0.0)    # every doc whole
    whole = {(m.id, m.start, m.end) for m in nlp(TEXT)._.mentions}
    assert sparse == whole and len(whole) == 3


def test_dates_and_figures_survive_the_sparse_run(nlp, monkeypatch):
    from aiwire.nlp import sparse_ner

    sparse = nlp(TEXT)
    monkeypatch.setattr(sparse_ner, "WHOLE_DOC_SHARE", 0.0)
    whole = nlp(TEXT)
    assert [e.text for e in sparse.ents if e.label_ == "DATE"] == \
        [e.text for e in whole.ents if e.label_ == "DATE"] == ["Tuesday"]
    assert [(f.kind, f.value) for f in sparse._.figures] == \
        [(f.kind, f.value) for f in whole._.figures]


LONG = ("Quorvane Systems said that the intruders who had reached the shared build server "
        "used the stolen tokens for a long while before anyone in the small operations "
        "team noticed that the nightly jobs were failing, according to Maren Tollefsen.\n"
        "the logs were deleted afterwards, and nobody was blamed.\n")


def test_the_model_reads_a_window_around_each_reason(nlp):
    """Within a sentence it needs, the model reads the tokens within WINDOW of a reason
    (a name, a date), not the long lower-case stretch between two names."""
    from aiwire.nlp.sparse_ner import WINDOW, ner_tokens, reasons, token_columns

    doc = nlp.make_doc(LONG)
    for pipe in ("sentencizer", "aiwire_paragraphs", "aiwire_kb_ruler"):
        doc = nlp.get_pipe(pipe)(doc)
    columns = token_columns(doc)
    first, second = list(doc.sents)[:2]
    found = reasons(first, columns)
    assert [doc[i].text for i in found] == ["Quorvane", "Systems", "Maren", "Tollefsen"]
    kept = ner_tokens(first, columns)
    near = [i for i in range(first.start, first.end)
            if any(abs(i - r) <= WINDOW for r in found)]
    assert kept == near and len(kept) < len(first) - 10
    assert ner_tokens(second, columns) == [] and not needs_ner(second, columns)


def test_the_windowed_run_links_what_the_whole_document_run_links(nlp, monkeypatch):
    from aiwire.nlp import sparse_ner

    text = LONG + TEXT
    windowed = nlp(text)
    monkeypatch.setattr(sparse_ner, "WHOLE_DOC_SHARE", 0.0)    # every doc whole
    whole = nlp(text)
    assert {(m.id, m.start, m.end) for m in windowed._.mentions} == \
        {(m.id, m.start, m.end) for m in whole._.mentions}
    assert {m.id for m in whole._.mentions} >= {"quorvane-systems", "maren-tollefsen"}
    assert [e.text for e in windowed.ents if e.label_ == "DATE"] == \
        [e.text for e in whole.ents if e.label_ == "DATE"] == ["Tuesday"]


def test_a_window_at_a_sentence_end_sees_its_neighbour_as_before(nlp):
    """A window that reaches its sentence's start (end) reads the EDGE last (first)
    tokens of the needed sentence before (after) it, as when whole sentences were read;
    a window inside its sentence needs none of them."""
    from aiwire.nlp.sparse_ner import EDGE, doc_ner_tokens, ner_tokens, token_columns

    text = ("the intruders kept the stolen tokens for a long while before the small "
            "operations team of the shared build service noticed Quorvane.\n"
            "Tollefsen said the stolen tokens still worked for the whole of the long "
            "and quiet shift that followed.\n"
            "the stolen tokens were used for a long while before the small operations "
            "team of the build service noticed that Maren Tollefsen had warned them.\n")
    doc = nlp.make_doc(text)
    for pipe in ("sentencizer", "aiwire_paragraphs", "aiwire_kb_ruler"):
        doc = nlp.get_pipe(pipe)(doc)
    columns = token_columns(doc)
    first, second, third = [s for s in doc.sents if s.text.strip()]
    assert ner_tokens(first, columns)[-1] == first.end - 1     # reaches its end
    assert ner_tokens(second, columns)[0] == second.start      # reaches its start
    assert ner_tokens(second, columns)[-1] < second.end - 1    # not its end
    assert ner_tokens(third, columns)[0] > third.start + EDGE  # starts inside
    index = doc_ner_tokens(doc, columns)
    assert set(range(second.start, second.start + EDGE)) <= set(index)
    assert set(range(first.end - EDGE, first.end)) <= set(index)
    assert not set(range(third.start, third.start + EDGE)) & set(index)
    assert index == sorted(set(index))


def test_a_date_told_in_words_stays_whole_in_its_window(nlp, monkeypatch):
    """'three days later' after the last name or year of a long sentence: the window
    holds the whole date, so the model reads it as in the whole sentence."""
    from aiwire.nlp import sparse_ner

    text = ("Quorvane closed the hole in 2024, and the small team that looks after the "
            "shared build servers then rotated every single key three days later.\n"
            "the logs were deleted afterwards, and nobody was blamed.\n")
    doc = nlp.make_doc(text)
    for pipe in ("sentencizer", "aiwire_paragraphs", "aiwire_kb_ruler"):
        doc = nlp.get_pipe(pipe)(doc)
    index = sparse_ner.doc_ner_tokens(doc, sparse_ner.token_columns(doc))
    assert len(index) < len(doc) * sparse_ner.WHOLE_DOC_SHARE         # windows taken
    assert [doc[i].text for i in index][-3:] == ["days", "later", "."]
    windowed = [e.text for e in nlp(text).ents if e.label_ == "DATE"]
    monkeypatch.setattr(sparse_ner, "WHOLE_DOC_SHARE", 0.0)
    assert windowed == [e.text for e in nlp(text).ents if e.label_ == "DATE"]
    assert windowed
