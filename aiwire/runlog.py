"""The run's structured log: one JSON object per line, appended, flushed per event.

Machines (and editors with ``jq``) read it; every event carries the time, the run id
and an ``event`` name. A run killed midway leaves every event up to the kill: each line
is written whole with one ``write`` on a file opened for appending.

The log never grows without bound: when it passes ``max_bytes`` it is rotated by size
(``aiwire.log.jsonl`` -> ``.1`` -> ``.2`` ..., the oldest beyond ``keep`` deleted), at
the start of a run and whenever a run's own events take it past the limit.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from aiwire.store import utcnow


def log_path_for(db: Path) -> Path:
    """The default log: ``aiwire.db`` -> ``aiwire.log.jsonl`` beside it."""
    db = Path(db)
    return db.with_name(f"{db.stem}.log.jsonl")


DEFAULT_MAX_BYTES = 5_000_000
DEFAULT_KEEP = 5


def rotated_path(path: Path, number: int) -> Path:
    """``aiwire.log.jsonl`` -> ``aiwire.log.jsonl.1``: the numbered older logs."""
    return path.with_name(f"{path.name}.{number}")


def rotate(path: Path, keep: int) -> None:
    """Shift ``path`` to ``.1`` (``.1`` to ``.2`` ...), dropping what passes ``keep``."""
    rotated_path(path, keep).unlink(missing_ok=True)
    for number in range(keep - 1, 0, -1):
        older = rotated_path(path, number)
        if older.exists():
            older.rename(rotated_path(path, number + 1))
    if path.exists():
        path.rename(rotated_path(path, 1))


class RunLog:
    def __init__(self, path: Path | None, run_id: int | None = None, *,
                 max_bytes: int = DEFAULT_MAX_BYTES, keep: int = DEFAULT_KEEP) -> None:
        self.path = Path(path) if path is not None else None
        self.run_id = run_id
        self.max_bytes, self.keep = max_bytes, keep
        self._fd: int | None = None
        self._size = 0
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._open()
            if self._size >= self.max_bytes:
                self._rotate()

    def _open(self) -> None:
        assert self.path is not None
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self._size = os.fstat(self._fd).st_size

    def _rotate(self) -> None:
        assert self.path is not None and self._fd is not None
        os.close(self._fd)
        if self.path.is_file():     # never rename a device or a pipe given as --log
            rotate(self.path, self.keep)
        self._open()

    def event(self, event: str, **fields: Any) -> dict[str, Any]:
        record = {"ts": utcnow(), "run": self.run_id, "event": event, **fields}
        if self._fd is not None:
            line = json.dumps(record, ensure_ascii=False, sort_keys=False, default=str)
            data = (line + "\n").encode("utf-8")
            try:
                if self._size and self._size + len(data) > self.max_bytes:
                    self._rotate()      # a line is never split across two files
                os.write(self._fd, data)
            except OSError as exc:      # name the log: os.write knows no file name
                raise OSError(exc.errno, exc.strerror, str(self.path)) from exc
            self._size += len(data)
        return record

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def read_log(path: Path) -> list[dict[str, Any]]:
    """Every complete event in a log (a torn last line, from a kill, is skipped)."""
    events = []
    for line in Path(path).read_text("utf-8").splitlines():
        try:
            events.append(json.loads(line))
        except ValueError:
            continue
    return events
