"""kill -9 at random points, then one more run: the same database, export and site as
an uninterrupted run, and a database that passes `PRAGMA integrity_check`."""

from __future__ import annotations

import random
import shutil
import sqlite3
import subprocess
import time

import pytest

from aiwire.run import recover_site
from aiwire.runlog import read_log

from weeklykit import aiwire, db_content, env, run, run_args, site_files, workdir

pytestmark = pytest.mark.slow

SEED = 20261121
# Where each kill aims: right after the process starts, or a random delay after a stage
# of that run finished (so it lands in the next one: analysis, curation, the build).
# Delays are drawn from a seeded generator, so a failure can be replayed.
PLAN = [("start", 1.2, 2.2), ("collect", 0.3, 3.0), ("collect", 0.5, 3.0),
        ("analyse", 0.0, 0.2), ("curate", 0.0, 0.15), ("start", 0.1, 0.8)]


def _export(folder) -> str:
    result = aiwire("export", "--db", str(folder / "aiwire.db"))
    assert result.returncode == 0, result.stderr
    return result.stdout


def _events_of(folder, pid: int) -> list[dict]:
    log = folder / "aiwire.log.jsonl"
    events = read_log(log) if log.exists() else []
    run_id = next((e["run"] for e in events
                   if e["event"] == "run_start" and e.get("pid") == pid), None)
    return [e for e in events if run_id is not None and e["run"] == run_id]


def _wait_for_stage(folder, proc: subprocess.Popen, stage: str) -> bool:
    """True once this run logged the end of ``stage``; False if it exited first."""
    while proc.poll() is None:
        if any(e["event"] == "stage" and e["stage"] == stage
               for e in _events_of(folder, proc.pid)):
            return True
        time.sleep(0.01)
    return False


def _describe(folder, events: list[dict]) -> str:
    where = "before run_start"
    if events:
        last = events[-1]
        where = f"after {last['event']}" + (f" {last['stage']}" if last["event"] == "stage"
                                            else "")
    if (folder / "aiwire.db").exists():
        conn = sqlite3.connect(folder / "aiwire.db")
        try:
            total, analysed = conn.execute(
                "SELECT count(*), count(analyzed_hash) FROM articles").fetchone()
            where += f"; {total} articles stored, {analysed} analysed"
        except sqlite3.OperationalError:       # killed before the schema was made
            where += "; no tables yet"
        finally:
            conn.close()
    return where


def test_killed_runs_resume_to_the_same_result(tmp_path, sample_server):
    reference = workdir(tmp_path / "reference", sample_server.base_url)
    done = run(reference)
    assert done.returncode == 0, done.stderr

    folder = workdir(tmp_path / "killed", sample_server.base_url)
    rng = random.Random(SEED)
    interrupted, points = 0, []
    for after, low, high in PLAN:
        delay = rng.uniform(low, high)
        proc = subprocess.Popen(run_args(folder), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env=env())
        if after == "start" or _wait_for_stage(folder, proc, after):
            time.sleep(delay)
        proc.kill()                                   # SIGKILL: no cleanup of any kind
        code = proc.wait()
        events = _events_of(folder, proc.pid)
        finished = code != -9 or (events and events[-1]["event"] == "run_done")
        interrupted += not finished
        points.append(f"{after}+{delay:.2f}s: "
                      + (f"finished first (exit {code})" if finished else _describe(folder, events)))
    print("kill points:", *points, sep="\n  ")
    assert interrupted >= 4, points

    final = run(folder)
    assert final.returncode == 0, final.stderr
    assert "resumed after an interrupted run" in (
        folder / "public" / "_editors" / "report.html").read_text("utf-8")
    conn = sqlite3.connect(folder / "aiwire.db")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()

    assert _export(folder) == _export(reference)
    assert site_files(folder / "public") == site_files(reference / "public")
    assert db_content(folder / "aiwire.db", by_url=True) == db_content(
        reference / "aiwire.db", by_url=True)
    leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".public")]
    assert leftovers == []


def test_a_site_caught_mid_swap_is_put_back(tmp_path):
    out = tmp_path / "public"
    out.mkdir()
    (out / "index.html").write_text("previous site")
    # what render._swap_in leaves when killed between its two renames
    out.rename(tmp_path / ".public-old-4242")
    staging = tmp_path / ".public-build-abc123"
    staging.mkdir()
    (staging / "index.html").write_text("half")
    notes = recover_site(out)
    assert (out / "index.html").read_text() == "previous site"
    assert not staging.exists() and not (tmp_path / ".public-old-4242").exists()
    assert len(notes) == 2


def test_stale_staging_beside_a_whole_site_is_removed(tmp_path):
    out = tmp_path / "public"
    out.mkdir()
    (out / "index.html").write_text("site")
    shutil.copytree(out, tmp_path / ".public-old-77")
    recover_site(out)
    assert (out / "index.html").read_text() == "site"
    assert not (tmp_path / ".public-old-77").exists()
