"""One incident told in different ways stays one story; look-alikes stay apart.

Invented reports only: an attack told by its way in (an injected prompt) or by its outcome
(a break-in), a look back at a past incident years later, and an incident whose first
reports start two stories that each fit the other.
"""

from __future__ import annotations

from aiwire.nlp.stories import (JOIN_THRESHOLD, MERGE_THRESHOLD, Similarity, _fits,
                                update_stories)

from test_stories_matching import _add_article, _sig

DAY = "2026-03-0{}T09:00:00+00:00"


def test_an_injected_prompt_and_the_break_in_it_caused_can_be_one_event():
    """One lead says hidden instructions were injected, another that an assistant was
    hijacked: the way in and the outcome of one attack are no mismatch of kinds. Fraud and
    model theft still are."""
    text = "Researchers took over the Fennick Desk assistant with a booby-trapped invite"
    way_in = _sig(1, {"fennick-desk": 3.5}, text)
    way_in.kinds = {"prompt injection"}
    outcome = _sig(2, {"fennick-desk": 3.5}, text)
    outcome.kinds = {"breach"}
    same_kind = _sig(3, {"fennick-desk": 3.5}, text)
    same_kind.kinds = {"prompt injection"}
    similarity = Similarity()
    assert similarity.score(way_in, outcome) == similarity.score(way_in, same_kind)
    fraud = _sig(4, {"fennick-desk": 3.5}, text)
    fraud.kinds = {"fraud"}
    theft = _sig(5, {"fennick-desk": 3.5}, text)
    theft.kinds = {"model theft"}
    assert similarity.score(fraud, theft) < 0.75 * similarity.score(way_in, same_kind)


def test_a_look_back_years_later_is_not_softened_by_the_publication_gap():
    """A 2026 explainer on a 2023 break-in, set against the 2024 report that broke it:
    both name 2023, so their publication dates two years apart say nothing. A report two
    years on that names no shared past year is softened as before, and so is one that
    shares only its own publication year with the other (a look-alike later that year)."""
    text = "Intruder read the Pellow Robotics staff forum where engineers discussed designs"
    names = {"pellow-robotics": 4.0}
    first = _sig(1, names, text, "2024-07-05T09:00:00+00:00")
    first.mentioned_years = {2023, 2024}
    same_day = _sig(2, names, text, "2024-07-05T09:00:00+00:00")
    same_day.mentioned_years = {2023}
    look_back = _sig(3, names, text, "2026-05-15T09:00:00+00:00")
    look_back.mentioned_years = {2023}
    undated = _sig(4, names, text, "2026-05-15T09:00:00+00:00")
    similarity = Similarity()
    full = similarity.score(first, same_day)
    assert similarity.score(first, look_back) == full
    assert similarity.score(first, undated) < 0.5 * full
    spring = _sig(5, names, text, "2025-03-01T09:00:00+00:00")
    spring.mentioned_years = {2025}
    autumn = _sig(6, names, text, "2025-10-01T09:00:00+00:00")
    autumn.mentioned_years = {2025}
    assert similarity.score(spring, autumn) < full


def _halves():
    """Two reports in one wording, then two in another: the third report fits the first
    two too little to join them, the fourth joins the third (its closer half)."""
    def sig(ident: int, day: int, text: str):
        return _sig(ident, {"brindle-home": 3.5}, text, DAY.format(day))
    a1 = sig(1, 2, "Researchers hijacked Brindle Home smart thermostats through a poisoned "
             "calendar invite read aloud by the assistant")
    a2 = sig(2, 2, "Smart home takeover: a poisoned calendar invite let researchers hijack "
             "Brindle Home thermostats and switch off the boiler")
    b1 = sig(3, 3, "Smart home takeover: hidden instructions in a meeting invitation made "
             "the assistant switch off the boiler")
    b2 = sig(4, 3, "Hidden instructions in a meeting invitation made the Brindle Home "
             "assistant unlock shutters and switch off the boiler, researchers said")
    return a1, a2, b1, b2


def _place(store, signatures) -> dict[int, str]:
    with store.transaction():
        for sig in signatures:
            _add_article(store, sig.id, sig.published, f"Report {sig.id}", sig)
    update_stories(store)
    return {r["article_id"]: r["story_id"] for r in
            store.rows("SELECT article_id, story_id FROM story_articles")}


def test_two_halves_of_one_incident_merge_when_each_fits_the_other(store):
    a1, a2, b1, b2 = _halves()
    similarity = Similarity()
    # Arrival alone leaves two stories: report 3 is too far from the first two, report 4
    # fits its own half better, and not at bridging strength.
    assert similarity.story_score(b1, [a1, a2]) < JOIN_THRESHOLD
    assert similarity.story_score(b2, [b1]) > similarity.story_score(b2, [a1, a2])
    assert similarity.story_score(b2, [a1, a2]) < MERGE_THRESHOLD
    # Yet a report of each half would join the other half as a newcomer.
    assert _fits(similarity, [b1, b2], [a1, a2]) and _fits(similarity, [a1, a2], [b1, b2])
    story_of = _place(store, (a1, a2, b1, b2))
    assert len(set(story_of.values())) == 1
    # The first half's story keeps its id; the second's redirects to it.
    first = story_of[1]
    assert store.scalar("SELECT new_id FROM story_redirects") == first
    assert store.scalar("SELECT count(*) FROM stories") == 1


def test_halves_with_rare_names_of_their_own_stay_two_incidents(store):
    """Two teams' findings in one product: each half has its own researchers, named by two
    of its reports and never by the other half. The reports that name no team fit either
    half, yet the halves stay two incidents however alike their wording."""
    a1, a2, b1, b2 = _halves()
    a1.entities["harlow-labs"] = 4.5
    b1.entities["vantis-security"] = 4.5
    a3 = _sig(5, dict(a1.entities), "Researchers hijacked Brindle Home smart thermostats "
              "through a poisoned calendar invite read aloud by the assistant", DAY.format(2))
    b3 = _sig(6, dict(b1.entities), "Smart home takeover: hidden instructions in a meeting "
              "invitation made the assistant switch off the boiler", DAY.format(3))
    similarity = Similarity()
    assert _fits(similarity, [a1, a2, a3], [b1, b2, b3])      # the unnamed reports fit
    assert _fits(similarity, [b1, b2, b3], [a1, a2, a3])
    story_of = _place(store, (a1, a2, a3, b1, b2, b3))
    assert story_of[1] == story_of[2] == story_of[5]
    assert story_of[3] == story_of[4] == story_of[6]
    assert story_of[1] != story_of[3]


def test_reports_months_apart_in_one_year_are_softened_unless_weeks_apart():
    """News ages fast: two reports of a leaked key at the same lab, ten weeks apart and
    neither looking back at a past year, are most likely two leaks; three weeks apart
    they compare at full strength (a follow-up)."""
    text = "A developer pushed a live Corvane API key to a public repository for weeks"
    names = {"corvane": 4.0}
    may = _sig(1, names, text, "2025-05-02T09:00:00+00:00")
    may.mentioned_years = {2025}
    follow_up = _sig(2, names, text, "2025-05-23T09:00:00+00:00")
    follow_up.mentioned_years = {2025}
    july = _sig(3, names, text, "2025-07-16T09:00:00+00:00")
    july.mentioned_years = {2025}
    same_day = _sig(4, names, text, "2025-05-02T09:00:00+00:00")
    similarity = Similarity()
    full = similarity.score(may, same_day)
    assert similarity.score(may, follow_up) == full
    assert similarity.score(may, july) <= 0.6 * full


def _ban_reports(look_alike_names: dict[str, float]):
    """A lab's ban of a surveillance network, told by three reports that name the network,
    and a second report, arriving while the story had one report, about another ban."""
    day = "2026-04-0{}T09:00:00+00:00"
    network = {"tessaly": 2.5, "kestrel-watch": 4.5}
    first = _sig(1, dict(network), "Tessaly banned accounts that used its chatbot to draft "
                 "surveillance reports on protesters for the Kestrel Watch network", day.format(1))
    other = _sig(2, look_alike_names, "Tessaly banned accounts that used its chatbot to write "
                 "sales pitches for the Quillon Desk monitoring tool", day.format(2))
    second = _sig(3, dict(network), "Kestrel Watch operators used Tessaly's chatbot to "
                  "profile protesters before their accounts were banned", day.format(3))
    third = _sig(4, dict(network), "Tessaly shut down the Kestrel Watch accounts that drafted "
                 "surveillance reports on protesters", day.format(4))
    return first, other, second, third


def test_a_look_alike_that_joined_early_leaves_once_the_story_shows_its_actors(store):
    """The second report fitted the story while it held one report; once two more name the
    network it never names, while it names a product of its own, it no longer fits them
    and leaves: another ban by the same lab."""
    first, other, second, third = _ban_reports({"tessaly": 2.5, "quillon-desk": 4.5})
    similarity = Similarity()
    assert similarity.story_score(other, [first]) >= JOIN_THRESHOLD      # joined early
    assert similarity.story_score(other, [first, second, third]) < JOIN_THRESHOLD
    story_of = _place(store, (first, other, second, third))
    assert story_of[1] == story_of[3] == story_of[4]
    assert story_of[2] != story_of[1]
    assert store.scalar("SELECT count(*) FROM stories") == 2


def test_a_report_without_actors_of_its_own_stays_in_its_story(store):
    """The same early report naming only the lab says less, not something else: it stays."""
    first, other, second, third = _ban_reports({"tessaly": 2.5})
    story_of = _place(store, (first, other, second, third))
    assert len(set(story_of.values())) == 1


def test_outlets_cited_are_no_actors_of_an_incident():
    """"told Reuters" in two reports of a story and a rare lab name in a newcomer: the
    outlet is no actor the newcomer lacks, so no two-incidents discount."""
    text = "Researchers found the Ostrava Labs assistant leaked private prompts to strangers"
    story = [_sig(1, {"ostrava-labs": 4.0, "reuters": 3.5}, text),
             _sig(2, {"ostrava-labs": 4.0, "reuters": 3.5}, text)]
    newcomer = _sig(3, {"ostrava-labs": 4.0, "brannock-security": 4.5}, text)
    actor = [_sig(4, {"ostrava-labs": 4.0, "tolland-group": 4.5}, text),
             _sig(5, {"ostrava-labs": 4.0, "tolland-group": 4.5}, text)]
    from aiwire.nlp.stories import OWN_NAMES_FACTOR, _own_names_factor

    assert _own_names_factor(newcomer, story) == 1.0
    assert _own_names_factor(newcomer, actor) == OWN_NAMES_FACTOR


def test_no_report_leaves_a_story_an_editor_merged_into(store):
    """An editor merged another story into this one: what it holds is the editor's call."""
    from aiwire.nlp.stories import story_id_for

    first, other, second, third = _ban_reports({"tessaly": 2.5, "quillon-desk": 4.5})
    store.conn.execute("INSERT INTO curation_merges (absorb, into_id) VALUES (?, ?)",
                       ("an-older-story-1a2b3c", story_id_for("Report 1", first.url)))
    story_of = _place(store, (first, other, second, third))
    assert len(set(story_of.values())) == 1



def test_two_headlines_telling_different_kinds_of_event_weigh_more_than_leads():
    """A ban of an influence network and a distillation accusation by one lab: when both
    headlines say what happened, and it differs, they are surer two events than when only
    the leads differ (a lead may mention a past event in passing)."""
    text = "Vexlo said accounts tied to a rival used its Orrin model in ways it forbids"
    names = {"vexlo": 4.5, "orrin": 4.0}
    ban = _sig(1, names, text)
    theft = _sig(2, names, text)
    ban.kinds, theft.kinds = {"misuse"}, {"model theft"}
    similarity = Similarity()
    leads_only = similarity.score(ban, theft)
    ban.headline_kinds, theft.headline_kinds = {"misuse"}, {"model theft"}
    assert similarity.score(ban, theft) < 0.75 * leads_only
    theft.headline_kinds = {"misuse", "model theft"}          # one headline tells both
    assert similarity.score(ban, theft) == leads_only


def test_a_terse_member_is_read_with_what_its_story_says_happened():
    """A story of a distillation told by two reports plus a terse third that names no kind
    of incident: an account ban by the same lab fits the terse one on names alone, but
    is read against what the story's reports say happened, and does not get in through
    it. A report of the same kind still fits the terse member as before."""
    names = {"pellam-ai": 3.5, "quill-model": 3.5}
    text = "Pellam AI accounts answers Quill model lab rival fake"
    told = [_sig(1, names, text), _sig(2, names, text)]
    for sig in told:
        sig.kinds = sig.headline_kinds = {"model theft"}
    terse = _sig(3, names, text)
    ban = _sig(4, names, text)
    ban.kinds = ban.headline_kinds = {"misuse"}
    theft = _sig(5, names, text)
    theft.kinds = {"model theft"}
    similarity = Similarity()

    def kinds(members):      # what the story's reports say happened, as story_score reads it
        return (set().union(*(m.kinds for m in members)),
                set().union(*(m.headline_kinds for m in members)))

    members = told + [terse]
    assert similarity._in_story(ban, terse, *kinds(members)) < 0.5 * similarity.score(ban, terse)
    assert similarity._in_story(theft, terse, *kinds(members)) == similarity.score(theft, terse)
    assert similarity._in_story(ban, terse, *kinds([terse])) == similarity.score(ban, terse)


def test_a_terse_report_speaks_for_its_story_with_what_the_story_says_happened():
    """Two stories of one lab: a distillation (two reports that say so and a terse third
    that names no kind) and an account ban. On names alone the terse report would join
    the ban's story as a newcomer, so the halves would look like one incident from both
    sides. Read with its own story's kinds, the terse report no longer vouches for the
    merge; a terse report whose story says nothing more still does."""
    names = {"pellam-ai": 2.0, "quill-model": 2.0}
    theft = [_sig(i, names, "Pellam AI says a rival distilled its Quill model by querying "
                  "it through proxies") for i in (1, 2)]
    for sig in theft:
        sig.kinds = sig.headline_kinds = {"model theft"}
    terse = _sig(3, names, "Pellam AI says its Quill model was used")
    bans = [_sig(i, names, "Pellam AI banned accounts that used its Quill model to write "
                 "fake posts") for i in (4, 5)]
    for sig in bans:
        sig.kinds = sig.headline_kinds = {"misuse"}
    similarity = Similarity()
    assert similarity.story_score(terse, bans) >= JOIN_THRESHOLD     # on names alone
    assert all(similarity.story_score(t, bans) < JOIN_THRESHOLD for t in theft)
    assert not _fits(similarity, theft + [terse], bans)
    assert _fits(similarity, [terse], bans)            # no report of its story says more


def test_an_influence_network_is_told_as_misuse():
    from aiwire.nlp.stories import incident_kinds

    assert incident_kinds("Influence network used Orrin to write election posts") == {"misuse"}
    assert "misuse" in incident_kinds("Lab takes down three influence networks")
    assert "misuse" not in incident_kinds("A network of researchers studied influence")
