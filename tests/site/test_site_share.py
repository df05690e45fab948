"""Link previews: every page says what it is (description, Open Graph), canonically."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from aiwire.site.render import build
from aiwire.site.sanitize import slug
from aiwire.site.share import absolute, clip

SITE_URL = "https://digest.example.org/aiwire/"


class Head(HTMLParser):
    """The <meta> and <link> tags of a page's head."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.canonical: list[str] = []
        self.in_head = True

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "body":
            self.in_head = False
        if not self.in_head:
            return
        if tag == "meta" and ("name" in attrs or "property" in attrs):
            key = attrs.get("property") or attrs.get("name")
            self.meta.setdefault(key, []).append(attrs.get("content") or "")
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs.get("href") or "")


def head(path: Path) -> Head:
    parser = Head()
    parser.feed(path.read_text("utf-8"))
    return parser


def pages(site: Path) -> list[Path]:
    found = [p for p in sorted(site.rglob("*.html"))
             if not p.relative_to(site).as_posix().startswith(("_editors/", "static/"))
             and p.name != "email.html"]
    assert len(found) > 20
    return found



def test_every_page_describes_itself(sample_site):
    descriptions = set()
    for path in pages(sample_site):
        tags = head(path)
        for key in ("description", "og:title", "og:description", "og:type", "og:site_name"):
            assert len(tags.meta.get(key, [])) == 1, (path, key)
            assert tags.meta[key][0].strip(), (path, key)
        description = tags.meta["description"][0]
        assert description == tags.meta["og:description"][0]
        assert len(description) <= 200 and "\n" not in description
        assert not tags.canonical and "og:url" not in tags.meta   # no site_url: relative
        descriptions.add(description)
    assert len(descriptions) > 10                                 # pages differ


def test_site_url_gives_canonical_links(absolute_site):
    for path in pages(absolute_site):
        tags = head(path)
        rel = path.relative_to(absolute_site).as_posix()
        expected = SITE_URL + rel.removesuffix("index.html")
        if 'http-equiv="refresh"' in path.read_text("utf-8"):   # a moved story: the new one
            assert tags.canonical[0].startswith(SITE_URL + "stories/")
            assert tags.canonical[0] != expected
            continue
        assert tags.canonical == [expected], (rel, tags.canonical)
        assert tags.meta["og:url"] == [expected]


def test_story_preview_leads_with_the_disagreement(absolute_site):
    export = json.loads((absolute_site / "export.json").read_text("utf-8"))
    lead = next(s for s in export["stories"]   # the reference case, found by its reports
                if any("anthropic-accuses-alibaba" in a["url"] for a in s["articles"]))
    story = absolute_site / "stories" / slug(lead["id"]) / "index.html"
    tags = head(story)
    assert tags.meta["og:type"] == ["article"]
    title = story.read_text("utf-8").split("<title>", 1)[1].split("</title>", 1)[0]
    assert tags.meta["og:title"] == [title] and title.endswith(" · aiwire")
    description = tags.meta["description"][0]
    assert description.startswith("Outlets disagree on ")
    assert "model weights" in description or "24,000" in description


def test_hostile_strings_stay_inside_the_attribute(hostile_store, tmp_path):
    out = tmp_path / "public"
    build(hostile_store, out, site_url=SITE_URL)
    for path in pages(out):
        tags = head(path)
        # a quote in a title must not end the attribute and add tags or attributes
        assert len(tags.meta["description"]) == 1 and len(tags.meta["og:title"]) == 1
        head_html = path.read_text("utf-8").split("</head>", 1)[0].lower()
        assert "<script" not in head_html


def test_absolute_and_clip():
    assert absolute(None, "stories/x/index.html") is None
    assert absolute("https://h.example/a", "stories/x/index.html") == \
        "https://h.example/a/stories/x/"
    assert absolute("https://h.example/", "index.html") == "https://h.example/"
    assert absolute("https://h.example/", "feeds/digest.xml") == \
        "https://h.example/feeds/digest.xml"
    long = "word " * 100
    assert len(clip(long)) <= 200 and clip(long).endswith("…")
    assert clip("short  text\nhere") == "short text here"


def test_aiwire_build_reads_site_url_from_feeds_yaml(analysed_db, tmp_path):
    from click.testing import CliRunner

    from aiwire.cli import main

    db = tmp_path / "copy.db"
    shutil.copyfile(analysed_db, db)
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(f"settings:\n  site_url: {SITE_URL}\nfeeds: []\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--db", str(db), "--out", str(tmp_path / "o"),
                                       "--feeds", str(feeds)])
    assert result.exit_code == 0, result.output
    assert head(tmp_path / "o/index.html").canonical == [SITE_URL]
    feeds.write_text("settings:\n  site_url: not-a-url\nfeeds: []\n", encoding="utf-8")
    bad = CliRunner().invoke(main, ["build", "--db", str(db), "--out", str(tmp_path / "p"),
                                    "--feeds", str(feeds)])
    assert bad.exit_code == 2 and "site_url" in bad.output
    assert not (tmp_path / "p").exists()


def test_weekly_run_uses_site_url(analysed_db, sample_server, tmp_path):
    """`aiwire run` passes settings.site_url to the build: pages, feeds and email."""
    from aiwire.run import run
    from aiwire.sampleweb import sample_feeds_yaml

    shutil.copyfile(analysed_db, tmp_path / "aiwire.db")
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(sample_feeds_yaml(sample_server.base_url).replace(
        "settings:\n", f"settings:\n  site_url: {SITE_URL}\n", 1), encoding="utf-8")
    out = tmp_path / "public"
    report = run(feeds, tmp_path / "aiwire.db", out)
    assert report.exit_code == 0
    assert head(out / "index.html").canonical == [SITE_URL]
    assert f'href="{SITE_URL}feeds/weekly.xml"' in (out / "feeds/weekly.xml").read_text("utf-8")
    assert f"{SITE_URL}digest/2026-W47/" in (out / "digest/2026-W47/email.txt").read_text(
        "utf-8")
