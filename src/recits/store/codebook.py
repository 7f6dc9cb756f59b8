"""Codebook edits in the database: a code's renamed id and a merged code carried to its work."""

from __future__ import annotations

from recits.failures import CodeIdTaken, CodeUse
from recits.store.base import now
from recits.store.codings import CodingsMixin

# Tables whose rows name a code by id (suggestions are a cache, decisions travel).
CODE_COLUMNS = (
    ("codings", "code_id"),
    ("suggestions", "code_id"),
    ("suggestion_decisions", "code_id"),
    ("suggestion_decisions", "chosen_code_id"),
)


class CodebookMixin(CodingsMixin):
    """Call inside the write transaction that also writes the codebook file."""

    def code_usage(self, code_id: str) -> CodeUse:
        """A code's live codings per document title (no places when it is unused)."""
        return self._code_use(code_id)

    def rename_code(self, old: str, new: str) -> int:
        """Give a code a new id, keeping its UUID; its codings, sub-codes and decisions follow.
        Returns how many live codings followed."""
        if not self.conn.in_transaction:
            raise RuntimeError("rename_code runs inside a write transaction")
        taken = self.conn.execute(
            "SELECT deleted_at, uuid FROM codes WHERE id = ?", [new]
        ).fetchone()
        if taken is not None and taken[0] is None:
            raise CodeIdTaken(new)
        moved = self._live_codings(old)
        # The code's key changes under rows that point to it: foreign keys are checked at commit.
        self.conn.execute("PRAGMA defer_foreign_keys = ON")
        if taken is not None:  # a removed code had this id: its tombstone steps aside
            self._change_id(new, f"{new}--retire-{taken[1][:8]}")
        self._change_id(old, new)
        return moved

    def _change_id(self, old: str, new: str) -> None:
        self.conn.execute("UPDATE codes SET id = ? WHERE id = ?", [new, old])
        self.conn.execute("UPDATE codes SET parent_id = ? WHERE parent_id = ?", [new, old])
        for table, column in CODE_COLUMNS:
            self.conn.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", [new, old])
        self._move_code_memos(old, new)

    def _move_code_memos(self, old: str, new: str) -> None:
        """A code's memos follow it when it is renamed or merged into another."""
        self.conn.execute(
            "UPDATE memos SET target_id = ? WHERE target_type = 'code' AND target_id = ?",
            [new, old],
        )

    def merge_code_into(self, source: str, target: str, by: str) -> tuple[int, int]:
        """Move the live codings of `source` to `target`; a coding `target` already has on the
        same span by the same coder collapses into it (its memo kept). Returns (moved,
        collapsed)."""
        if not self.conn.in_transaction:
            raise RuntimeError("merge_code_into runs inside a write transaction")
        twins = self.conn.execute(
            "SELECT s.id, t.id, s.memo, t.memo FROM codings s JOIN codings t"
            " ON t.document_id = s.document_id AND t.start_char = s.start_char"
            " AND t.end_char = s.end_char AND t.coder = s.coder"
            " WHERE s.code_id = ? AND t.code_id = ?"
            " AND s.deleted_at IS NULL AND t.deleted_at IS NULL",
            [source, target],
        ).fetchall()
        stamp = now()
        for source_id, target_id, source_memo, target_memo in twins:
            if source_memo and source_memo != target_memo:
                memo = f"{target_memo}\n{source_memo}" if target_memo else source_memo
                self.conn.execute("UPDATE codings SET memo = ? WHERE id = ?", [memo, target_id])
            self.conn.execute(
                "UPDATE codings SET deleted_at = ?, deleted_by = ? WHERE id = ?",
                [stamp, by, source_id],
            )
        moved = self._live_codings(source)
        self.conn.execute(
            "UPDATE codings SET code_id = ? WHERE code_id = ? AND deleted_at IS NULL",
            [target, source],
        )
        self.conn.execute("DELETE FROM suggestions WHERE code_id = ?", [source])  # a cache
        self._move_code_memos(source, target)
        for column in ("code_id", "chosen_code_id"):
            self.conn.execute(
                f"UPDATE suggestion_decisions SET {column} = ? WHERE {column} = ?",
                [target, source],
            )
        return moved, len(twins)

    def _live_codings(self, code_id: str) -> int:
        return self.conn.execute(
            "SELECT count(*) FROM codings WHERE code_id = ? AND deleted_at IS NULL", [code_id]
        ).fetchone()[0]
