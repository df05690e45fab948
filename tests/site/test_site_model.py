"""Weeks, ranking and the indexes pages are built from, on small hand-made exports."""

from __future__ import annotations

from aiwire.site.model import build_site_model, iso_week, parse_time, score, story_view


def article(source, published, url=None, feed=None):
    return {"url": url or f"https://{source.lower()}.example/{published}", "feed": feed or
            source.lower(), "source": source, "title": f"{source} report", "published":
            published, "author": None}


def story(sid, articles, *, contradictions=(), figures=(), claims=(), entities=()):
    times = sorted(a["published"] for a in articles)
    return {"id": sid, "title": sid.title(), "first_seen": times[0], "last_seen": times[-1],
            "first_outlet": articles[0]["source"], "summary": [], "articles": list(articles),
            "entities": list(entities), "figures": list(figures), "claims": list(claims),
            "contradictions": list(contradictions), "techniques": []}


def document(*stories, generated_at="2026-11-20T12:00:00Z"):
    return {"schema": "aiwire.export/1", "generated_at": generated_at, "redirects": {},
            "stories": list(stories)}


def test_iso_week_and_parse():
    assert iso_week(parse_time("2026-11-16T00:00:00Z")) == "2026-W47"
    assert iso_week(parse_time("2026-11-15T23:59:59Z")) == "2026-W46"
    assert iso_week(parse_time("2027-01-01T10:00:00Z")) == "2026-W53"
    assert parse_time("not a date") is None and parse_time(None) is None


def test_more_outlets_rank_first_then_disagreement_then_recency():
    wide = story("wide", [article("A", "2026-11-16T09:00:00Z"),
                          article("B", "2026-11-16T10:00:00Z")])
    fresh = story("fresh", [article("C", "2026-11-20T09:00:00Z")])
    stale = story("stale", [article("D", "2026-11-16T08:00:00Z")])
    side = {"value": 1, "quote": "q", "url": "https://d.example/x", "source": "D"}
    disputed = story("disputed", [article("E", "2026-11-16T08:00:00Z")], contradictions=[
        {"id": "c", "kind": "figure", "topic": "money", "subject": None, "severity": "high",
         "sides": [side, dict(side, value=2)]}])
    site = build_site_model(document(stale, fresh, disputed, wide))
    assert site.current_week == "2026-W47"
    assert site.weeks["2026-W47"] == ["wide", "disputed", "fresh", "stale"]
    scores = [site.stories[s]["scores"]["2026-W47"] for s in site.weeks["2026-W47"]]
    assert scores == sorted(scores, reverse=True)


def test_a_story_spanning_two_weeks_is_in_both_digests():
    s = story("long", [article("A", "2026-11-13T09:00:00Z"), article("B", "2026-11-17T09:00:00Z")])
    site = build_site_model(document(s))
    assert site.stories["long"]["weeks"] == ["2026-W46", "2026-W47"]
    assert list(site.weeks) == ["2026-W47", "2026-W46"]  # newest first


def test_recency_bonus_falls_over_the_week():
    s = story_view(story("s", [article("A", "2026-11-20T12:00:00Z")]))
    now = parse_time("2026-11-20T12:00:00Z")
    later = parse_time("2026-11-23T12:00:00Z")
    assert score(s, "2026-W47", now) == 3.0
    assert 2.0 < score(s, "2026-W47", later) < 3.0


def test_figure_table_puts_each_outlet_in_its_own_column():
    a, b = article("A", "2026-11-16T09:00:00Z"), article("B", "2026-11-17T09:00:00Z")
    fig = {"kind": "account_count", "unit": "account", "subject": "anthropic", "quote": "q",
           "qualifier": None}
    s = story("s", [a, b], entities=[{"id": "anthropic", "name": "Anthropic", "type": "ORG",
                                      "mentions": 2}],
              figures=[dict(fig, value=24000, text="24,000 accounts", url=a["url"], source="A"),
                       dict(fig, value=25000, text="25,000 accounts", url=b["url"], source="B")],
              contradictions=[{"id": "c", "kind": "figure", "topic": "account_count",
                               "subject": "anthropic", "severity": "high", "sides": [
                                   {"value": 24000.0, "url": a["url"], "source": "A"},
                                   {"value": 25000.0, "url": b["url"], "source": "B"}]}])
    view = story_view(s)
    assert view["outlets"] == ["A", "B"]
    [row] = view["figure_table"]
    assert row["disputed"] and row["subject_name"] == "Anthropic"
    assert [[c["text"] for c in cell["values"]] for cell in row["cells"]] == [
        ["24,000 accounts"], ["25,000 accounts"]]
    assert [c["outlet"] for c in row["cells"]] == ["A", "B"]
    assert [f["text"] for f in view["key_figures"]] == ["24,000 accounts", "25,000 accounts"]


def test_claims_grouped_by_speaker_then_stance():
    a = article("A", "2026-11-16T09:00:00Z")
    claims = [{"speaker": None, "stance": "reports", "quote": "x", "url": a["url"]},
              {"speaker": "alibaba", "stance": "no_statement", "quote": "y", "url": a["url"]},
              {"speaker": "alibaba", "stance": "denies", "quote": "z", "url": a["url"]},
              {"speaker": "anthropic", "stance": "alleges", "quote": "w", "url": a["url"]}]
    ents = [{"id": "alibaba", "name": "Alibaba Group", "type": "ORG", "mentions": 1},
            {"id": "anthropic", "name": "Anthropic", "type": "ORG", "mentions": 1}]
    groups = story_view(story("s", [a], claims=claims, entities=ents))["claim_groups"]
    assert [g["name"] for g in groups] == ["Alibaba Group", "Anthropic", "Unattributed"]
    assert [st["stance"] for st in groups[0]["stances"]] == ["denies", "no_statement"]
    assert groups[0]["stances"][1]["label"] == "made no statement"


def test_outlet_disagreement_counts_and_entity_index():
    a, b = article("A", "2026-11-16T09:00:00Z"), article("B", "2026-11-17T09:00:00Z")
    c = article("C", "2026-11-17T10:00:00Z")
    sides = [{"value": "denies", "quote": "no", "url": a["url"], "source": "A"},
             {"value": "no_statement", "quote": "silent", "url": b["url"], "source": "B"}]
    ents = [{"id": "alibaba", "name": "Alibaba", "type": "ORG", "mentions": 3}]
    one = story("one", [a, b, c], entities=ents, contradictions=[
        {"id": "c1", "kind": "response", "topic": "response", "subject": "alibaba",
         "severity": "high", "sides": sides}],
        claims=[{"speaker": "alibaba", "stance": "denies", "quote": "no", "url": a["url"],
                 "source": "A"}])
    two = story("two", [article("A", "2026-11-18T09:00:00Z")], entities=ents)
    site = build_site_model(document(one, two))
    assert site.outlets["a"]["disputed_stories"] == ["one"] and site.outlets["a"]["shared"] == ["one"]
    assert site.outlets["c"]["disagreements"] == [] and site.outlets["c"]["shared"] == ["one"]
    assert len(site.outlets["a"]["articles"]) == 2
    entity = site.entities["alibaba"]
    assert entity["stories"] == ["one", "two"] and entity["mentions"] == 6
    assert [c["quote"] for c in entity["claims"]] == ["no"]
    assert entity["claims"][0]["published"] == a["published"]


def test_hostile_urls_never_become_hrefs():
    a = article("A", "2026-11-16T09:00:00Z", url="javascript:alert(1)")
    view = story_view(story("s", [a]))
    assert view["timeline"][0]["href"] is None and view["timeline"][0]["url"] == a["url"]


def test_disputed_marks_only_values_that_are_a_side_of_a_flag():
    a, b = article("A", "2026-11-16T09:00:00Z"), article("B", "2026-11-17T09:00:00Z")
    base = {"kind": "count", "subject": "medsage", "quote": "q", "qualifier": None}
    figures = [dict(base, unit="record", value=1.2e6, text="1.2 million records", url=a["url"],
                    source="A"),
               dict(base, unit="record", value=1.4e6, text="1.4 million records", url=b["url"],
                    source="B"),
               # same kind and subject, another noun: no flag covers it
               dict(base, unit="employee", value=340, text="340 employees", url=a["url"],
                    source="A")]
    flag = {"id": "c", "kind": "figure", "topic": "count", "subject": "medsage",
            "severity": "hard", "sides": [{"value": 1.2e6, "url": a["url"], "source": "A"},
                                          {"value": 1.4e6, "url": b["url"], "source": "B"}]}
    view = story_view(story("s", [a, b], figures=figures, contradictions=[flag]))
    rows = {r["label"]: r for r in view["figure_table"]}
    assert rows["records"]["disputed"] and not rows["employees"]["disputed"]
    assert [r["label"] for r in view["figure_table"]] == ["records", "employees"]
    assert {f["text"]: f["disputed"] for f in view["key_figures"]} == {
        "1.2 million records": True, "1.4 million records": True, "340 employees": False}
    assert view["contradictions"][0]["heading"] == "How many records"


def test_repeated_claims_show_once_with_every_outlet():
    a, b = article("A", "2026-11-16T09:00:00Z"), article("B", "2026-11-17T09:00:00Z")
    said = "The company has denied the accusation."
    claims = [{"speaker": "x", "stance": "denies", "quote": said, "url": a["url"], "source": "A"},
              {"speaker": "x", "stance": "denies", "quote": said + ' "', "url": b["url"],
               "source": "B"},
              {"speaker": "x", "stance": "denies", "quote": said, "url": a["url"], "source": "A"}]
    groups = story_view(story("s", [a, b], claims=claims))["claim_groups"]
    [entry] = groups[0]["stances"][0]["claims"]
    assert entry["quote"] == said and [s["name"] for s in entry["sources"]] == ["A", "B"]


def test_pages_clean_headlines_but_the_export_keeps_them():
    a = dict(article("A", "2026-11-16T09:00:00Z"), title="🚨 BREAKING: Lab leaks weights")
    s = dict(story("s", [a]), title="⚠️ Lab leaks weights",
             summary=[{"sentence": "Tech · AI Lab leaks weights The lab said on Monday that "
                                   "its weights were copied.", "url": a["url"], "source": "A"}])
    view = story_view(s)
    assert view["title"] == "Lab leaks weights" and s["title"] == "⚠️ Lab leaks weights"
    assert view["timeline"][0]["title"] == "Lab leaks weights"
    assert view["lead"] == "The lab said on Monday that its weights were copied."
    assert view["summary"][0]["headline"] == "Lab leaks weights"


def test_a_follow_up_shows_its_incident_as_updated_that_week():
    site = build_site_model(document(
        story("s1", [article("A", "2026-11-03T10:00:00Z"), article("B", "2026-11-24T09:00:00Z")]),
        story("s2", [article("C", "2026-11-25T09:00:00Z")])))
    first_week = {c["id"]: c for c in site.ranked_cards(iso_week(parse_time("2026-11-03T10:00:00Z")))}
    later_week = {c["id"]: c for c in site.ranked_cards(iso_week(parse_time("2026-11-24T09:00:00Z")))}
    assert first_week["s1"]["updated"] is False
    assert later_week["s1"]["updated"] is True and later_week["s2"]["updated"] is False
