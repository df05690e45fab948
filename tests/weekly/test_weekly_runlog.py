"""aiwire.log.jsonl is rotated by size (settings.log_max_bytes, keep settings.log_keep
files), never splitting an event across two files."""

from __future__ import annotations

import json

from aiwire.runlog import RunLog, read_log, rotated_path
from feedkit import feeds_yaml, quiet_feed
from weeklykit import run


def _lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_the_log_rotates_at_the_size_and_keeps_n_files(tmp_path):
    path = tmp_path / "aiwire.log.jsonl"
    log = RunLog(path, run_id=7, max_bytes=2_000, keep=3)
    for number in range(200):                       # ~80 bytes each: ~16 KB in all
        log.event("tick", n=number, note="x" * 20)
    log.close()
    files = [path] + [rotated_path(path, n) for n in (1, 2, 3)]
    assert all(f.exists() for f in files)
    assert not rotated_path(path, 4).exists()       # keep=3: older ones are gone
    for f in files:
        assert f.stat().st_size <= 2_000
        _lines(f)                                  # every line is whole JSON
    # newest in the live file, older ones numbered up, in order and without gaps
    numbers = [e["n"] for f in reversed(files) for e in _lines(f)]
    assert numbers == list(range(numbers[0], 200))
    assert numbers[0] > 0                           # the oldest events were dropped


def test_an_over_size_log_is_rotated_when_a_run_starts(tmp_path):
    path = tmp_path / "aiwire.log.jsonl"
    path.write_text('{"event": "old"}\n' * 1000, encoding="utf-8")   # 17 KB
    log = RunLog(path, max_bytes=10_000, keep=2)
    log.event("run_start")
    log.close()
    assert [e["event"] for e in read_log(path)] == ["run_start"]
    assert len(read_log(rotated_path(path, 1))) == 1000


def test_aiwire_run_rotates_its_log_by_the_setting(tmp_path):
    with quiet_feed() as base:
        feeds_yaml(tmp_path, f"{base}/feed.xml",
                   settings="log_max_bytes: 10000\nlog_keep: 2")
        log = tmp_path / "aiwire.log.jsonl"
        log.write_text('{"event": "from an old run"}\n' * 500, encoding="utf-8")
        result = run(tmp_path)
    assert result.returncode == 0, result.stderr
    events = read_log(log)
    assert events[0]["event"] == "run_start" and events[-1]["event"] == "run_done"
    assert len(read_log(rotated_path(log, 1))) == 500
