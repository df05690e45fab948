"""`aiwire eval --corpus`: a labelled corpus through the real pipeline, scored per gold.

The fixture (tests/fixtures/corpus-same-week, invented pages) is the same-week stress
case: two incidents of one actor in one week, a third with a scope disagreement, a
distractor and an off-topic page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from aiwire.cli import main
from aiwire.corpus import article_html, load_corpus, parse_article, same_week
from aiwire.corpus_eval import evaluate_corpus, id_matches, value_matches
from aiwire.errors import InputError

FIXTURE = Path(__file__).parent / "fixtures" / "corpus-same-week"


@pytest.fixture(scope="module", params=[False, True], ids=["dated", "same-week"])
def result(request):
    return evaluate_corpus(FIXTURE, one_week=request.param)


@pytest.mark.slow
def test_look_alike_incidents_stay_apart(result):
    clustering = result.scores["clustering"]
    assert clustering.tp >= 5 and clustering.fp == 0, clustering.false_positives


@pytest.mark.slow
def test_flags_found_and_none_across_incidents(result):
    flags = result.scores["contradictions"]
    assert result.cross_incident_flags == 0
    assert flags.fp == 0, flags.false_positives
    assert flags.tp >= 2          # Korvin's response; whether the injection was exploited
    missed = {(event, kind) for event, kind, *_ in flags.false_negatives}
    assert ("vexa-korvin-distillation", "response") not in missed
    assert ("quorra-mail-injection", "scope|claim") not in missed


@pytest.mark.slow
def test_off_topic_page_is_kept_out(result):
    relevance = result.scores["relevance"]
    assert relevance.fp == 0 and relevance.tp >= 5
    # the ban report that never says what Orla is comes in on the second look
    assert relevance.fn == 0, relevance.false_negatives


def test_cli_json_and_usage(tmp_path):
    runner = CliRunner()
    bad = runner.invoke(main, ["eval", "--same-week"])
    assert bad.exit_code == 2 and "--corpus" in bad.output
    out = runner.invoke(main, ["eval", "--corpus", str(tmp_path)])
    assert out.exit_code == 2 and "gold.yaml" in out.output


def test_article_files_are_checked(tmp_path):
    path = tmp_path / "some-event__outlet.txt"
    path.write_text("url: https://x.example/a\noutlet: X\nwhen: 2026-01-01\ntitle: T\n\nBody.\n")
    with pytest.raises(InputError) as error:
        parse_article(path)
    assert f"{path}:3" in str(error.value)
    path.write_text("url: https://x.example/a\noutlet: X\ndate: 2026-01-01\ntitle: T\n\n"
                    "Body line.\n- a list item\n- another <b>item</b>\n")
    page = article_html(parse_article(path))
    assert "<ul><li>a list item</li><li>another &lt;b&gt;item&lt;/b&gt;</li></ul>" in page


def test_same_week_keeps_everything_but_the_day():
    articles, gold = load_corpus(FIXTURE)
    moved = same_week(articles)
    assert {a.key for a in moved} == {a.key for a in articles}
    days = {a.published for a in moved}
    assert len({d.isocalendar()[:2] for d in days}) == 1
    assert set(gold["articles"]) == {a.key for a in articles}


def test_gold_matching_rules():
    assert id_matches("korvin-labs|vexa", "vexa")
    assert id_matches("re:elmwood", "elmwood-credit-union")
    assert id_matches("null", None) and not id_matches("vexa", None)
    assert value_matches({"kind": "data_volume", "value": 1.1, "unit": "TiB"},
                         "data_volume", 1.2, "TB")          # TiB written as TB
    assert value_matches({"kind": "count|user_count", "value": 18000}, "user_count", 18000,
                         None)
    assert not value_matches({"kind": "money", "value": 25.6e6}, "money", 25e6, "USD")


@pytest.mark.slow
def test_floors_gate(result, tmp_path):
    from aiwire.corpus_eval import check_floors

    floors = tmp_path / "floors.yaml"
    floors.write_text("dated:\n  clustering: {precision: 1.0}\n  relevance: {recall: 1.0}\n"
                      "  junk_rate_max: 0.5\nsame_week:\n  clustering: {precision: 1.0}\n")
    failures = check_floors(result, floors, one_week=False)
    assert failures == ([] if result.scores["relevance"].recall == 1.0 else
                        [f"relevance recall {result.scores['relevance'].recall:.3f} < 1.0"])
    floors.write_text("dated:\n  clustring: {precision: 1.0}\n")
    with pytest.raises(InputError, match="unknown metric 'clustring'"):
        check_floors(result, floors)


@pytest.mark.slow
def test_a_follow_up_weeks_later_joins_its_incident(tmp_path):
    import shutil

    copy = tmp_path / "corpus"
    shutil.copytree(FIXTURE, copy)
    late = copy / "articles" / "vexa-korvin-distillation__ledgerpoint.txt"
    late.write_text(late.read_text("utf-8").replace("date: 2026-11-19", "date: 2026-12-10"),
                    "utf-8")
    result = evaluate_corpus(copy)
    together = ("vexa-korvin-distillation__ledgerpoint.txt",
                "vexa-korvin-distillation__northwire.txt")
    assert together not in result.scores["clustering"].false_negatives
    assert result.scores["clustering"].fp == 0


FRESH = Path(__file__).parent / "fixtures" / "corpus-fresh-wording"


@pytest.mark.slow
def test_disagreements_in_fresh_wording_are_all_flagged_and_nothing_else():
    """Dates of a sent memo and of going public, a release told by maker and by model,
    lengths of time, and scope (count vs bound, count vs denial, a list of data kinds vs
    a denial of one), each worded unlike the sentences the rules were written from
    (tests/fixtures/corpus-fresh-wording/README.md); rounding, agreeing dates and
    statements that can both hold give no flag."""
    result = evaluate_corpus(FRESH)
    flags = result.scores["contradictions"]
    assert result.cross_incident_flags == 0
    assert flags.fp == 0, flags.false_positives
    assert flags.fn == 0 and flags.tp == 13, flags.false_negatives
