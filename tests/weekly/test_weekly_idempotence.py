"""A second `aiwire run` with nothing new: conditional requests, no NLP model, no change
to the database or to a byte of the reader site; fast. Also the run log and report."""

from __future__ import annotations

import json
import time

import pytest

from aiwire.runlog import read_log

from weeklykit import db_content, run, site_files, workdir

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def twice(tmp_path_factory, sample_server):
    folder = workdir(tmp_path_factory.mktemp("idem"), sample_server.base_url)
    first = run(folder)
    assert first.returncode == 0, first.stderr
    before_db = db_content(folder / "aiwire.db")
    before_site = site_files(folder / "public")
    mark = len(sample_server.log)
    started = time.monotonic()
    second = run(folder)
    seconds = time.monotonic() - started
    return {"folder": folder, "first": first, "second": second, "seconds": seconds,
            "before_db": before_db, "before_site": before_site,
            "requests": sample_server.log[mark:]}


def test_second_run_succeeds_and_changes_nothing(twice):
    assert twice["second"].returncode == 0, twice["second"].stderr
    folder = twice["folder"]
    assert db_content(folder / "aiwire.db") == twice["before_db"]
    assert site_files(folder / "public") == twice["before_site"]


def test_second_run_sends_conditional_requests_only_for_feeds(twice):
    requests = twice["requests"]
    feeds = [r for r in requests if r["path"] != "/robots.txt"]
    assert feeds, "the second run fetched nothing at all"
    assert all(r["if_none_match"] for r in feeds), feeds
    assert not any(r["path"].endswith(".html") for r in feeds), "re-fetched an article page"


def test_second_run_loads_no_model_and_is_fast(twice):
    events = read_log(twice["folder"] / "aiwire.log.jsonl")
    stages = {(e["run"], e["stage"]): e for e in events if e["event"] == "stage"}
    assert stages[(1, "analyse")]["counts"]["model_loaded"] is True
    assert stages[(2, "analyse")]["counts"]["model_loaded"] is False
    assert stages[(2, "analyse")]["counts"]["analysed"] == 0
    assert stages[(2, "collect")]["counts"]["new_articles"] == 0
    assert stages[(2, "build")]["counts"]["rendered"] == 1      # the run report only
    assert twice["seconds"] < 20, f"second run took {twice['seconds']:.1f}s"


def test_log_is_json_lines_with_every_feed_and_stage(twice):
    lines = (twice["folder"] / "aiwire.log.jsonl").read_text("utf-8").splitlines()
    events = [json.loads(line) for line in lines]          # every line parses on its own
    second = [e for e in events if e["run"] == 2]
    assert [e["event"] for e in second][0] == "run_start"
    assert [e["event"] for e in second][-1] == "run_done"
    assert len([e for e in second if e["event"] == "feed"]) == 9   # one per sample outlet
    assert {e["stage"] for e in second if e["event"] == "stage"} == {
        "collect", "analyse", "curate", "build"}
    assert second[-1]["exit_code"] == 0 and second[-1]["status"] == "ok"


def test_report_is_printed_and_written_for_editors_only(twice):
    out = twice["second"].stderr
    for text in ("signal-desk", "unchanged", "collect", "analyse", "build"):
        assert text in out
    folder = twice["folder"] / "public"
    page = (folder / "_editors" / "report.html").read_text("utf-8")
    assert "Run report" in page and "signal-desk" in page and "noindex" in page
    assert "run 2" in page
    for html in folder.rglob("*.html"):
        if "_editors" not in html.parts:
            assert "_editors" not in html.read_text("utf-8"), f"{html} links the report"
