"""curation.yaml: validated with line numbers, every reference checked against the store,
applied idempotently, surviving re-clustering, visible in the export and on the site."""

from __future__ import annotations

import json
import re

import pytest

from aiwire.curation import apply_curation, enforce, intent_fingerprint, parse_curation
from aiwire.curation import read_curation_text as parse_curation_lenient
from aiwire.errors import InputError
from aiwire.export import export_document
from aiwire.nlp.analyze import analyze
from aiwire.run import build
from aiwire.store import Store

from weeklykit import db_content


def _stories(store: Store) -> list[dict]:
    """Stories, largest first (ties by id): picked by shape, not by name, so these tests
    hold whatever the clusterer decides about the sample."""
    return store.rows("SELECT s.id, count(*) AS n FROM stories s JOIN story_articles a "
                      "ON a.story_id = s.id GROUP BY s.id ORDER BY n DESC, s.id")


def _doc(store: Store) -> dict:
    return export_document(store, generated_at="2026-11-21T00:00:00Z")


def _story(document: dict, story_id: str) -> dict | None:
    return next((s for s in document["stories"] if s["id"] == story_id), None)


def _apply(store: Store, text: str):
    return apply_curation(store, parse_curation(text, "curation.yaml"))


# --- the file -----------------------------------------------------------------------------
@pytest.mark.parametrize("text, line, words", [
    ("stories:\n  - id: a\n    pinned: true\n", 3, "pinned"),
    ("stories:\n  - id: a\n    pin: 'yes'\n", 3, "bool"),
    ("dismiss:\n  - contradiction: abc\n", 2, "reason"),
    ("merge:\n  - into: a\n    stories: []\n", 3, "stories"),
    ("split:\n  - article: not-a-url\n    from: a\n", 2, "http"),
    ("stories:\n  - id: a\n    pin: true\n  - id: a\n    hide: true\n", 4, "twice"),
    ("stories:\n  - id: a\n   pin: true\n", 3, "YAML"),
    ("colour: red\n", 1, "colour"),
    ("entities:\n  - id: x\n    reject: true\n    type: ORG\n", 2, "exactly one"),
    ("entities:\n  - id: x\n    type: MODEL\n", 3, "'PRODUCT'"),
    ("techniques:\n  - story: s\n    add: [T0051]\n", 3, "ATLAS technique id"),
    ("techniques:\n  - story: s\n", 2, "add"),
    ("entities:\n  - id: x\n    reject: true\n  - id: x\n    type: ORG\n", 4, "twice"),
])
def test_bad_file_names_the_line(text, line, words):
    with pytest.raises(InputError) as caught:
        parse_curation(text, "curation.yaml")
    assert f"curation.yaml:{line}:" in str(caught.value)
    assert words in str(caught.value)
    assert "fix:" in str(caught.value)


def test_empty_file_changes_nothing(analysed_store):
    before = db_content(analysed_store.path)
    report = _apply(analysed_store, "")
    assert not report.changed
    assert db_content(analysed_store.path) == before


@pytest.mark.parametrize("section", ["merge-into", "merge-story", "split-from", "stories",
                                     "dismiss"])
def test_unknown_reference_names_its_line_and_stores_nothing(analysed_store, section):
    stories = _stories(analysed_store)
    real, other = stories[0]["id"], stories[1]["id"]
    url = analysed_store.scalar("SELECT a.url FROM story_articles s JOIN articles a "
                                "ON a.id = s.article_id WHERE s.story_id = ?", (real,))
    text = {
        "merge-into": f"stories:\n  - id: {real}\n    pin: true\nmerge:\n"
                      f"  - into: no-such-story\n    stories: [{other}]\n",
        "merge-story": f"merge:\n  - into: {real}\n    stories:\n      - {other}\n"
                       f"      - no-such-story\n",
        "split-from": f"split:\n  - article: {url}\n    from: no-such-story\n",
        "stories": f"stories:\n  - id: {real}\n    pin: true\n  - id: no-such-story\n"
                   f"    hide: true\n",
        "dismiss": f"stories:\n  - id: {real}\n    pin: true\ndismiss:\n"
                   f"  - contradiction: 000000000000\n    reason: typo test\n",
    }[section]
    expected = {"merge-into": 5, "merge-story": 5, "split-from": 3, "stories": 4,
                "dismiss": 5}[section]
    before = db_content(analysed_store.path)
    with pytest.raises(InputError) as caught:
        _apply(analysed_store, text)
    assert f"curation.yaml:{expected}: unknown" in str(caught.value)
    assert ("no-such-story" in str(caught.value)) or ("000000000000" in str(caught.value))
    assert db_content(analysed_store.path) == before        # all or nothing


# --- effects ------------------------------------------------------------------------------
def test_merge_redirects_and_is_idempotent(analysed_store, tmp_path):
    stories = _stories(analysed_store)
    keep, absorb = stories[0]["id"], stories[-1]["id"]
    urls = {a["url"] for s in (keep, absorb) for a in _story(_doc(analysed_store), s)["articles"]}
    report = _apply(analysed_store, f"merge:\n  - into: {keep}\n    stories: [{absorb}]\n")
    assert report.merged == 1 and report.changed
    document = _doc(analysed_store)
    assert _story(document, absorb) is None
    assert document["redirects"][absorb] == keep
    assert {a["url"] for a in _story(document, keep)["articles"]} == urls
    # the same file again: nothing to do, nothing written
    before = db_content(analysed_store.path)
    again = _apply(analysed_store, f"merge:\n  - into: {keep}\n    stories: [{absorb}]\n")
    assert again.merged == 0 and not again.changed
    assert db_content(analysed_store.path) == before
    # the old id is still a page: a redirect to the merged story
    build(analysed_store, tmp_path / "public")
    old_page = (tmp_path / "public" / "stories" / absorb / "index.html").read_text("utf-8")
    assert keep in old_page


def test_split_stays_split_after_reclustering(analysed_store):
    origin = _stories(analysed_store)[0]["id"]
    article = analysed_store.rows(
        "SELECT a.id, a.url FROM story_articles s JOIN articles a ON a.id = s.article_id "
        "WHERE s.story_id = ? ORDER BY a.published DESC, a.url LIMIT 1", (origin,))[0]
    _apply(analysed_store, f"split:\n  - article: {article['url']}\n    from: {origin}\n")
    split_id = analysed_store.scalar("SELECT story_id FROM story_articles WHERE article_id = ?",
                                     (article["id"],))
    assert split_id != origin
    document = _doc(analysed_store)
    assert [a["url"] for a in _story(document, split_id)["articles"]] == [article["url"]]
    assert article["url"] not in {a["url"] for a in _story(document, origin)["articles"]}
    # The clusterer places the article afresh (as if it had just arrived): it joins its
    # old story again ...
    analysed_store.conn.execute("DELETE FROM story_articles WHERE article_id = ?",
                                (article["id"],))
    analyze(analysed_store)
    assert analysed_store.scalar("SELECT story_id FROM story_articles WHERE article_id = ?",
                                 (article["id"],)) == origin
    # ... and the next build puts it back where the editors want it, under the same id
    enforce(analysed_store)
    assert analysed_store.scalar("SELECT story_id FROM story_articles WHERE article_id = ?",
                                 (article["id"],)) == split_id
    assert analysed_store.scalar("SELECT count(*) FROM story_redirects WHERE old_id = ?",
                                 (split_id,)) == 0


def test_pin_hide_retitle_note_show_in_export_and_site(analysed_store, tmp_path):
    stories = _stories(analysed_store)
    pinned, hidden = stories[-1]["id"], stories[1]["id"]
    _apply(analysed_store, f"""stories:
  - id: {pinned}
    pin: true
    title: "Editors' title <b>not bold</b>"
    note: Still developing & unconfirmed.
  - id: {hidden}
    hide: true
""")
    document = _doc(analysed_store)
    story = _story(document, pinned)
    assert story["pinned"] is True
    assert story["title"] == "Editors' title <b>not bold</b>"
    assert story["original_title"] and story["original_title"] != story["title"]
    assert story["editor_note"] == "Still developing & unconfirmed."
    assert _story(document, hidden) is None
    assert all("pinned" not in s for s in document["stories"] if s["id"] != pinned)

    out = tmp_path / "public"
    build(analysed_store, out)
    page = (out / "stories" / pinned / "index.html").read_text("utf-8")
    assert "Editors&#39; title &lt;b&gt;not bold&lt;/b&gt;" in page
    assert "Still developing &amp; unconfirmed." in page and "Pinned by the editors" in page
    assert not (out / "stories" / hidden).exists()
    assert hidden not in (out / "export.json").read_text("utf-8")
    # pinned first in every digest it is in, whatever its score
    for digest in (out / "digest").glob("*/index.html"):
        html = digest.read_text("utf-8")
        if f"card-{pinned}" in html:
            assert html.index('id="card-') == html.index(f'id="card-{pinned}"')
            assert hidden not in html


def test_dismissed_flag_is_marked_with_its_reason(analysed_store, tmp_path):
    flag = analysed_store.rows("SELECT id, story_id FROM contradictions ORDER BY id")[0]
    before = len(_story(_doc(analysed_store), flag["story_id"])["contradictions"])
    _apply(analysed_store, f"dismiss:\n  - contradiction: {flag['id']}\n"
                           f"    reason: Both outlets count different things.\n")
    story = _story(_doc(analysed_store), flag["story_id"])
    assert len(story["contradictions"]) == before          # still exported, marked
    marked = [c for c in story["contradictions"] if c.get("dismissed")]
    assert [c["id"] for c in marked] == [flag["id"]]
    assert marked[0]["dismissed_reason"] == "Both outlets count different things."
    out = tmp_path / "public"
    build(analysed_store, out)
    page = (out / "stories" / flag["story_id"] / "index.html").read_text("utf-8")
    assert "dismissed by the editors" in page
    assert "Both outlets count different things." in page
    if before == 1:
        assert 'href="#disagreements"' not in page     # no live flag left to count
    else:       # one live flag section fewer
        assert len(re.findall(r'<section class="contradiction (?:hard|soft|high)', page)) == \
            before - 1


def test_curation_survives_reanalysis(analysed_store):
    stories = _stories(analysed_store)
    flag = analysed_store.rows("SELECT id FROM contradictions ORDER BY id")[0]["id"]
    _apply(analysed_store, f"stories:\n  - id: {stories[0]['id']}\n    note: n\n"
                           f"dismiss:\n  - contradiction: {flag}\n    reason: checked\n")
    fingerprint = intent_fingerprint(analysed_store)
    # analysis recomputes stories and every flag from scratch
    from aiwire.nlp.contradictions import update_contradictions
    from aiwire.nlp.stories import update_stories

    update_stories(analysed_store, force=True)
    update_contradictions(analysed_store)
    assert intent_fingerprint(analysed_store) == fingerprint
    document = _doc(analysed_store)
    assert _story(document, stories[0]["id"])["editor_note"] == "n"
    assert any(c.get("dismissed") for s in document["stories"] for c in s["contradictions"])


def test_export_with_curation_matches_schema(analysed_store):
    import jsonschema
    from importlib import resources

    stories = _stories(analysed_store)
    flag = analysed_store.rows("SELECT id FROM contradictions ORDER BY id")[0]["id"]
    _apply(analysed_store, f"stories:\n  - id: {stories[0]['id']}\n    pin: true\n"
                           f"    title: T\n    note: N\n  - id: {stories[1]['id']}\n"
                           f"    hide: true\ndismiss:\n  - contradiction: {flag}\n"
                           f"    reason: checked\n")
    schema = json.loads(resources.files("aiwire").joinpath("schema/export.schema.json")
                        .read_text("utf-8"))
    jsonschema.validate(_doc(analysed_store), schema)


# --- entities and techniques -------------------------------------------------------------
def _entities_of(document: dict) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for story in document["stories"]:
        for entity in story["entities"]:
            seen = out.setdefault(entity["id"], dict(entity, mentions=0))
            seen["mentions"] += entity["mentions"]
    return out


def _two_entities(store: Store) -> tuple[str, str]:
    """The two most-mentioned entities, by shape rather than by name."""
    rows = store.rows("SELECT entity_id, count(*) AS n FROM mentions GROUP BY entity_id "
                      "ORDER BY n DESC, entity_id LIMIT 2")
    return rows[0]["entity_id"], rows[1]["entity_id"]


def test_entities_reject_retype_alias_show_in_export_idempotently(analysed_store):
    big, other = _two_entities(analysed_store)
    small = analysed_store.rows(
        "SELECT entity_id FROM mentions WHERE entity_id NOT IN (?, ?) GROUP BY entity_id "
        "ORDER BY count(*) DESC, entity_id LIMIT 1", (big, other))[0]["entity_id"]
    before = _entities_of(_doc(analysed_store))
    new_type = "PRODUCT" if before[other]["type"] != "PRODUCT" else "ORG"
    text = (f"entities:\n  - id: {big}\n    reject: true\n  - id: {other}\n"
            f"    type: {new_type}\n  - id: {small}\n    alias_to: {other}\n")
    report = _apply(analysed_store, text)
    assert report.entities == 3 and report.changed
    after = _entities_of(_doc(analysed_store))
    assert big not in after and small not in after
    assert after[other]["type"] == new_type
    assert after[other]["mentions"] == before[other]["mentions"] + before[small]["mentions"]
    assert not analysed_store.scalar("SELECT count(*) FROM figures WHERE subject IN (?, ?)",
                                     (big, small))
    # the same file again writes nothing
    snapshot = db_content(analysed_store.path)
    again = _apply(analysed_store, text)
    assert not again.changed and db_content(analysed_store.path) == snapshot
    # re-analysis brings the mentions back; the next build corrects them again
    article = analysed_store.scalar("SELECT min(article_id) FROM mentions")
    analysed_store.conn.execute("INSERT INTO mentions (article_id, entity_id, text, start, end) "
                                "VALUES (?, ?, 'x', 0, 1)", (article, big))
    analysed_store.conn.execute("UPDATE entities SET type = 'PERSON' WHERE id = ?", (other,))
    enforce(analysed_store)
    after = _entities_of(_doc(analysed_store))
    assert big not in after and after[other]["type"] == new_type


def test_techniques_remove_and_add_per_story(analysed_store):
    from aiwire.nlp.techniques import technique_names

    tagged = analysed_store.rows("SELECT story_id, technique_id FROM story_techniques "
                                 "ORDER BY story_id, technique_id")[0]
    story, removed = tagged["story_id"], tagged["technique_id"]
    have = {r["technique_id"] for r in analysed_store.rows(
        "SELECT technique_id FROM story_techniques WHERE story_id = ?", (story,))}
    added = sorted(set(technique_names()) - have)[0]
    text = f"techniques:\n  - story: {story}\n    remove: [{removed}]\n    add: [{added}]\n"
    report = _apply(analysed_store, text)
    assert report.techniques == 2
    techniques = {t["id"]: t for t in _story(_doc(analysed_store), story)["techniques"]}
    assert removed not in techniques and added in techniques
    assert techniques[added]["name"] == technique_names()[added]
    assert techniques[added]["evidence"] == "added by the editors"
    snapshot = db_content(analysed_store.path)
    _apply(analysed_store, text)
    assert db_content(analysed_store.path) == snapshot
    # analysis re-derives a story's techniques (as here); the next build corrects them
    analysed_store.conn.execute("INSERT INTO story_techniques (story_id, technique_id, name, "
                                "evidence, url) VALUES (?, ?, 'n', 'e', 'https://x.example/')",
                                (story, removed))
    enforce(analysed_store)
    techniques = {t["id"] for t in _story(_doc(analysed_store), story)["techniques"]}
    assert removed not in techniques and added in techniques
    # the lines gone from the file: the story's own techniques again
    _apply(analysed_store, "")
    techniques = {t["id"] for t in _story(_doc(analysed_store), story)["techniques"]}
    assert removed in techniques and added not in techniques


def test_merge_keeps_the_target_title(analysed_store):
    stories = _stories(analysed_store)
    # the smaller story is the target: the clusterer's central report would come from
    # the bigger one merged into it
    target, absorbed = stories[-1]["id"], stories[0]["id"]
    title = analysed_store.scalar("SELECT title FROM stories WHERE id = ?", (target,))
    absorbed_title = analysed_store.scalar("SELECT title FROM stories WHERE id = ?", (absorbed,))
    assert title != absorbed_title
    _apply(analysed_store, f"merge:\n  - into: {target}\n    stories: [{absorbed}]\n")
    assert _story(_doc(analysed_store), target)["title"] == title
    from aiwire.nlp.stories import update_stories

    update_stories(analysed_store, force=True)      # analysis re-derives titles ...
    enforce(analysed_store)                          # ... the build puts it back
    assert _story(_doc(analysed_store), target)["title"] == title


def test_every_problem_is_reported_at_once(analysed_store):
    real = _stories(analysed_store)[0]["id"]
    typo = real[:-1] + ("0" if real[-1] != "0" else "1")
    entity = _two_entities(analysed_store)[0]
    text = (f"stories:\n  - id: {typo}\n    pin: true\n  - id: {real}\n    colour: red\n"
            f"entities:\n  - id: {entity}x\n    reject: true\n"
            f"techniques:\n  - story: {real}\n    add: [AML.T9999]\n")
    before = db_content(analysed_store.path)
    with pytest.raises(InputError) as caught:
        apply_curation(analysed_store, parse_curation_lenient(text))
    assert db_content(analysed_store.path) == before
    message = str(caught.value)
    assert f"curation.yaml:2: unknown story id {typo!r} (did you mean {real!r}?)" in message
    assert "curation.yaml:5: stories[1].colour" in message
    assert f"curation.yaml:7: unknown entity id '{entity}x' (did you mean {entity!r}?)" \
        in message
    assert "curation.yaml:11: unknown ATLAS technique 'AML.T9999'" in message
    assert "4 problems in curation.yaml" in message


def test_skip_bad_applies_the_good_entries_and_lists_the_bad(analysed_store):
    stories = _stories(analysed_store)
    text = (f"stories:\n  - id: no-such-story\n    pin: true\n  - id: {stories[0]['id']}\n"
            f"    note: Checked.\n")
    report = apply_curation(analysed_store, parse_curation_lenient(text), skip_bad=True)
    assert report.notes == 1 and report.pinned == 0
    assert len(report.skipped) == 1 and report.skipped[0].startswith(
        "curation.yaml:2: unknown story id 'no-such-story'")
    assert _story(_doc(analysed_store), stories[0]["id"])["editor_note"] == "Checked."


def test_unreadable_file_keeps_the_stored_intent(analysed_store):
    story = _stories(analysed_store)[0]["id"]
    _apply(analysed_store, f"stories:\n  - id: {story}\n    pin: true\n")
    report = apply_curation(analysed_store, parse_curation_lenient(
        f"stories:\n  - id: {story}\n   pin: true\n"), skip_bad=True)   # bad indentation
    assert report.pinned == 1 and "not valid YAML" in report.skipped[0]
    assert _story(_doc(analysed_store), story)["pinned"] is True




def test_a_second_check_replaces_the_reference_problems_of_the_first(analysed_store):
    """The run checks before collecting and again after analysis: what arrived in
    between (here: a merge that made the typo'd id a redirect) is no longer a problem."""
    from aiwire.curation import check_references

    real = _stories(analysed_store)[0]["id"]
    curation = parse_curation_lenient(f"stories:\n  - id: {real}-old\n    pin: true\n"
                                      f"  - id: {real}\n    colour: red\n")
    check_references(analysed_store, curation)
    assert [i.line for i in curation.issues] == [5, 2]      # syntax first, then references
    analysed_store.conn.execute("INSERT INTO story_redirects (old_id, new_id) VALUES (?, ?)",
                                (f"{real}-old", real))
    check_references(analysed_store, curation)
    assert [i.line for i in curation.issues] == [5]
    report = apply_curation(analysed_store, curation, skip_bad=True)
    assert report.pinned == 1 and len(report.skipped) == 1
