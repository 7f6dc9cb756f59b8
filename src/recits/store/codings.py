"""Codes synced from the codebook, and the codings made with them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from recits.failures import (
    BadSpan,
    CodesStillUsed,
    CodeUse,
    MissingCoder,
    NotFound,
    UnknownChoice,
    UnknownCode,
)
from recits.models import Code, Coding, Excerpt, NewCoding
from recits.store import mappers
from recits.store.base import new_id, now
from recits.store.coders import CodersMixin
from recits.store.documents import DocumentsMixin

ORIGINS = ("manual", "suggestion")


class CodingsMixin(DocumentsMixin, CodersMixin):
    """Also reads documents (a coding's text is cut from its document's) and coders (each
    coding points to one)."""

    # -- codes -------------------------------------------------------------------------------
    def code_ids(self) -> list[str]:
        """Live codes, in codebook order."""
        rows = self.conn.execute(
            "SELECT id FROM codes WHERE deleted_at IS NULL ORDER BY position"
        ).fetchall()
        return [r[0] for r in rows]

    def codes(self) -> list[Code]:
        """Live codes as the project knows them (the codebook file holds the full definitions)."""
        rows = self.query(
            "SELECT id, label, description, color, parent_id FROM codes"
            " WHERE deleted_at IS NULL ORDER BY position"
        )
        return [mappers.code(r) for r in rows]

    def code_uuids(self) -> dict[str, str]:
        """Each live code's UUID (its identity in REFI-QDA files and merges), by code id."""
        rows = self.conn.execute("SELECT id, uuid FROM codes WHERE deleted_at IS NULL")
        return dict(rows.fetchall())

    def sync_codes(self, codes: Sequence[Code]) -> None:
        """Make the project's codes match the codebook (given parents first).

        New codes are added, labels and definitions updated, a code missing from the codebook is
        tombstoned; if it still has codings, nothing changes and the error says where they are.
        """
        wanted = {c.id for c in codes}
        with self.write():
            live = set(self.code_ids())
            removed = sorted(live - wanted)
            uses = [self._code_use(code_id) for code_id in removed]
            if any(u.places for u in uses):
                raise CodesStillUsed([u for u in uses if u.places])
            stamp = now()
            taken = {r[0] for r in self.conn.execute("SELECT uuid FROM codes")}
            for position, code in enumerate(codes):
                existing = self.conn.execute(
                    "SELECT uuid FROM codes WHERE id = ?", [code.id]
                ).fetchone()
                uuid = existing[0] if existing else code_uuid(code.id, taken)
                taken.add(uuid)
                self.db["codes"].upsert(
                    {
                        "id": code.id,
                        "uuid": uuid,
                        "label": code.label,
                        "description": code.description,
                        "color": code.color,
                        "parent_id": code.parent_id,
                        "position": position,
                        "deleted_at": None,
                    },
                    pk="id",
                )
            for code_id in removed:
                self.conn.execute(
                    "UPDATE codes SET deleted_at = ?, parent_id = NULL WHERE id = ?",
                    [stamp, code_id],
                )
            self.audit("codebook-sync", None, codes=sorted(wanted), removed=removed)

    def _code_use(self, code_id: str) -> CodeUse:
        rows = self.conn.execute(
            "SELECT d.title, count(*) FROM codings c JOIN documents d ON d.id = c.document_id"
            " WHERE c.code_id = ? AND c.deleted_at IS NULL GROUP BY d.title ORDER BY d.title",
            [code_id],
        ).fetchall()
        return CodeUse(code_id, tuple((title, n) for title, n in rows))

    def code_counts(self, coder: str | None = None) -> dict[str, int]:
        """Live codings per code: everyone's, or one coder's (blind coding)."""
        mine = "" if coder is None else " AND coder = ?"
        rows = self.conn.execute(
            f"SELECT code_id, count(*) FROM codings WHERE deleted_at IS NULL{mine}"
            " GROUP BY code_id",
            [] if coder is None else [coder],
        ).fetchall()
        return dict(rows)

    # -- codings -----------------------------------------------------------------------------
    def add_codings(self, items: Iterable[NewCoding], actor: str | None = None) -> list[Coding]:
        """Add codings in one transaction; all or nothing. An identical live coding is kept."""
        added: list[Coding] = []
        with self.write():
            texts: dict[str, str] = {}
            codes = set(self.code_ids())
            coders: dict[str, str] = {}
            for item in items:
                added.append(self._add_one(item, texts, codes, coders))
            self.audit("code", actor, count=len(added), ids=[c.id for c in added][:50])
        return added

    def add_coding(self, item: NewCoding) -> Coding:
        return self.add_codings([item], actor=item.coder)[0]

    def _add_one(
        self, item: NewCoding, texts: dict[str, str], codes: set[str], coders: dict[str, str]
    ) -> Coding:
        if item.code_id not in codes:
            raise UnknownCode(item.code_id)
        if item.origin not in ORIGINS:
            raise UnknownChoice("origin", item.origin, ORIGINS)
        if not item.coder.strip():
            raise MissingCoder()
        if item.document_id not in texts:
            texts[item.document_id] = self.document_text(item.document_id)
        text = texts[item.document_id]
        start, end = item.start_char, item.end_char
        if not (0 <= start < end <= len(text)):
            raise BadSpan(start, end, len(text))
        existing = next(
            self.query(
                "SELECT * FROM codings WHERE document_id = ? AND start_char = ? AND end_char = ?"
                " AND code_id = ? AND coder = ? AND deleted_at IS NULL",
                [item.document_id, start, end, item.code_id, item.coder],
            ),
            None,
        )
        if existing:
            return mappers.coding(existing)
        row = {
            "id": new_id(),
            "document_id": item.document_id,
            "start_char": start,
            "end_char": end,
            "text": text[start:end],
            "code_id": item.code_id,
            "coder": item.coder,
            "coder_id": coders.get(item.coder) or self._coder_id(item.coder, coders),
            "origin": item.origin,
            "memo": item.memo,
            "created_at": now(),
        }
        self.db["codings"].insert(row)
        return mappers.coding(row)

    def _coder_id(self, name: str, coders: dict[str, str]) -> str:
        coders[name] = self.ensure_coder(name, actor=name)
        return coders[name]

    def remove_coding(self, coding_id: str, by: str) -> None:
        """Tombstone a coding (kept for merges)."""
        with self.write():
            cursor = self.conn.execute(
                "UPDATE codings SET deleted_at = ?, deleted_by = ? WHERE id = ?"
                " AND deleted_at IS NULL",
                [now(), by, coding_id],
            )
            if cursor.rowcount == 0:
                raise NotFound("coding", coding_id)
            self.audit("uncode", by, coding=coding_id)

    def restore_coding(self, coding_id: str, by: str) -> Coding:
        """Undo a removal: the tombstoned coding comes back (unless an identical one exists)."""
        with self.write():
            row = next(self.query("SELECT * FROM codings WHERE id = ?", [coding_id]), None)
            if row is None:
                raise NotFound("coding", coding_id)
            if row["deleted_at"] is not None:
                self.conn.execute(
                    "UPDATE codings SET deleted_at = NULL, deleted_by = NULL WHERE id = ?",
                    [coding_id],
                )
                self.audit("recode", by, coding=coding_id)
        return mappers.coding({**row, "deleted_at": None})

    def set_coding_memo(self, coding_id: str, memo: str, by: str) -> None:
        with self.write():
            cursor = self.conn.execute(
                "UPDATE codings SET memo = ? WHERE id = ? AND deleted_at IS NULL",
                [memo, coding_id],
            )
            if cursor.rowcount == 0:
                raise NotFound("coding", coding_id)
            self.audit("memo", by, coding=coding_id)

    def codings(
        self,
        *,
        document_id: str | None = None,
        code_id: str | None = None,
        coder: str | None = None,
    ) -> list[Coding]:
        where = ["c.deleted_at IS NULL"]
        params: list[Any] = []
        for column, value in (("document_id", document_id), ("code_id", code_id), ("coder", coder)):
            if value is not None:
                where.append(f"c.{column} = ?")
                params.append(value)
        rows = self.query(
            "SELECT c.* FROM codings c JOIN documents d ON d.id = c.document_id"
            f" WHERE {' AND '.join(where)}"
            " ORDER BY d.date IS NULL, d.date, d.title, c.start_char, c.end_char, c.code_id",
            params,
        )
        return [mappers.coding(r) for r in rows]

    def excerpts(
        self,
        *,
        code_ids: Sequence[str] = (),
        kind: str | None = None,
        speaker: str | None = None,
        coder: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        context: int = 80,
    ) -> list[Excerpt]:
        """Codings with their document, speaker and context, filtered; in reading order."""
        where = ["c.deleted_at IS NULL", "d.deleted_at IS NULL"]
        params: list[Any] = []
        if code_ids:
            where.append(f"c.code_id IN ({', '.join('?' * len(code_ids))})")
            params.extend(code_ids)
        for clause, value in (
            ("d.kind = ?", kind),
            ("p.pseudonym = ?", speaker),
            ("c.coder = ?", coder),
            ("d.date >= ?", date_from),
            ("d.date <= ?", date_to),
        ):
            if value:
                where.append(clause)
                params.append(value)
        rows = self.query(
            "SELECT c.*, d.title AS d_title, d.kind AS d_kind, d.date AS d_date,"
            " p.pseudonym AS speaker, t.start_char AS t_start, t.end_char AS t_end,"
            " t.text AS t_text, t.page AS t_page, t.section AS t_section"
            " FROM codings c JOIN documents d ON d.id = c.document_id"
            " LEFT JOIN turns t ON t.document_id = c.document_id"
            "  AND t.start_char <= c.start_char AND c.start_char < t.end_char"
            " LEFT JOIN participants p ON p.id = t.participant_id"
            f" WHERE {' AND '.join(where)}"
            " ORDER BY d.date IS NULL, d.date, d.title, c.start_char, c.code_id, c.coder",
            params,
        )
        excerpts = []
        for r in rows:
            before = after = ""
            if r["t_text"] is not None:
                local_start = r["start_char"] - r["t_start"]
                local_end = min(r["end_char"], r["t_end"]) - r["t_start"]
                before = r["t_text"][max(0, local_start - context) : local_start]
                after = r["t_text"][local_end : local_end + context]
            excerpts.append(
                Excerpt(
                    coding=mappers.coding(r),
                    document_title=r["d_title"],
                    document_kind=r["d_kind"],
                    document_date=r["d_date"],
                    speaker=r["speaker"],
                    before=before,
                    after=after,
                    page=r["t_page"],
                    section=r["t_section"],
                )
            )
        return excerpts

    def coding_progress(self) -> dict[str, dict[str, float]]:
        """Per document, per coder: the share of speech turns holding at least one coding."""
        # From each coding to its turns through the (document_id, start_char) index: from the
        # turn it starts in to the last one starting before its end. Scanning every turn for
        # the codings overlapping it took 36 ms at start-up with 10,000 codings, this 11 ms.
        rows = self.conn.execute(
            "SELECT c.document_id, c.coder, count(DISTINCT t.id) FROM codings c"
            " JOIN turns t ON t.document_id = c.document_id"
            "  AND t.start_char >= coalesce((SELECT max(t2.start_char) FROM turns t2"
            "   WHERE t2.document_id = c.document_id AND t2.start_char <= c.start_char), 0)"
            "  AND t.start_char < c.end_char AND t.end_char > c.start_char"
            " WHERE c.deleted_at IS NULL GROUP BY c.document_id, c.coder"
        ).fetchall()
        # Turns counted only in the documents that have codings (none in a fresh project).
        totals = dict(
            self.conn.execute(
                "SELECT document_id, count(*) FROM turns WHERE document_id IN"
                " (SELECT document_id FROM codings WHERE deleted_at IS NULL)"
                " GROUP BY document_id"
            )
        )
        progress: dict[str, dict[str, float]] = {}
        for document_id, coder, coded in rows:
            progress.setdefault(document_id, {})[coder] = coded / max(totals[document_id], 1)
        return progress


def code_uuid(code_id: str, taken: set[str]) -> str:
    """A new code's UUID: derived from its id in the codebook, so that projects started apart
    from one codebook give a code the same UUID (merges and REFI-QDA match it); a random one
    if a renamed code already carries it (renaming keeps the UUID)."""
    derived = str(uuid5(NAMESPACE_URL, f"recits:code:{code_id}"))
    return new_id() if derived in taken else derived
