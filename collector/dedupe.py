"""Near-duplicate detection: a syndicated copy under another URL is the same article.

Two steps. A 64-bit SimHash over word 4-gram shingles finds candidates cheaply (a copy
with a different standfirst and byline differs in about 10 bits; unrelated texts in about
32). Each candidate is then confirmed by the exact Jaccard overlap of the shingle sets,
so a story retold by another outlet in its own words is never taken for a copy.

Candidates come from an index, not from every stored fingerprint: each original article
has MinHash LSH band keys in ``dedupe_bands`` (24 bands of 3 min-hashes over the same
shingles). Two texts whose shingle sets overlap with Jaccard J share at least one band
with probability 1 - (1 - J^3)^24: 0.997 at the 0.6 the confirmation asks for, 0.9999 at
0.7, about 0.02 for unrelated texts (J < 0.1). A new article looks up its 24 keys and
checks at most ``MAX_CANDIDATES`` stored articles, whatever the size of the history.
"""

from __future__ import annotations

import hashlib
import random
import re
from typing import TYPE_CHECKING, Callable

import numpy as np

if TYPE_CHECKING:
    from aiwire.store import Store

MAX_DISTANCE = 16
MIN_JACCARD = 0.6
BANDS = 24
ROWS = 3
MAX_CANDIDATES = 50           # most band-sharing originals checked per new article
_PRIME = (1 << 31) - 1
_rng = random.Random(20261127)  # fixed: band keys must mean the same on every run
_A = np.array([_rng.randrange(1, _PRIME) for _ in range(BANDS * ROWS)], dtype=np.uint64)
_B = np.array([_rng.randrange(0, _PRIME) for _ in range(BANDS * ROWS)], dtype=np.uint64)
WORD = re.compile(r"\w+", re.UNICODE)


def _shingles(text: str, size: int = 4) -> list[str]:
    words = WORD.findall(text.lower())
    if len(words) < size:
        return [" ".join(words)] if words else []
    return [" ".join(words[i:i + size]) for i in range(len(words) - size + 1)]


def simhash(text: str) -> int:
    """A signed-64-bit SimHash (SQLite INTEGER range) of ``text``."""
    return _simhash(_shingles(text))


def _simhash(shingles: list[str]) -> int:
    """SimHash of a shingle list: bit columns counted by numpy over the packed digests.

    Each digest's bytes are big-endian, so ``unpackbits`` gives its bits most significant
    first, the order ``int.from_bytes(digest, "big")`` reads them: the same value as a
    per-bit loop over the integers, several times cheaper (it runs once per article).
    """
    if not shingles:
        return 0
    digests = b"".join([hashlib.blake2b(s.encode(), digest_size=8).digest()
                        for s in shingles])
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8)).reshape(len(shingles), 64)
    majority = 2 * bits.sum(axis=0, dtype=np.int64) > len(shingles)
    return _signed(int.from_bytes(np.packbits(majority).tobytes(), "big"))


def distance(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()


def jaccard(a: str, b: str) -> float:
    left, right = set(_shingles(a)), set(_shingles(b))
    return len(left & right) / len(left | right) if left and right else 0.0


def find_near_duplicate(fingerprint: int, text: str, candidates: list[tuple[int, int]],
                        text_of: Callable[[int], str]) -> int | None:
    """The id of the most similar candidate (id, fingerprint) that is a copy of ``text``."""
    best: tuple[float, int] | None = None
    for article_id, other in candidates:
        if distance(fingerprint, other) > MAX_DISTANCE:
            continue
        overlap = jaccard(text, text_of(article_id))
        if overlap >= MIN_JACCARD and (best is None or overlap > best[0]):
            best = (overlap, article_id)
    return None if best is None else best[1]


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def band_keys(text: str) -> list[int]:
    """The LSH band keys of ``text`` (signed 64-bit, SQLite INTEGER); [] for empty text."""
    return _band_keys(_shingles(text))


def fingerprint(text: str) -> tuple[int, list[int]]:
    """``(simhash(text), band_keys(text))`` from one pass of shingling."""
    shingles = _shingles(text)
    return _simhash(shingles), _band_keys(shingles)


def _band_keys(shingles: list[str]) -> list[int]:
    unique = set(shingles)
    if not unique:
        return []
    # the 32-bit digests read as big-endian integers, all at once (not one int per call)
    hashes = np.frombuffer(b"".join([hashlib.blake2b(s.encode(), digest_size=4).digest()
                                     for s in unique]), dtype=">u4").astype(np.uint64)
    # universal hashing (a*h + b) mod p: a, h < 2^32 and b < 2^31, so no uint64 overflow
    minima = ((_A[:, None] * hashes[None, :] + _B[:, None]) % _PRIME).min(axis=1).tolist()
    keys = []
    for band in range(BANDS):
        rows = minima[band * ROWS:(band + 1) * ROWS]
        raw = f"{band}:{rows[0]}:{rows[1]}:{rows[2]}".encode()
        keys.append(_signed(int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(),
                                           "big")))
    return keys


def index_article(store: Store, article_id: int, keys: list[int]) -> None:
    """Make ``article_id`` findable as an original (inside the caller's transaction).

    The backfill watermark moves with it, so the next run's :func:`backfill` has nothing
    to look at (articles are written in id order, each one indexed as it is stored).
    """
    store.conn.executemany("INSERT OR IGNORE INTO dedupe_bands (band_key, article_id) "
                           "VALUES (?, ?)", [(key, article_id) for key in keys])
    store.conn.execute("INSERT INTO watermarks (name, seq) VALUES ('dedupe_bands', ?) "
                       "ON CONFLICT(name) DO UPDATE SET seq = max(seq, excluded.seq)",
                       (article_id,))


def unindex_article(store: Store, article_id: int) -> None:
    """An article that became a copy is no longer an original to match against."""
    store.conn.execute("DELETE FROM dedupe_bands WHERE article_id = ?", (article_id,))


def candidates(store: Store, keys: list[int]) -> list[tuple[int, int]]:
    """(id, simhash) of stored originals sharing a band with ``keys``, most bands first.

    Bounded: at most MAX_CANDIDATES rows, found through the band index.
    """
    if not keys:
        return []
    marks = ",".join("?" * len(keys))
    return [(row[0], row[1]) for row in store.conn.execute(
        "SELECT b.article_id, a.simhash FROM dedupe_bands b JOIN articles a "
        f"ON a.id = b.article_id WHERE b.band_key IN ({marks}) AND a.duplicate_of IS NULL "
        "AND a.simhash IS NOT NULL GROUP BY b.article_id "
        "ORDER BY count(*) DESC, b.article_id DESC LIMIT ?", (*keys, MAX_CANDIDATES))]


def backfill(store: Store) -> int:
    """Index originals stored without band keys (a database from before schema 5).

    Only ids above the ``dedupe_bands`` watermark are looked at, so once caught up this
    reads no article text at all. Returns how many articles were indexed.
    """
    top = store.scalar("SELECT max(id) FROM articles") or 0
    done = store.watermark("dedupe_bands")
    if top <= done:
        return 0
    missing = [row[0] for row in store.conn.execute(
        "SELECT id FROM articles a WHERE id > ? AND id <= ? AND duplicate_of IS NULL AND "
        "simhash IS NOT NULL AND NOT EXISTS (SELECT 1 FROM dedupe_bands b "
        "WHERE b.article_id = a.id)", (done, top))]
    with store.transaction():
        for article_id in missing:
            text = store.scalar("SELECT clean_text FROM articles WHERE id = ?",
                                (article_id,)) or ""
            index_article(store, article_id, band_keys(text))
        store.set_watermark("dedupe_bands", top)
    return len(missing)
