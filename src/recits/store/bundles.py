"""Bundles' SQL: a project's work read as rows, a merge's changes written in one transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from recits.failures import ConflictNotSingled
from recits.store.base import now
from recits.store.publishing import PublishingMixin

if TYPE_CHECKING:
    from recits.models.merging import Conflict

_JSON_LISTS = {
    "participants": "aliases", "consent_events": "consent_scope", "scenes": "themes",
}  # fmt: skip
_SQL_TABLE = {"decisions": "suggestion_decisions"}
_COLUMNS = {
    "coders": "id, name, colour, created_at, deleted_at, merged_into",
    "participants": "id, pseudonym, role, aliases, same_label_as, merged_into, created_at,"
    " deleted_at",
    "documents": "id, title, kind, date, format, source_name, source_path, sha256, text_sha256,"
    " word_count, version, previous_id, imported_at, imported_by, deleted_at, source,"
    " published",
    "turns": "document_id, position, participant_id, speaker, start_char, end_char, timestamp,"
    " page, section, kind",
    "italics": "document_id, start_char, end_char",
    "consent_events": "id, participant_id, consent, consent_scope, consent_date, recorded_by,"
    " recorded_at",
    "codings": "id, document_id, start_char, end_char, text, code_id, coder, coder_id, origin,"
    " memo, created_at, deleted_at, deleted_by",
    "decisions": "id, document_id, start_char, end_char, code_id, coder, coder_id, decision,"
    " chosen_code_id, coding_id, score, model_version, decided_at, deleted_at",
    "name_decisions": "id, name, name_key, decision, participant_id, reason, decided_by,"
    " decided_at, deleted_at",
    "consensus_rejections": "id, document_id, first_coding_id, second_coding_id, decided_by,"
    " decided_at, deleted_at",
    "scenes": "id, title, synopsis, place, time, themes, status, created_by, created_at,"
    " updated_at, deleted_at",
    "scene_sources": "id, scene_id, document_id, start_char, end_char, text, coding_id,"
    " added_by, added_at, deleted_at",
    "scene_characters": "id, scene_id, name, participant_id, composite, description,"
    " created_at, deleted_at",
    "scene_panels": "id, scene_id, position, picture, caption, created_at, deleted_at",
    "scene_lines": "id, panel_id, position, character_id, text, source_id, created_at, deleted_at",
    "scene_status_history": "id, scene_id, status, previous, changed_by, changed_at, note,"
    " deleted_at",
    "scene_comments": "id, scene_id, author, text, created_at, deleted_at",
    "scene_validations": "id, scene_id, participant_id, validated_on, recorded_by,"
    " recorded_at, deleted_at",
    "memos": "id, target_type, target_id, author, text, created_at, deleted_at",
}
# The author of a document without speakers: the participant its paragraphs belong to.
_AUTHOR = (
    ", (SELECT t.participant_id FROM turns t WHERE t.document_id = documents.id"
    " AND t.speaker IS NULL AND t.participant_id IS NOT NULL ORDER BY t.position LIMIT 1)"
    " AS author"
)
_ORDER = {"turns": "document_id, position", "italics": "document_id, start_char, end_char"}
# The order a merge writes them in: each after those it points to.
_WRITE_ORDER = (
    "coders", "participants", "documents", "consent_events", "codings", "decisions",
    "name_decisions", "consensus_rejections", "scenes", "scene_sources", "scene_characters",
    "scene_panels", "scene_lines", "scene_status_history", "scene_comments",
    "scene_validations", "memos",
)  # fmt: skip


class BundlesMixin(PublishingMixin):
    """Also refreshes the consent a merged ledger adds up to."""

    def work_rows(self, table: str, *, with_text: bool = False) -> list[dict[str, Any]]:
        """Every row of a table that travels in a bundle, tombstones included, by rowid."""
        columns = _COLUMNS[table]
        if table == "documents":
            columns += _AUTHOR + (", text" if with_text else "")
        order = _ORDER.get(table, "rowid")
        rows = list(
            self.query(f"SELECT {columns} FROM {_SQL_TABLE.get(table, table)} ORDER BY {order}")
        )
        if table in _JSON_LISTS:
            column = _JSON_LISTS[table]
            for row in rows:
                row[column] = json.loads(row[column] or "[]")
        return rows

    def work_columns(self, table: str) -> tuple[str, ...]:
        return tuple(c.strip() for c in _COLUMNS[table].split(","))

    def work_tuples(self, table: str, columns: Sequence[str]) -> list[tuple[Any, ...]]:
        """Every row of a table as tuples of these columns (no list columns): the large
        tables compared at C speed."""
        if table in _JSON_LISTS or not set(columns) <= set(self.work_columns(table)):
            raise ValueError(table)
        sql = f"SELECT {', '.join(columns)} FROM {_SQL_TABLE.get(table, table)} ORDER BY rowid"
        return self.conn.execute(sql).fetchall()

    def code_uuid_map(self) -> dict[str, str]:
        """Every code the project has had, removed ones included: id -> UUID."""
        return dict(self.conn.execute("SELECT id, uuid FROM codes").fetchall())

    def code_labels(self) -> dict[str, str]:
        """Live codes, id -> label."""
        rows = self.conn.execute("SELECT id, label FROM codes WHERE deleted_at IS NULL")
        return dict(rows.fetchall())

    def all_code_ids(self) -> set[str]:
        """Codes the project has ever had, removed ones included (their codings' tombstones)."""
        return {r[0] for r in self.conn.execute("SELECT id FROM codes")}

    def apply_merge(
        self,
        inserts: dict[str, Sequence[dict[str, Any]]],
        updates: dict[str, Sequence[dict[str, Any]]],
        conflicts: Iterable[Conflict],
        consent_refresh: Iterable[str],
        actor: str | None,
        summary: dict[str, Any],
    ) -> None:
        """Write a merge in one transaction, table after table in the order they point."""
        with self.write():
            # Rows point to rows of the same batch (a coder merged into another, a new
            # version of a document): checked once, at the commit.
            self.conn.execute("PRAGMA defer_foreign_keys = ON")
            authors = {d["id"]: d["author"] for d in updates.get("documents", ()) if "author" in d}
            for table in _WRITE_ORDER:
                rows_in, rows_up = inserts.get(table, ()), updates.get(table, ())
                if table == "documents":  # the author lives on the turns
                    rows_in = [_without(d, "author") for d in rows_in]
                    rows_up = [_without(d, "author") for d in rows_up]
                self._upsert(table, rows_in, rows_up)
                if table == "documents":
                    new_docs = [d["id"] for d in inserts.get("documents", ())]
                    self._insert_turns(inserts.get("turns", ()), new_docs)
                    self.conn.executemany(
                        "INSERT INTO italics (document_id, start_char, end_char)"
                        " VALUES (:document_id, :start_char, :end_char)",
                        inserts.get("italics", ()),
                    )
                    self._merge_authors(authors)
            for participant_id in consent_refresh:
                self.refresh_consent(participant_id)
            stamp = now()
            self.conn.executemany(
                "INSERT OR IGNORE INTO merge_conflicts (id, kind, table_name, row_id, field,"
                " values_json, kept, message, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (c.id, c.kind, c.table_name, c.row_id, c.field,
                     json.dumps(list(c.values), ensure_ascii=False), c.kept, c.message, stamp)
                    for c in conflicts
                ],
            )  # fmt: skip
            self.audit("merge", actor, **summary)

    def _upsert(
        self, table: str, inserts: Sequence[dict[str, Any]], updates: Sequence[dict[str, Any]]
    ) -> None:
        name = _SQL_TABLE.get(table, table)
        json_column = _JSON_LISTS.get(table)
        # Tombstones first, then other changes, then new rows: a unique index over live rows
        # (coders' names, codings) never sees the same one twice.
        dying = [r for r in updates if r.get("deleted_at") is not None]
        for rows, sql in (
            (dying, "UPDATE {name} SET {sets} WHERE id = :id"),
            (
                [r for r in updates if r.get("deleted_at") is None],
                "UPDATE {name} SET {sets} WHERE id = :id",
            ),
            (inserts, "INSERT INTO {name} ({cols}) VALUES ({marks})"),
        ):
            if not rows:
                continue
            columns = list(rows[0])
            statement = sql.format(
                name=name,
                cols=", ".join(columns),
                marks=", ".join(f":{c}" for c in columns),
                sets=", ".join(f"{c} = :{c}" for c in columns if c != "id"),
            )
            if json_column:
                rows = [
                    {**r, json_column: json.dumps(r[json_column], ensure_ascii=False)} for r in rows
                ]
            self.conn.executemany(statement, rows)

    def _merge_authors(self, authors: dict[str, str | None]) -> None:
        """A merged author: the document's paragraphs become their words (see documents)."""
        for document_id, author in authors.items():
            current = self.conn.execute(
                f"SELECT 1{_AUTHOR} FROM documents WHERE id = ?", [document_id]
            ).fetchone()
            if current is None or current[1] == author:
                continue
            self.conn.execute(
                "UPDATE turns SET participant_id = ? WHERE document_id = ? AND speaker IS NULL",
                [author, document_id],
            )
            self.conn.execute("DELETE FROM document_speakers WHERE document_id = ?", [document_id])
            if author is not None:
                self.conn.execute(
                    "INSERT INTO document_speakers (document_id, first_position, participant_id)"
                    " VALUES (?, 0, ?)",
                    [document_id, author],
                )

    def _insert_turns(self, turns: Sequence[dict[str, Any]], documents: Sequence[str]) -> None:
        """A new document's turns with their text, who speaks in it, and the search index."""
        if not documents:
            return
        placeholders = ", ".join("?" * len(documents))
        texts = dict(
            self.conn.execute(
                f"SELECT id, text FROM documents WHERE id IN ({placeholders})", list(documents)
            ).fetchall()
        )
        self.conn.executemany(
            "INSERT INTO turns (document_id, position, participant_id, speaker, start_char,"
            " end_char, timestamp, page, section, kind, text) VALUES (:document_id, :position,"
            " :participant_id, :speaker, :start_char, :end_char, :timestamp, :page, :section,"
            " :kind, :text)",
            [
                {**t, "text": texts[t["document_id"]][t["start_char"] : t["end_char"]]}
                for t in turns
            ],
        )
        self.conn.execute(
            "INSERT OR IGNORE INTO document_speakers (document_id, first_position, participant_id)"
            f" SELECT document_id, min(position), participant_id FROM turns"
            f" WHERE participant_id IS NOT NULL AND document_id IN ({placeholders})"
            " GROUP BY document_id, participant_id",
            list(documents),
        )
        self.conn.execute(
            f"INSERT INTO turns_fts (rowid, text) SELECT id, text FROM turns"
            f" WHERE document_id IN ({placeholders})",
            list(documents),
        )

    def open_conflicts(self) -> list[dict[str, Any]]:
        """Conflicts met by merges and not settled yet, oldest first."""
        rows = self.query(
            "SELECT id, kind, message, kept FROM merge_conflicts WHERE settled_at IS NULL"
            " ORDER BY detected_at, rowid"
        )
        return list(rows)

    def settled_conflicts(self) -> set[str]:
        return {
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM merge_conflicts WHERE settled_at IS NOT NULL"
            )
        }

    def settle_conflict(self, prefix: str, actor: str | None) -> dict[str, Any]:
        """Mark an open conflict settled (the team chose); by id or a unique id prefix."""
        rows = list(
            self.query(
                "SELECT id, message FROM merge_conflicts WHERE settled_at IS NULL AND id LIKE ?",
                [prefix.strip().replace("%", "").replace("_", "") + "%"],
            )
        )
        if len(rows) != 1 or not prefix.strip():
            raise ConflictNotSingled(prefix, len(rows))
        with self.write():
            self.conn.execute(
                "UPDATE merge_conflicts SET settled_at = ? WHERE id = ?", [now(), rows[0]["id"]]
            )
            self.audit("merge.settle", actor, conflict=rows[0]["id"])
        return rows[0]


def _without(row: dict[str, Any], column: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != column}
