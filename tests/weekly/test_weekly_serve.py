"""`aiwire serve` sends the security headers as HTTP headers (a meta CSP cannot forbid
framing), and the README's nginx and Caddy snippets send exactly the same ones."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from aiwire.serve import SECURITY_HEADERS
from aiwire.site.pages import CSP
from weeklykit import env

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def served(tmp_path):
    """`aiwire serve` on a free port over a tiny site; yields its base URL."""
    out = tmp_path / "public"
    out.mkdir()
    (out / "index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    (out / "style.css").write_text("body{}", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "aiwire", "serve", "--out", str(out),
                             "--port", "0"], stderr=subprocess.PIPE, text=True, env=env())
    try:
        line = proc.stderr.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line
        yield f"http://127.0.0.1:{match.group(1)}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _headers(url: str) -> dict[str, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return dict(response.headers)
    except urllib.error.HTTPError as error:      # a 404 must carry them too
        return dict(error.headers)


@pytest.mark.parametrize("path", ["/", "/style.css", "/no-such-page.html"])
def test_serve_sends_every_security_header(served, path):
    headers = _headers(served + path)
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, name


def test_the_header_csp_is_the_page_csp_plus_frame_ancestors():
    csp = SECURITY_HEADERS["Content-Security-Policy"]
    assert csp.startswith(str(CSP))
    assert "frame-ancestors 'none'" in csp
    assert SECURITY_HEADERS["X-Frame-Options"] == "DENY"
    assert SECURITY_HEADERS["X-Content-Type-Options"] == "nosniff"
    assert {"Referrer-Policy", "Permissions-Policy"} <= set(SECURITY_HEADERS)


def _readme_block(language: str) -> str:
    readme = (ROOT / "README.md").read_text("utf-8")
    blocks = re.findall(rf"```{language}\n(.*?)```", readme, re.S)
    blocks = [b for b in blocks if "Content-Security-Policy" in b]
    assert len(blocks) == 1, f"one {language} block with the headers in README.md"
    return blocks[0]


def test_readme_nginx_headers_match_serve():
    block = _readme_block("nginx")
    found = dict(re.findall(r'^\s*add_header\s+(\S+)\s+"([^"]*)"\s+always;', block, re.M))
    assert found == SECURITY_HEADERS


def test_readme_caddy_headers_match_serve():
    block = _readme_block("caddy")
    found = dict(re.findall(r'^\s*([A-Z][A-Za-z-]+)\s+"([^"]*)"\s*$', block, re.M))
    assert found == SECURITY_HEADERS
