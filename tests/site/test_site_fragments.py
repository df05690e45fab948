"""Story pages assembled from kept pieces: a grown story renders only its new pieces, and
the page is byte for byte the one a full render makes."""

from __future__ import annotations

from aiwire.site import fragments as fragments_module
from aiwire.site.fragments import Fragments
from aiwire.site.model import build_site_model
from aiwire.site.pages import environment, render, story_page
from aiwire.site.render import code_fingerprint, site_corpus


def _site(store, tmp_path):
    corpus = site_corpus(store, tmp_path / "site" / "public")
    return build_site_model(corpus.document, {s: p.view for s, p in corpus.parts.items()},
                            {s: p.refs for s, p in corpus.parts.items()})


def _counting(monkeypatch) -> list[str]:
    made: list[str] = []
    real = fragments_module.fragment_macro

    def counted(env, name):
        made.append(name)
        return real(env, name)

    monkeypatch.setattr(fragments_module, "fragment_macro", counted)
    return made


def test_a_page_from_kept_pieces_is_the_page_a_full_render_makes(analysed_store, tmp_path,
                                                                  monkeypatch):
    site = _site(analysed_store, tmp_path)
    sid = max(site.stories, key=lambda s: len(site.stories[s]["timeline"]))
    assert len(site.stories[sid]["timeline"]) >= 2
    env = environment()
    kept = Fragments(tmp_path / "cache.sqlite", code_fingerprint())
    made = _counting(monkeypatch)

    full = render(env, story_page(site, sid))
    assert kept.render(env, story_page(site, sid), sid) == full
    first = len(made)
    assert first >= len(site.stories[sid]["timeline"])     # one piece per report at least
    # the same page again: every piece is kept, none is rendered
    assert kept.render(env, story_page(site, sid), sid) == full
    assert len(made) == first
    # one report's headline corrected: that report's entry alone is rendered again
    entry = site.stories[sid]["timeline"][-1]
    site.stories[sid]["timeline"][-1] = dict(entry, title="A corrected headline")
    changed = kept.render(env, story_page(site, sid), sid)
    assert changed != full and "A corrected headline" in changed
    assert changed == render(env, story_page(site, sid))
    assert made[first:] == ["timeline_item"]


def test_pieces_no_page_uses_any_more_are_dropped(analysed_store, tmp_path):
    site = _site(analysed_store, tmp_path)
    sid = max(site.stories, key=lambda s: len(site.stories[s]["timeline"]))
    env = environment()
    path = tmp_path / "cache.sqlite"
    Fragments(path, code_fingerprint()).render(env, story_page(site, sid), sid)
    entry = site.stories[sid]["timeline"][0]
    site.stories[sid]["timeline"][0] = dict(entry, title="Another headline")
    Fragments(path, code_fingerprint()).render(env, story_page(site, sid), sid)
    import sqlite3

    conn = sqlite3.connect(path)
    html = [r[0] for r in conn.execute("SELECT html FROM fragments WHERE story = ?", (sid,))]
    assert any("Another headline" in h for h in html)
    assert not any(entry["title"] in h and "Another headline" not in h and "<li><time" in h
                   and entry["url"] in h for h in html)
    # a story that is gone loses its pieces at the next build
    Fragments(path, code_fingerprint(), live=set()).render(env, story_page(site, sid), "x")
    assert conn.execute("SELECT count(*) FROM fragments WHERE story = ?", (sid,)).fetchone()[0] == 0
    conn.close()


def test_a_damaged_cache_file_only_costs_rendering(analysed_store, tmp_path):
    site = _site(analysed_store, tmp_path)
    sid = sorted(site.stories)[0]
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"not a database at all" * 100)
    env = environment()
    page = Fragments(path, code_fingerprint()).render(env, story_page(site, sid), sid)
    assert page == render(env, story_page(site, sid))


def test_pages_with_the_same_key_are_rendered_once(analysed_store, tmp_path, monkeypatch):
    """Every address merged into one story leaves the same page: made once, written at
    each address."""
    from aiwire.site import render as render_module

    corpus = site_corpus(analysed_store, tmp_path / "site" / "public")
    target = corpus.document["stories"][0]["id"]
    document = dict(corpus.document, redirects={f"old-story-{i}": target for i in range(5)})
    made: list[str] = []
    real = render_module.render

    def counted(env, page, **extra):
        made.append(page.template)
        return real(env, page, **extra)

    monkeypatch.setattr(render_module, "render", counted)
    outputs = {o.path: o for o in render_module.site_outputs(document, None, corpus.parts)}
    moved = [outputs[f"stories/old-story-{i}/index.html"].produce() for i in range(5)]
    assert len(set(moved)) == 1 and "This story moved" in moved[0]
    assert made.count("redirect.html") == 1
    digest = outputs["digest/" + next(p.split("/")[1] for p in outputs
                                      if p.startswith("digest/")) + "/index.html"]
    digest.produce()
    assert made.count("digest.html") == 1      # a page of its own is made as before
