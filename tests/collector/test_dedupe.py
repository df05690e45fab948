"""Near-duplicate detection: syndicated copies match, different stories do not."""

from __future__ import annotations

from aiwire.collector.dedupe import MAX_DISTANCE, distance, find_near_duplicate, simhash

STORY = ("Anthropic said on Tuesday that Alibaba had used about 25,000 fake accounts to "
         "extract the capabilities of its Claude models, in what it called an illicit "
         "distillation campaign. Alibaba shares fell 4.9% to a 16-month low in Hong Kong. "
         "The company did not immediately respond to a request for comment, and analysts "
         "said the accusation could draw the attention of regulators in Washington.")
OTHER = ("A ransomware group claimed an attack on Parallax Robotics and posted samples of "
         "what it said were design files. The company said it was investigating the "
         "incident with outside experts and had notified law enforcement on Friday, while "
         "customers were told that production lines were running normally.")


def test_a_syndicated_copy_is_near():
    copy = "Reuters - " + STORY + " (Reporting by A. Writer; editing by B. Editor)"
    assert distance(simhash(STORY), simhash(copy)) <= MAX_DISTANCE


def test_a_different_story_is_far():
    assert distance(simhash(STORY), simhash(OTHER)) > MAX_DISTANCE * 2


def test_simhash_fits_sqlite_integer_and_is_stable():
    value = simhash(STORY)
    assert -(1 << 63) <= value < (1 << 63)
    assert value == simhash(STORY)
    assert simhash("") == 0


def test_find_near_duplicate_confirms_by_text_and_picks_the_closest():
    copy = "Reuters - " + STORY
    texts = {1: OTHER, 2: copy + " " + OTHER, 3: copy}
    candidates = [(i, simhash(t)) for i, t in texts.items()]
    assert find_near_duplicate(simhash(STORY), STORY, candidates, texts.__getitem__) == 3
    # a fingerprint that collides but whose text is different is not a duplicate
    assert find_near_duplicate(simhash(STORY), STORY, [(1, simhash(STORY))],
                               lambda _id: OTHER) is None


# --- candidates from the MinHash LSH band index ------------------------------------------
def _filler(n: int) -> str:
    """A distinct article of plain words (no copy of any other)."""
    import random

    rng = random.Random(n)
    words = ("model lab bank agent token cloud chip audit leak patch weight vendor policy "
             "user breach prompt server account record fraud").split()
    return " ".join(rng.choice(words) + str(rng.randrange(50)) for _ in range(120))


def _stored(store, url: str, text: str, duplicate_of: int | None = None) -> int:
    from aiwire.collector.dedupe import band_keys, index_article

    with store.transaction():
        article_id = store.insert_article({
            "url": url, "original_url": url, "fetched_at": "2026-11-20T00:00:00Z",
            "clean_text": text, "content_hash": url, "simhash": simhash(text),
            "duplicate_of": duplicate_of})
        if duplicate_of is None:
            index_article(store, article_id, band_keys(text))
    return article_id


def test_band_keys_are_stable_and_shared_by_a_copy():
    from aiwire.collector.dedupe import BANDS, band_keys

    copy = "Reuters - " + STORY + " (Reporting by A. Writer; editing by B. Editor)"
    keys = band_keys(STORY)
    assert len(keys) == BANDS and keys == band_keys(STORY)
    assert all(-(1 << 63) <= k < (1 << 63) for k in keys)
    assert set(keys) & set(band_keys(copy))
    assert not set(keys) & set(band_keys(OTHER))
    assert band_keys("") == []


def test_copy_found_through_the_index_among_many_originals(store):
    from aiwire.collector.dedupe import band_keys, candidates

    for n in range(300):
        _stored(store, f"https://example.org/filler/{n}", _filler(n))
    original = _stored(store, "https://example.org/story", STORY)
    copy = "Reuters - " + STORY + " (Reporting by A. Writer; editing by B. Editor)"
    found = candidates(store, band_keys(copy))
    # the index hands back the original and (almost) nothing else: constant work
    assert [i for i, _ in found][:1] == [original] and len(found) < 5
    text_of = {original: STORY}.get
    assert find_near_duplicate(simhash(copy), copy, found, text_of) == original
    assert candidates(store, band_keys(OTHER)) == []


def test_copies_are_not_candidates(store):
    from aiwire.collector.dedupe import band_keys, candidates, unindex_article

    original = _stored(store, "https://example.org/a", STORY)
    _stored(store, "https://example.org/b", STORY, duplicate_of=original)
    assert [i for i, _ in candidates(store, band_keys(STORY))] == [original]
    unindex_article(store, original)
    assert candidates(store, band_keys(STORY)) == []


def test_backfill_indexes_articles_stored_before_the_index(store):
    from aiwire.collector.dedupe import backfill, band_keys, candidates

    with store.transaction():
        old = store.insert_article({
            "url": "https://example.org/old", "original_url": "https://example.org/old",
            "fetched_at": "2026-11-20T00:00:00Z", "clean_text": STORY, "content_hash": "h",
            "simhash": simhash(STORY)})
    assert candidates(store, band_keys(STORY)) == []
    assert backfill(store) == 1
    assert [i for i, _ in candidates(store, band_keys(STORY))] == [old]
    assert backfill(store) == 0        # caught up: the watermark skips everything stored
