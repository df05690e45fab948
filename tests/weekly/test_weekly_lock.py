"""Two runs never overlap: the second exits 1 naming the holder; a killed holder's lock
never blocks the next run (the kernel releases flock on death)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys

import pytest

from aiwire.errors import RunLockedError
from aiwire.lock import RunLock, lock_path_for

from feedkit import feeds_yaml, quiet_feed
from weeklykit import env, run_args

HOLDER = """
import sys, time
from aiwire.lock import RunLock
lock = RunLock(sys.argv[1]).acquire()
print("held", flush=True)
time.sleep(120)
"""


@pytest.fixture
def empty_feeds(tmp_path):
    """One quiet feed (an empty feeds.yaml is bad input, exit 2, since issue 13)."""
    with quiet_feed() as base:
        feeds_yaml(tmp_path, f"{base}/feed.xml")
        yield tmp_path


def _holder(db) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_second_run_exits_1_naming_the_holder(empty_feeds):
    db = empty_feeds / "aiwire.db"
    holder = _holder(db)
    try:
        result = subprocess.run(run_args(empty_feeds), capture_output=True, text=True,
                                timeout=120, env=env())
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 1, result.stderr
    assert f"pid {holder.pid}" in result.stderr
    assert "another aiwire run" in result.stderr
    # it did nothing: no database, no site
    assert not db.exists() and not (empty_feeds / "public").exists()


def test_lock_of_a_killed_run_does_not_block(empty_feeds):
    db = empty_feeds / "aiwire.db"
    holder = _holder(db)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert lock_path_for(db).exists()        # the file stays; the lock does not
    result = subprocess.run(run_args(empty_feeds), capture_output=True, text=True,
                            timeout=120, env=env())
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT status FROM runs").fetchall() == [("ok",)]
    conn.close()


def test_lock_is_exclusive_within_one_process_too(tmp_path):
    db = tmp_path / "aiwire.db"
    with RunLock(db):
        with pytest.raises(RunLockedError, match=f"pid {os.getpid()}"):
            RunLock(db).acquire()
    with RunLock(db):           # released on exit: can be taken again
        pass
