"""Site fixtures: the sample site built once per module, and a store of hostile strings."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiwire.site.render import build
from aiwire.store import Store

from sitekit import fill_hostile, load_payloads


@pytest.fixture(scope="module")
def sample_site(analysed_db, tmp_path_factory) -> Path:
    """The site built from the analysed sample (once per test module)."""
    out = tmp_path_factory.mktemp("site") / "public"
    store = Store(analysed_db)
    try:
        build(store, out)
    finally:
        store.close()
    return out


SITE_URL = "https://digest.example.org/aiwire/"


@pytest.fixture(scope="session")
def absolute_site(analysed_db, tmp_path_factory) -> Path:
    """The sample site built with ``settings.site_url`` (absolute links, canonical URLs,
    the newsletter's web links), once for every test that needs it."""
    out = tmp_path_factory.mktemp("absolute") / "public"
    store = Store(analysed_db)
    try:
        build(store, out, site_url=SITE_URL)
    finally:
        store.close()
    return out


@pytest.fixture
def hostile_store(tmp_path) -> Store:
    store = Store(tmp_path / "hostile.db")
    payloads = load_payloads()
    payloads += ["nul\x00<script>alert(1)</script>", "line\u2028sep</script><script>alert(1)"]
    fill_hostile(store, payloads)
    yield store
    store.close()
