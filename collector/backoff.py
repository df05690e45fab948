"""Article pages that ran over their time budget, skipped for a while.

A page that drips its bytes costs a run its whole deadline; fetched again every week it
would cost that every week. Once over budget it is recorded in ``page_backoff`` and not
fetched again until the back-off period has passed; each further time over budget
lengthens the period (doubling, at most eight times the base). A page fetched in full
later is forgotten.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from aiwire.store import Store
from aiwire.timeutil import format_utc

MAX_FACTOR = 8


class PageBackoff:
    """The back-off table of one store; reads are cached for the collect run."""

    def __init__(self, store: Store, days: float, now: datetime | None = None) -> None:
        self.store, self.days = store, days
        self.now = now or datetime.now(timezone.utc)
        stamp = format_utc(self.now)
        self._until: dict[str, str] = {
            row["url"]: row["until"] for row in store.rows(
                "SELECT url, until FROM page_backoff WHERE until > ?", (stamp,))}

    def until(self, url: str) -> str | None:
        """When ``url`` may be fetched again, if it is being skipped now."""
        return self._until.get(url)

    def record(self, url: str, feed_id: str | None, reason: str) -> str:
        """Note ``url`` as over budget; return the time it may be fetched again."""
        failures = 1 + (self.store.scalar("SELECT failures FROM page_backoff WHERE url = ?",
                                          (url,)) or 0)
        factor = min(2 ** (failures - 1), MAX_FACTOR)
        until = format_utc(self.now + timedelta(days=self.days * factor))
        with self.store.transaction():
            self.store.conn.execute(
                "INSERT INTO page_backoff (url, feed_id, reason, failures, first_failed, until) "
                "VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT(url) DO UPDATE SET "
                "reason = excluded.reason, failures = page_backoff.failures + 1, "
                "until = excluded.until", (url, feed_id, reason, format_utc(self.now), until))
        self._until[url] = until
        return until

    def clear(self, url: str) -> None:
        """Forget ``url`` (it was fetched in full)."""
        self.store.conn.execute("DELETE FROM page_backoff WHERE url = ?", (url,))
        self._until.pop(url, None)
