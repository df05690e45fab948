"""feeds.yaml validation: every error names the file, the line and the fix."""

from __future__ import annotations

import pytest

from aiwire.config import load_config, parse_config
from aiwire.errors import InputError

GOOD = """\
settings:
  max_articles_per_feed: 10
feeds:
  - id: one
    name: One
    url: https://example.org/feed.xml
  - id: two
    name: Two
    url: https://example.com/atom.xml
    full_text: false
    tags: [security]
"""


def test_valid_file_parses_with_defaults():
    config = parse_config(GOOD)
    assert [f.id for f in config.feeds] == ["one", "two"]
    assert config.settings.max_articles_per_feed == 10
    assert config.settings.allow_private_networks is False
    assert config.feeds[0].full_text is True
    assert config.feeds[1].tags == ["security"]


@pytest.mark.parametrize("text, line, words", [
    (GOOD.replace("    full_text: false", "    fulltext: false"), 10, "fulltext"),
    (GOOD.replace("id: two", "id: one"), 7, "duplicate feed id 'one'"),
    (GOOD.replace("https://example.com/atom.xml", "ftp://example.com/atom.xml"), 9, "http"),
    (GOOD.replace("max_articles_per_feed: 10", "max_articles_per_feed: lots"), 2,
     "max_articles_per_feed"),
    (GOOD.replace("full_text: false", "full_text: maybe"), 10, "full_text"),
    (GOOD.replace("id: two", "id: Two Words"), 7, "slug"),
    (GOOD + "  - id: three\n    url: https://example.net/x\n", 12, "name"),
    (GOOD.replace("settings:", "settings:\n  user_agent: a\n  user_agent: b"), 3,
     "duplicate key"),
    ("feeds:\n  - id: x\n   name: bad indent\n", 3, "YAML"),
])
def test_errors_name_the_line(text, line, words):
    with pytest.raises(InputError) as caught:
        parse_config(text, "feeds.yaml")
    error = caught.value
    assert error.line == line, str(error)
    assert str(error).startswith(f"feeds.yaml:{line}:")
    assert words.lower() in str(error).lower()
    assert error.fix, "every input error says what to change"
    assert error.exit_code == 2


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as caught:
        load_config(tmp_path / "nope.yaml")
    assert "nope.yaml" in str(caught.value) and "not found" in str(caught.value)


SHARING = """\
settings:
  site_url: https://digest.example.org/aiwire/
  smtp:
    host: mail.example.org
    port: 2525
    sender: digest@example.org
    starttls: false
    username: digest
feeds: []
"""


def test_site_url_and_smtp_settings_parse():
    settings = parse_config(SHARING).settings
    assert settings.site_url == "https://digest.example.org/aiwire/"
    assert settings.smtp.host == "mail.example.org" and settings.smtp.port == 2525
    assert settings.smtp.starttls is False and settings.smtp.username == "digest"
    assert settings.smtp.password_env == "AIWIRE_SMTP_PASSWORD"
    bare = parse_config("feeds: []\n").settings
    assert bare.site_url is None and bare.smtp is None


@pytest.mark.parametrize("old, new, line, words", [
    ("https://digest.example.org/aiwire/", "digest.example.org", 2, "site_url"),
    ("https://digest.example.org/aiwire/", "https://digest.example.org/?x=1", 2,
     "query"),
    ("sender: digest@example.org", "sender: digest", 6, "mail address"),
    ("port: 2525", "port: 99999", 5, "port"),
    ("starttls: false", "starttls: maybe", 7, "starttls"),
    ("username: digest", "password: hunter2", 8, "password_env"),
    ("    host: mail.example.org\n", "", 3, "host"),
])
def test_sharing_settings_errors_name_the_line(old, new, line, words):
    with pytest.raises(InputError) as caught:
        parse_config(SHARING.replace(old, new), "feeds.yaml")
    error = caught.value
    assert error.line == line, str(error)
    assert words in str(error)
    assert error.fix and error.exit_code == 2
