"""The SQLite connection: WAL, foreign keys, busy timeout, migrations, write transactions."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recits.failures import UnreadableDatabase

if TYPE_CHECKING:
    from sqlite_utils import Database

# Another coder (or the CLI while the app is open) may hold the write lock for a moment.
BUSY_TIMEOUT_S = 30.0
# The newest migration in recits.migrations (a test keeps them equal): when it is applied the
# schema is current, and opening a project needs neither sqlite-utils nor the migrations.
LATEST_MIGRATION = "m023_memos"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def new_id() -> str:
    return str(uuid.uuid4())


class StoreBase:
    """One connection per thread: create a Store in the thread that uses it."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            self.conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)
            self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            self.conn.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    self.conn.execute("PRAGMA journal_mode = wal")
                # In WAL mode NORMAL never corrupts the base; it only skips an fsync per commit.
                self.conn.execute("PRAGMA synchronous = NORMAL")
            self.migrate()
        except sqlite3.DatabaseError as err:
            raise UnreadableDatabase(self.path, str(err)) from err

    @cached_property
    def db(self) -> Database:
        """sqlite-utils over the same connection, for writes: imported at the first write, since
        its import costs a fifth of the app's start-up and reading needs only sqlite3."""
        from recits.store.lazy import database

        return database(self.conn)

    def query(self, sql: str, params: Any = ()) -> Iterator[dict[str, Any]]:
        """Rows as dicts, column name to value."""
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description or ()]
        for row in cursor:
            yield dict(zip(names, row, strict=True))

    def rows(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        """Rows read by column name without building a dict for each (the exports' hot reads:
        a thousand codings and their turns)."""
        cursor = self.conn.cursor()
        cursor.row_factory = sqlite3.Row
        return cursor.execute(sql, params).fetchall()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> StoreBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def migrate(self) -> None:
        if LATEST_MIGRATION in self.applied_migrations():
            return
        from recits.migrations import migrations

        with self.write():
            migrations.apply(self.db)

    def applied_migrations(self) -> list[str]:
        exists = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
        ).fetchone()
        if not exists:
            return []
        rows = self.conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = 'recits' ORDER BY rowid"
        )
        return [name for (name,) in rows]

    @contextmanager
    def write(self) -> Iterator[Database]:
        """A short write transaction; BEGIN IMMEDIATE so concurrent writers queue, never fail."""
        if self.conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        db = self.db
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def audit(self, action: str, actor: str | None, **details: Any) -> None:
        """Record a write or an export; call inside the write transaction it describes."""
        actor_id = None
        if actor is not None:
            row = self.conn.execute(
                "SELECT id FROM coders WHERE name = ? AND deleted_at IS NULL", [actor]
            ).fetchone()
            actor_id = row[0] if row else None
        self.db["audit"].insert(
            {
                "at": now(),
                "actor": actor,
                "actor_id": actor_id,
                "action": action,
                "details": json.dumps(details, ensure_ascii=False, sort_keys=True),
            }
        )

    def audit_log(self, limit: int = 100) -> list[tuple[str, str | None, str, dict[str, Any]]]:
        rows = self.query(
            "SELECT at, actor, action, details FROM audit ORDER BY id DESC LIMIT ?", [limit]
        )
        return [(r["at"], r["actor"], r["action"], json.loads(r["details"])) for r in rows]

    def last_audit_id(self) -> int:
        """Grows with every recorded write: equal values mean nothing was written between."""
        return self.conn.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0]

    def data_version(self) -> int:
        """Changes when another connection (another coder, the CLI) commits a write."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.write():
            self.db["meta"].upsert({"key": key, "value": value}, pk="key")
