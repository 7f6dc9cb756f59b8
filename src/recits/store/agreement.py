"""What agreement and adjudication read: codings as bare spans, document lengths."""

from __future__ import annotations

from collections.abc import Sequence

from recits.store.base import StoreBase

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
