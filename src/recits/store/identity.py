"""One person, one participant: merging two participants, splitting one, clearing a flag."""

from __future__ import annotations

import json
from collections.abc import Sequence

from recits.failures import NotFound, NothingToSplit, SelfMerge
from recits.store.base import StoreBase, now


class IdentityMixin(StoreBase):
    def speaking_documents(self, participant_id: str) -> list[str]:
        """The ids of the live documents a participant speaks in (from the speakers' index)."""
        rows = self.conn.execute(
            "SELECT s.document_id FROM document_speakers s"
            " JOIN documents d ON d.id = s.document_id AND d.deleted_at IS NULL"
            " WHERE s.participant_id = ? ORDER BY d.date IS NULL, d.date, d.title",
            [participant_id],
        ).fetchall()
        return [document_id for (document_id,) in rows]

    def document_labels(self, document_id: str) -> dict[str, str]:
        """The speaker labels written in a document -> the participant each one is."""
        return dict(
            self.conn.execute(
                "SELECT DISTINCT speaker, participant_id FROM turns WHERE document_id = ?"
                " AND speaker IS NOT NULL AND participant_id IS NOT NULL",
                [document_id],
            ).fetchall()
        )

    def set_same_label_as(
        self, participant_id: str, other_id: str | None, *, actor: str | None
    ) -> None:
        """Flag (or, with None, clear the flag of) a participant sharing a name with another."""
        with self.write():
            self._set_identity(participant_id, same_label_as=other_id)
            self.audit("participant-confirm", actor, participant=participant_id, same=other_id)

    def merge_participants(
        self,
        keep: str,
        gone: str,
        *,
        aliases: Sequence[str],
        role: str | None,
        same_label_as: str | None,
        actor: str | None,
    ) -> None:
        """Everything of `gone` becomes `keep`'s (turns, consent ledger, name decisions, scene
        characters and validations, flags pointing at it); `gone` stays as a tombstone pointing
        to `keep`."""
        if keep == gone:
            raise SelfMerge(keep)
        with self.write():
            documents = [
                d
                for (d,) in self.conn.execute(
                    "SELECT document_id FROM document_speakers WHERE participant_id = ?", [gone]
                )
            ]
            self.conn.execute(
                "UPDATE turns SET participant_id = ? WHERE participant_id = ?", [keep, gone]
            )
            self._recount_speakers(documents, (keep, gone), keep)
            # Their scenes too: the characters they are, the validations they gave.
            tables = ("consent_events", "name_decisions", "scene_characters", "scene_validations")
            for table in tables:
                self.conn.execute(
                    f"UPDATE {table} SET participant_id = ? WHERE participant_id = ?", [keep, gone]
                )
            # The exports that quoted the merged person now list the one kept.
            self.conn.execute(
                "INSERT INTO export_participants (export_id, participant_id, excerpts)"
                " SELECT export_id, ?, excerpts FROM export_participants WHERE participant_id = ?"
                " ON CONFLICT (export_id, participant_id)"
                " DO UPDATE SET excerpts = excerpts + excluded.excerpts",
                [keep, gone],
            )
            self.conn.execute("DELETE FROM export_participants WHERE participant_id = ?", [gone])
            self.conn.execute(
                "UPDATE participants SET same_label_as = ? WHERE same_label_as = ?"
                " AND id NOT IN (?, ?)",
                [keep, gone, keep, gone],
            )
            self._set_identity(
                keep,
                aliases=json.dumps(list(aliases), ensure_ascii=False),
                role=role or None,
                same_label_as=same_label_as,
            )
            self._set_identity(gone, same_label_as=None, merged_into=keep, deleted_at=now())
            self.audit("participant-merge", actor, participant=keep, merged=gone)

    def split_participant(
        self,
        participant_id: str,
        document_id: str,
        new_id: str,
        pseudonym: str,
        *,
        clear_flag: bool,
        actor: str | None,
    ) -> None:
        """The participant's turns in one document become a new participant's (no consent)."""
        with self.write():
            self.db["participants"].insert(
                {"id": new_id, "pseudonym": pseudonym, "created_at": now()}
            )
            moved = self.conn.execute(
                "UPDATE turns SET participant_id = ? WHERE participant_id = ? AND document_id = ?",
                [new_id, participant_id, document_id],
            ).rowcount
            if not moved:
                raise NothingToSplit(participant_id, document_id)
            self._recount_speakers([document_id], (participant_id,), new_id)
            if clear_flag:
                self._set_identity(participant_id, same_label_as=None)
            self.audit(
                "participant-split", actor, participant=participant_id, new=new_id,
                document=document_id, turns=moved,
            )  # fmt: skip

    def _recount_speakers(
        self, documents: Sequence[str], before: Sequence[str], after: str
    ) -> None:
        """Who speaks in these documents, written again for `after` from its turns."""
        for document_id in documents:
            self.conn.execute(
                "DELETE FROM document_speakers WHERE document_id = ? AND participant_id IN"
                f" ({', '.join('?' * len(before))}, ?)",
                [document_id, *before, after],
            )
            self.conn.execute(
                "INSERT INTO document_speakers (document_id, first_position, participant_id)"
                " SELECT document_id, min(position), participant_id FROM turns"
                " WHERE document_id = ? AND participant_id = ? GROUP BY document_id",
                [document_id, after],
            )

    def _set_identity(self, participant_id: str, **changes: str | None) -> None:
        sets = ", ".join(f"{column} = ?" for column in changes)
        cursor = self.conn.execute(
            f"UPDATE participants SET {sets} WHERE id = ? AND deleted_at IS NULL",
            [*changes.values(), participant_id],
        )
        if cursor.rowcount == 0:
            raise NotFound("participant", participant_id)
