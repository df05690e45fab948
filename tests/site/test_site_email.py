"""The newsletter: email files a mail client renders, and `aiwire mail` over real SMTP.

The email checks parse the built HTML; `aiwire mail` is run through click against a real
aiosmtpd server on 127.0.0.1, and the message it received is parsed back.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
import shutil
import socket
from html.parser import HTMLParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner

from aiwire.cli import main
from aiwire.site.model import build_site_model
from aiwire.site.render import build
from aiwire.store import Store

SITE_URL = "https://digest.example.org/aiwire/"
MAX_WIDTH = 640
# what an email may contain: no script, style sheet, frame, form, media or embed
FORBIDDEN = {"script", "style", "link", "iframe", "frame", "form", "object", "embed", "video",
             "audio", "svg", "base", "input", "button"}



class Tags(HTMLParser):
    """Every start tag with its attributes, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    parser.close()
    return parser


def check_email_html(html: str) -> Tags:
    """Inline styles only, nothing that loads or runs, tables no wider than 640 px."""
    doc = parse(html)
    names = [tag for tag, _ in doc.tags]
    assert not FORBIDDEN & set(names), FORBIDDEN & set(names)
    assert "table" in names and "h1" in names
    for tag, attrs in doc.tags:
        assert "class" not in attrs, (tag, attrs)        # nothing a <style> would style
        assert not any(a.startswith("on") for a in attrs), (tag, attrs)
        assert "src" not in attrs, (tag, attrs)          # no images, pixels or fonts
        href = attrs.get("href")
        if href is not None:
            assert href.startswith("https://") or href.startswith("http://"), href
        style = attrs.get("style", "")
        assert "url(" not in style and "@import" not in style and "expression" not in style
        for px in re.findall(r"(?:^|;)\s*(?:max-)?width:\s*(\d+)px", style):
            assert int(px) <= MAX_WIDTH, (tag, style)
        width = attrs.get("width")
        if width is not None:
            assert width.endswith("%") or int(width) <= MAX_WIDTH, (tag, width)
    main = [a for t, a in doc.tags if t == "table" and a.get("width") == str(MAX_WIDTH)]
    assert main and f"max-width:{MAX_WIDTH}px" in main[0]["style"]
    return doc


def test_every_week_has_an_email_and_its_text_twin(absolute_site):
    weeks = sorted(p.name for p in (absolute_site / "digest").iterdir() if p.is_dir())
    assert weeks == ["2026-W46", "2026-W47"]
    for week in weeks:
        html = (absolute_site / f"digest/{week}/email.html").read_text("utf-8")
        text = (absolute_site / f"digest/{week}/email.txt").read_text("utf-8")
        check_email_html(html)
        subject = text.split("\n", 1)[0]
        assert subject.startswith(f"aiwire {week}:")
        assert f"<title>{subject}</title>" in html
        assert max(len(line) for line in text.splitlines() if "://" not in line) <= 72
        assert f"{SITE_URL}digest/{week}/" in text and f"{SITE_URL}digest/{week}/" in html


def test_email_leads_with_the_disagreements(absolute_site):
    html = (absolute_site / "digest/2026-W47/email.html").read_text("utf-8")
    text = (absolute_site / "digest/2026-W47/email.txt").read_text("utf-8")
    doc = parse(html)
    words = " ".join(" ".join(doc.text).split())
    flat = " ".join(text.split())
    site = build_site_model(json.loads((absolute_site / "export.json").read_text("utf-8")))
    week = [site.stories[s] for s in site.weeks["2026-W47"]]
    disputed = [s["title"] for s in week if s["contradictions"]]
    others = [s["title"] for s in week if not s["contradictions"]]
    assert disputed
    assert words.index("Where sources disagree") < min(words.index(t) for t in disputed)
    assert flat.index("WHERE SOURCES DISAGREE") < min(flat.index(t) for t in disputed)
    if others:   # stories nobody disputes come after every disputed one
        assert max(words.index(t) for t in disputed) < words.index("Other stories this week")
        assert max(flat.index(t) for t in disputed) < flat.index("OTHER STORIES THIS WEEK")
        assert flat.index("OTHER STORIES THIS WEEK") < min(flat.index(t) for t in others)
    else:
        assert "Other stories" not in words
    # the lead story's account count, each figure once with its outlets counted
    assert re.search(r"25,000[^\n]*: 3 outlets", text), text
    assert re.search(r"24,000[^\n]*: 2 outlets", text), text
    assert "model weights: 1 outlet, citing unnamed sources (Byte Sentinel)" in text
    for needle in ("25,000", "24,000", "model weights", "Byte Sentinel"):
        assert needle in words
    # story links are absolute, to the site; source links to the outlets' articles
    hrefs = [a["href"] for t, a in doc.tags if t == "a"]
    assert any(h.startswith(f"{SITE_URL}stories/") for h in hrefs)
    assert any(h.startswith("http://127.0.0.1") for h in hrefs)


def test_email_bytes_repeat_and_need_no_site_url(analysed_db, tmp_path, absolute_site):
    store = Store(analysed_db)
    try:
        build(store, tmp_path / "a", site_url=SITE_URL)
        build(store, tmp_path / "b")
    finally:
        store.close()
    for name in ("email.html", "email.txt"):
        again = (tmp_path / "a/digest/2026-W47" / name).read_bytes()
        assert again == (absolute_site / "digest/2026-W47" / name).read_bytes()
    relative = (tmp_path / "b/digest/2026-W47/email.html").read_text("utf-8")
    check_email_html(relative)          # no relative link: they mean nothing in a mailbox
    assert SITE_URL not in relative and "Where sources disagree" in relative


def test_hostile_strings_stay_text_in_the_email(hostile_store, tmp_path):
    out = tmp_path / "public"
    build(hostile_store, out, site_url=SITE_URL)
    emails = sorted((out / "digest").glob("*/email.html"))
    assert emails
    for path in emails:
        html = path.read_text("utf-8")
        check_email_html(html)
        assert "<script" not in html.lower() and "\x00" not in html


# --- aiwire mail, against a real SMTP server on loopback ---------------------------------


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    logins: list[tuple[str, str]] = []

    def authenticate(server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword):
            logins.append((auth_data.login.decode(), auth_data.password.decode()))
            return AuthResult(success=auth_data.password == b"s3cret-pass")
        return AuthResult(success=False)

    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(),
                            authenticator=authenticate, auth_require_tls=False)
    controller.start()
    inbox.port, inbox.logins = controller.port, logins
    yield inbox
    controller.stop()


def _feeds(tmp_path: Path, port: int, extra: str = "", starttls: bool = False) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(f"""\
settings:
  site_url: {SITE_URL}
  smtp:
    host: 127.0.0.1
    port: {port}
    sender: digest@example.org
    starttls: {'true' if starttls else 'false'}
{extra}feeds: []
""", encoding="utf-8")
    return path


def _mail(*args: str, env: dict | None = None):
    result = CliRunner().invoke(main, ["mail", *args], env=env or {}, catch_exceptions=False)
    result.said = " ".join(result.output.split())   # the terminal may wrap long messages
    return result


def test_mail_delivers_both_parts(smtp_server, absolute_site, tmp_path):
    feeds = _feeds(tmp_path, smtp_server.port)
    result = _mail("--week", "2026-W47", "--to", "reader@example.org", "--to",
                   "editor@example.net", "--feeds", str(feeds), "--out", str(absolute_site))
    assert result.exit_code == 0, result.output
    assert len(smtp_server.envelopes) == 1
    envelope = smtp_server.envelopes[0]
    assert envelope.mail_from == "digest@example.org"
    assert envelope.rcpt_tos == ["reader@example.org", "editor@example.net"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message.get_content_type() == "multipart/alternative"
    parts = [p.get_content_type() for p in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    text = (absolute_site / "digest/2026-W47/email.txt").read_text("utf-8")
    html = (absolute_site / "digest/2026-W47/email.html").read_text("utf-8")
    assert message["Subject"] == text.split("\n", 1)[0]
    # SMTP carries CRLF line ends; the content is otherwise the built files, byte for byte
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == text
    assert message.get_body(("html",)).get_content().replace("\r\n", "\n") == html
    check_email_html(message.get_body(("html",)).get_content())


def test_mail_logs_in_with_the_password_from_the_environment(smtp_server, absolute_site,
                                                             tmp_path):
    feeds = _feeds(tmp_path, smtp_server.port, "    username: digest\n")
    args = ("--week", "2026-W47", "--to", "reader@example.org", "--feeds", str(feeds),
            "--out", str(absolute_site))
    missing = _mail(*args)
    assert missing.exit_code == 2 and "AIWIRE_SMTP_PASSWORD" in missing.said
    wrong = _mail(*args, env={"AIWIRE_SMTP_PASSWORD": "guess"})
    assert wrong.exit_code == 1 and "SMTP server 127.0.0.1" in wrong.said
    assert not smtp_server.envelopes
    right = _mail(*args, env={"AIWIRE_SMTP_PASSWORD": "s3cret-pass"})
    assert right.exit_code == 0, right.output
    assert smtp_server.logins[-1] == ("digest", "s3cret-pass")
    assert len(smtp_server.envelopes) == 1


def test_mail_bad_input_exits_2_naming_the_file(smtp_server, absolute_site, tmp_path):
    feeds = _feeds(tmp_path, smtp_server.port)
    unbuilt = _mail("--week", "2026-W40", "--to", "reader@example.org", "--feeds", str(feeds),
                    "--out", str(absolute_site))
    assert unbuilt.exit_code == 2
    assert "2026-W40/email" in unbuilt.said and "2026-W47" in unbuilt.said
    assert "aiwire run" in unbuilt.said
    nonsense = _mail("--week", "2026-W99", "--to", "reader@example.org", "--feeds", str(feeds),
                     "--out", str(absolute_site))
    assert nonsense.exit_code == 2 and "2026-W99" in nonsense.said
    bad_to = _mail("--week", "2026-W47", "--to", "not-an-address", "--feeds", str(feeds),
                   "--out", str(absolute_site))
    assert bad_to.exit_code == 2 and "not-an-address" in bad_to.said
    bare = tmp_path / "bare.yaml"
    bare.write_text("feeds: []\n", encoding="utf-8")
    no_smtp = _mail("--week", "2026-W47", "--to", "reader@example.org", "--feeds", str(bare),
                    "--out", str(absolute_site))
    assert no_smtp.exit_code == 2 and "settings.smtp" in no_smtp.said
    assert str(bare) in "".join(no_smtp.output.split())
    assert not smtp_server.envelopes


def test_smtp_failures_are_click_errors(smtp_server, absolute_site, tmp_path):
    args = ("--week", "2026-W47", "--to", "reader@example.org", "--out", str(absolute_site))
    closed = _free_port()                                  # nothing listens there
    down = _mail(*args, "--feeds", str(_feeds(tmp_path, closed)))
    assert down.exit_code == 1 and f"127.0.0.1:{closed}" in down.said
    assert "Traceback" not in down.said
    # this server offers no STARTTLS: refuse to send in clear rather than downgrade
    tls = _mail(*args, "--feeds", str(_feeds(tmp_path, smtp_server.port, starttls=True)))
    assert tls.exit_code == 1 and "starttls" in tls.said.lower()
    assert not smtp_server.envelopes


def test_mail_help_says_what_it_needs():
    result = CliRunner().invoke(main, ["mail", "--help"])
    assert result.exit_code == 0
    for word in ("--week", "--to", "settings.smtp", "AIWIRE_SMTP_PASSWORD"):
        assert word in result.output


def test_email_copy_outside_the_site_still_sends(smtp_server, absolute_site, tmp_path):
    """The files are self-contained: a copy of one week's folder is enough to send."""
    out = tmp_path / "only-email"
    shutil.copytree(absolute_site / "digest/2026-W46", out / "digest/2026-W46")
    result = _mail("--week", "2026-W46", "--to", "reader@example.org", "--feeds",
                   str(_feeds(tmp_path, smtp_server.port)), "--out", str(out))
    assert result.exit_code == 0, result.output
    message = email.message_from_bytes(smtp_server.envelopes[0].content,
                                       policy=email.policy.default)
    assert "2026-W46" in message["Subject"]


# --- the email as a mail client would lay it out: real headless Chromium -----------------

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "site"


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium missing")
def test_email_renders_at_most_640_px_wide_and_fits_a_phone(absolute_site):
    """No script may run in a mailbox, so none runs here either; nothing may load."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    html = (absolute_site / "digest/2026-W47/email.html").read_text("utf-8")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM),
                                     args=["--headless=new", "--no-sandbox", "--disable-gpu"])
        try:
            for name, width in (("desktop", 1280), ("phone", 390)):
                context = chromium.new_context(viewport={"width": width, "height": 900},
                                               java_script_enabled=False)
                page = context.new_page()
                requests: list[str] = []
                page.on("request", lambda r: requests.append(r.url))
                page.set_content(html, wait_until="load")
                box = page.locator("table[width='640']").bounding_box()
                assert box is not None and box["width"] <= MAX_WIDTH
                assert box["width"] >= min(MAX_WIDTH, width) - 40    # it does use the room
                context_width = page.evaluate("document.documentElement.scrollWidth")
                assert context_width <= width, (name, context_width)
                heading = page.locator("h2").first.inner_text()
                assert heading == "Where sources disagree"
                page.screenshot(path=str(ARTIFACTS / f"email-{name}.png"), full_page=True)
                assert requests == [], requests
                context.close()
        finally:
            chromium.close()
