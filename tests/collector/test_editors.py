"""Editors' tools (aiwire/editors.py and `aiwire feeds check|add`) against loopback sites."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from aiwire.cli import main
from aiwire.collector.collect import collect
from aiwire.config import load_config, parse_config
from aiwire.editors import add_feed, discover_feed_url, probe_feeds
from aiwire.errors import InputError
from aiwire.store import Store

from loopback import LoopServer
from test_collect import RELEVANT, page, rss

FEEDS_HEAD = """# Our feeds. Editors: keep this list sorted by id.
settings:
  allow_private_networks: true  # loopback test site
  timeout_seconds: 5.0
feeds:
  # the reference outlet
"""


def _site(server: LoopServer) -> None:
    server.serve("/robots.txt", "User-agent: *\nDisallow: /private/\n")
    server.serve("/a/1", page("Bank chatbot leaks data after prompt injection", RELEVANT))
    server.serve("/feed.xml", rss([("One", server.url("/a/1"))]),
                 headers={"Content-Type": "application/rss+xml"})
    server.serve("/private/feed.xml", rss([("Hidden", server.url("/a/1"))]))
    server.serve("/empty.xml", "<html><body>nothing</body></html>",
                 headers={"Content-Type": "text/html"})
    server.serve("/", "<html><head><title>Outlet</title>"
                      "<link rel='alternate' type='application/rss+xml; charset=utf-8' "
                      "title='RSS' href='/feed.xml'></head><body>home</body></html>",
                 headers={"Content-Type": "text/html"})


def _feeds_file(tmp_path, server: LoopServer, ids=("good", "hidden", "empty")):
    urls = {"good": "/feed.xml", "hidden": "/private/feed.xml", "empty": "/empty.xml"}
    body = FEEDS_HEAD + "".join(f"  - id: {i}\n    name: {i.title()}\n"
                                f"    url: {server.url(urls[i])}\n" for i in ids)
    path = tmp_path / "feeds.yaml"
    path.write_text(body)
    return path


def test_probe_reports_status_items_newest_extraction_robots_and_health(server, tmp_path):
    _site(server)
    path = _feeds_file(tmp_path, server)
    config = load_config(path)
    rows = {r["id"]: r for r in probe_feeds(config, None)}
    good = rows["good"]
    assert good["ok"] and good["status"] == "HTTP 200" and good["items"] == 1
    assert good["newest"] == "2026-11-18T09:00:00Z"
    assert good["extraction"].startswith("ok (") and good["health"] == "never collected"
    assert good["robots"] == "allowed (robots.txt)"
    hidden = rows["hidden"]
    assert not hidden["ok"] and hidden["robots"].startswith("disallowed")
    assert "disallowed by robots.txt" in hidden["status"]
    assert not rows["empty"]["ok"] and "not a feed" in rows["empty"]["status"]
    assert "/private/feed.xml" not in server.paths()

    store = Store(tmp_path / "a.db")
    collect(config, store)
    store.close()
    rows = {r["id"]: r for r in probe_feeds(config, tmp_path / "a.db")}
    assert rows["good"]["health"].startswith("ok, last success 20")
    assert rows["hidden"]["health"].startswith("1 failure(s) in a row; last ok never; "
                                               "last error: disallowed by robots.txt")


def test_feeds_check_command_prints_the_table_and_exits_1_on_a_bad_feed(server, tmp_path,
                                                                       monkeypatch):
    _site(server)
    monkeypatch.setenv("COLUMNS", "250")
    path = _feeds_file(tmp_path, server, ids=("good", "empty"))
    result = CliRunner().invoke(main, ["feeds", "check", "--feeds", str(path), "--db",
                                       str(tmp_path / "none.db")])
    assert result.exit_code == 1, result.output
    assert "2 feed(s), valid" in result.output
    for text in ("Feed check", "good", "HTTP 200", "not a feed", "never collected"):
        assert text in result.output
    ok = _feeds_file(tmp_path, server, ids=("good",))
    assert CliRunner().invoke(main, ["feeds", "check", "--feeds", str(ok), "--db",
                                     str(tmp_path / "none.db")]).exit_code == 0


@pytest.mark.parametrize("snippet, message", [
    ("  - id: a\n    name: A\n    url: https://example.org/f\n    colour: red\n", "feeds.yaml:10:"),
    ("  - id: a\n    name: A\n    url: https://example.org/f\n"
     "  - id: a\n    name: B\n    url: https://example.org/g\n", "duplicate feed id"),
    ("  - id: a\n    name: A\n    url: ftp://example.org/f\n", "http:// or https://"),
    ("  - id: a\n    name: A\n    url: https://example.org/f\n    full_text: maybe\n",
     "full_text"),
])
def test_feeds_check_names_the_line_of_a_bad_file(tmp_path, monkeypatch, snippet, message):
    monkeypatch.setenv("COLUMNS", "250")
    path = tmp_path / "feeds.yaml"
    path.write_text(FEEDS_HEAD + snippet)
    result = CliRunner().invoke(main, ["feeds", "check", "--offline", "--feeds", str(path)])
    assert result.exit_code == 2
    assert message in result.output and str(path) in result.output


def test_feeds_add_discovers_the_feed_and_keeps_comments(server, tmp_path):
    _site(server)
    path = _feeds_file(tmp_path, server, ids=("empty",))
    entry = add_feed(server.url("/"), path, allow_private=True)
    assert entry["url"] == server.url("/feed.xml") and entry["id"] == "test-outlet"
    text = path.read_text()
    assert text.startswith("# Our feeds. Editors: keep this list sorted by id.")
    assert "# loopback test site" in text and "# the reference outlet" in text
    config = parse_config(text)
    assert [f.id for f in config.feeds] == ["empty", "test-outlet"]
    with pytest.raises(InputError, match="already in"):
        add_feed(server.url("/feed.xml"), path, allow_private=True)
    assert path.read_text() == text                     # a refused add changes nothing


def test_feeds_add_command_and_the_guard(server, tmp_path):
    _site(server)
    path = tmp_path / "feeds.yaml"                      # no file yet: one is created
    refused = CliRunner().invoke(main, ["feeds", "add", server.url("/"), "--feeds",
                                        str(path)])
    assert refused.exit_code == 2 and "loopback address" in refused.output
    assert not path.exists()
    added = CliRunner().invoke(main, ["feeds", "add", server.url("/"), "--feeds", str(path),
                                      "--id", "outlet", "--allow-private"])
    assert added.exit_code == 0, added.output
    assert [f.id for f in load_config(path).feeds] == ["outlet"]


def test_feeds_add_without_a_feed_on_the_page(server, tmp_path):
    server.serve("/", "<html><body><p>No feeds here</p></body></html>")
    with pytest.raises(InputError, match="no feed link found"):
        add_feed(server.url("/"), tmp_path / "feeds.yaml", allow_private=True)


def test_discover_feed_url_forms():
    assert discover_feed_url("<link rel='alternate' type='application/atom+xml' "
                             "href='atom.xml'>", "http://o.test/news/") == \
        "http://o.test/news/atom.xml"
    assert discover_feed_url("<a href='/blog/feed/'>RSS</a>", "http://o.test/") == \
        "http://o.test/blog/feed/"
    assert discover_feed_url("<link rel='stylesheet' href='/feed.css'>", "http://o.test/") \
        is None


# --- feeds add: new lines only; discovery at the usual paths ------------------------------
ODD_LAYOUT = """# Feeds, kept by hand.   Two spaces after the full stop, on purpose.
settings:
    allow_private_networks: true     # loopback test site
    timeout_seconds: 5.0

feeds:
    # the first outlet
    -   id: first
        name: First Outlet
        url: http://127.0.0.1:9/first.xml
        tags:
            - security
    # keep this comment where it is

# a closing remark
"""


def _only_added(before: str, after: str) -> list[str]:
    """The lines ``after`` adds to ``before``; fails if any line was changed or removed."""
    import difflib

    diff = [d for d in difflib.ndiff(before.splitlines(keepends=True),
                                     after.splitlines(keepends=True)) if d[:1] in "+-"]
    assert not [d for d in diff if d.startswith("-")], diff
    return [d[2:] for d in diff]


def test_feeds_add_adds_only_its_own_lines_with_tags_and_keywords(server, tmp_path):
    _site(server)
    path = tmp_path / "feeds.yaml"
    path.write_text(ODD_LAYOUT)
    result = CliRunner().invoke(main, ["feeds", "add", server.url("/"), "--feeds", str(path),
                                       "--tags", "security,ai", "--tags", "banks",
                                       "--keywords", "prompt injection", "--no-full-text"])
    assert result.exit_code == 0, result.output
    after = path.read_text()
    added = _only_added(ODD_LAYOUT, after)
    assert added == [
        "    -   id: test-outlet\n",
        "        name: Test outlet\n",
        f"        url: {server.url('/feed.xml')}\n",
        "        full_text: false\n",
        "        tags: [security, ai, banks]\n",
        "        keywords: [prompt injection]\n"]
    # inserted after the last feed, before the comments that follow it
    assert after.index("id: test-outlet") < after.index("# keep this comment where it is")
    feed = load_config(path).feeds[-1]
    assert (feed.id, feed.full_text, feed.tags, feed.keywords) == (
        "test-outlet", False, ["security", "ai", "banks"], ["prompt injection"])


def test_feeds_add_keeps_crlf_files_crlf(server, tmp_path):
    _site(server)
    path = tmp_path / "feeds.yaml"
    before = FEEDS_HEAD.replace("\n", "\r\n") + "  - id: a\r\n    name: A\r\n" \
                                                 "    url: http://127.0.0.1:9/a.xml\r\n"
    path.write_bytes(before.encode())
    add_feed(server.url("/feed.xml"), path, allow_private=True)
    after = path.read_bytes().decode()
    assert after.startswith(before) and "\n" not in after.replace("\r\n", "")


@pytest.mark.parametrize("feed_path", ["/feed", "/rss", "/atom.xml", "/feed.xml",
                                       "/index.xml", "/rss.xml"])
def test_feeds_add_finds_a_feed_at_a_usual_path(server, tmp_path, feed_path):
    server.serve("/", "<html><head><title>Bare</title></head><body><p>No links at all"
                      "</p></body></html>", headers={"Content-Type": "text/html"})
    server.serve(feed_path, rss([("One", server.url("/a/1"))]),
                 headers={"Content-Type": "application/rss+xml"})
    entry = add_feed(server.url("/"), tmp_path / "feeds.yaml", allow_private=True)
    assert entry["url"] == server.url(feed_path)
    assert feed_path in server.paths()


def test_feeds_add_names_the_usual_paths_it_tried(server, tmp_path):
    server.serve("/", "<html><body><p>Nothing</p></body></html>",
                 headers={"Content-Type": "text/html"})
    server.serve("/rss", "<html><body>not a feed</body></html>",
                 headers={"Content-Type": "text/html"})
    with pytest.raises(InputError, match=r"nor at /feed, /rss, /atom\.xml"):
        add_feed(server.url("/"), tmp_path / "feeds.yaml", allow_private=True)
    assert {"/feed", "/rss", "/atom.xml", "/feed.xml", "/index.xml", "/rss.xml"} <= \
        set(server.paths())
    assert not (tmp_path / "feeds.yaml").exists()


# --- OPML ---------------------------------------------------------------------------------
def _opml(server: LoopServer) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My reader</title></head>
  <body>
    <outline text="Security">
      <outline type="rss" text="Good &amp; Co" title="Good &amp; Co"
               xmlUrl="{server.url('/feed.xml')}"/>
      <outline type="rss" text="Already here" xmlUrl="{server.url('/present.xml')}"/>
    </outline>
    <outline type="rss" text="Gone" xmlUrl="{server.url('/gone.xml')}"/>
    <outline type="rss" text="Not a URL" xmlUrl="ftp://files.example/feed"/>
  </body>
</opml>
"""


def test_opml_import_adds_new_feeds_skips_present_and_names_bad_lines(server, tmp_path):
    _site(server)
    server.serve("/present.xml", rss([("P", server.url("/a/1"))]),
                 headers={"Content-Type": "application/rss+xml"})
    path = tmp_path / "feeds.yaml"
    before = FEEDS_HEAD + f"  - id: present\n    name: Present\n" \
                          f"    url: {server.url('/present.xml')}\n"
    path.write_text(before)
    opml = tmp_path / "subscriptions.opml"
    opml.write_text(_opml(server))
    result = CliRunner().invoke(main, ["feeds", "import", str(opml), "--feeds", str(path)])
    assert result.exit_code == 2, result.output            # two outlines could not be added
    assert "1 added, 1 already present, 2 skipped" in result.output
    assert f"{opml}:10:" in result.output and "404" in result.output       # /gone.xml
    assert f"{opml}:11:" in result.output and "http" in result.output      # ftp://
    added = _only_added(before, path.read_text())
    assert added[0] == "  - id: good-and-co\n" and "    tags: [security]\n" in added
    feeds = load_config(path).feeds
    assert [(f.id, f.name, f.url) for f in feeds] == [
        ("present", "Present", server.url("/present.xml")),
        ("good-and-co", "Good & Co", server.url("/feed.xml"))]
    # again: everything is present or bad, nothing changes
    text = path.read_text()
    again = CliRunner().invoke(main, ["feeds", "import", str(opml), "--feeds", str(path)])
    assert "0 added, 2 already present, 2 skipped" in again.output
    assert path.read_text() == text


def test_opml_import_refuses_loopback_without_allow_private(server, tmp_path):
    _site(server)
    path = tmp_path / "feeds.yaml"
    path.write_text("feeds:\n")
    opml = tmp_path / "subscriptions.opml"
    opml.write_text(_opml(server))
    report = __import__("aiwire.opml", fromlist=["import_opml"]).import_opml(opml, path)
    assert not report.added and path.read_text() == "feeds:\n"
    assert any("loopback" in line for line in report.failed)


def test_opml_import_of_a_file_that_is_not_opml(tmp_path):
    bad = tmp_path / "notes.opml"
    bad.write_text("just some notes, not XML")
    result = CliRunner().invoke(main, ["feeds", "import", str(bad), "--feeds",
                                       str(tmp_path / "feeds.yaml")])
    assert result.exit_code == 2 and "not an OPML file" in result.output


def test_opml_export_round_trips_through_listparser(tmp_path):
    import listparser

    path = tmp_path / "feeds.yaml"
    path.write_text("feeds:\n  - id: a\n    name: A & <B>\n    url: https://a.example/feed.xml\n"
                    "    tags: [security, ai]\n  - id: c\n    name: C\n"
                    "    url: https://c.example/rss?x=1&y=2\n")
    result = CliRunner().invoke(main, ["feeds", "export", "--feeds", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml '
                                    'version="2.0">')
    parsed = listparser.parse(result.output.encode())
    assert not parsed.bozo
    assert [(f.url, f.title, sorted(f.tags)) for f in parsed.feeds] == [
        ("https://a.example/feed.xml", "A & <B>", ["ai", "security"]),
        ("https://c.example/rss?x=1&y=2", "C", [])]
    again = CliRunner().invoke(main, ["feeds", "export", "--feeds", str(path)])
    assert again.output == result.output                   # same input, same bytes


def test_feeds_list_plain_and_json(tmp_path):
    import json

    path = tmp_path / "feeds.yaml"
    path.write_text("feeds:\n  - id: a-very-long-feed-identifier-that-must-not-wrap\n"
                    "    name: A\n    url: https://a.example/feed.xml\n    tags: [x, y]\n")
    plain = CliRunner().invoke(main, ["feeds", "list", "--feeds", str(path), "--plain"])
    assert plain.output == ("a-very-long-feed-identifier-that-must-not-wrap\tA\t"
                            "https://a.example/feed.xml\tTrue\tx,y\n")
    data = json.loads(CliRunner().invoke(main, ["feeds", "list", "--feeds", str(path),
                                                "--json"]).output)
    assert data == [{"id": "a-very-long-feed-identifier-that-must-not-wrap", "name": "A",
                     "url": "https://a.example/feed.xml", "full_text": True,
                     "tags": ["x", "y"], "keywords": []}]
