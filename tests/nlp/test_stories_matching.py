"""Story matching on invented reports: word forms, field-common names, look-alike
incidents with names of their own, and reports that arrive before their incident's story.
"""

from __future__ import annotations

import json

from aiwire.nlp.stories import (JOIN_THRESHOLD, MERGE_THRESHOLD, SIGNATURE_VERSION,
                                Signature, Similarity, _terms, fold, update_stories)


def test_word_forms_fold_to_the_common_base():
    assert fold("hackers") == "hacker"
    assert fold("hacked") == fold("hacking") == "hack"
    assert fold("breaches") == "breach"
    assert fold("tariffs") == "tariff"
    assert fold("technologies") == "technology"
    assert fold("vendor's") == "vendor"


def test_words_that_only_look_inflected_stay():
    # "news" and "series" are not plurals; "morning" is not a form of "morn".
    assert fold("news") == "news"
    assert fold("series") == "series"
    assert fold("morning") == "morning"
    assert fold("status") == "status"


def test_two_wordings_of_one_event_share_terms():
    one = _terms("Hackers breached the ticketing vendor's servers", "")
    other = _terms("A hacker breaches ticketing vendor servers", "")
    assert {"hacker", "breach", "ticket", "vendor", "server"} <= one.keys() & other.keys()


def _sig(ident: int, entities: dict[str, float], text: str,
         published: str = "2026-03-02T09:00:00+00:00") -> Signature:
    return Signature(ident, f"https://news.example/{ident}", published, entities=entities,
                     terms=_terms(text, ""))


def test_field_common_names_alone_do_not_make_one_incident():
    # Two short reports that share only a big vendor and its product (names the field
    # background marks as everywhere in AI-security news), nothing else.
    a = _sig(1, {"microsoft": 1.5, "microsoft-copilot": 1.9},
             "Microsoft Copilot leaked calendar entries of nurses")
    b = _sig(2, {"microsoft": 1.5, "microsoft-copilot": 1.9},
             "Microsoft Copilot drafted phishing mails for a fraud ring")
    assert Similarity().score(a, b) < JOIN_THRESHOLD
    names_only = [_sig(i, {"microsoft": 1.5, "microsoft-copilot": 1.9}, "") for i in (3, 4)]
    assert Similarity().score(*names_only) < JOIN_THRESHOLD / 2


def test_a_story_and_a_report_with_rare_names_of_their_own_are_two_incidents():
    text = "Researchers hid instructions in shared spreadsheets to hijack Orbitsoft Helper"
    story = [_sig(1, {"orbitsoft-helper": 1.9, "quillfeather-labs": 4.5}, text),
             _sig(2, {"orbitsoft-helper": 1.9, "quillfeather-labs": 4.5}, text)]
    look_alike = _sig(3, {"orbitsoft-helper": 1.9, "marrowgate-security": 4.5}, text)
    follow_up = _sig(4, {"orbitsoft-helper": 1.9, "quillfeather-labs": 4.5,
                         "marrowgate-security": 4.5}, text)
    similarity = Similarity()
    apart = similarity.story_score(look_alike, story)
    together = similarity.story_score(follow_up, story)
    assert apart < 0.7 * together


def test_a_single_report_is_joined_only_on_a_surer_match():
    text = "Tollway operator says a chatbot exposed licence plates of drivers"
    first = _sig(1, {"tollbridge-authority": 4.0}, text)
    second = _sig(2, {"tollbridge-authority": 4.0}, text)
    similarity = Similarity()
    pair = similarity.score(second, first)
    assert similarity.story_score(second, [first]) < pair


def _add_article(store, ident: int, published: str, title: str, signature: Signature) -> None:
    digest = f"h{ident}"
    store.conn.execute(
        "INSERT INTO articles (id, url, original_url, source, title, published, fetched_at, "
        "clean_text, content_hash, relevant, analyzed_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
        "?, 1, ?)", (ident, signature.url, signature.url, f"Outlet {ident}", title, published,
                     published, title, digest, digest))
    data = json.loads(signature.to_json())
    data["digest"] = f"{digest}/{SIGNATURE_VERSION}"
    store.conn.execute("INSERT INTO article_signatures (article_id, published, signature) "
                       "VALUES (?, ?, ?)", (ident, published, json.dumps(data)))


def test_a_report_that_came_first_joins_its_incident_when_the_story_grows(store):
    """Report 2 (the insurer's angle) shares too little with report 1 to join it, and
    report 3 does not bridge the two at merge strength; but once report 3 has joined
    report 1, report 2 fits that grown story as well as any newcomer would."""
    one = _sig(1, {"kestrel-freight": 4.0}, "Kestrel Freight chatbot spilled pharmacy parcel "
               "manifests to strangers, couriers say", "2026-03-02T09:00:00+00:00")
    two = _sig(2, {"dunmore-insurance": 4.0}, "Dunmore Insurance warns brokers: an "
               "underwriting review follows the chatbot incident at a freight client",
               "2026-03-03T09:00:00+00:00")
    three = _sig(3, {"kestrel-freight": 4.0, "dunmore-insurance": 4.0},
                 "Kestrel Freight chatbot spilled pharmacy parcel manifests to strangers; its "
                 "insurer Dunmore Insurance is reviewing the policy", "2026-03-04T09:00:00+00:00")
    similarity = Similarity()
    assert similarity.story_score(two, [one]) < JOIN_THRESHOLD           # apart at first
    assert similarity.story_score(three, [two]) < MERGE_THRESHOLD        # no bridge
    assert similarity.story_score(three, [one]) >= JOIN_THRESHOLD
    assert similarity.story_score(two, [three, one]) >= JOIN_THRESHOLD   # fits the grown one
    with store.transaction():
        for sig in (one, two, three):
            _add_article(store, sig.id, sig.published, sig.url, sig)
    update_stories(store)
    stories = {r["story_id"] for r in store.rows("SELECT story_id FROM story_articles")}
    assert len(stories) == 1
    assert store.scalar("SELECT count(*) FROM story_articles") == 3
    # the absorbed story's id redirects to the incident's story
    assert store.scalar("SELECT count(*) FROM story_redirects WHERE new_id = ?",
                        (stories.pop(),)) == 1


def test_two_accusers_make_two_accusations():
    """Two labs each accusing rivals of distilling their models, days apart, in much the
    same words: each report's accuser is its own, so they are two incidents. Reports
    that name the same accuser stay one."""
    text = ("Lab accuses Chinese rivals of distilling its models through thousands of fake "
            "accounts created to harvest answers")
    names = {"quorvane": 3.0, "tallis-ai": 3.5, "pemberly": 3.5}
    first = _sig(1, names, text)
    first.accusers = ["quorvane"]
    same = _sig(2, names, text)
    same.accusers = ["quorvane"]
    other = _sig(3, names, text)
    other.accusers = ["pemberly"]
    similarity = Similarity()
    assert similarity.score(first, same) > similarity.score(first, other) / 0.7
    silent = _sig(4, names, text)          # a report that names no accuser is not judged
    assert similarity.score(first, silent) == similarity.score(first, same)


def test_a_rare_name_the_tagger_missed_still_counts_as_shared():
    """One report's tagger read the firm's name as a common noun: the word is still among
    its key terms, so the two reports still share the name. A common name (a big vendor)
    or a word the other report never uses gives no such credit."""
    text = "Engineering firm Velmorth lost millions after a deepfake video call with staff"
    tagged = _sig(1, {"velmorth": 4.5, "hong-kong": 1.5}, text)
    missed = _sig(2, {"hong-kong": 1.5}, text)
    assert "velmorth" in missed.terms
    similarity = Similarity()
    credited = similarity.score(tagged, missed)
    untagged = _sig(3, {"hong-kong": 1.5}, text)
    assert similarity.score(untagged, missed) < credited
    assert similarity.score(missed, tagged) == credited          # symmetric
    absent = _sig(4, {"hong-kong": 1.5},
                  "Engineering firm lost millions after a deepfake video call with staff")
    assert similarity.score(tagged, absent) < credited


def test_a_story_keeps_its_title_while_its_report_stays_nearly_as_central(store):
    """Readers have seen the title: a report as central as the one it came from does not
    retitle the story; when no report of the story carries it any more, the most central
    one's title is taken. Without ``keep_titles`` (a story made this run) the most
    central report's title is taken as before."""
    from aiwire.nlp.stories import refresh_story_metadata

    text = "Hackers stole customer records from the Velmora ticketing system in March"
    for ident, title in ((1, "Velmora confirms ticketing breach"),
                         (2, "Hackers hit Velmora ticketing"),
                         (3, "Velmora breach: what we know")):
        _add_article(store, ident, f"2026-03-0{ident}T09:00:00+00:00", title,
                     _sig(ident, {"velmora": 4.0}, text))
    store.conn.execute("INSERT INTO stories (id, title) VALUES ('s', 'Hackers hit Velmora "
                       "ticketing')")
    store.conn.executemany("INSERT INTO story_articles (story_id, article_id) VALUES ('s', ?)",
                           [(1,), (2,), (3,)])
    refresh_story_metadata(store, story_ids=["s"])
    chosen = store.scalar("SELECT title FROM stories WHERE id = 's'")
    assert chosen == "Velmora confirms ticketing breach"      # equals: the earliest
    store.conn.execute("UPDATE stories SET title = 'Hackers hit Velmora ticketing'")
    refresh_story_metadata(store, story_ids=["s"], keep_titles={"s"})
    assert store.scalar("SELECT title FROM stories WHERE id = 's'") == \
        "Hackers hit Velmora ticketing"                         # nearly as central: kept
    store.conn.execute("UPDATE stories SET title = 'A headline no report carries now'")
    refresh_story_metadata(store, story_ids=["s"], keep_titles={"s"})
    assert store.scalar("SELECT title FROM stories WHERE id = 's'") == chosen


def test_a_bridging_report_keeps_the_older_story_and_its_address(store):
    """Report 3 fits the newer story best and bridges the older one at merge strength:
    the two fold, and the story whose first report came first keeps its id (its pages'
    addresses stay put; the newer id becomes a redirect)."""
    older = _sig(1, {"fenwick-grain": 4.0}, "Fenwick Grain chatbot leaked harvest contracts "
                 "of farmers", "2026-03-02T09:00:00+00:00")
    newer = _sig(2, {"corvel-audit": 4.0}, "Corvel Audit warns lenders after an auditing "
                 "assistant misread loan ledgers", "2026-03-03T09:00:00+00:00")
    bridge = _sig(3, {"fenwick-grain": 4.0, "corvel-audit": 4.0},
                  "Corvel Audit warns lenders after an auditing assistant misread loan "
                  "ledgers; Fenwick Grain chatbot leaked harvest contracts of farmers",
                  "2026-03-04T09:00:00+00:00")
    similarity = Similarity()
    assert similarity.story_score(newer, [older]) < JOIN_THRESHOLD
    assert similarity.story_score(bridge, [newer]) > similarity.story_score(bridge, [older])
    assert similarity.story_score(bridge, [older]) >= MERGE_THRESHOLD
    with store.transaction():
        for sig in (older, newer):
            _add_article(store, sig.id, sig.published, sig.url, sig)
    update_stories(store)
    story_of = {r["article_id"]: r["story_id"] for r in store.rows(
        "SELECT article_id, story_id FROM story_articles")}
    assert story_of[1] != story_of[2]
    with store.transaction():
        _add_article(store, bridge.id, bridge.published, bridge.url, bridge)
    update_stories(store)
    assert {r["story_id"] for r in store.rows("SELECT story_id FROM story_articles")} == \
        {story_of[1]}
    assert store.scalar("SELECT new_id FROM story_redirects WHERE old_id = ?",
                        (story_of[2],)) == story_of[1]
