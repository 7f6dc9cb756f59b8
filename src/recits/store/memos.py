"""Memos on a document, a code or the project (a coding's memo lives on the coding)."""

from __future__ import annotations

from collections.abc import Sequence

from recits.failures import UnknownChoice
from recits.models.memos import MEMO_TARGETS, Memo
from recits.store import mappers
from recits.store.base import StoreBase, new_id, now


class MemosMixin(StoreBase):
    def memos(self, target_type: str | None = None, target_id: str | None = None) -> list[Memo]:
        """Live memos, oldest first; of one kind of target, and one target, when given."""
        sql = (
            "SELECT id, target_type, target_id, author, text, created_at FROM memos"
            " WHERE deleted_at IS NULL"
        )
        params: list[str] = []
        if target_type is not None:
            sql += " AND target_type = ?"
            params.append(target_type)
        if target_id is not None:
            sql += " AND target_id = ?"
            params.append(target_id)
        rows = self.query(sql + " ORDER BY created_at, rowid", params)
        return [mappers.memo(r) for r in rows]

    def add_memos(self, memos: Sequence[Memo], actor: str | None = None) -> list[Memo]:
        """Add memos in one transaction (new ids when empty); the added memos."""
        for memo in memos:
            if memo.target_type not in MEMO_TARGETS:
                raise UnknownChoice("memo_target", memo.target_type, MEMO_TARGETS)
        added = []
        with self.write() as db:
            for memo in memos:
                row = {
                    "id": memo.id or new_id(),
                    "target_type": memo.target_type,
                    "target_id": None if memo.target_type == "project" else memo.target_id,
                    "author": memo.author,
                    "text": memo.text,
                    "created_at": memo.created_at or now(),
                    "deleted_at": None,
                }
                db["memos"].insert(row)
                added.append(mappers.memo(row))
            if added:
                self.audit("memo.add", actor, count=len(added))
        return added

    def delete_memo(self, memo_id: str, actor: str | None = None) -> None:
        """Tombstone a memo."""
        with self.write():
            self.conn.execute(
                "UPDATE memos SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
                [now(), memo_id],
            )
            self.audit("memo.delete", actor, memo_id=memo_id)
