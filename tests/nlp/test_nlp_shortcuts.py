"""The analysis's shortcuts give what the plain spaCy calls give.

Per-article analysis avoids a few spaCy calls that walk the whole document each time
(``Span.ents``, ``Doc.text``, ``Token.is_sent_start = ...``), reads token attributes as
arrays, finds KB gates in one pass and parses only the sentences a consumer reads. Each
test here compares a shortcut with the slow definition it replaces, on invented text.
"""

from __future__ import annotations

from aiwire.nlp.doccache import (PARSES, doc_text, make_doc_with_text, sentence_ents,
                                 sentences, span_text)

ARTICLE = (
    "Quorvane Systems Says Attackers Stole Model Weights\n"
    "Quorvane Systems said on Tuesday that attackers stole the weights of its Tern-4 model "
    "after breaking into a build server in early March.\n"
    "The company confirmed that about 40,000 customer records were exposed, according to "
    "a notice it sent to users on March 12.\n"
    "the intruders then moved on, and nobody noticed for weeks.\n"
    "Maren Tollefsen, a researcher at Lindqvist Labs, said the flaw had been open for "
    "three weeks before anyone looked.\n"
    "Shares of Quorvane fell 4.2% in Oslo.\n"
    "- Names, emails and usage counts were leaked\n"
    "It was not clear how long the access lasted.\n"
    "The firm said it would not pay the $2 million ransom the group demanded last week.\n")


def _doc(nlp, text: str = ARTICLE):
    return nlp(make_doc_with_text(nlp, text))


def test_the_cached_text_is_the_documents_text(nlp):
    doc = _doc(nlp)
    assert doc_text(doc) == doc.text == ARTICLE
    assert all(span_text(sent) == sent.text for sent in doc.sents)


def test_sentence_entities_from_the_document_list_equal_span_ents(nlp):
    doc = _doc(nlp)
    ents = doc.ents
    starts = [ent.start for ent in ents]
    assert len(ents) >= 6
    for sent in doc.sents:
        assert sentence_ents(ents, starts, sent) == list(sent.ents)


def test_line_breaks_start_sentences_as_the_token_setter_would(nlp):
    from aiwire.nlp.entities import paragraph_boundaries

    fast = nlp.get_pipe("sentencizer")(make_doc_with_text(nlp, ARTICLE))
    slow = nlp.get_pipe("sentencizer")(make_doc_with_text(nlp, ARTICLE))
    paragraph_boundaries(fast)
    for index in slow.to_array("IS_SPACE").nonzero()[0]:
        if index + 1 < len(slow) and "\n" in slow[int(index)].text:
            slow[int(index) + 1].is_sent_start = True
    assert [s.text for s in fast.sents] == [s.text for s in slow.sents]
    assert len(list(fast.sents)) >= 9            # one per line at least


def test_needs_ner_reads_the_same_from_token_columns(nlp):
    from aiwire.nlp.sparse_ner import needs_ner, token_columns

    doc = nlp.get_pipe("sentencizer")(nlp.make_doc(ARTICLE))
    columns = token_columns(doc)
    answers = [needs_ner(sent, columns) for sent in doc.sents]
    assert answers == [needs_ner(sent) for sent in doc.sents]
    assert True in answers and False in answers       # both kinds of sentence occur


def test_gates_found_in_one_pass_are_the_substring_test(nlp):
    from aiwire.nlp.techniques import _present_gates, load_kb

    kb = load_kb()
    texts = [line.lower() for line in ARTICLE.splitlines()]
    texts += sorted(kb.gates)                    # every gate, alone
    texts += [" and ".join(sorted(kb.gates)[i:i + 7]) for i in range(0, len(kb.gates), 7)]
    for text in texts:
        assert _present_gates(text, kb) == frozenset(g for g in kb.gates if g in text)


def test_every_parse_a_consumer_reads_was_made_in_the_batch(nlp):
    """Claims (cue sentences not in Title Case) and dates (a date that passes the checks
    made before the parse is read) find the batched parse: nothing falls back to a
    one-sentence parse, and dates never go without the parse they would have used."""
    from aiwire.nlp.blocks import is_body
    from aiwire.nlp.claims import STANCE_CUES
    from aiwire.nlp.dates import date_candidates
    from aiwire.nlp.parsing import sentence_role, speaks, title_case

    seen: dict[int, set[int]] = {}
    parser = nlp.get_pipe("aiwire_parse")
    original = parser._run

    def keep(docs):
        out = original(docs)
        for doc in out:
            seen[id(doc)] = set(doc.user_data[PARSES])
        return out

    parser._run = keep
    try:
        doc = _doc(nlp)
    finally:
        parser._run = original
    parsed = seen[id(doc)]
    ents = doc.ents
    starts = [ent.start for ent in ents]
    read = set()
    for sent in sentences(doc):
        text = span_text(sent)
        if speaks(sentence_role(doc, sent)) and not title_case(text) and \
                any(p.search(text) for _, p in STANCE_CUES):
            read.add(sent.start)
        if is_body(sent) and next(date_candidates(sent, text, True, ents, starts), None):
            read.add(sent.start)
    assert read and read <= parsed
    assert len(parsed) < len(list(doc.sents))     # and some sentences are not parsed


def test_a_figure_pattern_never_matches_without_its_familys_required_text():
    """figures.FAMILY_NEEDS lets a sentence skip a family's scan; every sentence one of
    the family's patterns matches must hold the required text."""
    from aiwire.nlp.figures import FAMILY_NEEDS, PATTERNS

    sentences = ARTICLE.splitlines() + [
        "The gang asked for US$ 499, 000 in bitcoin.", "It paid HK$3bn to settle.",
        "About 5 million euros went missing.", "Two million pounds sterling was moved.",
        "Roughly 3.5 GB of logs and 7 TiB of backups leaked, some 600 bytes each.",
        "The stock lost 12 per cent, then another 4 percentage points; 40% in all.",
        "The file was downloaded more than 12,000 times.", "It hit a 52-week low.",
        "Shares closed at their lowest level in more than 10 years.", "¥200 and €15 and £9.",
        "Fines reached 300 yuan, or 40 renminbi, or 6 dollars."]
    checked = 0
    for family, pattern in PATTERNS:
        needs = FAMILY_NEEDS.get(family)
        for text in sentences:
            if needs is not None and pattern.search(text):
                assert needs.search(text), (family, text)
                checked += 1
    assert checked >= 12
