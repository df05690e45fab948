"""The two query helpers every reader of the database uses, on a bare ``sqlite3``
connection: :class:`aiwire.store.Store` and the read-only view curation checks through
(which must not import the store module, sqlite-utils and all, to stay fast)."""

from __future__ import annotations

import sqlite3
from typing import Any


class Queries:
    conn: sqlite3.Connection

    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]
