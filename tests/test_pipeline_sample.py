"""End to end on the sample web over real loopback HTTP: collect, analyse, build."""

from __future__ import annotations

from aiwire.collector.collect import collect
from aiwire.run import build
from aiwire.store import Store


def test_sample_collects_every_outlet(analysed_db):
    store = Store(analysed_db)
    counts = {r["feed_id"]: r["n"] for r in store.rows(
        "SELECT feed_id, count(*) AS n FROM articles GROUP BY feed_id")}
    assert set(counts) == {"signal-desk", "circuit-ledger", "markets-wire", "byte-sentinel",
                           "asia-tech-daily", "model-report", "wirefeed", "broken-beat",
                           "newsgrid"}
    assert sum(counts.values()) >= 30
    broken = store.feed("broken-beat")
    assert broken["last_status"] == "degraded" and "ill-formed" in broken["last_error"]
    store.close()


def test_mojibake_is_repaired(analysed_db):
    store = Store(analysed_db)
    text = store.scalar("SELECT clean_text FROM articles WHERE url LIKE "
                        "'%alibaba-shares-slide-after-anthropic%'")
    store.close()
    assert "â€" not in text and "Ã" not in text and "\ufffd" not in text
    assert "Alibaba" in text


def test_second_collect_is_conditional_and_writes_nothing(sample_server, sample_config,
                                                          tmp_path):
    store = Store(tmp_path / "c.db")
    first = collect(sample_config, store)
    assert first.new_articles >= 30
    before = store.scalar("SELECT count(*) FROM articles")
    changes = store.conn.total_changes
    mark = len(sample_server.log)
    second = collect(sample_config, store)
    feed_requests = [r for r in sample_server.log[mark:] if r["path"] != "/robots.txt"]
    assert len(feed_requests) == len(sample_config.feeds)   # feeds only, no article pages
    assert all(r["if_none_match"] for r in feed_requests)
    assert {f.status for f in second.feeds} == {"unchanged"}
    assert store.scalar("SELECT count(*) FROM articles") == before
    # only feed-health bookkeeping rows may change, no article or analysis rows
    assert store.conn.total_changes - changes <= len(sample_config.feeds)
    store.close()


def test_build_writes_index_and_a_page_per_story(analysed_db, tmp_path):
    store = Store(analysed_db)
    stories = [r["id"] for r in store.rows("SELECT id FROM stories")]
    out = tmp_path / "public"
    build(store, out)
    store.close()
    assert (out / "index.html").exists()
    for story_id in stories:
        page = out / "stories" / story_id / "index.html"
        assert page.exists(), story_id


def test_build_is_deterministic(analysed_db, tmp_path):
    store = Store(analysed_db)
    build(store, tmp_path / "a")
    build(store, tmp_path / "b")
    store.close()
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*")
                     if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*")
                     if p.is_file())
    assert files_a == files_b
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
