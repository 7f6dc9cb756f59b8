"""What agreement and adjudication read (codings as bare spans, document lengths), and the
adjudication's « neither » decisions."""

from __future__ import annotations

from collections.abc import Sequence

from recits.store.base import StoreBase, new_id, now

SpanRow = tuple[str, int, int, str, str]  # document_id, start_char, end_char, code_id, coder


class AgreementMixin(StoreBase):
    def coding_spans(self, document_ids: Sequence[str] = ()) -> list[SpanRow]:
        """Live codings of live documents (all of them, or of these documents), without their
        text: (document_id, start_char, end_char, code_id, coder)."""
        where, params = "", list(document_ids)
        if document_ids:
            where = f" AND c.document_id IN ({', '.join('?' * len(document_ids))})"
        rows = self.conn.execute(
            "SELECT c.document_id, c.start_char, c.end_char, c.code_id, c.coder FROM codings c"
            " JOIN documents d ON d.id = c.document_id AND d.deleted_at IS NULL"
            f" WHERE c.deleted_at IS NULL{where}",
            params,
        ).fetchall()
        return [(d, start, end, code, coder) for d, start, end, code, coder in rows]

    def coders_with_codings(self) -> list[str]:
        """Who has live codings, by name as the codings record it, in alphabetical order."""
        rows = self.conn.execute(
            "SELECT DISTINCT coder FROM codings WHERE deleted_at IS NULL ORDER BY coder"
        ).fetchall()
        return [r[0] for r in rows]

    def document_lengths(self) -> dict[str, int]:
        """Live documents' text lengths in characters, in the corpus order (date, title)."""
        rows = self.conn.execute(
            "SELECT id, length(text) FROM documents WHERE deleted_at IS NULL"
            " ORDER BY date IS NULL, date, title"
        ).fetchall()
        return dict(rows)

    def consensus_rejections(self, document_id: str) -> set[tuple[str | None, str | None]]:
        """Pairs of codings (first, second; None: not coded) whose versions the consensus
        keeps neither of, in this document."""
        rows = self.conn.execute(
            "SELECT first_coding_id, second_coding_id FROM consensus_rejections"
            " WHERE document_id = ? AND deleted_at IS NULL",
            [document_id],
        ).fetchall()
        return {(a, b) for a, b in rows}

    def reject_in_consensus(
        self, document_id: str, pair: tuple[str | None, str | None], rejected: bool, by: str
    ) -> None:
        """Record (or, with rejected False, tombstone) that the consensus keeps neither coding
        of this pair; call inside the write transaction of the adjudication."""
        if not self.conn.in_transaction:
            raise RuntimeError("reject_in_consensus runs inside a write transaction")
        first, second = pair
        stamp = now()
        self.conn.execute(
            "UPDATE consensus_rejections SET deleted_at = ? WHERE document_id = ?"
            " AND deleted_at IS NULL AND ((first_coding_id IS ? AND second_coding_id IS ?)"
            " OR (first_coding_id IS ? AND second_coding_id IS ?))",
            [stamp, document_id, first, second, second, first],
        )
        if rejected:
            self.conn.execute(
                "INSERT INTO consensus_rejections (id, document_id, first_coding_id,"
                " second_coding_id, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?)",
                [new_id(), document_id, first, second, by, stamp],
            )
