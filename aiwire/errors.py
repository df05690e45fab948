"""Library errors. The CLI turns them into click exceptions with the right exit code."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator


class AiwireError(Exception):
    """Base class for errors that a user can act on."""

    exit_code = 1


class InputError(AiwireError):
    """Bad input (config, arguments, imported files): exit code 2.

    The message names the file, the line when there is one, and what to change.
    """

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 fix: str | None = None) -> None:
        self.path, self.line, self.fix, self.detail = path, line, fix, message
        where = path or ""
        if path and line:
            where = f"{path}:{line}"
        text = f"{where}: {message}" if where else message
        if fix:
            text += f"\n  fix: {fix}"
        super().__init__(text)


class RunLockedError(AiwireError):
    """Another run holds the lock on this database."""

    exit_code = 1


class StorageError(AiwireError):
    """A storage or output fault (corrupt database, unwritable output, disk full): exit 3.

    Nothing was published: the site swap never happened, so the previous site stands.
    The message names the file and says how to recover.
    """

    exit_code = 3

    def __init__(self, message: str, *, path: str | None = None, fix: str | None = None
                 ) -> None:
        self.path, self.fix, self.detail = path, fix, message
        text = f"{path}: {message}" if path else message
        text += "\n  nothing was published; the previous site is unchanged"
        if fix:
            text += f"\n  fix: {fix}"
        super().__init__(text)


class RunAlertError(AiwireError):
    """The run finished and published, but needs a person: every feed failed, or nothing
    new arrived for the configured number of weeks. Exit 4, so scheduled jobs go red."""

    exit_code = 4


def recover_database_fix(db: str) -> str:
    """How to get a working database back, for messages about a damaged one."""
    return (f"restore the last backup of {db} (the weekly workflow keeps one as the "
            f"aiwire-db artifact), or salvage what is readable: "
            f"sqlite3 {db} \".recover\" | sqlite3 fixed.db (a sqlite3 shell of 3.29 or "
            f"later built with the dbpage extension), check it with "
            f"sqlite3 fixed.db \"PRAGMA integrity_check\", then move fixed.db to {db}")


def storage_error(exc: BaseException, *, db: str | None = None, out: str | None = None
                  ) -> StorageError | None:
    """The :class:`StorageError` an exception stands for, or None if it is not one.

    SQLite errors are about ``db``; OS errors name their own file, else ``out``.
    """
    import errno
    import sqlite3

    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, sqlite3.Error):
        text = str(exc)
        lowered = text.lower()
        if "disk is full" in lowered:
            return StorageError(f"the disk is full ({text})", path=db,
                                fix="free space on the disk that holds the database "
                                    "(df -h shows it) and run again; everything "
                                    "committed before is kept")
        if "readonly" in lowered or "read-only" in lowered:
            return StorageError(f"the database cannot be written ({text})", path=db,
                                fix="make the database, its folder and its -wal/-shm "
                                    "files writable by this user, or pass another --db")
        if "unable to open" in lowered:
            return StorageError(f"the database cannot be opened ({text})", path=db,
                                fix="check that the folder of --db exists and is writable")
        if "locked" in lowered or "busy" in lowered:
            return None
        return StorageError(f"the database is damaged ({text})", path=db,
                            fix=recover_database_fix(db or "aiwire.db"))
    if isinstance(exc, OSError) and exc.errno is not None:
        where = exc.filename or out
        reason = exc.strerror or str(exc)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return StorageError(f"no space left to write ({reason})", path=where,
                                fix="free space on that disk (df -h shows it) or raise the "
                                    "quota, then run again")
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOTDIR,
                         errno.EISDIR, errno.EEXIST):
            return StorageError(f"cannot write here ({reason})", path=where,
                                fix="make the folder writable by this user (a read-only "
                                    "mount, permissions, or a file where a folder should "
                                    "be), or pass another --out")
        if exc.errno == errno.EIO:
            return StorageError(f"input/output error ({reason})", path=where,
                                fix="check the disk (dmesg); if the database is damaged: "
                                    + recover_database_fix(db or "aiwire.db"))
    return None


@contextmanager
def storage_faults(*, db: object = None, out: object = None) -> Iterator[None]:
    """Turn a storage or output fault raised inside into a :class:`StorageError`."""
    import sqlite3

    try:
        yield
    except AiwireError:
        raise
    except (sqlite3.Error, OSError) as exc:
        fault = storage_error(exc, db=None if db is None else str(db),
                              out=None if out is None else str(out))
        if fault is None:
            raise
        raise fault from exc
