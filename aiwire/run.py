"""The weekly job: collect, analyse, curate, build, with a report of what happened.

Safe to run unattended and to kill at any point:

* one run per database at a time (:class:`aiwire.lock.RunLock`);
* every stage is incremental, so a run with nothing new writes nothing but its own
  record and loads no NLP model;
* each article is written (collected, analysed) in its own transaction, stories and
  flags in one, curation in one, and the site is swapped in whole, so a run killed
  anywhere leaves a consistent store and the previous site. The next run sees the
  unfinished run in ``runs`` and settles what the kill interrupted: it re-derives
  stories and flags, and puts back a site a kill caught mid-swap.

Library code: the CLI adds progress bars and exit codes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from aiwire.collector.collect import CollectReport, FeedReport, collect
from aiwire.config import FeedsFile, load_config, require_feeds
from aiwire.curation import (Curation, CurationReport, apply_curation, curation_path_for,
                             enforce, precheck, read_curation)
from aiwire.errors import InputError, storage_faults
from aiwire.lock import RunLock
from aiwire.nlp.analyze import AnalyzeReport, analyze
from aiwire.report import REPORT_PATH, feed_rows, latest_report, report_page
from aiwire.review import needs_writing, review_output
from aiwire.runlog import RunLog, log_path_for
from aiwire.store import Store, utcnow

WEEK = re.compile(r"^\d{4}-W\d{2}$")
WEEK_FIX = "name an ISO week that exists, like 2026-W47 (weeks run from W01 to W52 or W53)"
CollectStage = Callable[[FeedsFile, Store], CollectReport]
AnalyzeStage = Callable[[Store, int], AnalyzeReport]


@dataclass
class RunReport:
    run_id: int | None = None
    mode: str = "weekly"
    resumed: bool = False
    collect: CollectReport | None = None
    analyze: AnalyzeReport | None = None
    curation: CurationReport | None = None
    pages: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, dict[str, Any]] = field(default_factory=dict)
    started: str = ""
    finished: str | None = None
    stale_since: str | None = None     # newest article, when older than stale_after_weeks
    stale_weeks: int = 0

    @property
    def all_feeds_failed(self) -> bool:
        return bool(self.collect and self.collect.feeds
                    and len(self.collect.failed) == len(self.collect.feeds))

    @property
    def exit_code(self) -> int:
        """0 ok; 1 some feeds failed; 4 every feed failed, or nothing new for too long."""
        if self.all_feeds_failed or self.stale_since:
            return 4
        return 1 if self.collect and self.collect.failed else 0

    @property
    def status(self) -> str:
        """What ``runs.status`` records for a finished run."""
        if self.all_feeds_failed:
            return "all_feeds_failed"
        if self.stale_since:
            return "stale"
        return "failed_feeds" if self.exit_code else "ok"

    @property
    def alert(self) -> str | None:
        """Why this run exits 4, in words for the terminal, the log and the job summary."""
        if self.all_feeds_failed:
            assert self.collect is not None
            return (f"every feed failed ({len(self.collect.feeds)} of "
                    f"{len(self.collect.feeds)}): check the network and the feeds in "
                    f"the run report; the site was rebuilt from what is stored")
        if self.stale_since:
            return (f"nothing new since {self.stale_since} (more than {self.stale_weeks} "
                    f"week(s); settings.stale_after_weeks): the feeds may have moved or "
                    f"stopped; run `aiwire feeds check`")
        return None

    def as_dict(self) -> dict[str, Any]:
        """The JSON form stored in ``runs.report``, logged and rendered for editors."""
        return {
            "run": self.run_id, "mode": self.mode, "resumed": self.resumed,
            "started": self.started, "finished": self.finished, "exit_code": self.exit_code,
            "feeds": feed_rows(self.collect),
            "stages": [{"name": name, "seconds": round(seconds, 3),
                        "counts": self.counts.get(name, {})}
                       for name, seconds in self.timings.items()],
            "curation": self.curation.as_dict() if self.curation else None,
            "alert": self.alert,
        }


def check_week(week: str) -> str:
    """``YYYY-Www`` as an ISO week that exists, or an InputError saying how to write it."""
    from aiwire.site.model import week_bounds

    if not WEEK.match(week):
        raise InputError(f"--week {week!r} is not an ISO week", fix="write it like 2026-W47")
    try:
        start, _ = week_bounds(week)
    except ValueError:
        raise InputError(f"--week {week!r} does not exist", fix=WEEK_FIX
                         ) from None
    if start.strftime("%G-W%V") != week:
        raise InputError(f"--week {week!r} does not exist", fix=WEEK_FIX)
    return week


def _week_paths(document: dict[str, Any], week: str) -> set[str]:
    """The files of one week's digest and of what it links to (its stories)."""
    from aiwire.site.model import build_site_model

    site = build_site_model(document)
    if week not in site.weeks:
        known = ", ".join(sorted(site.weeks)) or "none"
        raise InputError(f"no stories in {week}", fix=f"pick one of the weeks in the store: "
                                                      f"{known}")
    paths = {f"digest/{week}/index.html", f"digest/{week}/email.html",
             f"digest/{week}/email.txt", f"stix/{week}.json"}
    paths |= {f"stories/{site.stories[sid]['slug']}/index.html" for sid in site.weeks[week]}
    if site.current_week == week:
        paths.add("index.html")
    return paths


def build_report(store: Store, out: Path, *, week: str | None = None,
                 report: dict[str, Any] | None = None, site_url: str | None = None):
    """Build the site (stored curation re-applied first); a :class:`BuildReport`.

    ``week`` re-renders that week's digest and its story pages even if unchanged. The
    editors' run report page is the given ``report`` or the newest one in the store.
    """
    from aiwire.site.incremental import build_state, publish_in_place, unchanged
    from aiwire.site.render import (Output, fragment_cache, publish, site_corpus,
                                    site_outputs, templates_cache)

    enforce(store)
    state = build_state(store, site_url=site_url)
    report = report if report is not None else latest_report(store)
    extra = ([Output(REPORT_PATH, None, lambda: report_page(report))]
             if report is not None else [])
    review = review_output(store, report)
    if week is None and unchanged(out, state, store):   # nothing changed: the report page
        return publish_in_place(extra + ([review] if needs_writing(out, review) else []), out)
    extra.append(review)
    corpus = site_corpus(store, out)     # only stories changed since the last build redone
    document = corpus.document
    outputs = site_outputs(document, site_url, corpus.parts, templates_cache(out),
                           fragment_cache(out))
    if week is not None:
        forced = _week_paths(document, week)
        outputs = [replace(o, key=None) if o.path in forced else o for o in outputs]
    return publish(sorted(outputs + extra, key=lambda o: o.path), out,
                   dict(state, content=corpus.content))


def build(store: Store, out: Path, site_url: str | None = None) -> int:
    """Render the site into ``out``; return the number of files it holds."""
    return build_report(store, out, site_url=site_url).files


def recover_site(out: Path) -> list[str]:
    """Undo what a killed build left beside ``out``: put back a site caught mid-swap,
    remove staging folders. Call only while holding the run lock."""
    out = Path(out)
    notes = []
    if not out.parent.is_dir():
        return notes
    olds = sorted(out.parent.glob(f".{out.name}-old-*"))
    if not out.exists() and olds:
        olds[-1].rename(out)
        notes.append(f"restored {out} from {olds[-1].name}")
        olds = olds[:-1]
    for leftover in olds + sorted(out.parent.glob(f".{out.name}-build-*")):
        shutil.rmtree(leftover, ignore_errors=True)
        notes.append(f"removed {leftover.name}")
    return notes


def _settle(store: Store, window_days: int) -> None:
    """Re-derive stories and flags after an interrupted run (cheap; no model)."""
    from aiwire.nlp.contradictions import update_contradictions
    from aiwire.nlp.stories import update_stories

    update_stories(store, window_days=window_days, force=True)
    update_contradictions(store)


FINISHED = ("ok", "failed_feeds", "all_feeds_failed", "stale")


def stale_since(store: Store, weeks: int, run_started: str) -> str | None:
    """The newest article's arrival when it is older than ``weeks``, else None.

    A store younger than ``weeks`` (its first run is more recent) is never stale: a new
    installation has had no chance to collect yet.
    """
    from datetime import timedelta

    from aiwire.timeutil import format_utc, parse_time

    started = parse_time(run_started)
    assert started is not None
    cutoff = format_utc(started - timedelta(weeks=weeks))
    first_run = store.scalar("SELECT min(started) FROM runs")
    if first_run is None or first_run > cutoff:
        return None
    newest = store.scalar("SELECT max(fetched_at) FROM articles")
    if newest is not None and newest > cutoff:
        return None
    return newest or "the first run"


def _previous_unfinished(store: Store) -> bool:
    status = store.scalar("SELECT status FROM runs ORDER BY id DESC LIMIT 1")
    return status is not None and status not in FINISHED


def run(feeds: Path, db: Path, out: Path, *, curation: Path | None = None,
        log: Path | None = None, week: str | None = None,
        collect_stage: CollectStage | None = None, analyze_stage: AnalyzeStage | None = None,
        on_feed_done: Callable[[FeedReport], None] | None = None,
        on_article: Callable[[int, int], None] | None = None) -> RunReport:
    """The whole weekly job under the run lock; ``week`` only rebuilds that digest.

    Bad input (feeds.yaml, curation.yaml, --week) raises InputError before anything is
    written, except references in curation.yaml, which are checked against the store
    after analysis (they may name stories this run creates).
    """
    config = load_config(feeds)
    if week is None:
        require_feeds(config, feeds)
    # curation.yaml is checked (syntax, then references, read-only) before anything is
    # written; bad entries are reported and skipped, the rest applies after analysis
    edits: Curation = read_curation(curation or curation_path_for(feeds))
    precheck(edits, db)
    if week is not None:
        check_week(week)
    collect_stage = collect_stage or (lambda c, s: collect(c, s, on_feed_done))
    analyze_stage = analyze_stage or (lambda s, w: analyze(s, on_article, w))
    report = RunReport(mode=f"rebuild {week}" if week else "weekly", started=utcnow())
    with storage_faults(db=db, out=out), RunLock(db):
        store = Store(db)
        store.check_integrity()
        runlog = RunLog(log if log is not None else log_path_for(db),
                        max_bytes=config.settings.log_max_bytes, keep=config.settings.log_keep)
        try:
            report.resumed = _previous_unfinished(store)
            with store.transaction():
                cursor = store.conn.execute(
                    "INSERT INTO runs (started, status) VALUES (?, 'running')", (report.started,))
            report.run_id = runlog.run_id = int(cursor.lastrowid)
            runlog.event("run_start", feeds=str(feeds), db=str(db), out=str(out), week=week,
                         resumed=report.resumed, pid=os.getpid())
            for note in recover_site(out):
                runlog.event("recovered", detail=note)
            for issue in edits.issues:
                runlog.event("curation_skipped", **issue.as_dict())
            _stages(store, config, edits, report, runlog, out, week, collect_stage,
                    analyze_stage)
        except BaseException as exc:
            status = "error" if isinstance(exc, Exception) else "interrupted"
            _finish(store, report, status, runlog, error=str(exc))
            raise
        finally:
            runlog.close()
            store.close()
    return report


def _stage(report: RunReport, runlog: RunLog, name: str, work: Callable[[], Any],
           counts: Callable[[Any], dict[str, Any]]) -> Any:
    started = time.monotonic()
    result = work()
    report.timings[name] = time.monotonic() - started
    report.counts[name] = counts(result)
    runlog.event("stage", stage=name, seconds=round(report.timings[name], 3),
                 counts=report.counts[name])
    return result


def _stages(store: Store, config: FeedsFile, edits: Curation, report: RunReport,
            runlog: RunLog, out: Path, week: str | None, collect_stage: CollectStage,
            analyze_stage: AnalyzeStage) -> None:
    window = config.settings.story_window_days
    if week is None:
        report.collect = _stage(report, runlog, "collect", lambda: collect_stage(config, store),
                                lambda r: {"feeds": len(r.feeds),
                                           "new_articles": r.new_articles,
                                           "unchanged": sum(f.status == "unchanged"
                                                            for f in r.feeds),
                                           "failed": len(r.failed)})
        for feed in feed_rows(report.collect):
            runlog.event("feed", **feed)
        report.stale_weeks = config.settings.stale_after_weeks
        report.stale_since = stale_since(store, report.stale_weeks, report.started)
        if report.alert:
            runlog.event("alert", exit_code=report.exit_code, detail=report.alert)
        report.analyze = _stage(report, runlog, "analyse", lambda: analyze_stage(store, window),
                                lambda r: {"analysed": r.analysed, "stories": r.stories,
                                           "contradictions": r.contradictions,
                                           "failed": len(r.errors),
                                           "model_loaded": not r.skipped_model})
        for detail in (report.analyze.errors if report.analyze else []):
            runlog.event("analysis_failed", detail=detail)
    if report.resumed:
        _stage(report, runlog, "settle", lambda: _settle(store, window),
               lambda _r: {"stories": store.scalar("SELECT count(*) FROM stories")})
    report.curation = _stage(report, runlog, "curate",
                             lambda: apply_curation(store, edits, skip_bad=True),
                             lambda r: {k: v for k, v in r.as_dict().items() if k != "skipped"}
                             | {"skipped": len(r.skipped)})
    # the report page shows every stage before the build; the build's own figures go to
    # the terminal, the log and the runs table
    status = report.status
    built = _stage(report, runlog, "build",
                   lambda: build_report(store, out, week=week, report=_page_report(report),
                                        site_url=config.settings.site_url),
                   lambda b: {"files": b.files, "rendered": len(b.rendered),
                              "reused": b.reused, "removed": len(b.removed)})
    report.pages = built.files
    _finish(store, report, status, runlog)


def _page_report(report: RunReport) -> dict[str, Any]:
    page = report.as_dict()
    page["stages"] = [s for s in page["stages"] if s["name"] != "build"]
    if page.get("curation") and page["curation"].get("skipped"):   # one readable line
        page["curation"]["skipped"] = " | ".join(
            line.replace("\n  fix:", "; fix:") for line in page["curation"]["skipped"])
    return page


def _finish(store: Store, report: RunReport, status: str, runlog: RunLog,
            error: str | None = None) -> None:
    report.finished = utcnow()
    document = report.as_dict()
    if error:
        document["error"] = error
    try:
        with store.transaction():
            store.conn.execute("UPDATE runs SET finished = ?, status = ?, report = ? "
                               "WHERE id = ?", (report.finished, status,
                                                json.dumps(document, ensure_ascii=False),
                                                report.run_id))
    except Exception:   # never hide the original error behind a bookkeeping one
        if error is None:
            raise
    runlog.event("run_done", status=status, exit_code=document["exit_code"], error=error,
                 report=document)
