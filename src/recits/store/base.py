"""The SQLite connection: WAL, foreign keys, busy timeout, migrations, write transactions."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from recits.errors import RecitsError
from recits.migrations import migrations

# Another coder (or the CLI while the app is open) may hold the write lock for a moment.
BUSY_TIMEOUT_S = 30.0


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def new_id() -> str:
    return str(uuid.uuid4())


class StoreBase:
    """One connection per thread: create a Store in the thread that uses it."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)
            self.db = Database(conn)
            self.db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            self.db.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                self.db.enable_wal()
                # In WAL mode NORMAL never corrupts the base; it only skips an fsync per commit.
                self.db.execute("PRAGMA synchronous = NORMAL")
            self.migrate()
        except sqlite3.DatabaseError as err:
            raise RecitsError(f"{self.path} : base de données illisible ({err})") from err

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> StoreBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def migrate(self) -> None:
        if not migrations.pending(self.db):
            return
        with self.write():
            migrations.apply(self.db)

    def applied_migrations(self) -> list[str]:
        return [m.name for m in migrations.applied(self.db)]

    @contextmanager
    def write(self) -> Iterator[Database]:
        """A short write transaction; BEGIN IMMEDIATE so concurrent writers queue, never fail."""
        if self.db.conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        self.db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if self.db.conn.in_transaction:
                self.db.conn.execute("ROLLBACK")
            raise
        else:
            self.db.conn.execute("COMMIT")

    def audit(self, action: str, actor: str | None, **details: Any) -> None:
        """Record a write or an export; call inside the write transaction it describes."""
        self.db["audit"].insert(
            {
                "at": now(),
                "actor": actor,
                "action": action,
                "details": json.dumps(details, ensure_ascii=False, sort_keys=True),
            }
        )

    def audit_log(self, limit: int = 100) -> list[tuple[str, str | None, str, dict[str, Any]]]:
        rows = self.db.query(
            "SELECT at, actor, action, details FROM audit ORDER BY id DESC LIMIT ?", [limit]
        )
        return [(r["at"], r["actor"], r["action"], json.loads(r["details"])) for r in rows]

    def data_version(self) -> int:
        """Changes when another connection (another coder, the CLI) commits a write."""
        return self.db.execute("PRAGMA data_version").fetchone()[0]

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.write():
            self.db["meta"].upsert({"key": key, "value": value}, pk="key")
