"""The collect stage end to end over loopback: conditional runs, health, failures that
never stop a run, articles that are never lost, dedupe, relevance and saved-page import."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from aiwire.collector.collect import collect, import_files
from aiwire.config import parse_config
from aiwire.errors import InputError
from aiwire.store import Store, decompress

from loopback import LoopServer

RELEVANT = [
    "Researchers said attackers used a prompt injection against the AI assistant of a "
    "large bank, and the chatbot leaked account data to the attackers.",
    "The attack exploited the language model's tool access; the breach exposed records "
    "of thousands of customers, according to the incident report published on Monday.",
    "The bank said the vulnerability was fixed and that it had found no further malicious "
    "activity, while regulators asked how the model had been allowed to reach the data.",
]
OFF_TOPIC = [
    "Corran Logistics will close its warehouse in the north of the city next spring, "
    "the company said on Tuesday, moving two hundred jobs to a new site.",
    "The firm said the move followed a review of its regional network and that staff "
    "would be offered positions at the new building, about forty miles away.",
    "Local officials said they regretted the decision and would work with the company "
    "to find a new tenant for the building before the end of next year.",
]


def page(title: str, paragraphs: list[str], charset: str = "utf-8") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='{charset}'>"
            f"<title>{title}</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<article><h1>{title}</h1>{body}</article>"
            f"<footer>Copyright the outlet</footer></body></html>")


def rss(items: list[tuple[str, str]]) -> str:
    entries = "".join(f"<item><title>{t}</title><link>{link}</link>"
                      f"<pubDate>Wed, 18 Nov 2026 09:00:00 GMT</pubDate></item>"
                      for t, link in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Test outlet</title><link>http://x/</link>{entries}</channel></rss>")


def serve_with_etag(server: LoopServer, path: str, body: str | bytes,
                    ctype: str = "text/html; charset=utf-8", honour: bool = True) -> str:
    """A resource with an ETag; ``honour=False`` ignores If-None-Match (always 200)."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    etag = '"' + hashlib.sha1(data).hexdigest()[:12] + '"'

    def handler(h):
        if honour and h.headers.get("If-None-Match") == etag:
            return h.reply(304, b"", {"ETag": etag})
        h.reply(200, data, {"Content-Type": ctype, "ETag": etag})
    server.routes[path] = handler
    return etag


def config_for(feeds: list[dict], allow_private: bool = True, **settings):
    lines = ["settings:", f"  allow_private_networks: {str(allow_private).lower()}",
             "  timeout_seconds: 5.0"]
    lines += [f"  {key}: {value}" for key, value in settings.items()]
    lines.append("feeds:")
    for feed in feeds:
        lines += [f"  - id: {feed['id']}", f"    name: {feed.get('name', feed['id'])}",
                  f"    url: {feed['url']}",
                  f"    full_text: {str(feed.get('full_text', True)).lower()}"]
        if feed.get("keywords"):
            lines.append(f"    keywords: [{', '.join(feed['keywords'])}]")
    return parse_config("\n".join(lines) + "\n", "test feeds.yaml")


@pytest.fixture
def outlet(server: LoopServer) -> LoopServer:
    """One outlet: a feed of three articles (one off-topic) with ETags."""
    server.serve("/robots.txt", "User-agent: *\nAllow: /\n")
    articles = {"/a/injection": ("Bank chatbot leaks data after prompt injection", RELEVANT),
                "/a/model-theft": ("Model weights stolen through a compromised API key",
                                   [p.replace("prompt injection", "stolen API key")
                                     .replace("bank", "lab") for p in RELEVANT[::-1]]),
                "/a/warehouse": ("Corran Logistics to close warehouse", OFF_TOPIC)}
    for path, (title, paragraphs) in articles.items():
        serve_with_etag(server, path, page(title, paragraphs))
    server.feed_etag = serve_with_etag(server, "/feed.xml", rss(
        [(t, server.url(p)) for p, (t, _) in articles.items()]), "application/rss+xml")
    return server


def test_collect_then_unchanged_run_is_conditional_and_writes_nothing(outlet, store):
    config = config_for([{"id": "outlet", "url": outlet.url("/feed.xml")}])
    first = collect(config, store)
    assert [f.status for f in first.feeds] == ["ok"] and first.new_articles == 3
    changes, mark = store.conn.total_changes, len(outlet.log)
    snapshot = store.rows("SELECT id, url, content_hash FROM articles ORDER BY id")
    second = collect(config, store)
    sent = outlet.log[mark:]
    assert [h.path for h in sent if h.path != "/robots.txt"] == ["/feed.xml"]
    assert sent[-1].headers["if-none-match"] == outlet.feed_etag      # answered with 304
    assert [f.status for f in second.feeds] == ["unchanged"] and second.new_articles == 0
    assert store.rows("SELECT id, url, content_hash FROM articles ORDER BY id") == snapshot
    assert store.conn.total_changes - changes == 1      # the feed's health row only


def test_server_ignoring_validators_is_unchanged_by_content_hash(server, store):
    server.serve("/a/1", page("Bank chatbot leaks data", RELEVANT))
    serve_with_etag(server, "/feed.xml", rss([("One", server.url("/a/1"))]),
                    "application/rss+xml", honour=False)
    config = config_for([{"id": "deaf", "url": server.url("/feed.xml")}])
    collect(config, store)
    changes, mark = store.conn.total_changes, len(server.log)
    report = collect(config, store)
    assert report.feeds[0].status == "unchanged"
    assert [h.path for h in server.log[mark:] if h.path != "/robots.txt"] == ["/feed.xml"]
    assert store.conn.total_changes - changes == 1


def test_articles_are_stored_with_raw_html_relevance_and_metadata(outlet, store):
    collect(config_for([{"id": "outlet", "url": outlet.url("/feed.xml")}]), store)
    rows = {r["url"].rsplit("/", 1)[1]: r for r in store.rows("SELECT * FROM articles")}
    assert rows["injection"]["relevant"] == 1 and rows["warehouse"]["relevant"] == 0
    assert rows["injection"]["title"] == "Bank chatbot leaks data after prompt injection"
    raw = decompress(rows["injection"]["raw_html"])
    assert raw.startswith("<!DOCTYPE html>") and "<nav>" in raw   # the page as served
    assert "Copyright the outlet" not in rows["injection"]["clean_text"]
    assert rows["injection"]["published"].startswith("2026-11-18")
    assert rows["injection"]["feed_id"] == "outlet" and rows["injection"]["language"] == "en"


def test_feed_keywords_filter_relevance(outlet, store):
    collect(config_for([{"id": "outlet", "url": outlet.url("/feed.xml"),
                         "keywords": ["API key"]}]), store)
    relevant = {r["url"].rsplit("/", 1)[1] for r in store.rows(
        "SELECT url FROM articles WHERE relevant = 1")}
    assert relevant == {"model-theft"}


def test_refused_feed_is_reported_with_the_reason_and_health(outlet, store):
    config = config_for([{"id": "outlet", "url": outlet.url("/feed.xml")}],
                        allow_private=False)
    for run in (1, 2):
        report = collect(config, store)
        feed = report.feeds[0]
        assert feed.status == "failed" and "loopback address" in feed.errors[0]
        assert feed.consecutive_failures == run and feed.health.startswith(f"{run} failure")
    health = store.feed("outlet")
    assert health["consecutive_failures"] == 2 and health["last_success"] is None
    assert "refused 127.0.0.1" in health["last_error"]
    assert outlet.log == []                              # nothing was ever sent


def test_a_broken_feed_never_stops_the_others(make_server, store):
    good, bad = make_server(), make_server()
    good.serve("/a/1", page("Bank chatbot leaks data", RELEVANT))
    good.serve("/feed.xml", rss([("One", good.url("/a/1"))]))
    bad.serve("/t/1", page("Model weights stolen", RELEVANT[::-1]))
    truncated = rss([("One", bad.url("/t/1")), ("Two", bad.url("/t/2"))])[:-60]
    bad.serve("/truncated.xml", truncated)
    bad.serve("/down.xml", "boom", status=500)
    bad.serve("/html.xml", "<html><body>moved</body></html>", headers={
        "Content-Type": "text/html"})
    config = config_for([{"id": "good", "url": good.url("/feed.xml")},
                         {"id": "trunc", "url": bad.url("/truncated.xml")},
                         {"id": "down", "url": bad.url("/down.xml")},
                         {"id": "html", "url": bad.url("/html.xml")}])
    report = collect(config, store)
    status = {f.feed_id: f for f in report.feeds}
    assert status["good"].status == "ok" and status["good"].new_articles == 1
    assert status["trunc"].status == "degraded" and "ill-formed" in status["trunc"].errors[0]
    assert status["trunc"].new_articles == 1
    assert status["down"].status == "failed" and "HTTP 500 after 3 tries" in \
        status["down"].errors[0]
    assert status["html"].status == "failed" and "not a feed" in status["html"].errors[0]
    assert {f.feed_id for f in report.failed} == {"down", "html"}


def test_a_transient_article_failure_is_retried_next_run(server, store):
    attempts = {"n": 0}

    def flaky(h):
        attempts["n"] += 1
        if attempts["n"] <= 3:                       # the whole first run fails
            return h.reply(503, b"busy")
        h.reply(200, page("Model weights stolen", RELEVANT).encode(),
                {"Content-Type": "text/html"})
    server.routes["/a/flaky"] = flaky
    server.serve("/a/fine", page("Bank chatbot leaks data", RELEVANT[::-1]))
    serve_with_etag(server, "/feed.xml", rss([("Flaky", server.url("/a/flaky")),
                                              ("Fine", server.url("/a/fine"))]),
                    "application/rss+xml")
    config = config_for([{"id": "f", "url": server.url("/feed.xml")}])
    first = collect(config, store)
    assert first.feeds[0].status == "degraded" and first.new_articles == 1
    assert store.feed("f")["etag"] is None            # validators withheld
    second = collect(config, store)
    assert second.feeds[0].status == "ok" and second.new_articles == 1
    assert store.scalar("SELECT count(*) FROM articles") == 2
    assert store.feed("f")["etag"]
    assert collect(config, store).feeds[0].status == "unchanged"


def test_a_permanent_article_failure_does_not_block_conditional_requests(server, store):
    server.serve("/a/fine", page("Bank chatbot leaks data", RELEVANT))
    serve_with_etag(server, "/feed.xml", rss([("Gone", server.url("/a/gone")),
                                              ("Fine", server.url("/a/fine"))]),
                    "application/rss+xml")
    config = config_for([{"id": "f", "url": server.url("/feed.xml")}])
    first = collect(config, store)
    assert any("HTTP 404" in e for e in first.feeds[0].errors)
    assert store.feed("f")["etag"]
    assert collect(config, store).feeds[0].status == "unchanged"


def test_same_article_in_two_feeds_is_stored_once(server, store):
    server.serve("/a/shared", page("Bank chatbot leaks data", RELEVANT))
    server.serve("/one.xml", rss([("Shared", server.url("/a/shared"))]))
    server.serve("/two.xml", rss([("Shared", server.url("/a/shared?utm_source=rss#top"))]))
    report = collect(config_for([{"id": "one", "url": server.url("/one.xml")},
                                 {"id": "two", "url": server.url("/two.xml")}]), store)
    assert {f.status for f in report.feeds} == {"ok"}
    assert store.scalar("SELECT count(*) FROM articles") == 1
    assert report.new_articles == 1 and sum(f.skipped for f in report.feeds) == 1
    assert server.paths().count("/a/shared") == 1


def test_a_syndicated_copy_is_linked_to_its_original(make_server, store):
    origin, wire = make_server(), make_server()
    origin.serve("/a/story", page("Bank chatbot leaks data after prompt injection", RELEVANT))
    origin.serve("/feed.xml", rss([("Original", origin.url("/a/story"))]))
    copy = page("Bank chatbot leaks data after prompt injection",
                RELEVANT + ["This article first appeared on the origin outlet."])
    wire.serve("/syndicated/123", copy)
    wire.serve("/feed.xml", rss([("Copy", wire.url("/syndicated/123"))]).replace(
        "18 Nov 2026 09:00", "19 Nov 2026 10:00"))
    config = config_for([{"id": "origin", "url": origin.url("/feed.xml")}])
    collect(config, store)
    collect(config_for([{"id": "wire", "url": wire.url("/feed.xml")}]), store)
    rows = {r["feed_id"]: r for r in store.rows("SELECT id, feed_id, duplicate_of "
                                                 "FROM articles")}
    assert rows["origin"]["duplicate_of"] is None
    assert rows["wire"]["duplicate_of"] == rows["origin"]["id"]
    to_analyse = [r["id"] for r in store.articles_to_analyze("v")]
    assert to_analyse == [rows["origin"]["id"]]


def test_mis_encoded_article_page_is_read_correctly(server, store):
    paragraphs = [p.replace("Researchers", "Caf\u00e9 researchers \u2014 \u201cexperts\u201d")
                  for p in RELEVANT]
    server.serve("/a/cp1252", page("Caf\u00e9 chatbot breach", paragraphs, "utf-8")
                 .encode("cp1252"), headers={"Content-Type": "text/html; charset=utf-8"})
    server.serve("/feed.xml", rss([("Caf\u00e9", server.url("/a/cp1252"))]))
    collect(config_for([{"id": "enc", "url": server.url("/feed.xml")}]), store)
    text = store.scalar("SELECT text FROM articles")
    assert "Caf\u00e9 researchers \u2014" in text and "\ufffd" not in text


def test_feed_carried_articles_keep_their_html(server, store):
    item = ("<item><title>Carried</title><link>{0}</link><description>&lt;p&gt;{1}&lt;/p&gt;"
            "&lt;p&gt;{2}&lt;/p&gt;</description></item>").format(server.url("/a/c"),
                                                                  *RELEVANT[:2])
    server.serve("/feed.xml", '<rss version="2.0"><channel><title>t</title>'
                 + item + "</channel></rss>")
    collect(config_for([{"id": "carried", "url": server.url("/feed.xml"),
                         "full_text": False}]), store)
    row = store.rows("SELECT text, raw_html FROM articles")[0]
    assert "prompt injection" in row["text"] and "<p>" in decompress(row["raw_html"])
    assert "/a/c" not in server.paths()                  # not fetched: full_text is false


# --- import of saved pages -----------------------------------------------------------------

def test_import_files_from_a_folder(tmp_path: Path, store):
    saved = tmp_path / "saved"
    (saved / "sub").mkdir(parents=True)
    (saved / "one.html").write_text(page("Saved page about an AI breach", RELEVANT))
    (saved / "sub" / "two.txt").write_text("A text note\n" + "\n".join(OFF_TOPIC))
    (saved / "ignored.pdf").write_bytes(b"%PDF")
    (saved / "latin.htm").write_bytes(page("Caf\u00e9 leak", RELEVANT[::-1], "windows-1252")
                                      .encode("cp1252"))
    assert import_files(saved, store) == 3
    rows = {Path(r["url"]).name: r for r in store.rows("SELECT * FROM articles")}
    assert set(rows) == {"one.html", "two.txt", "latin.htm"}
    assert rows["two.txt"]["title"] == "A text note" and rows["two.txt"]["relevant"] == 0
    assert rows["one.html"]["relevant"] == 1 and rows["one.html"]["source"] == "Imported"
    assert rows["latin.htm"]["title"].startswith("Caf\u00e9")
    assert import_files(saved, store) == 0              # nothing twice
    assert import_files(saved / "one.html", store) == 0


def test_import_files_errors_name_the_path(tmp_path: Path, store):
    with pytest.raises(InputError, match="no such file"):
        import_files(tmp_path / "missing", store)
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no .html, .htm or .txt"):
        import_files(tmp_path / "empty", store)


# --- time budgets -----------------------------------------------------------------------

def _budget_config(feeds: list[tuple[str, str]], **settings):
    """Feeds of article pages with the given time settings (seconds)."""
    lines = ["settings:", "  allow_private_networks: true"]
    lines += [f"  {key}: {value}" for key, value in settings.items()]
    lines.append("feeds:")
    for feed_id, url in feeds:
        lines += [f"  - id: {feed_id}", f"    name: {feed_id}", f"    url: {url}"]
    return parse_config("\n".join(lines) + "\n", "budget feeds.yaml")


@pytest.fixture
def dripping():
    """Handlers that drip one byte a second (as a hostile server might), stopped after
    the test so no server thread outlives it."""
    import threading
    stop = threading.Event()

    def drip(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        for _ in range(100000):
            if stop.wait(1.0):
                return
            h.wfile.write(b"<")
            h.wfile.flush()
    yield drip
    stop.set()


def _drip_outlet(server: LoopServer, drip, drippers: int) -> list[str]:
    """A feed whose first article is fine and whose next ``drippers`` pages drip."""
    server.serve("/a/fine", page("Bank chatbot leaks data", RELEVANT))
    paths = [f"/a/drip-{n}" for n in range(drippers)]
    for path in paths:
        server.routes[path] = drip
    items = [("Fine", server.url("/a/fine"))] + [(p, server.url(p)) for p in paths]
    # the feed ignores validators: every run re-reads it, so only the back-off can
    # keep a dripping page from being fetched again
    serve_with_etag(server, "/feed.xml", rss(items), "application/rss+xml", honour=False)
    return paths


def test_a_feed_of_dripping_pages_cannot_hold_the_run_past_its_budget(server, store,
                                                                      dripping):
    import time
    paths = _drip_outlet(server, dripping, 4)
    budget, deadline = 3.0, 20.0
    config = _budget_config([("drip", server.url("/feed.xml"))], feed_budget_seconds=budget,
                            timeout_seconds=deadline, per_host_concurrency=2)
    started = time.monotonic()
    first = collect(config, store)
    elapsed = time.monotonic() - started
    # one page after another, each up to its deadline, would take 4 x 20 s; two at a
    # time, 40 s. The budget holds the feed to ~3 s; the slack covers a loaded machine.
    assert elapsed < budget + 12, elapsed
    feed = first.feeds[0]
    assert feed.new_articles == 1                       # the fine page is not held up
    assert feed.over_budget == 2                        # the two on the wire at the end
    assert sum("over the feed's time budget of 3s" in e for e in feed.errors) == 2
    assert sum("not reached within" in e for e in feed.errors) == 2
    backed = store.rows("SELECT url, feed_id, until, failures FROM page_backoff")
    assert len(backed) == 2 and all(r["feed_id"] == "drip" and r["failures"] == 1
                                    for r in backed)
    assert all(r["until"] > first_run_time(store) for r in backed)

    # next run: the backed-off pages are not requested; the two never reached are tried
    mark = len(server.log)
    second = collect(config, store)
    asked = [h.path for h in server.log[mark:] if h.path.startswith("/a/")]
    backed_paths = {r["url"].rsplit("/", 1)[1] for r in backed}
    assert not backed_paths & {p.rsplit("/", 1)[1] for p in asked}
    assert sorted(asked) == sorted(p for p in paths if p.rsplit("/", 1)[1] not in backed_paths)
    assert second.feeds[0].backed_off == 2 and second.feeds[0].over_budget == 2

    # third run, the feed changed (so it is read again, not "unchanged"): every dripping
    # page is backed off, nothing is fetched but the feed
    serve_with_etag(server, "/feed.xml", rss([(p, server.url(p)) for p in paths[::-1]]),
                    "application/rss+xml", honour=False)
    mark = len(server.log)
    third = collect(config, store)
    assert [h.path for h in server.log[mark:] if h.path.startswith("/a/")] == []
    assert third.feeds[0].backed_off == 4 and third.feeds[0].errors == []


def first_run_time(store) -> str:
    return store.scalar("SELECT min(first_failed) FROM page_backoff")


def test_a_page_over_its_own_deadline_is_backed_off_and_retried_after_the_period(
        server, store, dripping):
    _drip_outlet(server, dripping, 1)
    config = _budget_config([("drip", server.url("/feed.xml"))], feed_budget_seconds=60,
                            timeout_seconds=1.5, page_backoff_days=7)
    first = collect(config, store)
    assert any("deadline of 1.5s exceeded; skipped until" in e for e in first.feeds[0].errors)
    row = store.rows("SELECT until, first_failed, failures FROM page_backoff")[0]
    assert row["until"][:10] > row["first_failed"][:10]       # days later, not this run
    # the period passes: the page is tried again, runs over again, waits twice as long
    store.conn.execute("UPDATE page_backoff SET until = '2000-01-01T00:00:00Z'")
    mark = len(server.log)
    collect(config, store)
    assert "/a/drip-0" in [h.path for h in server.log[mark:]]
    again = store.rows("SELECT until, failures FROM page_backoff")[0]
    assert again["failures"] == 2


def test_a_backed_off_page_that_comes_in_full_is_forgotten(server, store):
    server.serve("/a/fine", page("Bank chatbot leaks data", RELEVANT))
    serve_with_etag(server, "/feed.xml", rss([("Fine", server.url("/a/fine"))]),
                    "application/rss+xml")
    store.conn.execute(
        "INSERT INTO page_backoff (url, feed_id, reason, first_failed, until) VALUES "
        "(?, 'f', 'deadline', '2000-01-01T00:00:00Z', '2000-01-08T00:00:00Z')",
        (server.url("/a/fine"),))
    report = collect(_budget_config([("f", server.url("/feed.xml"))]), store)
    assert report.new_articles == 1
    assert store.scalar("SELECT count(*) FROM page_backoff") == 0


def test_the_run_budget_bounds_every_feed_together(make_server, store, dripping):
    import time
    one, two = make_server(), make_server()
    _drip_outlet(one, dripping, 2)
    _drip_outlet(two, dripping, 2)
    budget = 3.0
    config = _budget_config([("one", one.url("/feed.xml")), ("two", two.url("/feed.xml"))],
                            feed_budget_seconds=600, run_budget_seconds=budget,
                            timeout_seconds=60, per_host_concurrency=4)  # one host: 127.0.0.1
    started = time.monotonic()
    report = collect(config, store)
    elapsed = time.monotonic() - started
    assert elapsed < budget + 12, elapsed             # not 600 s, not 60 s
    assert [f.over_budget for f in report.feeds] == [2, 2]
    assert store.scalar("SELECT count(*) FROM page_backoff") == 4


def test_article_pages_of_a_feed_are_fetched_concurrently_within_the_host_limit(server,
                                                                                store):
    import time

    def slow(h):
        time.sleep(0.6)
        h.reply(200, page(f"Bank chatbot leaks data {h.path}", RELEVANT).encode(),
                {"Content-Type": "text/html"})
    paths = [f"/a/slow-{n}" for n in range(5)]
    for path in paths:
        server.routes[path] = slow
    serve_with_etag(server, "/feed.xml", rss([(p, server.url(p)) for p in paths]),
                    "application/rss+xml")
    config = _budget_config([("f", server.url("/feed.xml"))], per_host_concurrency=2)
    report = collect(config, store)
    assert report.new_articles == 5
    assert server.max_active == 2           # two at a time: not one after another, not five
    # written in the feed's order, whatever order the pages arrived in
    stored = [r["original_url"] for r in store.rows(
        "SELECT original_url FROM articles ORDER BY id")]
    assert stored == [server.url(p) for p in paths]
