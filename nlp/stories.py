"""Stories: reports of one event grouped into one story, incrementally.

A new article joins the most similar story whose last report is within the time
window, or starts a new one. Similarity weighs rare shared entities (IDF), so two
incidents that both mention "AI" or "OpenAI" stay apart, plus title-and-lead words and
shared figures. Story ids are stable: a story keeps the id of its first article; when
an article bridges two stories they merge and the absorbed id becomes a redirect.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from aiwire.nlp.kb import slugify
from aiwire.nlp.techniques import technique_names
from aiwire.store import Store

RECENT_MEMBERS = 8
CENTRAL_SAMPLE = 40     # the title comes from the report closest to the latest 40
JOIN_THRESHOLD = 0.15
MERGE_THRESHOLD = 0.18
STOPWORDS = set("""a an the of to in on for and or but with from by at as is are was were be
been has have had it its this that these those after before over into than amid says said
new how what why who will would could can may might not no more most about up out their
his her they we you our your just also than then so such ai""".split())
WORD = re.compile(r"[a-z][a-z0-9'-]+")


@dataclass
class ArticleFeatures:
    id: int
    url: str
    published: str
    entities: Counter
    words: Counter
    figures: set = field(default_factory=set)


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _words(text: str) -> Counter:
    return Counter(w for w in WORD.findall(text.lower()) if w not in STOPWORDS and len(w) > 2)


def load_features(store: Store, ids: list[int] | None = None) -> dict[int, ArticleFeatures]:
    where = "WHERE relevant = 1 AND duplicate_of IS NULL AND analyzed_hash IS NOT NULL"
    articles = store.rows(f"SELECT id, url, published, title, clean_text FROM articles {where}")
    if ids is not None:
        wanted = set(ids)
        articles = [a for a in articles if a["id"] in wanted]
    features: dict[int, ArticleFeatures] = {}
    for row in articles:
        text = row["clean_text"] or ""
        features[row["id"]] = ArticleFeatures(row["id"], row["url"], row["published"],
                                              Counter(), _words(f"{row['title']}\n{text}"))
    for row in store.rows("SELECT article_id, entity_id FROM mentions m JOIN entities e "
                          "ON e.id = m.entity_id WHERE e.type NOT IN ('TECHNIQUE')"):
        if row["article_id"] in features:
            features[row["article_id"]].entities[row["entity_id"]] += 1
    for row in store.rows("SELECT article_id, kind, value FROM figures"):
        if row["article_id"] in features:
            features[row["article_id"]].figures.add((row["kind"], round(row["value"], 3)))
    return features


class Similarity:
    """Pairwise article similarity with IDF weights from the whole analysed corpus.

    0.4 x IDF-weighted Jaccard of linked entities + 0.6 x TF-IDF cosine of the text.
    On the sample every article's best same-story link scores at least 0.2 and its best
    link to another story at most 0.08; joining at 0.15 leaves room on both sides.
    """

    def __init__(self, features: dict[int, ArticleFeatures]) -> None:
        n = max(len(features), 1)
        entity_df: Counter = Counter()
        word_df: Counter = Counter()
        for feature in features.values():
            entity_df.update(set(feature.entities))
            word_df.update(set(feature.words))
        self.entity_idf = {k: math.log((n + 1) / (v + 0.5)) for k, v in entity_df.items()}
        self.word_idf = {k: math.log((n + 1) / (v + 0.5)) for k, v in word_df.items()}
        self.default_idf = math.log(n + 2)
        self._vectors: dict[int, dict[str, float]] = {}

    def _weighted_jaccard(self, a: Counter, b: Counter, idf: dict) -> float:
        keys_a, keys_b = set(a), set(b)
        inter = sum(idf.get(k, self.default_idf) for k in keys_a & keys_b)
        union = sum(idf.get(k, self.default_idf) for k in keys_a | keys_b)
        return inter / union if union else 0.0

    def _vector(self, feature: ArticleFeatures) -> dict[str, float]:
        vector = self._vectors.get(feature.id)
        if vector is None:
            vector = {w: (1 + math.log(c)) * self.word_idf.get(w, self.default_idf)
                      for w, c in feature.words.items()}
            norm = math.sqrt(sum(x * x for x in vector.values())) or 1.0
            vector = {w: x / norm for w, x in vector.items()}
            self._vectors[feature.id] = vector
        return vector

    def score(self, a: ArticleFeatures, b: ArticleFeatures) -> float:
        entities = self._weighted_jaccard(a.entities, b.entities, self.entity_idf)
        va, vb = self._vector(a), self._vector(b)
        cosine = sum(va[w] * vb[w] for w in va.keys() & vb.keys())
        return 0.4 * entities + 0.6 * cosine


def story_id_for(title: str, url: str) -> str:
    """At most 40 characters (33 of slug, cut at a word, + 6 of URL hash): short enough
    to copy from a terminal list into curation.yaml without wrapping."""
    slug = slugify(title)
    if len(slug) > 33:
        slug = slug[:34].rsplit("-", 1)[0] if "-" in slug[:34] else slug[:33]
    slug = slug.strip("-") or "story"
    return f"{slug}-{hashlib.sha1(url.encode()).hexdigest()[:6]}"


def update_stories(store: Store, window_days: int = 10, force: bool = False) -> bool:
    """Place every unassigned analysed article; refresh story metadata. True if changed."""
    features = load_features(store)
    assigned = {row["article_id"]: row["story_id"]
                for row in store.rows("SELECT story_id, article_id FROM story_articles")}
    # Articles that left the analysed set (now duplicates or off-topic) leave their story.
    gone = [a for a in assigned if a not in features]
    pending = sorted((f for f in features.values() if f.id not in assigned),
                     key=lambda f: (f.published, f.url))
    if not pending and not gone and not force:
        return False
    similarity = Similarity(features)
    members: dict[str, list[int]] = {}
    for article_id, story_id in assigned.items():
        if article_id in features:
            members.setdefault(story_id, []).append(article_id)
    window = timedelta(days=window_days)
    # Stories an editor split apart (curation.yaml) are never merged back automatically.
    split_stories = {r["story_id"] for r in store.rows("SELECT story_id FROM article_pins")}
    with store.transaction():
        for article_id in gone:
            store.conn.execute("DELETE FROM story_articles WHERE article_id = ?", (article_id,))
        times = {i: _parse_time(f.published) for i, f in features.items()}
        for ids in members.values():
            ids.sort(key=lambda i: (times[i], i))       # members stay in time order
        for feature in pending:
            when = times[feature.id]
            scored = []
            for story_id, ids in members.items():
                if when - times[ids[-1]] > window or times[ids[0]] - when > window:
                    continue
                # the story's most recent reports stand for it: bounded work per article
                best = max(similarity.score(feature, features[i])
                           for i in ids[-RECENT_MEMBERS:])
                scored.append((best, story_id))
            scored.sort(key=lambda item: (-item[0], item[1]))
            if scored and scored[0][0] >= JOIN_THRESHOLD:
                target = scored[0][1]
                bisect.insort(members[target], feature.id, key=lambda i: (times[i], i))
                store.conn.execute("INSERT INTO story_articles (story_id, article_id) "
                                   "VALUES (?, ?)", (target, feature.id))
                for score, other in scored[1:]:
                    if score >= MERGE_THRESHOLD and not {target, other} & split_stories:
                        _merge(store, members, keep=target, absorb=other, times=times)
                continue
            title = store.scalar("SELECT title FROM articles WHERE id = ?", (feature.id,)) or ""
            new_id = story_id_for(title, feature.url)
            members[new_id] = [feature.id]
            store.conn.execute("INSERT OR IGNORE INTO stories (id, title) VALUES (?, ?)",
                               (new_id, title))
            store.conn.execute("INSERT INTO story_articles (story_id, article_id) VALUES (?, ?)",
                               (new_id, feature.id))
        drop_empty_stories(store)
        refresh_story_metadata(store, features, similarity)
    return True


def _merge(store: Store, members: dict[str, list[int]], keep: str, absorb: str,
           times: dict[int, datetime]) -> None:
    """Fold story ``absorb`` into ``keep`` during clustering."""
    if absorb not in members or absorb == keep:
        return
    members[keep].extend(members.pop(absorb))
    members[keep].sort(key=lambda i: (times[i], i))
    fold_story(store, keep=keep, absorb=absorb)


def fold_story(store: Store, keep: str, absorb: str) -> None:
    """Move ``absorb``'s reports into ``keep``; the old id becomes a redirect (tombstone)."""
    store.conn.execute("UPDATE story_articles SET story_id = ? WHERE story_id = ?",
                       (keep, absorb))
    store.conn.execute("UPDATE story_redirects SET new_id = ? WHERE new_id = ?", (keep, absorb))
    store.conn.execute("INSERT OR REPLACE INTO story_redirects (old_id, new_id) VALUES (?, ?)",
                       (absorb, keep))
    _delete_story(store, absorb)


def _delete_story(store: Store, story_id: str) -> None:
    for table in ("contradictions", "story_techniques"):
        store.conn.execute(f"DELETE FROM {table} WHERE story_id = ?", (story_id,))
    store.conn.execute("DELETE FROM stories WHERE id = ?", (story_id,))


def drop_empty_stories(store: Store) -> None:
    """Stories left with no reports (after merges, splits, dedupe) disappear."""
    for row in store.rows("SELECT id FROM stories WHERE id NOT IN "
                          "(SELECT story_id FROM story_articles)"):
        _delete_story(store, row["id"])


def refresh_story_metadata(store: Store, features: dict[int, ArticleFeatures],
                           similarity: Similarity) -> None:
    """Title, summary, first/last seen, first outlet, score and techniques of each story."""
    names = technique_names()
    for story in store.rows("SELECT id FROM stories ORDER BY id"):
        story_id = story["id"]
        articles = store.rows(
            "SELECT a.id, a.url, a.title, a.published, a.source, a.clean_text "
            "FROM story_articles s JOIN articles a ON a.id = s.article_id "
            "WHERE s.story_id = ? ORDER BY a.published, a.url", (story_id,))
        if not articles:
            continue
        ids = [a["id"] for a in articles if a["id"] in features][-CENTRAL_SAMPLE:]
        central = max(articles, key=lambda a: (
            sum(similarity.score(features[a["id"]], features[o]) for o in ids if o != a["id"])
            if a["id"] in features else 0.0, -articles.index(a)))
        summary = _summary(store, articles)
        outlets = len({a["source"] for a in articles})
        severity = store.scalar("SELECT count(*) FROM contradictions WHERE story_id = ?",
                                (story_id,)) or 0
        store.conn.execute(
            "UPDATE stories SET title = ?, summary = ?, first_seen = ?, last_seen = ?, "
            "first_outlet = ?, score = ? WHERE id = ?",
            (central["title"], json.dumps(summary, ensure_ascii=False),
             articles[0]["published"], articles[-1]["published"], articles[0]["source"],
             outlets * 2 + len(articles) + severity, story_id))
        store.conn.execute("DELETE FROM story_techniques WHERE story_id = ?", (story_id,))
        seen = set()
        for row in store.rows(
                "SELECT t.technique_id, t.evidence, a.url FROM article_techniques t "
                "JOIN story_articles s ON s.article_id = t.article_id "
                "JOIN articles a ON a.id = t.article_id WHERE s.story_id = ? "
                "ORDER BY a.published, a.url, t.rowid", (story_id,)):
            if row["technique_id"] in seen:
                continue
            seen.add(row["technique_id"])
            store.conn.execute(
                "INSERT INTO story_techniques (story_id, technique_id, name, evidence, url) "
                "VALUES (?, ?, ?, ?, ?)",
                (story_id, row["technique_id"], names.get(row["technique_id"],
                                                          row["technique_id"]),
                 row["evidence"], row["url"]))


def _summary(store: Store, articles: list[dict], size: int = 3) -> list[dict]:
    """The story's best sentences: leads that carry its most shared facts, one per outlet."""
    figure_rows = store.rows(
        f"SELECT article_id, quote FROM figures WHERE article_id IN "
        f"({','.join(str(a['id']) for a in articles)})")
    figure_sentences = Counter(r["quote"] for r in figure_rows)
    picked: list[dict] = []
    used_outlets: set = set()
    candidates = []
    for article in articles:
        lines = (article["clean_text"] or "").split("\n")
        body = lines[1:] if len(lines) > 1 else lines
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", " ".join(body[:3]))
        for position, sentence in enumerate(sentences[:3]):
            if len(sentence) < 60 or len(sentence) > 400:
                continue
            score = 3 - position + 2 * figure_sentences.get(sentence, 0)
            candidates.append((-score, article["published"], article["url"], sentence,
                               article["source"]))
    for _neg, _published, url, sentence, source in sorted(candidates):
        if source in used_outlets:
            continue
        used_outlets.add(source)
        picked.append({"sentence": sentence, "url": url, "source": source})
        if len(picked) == size:
            break
    return picked
