"""Bundles' SQL: a project's work read as rows, a merge's changes written in one transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from recits.failures import ConflictNotSingled
from recits.models.merging import Conflict
from recits.store.base import now
from recits.store.publishing import PublishingMixin

_JSON_LISTS = {"participants": "aliases", "consent_events": "consent_scope"}
_SQL_TABLE = {"decisions": "suggestion_decisions"}
_COLUMNS = {
    "coders": "id, name, colour, created_at, deleted_at, merged_into",
    "participants": "id, pseudonym, role, aliases, same_label_as, merged_into, created_at,"
    " deleted_at",
    "documents": "id, title, kind, date, format, source_name, source_path, sha256, text_sha256,"
    " word_count, version, previous_id, imported_at, imported_by, deleted_at",
    "turns": "document_id, position, participant_id, speaker, start_char, end_char, timestamp",
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
}
# The order a merge writes them in: each after those it points to.
_WRITE_ORDER = (
    "coders", "participants", "documents", "consent_events", "codings", "decisions",
    "name_decisions", "consensus_rejections",
)  # fmt: skip


class BundlesMixin(PublishingMixin):
    """Also refreshes the consent a merged ledger adds up to."""

    def work_rows(self, table: str, *, with_text: bool = False) -> list[dict[str, Any]]:
        """Every row of a table that travels in a bundle, tombstones included, by rowid."""
        columns = _COLUMNS[table] + (", text" if with_text and table == "documents" else "")
        order = "document_id, position" if table == "turns" else "rowid"
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
            for table in _WRITE_ORDER:
                self._upsert(table, inserts.get(table, ()), updates.get(table, ()))
                if table == "documents":
                    new_docs = [d["id"] for d in inserts.get("documents", ())]
                    self._insert_turns(inserts.get("turns", ()), new_docs)
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
            " end_char, timestamp, text) VALUES (:document_id, :position, :participant_id,"
            " :speaker, :start_char, :end_char, :timestamp, :text)",
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
