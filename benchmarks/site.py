"""Site build: 10,000 articles in 1,000 stories, full build then incremental rebuilds.

A synthetic corpus is written straight into a SQLite store (no network, no NLP), the
site is built from scratch, rebuilt unchanged, and rebuilt after 1% new articles join
recent stories. Reports files, pages rendered, seconds and pages per second; the target
is a full build under 30 s, and an incremental build that renders only what changed.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from aiwire.site.render import build
from aiwire.store import Store

ARTICLES = 10_000
STORIES = 1_000
START = datetime(2026, 9, 28, tzinfo=timezone.utc)  # a Monday; eight weeks of news
WEEKS = 8
KINDS = [("account_count", "account"), ("money", "USD"), ("stock_change", "percent"),
         ("user_count", "user"), ("data_volume", "GB"), ("count", "victim")]
STANCES = ["alleges", "denies", "confirms", "declines_to_comment", "no_statement", "reports"]
TYPES = ["ORG", "ORG", "ORG", "PRODUCT", "PERSON", "THREAT_ACTOR"]
WORDS = ("model weights stolen prompt injection jailbreak distillation leak training data "
         "ransomware accounts scraped api key breach exploit backdoor poisoned agent").split()


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class Corpus:
    """Writes a deterministic synthetic corpus (and later additions) into a store."""

    def __init__(self, store: Store, seed: int = 7, outlets: int = 40, entities: int = 800,
                 techniques: int = 30) -> None:
        self.store = store
        self.rng = random.Random(seed)
        self.outlets = [(f"outlet-{i:02d}", f"Outlet {i:02d} News") for i in range(outlets)]
        self.entities = [(f"entity-{i:04d}", f"Entity {i:04d} {self.rng.choice(WORDS).title()}",
                          self.rng.choice(TYPES)) for i in range(entities)]
        self.techniques = [(f"AML.T{i:04d}", f"Technique {i}") for i in range(techniques)]
        self.next_article = 0
        self.story_entities: dict[str, list[str]] = {}
        self.story_start: dict[str, datetime] = {}

    def _entity_pool(self) -> list[str]:
        # a few entities appear in many stories (Zipf-like), most in a handful
        picks = {self.entities[min(int(self.rng.paretovariate(1.2)) - 1,
                                   len(self.entities) - 1)][0] for _ in range(2)}
        picks |= {self.rng.choice(self.entities)[0] for _ in range(4)}
        return sorted(picks)

    def _article_rows(self, story: str, published: datetime) -> dict[str, list[tuple]]:
        self.next_article += 1
        aid = self.next_article
        feed, source = self.rng.choice(self.outlets)
        url = f"https://{feed}.example/{published:%Y/%m}/{story}-{aid}.html"
        words = " ".join(self.rng.choices(WORDS, k=8))
        article = (aid, url, url, feed, source, f"{words.capitalize()} ({aid})",
                   f"Reporter {aid % 97}", _iso(published), _iso(published),
                   f"<p>{words} <b>update</b></p>", words, words, f"h{aid}", 1)
        ents = self.story_entities[story]
        mentions = [(aid, self.rng.choice(ents), "name", i, i + 4) for i in range(3)]
        figures, claims = [], []
        for i in range(2):
            kind, unit = self.rng.choice(KINDS)
            value = float(self.rng.choice([4.9, 25000, 24000, 4_000_000, 4_500_000, 300]))
            figures.append((aid, kind, value, unit, self.rng.choice(ents), None,
                            f"{value:g} {unit}", f"Reportedly {value:g} {unit} were involved.",
                            i * 50))
            claims.append((aid, self.rng.choice(ents + [None]), self.rng.choice(STANCES),
                           None, None, None, None, 0,
                           f"\u201cWe {self.rng.choice(WORDS)} nothing,\u201d a spokesperson said.",
                           i * 80))
        return {"articles": [article], "mentions": mentions, "figures": figures,
                "claims": claims, "story_articles": [(story, aid)]}

    def _write(self, rows: dict[str, list[tuple]]) -> None:
        sql = {
            "articles": "INSERT INTO articles (id, url, original_url, feed_id, source, title, "
                        "author, published, fetched_at, summary, text, clean_text, "
                        "content_hash, relevant) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            "entities": "INSERT OR IGNORE INTO entities (id, name, type) VALUES (?,?,?)",
            "mentions": "INSERT INTO mentions VALUES (?,?,?,?,?)",
            "figures": "INSERT INTO figures VALUES (?,?,?,?,?,?,?,?,?)",
            "claims": "INSERT INTO claims VALUES (?,?,?,?,?,?,?,?,?,?)",
            "stories": "INSERT INTO stories (id, title, summary, first_seen, last_seen, "
                       "first_outlet, score) VALUES (?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE "
                       "SET title = excluded.title, summary = excluded.summary, "
                       "first_seen = excluded.first_seen, last_seen = excluded.last_seen, "
                       "first_outlet = excluded.first_outlet",
            "story_articles": "INSERT INTO story_articles VALUES (?,?)",
            "contradictions": "INSERT OR REPLACE INTO contradictions VALUES (?,?,?,?,?,?,?)",
            "story_techniques": "INSERT INTO story_techniques VALUES (?,?,?,?,?)",
        }
        with self.store.transaction():
            for table in sql:  # dict order = foreign-key order
                if rows.get(table):
                    self.store.conn.executemany(sql[table], rows[table])

    def _story_row(self, story: str, title: str) -> tuple:
        arts = self.store.rows(
            "SELECT a.published, a.source, a.url FROM story_articles s JOIN articles a ON "
            "a.id = s.article_id WHERE s.story_id = ? ORDER BY a.published, a.url", (story,))
        summary = [{"sentence": f"{title}: what {a['source']} reported.", "url": a["url"],
                    "source": a["source"]} for a in arts[:3]]
        return (story, title, json.dumps(summary), arts[0]["published"], arts[-1]["published"],
                arts[0]["source"], 0.0)

    def _contradiction(self, story: str) -> tuple:
        arts = self.store.rows(
            "SELECT a.published, a.source, a.url FROM story_articles s JOIN articles a ON "
            "a.id = s.article_id WHERE s.story_id = ? ORDER BY a.published LIMIT 2", (story,))
        sides = [{"value": v, "quote": f"It was {v:g} accounts.", "url": a["url"],
                  "source": a["source"], "published": a["published"], "text": f"{v:g} accounts"}
                 for v, a in zip((24000.0, 25000.0), arts)]
        return (f"c-{story}", story, "figure", "account_count",
                self.story_entities[story][0], "hard", json.dumps(sides))

    def fill(self, articles: int, stories: int) -> None:
        """``articles`` articles spread evenly over ``stories`` stories and eight weeks."""
        rows: dict[str, list[tuple]] = {"entities": list(self.entities)}
        per_story = articles // stories
        for s in range(stories):
            story = f"story-{s:04d}"
            self.story_entities[story] = self._entity_pool()
            start = START + timedelta(minutes=int(s * WEEKS * 7 * 24 * 60 / stories))
            self.story_start[story] = start
            rows.setdefault("stories", []).append((story, story, "[]", _iso(start), _iso(start),
                                                   None, 0.0))
            for i in range(per_story):
                part = self._article_rows(story, start + timedelta(hours=3 * i))
                for table, items in part.items():
                    rows.setdefault(table, []).extend(items)
            for tid, name in self.rng.sample(self.techniques, self.rng.randint(1, 3)):
                rows.setdefault("story_techniques", []).append(
                    (story, tid, name, f"Evidence for {name} in {story}.",
                     f"https://outlet-00.example/{story}"))
        self._write(rows)
        self._finish(sorted(self.story_entities), contradictions=0.3)

    def _finish(self, stories: list[str], contradictions: float) -> None:
        rows: dict[str, list[tuple]] = {"stories": [], "contradictions": []}
        for story in stories:
            rows["stories"].append(self._story_row(story, f"Story {story[6:]}: "
                                   f"{' '.join(self.rng.choices(WORDS, k=6))}"))
        self._write(rows)
        disputed = [s for s in stories if self.rng.random() < contradictions]
        self._write({"contradictions": [self._contradiction(s) for s in disputed]})

    def add(self, articles: int, stories: int) -> list[str]:
        """New articles joining the ``stories`` most recent stories; returns their ids."""
        recent = sorted(self.story_start, key=self.story_start.get)[-stories:]
        rows: dict[str, list[tuple]] = {}
        for i in range(articles):
            story = recent[i % len(recent)]
            when = self.story_start[story] + timedelta(hours=40 + i)
            for table, items in self._article_rows(story, when).items():
                rows.setdefault(table, []).extend(items)
        self._write(rows)
        self.rng = random.Random(1)  # titles of touched stories stay as they were
        for story in recent:
            old = self.store.scalar("SELECT title FROM stories WHERE id = ?", (story,))
            self._write({"stories": [self._story_row(story, old)]})
        return recent


def measure(articles: int = ARTICLES, stories: int = STORIES,
            new_fraction: float = 0.01) -> list[dict[str, Any]]:
    """Full build, unchanged rebuild, rebuild after ``new_fraction`` new articles."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="aiwire-bench-") as tmp:
        store = Store(Path(tmp) / "bench.db")
        corpus = Corpus(store)
        corpus.fill(articles, stories)
        out = Path(tmp) / "public"

        def step(name: str) -> None:
            started = time.perf_counter()
            report = build(store, out)
            seconds = time.perf_counter() - started
            pages = sum(p.endswith(".html") for p in report.rendered)
            rows.append({"step": name, "articles": store.scalar("SELECT count(*) FROM articles"),
                         "stories": store.scalar("SELECT count(*) FROM stories"),
                         "files": report.files, "rendered": len(report.rendered),
                         "html rendered": pages, "reused": report.reused,
                         "seconds": round(seconds, 2),
                         "pages/s": round(pages / seconds) if pages else 0})

        step("full build")
        step("unchanged rebuild")
        added = max(1, int(articles * new_fraction))
        corpus.add(added, max(1, added // 2))
        step(f"+{added} articles ({new_fraction:.0%})")
        store.close()
    return rows


def run(console) -> list[dict[str, Any]]:
    rows = measure()
    full = rows[0]
    verdict = "under" if full["seconds"] < 30 else "OVER"
    console.print(f"full build of {full['articles']} articles / {full['stories']} stories: "
                  f"{full['seconds']} s ({verdict} the 30 s target), {full['pages/s']} pages/s; "
                  f"after 1% new articles {rows[2]['rendered']} of {rows[2]['files']} files "
                  f"rendered")
    return rows
