"""Reports of one incident that share little wording but give the same distinctive
facts: a head count told with different nouns. Invented reports only."""

from __future__ import annotations

from aiwire.nlp.stories import Signature, Similarity, _figure_key, _terms, build_signature

PUBLISHED = "2026-03-02T09:00:00+00:00"


def _article(store, ident: int, title: str, text: str, figures: list[tuple]) -> dict:
    """Stores an analysed article with its figures; returns the row build_signature reads."""
    url = f"https://news.example/{ident}"
    store.conn.execute(
        "INSERT INTO articles (id, url, original_url, source, title, published, fetched_at, "
        "clean_text, content_hash, relevant, analyzed_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
        "?, 1, ?)", (ident, url, url, f"Outlet {ident}", title, PUBLISHED, PUBLISHED, text,
                     f"h{ident}", f"h{ident}"))
    for kind, value, unit in figures:
        store.conn.execute(
            "INSERT INTO figures (article_id, kind, value, unit, subject, text, quote, start) "
            "VALUES (?, ?, ?, ?, NULL, ?, ?, 0)", (ident, kind, value, unit, f"{value:g}", text))
    return {"id": ident, "url": url, "published": PUBLISHED, "title": title,
            "clean_text": text, "analyzed_hash": f"h{ident}"}


def test_a_head_count_is_one_fact_whatever_noun_it_counts():
    assert _figure_key("count", 30, "organization") == _figure_key("count", 30, "target")
    assert _figure_key("count", 64_000_000, "record") == \
        _figure_key("user_count", 64_000_000, "user")
    assert _figure_key("count", 30, "target") != _figure_key("count", 31, "target")
    # Money keeps its currency; a small count ("two clusters") names no incident.
    assert _figure_key("money", 500_000, "USD") != _figure_key("money", 500_000, "EUR")
    assert _figure_key("count", 2, "cluster") is None


def test_reports_giving_the_same_count_in_other_words_match_more(store):
    """Two reports of one espionage campaign: one says 37 organisations were targeted, the
    other 37 targets. Sharing that count makes them a closer match than two reports whose
    counts differ, with the same wording otherwise; a shared small count adds nothing."""
    lead = "Orlan Labs says a state-backed crew used its Tessel agent to run an espionage push"
    with store.transaction():
        first = build_signature(store, _article(
            store, 1, lead, "The crew went after 37 organisations in finance and chemicals.",
            [("count", 37, "organization"), ("count", 2, "cluster")]))
        same = build_signature(store, _article(
            store, 2, lead, "Around 37 targets were probed, the lab said.",
            [("count", 37, "target"), ("count", 2, "wave")]))
        other = build_signature(store, _article(
            store, 3, lead, "Around 52 targets were probed, the lab said.",
            [("count", 52, "target"), ("count", 2, "wave")]))
    assert first.figures & same.figures == {"n:37"}
    assert not first.figures & other.figures
    similarity = Similarity()
    assert similarity.score(first, same) > similarity.score(first, other) + 0.1


def test_a_shared_count_alone_does_not_make_two_reports_one_incident():
    """A voice-clone scam that reached 1 million listeners and a leak of 1 million records
    share a count and nothing else: the count lifts no match. The same count between two
    reports that already share their names and words does lift it."""
    scam = Signature(1, "https://news.example/1", PUBLISHED, entities={"harlow-bank": 4.0},
                     terms=_terms("Cloned voice of Harlow Bank chief tricked clerks", ""),
                     figures={"n:1e+06"})
    leak = Signature(2, "https://news.example/2", PUBLISHED, entities={"mossvale-health": 4.0},
                     terms=_terms("Mossvale Health portal left patient files open", ""),
                     figures={"n:1e+06"})
    assert Similarity().score(scam, leak) < 0.01
    text = "Mossvale Health portal left patient files open to anyone with a link"
    one = Signature(3, "https://news.example/3", PUBLISHED, entities={"mossvale-health": 4.0},
                    terms=_terms(text, ""), figures={"n:1e+06"})
    other = Signature(4, "https://news.example/4", PUBLISHED,
                      entities={"mossvale-health": 4.0}, terms=_terms(text, ""))
    assert Similarity().score(leak, one) > Similarity().score(leak, other) + 0.1
